package dev.jcprofile.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.jcprofile.e2e.Prof.builtin;
import static dev.jcprofile.e2e.Prof.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threads merged and filtered, --builtins off, --include/--exclude, --timer cpu. */
@Execution(ExecutionMode.CONCURRENT)
class OptionsIT {
    private static Prof run(Jdk jdk, Path classes, String main, String... options) {
        Path dir = E2E.tempDir("options");
        Path out = dir.resolve("options.prof");
        List<String> opts = new ArrayList<>(List.of("-o", out.toString()));
        opts.addAll(Arrays.asList(options));
        Proc.Result r = E2E.jcprofile(jdk, opts, "-cp", classes.toString(), main).dir(dir).run().expectExit(0);
        assertTrue(r.stderr().isEmpty(), r.toString());
        return Prof.read(out);
    }

    // ------------------------------------------------------------------ threads

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void allThreadsAreMergedExactly(Jdk jdk) {
        for (String timer : List.of("wall", "sampled")) allThreadsAreMergedExactly(jdk, timer);
    }

    private static void allThreadsAreMergedExactly(Jdk jdk, String timer) {
        Prof p = run(jdk, Programs.compile("threads"), "com.example.threads.Workers", "--timer", timer);
        // 16 workers x 5000 and 600 short threads x 10, the short ones mostly dead and folded in by the end.
        assertEquals("86000", p.fn("Workers.unit").calls());
        assertEquals(Map.of("Workers.work", "86000"), p.fn("Workers.unit").callers());
        assertEquals("616", p.fn("Workers.work").calls());
        assertEquals("1000", p.fn("Workers.otherUnit").calls());
        assertEquals("1", p.fn("Workers.mainUnit").calls());
        assertEquals("1", p.fn("Workers.main").calls());
        // A daemon thread still calling when the JVM exits: its open call is closed, its counts agree.
        assertEquals("1", p.fn("Workers.spin").calls());
        Prof.Fn spinUnit = p.fn("Workers.spinUnit");
        assertTrue(spinUnit.nc > 0, spinUnit.toString());
        assertEquals(Map.of("Workers.spin", spinUnit.calls()), spinUnit.callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void threadsOptionRecordsOnlyMatchingThreads(Jdk jdk) {
        Prof p = run(jdk, Programs.compile("threads"), "com.example.threads.Workers", "--threads", "^worker-");
        assertEquals("80000", p.fn("Workers.unit").calls());
        assertEquals("16", p.fn("Workers.work").calls());
        assertFalse(p.has("Workers.otherUnit"), p.names().toString());
        assertFalse(p.has("Workers.mainUnit"), p.names().toString());
        assertFalse(p.has("Workers.main"), p.names().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void threadsCallingWhileTheProfileIsWrittenLeaveItConsistent(Jdk jdk) {
        // Each run has a fair chance of finding a thread preempted halfway through a hook when the profile is
        // copied; three runs at once make it likelier still.
        Path classes = Programs.compile("race");
        Path dir = E2E.tempDir("race");
        List<Proc.Running> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // The third run samples: its sampler reads the stacks while the threads run, its dump copies them.
            List<String> options = new ArrayList<>(List.of("-o", dir.resolve("race" + i + ".prof").toString()));
            if (i == 2) options.addAll(List.of("--timer", "sampled", "--interval", "100us"));
            runs.add(E2E.jcprofile(jdk, options, "-cp", classes.toString(), "com.example.race.Race").dir(dir).start());
        }
        for (Proc.Running run : runs) run.waitFor().expectExit(0);
        for (int i = 0; i < 3; i++) {
            Prof p = Prof.read(dir.resolve("race" + i + ".prof"));
            for (Prof.Fn f : p.functions()) {
                assertTrue(f.tt <= f.ct + 1e-9, "own time within cumulative time: " + f);
                if (f.callers().isEmpty()) continue; // a thread's first call
                long fromCallers = 0;
                for (String count : f.callers().values()) fromCallers += Long.parseLong(count.split("/")[0]);
                assertEquals(f.nc, fromCallers, "the calls of " + f + " in " + p.file);
            }
            assertTrue(p.fn(builtin("java.lang.Math.abs")).nc > 0, p.file.toString());
        }
    }

    /** Virtual threads exist from JDK 21 on; of the JDKs tested, JDK 25 has them. */
    @Test
    void virtualThreadsAreMergedExactly() {
        Jdk jdk = Jdk.JDK25;
        Path classes = Programs.compileWith(jdk, "virtual", "--release", "21");
        for (String timer : List.of("wall", "sampled")) {
            Prof p = run(jdk, classes, "com.example.virtual.Virtual", "--timer", timer);
            assertEquals("100007", p.fn("Virtual.unit").calls(), timer);
            assertEquals("4001", p.fn("Virtual.work").calls(), timer);
            assertEquals("2000", p.fn("Virtual.task").calls(), timer);
        }
        Prof named = run(jdk, classes, "com.example.virtual.Virtual", "--threads", "^virtual-named$");
        assertEquals("7", named.fn("Virtual.unit").calls());
        assertEquals("1", named.fn("Virtual.work").calls());
        assertFalse(named.has("Virtual.task"), named.names().toString());
    }

    // ------------------------------------------------------------------ what is instrumented

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void builtinsOff(Jdk jdk) {
        Prof p = ScenarioRuns.profile(jdk, "--builtins", "off");
        for (Prof.Fn f : p.functions()) assertFalse(f.key.isBuiltin(), f.toString());
        // With the JDK's methods out of the picture, a callback is called by the method that called the JDK.
        Prof.Fn compare = p.fn("Scenarios$ByLength.compare");
        assertEquals(Map.of("Scenarios.builtins", compare.calls()), compare.callers());
        assertEquals(Map.of("Scenarios.exceptions", "1"), p.fnStartingWith("Scenarios.lambda$exceptions$").callers());
        assertEquals(Map.of("Scenarios.builtins", "1"), p.fn("Scenarios$Task.run").callers());
        assertEquals("12/1", p.fn("Scenarios.fact").calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void excludedClassesBecomeBuiltins(Jdk jdk) {
        Prof p = ScenarioRuns.profile(jdk, "--exclude", "com.example.sem.Scenarios$Config");
        assertEquals(Map.of("Scenarios.statics", "2"), p.fn(builtin("com.example.sem.Scenarios$Config.get")).callers());
        assertFalse(p.has("Scenarios$Config.<clinit>"), p.names().toString());
        assertFalse(p.has("Scenarios$Config.load"), p.names().toString());
        assertFalse(p.has(method("get", "java.util.Map")), p.names().toString());
        assertEquals("12/1", p.fn("Scenarios.fact").calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void includeAsAgentOption(Jdk jdk) {
        Path dir = E2E.tempDir("include");
        Path out = dir.resolve("include.prof");
        E2E.javaWithAgent(jdk, "o=" + out + ",include=com.example.sem.Names;com.example.sem.NoDebug",
                "-cp", ScenarioRuns.classPath(), ScenarioRuns.MAIN).dir(dir).run().expectExit(0);
        Prof p = Prof.read(out);
        for (Prof.Fn f : p.functions()) {
            String name = f.key.name();
            assertTrue(name.startsWith("Names") || name.startsWith("NoDebug") || f.key.isBuiltin(), f.toString());
        }
        // Called from code that is not instrumented: no recorded caller.
        assertEquals(Map.of(), p.fn("Names.run").callers());
        assertEquals(Map.of("NoDebug.run", "1"), p.fn("NoDebug.helper(int)").callers());
        assertEquals(Map.of("Names.run", "1", "Names$Widget.<init>", "1"), p.fn("Names$Widget.grow").callers());
    }

    /** JDK classes are never instrumented: a pattern of theirs would profile nothing, and says why at once. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void jdkPatternsToIncludeAreAnsweredAtOnce(Jdk jdk) {
        Path dir = E2E.tempDir("include-jdk");
        String classes = Programs.compile("exits").toString();
        String main = "com.example.exits.Exits";
        String line = "option include: 'com.sun.tools.javac.**' names JDK classes, which --include does not instrument: "
                + "calls into them are recorded as built-ins (--jdk instruments them)\n";
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", "x.prof", "--include", "com.example.**", "--include", "com.sun.tools.javac.**"),
                "-cp", classes, main, "normal").dir(dir).run().expectExit(2);
        assertEquals("", r.stdout(), r.toString());
        assertEquals("jcprofile: " + line, r.stderr());

        Proc.Result plain = E2E.java(jdk, "-cp", classes, main, "normal").dir(dir).run().expectExit(0);
        Proc.Result agent = E2E.javaWithAgent(jdk, "include=java.util.*", "-cp", classes, main, "normal").dir(dir).run().expectExit(0);
        assertEquals(plain.stdout(), agent.stdout());
        assertEquals("jcprofile: not profiling: " + line.replace("com.sun.tools.javac.**", "java.util.*") + plain.stderr(), agent.stderr());
    }

    // ------------------------------------------------------------------ timers

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void cpuTimerLeavesSleepOut(Jdk jdk) {
        Path classes = Programs.compile("cpu");
        Prof cpu = run(jdk, classes, "com.example.cpu.CpuWork", "-q", "--timer", "cpu"); // -q: not its note on the cost
        // spin() burns 0.3 s of its thread's CPU time by that thread's own clock, the one the cpu timer reads.
        assertTrue(cpu.fn("CpuWork.spin").ct >= 0.299, cpu.fn("CpuWork.spin").toString());
        // A sleeping thread uses next to no CPU time.
        double nap = cpu.fn("CpuWork.nap").ct;
        assertTrue(nap < 0.1 && nap < cpu.fn("CpuWork.spin").ct / 3, cpu.fn("CpuWork.nap").toString());
        assertTrue(cpu.fn(builtin("java.lang.Thread.sleep")).ct <= nap, cpu.fn(builtin("java.lang.Thread.sleep")).toString());

        Prof wall = run(jdk, classes, "com.example.cpu.CpuWork");
        // By the wall clock the same sleep lasts its 0.3 s.
        assertTrue(wall.fn("CpuWork.nap").ct >= 0.29, wall.fn("CpuWork.nap").toString());
    }
}
