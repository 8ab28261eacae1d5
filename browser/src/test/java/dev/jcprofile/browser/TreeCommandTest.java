package dev.jcprofile.browser;

import dev.jcprofile.Stats;
import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser's {@code tree} on call trees built in memory. */
class TreeCommandTest {
    static final FunctionKey MAIN = new FunctionKey("src/M.java", 1, "main"), A = new FunctionKey("src/M.java", 10, "a"),
            B = new FunctionKey("src/M.java", 20, "b"), C = new FunctionKey("src/M.java", 30, "c"),
            LOG = new FunctionKey("src/M.java", 40, "log"), RUN = new FunctionKey("lib/T.java", 5, "run");

    /**
     * main -> a -> c, main -> b -> c, main -> b -> b -> c (recursion), main -> log (a thousandth of main's time);
     * and on a second thread run -> c.
     */
    static CallTree sample() {
        CallTree t = new CallTree();
        int th = t.thread("main");
        int main = t.root(th, t.function(MAIN));
        t.add(main, 1, 0.99, 10.0);
        int a = t.child(main, t.function(A));
        t.add(a, 2, 1.0, 4.0);
        t.add(t.child(a, t.function(C)), 4, 3.0, 3.0);
        int b = t.child(main, t.function(B));
        t.add(b, 1, 0.25, 5.0);
        t.add(t.child(b, t.function(C)), 1, 1.0, 1.0);
        int bb = t.child(b, t.function(B));
        t.add(bb, 2, 1.75, 3.75);
        t.add(t.child(bb, t.function(C)), 1, 2.0, 2.0);
        t.add(t.child(main, t.function(LOG)), 1, 0.01, 0.01);
        int run = t.root(t.thread("worker"), t.function(RUN));
        t.add(run, 1, 0.0, 2.0);
        t.add(t.child(run, t.function(C)), 2, 2.0, 2.0);
        return t;
    }

