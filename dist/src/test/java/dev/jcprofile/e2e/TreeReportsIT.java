package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readers of a recorded call tree, on files written by {@code bin/jcprofile --tree}: {@code jpstats --collapsed}
 * agrees with python3's reading of the same file's table, function by function, and names frames as pstats names
 * functions after {@code strip}; the README's slow migration shows its slow path as one line, and as one branch of
 * the browser's {@code tree}; a file without a tree, and a bad argument, get one line.
 */
@Execution(ExecutionMode.CONCURRENT)
class TreeReportsIT {
    /** The node of the calls past the depth cap, named as pstats names a built-in (the semantics programs' dive). */
    private static final String DEEP = "{calls deeper than 1024}";

    /**
     * python3's table after strip_dirs(): per function, as pstats prints its name, the calls and the own time in
     * seconds; a name is escaped as --collapsed escapes frames.
     */
    private static final String PYTHON_TABLE = String.join("\n",
            "import pstats, sys",
            "s = pstats.Stats(sys.argv[1]).strip_dirs()",
            "def frame(name):",
            "    out = []",
            "    for ch in name:",
            "        if ch == ';': out.append('\\\\x3b')",
            "        elif ch == '\\n': out.append('\\\\n')",
            "        elif ch == '\\r': out.append('\\\\r')",
            "        elif ch == '\\t': out.append('\\\\t')",
            "        elif ord(ch) < 32 or ord(ch) == 127: out.append('\\\\x%02x' % ord(ch))",
            "        else: out.append(ch)",
            "    return ''.join(out)",
            "for func, (cc, nc, tt, ct, callers) in s.stats.items():",
            "    print('%s\\t%d\\t%r' % (frame(pstats.func_std_string(func)), nc, tt))",
            "");

    /** The semantics programs' profile with its tree, exact timer. */
    private static Prof scenarios(Jdk jdk) {
        return ScenarioRuns.profile(jdk, "--tree", "--timer", "wall");
    }

    /** The README's slow migration recorded with --tree (a one-second pause). */
    private static Path slowMigration(Jdk jdk) {
        return E2E.once(List.of("slow-migration --tree", jdk.label), () -> {
            Path dir = E2E.tempDir("tree-reports");
            Path file = dir.resolve("before.prof");
            E2E.jcprofile(jdk, List.of("--tree", "-o", file.toString()), "-Dmigrate.pace=1", "-jar",
                    DiffIT.exampleJar().toString(), "migrate", "5").run().expectExit(0);
            return file;
        });
    }

