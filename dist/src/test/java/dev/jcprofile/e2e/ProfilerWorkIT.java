package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The profiler's own work is never the program's time. The loading program defines classes through a class
 * loader whose getResourceAsStream spins for 20 ms of CPU: the transformer reads class files through it while
 * instrumenting (to learn where calls land), on the thread that loads the class, in the middle of the program's
 * loadAll call. The program measures that time itself, in the same run: loadAll's cumulative time must leave at
 * least half of it out, under every timer (without the bracket around the transformer it would hold all of it).
 * With the generated classes left uninstrumented, nothing of ours runs there, and loadAll keeps the time the
 * program measured.
 */
@Execution(ExecutionMode.CONCURRENT)
class ProfilerWorkIT {
    private static final String MAIN = "com.example.loading.Loading";
    private static final int CLASSES = 15;

    static Stream<Arguments> timers() {
        List<Arguments> args = new ArrayList<>();
        for (Jdk jdk : List.of(Jdk.JDK17, Jdk.JDK25)) {
            for (String timer : List.of("wall", "cpu", "sampled", "sampled-cpu")) args.add(Arguments.of(jdk, timer));
        }
        return args.stream();
    }

    /** gen.Gen{i}.run() calls gen.Dep{i}.value(): instrumenting Gen{i} reads Dep{i}'s class file from its loader. */
    private static Path generated() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < CLASSES; i++) {
            sources.put("gen/Gen" + i + ".java", "package gen;\npublic class Gen" + i
                    + " { public static int run() { return new Dep" + i + "().value() + " + i + "; } }\n");
            sources.put("gen/Dep" + i + ".java", "package gen;\npublic class Dep" + i
                    + " { public int value() { return Integer.parseInt(\"" + i + "\") * 2; } }\n");
        }
        return Programs.compileGenerated("loading-gen", sources);
    }

    /** A run's profile and what the program measured: name -> {wall seconds, CPU seconds}. */
    private static final class Run {
        final Prof prof;
        final Map<String, double[]> measured = new HashMap<>();

        Run(Prof prof, String stdout) {
            this.prof = prof;
            for (String line : stdout.split("\n")) {
                String[] w = line.trim().split(" ");
                double[] v = new double[w.length - 1];
                for (int i = 1; i < w.length; i++) v[i - 1] = Double.parseDouble(w[i]);
                measured.put(w[0], v);
            }
        }

        /** The measure the timer's figures are in: wall-clock time, or the thread's CPU time. */
        double measured(String name, String timer) {
            return measured.get(name)[timer.endsWith("cpu") ? 1 : 0];
        }
    }

    private static Run run(Jdk jdk, String timer, String... more) {
        Path dir = E2E.tempDir("loading");
        Path out = dir.resolve("loading.prof");
        List<String> opts = new ArrayList<>(List.of("-o", out.toString(), "-q", "--timer", timer));
        opts.addAll(List.of(more));
        Proc.Result r = E2E.jcprofile(jdk, opts, "-cp", Programs.compile("loading").toString(), MAIN,
                generated().toString(), Integer.toString(CLASSES), "20").dir(dir).run().expectExit(0);
        assertTrue(r.stderr().isEmpty(), r.toString());
        return new Run(Prof.read(out), r.stdout());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("timers")
    void transformingIsNotTheLoadingMethodsTime(Jdk jdk, String timer) {
        Run r = run(jdk, timer);
        // The premise: the transformer did its reading through the program's loader, and it took time.
        assertEquals(CLASSES, (int) r.measured.get("resourceCalls")[0], r.measured.toString());
        double ours = r.measured("resources", timer), loading = r.measured("loadAll", timer);
        assertTrue(r.measured.get("resources")[1] >= CLASSES * 0.020 * 0.95, "the spins' CPU time: " + ours);
        Prof.Fn loadAll = r.prof.fn("Loading.loadAll");
        assertTrue(loadAll.ct >= 0 && loadAll.ct <= loading - ours / 2,
                timer + ": loadAll took " + loading + " s, " + ours + " s of it the profiler's reading; profile " + loadAll);
        // What the profiler's work called in the program is not the program's call either.
        assertFalse(r.prof.has("Loading$SlowResources.getResourceAsStream"), r.prof.names().toString());
        // The generated classes were instrumented: each run() is recorded, once.
        for (int i = 0; i < CLASSES; i++) assertEquals("1", r.prof.fn("Gen" + i + ".run").calls());
    }

    /** With the loaded classes uninstrumented, loadAll's figure is the time the program saw. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("timers")
    void withoutInstrumentingTheLoadedClassesTheTimeIsKept(Jdk jdk, String timer) {
        Run r = run(jdk, timer, "--include", "com.example.loading.*");
        assertEquals(0, (int) r.measured.get("resourceCalls")[0], r.measured.toString());
        double loading = r.measured("loadAll", timer);
        Prof.Fn loadAll = r.prof.fn("Loading.loadAll");
        // Sampled timers are statistical: a wider margin, for samples of 1 ms on a shared machine. The exact ones'
        // margin is for a loaded machine too, where the program's clock and the hooks' were seen 16 % apart once.
        double margin = timer.startsWith("sampled") ? 0.3 * loading + 0.02 : 0.2 * loading + 0.01;
        assertTrue(Math.abs(loadAll.ct - loading) <= margin, timer + ": loadAll took " + loading + " s; profile " + loadAll);
        assertFalse(r.prof.has("Gen0.run"), r.prof.names().toString());
    }

    /**
     * The JIT's share of the profiler's work: once 32 KB of class files have gone through the instrumenter, the
     * agent asks HotSpot (the diagnostic command jcmd's Compiler.directives_add runs) to keep C2 off it, once per
     * JVM. The program reads the JVM's directives itself after loading about 70 KB of classes of its own: exactly
     * one of ours, through the launcher and through -javaagent, the program's output otherwise what it is without
     * the profiler; after loading one small class (a hello world), none, and the profiler's few milliseconds not
     * spent.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void c2IsKeptOffTheInstrumenter(Jdk jdk) {
        // 8 classes of 150 small methods each: about 70 KB of class files for the instrumenter.
        StringBuilder classes = new StringBuilder(), calls = new StringBuilder("0");
        for (int c = 0; c < 8; c++) {
            classes.append("    static final class C").append(c).append(" {\n");
            for (int m = 0; m < 150; m++) {
                classes.append("        static int m").append(m).append("(int x) { return x + ").append(m).append("; }\n");
            }
            classes.append("    }\n");
            calls.append(" + C").append(c).append(".m149(").append(c).append(")");
        }
        classes.append("\n    static int loadAll() {\n        return ").append(calls).append(";\n    }\n");
        String source = """
                package com.example.jit;

                import java.lang.management.ManagementFactory;
                import javax.management.ObjectName;

                public class Directives {
                """ + classes + """

                    static String print() throws Exception {
                        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint", null, null);
                    }

                    public static void main(String[] args) throws Exception {
                        boolean many = args[0].equals("many");
                        if (many) System.out.println(loadAll());
                        String mine = "matching: dev/jcprofile/agent/*.*, dev/jcprofile/shaded/asm/*.*";
                        String now = print();
                        // With few classes, a second is long enough for a thread that takes milliseconds.
                        for (int waited = 0; !now.contains(mine) && waited < (many ? 20_000 : 1_000); waited += 50) {
                            Thread.sleep(50);
                            now = print();
                        }
                        int count = now.split(java.util.regex.Pattern.quote(mine), -1).length - 1;
                        System.out.println(count + " directive(s) for the instrumenter");
                    }
                }
                """;
        Path cp = Programs.compileGenerated("jit-directives", Map.of("com/example/jit/Directives.java", source));
        Path dir = E2E.tempDir("jit-directives");
        String main = "com.example.jit.Directives";
        Proc.Result plain = E2E.java(jdk, "-cp", cp.toString(), main, "many").dir(dir).run().expectExit(0);
        assertEquals("1220\n0 directive(s) for the instrumenter\n", plain.stdout(), plain.toString());
        Proc.Result launched = E2E.jcprofile(jdk, List.of("-q", "-o", dir.resolve("l.prof").toString()), "-cp", cp.toString(),
                main, "many").dir(dir).run().expectExit(0);
        assertEquals("1220\n1 directive(s) for the instrumenter\n", launched.stdout(), launched.toString());
        assertEquals("", launched.stderr(), launched.toString());
        Proc.Result agent = E2E.javaWithAgent(jdk, "o=" + dir.resolve("a.prof") + ",quiet", "-cp", cp.toString(), main,
                "many").dir(dir).run().expectExit(0);
        assertEquals("1220\n1 directive(s) for the instrumenter\n", agent.stdout(), agent.toString());
        Proc.Result few = E2E.javaWithAgent(jdk, "o=" + dir.resolve("f.prof") + ",quiet", "-cp", cp.toString(), main,
                "few").dir(dir).run().expectExit(0);
        assertEquals("0 directive(s) for the instrumenter\n", few.stdout(), few.toString());
    }
}
