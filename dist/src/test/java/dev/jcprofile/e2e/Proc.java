package dev.jcprofile.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of a test: its command, working directory and JDK, its output captured in files (so a test can
 * watch it while the process runs), and a deadline after which it is killed and the test fails with what it
 * printed.
 */
final class Proc {
    /** Generous: the machine may be busy, and nothing here measures speed. */
    static final long TIMEOUT_SECONDS = 300;

    private final List<String> command = new ArrayList<>();
    private Path dir = E2E.ROOT;
    private Jdk jdk;
    private byte[] stdin;
    private final Map<String, String> env = new java.util.HashMap<>();

    private Proc(List<String> command) {
        this.command.addAll(command);
    }

    static Proc of(List<String> command) {
        return new Proc(command);
    }

    static Proc of(String... command) {
        return new Proc(Arrays.asList(command));
    }

    /** Runs with this JDK: JAVA_HOME (which bin/jcprofile and bin/jpstats use) and the front of PATH. */
    Proc jdk(Jdk jdk) {
        this.jdk = jdk;
        return this;
    }

    Proc dir(Path dir) {
        this.dir = dir;
        return this;
    }

    Proc stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    Proc env(String name, String value) {
        env.put(name, value);
        return this;
    }

    List<String> command() {
        return command;
    }

    /** The same process run by another command first, which takes this one's as its arguments. */
    Proc wrappedIn(List<String> wrapper) {
        Proc p = new Proc(wrapper);
        p.command.addAll(command);
        p.dir = dir;
        p.jdk = jdk;
        p.stdin = stdin;
        p.env.putAll(env);
        return p;
    }

    /** Starts the process; its output goes to files in a fresh directory under target/. */
    Running start() {
        try {
            Path io = Files.createTempDirectory(E2E.work("io"), "proc");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Map<String, String> e = pb.environment();
            // Options the JVM picks up from the environment would print "Picked up ..." and change what it runs.
            e.remove("JAVA_TOOL_OPTIONS");
            e.remove("JDK_JAVA_OPTIONS");
            e.remove("_JAVA_OPTIONS");
            if (jdk != null) {
                e.put("JAVA_HOME", jdk.home().toString());
                e.put("PATH", jdk.home().resolve("bin") + File.pathSeparator + e.getOrDefault("PATH", "/usr/bin:/bin"));
            }
            e.putAll(env);
            Path in = io.resolve("stdin");
            Files.write(in, stdin != null ? stdin : new byte[0]);
            pb.redirectInput(in.toFile());
            pb.redirectOutput(io.resolve("stdout").toFile());
            pb.redirectError(io.resolve("stderr").toFile());
            return new Running(this, pb.start(), io);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs the process to its end. */
    Result run() {
        return start().waitFor();
    }

    static final class Running {
        private final Proc proc;
        final Process process;
        private final Path io;

        Running(Proc proc, Process process, Path io) {
            this.proc = proc;
            this.process = process;
            this.io = io;
        }

        String stdoutSoFar() {
            return read("stdout");
        }

        String stderrSoFar() {
            return read("stderr");
        }

        /** Waits until standard output holds {@code text}; fails if the process ends or the deadline passes first. */
        void awaitStdout(String text) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!stdoutSoFar().contains(text)) {
                if (!process.isAlive()) throw new AssertionError("process ended before printing '" + text + "': " + result());
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new AssertionError("no '" + text + "' within " + TIMEOUT_SECONDS + " s: " + result());
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    kill();
                    throw new AssertionError("interrupted", e);
                }
            }
        }

        /** Sends a signal by name (INT, TERM) to the process; python3, which the tests need anyway, sends it. */
        void signal(String name) {
            Result r = Proc.of("python3", "-c", "import os, signal, sys; os.kill(int(sys.argv[1]), getattr(signal, 'SIG' + sys.argv[2]))",
                    Long.toString(process.pid()), name).run();
            if (r.exit != 0) throw new AssertionError("sending SIG" + name + " failed: " + r);
        }

        Result waitFor() {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    kill();
                    throw new AssertionError("still running after " + TIMEOUT_SECONDS + " s, killed: " + result());
                }
            } catch (InterruptedException e) {
                kill();
                throw new AssertionError("interrupted", e);
            }
            return result();
        }

        private void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }

        private Result result() {
            int exit = process.isAlive() ? Integer.MIN_VALUE : process.exitValue();
            return new Result(proc.command, exit, readBytes("stdout"), readBytes("stderr"));
        }

        private String read(String name) {
            return new String(readBytes(name), StandardCharsets.UTF_8);
        }

        private byte[] readBytes(String name) {
            try {
                return Files.readAllBytes(io.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What a finished process left: exit code and both output streams, byte for byte. */
    static final class Result {
        final List<String> command;
        final int exit;
        final byte[] out, err;

        Result(List<String> command, int exit, byte[] out, byte[] err) {
            this.command = command;
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        String stdout() {
            return new String(out, StandardCharsets.UTF_8);
        }

        String stderr() {
            return new String(err, StandardCharsets.UTF_8);
        }

        /** Fails, showing everything, unless the exit code is {@code expected}. */
        Result expectExit(int expected) {
            if (exit != expected) throw new AssertionError("exit code " + exit + ", expected " + expected + ": " + this);
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\n  exit " + exit + "\n  --- stdout ---\n" + stdout()
                    + "\n  --- stderr ---\n" + stderr();
        }
    }
}
