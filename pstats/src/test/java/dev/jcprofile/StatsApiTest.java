package dev.jcprofile;

import dev.jcprofile.cpython.PyFormat;
import dev.jcprofile.format.Figures;
import dev.jcprofile.golden.Python;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The parts of {@link Stats}' API that mirror pstats' attributes and methods beside the reports: the totals,
 * {@code files}, {@code get_stats_profile}, the legacy numeric sort keys, {@code dump_stats}, and the rows, each
 * against python3's pstats on the same cProfile file.
 */
class StatsApiTest {
    @TempDir
    Path dir;
    private Path profile;
    private TimeZone savedZone;

    /** A cProfile file with recursion and a function of two callers, written by python3. */
    @BeforeEach
    void profile() {
        // The header's time stamp is local time: the JVM takes the zone that Python.exec gives python3.
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(Python.TZ));
        profile = dir.resolve("py.prof");
        python("import cProfile\n"
                + "def leaf(n): return n * 2\n"
                + "def rec(n): return leaf(n) + (rec(n - 1) if n else 0)\n"
                + "def other(): return leaf(3)\n"
                + "def main():\n"
                + "    for i in range(200): rec(6); other()\n"
                + "cProfile.run('main()', " + repr(profile) + ")\n");
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(savedZone);
    }

    @Test
    void totalsAndFiles() throws Exception {
        Stats s = new Stats(profile.toString());
        String expected = python("import pstats\n"
                + "s = pstats.Stats(" + repr(profile) + ")\n"
                + "print(s.total_calls, s.prim_calls, repr(s.total_tt), len(s.stats))\n"
                + "print(s.files[0])\n");
        assertEquals(expected, s.totalCalls() + " " + s.primitiveCalls() + " " + PyFormat.floatRepr(s.totalTime()) + " "
                + s.data().size() + "\n" + s.files().get(0) + "\n");
    }

    @Test
    void statsProfileIsGetStatsProfile() throws Exception {
        StatsProfile p = new Stats(profile.toString()).sortStats("cumulative").statsProfile();
        StringBuilder actual = new StringBuilder(PyFormat.floatRepr(p.totalTt())).append('\n');
        for (Map.Entry<String, FunctionProfile> e : p.funcProfiles().entrySet()) {
            FunctionProfile f = e.getValue();
            actual.append(e.getKey()).append('|').append(f.ncalls()).append('|').append(PyFormat.floatRepr(f.tottime()))
                    .append('|').append(PyFormat.floatRepr(f.percallTottime())).append('|')
                    .append(PyFormat.floatRepr(f.cumtime())).append('|').append(PyFormat.floatRepr(f.percallCumtime()))
                    .append('|').append(f.fileName()).append('|').append(f.lineNumber()).append('\n');
        }
        assertEquals(python("import pstats\n"
                + "p = pstats.Stats(" + repr(profile) + ").sort_stats('cumulative').get_stats_profile()\n"
                + "print(repr(p.total_tt))\n"
                + "for name, f in p.func_profiles.items():\n"
                + "    print('|'.join([name, f.ncalls, repr(float(f.tottime)), repr(float(f.percall_tottime)),\n"
                + "        repr(float(f.cumtime)), repr(float(f.percall_cumtime)), f.file_name, str(f.line_number)]))\n"),
                actual.toString());
    }

    @Test
    void legacyNumericSortKeys() throws Exception {
        for (int key : new int[] {-1, 0, 1, 2}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Stats(profile.toString()).stream(out).sortStats(key).printStats();
            assertEquals(python("import pstats, sys\n"
                    + "pstats.Stats(" + repr(profile) + ", stream=sys.stdout).sort_stats(" + key + ").print_stats()\n"),
                    out.toString(StandardCharsets.UTF_8), "sort_stats(" + key + ")");
        }
    }

    @Test
    void dumpStatsWritesWhatPythonLoadsAsTheSameDict() throws Exception {
        Path dumped = dir.resolve("dumped.prof");
        new Stats(profile.toString()).dumpStats(dumped.toString());
        assertEquals("True\n", python("import marshal\n"
                + "a = marshal.load(open(" + repr(profile) + ", 'rb'))\n"
                + "b = marshal.load(open(" + repr(dumped) + ", 'rb'))\n"
                + "print(a == b and list(a) == list(b))\n"));
    }

    @Test
    void rowsAreTheStatsDict() throws Exception {
        List<String> rows = new ArrayList<>();
        for (FunctionStats row : new Stats(profile.toString()).rows()) {
            Figures f = row.figures();
            rows.add(row.key().file() + "|" + row.key().line() + "|" + row.key().name() + "|" + f.primitiveCalls() + "|"
                    + f.calls() + "|" + PyFormat.floatRepr(f.ownTime()) + "|" + PyFormat.floatRepr(f.cumulativeTime()));
        }
        assertEquals(python("import pstats\n"
                + "for (file, line, name), (cc, nc, tt, ct, callers) in pstats.Stats(" + repr(profile) + ").stats.items():\n"
                + "    print('|'.join([file, str(line), name, str(cc), str(nc), repr(tt), repr(ct)]))\n"),
                String.join("\n", rows) + "\n");
    }

    private static String repr(Path p) {
        return dev.jcprofile.cpython.PyText.repr(p.toString());
    }

    private static String python(String code) {
        Python.Result r = Python.script(code, "");
        assertEquals(0, r.exit, r.err);
        return r.text();
    }
}
