package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calling-context tree ({@link PathTable}) driven through the hooks under a clock only the test moves: exact
 * figures per path, the depth cap and the node cap with their visible overflow nodes, the merge of ended
 * threads' trees by name.
 */
class PathTableTest {
    private final ThreadStateTest.FakeClock clock = new ThreadStateTest.FakeClock();
    private final ThreadStateTest.Calls calls = new ThreadStateTest.Calls();
    private Session session;

    private static int id(String name) {
        return Registry.method("PathTableTest.java", 1, name, name + "/0");
    }

    private Session start(int maxNodes, int timer) {
        session = new Session(timer, timer == Session.TIMER_CUSTOM ? clock : null, t -> t == Thread.currentThread());
        if (maxNodes > 0) session.recordTree(maxNodes);
        Hooks.start(session);
        return session;
    }

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    /** Each node as "path: calls own total", the path's functions joined by '/'. */
    private static List<String> nodes(PathTable t) {
        List<String> out = new ArrayList<>();
        for (int n = 0; n < t.size(); n++) out.add(path(t, n) + ": " + t.calls(n) + " " + t.ownTicks(n) + " " + t.totalTicks(n));
        return out;
    }

    private static String path(PathTable t, int n) {
        int f = t.function(n);
        String name = f == PathTable.DEEP ? "DEEP" : f == PathTable.WIDE ? "WIDE" : Registry.name(f);
        return t.parent(n) == PathTable.ROOT ? name : path(t, t.parent(n)) + "/" + name;
    }

    private PathTable tree(Session.Totals totals) {
        Map<String, PathTable> trees = totals.trees();
        assertEquals(List.of(Thread.currentThread().getName()), new ArrayList<>(trees.keySet()));
        return trees.get(Thread.currentThread().getName());
    }

    @Test
    void eachPathHasItsCallsOwnAndTotalTime() {
        start(PathTable.MAX_NODES, Session.TIMER_CUSTOM);
        int main = id("main"), a = id("a"), b = id("b");
        calls.enter(main);
        clock.advance(1);
        calls.enter(a); // main/a: 3
        clock.advance(3);
        calls.exit();
        calls.enter(b);
        clock.advance(2);
        calls.enter(a); // main/b/a: 5, then again 1
        clock.advance(5);
        calls.exit();
        calls.enter(a);
        clock.advance(1);
        calls.exit();
        clock.advance(4);
        calls.exit();
        calls.enter(a);
        clock.advance(7);
        calls.exit();
        calls.exit();
        Session.Totals t = session.snapshot();
        assertEquals(List.of("main: 1 1 23", "main/a: 2 10 10", "main/b: 1 6 12", "main/b/a: 2 6 6"), nodes(tree(t)));
        // Per function, the nodes add up to the table.
        assertEquals(12, t.functions().get(b).ownTicks + t.functions().get(b).inclusiveTicks - 6);
        assertEquals(16, t.functions().get(a).ownTicks);
        assertEquals(16, t.functions().get(a).inclusiveTicks);
        assertEquals(4, t.functions().get(a).calls);
    }

    @Test
    void recursionIsKeptLevelByLevelUpToTheDepthCapAndChargedToOneNodeBeyond() {
        start(PathTable.MAX_NODES, Session.TIMER_CUSTOM);
        int r = id("r");
        int depth = PathTable.MAX_DEPTH + 500;
        for (int i = 0; i < depth; i++) {
            calls.enter(r);
            clock.advance(1);
        }
        for (int i = 0; i < depth; i++) {
            clock.advance(1);
            calls.exit();
        }
        PathTable t = tree(session.snapshot());
        assertEquals(PathTable.MAX_DEPTH + 1, t.size());
        long sum = 0, own = 0;
        for (int n = 0; n < t.size(); n++) {
            sum += t.calls(n);
            own += t.ownTicks(n);
            if (n < PathTable.MAX_DEPTH) assertEquals(1, t.calls(n));
        }
        assertEquals(depth, sum);
        assertEquals(2L * depth, own);
        int deep = PathTable.MAX_DEPTH;
        assertEquals(PathTable.DEEP, t.function(deep));
        assertEquals(PathTable.MAX_DEPTH - 1, t.parent(deep));
        assertEquals(500, t.calls(deep));
        // Its total time is its outermost call's: the 500 calls in it lasted 1000 ticks in all, nested.
        assertEquals(1000, t.totalTicks(deep));
        assertEquals(1000, t.ownTicks(deep));
        assertEquals(2L * depth, t.totalTicks(0));
    }

