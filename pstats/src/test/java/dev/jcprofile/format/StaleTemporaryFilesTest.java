package dev.jcprofile.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The temporary file of a dump interrupted by SIGKILL is removed by the next dump to the same place, and nothing
 * else is: not the file of a writer that may still be running (here or, by its name, in another namespace), not
 * files of other names.
 */
class StaleTemporaryFilesTest {
    @TempDir
    Path dir;

    private static ProfileData small() {
        ProfileData d = new ProfileData();
        d.beginEntry(d.intern(new FunctionKey("a.py", 1, "f")), new Figures(1, 1, 0.5, 0.5));
        return d;
    }

    private List<String> names() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private List<String> temporaryFiles() throws Exception {
        return names().stream().filter(n -> n.endsWith(".tmp")).collect(Collectors.toList());
    }

    @Test
    void aJvmKilledMidDumpLeavesAFileTheNextDumpRemoves() throws Exception {
        Path target = dir.resolve("target.prof");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> left = List.of();
        for (int attempt = 0; attempt < 20 && left.isEmpty(); attempt++) {
            Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    SlowDumpChild.class.getName(), target.toString()).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine());
                // Kill it the moment a dump is under way: its temporary file exists.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (temporaryFiles().isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
            } finally {
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            }
            left = temporaryFiles();
        }
        assertEquals(1, left.size(), "a temporary file left by the killed dump: " + names());
        assertTrue(left.get(0).startsWith(".target.prof."), left.get(0));

        ProfileFiles.write(small(), target, "target.prof");
        assertEquals(List.of("target.prof"), names(), "the next dump removed the dead writer's file");
    }

    @Test
    void filesOfLiveWritersAndOtherNamesStay() throws Exception {
        Path target = dir.resolve("t.prof");
        String ns = ProfileFiles.Writer.NAMESPACE;
        long self = ProcessHandle.current().pid();
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            // Writers alive in this namespace: this JVM, and another process started before its file was written.
            String mine = ".t.prof." + self + "-" + ns + ".abc.tmp";
            String live = ".t.prof." + sleeper.pid() + "-" + ns + ".def.tmp";
            // A writer counted in another namespace or host, and a file of the earlier form: recent, so kept.
            String foreign = ".t.prof.1-zzzz.ghi.tmp";
            String earlier = ".t.prof.k3j5h2.tmp";
            // Not ours: other profiles' files, other patterns.
            String[] others = {".other.prof." + self + "-" + ns + ".abc.tmp", ".t.prof.1-" + ns + ".abc.tmp.bak",
                ".t.prof.x_y.tmp", "t.prof.1-" + ns + ".abc.tmp", ".t.prof.." + ns + ".abc.tmp"};
            for (String n : List.of(mine, live, foreign, earlier)) Files.write(dir.resolve(n), new byte[0]);
            for (String n : others) Files.write(dir.resolve(n), new byte[0]);
            // Old enough to be abandoned, were they ours.
            FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 2 * ProfileFiles.STALE_AFTER_MILLIS);
            for (String n : others) Files.setLastModifiedTime(dir.resolve(n), old);
            Files.setLastModifiedTime(dir.resolve(live), FileTime.fromMillis(System.currentTimeMillis() + 5000));
            ProfileFiles.write(small(), target, "t.prof");
            List<String> expected = new java.util.ArrayList<>(List.of(mine, live, foreign, earlier, "t.prof"));
            expected.addAll(List.of(others));
            expected.sort(null);
            assertEquals(expected, names());

            // Once old, the foreign and the earlier file go; the live writers' stay, even untouched for long.
            Files.setLastModifiedTime(dir.resolve(foreign), old);
            Files.setLastModifiedTime(dir.resolve(earlier), old);
            long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
            Files.setLastModifiedTime(dir.resolve(mine), FileTime.fromMillis(started));
            ProfileFiles.write(small(), target, "t.prof");
            expected.remove(foreign);
            expected.remove(earlier);
            assertEquals(expected, names());
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor();
        }
    }

    @Test
    void aDeadWritersFileGoesAtOnceAndAReusedIdDoesNotSaveIt() throws Exception {
        Path target = dir.resolve("t.prof");
        String ns = ProfileFiles.Writer.NAMESPACE;
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        String dead = ".t.prof." + done.pid() + "-" + ns + ".abc.tmp";
        // A file last written before this JVM started, named for this JVM's id: its writer was an earlier process
        // that had the same id.
        String reused = ".t.prof." + ProcessHandle.current().pid() + "-" + ns + ".def.tmp";
        Files.write(dir.resolve(dead), new byte[0]);
        Files.write(dir.resolve(reused), new byte[0]);
        long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        Files.setLastModifiedTime(dir.resolve(reused), FileTime.fromMillis(started - 60_000));
        ProfileFiles.write(small(), target, "t.prof");
        assertEquals(List.of("t.prof"), names());
    }
}
