package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.jcprofile.e2e.Prof.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --jdk}: JDK classes instrumented like the program's (java.util.regex, java.util.stream,
 * java.util.concurrent, javac's jdk.compiler), their calls rows with file and line, built-in rows for the rest,
 * the program's output unchanged, and the classes the profiler runs on left out with one line.
 */
@Execution(ExecutionMode.CONCURRENT)
class JdkIT {
    private static final String MAIN = "com.example.jdk.";

    /** The program without the profiler and with it, in one directory; their standard output must be equal. */
    private static final class Runs {
        final Proc.Result plain, profiled;
        final Prof prof;

        Runs(Proc.Result plain, Proc.Result profiled, Prof prof) {
            this.plain = plain;
            this.profiled = profiled;
            this.prof = prof;
        }
    }

    private static Runs run(Jdk jdk, String main, List<String> options, String... args) {
        Path classes = Programs.compile("jdk");
        Path dir = E2E.tempDir("jdk");
        Path out = dir.resolve("jdk.prof");
        List<String> javaArgs = new ArrayList<>(List.of("-cp", classes.toString(), MAIN + main));
        javaArgs.addAll(Arrays.asList(args));
        Proc.Result plain = E2E.java(jdk, javaArgs.toArray(new String[0])).dir(dir).run().expectExit(0);
        List<String> opts = new ArrayList<>(List.of("-o", out.toString()));
        opts.addAll(options);
        Proc.Result profiled = E2E.jcprofile(jdk, opts, javaArgs.toArray(new String[0])).dir(dir).run().expectExit(0);
        assertEquals(plain.stdout(), profiled.stdout(), profiled.toString());
        Prof p = Prof.read(out);
        checkConsistent(p);
        return new Runs(plain, profiled, p);
    }

    /**
     * {@link Prof#checkConsistent}, but for a function's calls from its callers, which may add up to fewer than
     * its calls: JDK code is also called with no instrumented code below it (at the bottom of the JDK's own
     * threads, before main, by the class loaders), and such a call is a thread's first call, which has no caller.
     */
    private static void checkConsistent(Prof p) {
        for (Prof.Fn f : p.functions()) {
            assertTrue(f.tt >= 0 && f.ct >= 0 && f.tt <= f.ct + 1e-6 && f.cc >= 0 && f.cc <= f.nc, f.toString());
            long fromCallers = 0;
            for (String count : f.callers().values()) fromCallers += Long.parseLong(count.split("/")[0]);
            assertTrue(fromCallers <= f.nc, f.toString());
        }
    }