    @Test
    void pathsBeyondTheNodeCapAreCountedUnderTheirParent() {
        start(10, Session.TIMER_CUSTOM);
        int main = id("main");
        calls.enter(main);
        for (int i = 0; i < 30; i++) {
            calls.enter(id("f" + i));
            calls.enter(id("g"));
            clock.advance(1);
            calls.exit();
            calls.exit();
        }
        calls.exit();
        PathTable t = tree(session.snapshot());
        // main, f0, f0/g ... f4 take the ten nodes; f4's g is charged to a WIDE node under f4, every later path
        // to one under main: f5 ... f29 and their g's, each call with its own time, the total time once per call.
        assertEquals(List.of("main: 1 0 30", "main/f0: 1 0 1", "main/f0/g: 1 1 1", "main/f1: 1 0 1", "main/f1/g: 1 1 1",
                "main/f2: 1 0 1", "main/f2/g: 1 1 1", "main/f3: 1 0 1", "main/f3/g: 1 1 1", "main/f4: 1 0 1",
                "main/f4/WIDE: 1 1 1", "main/WIDE: 50 25 25"), nodes(t));
    }

    @Test
    void sampledModeCountsCallsPerPath() {
        start(PathTable.MAX_NODES, Session.TIMER_SAMPLED);
        int main = id("main"), a = id("a"), b = id("b");
        calls.enter(main);
        for (int i = 0; i < 3; i++) {
            calls.enter(a);
            calls.enter(b);
            calls.exit();
            calls.exit();
        }
        calls.enter(b);
        calls.exit();
        calls.exit();
        Hooks.stop(session);
        PathTable t = tree(session.snapshot());
        List<String> names = new ArrayList<>();
        for (int n = 0; n < t.size(); n++) names.add(path(t, n) + ": " + t.calls(n));
        assertEquals(List.of("main: 1", "main/a: 3", "main/a/b: 3", "main/b: 1"), names);
    }

    /**
     * A sample that reads the stack while the thread moves (here: the node at a depth left there by a call of
     * another function) gives nothing to that frame, in the tree and in the table alike.
     */
    @Test
    void aFrameTheTreeCannotPlaceIsLeftOutOfTheTableToo() {
        start(PathTable.MAX_NODES, Session.TIMER_SAMPLED);
        int main = id("main"), a = id("a"), b = id("b");
        calls.enter(main);
        calls.enter(b);
        calls.exit();
        calls.enter(a);
        ThreadState s = calls.state();
        PathTable p = s.paths;
        int fa = -1, fmain = -1;
        for (int f = 0; f < s.fnCount; f++) {
            if (s.fnId(f) == a) fa = f;
            if (s.fnId(f) == main) fmain = f;
        }
        int aNode, bNode = 1; // main, main/b, main/a: in creation order
        long[] change = new long[4]; // what the two samples add, the sampler thread's own samples aside
        synchronized (session) { // the sampler thread samples under the same lock
            aNode = p.nodeAt[1];
            long[] before = {s.sampledFnIt(fa), p.ownTicks(aNode), p.ownTicks(bNode), s.sampledFnTt(fmain)};
            p.nodeAt[1] = bNode; // as a read racing with the call of a would see it
            s.sample(1000);
            p.nodeAt[1] = aNode;
            s.sample(7);
            long[] after = {s.sampledFnIt(fa), p.ownTicks(aNode), p.ownTicks(bNode), s.sampledFnTt(fmain)};
            for (int k = 0; k < 4; k++) change[k] = after[k] - before[k];
        }
        calls.exit();
        calls.exit();
        assertEquals("main/a", path(p, aNode));
        assertEquals(7, change[0], "a's own time in the table");
        assertEquals(7, change[1], "a's own time in the tree");
        assertEquals(0, change[2], "b's own time in the tree");
        assertEquals(1007, change[3], "main's total time: the frames the tree could place are kept");
    }

    /**
     * Samples taken while a thread calls two functions one after the other at the same depth: each sample's own
     * time goes to the same function in the tree and in the table, however the frame changed under the read.
     * (A sample that read the frame twice gave the table one function's time and the tree the other's.)
     */
    @Test
    void samplesRacingWithCallsAtOneDepthGiveTreeAndTableTheSameFunction() throws Exception {
        int main = id("main"), a = id("a"), b = id("b");
        Thread[] worker = new Thread[1];
        session = new Session(Session.TIMER_SAMPLED, null, t -> t == worker[0]);
        session.recordTree(PathTable.MAX_NODES);
        Hooks.start(session);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        ThreadState[] state = new ThreadState[1];
        worker[0] = new Thread(() -> {
            ThreadStateTest.Calls c = new ThreadStateTest.Calls();
            c.enter(main);
            state[0] = c.state();
            started.countDown();
            while (!stop.get()) {
                c.enter(a);
                c.exit();
                c.enter(b);
                c.exit();
            }
            c.exit();
        }, "alternating");
        worker[0].start();
        started.await();
        ThreadState s = state[0];
        // Samples taken in a loop, as the sampler's would be over a long run: both the interpreter's and the
        // compiler's reading of the frames take part.
        for (int k = 0; k < 10_000_000; k++) {
            synchronized (session) {
                s.sample(1);
            }
        }
        stop.set(true);
        worker[0].join();
        synchronized (session) {
            PathTable p = s.paths;
            for (int f = 0; f < s.fnCount; f++) {
                long inTree = 0;
                for (int n = 0; n < p.size(); n++) if (p.function(n) == s.fnId(f)) inTree += p.ownTicks(n);
                assertEquals(s.sampledFnIt(f), inTree, Registry.name(s.fnId(f)) + "'s own time, table and tree");
            }
        }
    }

