package dev.jcprofile.browser;

import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.FunctionKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollapsedTest {
    /** flamegraph.pl's reading of a line: the stack, white space, the count (stackcollapse's format). */
    private static final Pattern FLAMEGRAPH_LINE = Pattern.compile("^(.*)\\s+(\\d+(?:\\.\\d*)?)$");

    private static String collapsed(CallTree t, Collapsed.Metric metric, boolean threads) {
        StringBuilder b = new StringBuilder();
        Collapsed.write(t, metric, threads, b);
        return b.toString();
    }

    @Test
    void ownTimeInMicrosecondsPerPathThreadsMerged() {
        assertEquals("M.java:1(main) 990000\n"
                + "M.java:1(main);M.java:10(a) 1000000\n"
                + "M.java:1(main);M.java:10(a);M.java:30(c) 3000000\n"
                + "M.java:1(main);M.java:20(b) 250000\n"
                + "M.java:1(main);M.java:20(b);M.java:30(c) 1000000\n"
                + "M.java:1(main);M.java:20(b);M.java:20(b) 1750000\n"
                + "M.java:1(main);M.java:20(b);M.java:20(b);M.java:30(c) 2000000\n"
                + "M.java:1(main);M.java:40(log) 10000\n"
                + "T.java:5(run);M.java:30(c) 2000000\n", // run has no time of its own: no line of its own
                collapsed(TreeCommandTest.sample(), Collapsed.Metric.TOTTIME, false));
    }

    @Test
    void callsAlongEachPathAndThreadsApartUnderTheirNames() {
        String out = collapsed(TreeCommandTest.sample(), Collapsed.Metric.CALLS, true);
        assertEquals("main;M.java:1(main) 1\n"
                + "main;M.java:1(main);M.java:10(a) 2\n"
                + "main;M.java:1(main);M.java:10(a);M.java:30(c) 4\n"
                + "main;M.java:1(main);M.java:20(b) 1\n"
                + "main;M.java:1(main);M.java:20(b);M.java:30(c) 1\n"
                + "main;M.java:1(main);M.java:20(b);M.java:20(b) 2\n"
                + "main;M.java:1(main);M.java:20(b);M.java:20(b);M.java:30(c) 1\n"
                + "main;M.java:1(main);M.java:40(log) 1\n"
                + "worker;T.java:5(run) 1\n"
                + "worker;T.java:5(run);M.java:30(c) 2\n", out);
    }

    @Test
    void theSameThreadsPathsMergeWhenThreadsAreMerged() {
        CallTree t = new CallTree();
        for (String thread : List.of("pool-1", "pool-2")) {
            int r = t.root(t.thread(thread), t.function(TreeCommandTest.RUN));
            t.add(r, 1, 0.5, 1.0);
            t.add(t.child(r, t.function(TreeCommandTest.C)), 3, 0.5, 0.5);
        }
        assertEquals("T.java:5(run) 1000000\nT.java:5(run);M.java:30(c) 1000000\n",
                collapsed(t, Collapsed.Metric.TOTTIME, false));
        assertEquals("T.java:5(run) 2\nT.java:5(run);M.java:30(c) 6\n", collapsed(t, Collapsed.Metric.CALLS, false));
    }

    @Test
    void microsecondsRoundToTheNearestHalfToEvenAndZeroLinesAreLeftOut() {
        CallTree t = new CallTree();
        int root = t.root(t.thread("main"), t.function(new FunctionKey("R.java", 1, "r")));
        double[] owns = {0.0000025, 0.0000035, 0.0000004, 0.0000006, 0, 1.23456749};
        for (int i = 0; i < owns.length; i++) {
            t.add(t.child(root, t.function(new FunctionKey("F.java", i, "f" + i))), 1, owns[i], owns[i]);
        }
        assertEquals("R.java:1(r);F.java:0(f0) 2\n"
                + "R.java:1(r);F.java:1(f1) 4\n"
                + "R.java:1(r);F.java:3(f3) 1\n"
                + "R.java:1(r);F.java:5(f5) 1234567\n", collapsed(t, Collapsed.Metric.TOTTIME, false));
    }

    @Test
    void directoriesAreStrippedPathsThatBecomeOneAddedAndBuiltInsNamedAsPstatsNamesThem() {
        CallTree t = new CallTree();
        int root = t.root(t.thread("main"), t.function(new FunctionKey("com/x/Main.java", 3, "Main.main")));
        t.add(t.child(root, t.function(new FunctionKey("a/U.java", 2, "U.u"))), 1, 0.001, 0.001);
        t.add(t.child(root, t.function(new FunctionKey("b/U.java", 2, "U.u"))), 1, 0.002, 0.002);
        int sleep = t.child(root, t.function(new FunctionKey("~", 0, "<built-in method java.lang.Thread.sleep>")));
        t.add(sleep, 1, 0.5, 0.5);
        t.add(t.child(root, t.function(new FunctionKey("~", 0, "<method 'step' of 'org.sqlite.core.NativeDB' objects>"))),
                2, 0.25, 0.25);
        assertEquals("Main.java:3(Main.main);U.java:2(U.u) 3000\n"
                + "Main.java:3(Main.main);{built-in method java.lang.Thread.sleep} 500000\n"
                + "Main.java:3(Main.main);{method 'step' of 'org.sqlite.core.NativeDB' objects} 250000\n",
                collapsed(t, Collapsed.Metric.TOTTIME, false));
    }

    @Test
    void separatorsAndLineBreaksInNamesAreEscapedAndEveryLineIsOneFlamegraphSample() {
        CallTree t = new CallTree();
        int root = t.root(t.thread("worker;1\nnext"), t.function(new FunctionKey("odd;dir/we;ird.py", 1, "f\ng")));
        t.add(root, 1, 0.001, 0.003);
        t.add(t.child(root, t.function(new FunctionKey("p.py", 2, "h\tx\u2028y\u0085 12"))), 1, 0.002, 0.002);
        String out = collapsed(t, Collapsed.Metric.TOTTIME, true);
        assertEquals("worker\\x3b1\\nnext;we\\x3bird.py:1(f\\ng) 1000\n"
                + "worker\\x3b1\\nnext;we\\x3bird.py:1(f\\ng);p.py:2(h\\tx\\u2028y\\x85 12) 2000\n", out);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length);
        Matcher m = FLAMEGRAPH_LINE.matcher(lines[1]);
        assertTrue(m.matches(), lines[1]);
        assertEquals(3, m.group(1).split(";").length, m.group(1));
        assertEquals("2000", m.group(2));
    }

    @Test
    void everyLineOfABigTreeIsReadByFlamegraphsRules() {
        CallTree t = TreeCommandTest.sample();
        for (String line : collapsed(t, Collapsed.Metric.TOTTIME, true).split("\n")) {
            assertTrue(FLAMEGRAPH_LINE.matcher(line).matches(), line);
        }
    }
}
