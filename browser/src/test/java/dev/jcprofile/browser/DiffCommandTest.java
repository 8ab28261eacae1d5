package dev.jcprofile.browser;

import dev.jcprofile.Stats;
import dev.jcprofile.format.Figures;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileDiff;
import dev.jcprofile.format.ProfileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Diffs as text: the report, the browser's {@code diff} and {@code help}, and {@code jpstats --diff}. */
class DiffCommandTest {
    private static final FunctionKey MAIN = new FunctionKey("a/M.java", 1, "main"),
            SLOW = new FunctionKey("a/M.java", 5, "slow"), OLD = new FunctionKey("a/Old.java", 3, "old"),
            NEW = new FunctionKey("~", 0, "<built-in method fresh>");

    @TempDir
    Path dir;

    static ProfileData before() {
        ProfileData b = new ProfileData();
        b.beginEntry(b.intern(MAIN), new Figures(1, 1, 0.1, 3.0));
        b.beginEntry(b.intern(SLOW), new Figures(1, 1, 2.0, 2.0));
        b.beginEntry(b.intern(OLD), new Figures(4, 4, 0.2, 0.2));
        return b;
    }

    static ProfileData after() {
        ProfileData c = new ProfileData();
        c.beginEntry(c.intern(MAIN), new Figures(1, 1, 0.1, 1.5));
        c.beginEntry(c.intern(SLOW), new Figures(3, 1, 0.5, 0.5));
        c.beginEntry(c.intern(NEW), new Figures(2, 2, 0.05, 0.05));
        return c;
    }

    private static final String TABLE =
            "  --------------- ncalls ---------------  ------------- tottime -------------  ------------- cumtime -------------\n"
            + "     before     after    change        %    before    after   change        %    before    after   change        %  filename:lineno(function)\n"
            + "          1         3        +2  +200.0%     2.000    0.500   -1.500   -75.0%     2.000    0.500   -1.500   -75.0%  a/M.java:5(slow)\n"
            + "          1         1         0              0.100    0.100    0.000              3.000    1.500   -1.500   -50.0%  a/M.java:1(main)\n"
            + "          4                  -4     gone     0.200            -0.200     gone     0.200            -0.200     gone  a/Old.java:3(old)\n"
            + "                    2        +2      new              0.050   +0.050      new              0.050   +0.050      new  {built-in method fresh}\n";

    @Test
    void theReportNamesBothSidesAndListsEveryFunctionLargestChangeFirst() {
        ProfileData b = before(), a = after();
        assertEquals("   before: (no file)\n"
                + "           6 function calls in 2.300 seconds\n"
                + "   after:  (no file)\n"
                + "           6 function calls (4 primitive calls) in 0.650 seconds\n"
                + "   change: 0 function calls, -1.650 seconds (-71.7%)\n"
                + "\n"
                + "   Ordered by: change in cumulative time\n"
                + "   4 functions: 2 changed, 1 new, 1 gone\n"
                + "\n"
                + TABLE
                + "\n", DiffReport.render(new Stats(b), new Stats(a), ProfileDiff.of(b, a), ProfileDiff.Key.CUMTIME, -1, null));
        String limited = DiffReport.render(new Stats(b), new Stats(a), ProfileDiff.of(b, a), ProfileDiff.Key.CALLS, 2,
                "--limit 2");
        assertTrue(limited.contains("   Ordered by: change in call count\n   4 functions: 2 changed, 1 new, 1 gone\n"
                + "   List reduced from 4 to 2 due to --limit 2\n\n"), limited);
        String[] rows = limited.split("\n");
        // old's -4 calls, then slow's +2 before fresh's +2 by the larger change in cumulative time
        assertTrue(rows[rows.length - 2].endsWith("  a/Old.java:3(old)") && rows[rows.length - 1].endsWith("  a/M.java:5(slow)"),
                limited);
    }

    @Test
    void numbersAsPythonFormatsThem() {
        // "%+.1f%%" % (change / before * 100), as python3 prints them
        assertEquals("+12.5%", DiffReport.relative(8, 1));
        assertEquals("+0.1%", DiffReport.relative(1, 0.00125));
        assertEquals("+0.1%", DiffReport.relative(1, 0.0005));
        assertEquals("-33.3%", DiffReport.relative(3, -1));
        assertEquals("-100.0%", DiffReport.relative(2, -2));
        assertEquals("+200.0%", DiffReport.relative(0.1, 0.2));
        assertEquals("+inf%", DiffReport.relative(0, 0.5));
        assertEquals("", DiffReport.relative(0, 0));
        assertEquals("", DiffReport.relative(5, 0));
        assertEquals("  +0.000", DiffReport.signedSeconds(1e-9));
        assertEquals("  -0.000", DiffReport.signedSeconds(-1e-9));
        assertEquals("   0.000", DiffReport.signedSeconds(0));
        assertEquals("-1234.500", DiffReport.signedSeconds(-1234.5));
        // In the table's column of eight: the decimal goes from +10000 % on, then a power of ten.
        assertEquals("+9999.9%", DiffReport.relativeCell(1, 99.999));
        assertEquals("+14166%", DiffReport.relativeCell(0.000035, 0.004958));
        assertEquals("+999999%", DiffReport.relativeCell(1, 9999.99));
        assertEquals("+1e+06%", DiffReport.relativeCell(1, 10000));
        assertEquals("+3e+09%", DiffReport.relativeCell(0.00001, 300));
        assertEquals("-100.0%", DiffReport.relativeCell(2, -2));
        assertEquals("+inf%", DiffReport.relativeCell(0, 0.5));
        assertEquals("+3", DiffReport.signedCount(3));
        assertEquals("0", DiffReport.signedCount(0));
    }

