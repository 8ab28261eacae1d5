package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults while saving the profile: a directory removed or made unwritable while the program ran, a full disk, a
 * second profiler in the same JVM (an output that cannot be written from the start stops the run before it
 * starts: see OutputIT). Each costs one line on standard error and nothing else: the program prints and exits as it would without
 * the profiler, and a file already at the profile's name is left as it was, never replaced by part of a profile.
 */
@Execution(ExecutionMode.CONCURRENT)
class FaultsIT {
    private static final String MAIN = "com.example.exits.Exits";

    private static String exits() {
        return Programs.compile("exits").toString();
    }

    /** A program with a profile of some 300 KB: two thousand functions, each called once. */
    private static String many() {
        StringBuilder src = new StringBuilder("package com.example.gen;\n\npublic class Many {\n");
        for (int i = 0; i < 2000; i++) src.append("    static int m").append(i).append("(int x) {\n        return x + ").append(i).append(";\n    }\n");
        src.append("    public static void main(String[] args) {\n        long s = 0;\n");
        for (int i = 0; i < 2000; i++) src.append("        s += m").append(i).append("(1);\n");
        src.append("        System.out.println(\"many \" + s);\n        System.exit(3);\n    }\n}\n");
        return Programs.compileGenerated("many", Map.of("com/example/gen/Many.java", src.toString())).toString();
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /**
     * The profiled run printed what the plain run printed, and on standard error one line more, which is returned;
     * both ended with {@code exit}.
     */
    private static String oneLineMore(Proc.Result plain, Proc.Result profiled, int exit) {
        plain.expectExit(exit);
        profiled.expectExit(exit);
        assertArrayEquals(plain.out, profiled.out, "stdout\n" + plain + "\n" + profiled);
        List<String> ours = profiled.stderr().lines().filter(l -> l.startsWith("jcprofile: ")).collect(Collectors.toList());
        assertEquals(1, ours.size(), profiled.toString());
        assertEquals(plain.stderr(), profiled.stderr().replace(ours.get(0) + "\n", ""), profiled.toString());
        return ours.get(0);
    }

    /** Runs the looping program until it is ready, then ends it with SIGTERM, after {@code meanwhile}. */
    private static Proc.Result untilTerm(Proc proc, IoAction meanwhile) throws Exception {
        Proc.Running running = proc.start();
        running.awaitStdout("ready\n");
        meanwhile.run();
        running.signal("TERM");
        return running.waitFor();
    }

    interface IoAction {
        void run() throws Exception;
    }

    /** The directory, there when the program started (else nothing would run), removed while it ran. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void missingDirectory(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("missing-dir");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path out = sub.resolve("run.prof");
        String[] args = {"-cp", exits(), MAIN, "loop"};
        Proc.Result plain = untilTerm(E2E.java(jdk, args).dir(dir), () -> { });
        Proc.Result profiled = untilTerm(E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir), () -> {
            for (String f : listing(sub)) Files.delete(sub.resolve(f));
            Files.delete(sub);
        });
        assertEquals("jcprofile: cannot write the profile: " + out + ": No such file or directory", oneLineMore(plain, profiled, 143));
        assertEquals(Set.of(), listing(dir));
    }

    /**
     * A directory nobody may create files in (made so while the program ran), holding an older profile of that
     * name: as root, whom permissions do not stop, an immutable directory (chattr +i), else a read-only one.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void unwritableDirectoryKeepsTheOldFile(Jdk jdk) throws Exception {
        // Outside target/: a directory left immutable by a killed test would stop mvn clean.
        Path dir = Files.createTempDirectory("jcprofile-unwritable-");
        Path out = dir.resolve("run.prof");
        byte[] old = "an older profile".getBytes(StandardCharsets.UTF_8);
        Files.write(out, old);
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            String[] args = {"-cp", exits(), MAIN, "loop"};
            Proc.Result plain = untilTerm(E2E.java(jdk, args).dir(dir), () -> { });
            Proc.Result profiled = untilTerm(E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir), () -> {
                if (root) Proc.of("chattr", "+i", dir.toString()).run().expectExit(0);
                else Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            });
            String line = oneLineMore(plain, profiled, 143);
            assertEquals("jcprofile: cannot write the profile: " + out + ": " + (root ? "Operation not permitted" : "Permission denied"), line);
            assertArrayEquals(old, Files.readAllBytes(out));
            assertEquals(Set.of("run.prof", ".jcprofile.lock"), listing(dir));
        } finally {
            if (root) Proc.of("chattr", "-i", dir.toString()).run();
            else Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.deleteIfExists(out);
            Files.deleteIfExists(dir.resolve(".jcprofile.lock"));
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A full disk, simulated by the file size limit (ulimit -f, in blocks of 1 KB) under which both runs start:
     * writing the 300 KB profile fails part way, and the older file of that name is still whole.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void fullDiskKeepsTheOldFile(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("full-disk");
        Path out = dir.resolve("run.prof");
        byte[] old = "an older profile".getBytes(StandardCharsets.UTF_8);
        Files.write(out, old);
        List<String> limited = List.of("sh", "-c", "ulimit -f 32 && exec \"$0\" \"$@\"");
        String[] args = {"-cp", many(), "com.example.gen.Many"};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).wrappedIn(limited).run();
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).wrappedIn(limited).run();
        assertEquals("jcprofile: cannot write the profile: " + out + ": File too large", oneLineMore(plain, profiled, 3));
        assertArrayEquals(old, Files.readAllBytes(out));
        assertEquals(Set.of("run.prof", ".jcprofile.lock"), listing(dir), "no temporary file is left");

        // Without the limit the same run writes it: the limit was what failed.
        E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(3);
        assertEquals(Map.of("Many.main", "1"), Prof.read(out).fn("Many.m1999").callers());
        assertTrue(Files.size(out) > 32 * 1024, "the profile is larger than the limit");
    }

    /** The agent given twice: the second says so in one line and does nothing; the first profiles as usual. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void secondAgentInTheSameJvm(Jdk jdk) throws IOException {
        Path dir = E2E.tempDir("two-agents");
        Path first = dir.resolve("first.prof"), second = dir.resolve("second.prof");
        Files.writeString(second, "left alone");
        String[] args = {"-cp", exits(), MAIN, "exit"};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run();
        Proc.Result twice = E2E.javaWithAgent(jdk, "o=" + first,
                Stream.concat(Stream.of("-javaagent:" + E2E.AGENT + "=o=" + second), Stream.of(args)).toArray(String[]::new))
                .dir(dir).run();
        assertEquals("jcprofile: a profiler is already attached to this JVM; this one does nothing", oneLineMore(plain, twice, 3));
        assertEquals("left alone", Files.readString(second));
        Prof p = Prof.read(first);
        assertEquals(Map.of("Exits.work", "100"), p.fn("Exits.square").callers());
        assertFalse(p.names().stream().anyMatch(n -> n.contains("jcprofile")), p.names().toString());
    }
}
