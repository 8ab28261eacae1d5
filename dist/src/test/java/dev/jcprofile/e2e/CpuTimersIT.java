package dev.jcprofile.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU timers: sampled-cpu charges each thread only the CPU it used (a server's idle and waiting threads get
 * nothing, its work gets what its own clock measured), with sampled's exact counts; the cpu timer says its cost
 * at start-up; calls on virtual threads, for which the JDK measures no CPU time, are said to have got none under
 * the cpu timer, and get their carriers' CPU under sampled-cpu. Bounds are wide: samples of 1 ms on a shared
 * machine.
 */
@Execution(ExecutionMode.CONCURRENT)
class CpuTimersIT {
    private static Map<String, Double> measured(String stdout) {
        Map<String, Double> m = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String[] w = line.trim().split(" ");
            if (w.length == 2) m.put(w[0], Double.parseDouble(w[1]));
        }
        return m;
    }

    private static final int REQUESTS = 60;

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void sampledCpuLeavesBlockedThreadsOut(Jdk jdk) {
        Path dir = E2E.tempDir("server");
        Path classes = Programs.compile("server");
        Map<String, Prof> profiles = new HashMap<>();
        Map<String, Map<String, Double>> seen = new HashMap<>();
        for (String timer : List.of("sampled-cpu", "sampled")) {
            Path out = dir.resolve(timer + ".prof");
            Proc.Result r = E2E.jcprofile(jdk, List.of("-o", out.toString(), "--timer", timer), "-cp", classes.toString(),
                    "com.example.server.Server", Integer.toString(REQUESTS)).dir(dir).run().expectExit(0);
            assertTrue(r.stdout().startsWith("answered " + REQUESTS + " requests"), r.toString());
            assertTrue(r.stderr().isEmpty(), r.toString());
            profiles.put(timer, Prof.read(out));
            seen.put(timer, measured(r.stdout()));
        }
        Prof cpu = profiles.get("sampled-cpu"), wall = profiles.get("sampled");
        // Exact counts, as sampled's.
        for (String f : List.of("Server.work", "Server.handle", "Server.request")) {
            assertEquals(Integer.toString(REQUESTS), cpu.fn(f).calls(), f);
            assertEquals(Integer.toString(REQUESTS), wall.fn(f).calls(), f);
        }
        // The handler's work: the CPU its thread's own clock measured.
        double workCpu = seen.get("sampled-cpu").get("workCpu");
        Prof.Fn work = cpu.fn("Server.work");
        assertTrue(work.ct >= 0.5 * workCpu && work.ct <= 1.5 * workCpu + 0.03, "work used " + workCpu + " s of CPU; " + work);
        // The thread that waits on a latch the whole run: by the wall clock all of it, by its CPU nothing.
        double idle = seen.get("sampled").get("idle");
        assertTrue(wall.fn("Server.idle").ct >= 0.8 * idle, "idle waited " + idle + " s; " + wall.fn("Server.idle"));
        assertTrue(cpu.fn("Server.idle").ct <= 0.01, cpu.fn("Server.idle").toString());
        String await = Prof.method("await", "java.util.concurrent.CountDownLatch");
        assertTrue(cpu.fn(await).ct <= 0.01, cpu.fn(await).toString());
        cpu.checkConsistent();
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void cpuTimerSaysItsCostAtStartUp(Jdk jdk) {
        Path dir = E2E.tempDir("cpu-note");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", dir.resolve("cpu.prof").toString(), "--timer", "cpu"), "-cp",
                Programs.compile("cpu").toString(), "com.example.cpu.CpuWork").dir(dir).run().expectExit(0);
        List<String> lines = Arrays.asList(r.stderr().split("\n"));
        assertEquals(1, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("jcprofile: timer cpu reads the thread's CPU clock at every call (about ")
                && lines.get(0).contains("--timer sampled-cpu"), r.toString());
        // JDK 25 has virtual threads, whose CPU time the JDK does not measure.
        assertEquals(jdk.feature >= 21, lines.get(0).contains("calls on virtual threads get no CPU time"), r.toString());
        // The run's output is the program's.
        assertEquals("spun true\n", r.stdout());
    }

    /** Virtual threads exist from JDK 21 on; of the JDKs tested, JDK 25 has them. */
    @Test
    void virtualThreadsCpu() {
        Jdk jdk = Jdk.JDK25;
        Path classes = Programs.compileWith(jdk, "vcpu", "--release", "21");
        Path dir = E2E.tempDir("vcpu");
        String main = "com.example.vcpu.VirtualCpu";
        int threads = 4;

        // sampled-cpu: each virtual thread's burn gets its carrier's CPU, about what the same burn took on the
        // platform main thread (measured there by its own clock); sleeping, unmounted, they get none.
        Path sampled = dir.resolve("sampled-cpu.prof");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", sampled.toString(), "--timer", "sampled-cpu"), "-cp",
                classes.toString(), main, Integer.toString(threads), "150", "200").dir(dir).run().expectExit(0);
        assertTrue(r.stderr().isEmpty(), r.toString());
        double burn = measured(r.stdout()).get("burnCpu");
        Prof p = Prof.read(sampled);
        double onVirtual = p.fn("VirtualCpu.burn").cumtimeFrom("VirtualCpu.lambda$main$0");
        assertTrue(onVirtual >= 0.5 * threads * burn && onVirtual <= 1.6 * threads * burn + 0.03,
                threads + " virtual threads each burnt about " + burn + " s; " + p.fn("VirtualCpu.burn"));
        assertTrue(p.fn("VirtualCpu.nap").ct <= 0.01, p.fn("VirtualCpu.nap").toString());
        assertEquals(Integer.toString(threads), p.fn("VirtualCpu.nap").calls());

        // cpu: the same calls get 0.000, and the run says so beside the table, never inside it.
        Path exact = dir.resolve("cpu.prof");
        r = E2E.jcprofile(jdk, List.of("-q", "-o", exact.toString(), "--timer", "cpu"), "-cp", classes.toString(), main,
                Integer.toString(threads), "20", "10").dir(dir).run().expectExit(0);
        Prof c = Prof.read(exact);
        Matcher m = Pattern.compile("jcprofile: (\\d+) calls on virtual threads got no CPU time \\(the JDK measures none"
                + " for virtual threads\\); --timer sampled-cpu charges them their carriers' CPU\n").matcher(r.stderr());
        assertTrue(m.matches(), r.toString());
        assertEquals(threads * 4L, Long.parseLong(m.group(1)), "lambda, burn, nap and sleep on each virtual thread: " + c.keys());
        assertEquals(0.0, c.fn("VirtualCpu.burn").cumtimeFrom("VirtualCpu.lambda$main$0"));
        E2E.pythonPstats(exact, "stats 1\nquit\n").run().expectExit(0);

        // Without -o the note is the line before the table, whose header stays pstats's.
        r = E2E.jcprofile(jdk, List.of("-q", "--timer", "cpu"), "-cp", classes.toString(), main,
                Integer.toString(threads), "20", "10").dir(dir).run().expectExit(0);
        List<String> out = Arrays.asList(r.stdout().split("\n"));
        int note = out.indexOf(out.stream().filter(l -> l.startsWith("jcprofile: ")).findFirst().orElse("none"));
        assertTrue(note >= 0 && out.get(note).startsWith("jcprofile: " + threads * 4 + " calls on virtual threads got no CPU time"), r.toString());
        assertTrue(out.get(note + 1).matches(" +\\d+ function calls in \\d+\\.\\d{3} seconds"), r.toString());
        assertTrue(r.stderr().isEmpty(), r.toString());
    }
}
