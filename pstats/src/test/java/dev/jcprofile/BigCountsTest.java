package dev.jcprofile;

import dev.jcprofile.cpython.PyText;
import dev.jcprofile.golden.Python;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Counts and line numbers past a long, as Python's ints hold them: read, added (files, and strip_dirs's
 * collisions), sorted, printed, and written back by dumpStats, each against python3's pstats on the same files,
 * which python3 itself writes.
 */
class BigCountsTest {
    @TempDir
    static Path dir;
    private static Path[] parts = new Path[3];
    private TimeZone savedZone;

    @BeforeAll
    static void profiles() {
        StringBuilder code = new StringBuilder("import marshal\n"
                + "n = 4 * 10 ** 18\n"
                + "def st(part):\n"
                + "    f = ('/d1/f.py', 10, 'f'); g = ('/d2/g.py', 2 ** 70, 'g'); h = ('/d1/h.py', -2 ** 80, 'h')\n"
                + "    f2 = ('/d2/f.py', 10, 'f')\n" // collides with f under strip_dirs
                + "    return {\n"
                + "        f: (n, n, 1.5, 2.5, {g: (n, n - 1, 0.5, 1.0), h: (2 ** 63 - part, 2 ** 63 - 1, 0.0, 0.0)}),\n"
                + "        g: (3 * n, n, 0.5, 3.0, {f: (2 ** 62, 2 ** 62 + part, 0.25, 0.25)}),\n"
                + "        h: (2 ** 100 + part, 2 ** 99, 1.0, 1.0, {('/d1/f.py', 10, 'f'): 2 ** 64}),\n"
                + "        f2: (2 ** 63 - 1, 2 ** 63 - 1, 0.125, 0.125, {g: (2 ** 63 - 1, 1, 0.0, 0.0)}),\n"
                + "        ('/d3/s.py', 2 ** 64, 'small'): (1, 1, 0.25, 0.25, {}),\n"
                + "        ('/d3/s.py', 2 ** 64 + 1, 'small'): (-(2 ** 63) - part, 0, 0.25, 0.25, {}),\n"
                + "    }\n");
        for (int i = 0; i < 3; i++) {
            parts[i] = dir.resolve("part" + i + ".prof");
            code.append("marshal.dump(st(").append(i).append("), open(").append(repr(parts[i])).append(", 'wb'))\n");
        }
        python(code.toString());
    }

    @BeforeEach
    void zone() {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(Python.TZ));
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(savedZone);
    }

    private static final String[][] ORDERS = {{}, {"calls"}, {"pcalls", "line"}, {"line"}, {"nfl"}, {"time", "calls"}};

    /** One file, and all three added: print_stats, print_callers and print_callees in several orders, then stripped. */
    @Test
    void reportsAsPython() throws Exception {
        for (int files = 1; files <= 3; files += 2) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String[] names = new String[files];
            StringBuilder pyFiles = new StringBuilder();
            for (int i = 0; i < files; i++) {
                names[i] = parts[i].toString();
                pyFiles.append(repr(parts[i])).append(", ");
            }
            Stats s = new Stats(names).stream(bytes);
            for (int strip = 0; strip < 2; strip++) {
                for (String[] order : ORDERS) s.sortStats(order).printStats().printCallers().printCallees();
                s.stripDirs();
            }
            StringBuilder orders = new StringBuilder("[");
            for (String[] order : ORDERS) {
                orders.append('[');
                for (String k : order) orders.append(PyText.repr(k)).append(',');
                orders.append("],");
            }
            String expected = python("import pstats, sys\n"
                    + "s = pstats.Stats(" + pyFiles + "stream=sys.stdout)\n"
                    + "for strip in range(2):\n"
                    + "    for order in " + orders + "]:\n"
                    + "        s.sort_stats(*order).print_stats().print_callers().print_callees()\n"
                    + "    s.strip_dirs()\n");
            assertEquals(expected, bytes.toString(StandardCharsets.UTF_8), files + " file(s)");
        }
    }

    /** Totals exactly, and dumpStats' file as python3 loads it: the dict pstats.Stats makes of the same files. */
    @Test
    void totalsAndDumpAsPython() throws Exception {
        Stats s = new Stats(parts[0].toString(), parts[1].toString(), parts[2].toString());
        Path dumped = dir.resolve("dumped.prof");
        s.dumpStats(dumped);
        String actual = s.exactTotalCalls() + " " + s.exactPrimitiveCalls() + "\n";
        String expected = python("import pstats\n"
                + "s = pstats.Stats(" + repr(parts[0]) + ", " + repr(parts[1]) + ", " + repr(parts[2]) + ")\n"
                + "print(s.total_calls, s.prim_calls)\n"
                + "print(repr(s.stats) == repr(pstats.Stats(" + repr(dumped) + ").stats))\n");
        assertEquals(expected, actual + "True\n");
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
