package dev.jcprofile.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs python3, the reference implementation, and the test script {@code pyvalues.py}. A missing python3 fails the
 * test: every expected value in these tests comes from it.
 */
public final class PythonTool {
    private PythonTool() {}

    /** python3 ($PYTHON3 if set), resolved once to its executable: version managers' shims cost a process each. */
    public static final String PYTHON = resolve(System.getenv().getOrDefault("PYTHON3", "python3"));

    private static String resolve(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import sys; print(sys.executable)").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !out.isEmpty() && java.nio.file.Files.isExecutable(Path.of(out)) ? out : python;
        } catch (IOException e) {
            return python; // reported where it is first run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return python;
        }
    }

    /** What a finished process printed. */
    public static final class Result {
        public final int exitCode;
        public final byte[] stdout;
        public final String stderr;

        Result(int exitCode, byte[] stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        public String out() { return new String(stdout, StandardCharsets.UTF_8); }
    }

    private static Path script;

    /**
     * pyvalues.py as a file python3 can run: the resource itself in this module's test classes, a copy of it when
     * another module's tests read it from this module's tests jar.
     */
    public static synchronized Path script() {
        if (script != null) return script;
        try {
            java.net.URL url = PythonTool.class.getResource("pyvalues.py");
            if (url.getProtocol().equals("file")) return script = Path.of(url.toURI());
            Path copy = java.nio.file.Files.createTempFile("pyvalues-", ".py");
            copy.toFile().deleteOnExit();
            try (java.io.InputStream in = url.openStream()) {
                java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return script = copy;
        } catch (URISyntaxException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command to its end, feeding it {@code stdin}; the environment pins Python's output encoding. */
    public static Result run(List<String> command, byte[] stdin, Path dir) {
        return run(new ProcessBuilder(command), stdin, dir);
    }

    /** Runs a command, such as bin/jpstats, with JAVA_HOME set to the JDK running the tests. */
    public static Result runWithJava(List<String> command, byte[] stdin, Path dir) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return run(pb, stdin, dir);
    }

    private static Result run(ProcessBuilder pb, byte[] stdin, Path dir) {
        List<String> command = pb.command();
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.environment().put("PYTHONHASHSEED", "0");
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("TZ", "UTC");
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("hung: " + command);
            }
            return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (these tests need python3): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code pyvalues.py MODE ARGS...}, which must succeed; returns its output lines. */
    public static List<String> pyvalues(String mode, String... args) {
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString(), mode));
        command.addAll(List.of(args));
        Result r = run(command, null, null);
        if (r.exitCode != 0) throw new AssertionError("pyvalues.py " + mode + " failed:\n" + r.stderr);
        return r.out().lines().collect(java.util.stream.Collectors.toList());
    }

    /** What CPython's {@code marshal.loads} makes of each file, as {@link Canon#value} text or "error: TYPE". */
    public static List<String> loads(List<Path> files) {
        return pyvalues("loads", files.stream().map(Path::toString).toArray(String[]::new));
    }

    /** What CPython's {@code marshal.load} makes of each stats file, as {@link Canon#profile} text or "error: TYPE". */
    public static List<String> profileCanon(List<Path> files) {
        return pyvalues("profile", files.stream().map(Path::toString).toArray(String[]::new));
    }
}