    /** The first line of a JDK method as its class file gives it ({@code javap -c -l}): where its row must point. */
    private static long firstLine(Jdk jdk, String className, String declaration) {
        Proc.Result r = Proc.of(jdk.home().resolve("bin/javap").toString(), "-c", "-l", className).run().expectExit(0);
        List<String> lines = r.stdout().lines().collect(Collectors.toList());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).contains(declaration)) continue;
            for (int j = i + 1; j < lines.size(); j++) {
                String l = lines.get(j).trim();
                if (l.startsWith("line ")) return Long.parseLong(l.substring(5, l.indexOf(':')));
            }
        }
        throw new AssertionError("no line for " + declaration + " in javap -c -l " + className + ":\n" + r.stdout());
    }

    // ------------------------------------------------------------------ java.base packages

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void regexCallsAreRowsWithTheJdksFileAndLine(Jdk jdk) {
        Runs r = run(jdk, "Regex", List.of("--jdk", "java.util.regex.*"));
        assertEquals("", r.profiled.stderr(), r.profiled.toString());
        Prof.Fn matcher = r.prof.fn("Pattern.matcher");
        assertEquals("1500", matcher.calls());
        assertEquals(Map.of("Regex.words", "1200", "Regex.numbers", "300"), matcher.callers());
        assertEquals("java/util/regex/Pattern.java", matcher.key.file());
        assertEquals(firstLine(jdk, "java.util.regex.Pattern", " matcher(java.lang.CharSequence);"), matcher.key.line());
        assertEquals("1500", r.prof.fn("Matcher.matches").calls());
        assertEquals("1200", r.prof.fn("Matcher.group").callers().get("Regex.words"));
        // No built-in row for what now has its own; built-in rows for the JDK outside the pattern.
        assertFalse(r.prof.has(method("matcher", "java.util.regex.Pattern")), r.prof.names().toString());
        // Pattern.compile's calls of it are the JDK's own now, and shown as such.
        assertEquals("1200", r.prof.fn(method("length", "java.lang.String")).callers().get("Regex.words"));
        assertTrue(r.prof.fn(method("length", "java.lang.String")).callers().containsKey("Pattern.compile"));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void withoutTheOptionTheJdkStaysBuiltIn(Jdk jdk) {
        Runs r = run(jdk, "Regex", List.of());
        assertEquals("1500", r.prof.fn(method("matcher", "java.util.regex.Pattern")).calls());
        assertFalse(r.prof.has("Pattern.matcher"), r.prof.names().toString());
        assertTrue(r.prof.keys().stream().noneMatch(k -> k.startsWith("java/")), r.prof.keys().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void streamPipelineCallsTheProgramFromTheJdksSinks(Jdk jdk) {
        Runs r = run(jdk, "Streams", List.of("--jdk", "java.util.stream.**"));
        assertEquals("", r.profiled.stderr(), r.profiled.toString());
        // The program's functions are called by the pipeline's stages, exactly as often as the data says.
        for (String[] f : new String[][] {{"Streams.keep", "2000"}, {"Streams.square", "1000"}}) {
            Prof.Fn fn = r.prof.fn(f[0]);
            assertEquals(f[1], fn.calls());
            Map<String, String> callers = fn.callers();
            assertEquals(1, callers.size(), fn.toString());
            String caller = callers.keySet().iterator().next();
            assertTrue(caller.startsWith("ReferencePipeline$") && caller.endsWith(".accept"), fn.toString());
            assertEquals(f[1], callers.get(caller));
            assertEquals("java/util/stream/ReferencePipeline.java", r.prof.fn(caller).key.file());
        }
        assertEquals("1", r.prof.fn("ReferencePipeline.collect").calls());
        assertEquals(Map.of("Streams.main", "1"), r.prof.fn("ReferencePipeline.collect").callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void executorRunsTheTasksOnItsWorkers(Jdk jdk) {
        Runs r = run(jdk, "Pool", List.of("--jdk", "java.util.concurrent.**"));
        assertEquals("jcprofile: option jdk 'java.util.concurrent.**' leaves out what the profiler runs on: "
                + "java.util.concurrent.atomic.**, java.util.concurrent.locks.** (see the README)\n", r.profiled.stderr());
        assertEquals(Map.of("Pool.main", "240"), r.prof.fn("AbstractExecutorService.submit").callers());
        assertEquals(Map.of("AbstractExecutorService.submit", "240"), r.prof.fn("ThreadPoolExecutor.execute").callers());
        assertEquals("4", r.prof.fn("ThreadPoolExecutor.runWorker").calls());
        assertEquals(Map.of("ThreadPoolExecutor.runWorker", "240"), r.prof.fn("FutureTask.run").callers());
        assertEquals(Map.of("FutureTask.run", "240"), r.prof.fnStartingWith("Pool.lambda$main$").callers());
        assertEquals("240", r.prof.fn("Pool.task").calls());
        assertEquals("java/util/concurrent/ThreadPoolExecutor.java", r.prof.fn("ThreadPoolExecutor.execute").key.file());
    }

    // ------------------------------------------------------------------ what is never instrumented

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void everythingOfJavaLeavesOutWhatTheProfilerRunsOnWithEveryTimer(Jdk jdk) {
        // Without calibration the program's own calls are the first to run the hooks, and the cpu timer's clock
        // and the sampled timer's stores are different paths through them: none may reach instrumented code.
        for (String timer : List.of("wall", "cpu", "sampled")) {
            Runs r = run(jdk, "Streams", List.of("--jdk", "java.**", "--timer", timer, "--calibrate", "off"));
            assertEquals("jcprofile: option jdk 'java.**' leaves out what the profiler runs on: java.lang.**, "
                    + "java.net.URLClassLoader, java.security.SecureClassLoader, java.util.Arrays, java.util.Objects, "
                    + "java.util.concurrent.atomic.**, java.util.concurrent.locks.** (see the README)\n",
                    r.profiled.stderr().replaceAll("(?m)^jcprofile: timer cpu .*\n", "")); // the cpu timer's note on its cost
            assertEquals("2000", r.prof.fn("Streams.keep").calls(), timer);
            assertTrue(r.prof.keys().stream().noneMatch(k -> k.startsWith("java/lang/") || k.startsWith("java/util/Arrays.")
                    || k.startsWith("java/util/Objects.") || k.startsWith("java/util/concurrent/atomic/")
                    || k.startsWith("java/util/concurrent/locks/")), r.prof.keys().toString());
            assertTrue(r.prof.fn(method("hashCode", "java.lang.Object")).nc > 0, timer);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void threadFilterRunsInstrumentedRegexOutsideTheProfile(Jdk jdk) {
        // The thread filter is a Pattern: a thread's first hook runs it, and its own hooks must not record or recurse.
        Runs r = run(jdk, "Regex", List.of("--jdk", "java.util.regex.*", "--threads", "^main$"));
        assertEquals("1500", r.prof.fn("Pattern.matcher").calls());
        assertEquals(Map.of("Regex.words", "1200", "Regex.numbers", "300"), r.prof.fn("Pattern.matcher").callers());
        assertFalse(r.prof.has("Matcher.find"), r.prof.names().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void patternsOfNothingInstrumentableSayWhy(Jdk jdk) {
        Runs r = run(jdk, "Regex", List.of("--jdk", "java.lang.*", "--jdk", "com.example.*"));
        assertEquals("jcprofile: option jdk 'java.lang.*' leaves out what the profiler runs on: java.lang.** (see the README)\n"
                + "jcprofile: option jdk 'com.example.*' names no class of the JDK (the program's own classes are"
                + " instrumented without it)\n", r.profiled.stderr());
        assertEquals("1200", r.prof.fn(method("length", "java.lang.String")).calls());
        assertEquals("1500", r.prof.fn(method("matcher", "java.util.regex.Pattern")).calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void agentOptionAndBadPattern(Jdk jdk) {
        Path classes = Programs.compile("jdk");
        Path dir = E2E.tempDir("jdk-agent");
        E2E.javaWithAgent(jdk, "o=" + dir.resolve("a.prof") + ",jdk=java.util.regex.*", "-cp", classes.toString(),
                MAIN + "Regex").dir(dir).run().expectExit(0);
        assertEquals("1500", Prof.read(dir.resolve("a.prof")).fn("Pattern.matcher").calls());
        Proc.Result bad = E2E.jcprofile(jdk, List.of("--jdk", "java.util.regex.(*)"), "-cp", classes.toString(),
                MAIN + "Regex").dir(dir).run().expectExit(2);
        assertEquals("jcprofile: option jdk: 'java.util.regex.(*)' is not a class name pattern or a module name\n", bad.stderr());
        assertEquals("", bad.stdout());
    }

    // ------------------------------------------------------------------ javac

    /** The sources javac compiles: the pstats module's, a tree of packages that needs nothing but the JDK. */
    private static List<String> javacSources() {
        try (Stream<Path> walk = Files.walk(E2E.ROOT.resolve("pstats/src/main/java"))) {
            return walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code dir}, by relative path, with its bytes. */
    private static Map<String, String> tree(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
                files.put(dir.relativize(f).toString(), Arrays.toString(Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * javac without and with the profiler, in one directory, each writing its own class files: they must be the
     * same files byte for byte, and the compiler's messages the same.
     */
    private static Prof javac(Jdk jdk, String label, List<String> launch) {
        Path dir = E2E.tempDir("javac-" + label);
        List<String> sources = javacSources();
        Proc.Result[] results = new Proc.Result[2];
        for (int i = 0; i < 2; i++) {
            List<String> args = new ArrayList<>(launch);
            // -Xlint: the messages are part of what must not change.
            args.addAll(List.of("-Xlint:all", "-d", dir.resolve("out" + i).toString(), "-encoding", "UTF-8", "--release", "17"));
            args.addAll(sources);
            String[] a = args.toArray(new String[0]);
            results[i] = i == 0 ? E2E.java(jdk, a).dir(dir).run()
                    : E2E.jcprofile(jdk, List.of("-q", "-o", dir.resolve("javac.prof").toString(), "--jdk", "jdk.compiler"), a).dir(dir).run();
        }
        assertEquals(0, results[0].exit, results[0].toString());
        assertEquals(results[0].exit, results[1].exit, results[1].toString());
        assertEquals(results[0].stdout(), results[1].stdout());
        assertEquals(results[0].stderr(), results[1].stderr());
        Map<String, String> plain = tree(dir.resolve("out0"));
        assertTrue(plain.size() >= sources.size(), plain.keySet().toString());
        assertEquals(plain, tree(dir.resolve("out1")));
        Prof p = Prof.read(dir.resolve("javac.prof"));
        checkConsistent(p);
        // javac's own methods: each source file parsed once, the compilation run once.
        assertEquals(Integer.toString(sources.size()), p.fn("JavacParser.parseCompilationUnit").calls());
        Prof.Fn compile = p.fns("JavaCompiler.compile").stream().filter(f -> f.nc == 1).findFirst()
                .orElseThrow(() -> new AssertionError(p.keys().toString()));
        assertEquals("com/sun/tools/javac/main/JavaCompiler.java", compile.key.file());
        assertTrue(p.fn("Gen.genClass").nc >= sources.size(), p.fn("Gen.genClass").toString());
        return p;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void javacThroughToolProvider(Jdk jdk) {
        Path classes = Programs.compile("jdk");
        Prof p = javac(jdk, "api", List.of("-cp", classes.toString(), MAIN + "Compile"));
        // The program's call through javax.tools lands in javac's own method, called directly.
        assertEquals(Map.of("Compile.main", "1"), p.fn("JavacTool.run").callers());
        assertFalse(p.has(method("run", "javax.tools.JavaCompiler")), p.names().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void javacAsTheMainModule(Jdk jdk) {
        // No class of the program at all: without --jdk nothing would be recorded.
        Prof p = javac(jdk, "module", List.of("-m", "jdk.compiler/com.sun.tools.javac.Main"));
        Prof.Fn main = p.fns("Main.main").stream().filter(f -> f.key.file().equals("com/sun/tools/javac/Main.java"))
                .findFirst().orElseThrow(() -> new AssertionError(p.keys().toString()));
        assertEquals("1", main.calls());
    }
}
