package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/jpstats} with bad files: each gives its one-line problem and the browser goes on. Needs the packaged
 * jar, so failsafe runs it in {@code mvn verify}.
 */
class JpstatsBadFilesIT {
    @TempDir
    Path dir;

    private static final String WELCOME = "Welcome to the profile statistics browser.\n";

    private PythonTool.Result jpstats(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of("bin", "jpstats").toAbsolutePath().toString());
        command.addAll(List.of(args));
        PythonTool.Result r = PythonTool.runWithJava(command, stdin.getBytes(StandardCharsets.UTF_8), dir);
        assertEquals(0, r.exitCode, "exit code; stderr: " + r.stderr);
        assertEquals("", r.stderr, "nothing on stderr (no stack trace)");
        return r;
    }

    /** The bad files, by the name given to jpstats. */
    private Map<String, byte[]> badFiles() throws Exception {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        byte[] good = Files.readAllBytes(PythonProfiles.get("cprofile", 4));
        bad.put("empty.prof", new byte[0]);
        bad.put("notes.txt", "Ordered by: cumulative time\n".getBytes(StandardCharsets.UTF_8));
        bad.put("half.prof", java.util.Arrays.copyOf(good, good.length / 2));
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        random[0] = '{';
        bad.put("random.prof", random);
        bad.put("list.prof", new MarshalBytes().list(2).i(1).i(2).bytes());
        bad.put("emptydict.prof", new MarshalBytes().dict().end().bytes());
        bad.put("shape.prof", new MarshalBytes().dict().smallTuple(2).z("a.py").i(1)
                .smallTuple(5).i(1).i(1).g(0).g(0).dict().end().end().bytes());
        MarshalBytes deep = new MarshalBytes();
        for (int i = 0; i < 300_000; i++) deep.smallTuple(1);
        bad.put("deep.prof", deep.code('N').bytes());
        bad.put("huge.prof", new MarshalBytes().list(Integer.MAX_VALUE).code('N').bytes());
        byte[] badRef = new MarshalBytes().dict().smallTuple(3).z("a.py").i(1).z("f")
                .smallTuple(5).i(1).i(1).g(0).g(0).dict().ref(0x7f000000).end().end().bytes();
        bad.put("badref.prof", badRef);
        for (Map.Entry<String, byte[]> e : bad.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        Files.createDirectory(dir.resolve("folder.prof"));
        bad.put("folder.prof", null);
        bad.put("missing.prof", null);
        return bad;
    }

    /**
     * The line jpstats must print: for a file the system refuses, the system's message alone, as python3's
     * pstats browser prints an OSError (GoldenIT's os_errors script compares it with python3 itself); otherwise
     * what the library says of the file.
     */
    private String problem(String name) {
        if (name.equals("folder.prof")) return "Is a directory";
        if (name.equals("missing.prof")) return "No such file or directory";
        try {
            ProfileFiles.read(dir.resolve(name), name);
            throw new AssertionError(name + " reads as a profile");
        } catch (ProfileException e) {
            assertFalse(e.getMessage().contains("\n"));
            return e.getMessage();
        }
    }

    @Test
    void aBadFileOnTheCommandLinePrintsOneLineThenTheBrowserGoesOn() throws Exception {
        Files.copy(PythonProfiles.get("small_cprofile", 4), dir.resolve("good.prof"));
        String commands = "read good.prof\nstats 3\nquit\n";
        // Without a file, the browser starts empty; after a bad file it must be exactly so, one line before.
        String reference = jpstats(commands).out();
        assertTrue(reference.startsWith(WELCOME + "% good.prof% "), reference);
        assertTrue(reference.contains("function calls"), reference);
        for (String name : badFiles().keySet()) {
            assertEquals(problem(name) + "\n" + reference, jpstats(commands, name).out(), name);
        }
    }

    @Test
    void readingABadFileInASessionKeepsThePreviousStatistics() throws Exception {
        Files.copy(PythonProfiles.get("small_cprofile", 4), dir.resolve("good.prof"));
        String reference = jpstats("stats 3\nquit\n", "good.prof").out();
        String prompt = WELCOME + "good.prof% ";
        assertTrue(reference.startsWith(prompt), reference);
        for (String name : badFiles().keySet()) {
            String expected = prompt + problem(name) + "\n" + "good.prof% " + reference.substring(prompt.length());
            assertEquals(expected, jpstats("read " + name + "\nstats 3\nquit\n", "good.prof").out(), name);
        }
    }
}