    static String session(ProfileData data, String commands) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Browser browser = new Browser(out, new Stats(data), "p");
        for (String line : commands.split("\n")) {
            if (browser.onecmd(line)) break;
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theWholeTreeWithThreadsMergedAndSmallPathsSummedUp() {
        assertEquals("   ncalls  tottime  cumtime  call tree (all threads)\n"
                + "        1    0.990   10.000  src/M.java:1(main)\n"
                + "        1    0.250    5.000    src/M.java:20(b)\n"
                + "        2    1.750    3.750      src/M.java:20(b)\n"
                + "        1    2.000    2.000        src/M.java:30(c)\n"
                + "        1    1.000    1.000      src/M.java:30(c)\n"
                + "        2    1.000    4.000    src/M.java:10(a)\n"
                + "        4    3.000    3.000      src/M.java:30(c)\n"
                + "        1    0.010    0.010    ... 1 more, each under 0.5% of the tree's time\n"
                + "        1    0.000    2.000  lib/T.java:5(run)\n"
                + "        2    2.000    2.000    src/M.java:30(c)\n"
                + "\n\n", session(TreeProfiles.flat(sample()), "tree"));
    }

    @Test
    void underAFunctionItsCallsFromEveryPlaceMergedAgreeWithItsRow() {
        String out = session(TreeProfiles.flat(sample()), "tree \\(c\\)\nstats \\(c\\)");
        assertEquals("   Random listing order was used\n"
                + "   List reduced from 6 to 1 due to restriction <'\\\\(c\\\\)'>\n"
                + "\n"
                + "   ncalls  tottime  cumtime  call tree (all threads)\n"
                + "        8    8.000    8.000  src/M.java:30(c)\n"
                + "\n\n", out.substring(0, out.indexOf("         ")));
        assertTrue(out.endsWith("        8    8.000    1.000    8.000    1.000 src/M.java:30(c)\n\n\n"), out);
    }

    @Test
    void aRecursiveFunctionsTreeStartsAtItsOutermostCallsWithTheInnerOnesBelow() {
        String out = session(TreeProfiles.flat(sample()), "sort cumtime\ntree \\(b\\)");
        assertEquals("   Ordered by: cumulative time\n"
                + "   List reduced from 6 to 1 due to restriction <'\\\\(b\\\\)'>\n"
                + "\n"
                + "   ncalls  tottime  cumtime  call tree (all threads)\n"
                + "        1    0.250    5.000  src/M.java:20(b)\n"
                + "        2    1.750    3.750    src/M.java:20(b)\n"
                + "        1    2.000    2.000      src/M.java:30(c)\n"
                + "        1    1.000    1.000    src/M.java:30(c)\n"
                + "\n\n", out);
    }

    @Test
    void severalFunctionsEachGetTheirTreeInTheListsOrder() {
        String out = session(TreeProfiles.flat(sample()), "sort tottime\ntree 2");
        int c = out.indexOf("  src/M.java:30(c)\n"), a = out.indexOf("        2    1.000    4.000  src/M.java:10(a)\n");
        assertTrue(out.contains("   List reduced from 6 to 2 due to restriction <2>\n"), out);
        // by own time: c (8.0), then b (2.0)
        assertTrue(c > 0 && a < 0 && out.contains("        1    0.250    5.000  src/M.java:20(b)\n"), out);
        assertTrue(out.indexOf("src/M.java:20(b)\n") > c, out);
    }

    @Test
    void stripNamesTheTreeAsStatsAfterStrip() {
        String out = session(TreeProfiles.flat(sample()), "strip\ntree run");
        assertTrue(out.contains("        1    0.000    2.000  T.java:5(run)\n        2    2.000    2.000    M.java:30(c)\n"), out);
    }

    @Test
    void pathsDeeperThanTheLimitAreOneLine() {
        CallTree t = new CallTree();
        int node = t.root(t.thread("main"), t.function(MAIN));
        t.add(node, 1, 0, 1.0);
        for (int i = 1; i <= TreeReport.MAX_DEPTH + 5; i++) {
            node = t.child(node, t.function(new FunctionKey("D.java", i, "d" + i)));
            t.add(node, 1, i == TreeReport.MAX_DEPTH + 5 ? 1.0 : 0, 1.0);
        }
        String out = session(TreeProfiles.flat(t), "tree");
        String[] lines = out.split("\n");
        assertEquals(1 + TreeReport.MAX_DEPTH + 1 + 1, lines.length, out);
        assertTrue(lines[TreeReport.MAX_DEPTH + 1].endsWith("  D.java:" + TreeReport.MAX_DEPTH + "(d" + TreeReport.MAX_DEPTH + ")"), out);
        assertEquals("        1    0.000    1.000  " + "  ".repeat(TreeReport.MAX_DEPTH + 1)
                + "... 1 more, deeper than " + TreeReport.MAX_DEPTH + " levels", lines[TreeReport.MAX_DEPTH + 2]);
    }

    @Test
    void aFunctionMissingFromTheTreeAndAProfileWithoutOneSaySo() {
        ProfileData data = TreeProfiles.flat(sample());
        CallTree partial = new CallTree();
        partial.add(partial.root(partial.thread("main"), partial.function(MAIN)), 1, 0.99, 10.0);
        data.setTree(partial);
        assertTrue(session(data, "tree \\(c\\)").contains("  src/M.java:30(c): not in the call tree\n"));
        data.setTree(null);
        assertEquals("No call tree in this profile: jcprofile records one with --tree.\n", session(data, "tree"));
        assertEquals("No call tree in this profile: jcprofile records one with --tree.\n", session(data, "tree main"));
    }

    @Test
    void argumentsAreReadAsStatsReadsThem() {
        String out = session(TreeProfiles.flat(sample()), "tree 2.5 \\(a\\)");
        assertTrue(out.startsWith("Fraction argument must be in [0, 1]\n   Random listing order was used\n"), out);
        assertTrue(out.contains("        2    1.000    4.000  src/M.java:10(a)\n        4    3.000    3.000    src/M.java:30(c)\n"), out);
        assertEquals("", session(TreeProfiles.flat(sample()), "tree nosuchfunction"));
    }
}
