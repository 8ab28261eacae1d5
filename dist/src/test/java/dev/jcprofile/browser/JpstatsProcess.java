package dev.jcprofile.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * bin/jpstats (the packaged, shaded jar) run by the integration tests, on the JDK that runs the tests. On a
 * pseudo-terminal it runs under util-linux's {@code script}, which every Debian system has (bsdutils is essential),
 * so the tests need nothing installed: the test types into script's input and reads what the terminal shows.
 */
final class JpstatsProcess implements AutoCloseable {
    static final Path JPSTATS = Paths.get("bin/jpstats").toAbsolutePath();
    static final Path JAR = Paths.get("target/jcprofile.jar").toAbsolutePath();
    static final Path JAVA = Paths.get(System.getProperty("java.home"), "bin", "java");

    /** Generous: only a hung or broken run ever waits this long. */
    private static final long PATIENCE_SECONDS = 60;

    private static final Pattern ESCAPE = Pattern.compile("\u001b(?:\\[[0-9;?]*[ -/]*[@-~]|[=>]|O.)");

    private final Process process;
    private final OutputStream keys;
    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
    private final Thread reader;

    private JpstatsProcess(Process process) {
        this.process = process;
        this.keys = process.getOutputStream();
        InputStream from = process.getInputStream();
        reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = from.read(buffer)) > 0; ) {
                    synchronized (shown) {
                        shown.write(buffer, 0, n);
                        shown.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone; what it showed stays
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** The environment every run gets: this JDK, a known terminal type, and the given variables. */
    private static ProcessBuilder builder(Path dir, Map<String, String> env, List<String> command) {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        b.environment().put("TERM", "xterm");
        b.environment().remove("JAVA_TOOL_OPTIONS");
        b.environment().remove("JPSTATS_HISTORY");
        b.environment().putAll(env);
        return b;
    }

    /**
     * jpstats on a 100x40 pseudo-terminal, started through {@code sh -c shellCommand}, where {@code $JPSTATS} names
     * the launcher (and {@link #mainLoggingClasses} the jar's main class); standard error goes to the terminal too.
     */
    static JpstatsProcess onTerminal(Path dir, Map<String, String> env, String shellCommand) throws IOException {
        String inner = "stty cols 100 rows 40; JPSTATS=" + quote(JPSTATS.toString()) + "; " + shellCommand;
        List<String> command = List.of("script", "--quiet", "--return", "--flush", "--command", inner, "/dev/null");
        return new JpstatsProcess(builder(dir, env, command).start());
    }

    /** jpstats with pipes for standard input and output (standard error joins the output). */
    static JpstatsProcess onPipes(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JPSTATS.toString());
        command.addAll(List.of(args));
        return new JpstatsProcess(builder(dir, env, command).start());
    }

    /**
     * The jar's main class on this JDK, logging each class it loads to {@code log}, as a shell command line. The
     * class-loading checks run the jar without the launcher, whose own logging options would switch the log off.
     */
    static String mainLoggingClasses(Path log) {
        return String.join(" ", quote(JAVA.toString()), quote("-Xlog:class+load:file=" + log), "-cp",
                quote(JAR.toString()), "dev.jcprofile.browser.Main");
    }

    /** As {@link #mainLoggingClasses}, with pipes for standard input and output. */
    static JpstatsProcess mainOnPipes(Path dir, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xlog:class+load:file=" + log, "-cp",
                JAR.toString(), "dev.jcprofile.browser.Main"));
        command.addAll(List.of(args));
        return new JpstatsProcess(builder(dir, Map.of(), command).start());
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Sends keys as a terminal would: "\t" Tab, "\r" Enter, "\u0003" Ctrl-C, "\u0004" Ctrl-D, {@link #UP}. */
    void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** The Up key of an xterm in the application mode that the line editor switches on. */
    static final String UP = "\u001bOA";

    void closeInput() throws IOException {
        keys.close();
    }

    /** Everything shown so far, as sent: escapes and carriage returns included. */
    String raw() {
        synchronized (shown) {
            return shown.toString(StandardCharsets.UTF_8);
        }
    }

    /** Everything shown so far without terminal escapes and carriage returns. */
    String text() {
        return plain(raw());
    }

    static String plain(String raw) {
        return ESCAPE.matcher(raw).replaceAll("").replace("\r", "");
    }

    /** Waits until the shown text contains {@code needle} {@code times} times; returns the text. */
    String await(String needle, int times) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        synchronized (shown) {
            while (true) {
                String text = text();
                if (count(text, needle) >= times) return text;
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    fail("never shown " + times + " times: " + needle + "\n--- shown:\n" + text);
                }
                shown.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text); m.find(); ) n++;
        return n;
    }

    /** Waits for the end and checks the exit status; returns all that was shown, as {@link #text()}. */
    String awaitExit(int status) throws Exception {
        assertTrue(process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "jpstats ended; shown:\n" + text());
        reader.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        assertEquals(status, process.exitValue(), "exit status; shown:\n" + text());
        return text();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The names of the classes that a {@code -Xlog:class+load:file=LOG} run loaded. */
    static Set<String> loadedClasses(Path log) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\[class,load\\] (\\S+) source:").matcher(Files.readString(log));
        while (m.find()) names.add(m.group(1));
        assertTrue(names.contains("java.lang.Object"), "a class-load log: " + log);
        return names;
    }

    /** A small profile written by CPython's cProfile, as a user would make one. */
    static Path pythonProfile(Path dir) throws Exception {
        Path script = dir.resolve("work.py");
        Files.writeString(script, "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n"
                + "def main():\n    for i in range(12):\n        fib(i)\n    sorted(range(100), key=lambda x: -x)\n\n"
                + "main()\n");
        Path profile = dir.resolve("small.prof");
        Process p = new ProcessBuilder("python3", "-m", "cProfile", "-o", profile.toString(), script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "python3 -m cProfile finished");
        assertEquals(0, p.exitValue(), "python3 -m cProfile: " + out);
        return profile;
    }
}