    private static Proc.Result jpstats(Jdk jdk, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(E2E.JPSTATS.toString()));
        cmd.addAll(List.of(args));
        return Proc.of(cmd).jdk(jdk).dir(dir).run();
    }

    /** A collapsed line's frames and value. */
    private record Line(List<String> frames, long value) {
        static Line parse(String line) {
            int space = line.lastIndexOf(' ');
            assertTrue(space > 0, "not a collapsed line: " + line);
            return new Line(List.of(line.substring(0, space).split(";", -1)), Long.parseLong(line.substring(space + 1)));
        }

        String last() {
            return frames.get(frames.size() - 1);
        }
    }

    private static List<Line> collapsed(Jdk jdk, Path file, String... options) {
        List<String> args = new ArrayList<>(List.of("--collapsed"));
        args.addAll(List.of(options));
        args.add(file.getFileName().toString());
        Proc.Result r = jpstats(jdk, file.getParent(), args.toArray(new String[0])).expectExit(0);
        assertEquals("", r.stderr(), r.toString());
        List<Line> lines = new ArrayList<>();
        for (String line : r.stdout().split("\n")) if (!line.isEmpty()) lines.add(Line.parse(line));
        assertTrue(lines.size() > 100, "only " + lines.size() + " lines: " + r);
        return lines;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void collapsedStacksAddUpToPythonsTable(Jdk jdk) throws Exception {
        Path file = scenarios(jdk).file;
        Map<String, Long> calls = new HashMap<>();
        Map<String, Long> micros = new HashMap<>();
        Map<String, Integer> paths = new HashMap<>();
        for (Line l : collapsed(jdk, file, "--metric", "calls")) {
            calls.merge(l.last(), l.value(), Long::sum);
            paths.merge(l.last(), 1, Integer::sum);
        }
        for (Line l : collapsed(jdk, file)) micros.merge(l.last(), l.value(), Long::sum);
        Proc.Result python = Proc.of("python3", "-c", PYTHON_TABLE, file.toString()).run().expectExit(0);
        int checked = 0;
        for (String row : python.stdout().split("\n")) {
            if (row.isEmpty()) continue;
            String[] f = row.split("\t");
            String name = f[0];
            long nc = Long.parseLong(f[1]);
            double tt = Double.parseDouble(f[2]);
            if (name.contains("Scenarios.dive")) continue; // its calls past the cap are in the one deep node
            assertEquals(nc, calls.getOrDefault(name, 0L), name + ": calls");
            // Each line's own time is rounded to the microsecond: half a microsecond per line either way.
            int lines = paths.getOrDefault(name, 0);
            assertEquals(tt * 1e6, micros.getOrDefault(name, 0L), 0.5 * lines + 1e-3, name + ": own time");
            checked++;
        }
        assertTrue(checked > 100, "only " + checked + " functions: " + python);
        assertTrue(calls.containsKey(DEEP), "no line for the calls past the depth cap");
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void theSlowMigrationsPathIsOneStack(Jdk jdk) {
        Path file = slowMigration(jdk);
        String sleep = "{built-in method java.lang.Thread.sleep}";
        // The heaviest stack of the migration (forward's), not of the run: on a loaded machine the SQLite
        // driver's start-up (extracting and comparing its native library) can take as long as the pause.
        String forwardFrame = "Migrations.java:59(Migrations$BackfillOrderTotals.forward)";
        Line slowest = null;
        for (Line l : collapsed(jdk, file)) {
            if (l.frames().contains(forwardFrame) && (slowest == null || l.value() > slowest.value())) slowest = l;
        }
        assertNotNull(slowest, "no stack through " + forwardFrame);
        List<String> f = slowest.frames();
        String path = String.join(";", f);
        // forward -> executeQuery -> ... -> step -> xFunc -> sleep, the most own time of any path of forward's.
        assertEquals(sleep, f.get(f.size() - 1), path);
        assertEquals("Migrations.java:63(Migrations$BackfillOrderTotals$1.xFunc)", f.get(f.size() - 2), path);
        assertEquals("{method 'step' of 'org.sqlite.core.NativeDB' objects}", f.get(f.size() - 3), path);
        int forward = f.indexOf(forwardFrame);
        assertTrue(forward > 0, path);
        assertTrue(f.get(forward + 1).endsWith("(JDBC3Statement.executeQuery)"), path);
        assertEquals("Main.java:20(Main.main)", f.get(0), path);
        assertTrue(slowest.value() >= 900_000, "a one-second pause: " + slowest.value() + " µs");
        // With threads apart, the same path under the main thread's name.
        boolean underMain = false;
        for (Line l : collapsed(jdk, file, "--threads")) {
            underMain |= l.frames().get(0).equals("main") && l.frames().subList(1, l.frames().size()).equals(f);
        }
        assertTrue(underMain, "no line main;" + path);
        // The browser's tree under forward prints the same path, one level of indentation per call.
        Proc.Result tree = E2E.jpstats(jdk, file, "strip\ntree BackfillOrderTotals.forward\nquit\n").run().expectExit(0);
        String out = tree.stdout();
        int at = out.indexOf(f.get(forward));
        assertTrue(at > 0, out);
        int column = -1;
        for (int i = forward; i < f.size(); i++) {
            int next = out.indexOf(f.get(i), at);
            assertTrue(next >= 0, f.get(i) + " not below " + f.get(i - 1) + " in:\n" + out);
            int nameColumn = next - (out.lastIndexOf('\n', next) + 1);
            if (column >= 0) assertEquals(column + 2, nameColumn, "indentation of " + f.get(i) + ":\n" + out);
            column = nameColumn;
            at = next;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void withoutATreeOrWithABadArgumentOneLine(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("tree-reports-bad");
        Path file = dir.resolve("flat.prof");
        E2E.jcprofile(jdk, List.of("-o", file.toString()), "-Dmigrate.pace=0", "-jar",
                DiffIT.exampleJar().toString(), "migrate", "1").run().expectExit(0);
        Proc.Result r = jpstats(jdk, dir, "--collapsed", "flat.prof");
        assertEquals(1, r.exit, r.toString());
        assertEquals("", r.stdout(), r.toString());
        assertEquals("jpstats: flat.prof: no call tree in this profile (record one with jcprofile --tree)\n", r.stderr());
        Proc.Result bad = jpstats(jdk, dir, "--collapsed", "--metric", "cumtime", "flat.prof");
        assertEquals(2, bad.exit, bad.toString());
        assertEquals("", bad.stdout(), bad.toString());
        assertEquals(1, bad.stderr().split("\n").length, bad.toString());
        assertTrue(bad.stderr().startsWith("jpstats: --metric"), bad.toString());
        Proc.Result browser = E2E.jpstats(jdk, file, "tree\nquit\n").run().expectExit(0);
        assertTrue(browser.stdout().contains("No call tree in this profile: jcprofile records one with --tree.\n"),
                browser.toString());
        assertTrue(Files.size(file) > 0);
    }
}
