package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads by the dozen at once, by the hundred thousand one after another, started and ended while the profile is
 * taken, and the program's own shutdown hooks (src/test/programs/churn).
 */
@Execution(ExecutionMode.CONCURRENT)
class ConcurrencyIT {
    private static final String MAIN = "com.example.churn.Churn";

    private static String classPath() {
        return Programs.compile("churn", "-cp", E2E.AGENT.toString()) + ":" + E2E.AGENT;
    }

    /** The profile of the program's case {@code name}, run under jcprofile: exit 0, {@code stdout}, nothing on stderr. */
    private static Prof profileOfCase(Jdk jdk, String name, String stdout) {
        Path dir = E2E.tempDir(name);
        Path out = dir.resolve(name + ".prof");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", out.toString()), "-cp", classPath(), MAIN, name)
                .dir(dir).run().expectExit(0);
        assertEquals(stdout, r.stdout(), r.toString());
        assertEquals("", r.stderr(), r.toString());
        return Prof.read(out);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void sixtyFourThreadsAtOnceAreCountedExactly(Jdk jdk) {
        Prof p = profileOfCase(jdk, "sixty-four", "64 threads done\n");
        // The 64 threads wait at a barrier, then each makes 5000 + 1100 + 100 calls into the same functions.
        assertEquals("64", p.fn("Churn.task").calls());
        assertEquals(Map.of("Churn.work", "320000"), p.fn("Churn.unit").callers());
        assertEquals(Prof.count(70400, 6400), p.fn("Churn.rec").calls());
        assertEquals(Map.of("Churn.task", "6400", "Churn.rec", Prof.count(64000, 6400)), p.fn("Churn.rec").callers());
        assertEquals(Map.of("Churn.task", "3200"), p.fn("Churn.fail").callers());
        assertEquals(Map.of("Churn.task", "3200"), p.fn("Churn.afterFailure").callers());
        p.checkConsistent();
    }

    /** 100,000 threads on each JDK: platform threads on JDK 17, virtual threads (from JDK 21 on) on JDK 25. */
    static Stream<Arguments> manyThreads() {
        return Stream.of(Arguments.of(Jdk.JDK17, "platform", 50), Arguments.of(Jdk.JDK25, "virtual", 1000));
    }

    /**
     * A finished thread's tables are folded into the session's totals and dropped: with 100,000 threads in a heap
     * of 32 MB (each thread's tables take some 5 KB, so keeping them would need 500 MB), the live per-thread states
     * counted by a heap histogram after each quarter stay within one wave of threads plus the 256 registrations
     * between two folds, however many threads have finished; and every call is counted.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("manyThreads")
    void hundredThousandThreadsInBoundedMemory(Jdk jdk, String kind, int wave) {
        Path dir = E2E.tempDir("many-" + kind);
        Path out = dir.resolve("many.prof");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", out.toString()), "-Xmx32m", "-cp", classPath(), MAIN,
                "many", "100000", Integer.toString(wave), kind).dir(dir).run().expectExit(0);
        assertEquals("100000 " + kind + " threads done\n", r.stdout(), r.toString());
        Matcher m = Pattern.compile("after (\\d+) threads: (\\d+) ThreadState\n").matcher(r.stderr());
        List<Integer> checkpoints = new ArrayList<>();
        while (m.find()) {
            checkpoints.add(Integer.parseInt(m.group(1)));
            assertTrue(Long.parseLong(m.group(2)) <= wave + 256 + 16, "live per-thread states: " + r.stderr());
        }
        assertEquals(4, checkpoints.size(), r.toString());
        Prof p = Prof.read(out);
        assertEquals("100000", p.fn("Churn.shortTask").calls());
        assertEquals(Map.of("Churn.work", "1000000"), p.fn("Churn.unit").callers());
        p.checkConsistent();
    }

    /**
     * Thirty Profile API dumps while a thread keeps starting short threads: each dump is consistent, no count
     * goes down from one dump to the next, and the last, taken after they all ended, counts every call.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void dumpsWhileThreadsStartAndEnd(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("dumps");
        int dumps = 30;
        Proc.Result r = E2E.javaWithAgent(jdk, "api", "-cp", classPath(), MAIN, "dumps", dir.toString(),
                Integer.toString(dumps)).dir(dir).run().expectExit(0);
        assertEquals(dumps + " dumps taken while threads started and ended\n", r.stdout(), r.toString());
        assertEquals("", r.stderr(), r.toString());
        long previousWork = 0, previousUnit = 0;
        for (int i = 0; i < dumps; i++) {
            Prof p = Prof.read(dir.resolve("dump-" + i + ".prof"));
            p.checkConsistent();
            long work = p.fn("Churn.work").nc, unit = p.fn("Churn.unit").nc;
            // A call open at the dump is closed there, so a work call may hold fewer than its 100 units.
            assertTrue(unit <= 100 * work, p.fn("Churn.unit") + " " + p.fn("Churn.work"));
            assertTrue(work >= previousWork && unit >= previousUnit, "dump " + i + " went back: " + work + " " + unit);
            previousWork = work;
            previousUnit = unit;
        }
        long started = Long.parseLong(Files.readString(dir.resolve("started.txt")));
        assertTrue(started >= 40 * dumps, "threads started: " + started);
        Prof last = Prof.read(dir.resolve("final.prof"));
        last.checkConsistent();
        assertEquals(Long.toString(started), last.fn("Churn.work").calls());
        assertEquals(Map.of("Churn.work", Long.toString(100 * started)), last.fn("Churn.unit").callers());
        assertEquals(Long.toString(started), last.fnStartingWith("Churn$Churner.lambda$run$").calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void profileWrittenAtExitWhileThreadsStartAndEnd(Jdk jdk) {
        Prof p = profileOfCase(jdk, "exit-churn", "exiting while threads start and end\n");
        p.checkConsistent();
        // The program exits once 2,000 threads have started, in batches of 8 each joined before the next starts:
        // the 1,992 of the batches before the last have all run work; the last 8 may not have reached it.
        assertTrue(p.fn("Churn.work").nc >= 1992, p.fn("Churn.work").toString());
        assertTrue(p.fn("Churn.unit").nc <= 100 * p.fn("Churn.work").nc, p.fn("Churn.unit").toString());
        // Each thread's lambda calls work once; a thread of the last batch may be inside its lambda, not yet in
        // work, when the dump copies it (its open call closed there, as disable() closes it).
        long lambdas = p.fnStartingWith("Churn$Churner.lambda$run$").nc, work = p.fn("Churn.work").nc;
        assertTrue(work <= lambdas && lambdas <= work + 8, lambdas + " lambda calls, " + work + " work calls");
    }

    static Stream<Arguments> endings() {
        return Jdk.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, "normal", 0), Arguments.of(jdk, "exit", 7),
                Arguments.of(jdk, "throw", 1)));
    }

    /** The program's shutdown hooks run beside the profiler's: their output, then the program's exit code. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endings")
    void programsShutdownHooksStillRun(Jdk jdk, String end, int exit) {
        Path dir = E2E.tempDir("hooks-" + end);
        Path out = dir.resolve("hooks.prof");
        String[] args = {"-cp", classPath(), MAIN, "hooks", end};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(exit);
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(exit);
        // Hooks run concurrently, in no set order: the same lines, in whatever order they came.
        assertEquals(sortedLines(plain.stdout()), sortedLines(profiled.stdout()), profiled.toString());
        assertEquals(List.of("hook 1 ran", "hook 2 ran after its sleep", "main ends: " + end), sortedLines(profiled.stdout()));
        assertArrayEquals(plain.err, profiled.err, profiled.toString());
        Prof p = Prof.read(out);
        assertEquals("1", p.fn("Churn.main").calls());
        assertEquals("1", p.fn("Churn.work").callers().get("Churn.hooks"));
        p.checkConsistent();
    }

    /**
     * A hook of the program's that halts the JVM races the profiler's: the exit code is the program's, and the
     * profile is either not written or whole, never a part of one.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void programsHookThatHaltsKeepsItsExitCode(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("hooks-halt");
        Path out = dir.resolve("hooks.prof");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", out.toString()), "-cp", classPath(), MAIN, "hooks", "halt")
                .dir(dir).run().expectExit(5);
        assertTrue(r.stdout().startsWith("main ends: halt\n") && r.stdout().contains("hook 3 halts\n"), r.toString());
        assertEquals("", r.stderr(), r.toString());
        if (Files.exists(out)) Prof.read(out).checkConsistent();
    }

    private static List<String> sortedLines(String s) {
        return s.lines().sorted().collect(Collectors.toList());
    }
}
