package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.jcprofile.e2e.Prof.builtin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * However the program ends, it ends as it would without the profiler: the same bytes on standard output and
 * standard error, the same exit code; and the profile is written, except on Runtime.halt, which runs no
 * shutdown hook (as the launcher's --help says).
 */
@Execution(ExecutionMode.CONCURRENT)
class ExitsIT {
    private static final String MAIN = "com.example.exits.Exits";

    private static String classes() {
        return Programs.compile("exits").toString();
    }

    /** Runs the program in {@code mode} with and without the profiler, and compares the two runs. */
    private static Prof sameAsWithoutProfiler(Jdk jdk, String mode, int expectedExit) {
        Path dir = E2E.tempDir("exit-" + mode);
        Proc.Result plain = E2E.java(jdk, "-cp", classes(), MAIN, mode).dir(dir).run().expectExit(expectedExit);
        Path out = dir.resolve("exits.prof");
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), "-cp", classes(), MAIN, mode)
                .dir(dir).run().expectExit(expectedExit);
        assertArrayEquals(plain.out, profiled.out, "stdout\n" + plain + "\n" + profiled);
        assertArrayEquals(plain.err, profiled.err, "stderr\n" + plain + "\n" + profiled);
        return Files.exists(out) ? Prof.read(out) : null;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void normalEnd(Jdk jdk) {
        Prof p = sameAsWithoutProfiler(jdk, "normal", 0);
        assertEquals(Map.of("Exits.work", "100"), p.fn("Exits.square").callers());
        assertEquals("1", p.fn("Exits.main").calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void systemExit(Jdk jdk) {
        Prof p = sameAsWithoutProfiler(jdk, "exit", 3);
        // main never returned: its call is closed when the profile is written.
        assertEquals("1", p.fn("Exits.main").calls());
        assertEquals(Map.of("Exits.main", "1"), p.fn(builtin("java.lang.System.exit")).callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void uncaughtExceptionKeepsItsStackTrace(Jdk jdk) {
        Prof p = sameAsWithoutProfiler(jdk, "throw", 1);
        // The stack trace above is byte for byte the unprofiled one: same frames, same line numbers.
        assertEquals(Map.of("Exits$Parser.<init>", "1"), p.fn("Exits$Parser.parse").callers());
        assertEquals(Map.of("Exits.main", "1"), p.fn("Exits.fail").callers());
        assertEquals("1", p.fn("Exits.main").calls());
    }

    static Stream<Arguments> endings() {
        return Jdk.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, "exit", 3), Arguments.of(jdk, "throw", 1)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endings")
    void withoutOutputTheTableFollowsTheProgramsOutput(Jdk jdk, String mode, int expectedExit) {
        Path dir = E2E.tempDir("table-" + mode);
        Proc.Result plain = E2E.java(jdk, "-cp", classes(), MAIN, mode).dir(dir).run().expectExit(expectedExit);
        Proc.Result printed = E2E.jcprofile(jdk, List.of(), "-cp", classes(), MAIN, mode).dir(dir).run().expectExit(expectedExit);
        assertArrayEquals(plain.err, printed.err, printed.toString());
        assertTrue(printed.stdout().startsWith(plain.stdout()), printed.toString());
        String table = printed.stdout().substring(plain.stdout().length());
        assertTrue(table.matches("(?s) +\\d+ function calls in \\d+\\.\\d{3} seconds\n\n   Ordered by: standard name\n\n"
                + "   ncalls  tottime  percall  cumtime  percall filename:lineno\\(function\\)\n.*\n\n\n"), table);
        assertTrue(table.contains(" Exits.java:" + Programs.lineOf("exits", "com/example/exits/Exits.java", "int s = 0;")
                + "(Exits.work)\n"), table);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void uncaughtExceptionTraceNamesTheProgramsLines(Jdk jdk) {
        // The comparison above would pass if both traces lacked line numbers; this one would not.
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", E2E.tempDir("trace").resolve("p").toString()),
                "-cp", classes(), MAIN, "throw").run().expectExit(1);
        String source = "com/example/exits/Exits.java";
        int parse = Programs.lineOf("exits", source, "throw new IllegalStateException(\"cannot parse '\"");
        int ctor = Programs.lineOf("exits", source, "this.value = parse(text);");
        assertTrue(r.stderr().contains("at com.example.exits.Exits$Parser.parse(Exits.java:" + parse + ")\n"), r.stderr());
        assertTrue(r.stderr().contains("at com.example.exits.Exits$Parser.<init>(Exits.java:" + ctor + ")\n"), r.stderr());
        assertTrue(r.stderr().contains("Caused by: java.lang.NumberFormatException: For input string: \"12x\""), r.stderr());
        assertFalse(r.stderr().contains("dev.jcprofile"), r.stderr());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void helpfulNullPointerMessageNamesTheSameLocal(Jdk jdk) {
        // Compiled without -g, the message names the local by its slot: instrumentation must not move it.
        Prof p = sameAsWithoutProfiler(jdk, "npe", 1);
        assertEquals(Map.of("Exits.measure", "1"), p.fn("Exits.lookup").callers());
        Proc.Result r = E2E.java(jdk, "-cp", classes(), MAIN, "npe").run().expectExit(1);
        assertTrue(r.stderr().contains("Cannot invoke \"String.length()\" because \"<local"), r.toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void runtimeHaltWritesNoProfile(Jdk jdk) {
        // Runtime.halt runs no shutdown hook: no profile, as documented; the program is otherwise unchanged.
        assertEquals(null, sameAsWithoutProfiler(jdk, "halt", 4));
    }

    static Stream<Arguments> signals() {
        return Jdk.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, "INT", 130), Arguments.of(jdk, "TERM", 143)));
    }

    @ParameterizedTest(name = "{0} SIG{1}")
    @MethodSource("signals")
    void signal(Jdk jdk, String signal, int expectedExit) {
        Path dir = E2E.tempDir("signal-" + signal);
        Proc.Result plain = untilSignal(E2E.java(jdk, "-cp", classes(), MAIN, "loop"), dir, signal);
        Path out = dir.resolve("loop.prof");
        Proc.Result profiled = untilSignal(E2E.jcprofile(jdk, List.of("-o", out.toString()), "-cp", classes(), MAIN, "loop"),
                dir, signal);
        assertEquals(expectedExit, plain.exit, plain.toString());
        assertEquals(expectedExit, profiled.exit, profiled.toString());
        assertArrayEquals(plain.out, profiled.out, "stdout\n" + plain + "\n" + profiled);
        assertArrayEquals(plain.err, profiled.err, "stderr\n" + plain + "\n" + profiled);
        assertTrue(profiled.stdout().endsWith("ready\nhook ran\n"), profiled.toString());

        Prof p = Prof.read(out);
        assertEquals("1", p.fn("Exits.main").calls());
        assertTrue(p.fn("Exits.tick").nc >= 1, p.fn("Exits.tick").toString());
        assertEquals(Map.of("Exits.main", p.fn("Exits.tick").calls()), p.fn("Exits.tick").callers());
    }

    /**
     * The agent's jar rebuilt while a long run goes on (as ThirdPartySuites' runs saw it): the dump's classes,
     * loaded only at exit, are gone from it. The program still ends as it would, and the profiler says why there
     * is no profile in one line, not with a stack trace.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void agentJarReplacedWhileRunning(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("replaced-jar");
        Path jar = dir.resolve("jcprofile.jar");
        Files.copy(E2E.AGENT, jar);
        Files.copy(E2E.ROOT.resolve("target/jcprofile-runtime.jar"), dir.resolve("jcprofile-runtime.jar"));
        Path out = dir.resolve("loop.prof");
        Proc proc = Proc.of(jdk.java().toString(), "-javaagent:" + jar + "=o=" + out, E2E.VERIFY, "-cp", classes(), MAIN,
                "loop").jdk(jdk).dir(dir).wrappedIn(List.of("python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        Proc.Running running = proc.start();
        running.awaitStdout("ready\n");
        Files.write(jar, new byte[0]); // in place, as a build overwrites it
        running.signal("TERM");
        Proc.Result r = running.waitFor();
        assertEquals(143, r.exit, r.toString());
        assertTrue(r.stdout().endsWith("ready\nhook ran\n"), r.toString());
        assertEquals("to stderr\njcprofile: cannot write the profile: java.lang.NoClassDefFoundError: "
                + "dev/jcprofile/agent/TotalsToProfile (was the agent's jar replaced while the program ran?)\n", r.stderr());
        assertFalse(Files.exists(out));
    }

    /**
     * Runs until the program is ready, then signals it. The command runs under a python3 wrapper that restores
     * SIGINT's default action: a shell that starts a command in the background has it ignore SIGINT, and a JVM
     * leaves an ignored SIGINT ignored, so the test would depend on how the build was started.
     */
    private static Proc.Result untilSignal(Proc proc, Path dir, String signal) {
        Proc.Running running = proc.dir(dir).wrappedIn(List.of("python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"))
                .start();
        running.awaitStdout("ready\n");
        running.signal(signal);
        return running.waitFor();
    }
}
