package dev.jcprofile.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the machine's python3, the reference every golden test compares against. A missing python3 fails the test:
 * without it nothing would be compared.
 */
public final class Python {
    private Python() {}

    /** The environment of both sides: a fixed time zone (ctime header lines) and UTF-8 throughout. */
    public static final String TZ = "Europe/Berlin";

    /**
     * The project directory: tests run there (surefire's default, failsafe's workingDirectory). Paths in the golden
     * scripts are relative to it. Not the "basedir" property, which the shade plugin's reduced POM moves to target/.
     */
    public static final Path ROOT = Paths.get("").toAbsolutePath();

    public static final class Result {
        public final byte[] out;
        public final String err;
        public final int exit;

        Result(byte[] out, String err, int exit) {
            this.out = out;
            this.err = err;
            this.exit = exit;
        }

        public String text() { return new String(out, StandardCharsets.UTF_8); }
    }

    /** Runs {@code python3 ARGS} in the project directory with {@code stdin} as standard input. */
    public static Result run(List<String> args, Path stdin) {
        List<String> cmd = new ArrayList<>();
        cmd.add("python3");
        cmd.addAll(args);
        return exec(cmd, stdin, Map.of());
    }

    /** Runs {@code python3 -c CODE} with {@code input} as standard input. */
    public static Result script(String code, String input) {
        try {
            Path in = Files.createTempFile("jcprofile-py", ".in");
            try {
                Files.writeString(in, input, StandardCharsets.UTF_8);
                return run(List.of("-c", code), in);
            } finally {
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs any command in the golden environment. */
    public static Result exec(List<String> cmd, Path stdin, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        Map<String, String> env = pb.environment();
        env.put("TZ", TZ);
        env.put("LC_ALL", "C.UTF-8");
        env.put("PYTHONIOENCODING", "utf-8");
        env.put("PYTHONHASHSEED", "0");
        env.remove("PYTHONSTARTUP");
        env.remove("PYTHONPATH");
        env.putAll(extraEnv);
        Path err = null;
        try {
            err = Files.createTempFile("jcprofile-err", ".txt");
            pb.redirectInput(stdin.toFile()).redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                fail("cannot run " + cmd.get(0) + " (the golden tests need python3 3.11 on the PATH): " + e.getMessage());
                throw new AssertionError(e);
            }
            byte[] out = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            return new Result(out, Files.readString(err, StandardCharsets.UTF_8), exit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }
}