    /** A figure that grew from almost nothing keeps its row's name under the heading's (a CI run's diff did not). */
    @Test
    void everyRowsNameStartsUnderTheHeading() {
        ProfileData b = new ProfileData(), a = new ProfileData();
        b.beginEntry(b.intern(MAIN), new Figures(1, 1, 0.000035, 10.002));
        a.beginEntry(a.intern(MAIN), new Figures(1, 1, 0.005, 0.006));
        b.beginEntry(b.intern(SLOW), new Figures(1, 1, 0.00001, 0.00001));
        a.beginEntry(a.intern(SLOW), new Figures(300, 300, 300, 300));
        b.beginEntry(b.intern(OLD), new Figures(3, 3, 1, 1));
        a.beginEntry(a.intern(OLD), new Figures(900, 900, 2, 2));
        String report = DiffReport.render(new Stats(b), new Stats(a), ProfileDiff.of(b, a), ProfileDiff.Key.CUMTIME, -1, null);
        String[] lines = report.split("\n");
        int heading = 0;
        while (!lines[heading].endsWith("filename:lineno(function)")) heading++;
        int column = lines[heading].indexOf("filename:lineno(function)");
        for (int i = heading + 1; i < lines.length; i++) {
            assertEquals(' ', lines[i].charAt(column - 1), report);
            assertTrue(lines[i].charAt(column) != ' ', report);
        }
        assertTrue(report.contains("+14186%") && report.contains("+3e+09%") && report.contains("+29900.0%") == false
                && report.contains("+29900%"), report);
    }

    private static String session(Browser browser, ByteArrayOutputStream bytes, String commands) {
        for (String line : commands.split("\n")) {
            if (browser.onecmd(line)) break;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String session(ProfileData current, String commands) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        return session(new Browser(out, new Stats(current), "after.prof"), bytes, commands);
    }

    @Test
    void theBrowsersDiffComparesAFileWithTheCurrentProfile() throws Exception {
        Path file = dir.resolve("before.prof");
        ProfileFiles.write(before(), file, file.toString());
        String out = session(after(), "diff " + file);
        assertTrue(out.startsWith("   before: "), out);
        assertTrue(out.contains("    " + file + "\n           6 function calls in 2.300 seconds\n   after:  (no file)\n"), out);
        assertTrue(out.endsWith("   Ordered by: change in cumulative time\n   4 functions: 2 changed, 1 new, 1 gone\n\n"
                + TABLE + "\n"), out);
    }

    @Test
    void theBrowsersDiffFollowsTheSortKeyAndStrip() throws Exception {
        Path file = dir.resolve("before.prof");
        ProfileFiles.write(before(), file, file.toString());
        String out = session(after(), "sort calls name\ndiff " + file);
        assertTrue(out.contains("   Ordered by: change in call count\n"), out);
        out = session(after(), "sort name\ndiff " + file);
        assertTrue(out.contains("   Ordered by: change in cumulative time\n"), out);
        out = session(after(), "strip\ndiff " + file);
        assertTrue(out.contains("   4 functions: 2 changed, 1 new, 1 gone\n") && out.contains("  M.java:5(slow)\n"), out);
        // Not stripped, the file's names are not the current profile's.
        ProfileData stripped = dev.jcprofile.format.ProfileOps.stripDirs(after());
        out = session(stripped, "diff " + file);
        assertTrue(out.contains("   6 functions: 0 changed, 3 new, 3 gone\n"), out);
    }

    @Test
    void theBrowsersDiffWithoutAFileOrWithABadOneSaysSoInOneLine() {
        assertEquals("diff needs a file: diff FILE prints the changes from FILE to the current profile\n",
                session(after(), "diff"));
        Path missing = dir.resolve("missing.prof");
        assertEquals(missing + ": No such file or directory\n", session(after(), "diff " + missing));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Browser empty = new Browser(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("No statistics object is loaded.\nNo statistics object is loaded.\n",
                session(empty, bytes, "diff x\ntree"));
    }

    @Test
    void helpListsTheCommandsAsPythonsCmdColumnizesThem() {
        // cmd.Cmd.columnize(names, 79): pstats's eleven commands in one row; with diff and tree, 83 columns, in
        // two rows filled column by column.
        assertEquals("EOF  add  callees  callers  help  quit  read  reverse  sort  stats  strip\n",
                Browser.columnize(List.of("EOF", "add", "callees", "callers", "help", "quit", "read", "reverse",
                        "sort", "stats", "strip"), 79));
        assertEquals("\nDocumented commands (type help <topic>):\n========================================\n"
                + "EOF  callees  diff  quit  reverse  stats  tree\n"
                + "add  callers  help  read  sort     strip\n\n", session(after(), "help"));
        assertTrue(session(after(), "help diff").startsWith("Print the changes from a given profile file to the current stat object:\n"));
        assertTrue(session(after(), "help tree").startsWith("Print the call tree (recorded by jcprofile --tree) of the current stat object,\n"));
        assertTrue(session(after(), "help tree").endsWith("that match it are printed.\n"));
    }

    @Test
    void completionOffersFilesAfterDiff() {
        Completion.LineParser parser = new Completion.LineParser();
        var line = parser.parse("diff my file.prof", 17, null);
        assertEquals(List.of("diff", "my file.prof"), line.words());
        assertTrue(Browser.COMMANDS.contains("diff") && Browser.COMMANDS.contains("tree"));
    }
}