    @Test
    void withoutTheTreeNothingIsRecorded() {
        start(0, Session.TIMER_CUSTOM);
        calls.enter(id("main"));
        calls.exit();
        Session.Totals t = session.snapshot();
        assertTrue(!t.hasTree() && t.trees().isEmpty());
        assertNull(null);
    }

    /** 300 threads of 3 names, run one after the other: the 256th registration folds the ended ones (Session). */
    private Session.Totals foldedThreads(int maxNodes) throws Exception {
        session = new Session(Session.TIMER_CUSTOM, clock, t -> t.getName().startsWith("t"));
        session.recordTree(maxNodes);
        Hooks.start(session);
        int run = id("run"), w = id("w");
        for (int i = 0; i < 300; i++) {
            Thread th = new Thread(() -> {
                ThreadStateTest.Calls c = new ThreadStateTest.Calls();
                c.enter(run);
                clock.advance(1);
                c.enter(w);
                clock.advance(1);
                c.exit();
                c.exit();
            }, "t" + i % 3);
            th.start();
            th.join();
        }
        return session.snapshot();
    }

    @Test
    void foldedThreadsAreKeptByNameWithinTheCap() throws Exception {
        Session.Totals t = foldedThreads(PathTable.MAX_NODES);
        // The order of the names is the order in which ended threads were folded, which the test does not fix.
        assertEquals(List.of("t0", "t1", "t2"), new ArrayList<>(new java.util.TreeSet<>(t.trees().keySet())));
        for (PathTable p : t.trees().values()) {
            List<String> names = new ArrayList<>();
            for (int n = 0; n < p.size(); n++) names.add(path(p, n) + ": " + p.calls(n) + " " + p.ownTicks(n) + " " + p.totalTicks(n));
            assertEquals(List.of("run: 100 100 200", "run/w: 100 100 100"), names);
        }
    }

    @Test
    void pastTheCapFoldedThreadsOfNewNamesShareOneTreeAndNoCallIsLost() throws Exception {
        Session.Totals t = foldedThreads(3);
        long calls = 0;
        int nodes = 0;
        for (PathTable p : t.trees().values()) {
            nodes += p.size();
            for (int n = 0; n < p.size(); n++) calls += p.calls(n);
        }
        assertEquals(600, calls);
        assertTrue(nodes <= 2 * 3 + 3, t.trees().keySet() + ": " + nodes + " nodes");
        // The cap counts each thread's nodes, an ended thread's until it is folded: the first threads took it all,
        // the later ones' paths went to WIDE nodes, and names first seen at the fold share one tree.
        assertTrue(t.trees().containsKey(Session.Totals.BEYOND_CAP), t.trees().keySet().toString());
        PathTable t0 = t.trees().get("t0");
        assertEquals(PathTable.WIDE, t0.function(t0.size() - 1));
        assertEquals(PathTable.ROOT, t0.parent(t0.size() - 1));
    }

    @Test
    void endedThreadsMergePathByPathByName() throws Exception {
        session = new Session(Session.TIMER_CUSTOM, clock, t -> t.getName().equals("worker"));
        session.recordTree();
        Hooks.start(session);
        int run = id("run"), w = id("w");
        for (int i = 0; i < 3; i++) {
            Thread th = new Thread(() -> {
                ThreadStateTest.Calls c = new ThreadStateTest.Calls();
                c.enter(run);
                c.enter(w);
                c.exit();
                c.exit();
            }, "worker");
            th.start();
            th.join();
        }
        Session.Totals t = session.snapshot();
        assertEquals(List.of("worker"), new ArrayList<>(t.trees().keySet()));
        List<String> names = new ArrayList<>();
        PathTable p = t.trees().get("worker");
        for (int n = 0; n < p.size(); n++) names.add(path(p, n) + ": " + p.calls(n));
        assertEquals(List.of("run: 3", "run/w: 3"), names);
    }
}
