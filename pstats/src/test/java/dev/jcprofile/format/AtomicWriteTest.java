package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code ProfileFiles.write(data, path, label)}: a temporary file and a rename, so that the target is either the
 * old file or the whole new one, never a part; no temporary file is left behind either way; failures are one line.
 */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private static ProfileData profile() throws Exception {
        return ProfileFiles.read(PythonProfiles.get("cprofile", 4), "p");
    }

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String writeProblem(ProfileData d, Path target) {
        try {
            ProfileFiles.write(d, target, "target.prof");
            fail("written to " + target);
            return null;
        } catch (ProfileException e) {
            assertEquals("target.prof", e.file());
            return BadInput.checkOneLine(e);
        }
    }

    @Test
    void writesTheWholeFileAndLeavesNothingElse() throws Exception {
        ProfileData d = profile();
        Path target = dir.resolve("out.prof");
        ProfileFiles.write(d, target, "out.prof");
        assertEquals(List.of("out.prof"), names(dir));
        assertArrayEquals(RoundTripTest.write(d), Files.readAllBytes(target));
        // Again, over the file now there.
        ProfileData small = ProfileFiles.read(PythonProfiles.get("small_cprofile", 4), "p");
        ProfileFiles.write(small, target, "out.prof");
        assertEquals(List.of("out.prof"), names(dir));
        assertArrayEquals(RoundTripTest.write(small), Files.readAllBytes(target));
    }

    @Test
    void aNewFileGetsTheUsualPermissionsAndAReplacedFileKeepsItsOwn() throws Exception {
        // Like Python's open(): what the umask leaves of rw-rw-rw-, not the owner-only mode of a temporary file.
        Path reference = Files.write(dir.resolve("reference"), new byte[1]);
        Path target = dir.resolve("new.prof");
        ProfileFiles.write(profile(), target, "new.prof");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(target));
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(target, mode);
        ProfileFiles.write(profile(), target, "new.prof");
        assertEquals(mode, Files.getPosixFilePermissions(target));
    }

    @Test
    void missingDirectory() throws Exception {
        assertEquals("No such file or directory", writeProblem(profile(), dir.resolve("no/such/out.prof")));
        assertEquals(List.of(), names(dir));
    }

    @Test
    void targetIsADirectory() throws Exception {
        Path target = Files.createDirectory(dir.resolve("out.prof"));
        Files.write(target.resolve("inside"), new byte[] {1});
        String problem = writeProblem(profile(), target);
        assertEquals("Is a directory", problem);
        assertEquals(List.of("out.prof"), names(dir));
        assertEquals(List.of("inside"), names(target));
        Path empty = Files.createDirectory(dir.resolve("empty.prof"));
        assertEquals("Is a directory", writeProblem(profile(), empty));
        assertTrue(Files.isDirectory(empty));
        assertEquals(List.of("empty.prof", "out.prof"), names(dir));
    }

    @Test
    void unwritableDirectory() throws Exception {
        // Root may write anywhere its permissions say no; a directory of sysfs refuses everyone.
        boolean root = "root".equals(System.getProperty("user.name"));
        Path locked = root ? Path.of("/sys") : dir.resolve("locked");
        if (!root) {
            Files.createDirectory(locked);
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        List<String> before = names(locked);
        assertEquals("Permission denied", writeProblem(profile(), locked.resolve("out.prof")));
        assertEquals(before, names(locked));
    }

    @Test
    void aWriteFailingHalfWayLeavesTheOldFileWhole() throws Exception {
        // A child JVM limited to files of 8 KB (ulimit -f counts 1024-byte blocks in sh on Linux) writes a profile
        // of some 30 KB over an existing file: the write fails part way, with EFBIG.
        Path source = PythonProfiles.get("cprofile", 4);
        assertTrue(Files.size(source) > 16 * 1024, "the profile must be bigger than the limit");
        Path target = dir.resolve("target.prof");
        byte[] old = Files.readAllBytes(PythonProfiles.get("small_cprofile", 4));
        Files.write(target, old);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -f 8 && exec \"$0\" \"$@\"", java,
                "-cp", System.getProperty("java.class.path"), AtomicWriteChild.class.getName(), source.toString(),
                target.toString()));
        PythonTool.Result r = PythonTool.run(command, null, null);
        assertEquals(0, r.exitCode, r.stderr);
        assertEquals("target.prof: File too large", r.out().strip());
        assertArrayEquals(old, Files.readAllBytes(target));
        assertEquals(List.of("target.prof"), names(dir));
    }
}
