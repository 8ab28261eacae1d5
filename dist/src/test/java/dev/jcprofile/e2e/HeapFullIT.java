package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A program that fills the heap and then calls methods it never called before, which allocate nothing: only the
 * profiler allocates then (its tables grow for the new functions and edges). The program must not see the
 * profiler's OutOfMemoryError: it runs as without the profiler, the thread stops being recorded at that point,
 * its calls until then are in the profile, and standard error says so in one line.
 */
@Execution(ExecutionMode.CONCURRENT)
class HeapFullIT {
    private static final int METHODS = 64;
    private static final String MAIN = "com.example.full.Full";
    /**
     * Tests run side by side, and {@code jcprofile list} (AttachIT) attaches to every JVM of the user: a JVM whose
     * heap is full then prints "Exception in VM (AttachListener::init) : java.lang.OutOfMemoryError" on its
     * standard output, which was seen once, with and without the profiler alike. These JVMs refuse attaching.
     */
    private static final String NO_ATTACH = "-XX:+DisableAttachMechanism";

    /**
     * The source of the programs' {@code fill()}: the heap filled with blocks from 1 MB down to {@code smallest}
     * bytes, each size until it no longer fits.
     */
    private static String fillMethod(int smallest) {
        return """
                    static void fill() {
                        for (int size = 1 << 20; size >= %d; size /= 2) {
                            while (true) {
                                try {
                                    blocks.add(new byte[size]);
                                } catch (OutOfMemoryError e) {
                                    break;
                                }
                            }
                        }
                    }
                """.formatted(smallest);
    }

    private static Path classes() {
        StringBuilder b = new StringBuilder("package com.example.full;\n\nimport java.util.ArrayList;\n\n"
                + "public class Full {\n");
        for (int i = 0; i < METHODS; i++) b.append("    static int m").append(i).append("(int x) { return x + ").append(i).append("; }\n");
        b.append("    static int callAll(int x) {\n");
        for (int i = 0; i < METHODS; i++) b.append("        x = m").append(i).append("(x);\n");
        b.append("        return x;\n    }\n");
        b.append("    static ArrayList<Object> blocks = new ArrayList<>();\n\n");
        b.append("    // Fills the heap down to its last few bytes; every call it makes was made once before.\n");
        b.append(fillMethod(16));
        b.append("""

                    static void pause(long millis) {
                        try {
                            Thread.sleep(millis);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    public static void main(String[] args) {
                        blocks.ensureCapacity(1 << 20); // the list never grows while the heap is full
                        blocks.add(new byte[16]);
                        // Its calls made before the heap is full, twice: a call again makes the profiler's edge
                        // cache, which the pause between the fills would otherwise need then.
                        pause(1);
                        pause(1);
                        int x;
                        try {
                            fill();
                            // The profiler lets go of the heap it holds back once the heap has stayed exhausted
                            // for a second (the runtime's HeapReserve): the second fill takes that room too.
                            pause(3000);
                            fill();
                            x = callAll(1);
                        } finally {
                            blocks = null;
                            // A breath before the next allocation: the fills spend nearly all their time in
                            // collections, and from JDK 25 on G1 fails an allocation once collections have taken
                            // 98 % of the time with 2 % free for 5 in a row (UseGCOverheadLimit) even when the
                            // last one freed the heap. The profiler's classes make each full collection longer
                            // (docs/reliability.md, "The GC overhead limit"), which crossed it on loaded machines.
                            pause(200);
                        }
                        System.out.println("called " + x);
                    }
                }
                """);
        return Programs.compileGenerated("heap-full", Map.of("com/example/full/Full.java", b.toString()));
    }

