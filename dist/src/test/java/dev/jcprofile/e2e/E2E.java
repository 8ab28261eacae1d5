package dev.jcprofile.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/** Where things are, and the commands the end-to-end tests run. */
final class E2E {
    private E2E() {}

    /** The project directory. */
    static final Path ROOT = findRoot();
    static final Path LAUNCHER = ROOT.resolve("bin/jcprofile");
    static final Path JPSTATS = ROOT.resolve("bin/jpstats");
    static final Path AGENT = ROOT.resolve("target/jcprofile.jar");
    static final Path PROGRAMS = ROOT.resolve("dist/src/test/programs");
    private static final Path WORK = ROOT.resolve("target/e2e");

    /**
     * Every JVM that runs instrumented code verifies all its classes: HotSpot skips verifying some classes by
     * default, and instrumented bytecode that only happens to run is not good enough.
     */
    static final String VERIFY = "-Xverify:all";

    /** Found from where the test classes are, target/test-classes: the tests may run in another directory. */
    private static Path findRoot() {
        try {
            Path dir = Paths.get(E2E.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().getParent();
            if (!Files.isRegularFile(dir.resolve("bin/jcprofile"))) {
                throw new IllegalStateException("cannot find the project: no bin/jcprofile in " + dir);
            }
            return dir;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A directory under target/e2e, made if missing. */
    static Path work(String name) {
        try {
            return Files.createDirectories(WORK.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, empty directory for one test. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(work("tmp"), prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bin/jcprofile OPTIONS -Xverify:all JAVA-ARGS}, on {@code jdk}. */
    static Proc jcprofile(Jdk jdk, List<String> options, String... javaArgs) {
        requireJar();
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(options);
        cmd.add(VERIFY);
        cmd.addAll(Arrays.asList(javaArgs));
        return Proc.of(cmd).jdk(jdk);
    }

    /** {@code java -Xverify:all JAVA-ARGS}, on {@code jdk}: the program without the profiler. */
    static Proc java(Jdk jdk, String... javaArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.add(VERIFY);
        cmd.addAll(Arrays.asList(javaArgs));
        return Proc.of(cmd).jdk(jdk);
    }

    /** {@code java -javaagent:target/jcprofile.jar=AGENTARGS -Xverify:all JAVA-ARGS}. */
    static Proc javaWithAgent(Jdk jdk, String agentArgs, String... javaArgs) {
        requireJar();
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.add("-javaagent:" + AGENT + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        cmd.add(VERIFY);
        cmd.addAll(Arrays.asList(javaArgs));
        return Proc.of(cmd).jdk(jdk);
    }

    /** {@code bin/jpstats FILE} fed {@code commands} on standard input. */
    static Proc jpstats(Jdk jdk, Path profile, String commands) {
        requireJar();
        return Proc.of(JPSTATS.toString(), profile.toString()).jdk(jdk).stdin(commands).dir(profile.getParent());
    }

    /** Python's own browser, {@code python3 -m pstats FILE}, fed the same way. */
    static Proc pythonPstats(Path profile, String commands) {
        return Proc.of("python3", "-m", "pstats", profile.toString()).stdin(commands).dir(profile.getParent());
    }

    static void requireJar() {
        if (!Files.isRegularFile(AGENT) || !Files.isRegularFile(ROOT.resolve("target/jcprofile-runtime.jar"))) {
            throw new IllegalStateException("target/jcprofile.jar is missing: the end-to-end tests run after mvn package");
        }
    }

    // ------------------------------------------------------------------ sharing one run among tests

    private static final Map<Object, FutureTask<Object>> MEMO = new ConcurrentHashMap<>();

    /**
     * The value {@code compute} gives for {@code key}, computed once however many tests (running in parallel)
     * ask: several tests check different things of one profiled run.
     */
    @SuppressWarnings("unchecked")
    static <T> T once(Object key, Supplier<T> compute) {
        FutureTask<Object> task = new FutureTask<>(compute::get);
        FutureTask<Object> known = MEMO.putIfAbsent(key, task);
        if (known == null) {
            known = task;
            task.run();
        }
        try {
            return (T) known.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error) throw (Error) cause;
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            throw new AssertionError(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
