package dev.jcprofile.format;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read, write, read again: the same profile. And what the writer writes, CPython's own {@code python3 -m pstats}
 * loads and prints byte for byte as it prints the original, the address in a code object's repr aside.
 *
 * <p>A {@code profile}-module file keys the profiled script by a code object. The writer writes such a name as the
 * code object's repr, a str, since a profile has no use for the code itself: pstats prints the same text for both,
 * with the address (different in every process anyway) the reader made up.
 */
class RoundTripTest {
    @TempDir
    Path dir;

    static byte[] write(ProfileData d) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProfileFiles.write(d, out);
        return out.toByteArray();
    }

    /** Like {@link Canon#profile}, but a name is its text whether it came as a code object or as a str. */
    static String asText(ProfileData d) {
        return Canon.norm(Canon.profile(d).replace("code:'", "'"));
    }

    private static List<Object[]> profiles() throws Exception {
        List<Object[]> all = new ArrayList<>();
        for (Path p : PythonProfiles.all().keySet()) all.add(new Object[] {p.getFileName().toString(), Files.readAllBytes(p)});
        all.add(new Object[] {"python2", HandBuiltProfileTest.python2Profile()});
        return all;
    }

    @TestFactory
    List<DynamicTest> readWriteReadGivesTheSameProfile() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object[] p : profiles()) {
            tests.add(DynamicTest.dynamicTest((String) p[0], () -> {
                ProfileData first = ProfileFiles.parse((byte[]) p[1], "p");
                byte[] written = write(first);
                ProfileData second = ProfileFiles.parse(written, "p");
                assertEquals(asText(first), asText(second));
                // Writing what was read back changes nothing more: the writer is deterministic.
                assertArrayEquals(written, write(second));
                for (int e = 0; e < first.size(); e++) {
                    assertEquals(first.key(e).name(), second.key(e).name(), "a code object's repr becomes the name");
                }
            }));
        }
        return tests;
    }

    /** What {@code python3 -m pstats NAME} prints for these commands, run in the file's directory. */
    static String pstats(Path file, String commands) {
        PythonTool.Result r = PythonTool.run(List.of(PythonTool.PYTHON, "-m", "pstats", file.getFileName().toString()),
                commands.getBytes(StandardCharsets.UTF_8), file.getParent());
        assertEquals(0, r.exitCode, r.stderr);
        assertTrue(r.stderr.isEmpty(), r.stderr);
        return Canon.norm(r.out());
    }

    private static final String COMMANDS = "stats\ncallers\ncallees\nsort cumulative\nstats 15\nsort tottime\n"
            + "callers 5\nsort calls\ncallees .5\nstrip\nsort pcalls\nstats\nreverse\nstats 3\n";
    /** Sorting by name compares the names, which pstats cannot do when one is a code object: str keys only. */
    private static final String NAME_COMMANDS = "sort nfl\nstats\nsort file line\ncallers\n";

    @TestFactory
    List<DynamicTest> cpythonPrintsWhatTheWriterWroteAsItPrintsTheOriginal() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        int n = 0;
        for (Map.Entry<Path, String> e : PythonProfiles.all().entrySet()) {
            String name = e.getKey().getFileName().toString();
            Path a = dir.resolve("original" + n), b = dir.resolve("rewritten" + n);
            n++;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Files.createDirectories(a);
                Files.createDirectories(b);
                Path original = Files.copy(e.getKey(), a.resolve("run.prof"));
                Path rewritten = b.resolve("run.prof");
                Files.write(rewritten, write(ProfileFiles.read(original, "run.prof")));
                Files.setLastModifiedTime(original, mtime);
                Files.setLastModifiedTime(rewritten, mtime);
                String commands = name.startsWith("profile") || name.startsWith("small_profile")
                        ? COMMANDS : COMMANDS + NAME_COMMANDS;
                String expected = pstats(original, commands);
                assertTrue(expected.contains("function calls"), expected);
                assertEquals(expected, pstats(rewritten, commands));
            }));
        }
        return tests;
    }

    @Test
    void cpythonPrintsARewrittenPython2ProfileAsTheSameDictWrittenByPython3() throws Exception {
        // python3 cannot read Python 2's string references; it reads the same dict from a literal instead.
        FileTime mtime = FileTime.fromMillis(1_600_000_000_000L);
        Path a = Files.createDirectories(dir.resolve("literal")), b = Files.createDirectories(dir.resolve("py2"));
        Path literal = a.resolve("old.prof"), rewritten = b.resolve("old.prof");
        PythonTool.Result r = PythonTool.run(List.of(PythonTool.PYTHON, "-c",
                "import marshal, sys; marshal.dump(" + HandBuiltProfileTest.PYTHON2_PROFILE_LITERAL
                        + ", open(sys.argv[1], 'wb'))", literal.toString()), null, null);
        assertEquals(0, r.exitCode, r.stderr);
        Files.write(rewritten, write(ProfileFiles.parse(HandBuiltProfileTest.python2Profile(), "old.prof")));
        Files.setLastModifiedTime(literal, mtime);
        Files.setLastModifiedTime(rewritten, mtime);
        String commands = COMMANDS + NAME_COMMANDS;
        assertEquals(pstats(literal, commands), pstats(rewritten, commands));
    }

    /**
     * Values at the edges of what the writer writes: counts beyond 32 and 64-bit int (TYPE_LONG), negative lines,
     * infinite, NaN and negative-zero times, names outside the BMP, lone surrogates, strings of 256 characters and
     * more (TYPE_ASCII), a key used as caller by many functions (references), profile-module call counts. CPython
     * must read the written file as the same profile.
     */
    @Test
    void cpythonReadsEdgeValuesAsWritten() throws Exception {
        ProfileData d = new ProfileData();
        String[] names = {"f", "x".repeat(255), "y".repeat(256), "caf\u00e9", "\ud83d\ude00 emoji", "lone \udc80",
            "<built-in method builtins.len>", ""};
        long[] counts = {0, 1, Integer.MAX_VALUE, 1L + Integer.MAX_VALUE, Integer.MIN_VALUE, -1L + Integer.MIN_VALUE,
            Long.MAX_VALUE, Long.MIN_VALUE, 1L << 45};
        double[] times = {0.0, -0.0, 1e-300, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, 0.1};
        int k = 0;
        for (int i = 0; i < 40; i++) {
            FunctionKey key = new FunctionKey(i % 3 == 0 ? "~" : "/src/\u00fcber/m" + (i % 5) + ".py",
                    i % 4 == 0 ? counts[i % counts.length] : i, names[i % names.length] + i);
            int entry = d.beginEntry(d.intern(key), counts[k++ % counts.length], counts[k++ % counts.length],
                    times[k++ % times.length], times[k++ % times.length]);
            for (int c = 0; c < i % 6; c++) {
                FunctionKey caller = new FunctionKey("/src/callers.py", c, names[c % names.length]);
                boolean isCount = i % 5 == 0;
                long n = counts[(k++) % counts.length];
                d.addCaller(entry, d.intern(caller), n, isCount ? n : counts[k++ % counts.length],
                        isCount ? 0 : times[k++ % times.length], isCount ? 0 : times[k++ % times.length], isCount, false);
            }
        }
        Path p = dir.resolve("edges.prof");
        Files.write(p, write(d));
        assertEquals(Canon.profile(d), PythonTool.profileCanon(List.of(p)).get(0));
        assertEquals(Canon.profile(d), Canon.profile(ProfileFiles.read(p, "edges.prof")));
    }
}
