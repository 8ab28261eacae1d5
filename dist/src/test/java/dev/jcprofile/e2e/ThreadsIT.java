package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads alive at once in a bounded heap (src/test/programs/waiting), and {@code %T}: one profile per
 * thread (src/test/programs/churn's sixty-four threads).
 */
@Execution(ExecutionMode.CONCURRENT)
class ThreadsIT {
    private static final String WAITING = "com.example.waiting.Waiting", CHURN = "com.example.churn.Churn";

    /**
     * JDK 25: 100,000 virtual threads alive at once; JDK 17, which has none: 2,000 platform threads. The heap is
     * the same with and without the profiler (see docs/reliability.md for what each needs).
     */
    static Stream<Arguments> waiting() {
        return Stream.of(Arguments.of(Jdk.JDK17, "platform", 2000, "-Xmx64m"),
                Arguments.of(Jdk.JDK25, "virtual", 100_000, HEAP_100K_VIRTUAL));
    }

    /** The heap given to 100,000 virtual threads waiting, with and without the profiler. */
    static final String HEAP_100K_VIRTUAL = "-Xmx320m";

    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("waiting")
    void manyThreadsWaitingAtOnceFinishAsWithoutTheProfiler(Jdk jdk, String kind, int count, String heap) {
        Path dir = E2E.tempDir("waiting-" + kind);
        String cp = Programs.compile("waiting").toString();
        String[] args = {heap, "-cp", cp, WAITING, Integer.toString(count), kind};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        Path out = dir.resolve("waiting.prof");
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(0);
        assertEquals(count + " " + kind + " threads waiting\nall done\n", plain.stdout(), plain.toString());
        assertEquals(plain.stdout(), profiled.stdout(), profiled.toString());
        assertArrayEquals(plain.err, profiled.err, profiled.toString());
        Prof p = Prof.read(out);
        p.checkConsistent();
        assertEquals(Integer.toString(count), p.fn("Waiting.task").calls());
        assertEquals(Integer.toString(count), p.fn("Waiting.work").calls());
        // Thread i calls unit i % 4 times: 0 + 1 + 2 + 3 every four threads.
        assertEquals(Map.of("Waiting.work", Integer.toString(count / 4 * 6)), p.fn("Waiting.unit").callers());
        assertEquals(Map.of("Waiting.task", Integer.toString(count), "Waiting.main", "1"),
                p.fn(Prof.method("await", "java.util.concurrent.CountDownLatch")).callers());
    }

    /**
     * What the profiler holds per live thread that called a few functions (each waiting thread called 4 functions
     * through 4 edges, 3 calls open): its state, its tables and its thread-local entry, from a heap histogram the
     * program takes with every thread waiting, against the same classes' bytes without the profiler. Measured
     * 920 bytes (docs/reliability.md); before the tables were laid out one array of ints and one of longs each,
     * 1,320.
     */
    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("waiting")
    void aWaitingThreadCostsUnderAKilobyte(Jdk jdk, String kind, int count, String heap) throws IOException {
        Path dir = E2E.tempDir("waiting-histogram-" + kind);
        assertBytesAThreadUnder(1000, jdk, kind, count, dir, List.of("-o", dir.resolve("w.prof").toString()));
    }

    /**
     * A thread the session does not record ({@code --threads main}) costs its state alone, without tables, and its
     * thread-local entry: about 340 bytes (docs/reliability.md); 920 when it made the same tables as a recorded one.
     */
    @ParameterizedTest(name = "{0} {2} {1}")
    @MethodSource("waiting")
    void aWaitingThreadTheSessionDoesNotRecordHasNoTables(Jdk jdk, String kind, int count, String heap) throws IOException {
        Path dir = E2E.tempDir("waiting-unrecorded-histogram-" + kind);
        Path out = dir.resolve("w.prof");
        assertBytesAThreadUnder(400, jdk, kind, count, dir, List.of("-o", out.toString(), "--threads", "main"));
        // Main alone was recorded: its await, none of the threads' tasks.
        Prof p = Prof.read(out);
        assertEquals(Map.of("Waiting.main", "1"), p.fn(Prof.method("await", "java.util.concurrent.CountDownLatch")).callers());
        assertTrue(!p.has("Waiting.task"), "an unrecorded thread's calls in the profile");
    }

    /**
     * Runs the waiting program with and without the profiler ({@code options}), each taking a heap histogram with
     * every thread waiting, and holds the profiler's bytes a thread (its states, tables and thread-local map
     * entries, less the same classes without it) under {@code limit}.
     */
    private static void assertBytesAThreadUnder(long limit, Jdk jdk, String kind, int count, Path dir, List<String> options)
            throws IOException {
        String cp = Programs.compile("waiting").toString();
        Path plainHistogram = dir.resolve("plain.histogram"), profiledHistogram = dir.resolve("profiled.histogram");
        E2E.java(jdk, "-Xmx512m", "-cp", cp, WAITING, Integer.toString(count), kind, "histogram=" + plainHistogram)
                .dir(dir).run().expectExit(0);
        Proc.Result r = E2E.jcprofile(jdk, options, "-Xmx512m", "-cp", cp,
                WAITING, Integer.toString(count), kind, "histogram=" + profiledHistogram).dir(dir).run().expectExit(0);
        Map<String, Long> plain = histogram(plainHistogram), profiled = histogram(profiledHistogram);
        // A state for each waiting thread and main, and the hooks' one for threads not recording yet.
        assertEquals(count + 2, instances(profiledHistogram, "dev.jcprofile.runtime.ThreadState"), r.toString());
        long bytes = 0;
        for (String c : PER_THREAD_CLASSES) bytes += profiled.getOrDefault(c, 0L) - plain.getOrDefault(c, 0L);
        long perThread = bytes / count;
        assertTrue(perThread > 0 && perThread < limit, perThread + " bytes a thread: " + profiled + " against " + plain);
    }

    /** The classes of a thread's state, its tables and its thread-local map entry. */
    private static final List<String> PER_THREAD_CLASSES = List.of("dev.jcprofile.runtime.ThreadState", "[J", "[I",
            "java.lang.ThreadLocal$ThreadLocalMap", "java.lang.ThreadLocal$ThreadLocalMap$Entry",
            "[Ljava.lang.ThreadLocal$ThreadLocalMap$Entry;");

    /** Bytes by class name, from the lines {@code N: INSTANCES BYTES NAME (MODULE)} of a class histogram. */
    private static Map<String, Long> histogram(Path file) throws IOException {
        Map<String, Long> bytes = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].matches("\\d+:")) bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
        }
        return bytes;
    }

    private static long instances(Path file, String name) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].matches("\\d+:") && f[3].equals(name)) return Long.parseLong(f[1]);
        }
        return 0;
    }

    /**
     * The hooks find a thread's state by the thread's id (the runtime's {@code Hooks.BY_ID}), which the agent makes
     * possible by opening java.lang to the runtime at start: each recording thread's state is in its slot, read by
     * the program itself through reflection. Were java.lang not opened (a JDK that refused, a start-up that opened it
     * too late), every lookup would take the thread-local: as right, and slower, and this would say "none".
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void eachRecordingThreadsStateIsFoundByItsId(Jdk jdk) {
        String source = """
                package com.example.byid;

                import java.lang.reflect.Field;

                public class ById {
                    static int work(int x) { return x + 1; }

                    static String check() throws Exception {
                        work(1);
                        Class<?> hooks = Class.forName("dev.jcprofile.runtime.Hooks", false, null);
                        Field f = hooks.getDeclaredField("BY_ID");
                        f.setAccessible(true);
                        Object[] byId = (Object[]) f.get(null);
                        Object s = byId[(int) Thread.currentThread().getId() & (byId.length - 1)];
                        Field thread = s.getClass().getDeclaredField("thread");
                        thread.setAccessible(true);
                        Object owner = thread.get(s);
                        return owner == Thread.currentThread() ? "cached" : owner == null ? "none" : "another's";
                    }

                    public static void main(String[] args) throws Exception {
                        String[] seen = new String[4];
                        Thread[] threads = new Thread[3];
                        for (int i = 0; i < threads.length; i++) {
                            int k = i;
                            threads[i] = new Thread(() -> {
                                try {
                                    seen[k] = check();
                                } catch (Exception e) {
                                    seen[k] = e.toString();
                                }
                            });
                            threads[i].start();
                        }
                        for (Thread t : threads) t.join();
                        seen[3] = check();
                        System.out.println(String.join(" ", seen));
                    }
                }
                """;
        Path cp = Programs.compileGenerated("by-id", Map.of("com/example/byid/ById.java", source));
        Path dir = E2E.tempDir("by-id");
        for (String timer : List.of("wall", "sampled")) {
            Proc.Result r = E2E.jcprofile(jdk, List.of("-o", dir.resolve(timer + ".prof").toString(), "--timer", timer),
                    "-cp", cp.toString(), "com.example.byid.ById").dir(dir).run().expectExit(0);
            assertEquals("cached cached cached cached\n", r.stdout(), r.toString());
        }
    }

    /**
     * {@code -o t-%T.prof}: a file per thread that called anything, named after the thread and its id, holding
     * that thread's calls alone; added together (by jpstats on all the files, as by pstats), the figures of one
     * profile of the whole run.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void percentTWritesOneProfilePerThread(Jdk jdk) throws IOException {
        Path dir = E2E.tempDir("per-thread");
        String cp = Programs.compile("churn", "-cp", E2E.AGENT.toString()) + ":" + E2E.AGENT;
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", dir.resolve("t-%T.prof").toString()), "-cp", cp, CHURN,
                "sixty-four").dir(dir).run().expectExit(0);
        assertEquals("64 threads done\n", r.stdout(), r.toString());
        assertEquals("", r.stderr(), r.toString());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("t-")).sorted().collect(Collectors.toList());
        }
        assertEquals(65, files.size(), files.toString());
        Map<String, Long> summed = new TreeMap<>();
        List<Path> workers = new ArrayList<>();
        Path main = null;
        for (Path f : files) {
            String name = f.getFileName().toString();
            assertTrue(name.matches("t-(main|sixty-four-\\d+)-\\d+\\.prof"), name);
            Prof p = Prof.read(f);
            p.checkConsistent();
            for (Prof.Fn fn : p.functions()) summed.merge(fn.key.toString(), fn.nc, Long::sum);
            if (name.startsWith("t-main-")) {
                main = f;
                assertEquals("1", p.fn("Churn.sixtyFour").calls());
                assertTrue(p.names().stream().noneMatch(n -> n.contains("Churn.task")), p.names().toString());
            } else {
                workers.add(f);
                // Each worker's file: its one task, nobody else's.
                assertEquals("1", p.fn("Churn.task").calls(), name);
                assertEquals(Map.of("Churn.work", "5000"), p.fn("Churn.unit").callers(), name);
                assertTrue(p.names().stream().noneMatch(n -> n.contains("Churn.sixtyFour")), name);
            }
        }
        assertTrue(main != null, files.toString());
        assertEquals(64, workers.size());

        // The same run, one profile: every function's calls are the per-thread files' added.
        Path whole = dir.resolve("whole.prof");
        E2E.jcprofile(jdk, List.of("-o", whole.toString()), "-cp", cp, CHURN, "sixty-four").dir(dir).run().expectExit(0);
        Map<String, Long> expected = new TreeMap<>();
        for (Prof.Fn fn : Prof.read(whole).functions()) expected.put(fn.key.toString(), fn.nc);
        assertEquals(expected, summed);

        // jpstats adds the files as pstats does: the same totals line as python3's.
        List<String> command = new ArrayList<>(List.of(E2E.JPSTATS.toString()));
        for (Path f : files) command.add(f.getFileName().toString());
        String jp = Proc.of(command).jdk(jdk).dir(dir).stdin("stats 0\n").run().expectExit(0).stdout();
        List<String> py = new ArrayList<>(List.of("python3", "-m", "pstats"));
        for (Path f : files) py.add(f.getFileName().toString());
        String cpython = Proc.of(py).dir(dir).stdin("stats 0\n").run().expectExit(0).stdout();
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(jp.contains(" " + total + " function calls"), jp);
        assertEquals(callsLine(cpython), callsLine(jp));
    }

    /** The "N function calls (M primitive calls) in" part of a stats header, times left out. */
    private static String callsLine(String stats) {
        for (String line : stats.split("\n")) {
            int in = line.indexOf(" in ");
            if (line.contains("function calls") && in > 0) return line.substring(0, in);
        }
        throw new AssertionError("no totals line in " + stats);
    }
}
