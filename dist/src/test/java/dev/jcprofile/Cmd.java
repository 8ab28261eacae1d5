package dev.jcprofile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command run as a user runs it from a shell: in a working directory, with changes to the environment, with
 * text on standard input; standard output and standard error kept apart.
 */
final class Cmd {
    /** The project's root: failsafe runs the integration tests there. */
    static final Path ROOT = Paths.get("").toAbsolutePath();

    private final List<String> command = new ArrayList<>();
    private Path dir = ROOT;
    private final Map<String, String> env = new HashMap<>();
    private String input = "";

    private Cmd(List<String> command) {
        this.command.addAll(command);
    }

    static Cmd of(String... command) {
        return new Cmd(List.of(command));
    }

    static Cmd of(List<String> command) {
        return new Cmd(command);
    }

    /** A line for {@code sh -c}, for what only a shell does (looking a name up in PATH). */
    static Cmd shell(String line) {
        return of("/bin/sh", "-c", line);
    }

    Cmd in(Path directory) {
        dir = directory;
        return this;
    }

    /** Sets a variable; null removes it. */
    Cmd env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cmd input(String text) {
        input = text;
        return this;
    }

    Result run() throws IOException, InterruptedException {
        Path out = Files.createTempFile("jcprofile-cmd-", ".out"), err = Files.createTempFile("jcprofile-cmd-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            env.forEach((k, v) -> {
                if (v == null) pb.environment().remove(k);
                else pb.environment().put(k, v);
            });
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The command did not read its input; what it printed says why.
            }
            // A guard against a hung build, not a measurement.
            boolean finished = p.waitFor(300, TimeUnit.SECONDS);
            if (!finished) p.destroyForcibly();
            assertTrue(finished, "finished: " + command);
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Removes the symbolic links under a test's temporary directory, which JUnit would otherwise report one by one
     * (a warning per link that leads out of it) when it cleans up.
     */
    static void deleteLinks(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isSymbolicLink)::iterator) Files.delete(p);
        }
    }

    /** What a run printed and how it ended. */
    record Result(List<String> command, int exit, String out, String err) {
        /** The lines of standard error, without a last empty one. */
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "$ " + String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
