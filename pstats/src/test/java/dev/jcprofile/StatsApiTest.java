package dev.jcprofile;

import dev.jcprofile.cpython.PyFormat;
import dev.jcprofile.cpython.PyText;
import dev.jcprofile.format.Figures;
import dev.jcprofile.golden.Python;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The parts of {@link Stats}' API that mirror pstats' attributes and methods beside the reports: the totals,
 * {@code files}, {@code get_stats_profile}, the legacy numeric sort keys, {@code dump_stats}, and the rows, each
 * against python3's pstats on the same cProfile file. Every expected value is printed by python3.
 */
class StatsApiTest {
    @TempDir
    static Path dir;
    private static Path profile;
    private TimeZone savedZone;

    /**
     * A cProfile file written by python3: rec recurses (calls differ from primitive calls), leaf has two callers.
     * rec and leaf spin a millisecond or two a call, so that get_stats_profile's times, rounded to three decimals,
     * are not all 0.0 and a per-call figure divided by the wrong count shows.
     */
    @BeforeAll
    static void profile() {
        profile = dir.resolve("py.prof");
        python("import cProfile\n"
                + "def leaf(n):\n"
                + "    for _ in range(100000): pass\n"
                + "    return n * 2\n"
                + "def rec(n):\n"
                + "    for _ in range(100000): pass\n"
                + "    return leaf(n) + (rec(n - 1) if n else 0)\n"
                + "def other(): return leaf(3)\n"
                + "def main():\n"
                + "    for i in range(3): rec(4); other()\n"
                + "cProfile.run('main()', " + repr(profile) + ")\n");
    }

    /** The files' header stamps are local time: the JVM takes the zone that Python.exec gives python3. */
    @BeforeEach
    void zone() {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(Python.TZ));
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(savedZone);
    }

    /** total_calls, prim_calls, total_tt (exact, as repr), len(stats) against data().size(), and every files line. */
    @Test
    void totalsDataSizeAndFiles() throws Exception {
        Stats s = new Stats(profile.toString());
        StringBuilder actual = new StringBuilder().append(s.totalCalls()).append('\n').append(s.primitiveCalls())
                .append('\n').append(PyFormat.floatRepr(s.totalTime())).append('\n').append(s.data().size())
                .append('\n').append(s.files().size()).append('\n');
        for (String f : s.files()) actual.append(f).append('\n');
        assertEquals(python("import pstats\n"
                + "s = pstats.Stats(" + repr(profile) + ")\n"
                + "print(s.total_calls, s.prim_calls, repr(s.total_tt), len(s.stats), len(s.files), sep='\\n')\n"
                + "for f in s.files: print(f)\n"), actual.toString());
    }

    /**
     * get_stats_profile, every field of every function, in file order and sorted by cumulative time. Compared in
     * order: func_profiles is a dict filled in fcn_list's order, which statsProfile() keeps too.
     */
    @Test
    void statsProfileIsGetStatsProfile() throws Exception {
        StringBuilder actual = new StringBuilder();
        for (String[] keys : new String[][] {{}, {"cumulative"}}) {
            StatsProfile p = new Stats(profile.toString()).sortStats(keys).statsProfile();
            actual.append("order ").append(String.join(",", keys)).append('\n')
                    .append(PyFormat.floatRepr(p.totalTt())).append('\n');
            for (Map.Entry<String, FunctionProfile> e : p.funcProfiles().entrySet()) {
                FunctionProfile f = e.getValue();
                actual.append(String.join("|", e.getKey(), f.ncalls(), PyFormat.floatRepr(f.tottime()),
                        PyFormat.floatRepr(f.percallTottime()), PyFormat.floatRepr(f.cumtime()),
                        PyFormat.floatRepr(f.percallCumtime()), f.fileName(), Long.toString(f.lineNumber())))
                        .append('\n');
            }
        }
        assertEquals(python("import pstats\n"
                + "for keys in [(), ('cumulative',)]:\n"
                + "    p = pstats.Stats(" + repr(profile) + ").sort_stats(*keys).get_stats_profile()\n"
                + "    print('order ' + ','.join(keys))\n"
                + "    print(repr(float(p.total_tt)))\n"
                + "    for name, f in p.func_profiles.items():\n"
                + "        print('|'.join([name, f.ncalls, repr(float(f.tottime)), repr(float(f.percall_tottime)),\n"
                + "            repr(float(f.cumtime)), repr(float(f.percall_cumtime)),\n"
                + "            f.file_name, str(f.line_number)]))\n"),
                actual.toString());
    }

    /** sort_stats(-1), (0), (1), (2) then print_stats: the whole report, byte for byte, for each legacy key. */
    @Test
    void legacyNumericSortKeys() throws Exception {
        StringBuilder actual = new StringBuilder();
        for (int key : new int[] {-1, 0, 1, 2}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new Stats(profile.toString()).stream(out).sortStats(key).printStats();
            actual.append("== sort_stats(").append(key).append(")\n").append(out.toString(StandardCharsets.UTF_8));
        }
        assertEquals(python("import pstats, sys\n"
                + "for key in (-1, 0, 1, 2):\n"
                + "    print('== sort_stats(%d)' % key)\n"
                + "    pstats.Stats(" + repr(profile) + ", stream=sys.stdout).sort_stats(key).print_stats()\n"),
                actual.toString());
    }

    /**
     * dumpStats' file, loaded by python3's pstats, is the dict marshal loads from the original. Compared by repr,
     * which also sees key order, callers' order and int/float types, where == would not.
     */
    @Test
    void dumpStatsWritesWhatPythonLoadsAsTheSameDict() throws Exception {
        Path dumped = dir.resolve("dumped.prof");
        new Stats(profile.toString()).dumpStats(dumped.toString());
        String[] both = python("import marshal, pstats\n"
                + "with open(" + repr(profile) + ", 'rb') as f: print(repr(marshal.load(f)))\n"
                + "print(repr(pstats.Stats(" + repr(dumped) + ").stats))\n").split("\n");
        assertEquals(2, both.length);
        assertEquals(both[0], both[1], "python3's reading of dumpStats' file");
    }

    /** rows() in file order: each key and its figures against the stats dict's (cc, nc, tt, ct). */
    @Test
    void rowsAreTheStatsDict() throws Exception {
        StringBuilder actual = new StringBuilder();
        for (FunctionStats row : new Stats(profile.toString()).rows()) {
            Figures f = row.figures();
            actual.append(String.join("|", row.key().file(), Long.toString(row.key().line()), row.key().name(),
                    Long.toString(f.primitiveCalls()), Long.toString(f.calls()), PyFormat.floatRepr(f.ownTime()),
                    PyFormat.floatRepr(f.cumulativeTime()))).append('\n');
        }
        assertEquals(python("import pstats\n"
                + "s = pstats.Stats(" + repr(profile) + ")\n"
                + "for (file, line, name), (cc, nc, tt, ct, callers) in s.stats.items():\n"
                + "    print('|'.join([file, str(line), name, str(cc), str(nc), repr(tt), repr(ct)]))\n"),
                actual.toString());
    }

    private static String repr(Path p) {
        return PyText.repr(p.toString());
    }

    private static String python(String code) {
        Python.Result r = Python.script(code, "");
        assertEquals(0, r.exit, r.err);
        return r.text();
    }
}