    static Stream<Arguments> jdksAndModes() {
        List<Arguments> all = new ArrayList<>();
        Jdk.all().forEach(jdk -> {
            all.add(Arguments.of(jdk, List.of("--timer", "wall")));
            all.add(Arguments.of(jdk, List.of("--timer", "sampled", "--tree")));
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndModes")
    void theProfilersOutOfMemoryErrorNeverReachesTheProgram(Jdk jdk, List<String> mode) {
        Path dir = E2E.tempDir("heap-full");
        String[] args = {NO_ATTACH, "-Xmx32m", "-cp", classes().toString(), MAIN};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        int sum = 1;
        for (int i = 0; i < METHODS; i++) sum += i;
        assertEquals("called " + sum + "\n", plain.stdout(), plain.toString());

        Path out = dir.resolve("full.prof");
        List<String> options = new ArrayList<>(List.of("-o", out.toString()));
        options.addAll(mode);
        Proc.Result profiled = E2E.jcprofile(jdk, options, args).dir(dir).run().expectExit(0);
        assertEquals(plain.stdout(), profiled.stdout(), profiled.toString());
        // One line for the thread; the sampler may also have lost samples while the heap was full.
        String stopped = "jcprofile: 1 thread(s) stopped being recorded partway: the heap had no room for their tables"
                + " to grow (OutOfMemoryError); the profile has their calls up to then, those open closed then\n";
        String stderr = profiled.stderr().replaceAll("jcprofile: \\d+ sample\\(s\\) lost: [^\n]*\n", "");
        assertEquals(stopped, stderr, profiled.toString());

        Prof p = Prof.read(out);
        p.checkConsistent();
        assertEquals("1", p.fn("Full.main").calls(), "main was open when the thread stopped: closed then");
        assertEquals("2", p.fn("Full.fill").calls());
        // The thread stopped before the last of the new calls: the heap had no room for them all.
        int recorded = 0;
        for (Prof.Fn f : p.functions()) {
            if (f.key.name().matches("Full\\.m\\d+")) {
                recorded++;
                assertEquals("1", f.calls(), f.key.toString());
            }
        }
        assertTrue(recorded < METHODS, recorded + " of the " + METHODS + " new methods recorded");
    }

    /**
     * A program that fills the heap and then sleeps: the JVM's dispatch of SIGTERM needs a new Thread and, with no
     * byte left, drops the signal (without the profiler too: "Exception java.lang.OutOfMemoryError occurred
     * dispatching signal SIGTERM to handler"). The profiler lets go of the heap it held back once the heap stays
     * exhausted (the runtime's HeapReserve): the signal then ends the program, whose profile is written.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void aFullHeapStillHonoursSigtermAndTheProfileIsWritten(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("heap-full-term");
        Path classes = Programs.compileGenerated("heap-full-term", Map.of("com/example/full/Stuck.java", """
                package com.example.full;

                import java.util.ArrayList;

                public class Stuck {
                    static ArrayList<Object> blocks = new ArrayList<>();

                    static int work(int x) { return x + 1; }

                    // Down to blocks of 4 KB: no block of 8 KB fits after it, and it is quick (the smaller the
                    // blocks, the more full collections), so the heap is not still filling when it is found full.
                """ + fillMethod(4096) + """

                    public static void main(String[] args) {
                        blocks.ensureCapacity(1 << 20);
                        int x = 0;
                        for (int i = 0; i < 1000; i++) x = work(x);
                        // Made before the heap is full: the first string concatenation links its call site, which
                        // allocates far more than the line.
                        String ready = "ready " + x;
                        fill();
                        // Room for one line, then full again, for good.
                        for (int k = 0; k < 64 && blocks.size() > 1; k++) blocks.remove(blocks.size() - 1);
                        System.out.println(ready);
                        fill();
                        while (true) {
                            try {
                                Thread.sleep(1000);
                            } catch (Throwable t) {
                                // asleep again
                            }
                        }
                    }
                }
                """));
        Path out = dir.resolve("stuck.prof");
        Proc.Running running = E2E.jcprofile(jdk, List.of("-o", out.toString()), NO_ATTACH, "-Xmx32m", "-cp", classes.toString(),
                "com.example.full.Stuck").dir(dir).start();
        running.awaitStdout("ready 1000\n");
        // The reserve goes once the heap has stayed exhausted for a second; a signal sent before then is lost,
        // as without the profiler, and is sent again (at most twice more).
        Thread.sleep(3000);
        int sent = 0;
        do {
            running.signal("TERM");
            sent++;
        } while (!running.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) && sent < 3);
        if (running.process.isAlive()) running.process.destroyForcibly();
        Proc.Result r = running.waitFor();
        assertEquals(143, r.exit, sent + " SIGTERM sent: " + r);
        Prof p = Prof.read(out);
        p.checkConsistent();
        assertEquals("1000", p.fn("Stuck.work").calls(), r.toString());
        assertEquals("1", p.fn("Stuck.main").calls());
    }
}
