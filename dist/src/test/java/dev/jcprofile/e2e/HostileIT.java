package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jcprofile.e2e.Prof.builtin;
import static dev.jcprofile.e2e.Prof.method;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code that is hard on a profiler (src/test/programs/hostile): each part runs with and without the profiler, with
 * -Xverify:all, and must print the same bytes and end the same way; the profile must be exact and consistent.
 */
@Execution(ExecutionMode.CONCURRENT)
class HostileIT {
    private static final String MAIN = "com.example.hostile.Hostile";

    private static String classes() {
        return Programs.compile("hostile").toString();
    }

    /** The plugin, compiled as a named module: a URLClassLoader takes the same directory as a class path. */
    private static String plugin() {
        return Programs.compile("hostile-plugin").toString();
    }

    private static final class Runs {
        final Proc.Result plain, profiled;
        final Prof prof;

        Runs(Proc.Result plain, Proc.Result profiled, Prof prof) {
            this.plain = plain;
            this.profiled = profiled;
            this.prof = prof;
        }
    }

    /** Runs {@code javaArgs} without and with the profiler: same standard output, same exit code 0. */
    private static Runs bothWays(Jdk jdk, String name, String... javaArgs) {
        Path dir = E2E.tempDir(name);
        Path out = dir.resolve(name + ".prof");
        Proc.Result plain = E2E.java(jdk, javaArgs).dir(dir).run().expectExit(0);
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), javaArgs).dir(dir).run().expectExit(0);
        assertArrayEquals(plain.out, profiled.out, "stdout\n" + plain + "\n" + profiled);
        return new Runs(plain, profiled, Prof.read(out));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void exceptionsThroughHundredsOfFrames(Jdk jdk) {
        Runs r = bothWays(jdk, "exceptions", "-cp", classes(), MAIN, "exceptions");
        assertArrayEquals(r.plain.err, r.profiled.err, r.profiled.toString());
        assertTrue(r.profiled.stdout().contains("\tat com.example.hostile.Exceptions.bottom(Exceptions.java:"), r.profiled.toString());
        Prof p = r.prof;
        // 4 threads x 1000 rounds, and the one printed trace: 4001 chains of 301 calls of down.
        assertEquals(Prof.count(4001 * 301, 4001), p.fn("Exceptions.down").calls());
        assertEquals(Prof.callers("Exceptions.down", Prof.count(4001 * 300, 4001), "Exceptions.round", "4000", "Exceptions.run", "1"),
                p.fn("Exceptions.down").callers());
        assertEquals(Prof.callers("Exceptions.down", "4001"), p.fn("Exceptions.bottom").callers());
        // Rounds 1 and 2 mod 3 reach parseInt; rounds 0 and 1 mod 3 throw, and their calls after the catch
        // belong to round, not to any of the 301 frames the exception left.
        assertEquals(Prof.callers("Exceptions.bottom", "2664"), p.fn(builtin("java.lang.Integer.parseInt")).callers());
        assertEquals(Prof.callers("Exceptions.round", "2668"), p.fn("Exceptions.afterCatch").callers());
        assertEquals(Prof.callers("Exceptions.down", "12003"), p.fn("Exceptions.inFinally").callers());
        p.checkConsistent();
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void stackOverflowAtEveryDepth(Jdk jdk) {
        // The stack bin/jcprofile would give (eight times the default) would only make every dive eight times longer.
        Runs r = bothWays(jdk, "overflow", "-Xss1m", "-cp", classes(), MAIN, "overflow");
        Matcher m = Pattern.compile("dives (\\d+), overflows in the profiler's code (\\d+)\n").matcher(r.profiled.stderr());
        assertTrue(m.find(), r.profiled.toString());
        long dives = Long.parseLong(m.group(1));
        // The 400 starts put the overflow at every point of a call: some struck while the hooks were running.
        assertTrue(Integer.parseInt(m.group(2)) > 0, r.profiled.toString());
        Prof p = r.prof;
        assertEquals(Prof.callers("Overflow.start", "400"), p.fn("Overflow.afterOverflow").callers());
        assertEquals(Prof.callers("Overflow.run", "400"), p.fn("Overflow.start").callers());
        // pad(n) recurses n times before dive: exactly 400 * 401 / 2 calls, whatever happened deeper.
        assertEquals(Prof.count(80200, 400), p.fn("Overflow.pad").calls());
        Prof.Fn dive = p.fn("Overflow.dive");
        assertEquals(400, dive.cc, dive.toString());
        // A call the overflow stopped after its enter hook but before its first statement counts as a call that
        // the program's own counter missed: at most one per overflow.
        assertTrue(dive.nc >= dives && dive.nc <= dives + 400, dives + " dives counted by the program; " + dive);
        p.checkConsistent();
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void failingStaticInitializersFailAsWithoutTheProfiler(Jdk jdk) {
        Runs r = bothWays(jdk, "clinit", "-cp", classes(), MAIN, "clinit");
        assertArrayEquals(r.plain.err, r.profiled.err, r.profiled.toString());
        String out = r.profiled.stdout();
        assertTrue(out.contains("Broken first:\njava.lang.ExceptionInInitializerError\n"), out);
        assertTrue(out.contains("Broken again:\njava.lang.NoClassDefFoundError: Could not initialize class "
                + "com.example.hostile.ClassInit$Broken\n"), out);
        assertTrue(out.contains("BrokenConstant in another thread:\njava.lang.NoClassDefFoundError"), out);
        Prof p = r.prof;
        // Each initializer ran once; the later uses failed without running it again.
        assertEquals(Prof.callers("ClassInit$Broken.<clinit>", "1", "ClassInit$BrokenEnum.<clinit>", "1",
                "ClassInit$BrokenConstant.<clinit>", "1"), p.fn("ClassInit.compute").callers());
        assertEquals("1", p.fn("ClassInit$Broken.<clinit>").calls());
        assertEquals("6", p.fn("ClassInit.use").calls());
        p.checkConsistent();
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void classLoadersByTheThousandAreUnloaded(Jdk jdk) throws IOException {
        int loaders = 2000;
        Path dir = E2E.tempDir("loaders");
        Path out = dir.resolve("loaders.prof");
        String[] args = {"-Xlog:class+unload=info:file=" + dir.resolve("unload-%p.log"), "-cp", classes(), MAIN,
            "loaders", plugin(), Integer.toString(loaders)};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        int plainUnloaded = pluginsUnloaded(dir);
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(0);
        int profiledUnloaded = pluginsUnloaded(dir) - plainUnloaded;
        assertArrayEquals(plain.out, profiled.out, profiled.toString());
        // Every loader was collected, and with it its plugin class: the profiler keeps none of them.
        assertTrue(profiled.stdout().contains("loaders collected " + loaders + " of " + loaders + "\n"), profiled.toString());
        assertEquals(loaders, plainUnloaded);
        assertEquals(loaders, profiledUnloaded);
        // The same class in 2000 loaders has the same functions: the profiler's table of ids did not grow.
        Matcher m = Pattern.compile("profiler ids after 10 loaders (\\d+), after " + loaders + " (\\d+)\n").matcher(profiled.stderr());
        assertTrue(m.find(), profiled.toString());
        assertEquals(m.group(1), m.group(2), profiled.toString());
        Prof p = Prof.read(out);
        assertEquals("2000", p.fn("Plug.applyAsInt").calls());
        assertEquals(Prof.callers("Plug.applyAsInt", "2000"), p.fn("Plug.triple").callers());
        assertEquals(Prof.callers("Plug.applyAsInt", "2000"), p.fnStartingWith("Plug.lambda$applyAsInt$").callers());
        p.checkConsistent();
    }

    /** Plugin classes unloaded, from the -Xlog files of the runs so far (one file per process). */
    private static int pluginsUnloaded(Path dir) throws IOException {
        int n = 0;
        try (var files = Files.list(dir)) {
            for (Path log : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("unload-"))::iterator) {
                for (String line : Files.readAllLines(log)) if (line.contains("unloading class q.Plug 0x")) n++;
            }
        }
        return n;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void generatedClasses(Jdk jdk) {
        Runs r = bothWays(jdk, "generated", "-cp", classes(), MAIN, "generated");
        assertEquals("", r.profiled.stderr(), r.profiled.toString());
        assertTrue(r.profiled.stdout().endsWith("hidden: hidden says 45 true true\n"), r.profiled.toString());
        Prof p = r.prof;
        // A proxy of a package-private interface is generated into the program's package: instrumented, it calls
        // the program's handler (a lambda), which the JDK's InvocationHandler interface calls directly.
        assertEquals(Prof.callers("Generated.run", "1"), p.fn("$Proxy0.greet").callers());
        assertEquals(Prof.callers("$Proxy0.greet", "1", "$Proxy0.twice", "1"), p.fnStartingWith("Generated.lambda$run$0").callers());
        // Records: the accessors and the bootstrapped toString, equals and hashCode are the record's methods.
        assertEquals(Prof.callers("Generated.area", "2"), p.fn("Generated$Circle.r").callers());
        assertEquals("2", p.fn("Generated$Point.toString").calls());
        assertEquals("1", p.fn("Generated$Point.equals").calls());
        // javac 17 compiles the enum switch into a switch map, a class Generated$1 whose initializer calls values();
        // javac 21 and later into an invokedynamic, which does not.
        Map<String, String> valuesCallers = new TreeMap<>(Prof.callers(builtin("java.lang.Enum.valueOf"), "1", "Generated.run", "1"));
        if (p.has("Generated$1.<clinit>")) valuesCallers.put("Generated$1.<clinit>", "1");
        assertEquals(valuesCallers, p.fn("Generated$Op.values").callers());
        assertEquals(Prof.callers("Generated.run", "1"), p.fn("Generated$Op$2.applyAsInt").callers());
        assertEquals("3", p.fn("Generated.area").calls());
        // Nest mates: the private method called straight from the inner class.
        assertEquals(Prof.callers("Generated$Mate.peek", "2"), p.fn("Generated.reveal").callers());
        // A hidden class never reaches an agent's transformer: a call into it is a call of the JDK interface.
        assertEquals(Prof.callers("Generated.hidden", "1"), p.fn(method("get", "java.util.function.Supplier")).callers());
        assertFalse(p.has("HiddenTemplate.count"), p.names().toString());
        p.checkConsistent();
    }

    /**
     * Methods whose instrumented code lands just below and just above the JVM's 64 KB limit, in one class, and one
     * whose own code is near the limit: the ones that fit are profiled exactly, each of the others is left as it
     * was with one warning, and the rest of the class is profiled.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void methodsNearThe64KbLimit(Jdk jdk) {
        List<Integer> sizes = new ArrayList<>();
        // Each line is about 11 bytes of code, and its call of Math.abs 11 more of hooks (ldc, invokestatic before;
        // iload, ldc, invokestatic after): the limit falls near 2,975 lines.
        for (int k = 2850; k <= 3050; k += 10) sizes.add(k);
        sizes.add(5900); // about 65,000 bytes of code before any hook
        StringBuilder src = new StringBuilder("package com.example.gen;\n\npublic class Big {\n");
        for (int k : sizes) {
            src.append("    static long big").append(k).append("(int x) {\n        long s = 0;\n");
            for (int i = 0; i < k; i++) src.append("        s += Math.abs(x - ").append(i % 100).append(");\n");
            src.append("        return s;\n    }\n\n");
        }
        src.append("    static int small(int x) {\n        return x + 1;\n    }\n\n");
        src.append("    public static void main(String[] args) {\n        long t = 0;\n");
        for (int k : sizes) src.append("        t += big").append(k).append("(7) + small(").append(k).append(");\n");
        src.append("        System.out.println(t);\n    }\n}\n");
        Path classes = Programs.compileGenerated("near-64k", Map.of("com/example/gen/Big.java", src.toString()));

        Runs r = bothWays(jdk, "near-64k", "-cp", classes.toString(), "com.example.gen.Big");
        Prof p = r.prof;
        TreeSet<Integer> profiled = new TreeSet<>(), warned = new TreeSet<>();
        Map<String, String> absCallers = p.fn(builtin("java.lang.Math.abs")).callers();
        for (int k : sizes) {
            String name = "Big.big" + k;
            boolean warning = r.profiled.stderr().contains("jcprofile: com.example.gen.Big.big" + k + "(I)J left "
                    + "uninstrumented: instrumenting it would pass the JVM's 64 KB method size limit\n");
            if (p.has(name)) {
                assertFalse(warning, name);
                profiled.add(k);
                assertEquals(Prof.callers("Big.main", "1"), p.fn(name).callers());
                assertEquals(Integer.toString(k), absCallers.get(name), name);
            } else {
                assertTrue(warning, name + " is neither profiled nor warned about: " + r.profiled);
                warned.add(k);
            }
        }
        assertEquals(warned.size(), r.profiled.stderr().lines().count(), r.profiled.toString());
        // The limit lies within the range, one step (10 calls, some 250 bytes) separating the largest method that
        // fits from the smallest that does not.
        assertTrue(!profiled.isEmpty() && profiled.last() < 3050 && warned.contains(5900), profiled + " " + warned);
        assertEquals(profiled.last() + 10, (int) warned.first(), profiled + " " + warned);
        assertEquals(Prof.callers("Big.main", Integer.toString(sizes.size())), p.fn("Big.small").callers());
        p.checkConsistent();
    }
}
