package dev.jcprofile.format;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CallTreeTest {
    private static final FunctionKey MAIN = new FunctionKey("M.java", 1, "main"),
            FIB = new FunctionKey("M.java", 5, "fib"), LOG = new FunctionKey("~", 0, "<log>");

    /** main -> fib -> fib -> fib, main -> log: one node per level, paths of a thread shared. */
    private static CallTree sample(String threadName) {
        CallTree t = new CallTree();
        int th = t.thread(threadName);
        int main = t.root(th, t.function(MAIN));
        int f1 = t.child(main, t.function(FIB)), f2 = t.child(f1, t.function(FIB)), f3 = t.child(f2, t.function(FIB));
        t.add(main, 1, 1.0, 10.0);
        t.add(f1, 1, 2.0, 8.0);
        t.add(f2, 2, 3.0, 6.0);
        t.add(f3, 4, 3.0, 3.0);
        t.add(t.child(main, t.function(LOG)), 1, 1.0, 1.0);
        return t;
    }

    @Test
    void pathsAreFoundAgainAndRecursionIsOneNodePerLevel() {
        CallTree t = sample("main");
        assertEquals(5, t.size());
        int main = t.findRoot(t.thread("main"), t.function(MAIN));
        assertEquals(0, main);
        assertEquals(1, t.findChild(main, t.function(FIB)));
        assertEquals(-1, t.findChild(1, t.function(LOG)));
        assertEquals(3, t.depth(3));
        assertArrayEquals(new int[] {1, 4}, t.children()[0]);
    }

    @Test
    void cumulativeTimeCountsOnlyTheOutermostNodeOfAFunction() {
        CallTree t = sample("main");
        double[] cum = t.outermostTotalTime();
        assertEquals(10.0, cum[t.function(MAIN)]);
        assertEquals(8.0, cum[t.function(FIB)]);
        assertEquals(1.0, cum[t.function(LOG)]);
    }

    @Test
    void mergingAddsPathByPathAndKeepsThreadsApart() {
        CallTree a = sample("main");
        a.addAll(sample("main"));
        assertEquals(5, a.size());
        assertEquals(8, a.calls(3));
        a.addAll(sample("worker"));
        assertEquals(10, a.size());
        assertEquals(2, a.threadCount());
        CallTree all = a.threadsMerged("all threads");
        assertEquals(5, all.size());
        assertEquals(12, all.calls(3));
        assertEquals(30.0, all.totalTime(0));
    }

    @Test
    void manyNodesGrowTheTables() {
        CallTree t = new CallTree();
        int th = t.thread("main");
        int node = t.root(th, t.function(MAIN));
        for (int i = 0; i < 10_000; i++) node = t.child(node, t.function(new FunctionKey("F.java", i, "f" + (i % 7))));
        assertEquals(10_001, t.size());
        assertEquals(10_000, t.depth(node));
        int again = t.findRoot(th, t.function(MAIN));
        for (int i = 0; i < 10_000; i++) again = t.findChild(again, t.function(new FunctionKey("F.java", i, "f" + (i % 7))));
        assertEquals(node, again);
    }
}
