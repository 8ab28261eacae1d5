package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The runtime's tables, driven in process through the hooks as instrumented code calls them, under a custom timer
 * that only the test advances, so every figure is exact. The expected figures of the call sequences are CPython
 * 3.11's own: src/test/python/lsprof_reference.py runs the same sequences under cProfile with the same clock and
 * prints them as {@link #dump} does. The rules reproduced are those of _lsprof.c's Stop: a call's tt is
 * {@code now - t0}, its it is {@code tt - subt}; tt is added to the function (edge) only when its recursion level
 * falls back to 0, otherwise the call counts as recursive; it is always added.
 * <p>
 * Hooks holds the active session in statics: the tests of this class run one at a time (JUnit's default).
 */
class ThreadStateTest {
    /** A clock that moves only when told: the hooks' reads of it return exactly what the test set. */
    static final class FakeClock implements LongSupplier {
        volatile long now;

        @Override
        public long getAsLong() {
            return now;
        }

        void advance(long ticks) {
            now += ticks;
        }
    }

    /** The calling thread's hooks, in the order the transformer emits them (see Hooks' header). */
    static final class Calls {
        private final ArrayDeque<int[]> calls = new ArrayDeque<>(); // {id, token}

        void enter(int id) {
            calls.push(new int[] {id, Hooks.enter(id)});
        }

        /** The state the innermost open call's hooks use. */
        ThreadState state() {
            return Hooks.state();
        }

        /** The innermost open call has the top of the stack again (a built-in it called returned). */
        void resume() {
            int[] call = calls.peek();
            Hooks.resume(call[1], call[0]);
        }

        /**
         * The innermost call returns, and its exit runs twice: something thrown after the exit before a return (a
         * StackOverflowError inside it, an asynchronous exception at the return) brings the method's catch-all
         * handler to exit again.
         */
        void exitTwice() {
            int[] call = calls.pop();
            Hooks.exit(call[1], call[0]);
            Hooks.exit(call[1], call[0]);
        }

        void exit() {
            int[] call = calls.pop();
            Hooks.exit(call[1], call[0]);
        }
    }

    private static int id(String name) {
        return Registry.method("lsprof_reference.py", 1, name, name + "/1");
    }

    private final FakeClock clock = new FakeClock();
    private final Calls calls = new Calls();
    private Session session;

    /** A session recording only the calling thread (or {@code only}) under {@code timer}. */
    private Session start(LongSupplier timer, Thread only) {
        session = new Session(Session.TIMER_CUSTOM, timer, t -> t == only);
        Hooks.start(session);
        return session;
    }

    private Session start() {
        return start(clock, Thread.currentThread());
    }

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    /** The figures as lsprof_reference.py prints them: functions by name, each followed by the edges it calls. */
    static String dump(Session.Totals t) {
        StringBuilder out = new StringBuilder();
        List<Integer> fns = new ArrayList<>(t.functions().keySet());
        fns.sort(Comparator.comparing(Registry::name));
        for (int f : fns) {
            out.append(Registry.name(f)).append(": ").append(figures(t.functions().get(f))).append('\n');
            TreeMap<String, Session.Counts> callees = new TreeMap<>();
            t.edges().forEach((k, c) -> {
                if (Session.Totals.caller(k) == f) callees.put(Registry.name(Session.Totals.callee(k)), c);
            });
            callees.forEach((name, c) -> out.append("  ").append(Registry.name(f)).append("->").append(name)
                    .append(": ").append(figures(c)).append('\n'));
        }
        return out.toString();
    }

    private static String figures(Session.Counts c) {
        return "calls=" + c.calls + " rec=" + c.recursiveCalls + " tt=" + c.inclusiveTicks + " it=" + c.ownTicks;
    }

    // ------------------------------------------------------------------ one thread, a clock moved by hand

    /** lsprof_reference.py's basic: main calls a, then b, which calls a. */
    private void basic() {
        int basic = id("basic"), main = id("main"), a = id("a"), b = id("b");
        calls.enter(basic);
        calls.enter(main);
        clock.advance(2);
        calls.enter(a);
        clock.advance(3);
        calls.exit();
        clock.advance(1);
        calls.enter(b);
        clock.advance(4);
        calls.enter(a);
        clock.advance(5);
        calls.exit();
        clock.advance(1);
        calls.exit();
        clock.advance(2);
        calls.exit();
        calls.exit();
    }

    @Test
    void callsOwnAndInclusiveTimesAreLsprofs() {
        start();
        basic();
        // cProfile's figures for the same sequence (lsprof_reference.py, python3 3.11): a's two calls add up, own
        // time is what a call did not spend in its callees, inclusive time is the whole call.
        assertEquals("""
                a: calls=2 rec=0 tt=8 it=8
                b: calls=1 rec=0 tt=10 it=5
                  b->a: calls=1 rec=0 tt=5 it=5
                basic: calls=1 rec=0 tt=18 it=0
                  basic->main: calls=1 rec=0 tt=18 it=5
                main: calls=1 rec=0 tt=18 it=5
                  main->a: calls=1 rec=0 tt=3 it=3
                  main->b: calls=1 rec=0 tt=10 it=5
                """, dump(session.snapshot()));
    }


    /** Functions {@code prefix0} to {@code prefix(n-1)}. */
    private static int[] ids(String prefix, int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = id(prefix + i);
        return ids;
    }

    /** A call of {@code function} (1 tick of its own) that calls {@code leaf} (2 ticks). */
    private void callThrough(int function, int leaf) {
        calls.enter(function);
        clock.advance(1);
        calls.enter(leaf);
        clock.advance(2);
        calls.exit();
        calls.exit();
    }

    /**
     * A thread of many edges: its edge cache grows with them to its largest size (8,192 lines), emptied at each
     * doubling, and past it lines are shared. 10,000 functions each calling one of 3 leaves (20,000 edges), three
     * rounds in different orders, so that lookups go through every size of the cache and its conflicts.
     */
    @Test
    void manyEdgesKeepEveryFigureThroughTheEdgeCachesGrowth() {
        start();
        int main = id("many.main");
        int[] f = ids("many.f", 10_000), leaf = ids("many.leaf", 3);
        calls.enter(main);
        for (int round = 0; round < 3; round++) {
            for (int n = 0; n < f.length; n++) {
                int i = round == 1 ? f.length - 1 - n : round == 2 ? (int) (n * 7919L % f.length) : n;
                callThrough(f[i], leaf[i % 3]);
            }
        }
        calls.exit();
        Session.Totals t = session.snapshot();
        for (int i = 0; i < f.length; i++) {
            assertEquals("calls=3 rec=0 tt=9 it=3", figures(t.functions().get(f[i])), "f" + i);
            assertEquals("calls=3 rec=0 tt=9 it=3", figures(t.edges().get(Session.Totals.edgeKey(main, f[i]))));
            assertEquals("calls=3 rec=0 tt=6 it=6", figures(t.edges().get(Session.Totals.edgeKey(f[i], leaf[i % 3]))));
        }
        for (int k = 0; k < leaf.length; k++) {
            long n = 3 * ((f.length - k + 2) / 3);
            assertEquals("calls=" + n + " rec=0 tt=" + 2 * n + " it=" + 2 * n, figures(t.functions().get(leaf[k])));
        }
    }

    /**
     * A thread's tables start with room for four functions, edges and open calls, found by a scan while they are
     * few and hashed past eight, and double on demand: 300 functions, each calling one of 7 leaves, twice over
     * (the second round through the edge cache and the hash tables), and a recursion 100 deep, keep every figure.
     */
    @Test
    void tablesGrowFromTheirFirstSizesAndKeepEveryFigure() {
        start();
        int main = id("grow.main"), r = id("grow.r");
        int[] f = ids("grow.f", 300), leaf = ids("grow.leaf", 7);
        calls.enter(main);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < f.length; i++) callThrough(f[i], leaf[i % 7]);
        }
        for (int d = 0; d <= 100; d++) {
            calls.enter(r);
            clock.advance(1);
        }
        for (int d = 0; d <= 100; d++) calls.exit();
        calls.exit();
        Session.Totals t = session.snapshot();
        for (int i = 0; i < f.length; i++) {
            assertEquals("calls=2 rec=0 tt=6 it=2", figures(t.functions().get(f[i])), "f" + i);
            assertEquals("calls=2 rec=0 tt=6 it=2", figures(t.edges().get(Session.Totals.edgeKey(main, f[i]))));
            assertEquals("calls=2 rec=0 tt=4 it=4", figures(t.edges().get(Session.Totals.edgeKey(f[i], leaf[i % 7]))));
        }
        for (int k = 0; k < leaf.length; k++) {
            long n = 2 * ((f.length - k + 6) / 7); // the f[i] with i % 7 == k, twice each
            assertEquals("calls=" + n + " rec=0 tt=" + 2 * n + " it=" + 2 * n, figures(t.functions().get(leaf[k])));
        }
        // Recursion 101 calls deep, a tick each: lsprof's rules give the outermost call the whole 101 ticks.
        assertEquals("calls=101 rec=100 tt=101 it=101", figures(t.functions().get(r)));
        assertEquals("calls=100 rec=99 tt=100 it=100", figures(t.edges().get(Session.Totals.edgeKey(r, r))));
        assertEquals("calls=1 rec=0 tt=101 it=1", figures(t.edges().get(Session.Totals.edgeKey(main, r))));
        assertEquals("calls=1 rec=0 tt=" + (600 * 3 + 101) + " it=0", figures(t.functions().get(main)));
    }
    @Test
    void sameCalleeFromTwoCallersGetsTwoEdges() {
        start();
        basic();
        Session.Totals t = session.snapshot();
        int main = id("main"), a = id("a"), b = id("b"), basic = id("basic");
        Session.Counts fromMain = t.edges().get(Session.Totals.edgeKey(main, a));
        Session.Counts fromB = t.edges().get(Session.Totals.edgeKey(b, a));
        assertNotNull(fromMain);
        assertNotNull(fromB);
        assertEquals("calls=1 rec=0 tt=3 it=3", figures(fromMain));
        assertEquals("calls=1 rec=0 tt=5 it=5", figures(fromB));
        // The function is the sum of its edges.
        Session.Counts fn = t.functions().get(a);
        assertEquals(fromMain.calls + fromB.calls, fn.calls);
        assertEquals(fromMain.inclusiveTicks + fromB.inclusiveTicks, fn.inclusiveTicks);
        assertEquals(fromMain.ownTicks + fromB.ownTicks, fn.ownTicks);
        // A call made with nothing open below it has no caller: no edge (_lsprof.c's Stop adds a subentry only
        // when self->previous is set).
        assertEquals(4, t.edges().size());
        for (long k : t.edges().keySet()) assertTrue(Session.Totals.caller(k) >= 0, "an edge from the root");
        assertNull(t.edges().get(Session.Totals.edgeKey(a, basic)));
    }

    @Test
    void directRecursionCountsPrimitiveCallsAndInclusiveTimeOnce() {
        start();
        int direct = id("direct"), f = id("f");
        calls.enter(direct);
        // f(3): f -> f -> f, each adding 1 before its callee and 2 after.
        for (int i = 0; i < 3; i++) {
            calls.enter(f);
            clock.advance(1);
        }
        for (int i = 0; i < 3; i++) {
            clock.advance(2);
            calls.exit();
        }
        clock.advance(10);
        calls.enter(f); // f(1)
        clock.advance(1);
        clock.advance(2);
        calls.exit();
        calls.exit();
        // cProfile (lsprof_reference.py's direct): pstats shows f's calls as 4/2 (nc / cc = nc - rec). tt is f's
        // two outermost calls (9 + 3), not the sum over the nested ones (9 + 6 + 3 + 3); f->f is one pair of nested
        // calls of the same edge, so the inner one is the edge's recursive call.
        assertEquals("""
                direct: calls=1 rec=0 tt=22 it=10
                  direct->f: calls=2 rec=0 tt=12 it=6
                f: calls=4 rec=2 tt=12 it=12
                  f->f: calls=2 rec=1 tt=6 it=6
                """, dump(session.snapshot()));
    }

    @Test
    void mutualRecursionCountsFunctionsAndEdgesApart() {
        start();
        int mutual = id("mutual"), m = id("m"), g = id("g");
        calls.enter(mutual);
        // m(2) -> g -> m(1) -> g -> m(0): m adds 1 before, 2 after its callee; g 3 before, 4 after.
        for (int depth = 2; depth > 0; depth--) {
            calls.enter(m);
            clock.advance(1);
            calls.enter(g);
            clock.advance(3);
        }
        calls.enter(m);
        clock.advance(1);
        clock.advance(2);
        calls.exit();
        for (int depth = 1; depth <= 2; depth++) {
            clock.advance(4);
            calls.exit();
            clock.advance(2);
            calls.exit();
        }
        calls.exit();
        // cProfile (lsprof_reference.py's mutual): m's second and third calls are recursive for m (level > 0) but
        // reach it through g->m, whose level is 0 for the first of them: only the innermost is recursive for the
        // edge. Each function's and edge's tt is its outermost call's alone.
        assertEquals("""
                g: calls=2 rec=1 tt=20 it=14
                  g->m: calls=2 rec=1 tt=13 it=6
                m: calls=3 rec=2 tt=23 it=9
                  m->g: calls=2 rec=1 tt=20 it=14
                mutual: calls=1 rec=0 tt=23 it=0
                  mutual->m: calls=1 rec=0 tt=23 it=3
                """, dump(session.snapshot()));
    }

    // ------------------------------------------------------------------ calls open at the snapshot

    @Test
    void snapshotClosesOpenCallsNowAndLeavesThemOpen() {
        start();
        int stillOpen = id("still_open"), outer = id("outer"), inner = id("inner"), leaf = id("leaf");
        calls.enter(stillOpen);
        calls.enter(outer);
        clock.advance(2);
        calls.enter(inner);
        clock.advance(3);
        calls.enter(leaf);
        clock.advance(5);
        calls.exit();
        clock.advance(4);
        // cProfile (lsprof_reference.py's still_open): disable() with still_open, outer and inner open closes
        // them at that moment, 14 (_lsprof.c's flush_unmatched).
        String atFourteen = """
                inner: calls=1 rec=0 tt=12 it=7
                  inner->leaf: calls=1 rec=0 tt=5 it=5
                leaf: calls=1 rec=0 tt=5 it=5
                outer: calls=1 rec=0 tt=14 it=2
                  outer->inner: calls=1 rec=0 tt=12 it=7
                still_open: calls=1 rec=0 tt=14 it=0
                  still_open->outer: calls=1 rec=0 tt=14 it=2
                """;
        assertEquals(atFourteen, dump(session.snapshot()));
        assertEquals(atFourteen, dump(session.snapshot()), "a second snapshot at the same time");
        // The snapshot closed copies: the calls go on, their levels and start times untouched, and when they
        // return they count once, with their whole time (by hand from the figures above: inner +6, outer +7).
        clock.advance(6);
        calls.exit();
        clock.advance(1);
        calls.exit();
        calls.exit();
        assertEquals("""
                inner: calls=1 rec=0 tt=18 it=13
                  inner->leaf: calls=1 rec=0 tt=5 it=5
                leaf: calls=1 rec=0 tt=5 it=5
                outer: calls=1 rec=0 tt=21 it=3
                  outer->inner: calls=1 rec=0 tt=18 it=13
                still_open: calls=1 rec=0 tt=21 it=0
                  still_open->outer: calls=1 rec=0 tt=21 it=3
                """, dump(session.snapshot()));
    }

    @Test
    void openRecursiveCallsAreClosedOnceEach() {
        start();
        int openRecursive = id("open_recursive"), f = id("f");
        calls.enter(openRecursive);
        for (int i = 0; i < 3; i++) {
            calls.enter(f);
            clock.advance(1);
        }
        // cProfile (lsprof_reference.py's open_recursive, disable() in the innermost f): the three open calls close
        // innermost first, so the levels fall as for returns and tt is the outermost f's alone.
        String expected = """
                f: calls=3 rec=2 tt=3 it=3
                  f->f: calls=2 rec=1 tt=2 it=2
                open_recursive: calls=1 rec=0 tt=3 it=0
                  open_recursive->f: calls=1 rec=0 tt=3 it=1
                """;
        assertEquals(expected, dump(session.snapshot()));
        // The snapshot closed a copy whose levels come from its stack: the live levels are untouched, so the real
        // returns, at the same time, give the same figures.
        for (int i = 0; i < 3; i++) calls.exit();
        calls.exit();
        assertEquals(expected, dump(session.snapshot()));
    }

    @Test
    void stoppedSessionClosesOpenCallsAndRecordsNothingAfter() {
        start();
        int stillOpen = id("still_open"), outer = id("outer"), late = id("late");
        calls.enter(stillOpen);
        clock.advance(1);
        calls.enter(outer);
        clock.advance(2);
        // Hooks.stop leaves the calls open; the snapshot that follows closes them (what ApiSession.stop does, as
        // cProfile's disable() does).
        Hooks.stop(session);
        Session stopped = session;
        session = null;
        String expected = """
                outer: calls=1 rec=0 tt=2 it=2
                still_open: calls=1 rec=0 tt=3 it=1
                  still_open->outer: calls=1 rec=0 tt=2 it=2
                """;
        assertEquals(expected, dump(stopped.snapshot()));
        // The methods return after the stop, and another is called: the state no longer records.
        calls.exit();
        calls.enter(late);
        calls.exit();
        calls.exit();
        assertEquals(expected, dump(stopped.snapshot()));
    }

    /** An exit repeated for a call already closed changes nothing: its callers' calls stay open. */
    @Test
    void aRepeatedExitLeavesTheCallersOpen() {
        start();
        int a = id("rep_a"), b = id("rep_b"), c = id("rep_c");
        calls.enter(a);
        clock.advance(1);
        calls.enter(b);
        clock.advance(1);
        calls.enter(c);
        clock.advance(1);
        calls.exitTwice();
        clock.advance(10);
        calls.exit();
        calls.exit();
        assertEquals("""
                rep_a: calls=1 rec=0 tt=13 it=1
                  rep_a->rep_b: calls=1 rec=0 tt=12 it=11
                rep_b: calls=1 rec=0 tt=12 it=11
                  rep_b->rep_c: calls=1 rec=0 tt=1 it=1
                rep_c: calls=1 rec=0 tt=1 it=1
                """, dump(session.snapshot()));
    }

    /**
     * A method entered in one session that goes on in the next (a Profile stopped and another started within it)
     * has no frame in the new one, though its token (0, the old stack's bottom) indexes an open frame there: a
     * built-in it called in the new session is closed when it returns (the method's resume closes down to the new
     * stack's bottom), so the method's next call has the root as its caller, not that built-in.
     */
    @Test
    void aMethodEnteredBeforeTheSessionClosesWhatItCalledInIt() {
        start();
        int method = id("entered_before"), later = id("later");
        int builtin = Registry.builtin("<built-in method returns>", "returns/0");
        calls.enter(method); // frame 0 of the first session
        Hooks.stop(session);
        start();
        Hooks.enterBuiltin(builtin); // frame 0 of the new one
        clock.advance(2);
        calls.resume();
        calls.enter(later);
        clock.advance(3);
        calls.exit();
        calls.exit();
        assertEquals("""
                <built-in method returns>: calls=1 rec=0 tt=2 it=2
                later: calls=1 rec=0 tt=3 it=3
                """, dump(session.snapshot()));
    }

    // ------------------------------------------------------------------ snapshots while another thread writes

    /**
     * The writer's iteration: w_outer calls w_a, then w_r, which calls itself once and then w_leaf; every hook of the
     * writer reads the clock once and the clock ticks at each of its reads, 10 per iteration.
     */
    private static void iteration(Calls c, int outer, int a, int r, int leaf) {
        c.enter(outer);
        c.enter(a);
        c.exit();
        c.enter(r);
        c.enter(r);
        c.enter(leaf);
        c.exit();
        c.exit();
        c.exit();
        c.exit();
    }

    /** The first {@code events} hooks of {@link #iteration}, for the replay. */
    private static void prefix(Calls c, FakeClock clock, int events, int outer, int a, int r, int leaf) {
        int[] enters = {outer, a, -1, r, r, leaf, -1, -1, -1, -1};
        for (int i = 0; i < events; i++) {
            clock.advance(1);
            if (enters[i] >= 0) c.enter(enters[i]);
            else c.exit();
        }
    }

    /** The figures after {@code events} hooks of an iteration, the calls left open returning {@code d} ticks later. */
    private Map<String, List<Long>> replay(int events, int d, int outer, int a, int r, int leaf) {
        FakeClock replay = new FakeClock();
        start(replay, Thread.currentThread());
        Calls c = new Calls();
        prefix(c, replay, events, outer, a, r, leaf);
        replay.advance(d);
        while (!c.calls.isEmpty()) c.exit();
        Map<String, List<Long>> figures = flat(session.snapshot());
        Hooks.stop(session);
        session = null;
        return figures;
    }

    /** Figures by function or edge name, four longs each, entries with no call dropped. */
    private static Map<String, List<Long>> flat(Session.Totals t) {
        Map<String, List<Long>> m = new TreeMap<>();
        t.functions().forEach((f, c) -> put(m, Registry.name(f), c.calls, c.recursiveCalls, c.inclusiveTicks, c.ownTicks));
        t.edges().forEach((k, c) -> put(m, Registry.name(Session.Totals.caller(k)) + "->"
                + Registry.name(Session.Totals.callee(k)), c.calls, c.recursiveCalls, c.inclusiveTicks, c.ownTicks));
        return m;
    }

    private static void put(Map<String, List<Long>> m, String key, long... v) {
        if (v[0] != 0 || v[1] != 0 || v[2] != 0 || v[3] != 0) m.put(key, List.of(v[0], v[1], v[2], v[3]));
    }

    /** {@code base + k * unit + d * step}, entry by entry. */
    private static Map<String, List<Long>> combine(Map<String, List<Long>> base, long k, Map<String, List<Long>> unit,
                                                   long d, Map<String, List<Long>> step) {
        Map<String, List<Long>> out = new TreeMap<>();
        Set<String> keys = new TreeSet<>(base.keySet());
        keys.addAll(unit.keySet());
        keys.addAll(step.keySet());
        for (String key : keys) {
            long[] v = new long[4];
            for (int i = 0; i < 4; i++) {
                v[i] = at(base, key, i) + k * at(unit, key, i) + d * at(step, key, i);
            }
            put(out, key, v);
        }
        return out;
    }

    private static long at(Map<String, List<Long>> m, String key, int i) {
        List<Long> v = m.get(key);
        return v == null ? 0 : v.get(i);
    }

    @Test
    void snapshotsWhileAnotherThreadWritesAreStatesItPassedThrough() throws Exception {
        int outer = id("w_outer"), a = id("w_a"), r = id("w_r"), leaf = id("w_leaf");

        // One iteration's figures, checked against cProfile's (lsprof_reference.py's iteration, same ticking).
        start();
        prefix(calls, clock, 10, outer, a, r, leaf);
        Session.Totals one = session.snapshot();
        assertEquals("""
                w_a: calls=1 rec=0 tt=1 it=1
                w_leaf: calls=1 rec=0 tt=1 it=1
                w_outer: calls=1 rec=0 tt=9 it=3
                  w_outer->w_a: calls=1 rec=0 tt=1 it=1
                  w_outer->w_r: calls=1 rec=0 tt=5 it=2
                w_r: calls=2 rec=1 tt=5 it=4
                  w_r->w_leaf: calls=1 rec=0 tt=1 it=1
                  w_r->w_r: calls=1 rec=0 tt=3 it=2
                """, dump(one));
        Map<String, List<Long>> full = flat(one);
        Hooks.stop(session);
        session = null;

        // Every state the writer passes through, replayed on this thread without snapshots of open calls: after p
        // hooks of an iteration, its open calls returning at the time of the last hook (at[p]), and the change that
        // one tick later makes (step[p]). A snapshot reads its clock after copying, so it may close them any number
        // of ticks later.
        List<Map<String, List<Long>>> at = new ArrayList<>(), step = new ArrayList<>();
        for (int p = 0; p <= 10; p++) {
            Map<String, List<Long>> now = replay(p, 0, outer, a, r, leaf);
            at.add(now);
            step.add(combine(replay(p, 1, outer, a, r, leaf), -1, now, 0, Map.of()));
        }

        // The writer's clock ticks at each of its own reads; a snapshot's read (on this thread) only looks.
        AtomicLong ticks = new AtomicLong();
        Thread[] writerRef = new Thread[1];
        LongSupplier ticking = () -> Thread.currentThread() == writerRef[0] ? ticks.incrementAndGet() : ticks.get();
        final int minIterations = 200_000, minSnapshots = 200;
        AtomicLong snapshotsTaken = new AtomicLong();
        AtomicBoolean released = new AtomicBoolean(); // a failed check must not leave the writer looping
        long[] iterations = new long[1];
        Thread writer = new Thread(() -> {
            Calls c = new Calls();
            long n = 0;
            // At least minIterations, and until the test has taken minSnapshots while it ran: no timing assumed.
            while (n < minIterations || (snapshotsTaken.get() < minSnapshots && !released.get())) {
                iteration(c, outer, a, r, leaf);
                n++;
            }
            iterations[0] = n;
        }, "writer");
        writer.setDaemon(true);
        writerRef[0] = writer;
        start(ticking, writer);
        writer.start();

        Map<String, List<Long>> previous = Map.of();
        int checked = 0;
        try {
            while (writer.isAlive()) {
                Session.Totals t = session.snapshot();
                snapshotsTaken.incrementAndGet();
                Map<String, List<Long>> snap = flat(t);
                checkConsistent(t, snap, previous, full, at, step);
                previous = snap;
                checked++;
            }
        } finally {
            released.set(true);
            writer.join();
        }
        assertTrue(checked >= minSnapshots, "snapshots taken while the writer ran: " + checked);

        long n = iterations[0];
        Map<String, List<Long>> last = flat(session.snapshot());
        assertEquals(combine(Map.of(), n, full, 0, Map.of()), last, "after " + n + " iterations");
        assertEquals(10 * n, ticks.get());
    }

    /**
     * One snapshot taken while the writer ran: counts never go back, no figure is negative, the edges
     * into a function add up to its calls and own time, and above all it is exactly a state the writer passed through: k whole
     * iterations, then the first p hooks of the next with its open calls closed d ticks after the last of them.
     */
    private static void checkConsistent(Session.Totals t, Map<String, List<Long>> snap,
                                        Map<String, List<Long>> previous, Map<String, List<Long>> full,
                                        List<Map<String, List<Long>>> at, List<Map<String, List<Long>>> step) {
        snap.forEach((key, v) -> {
            for (int i = 0; i < 4; i++) assertTrue(v.get(i) >= 0, () -> key + " " + v + " in " + snap);
            // Counts only: a snapshot reads its clock after copying, so a copy that went stale meanwhile gives its
            // open calls time that later snapshots give to no one (see the step in the model below).
            for (int i = 0; i < 2; i++) {
                assertTrue(v.get(i) >= at(previous, key, i), () -> key + " went back: " + previous + " then " + snap);
            }
        });
        t.functions().forEach((f, c) -> {
            long edgeCalls = 0, edgeOwn = 0;
            boolean any = false;
            for (Map.Entry<Long, Session.Counts> e : t.edges().entrySet()) {
                if (Session.Totals.callee(e.getKey()) != f) continue;
                any = true;
                edgeCalls += e.getValue().calls;
                edgeOwn += e.getValue().ownTicks;
            }
            // Every call but w_outer's (made from the root, so through no edge) goes through exactly one edge.
            if (any) {
                assertEquals(c.calls, edgeCalls, () -> Registry.name(f) + "'s edge calls in " + snap);
                assertEquals(c.ownTicks, edgeOwn, () -> Registry.name(f) + "'s edge own times in " + snap);
            }
        });

        long outerCalls = at(snap, "w_outer", 0), outerTt = at(snap, "w_outer", 2);
        for (int p = 0; p <= 10; p++) {
            long k = outerCalls - at(at.get(p), "w_outer", 0);
            if (k < 0) continue;
            // w_outer is open for p in 1..9: each tick after the last hook adds one to its tt.
            long d = p >= 1 && p <= 9 ? outerTt - k * at(full, "w_outer", 2) - at(at.get(p), "w_outer", 2) : 0;
            if (d < 0) continue;
            if (combine(at.get(p), k, full, d, step.get(p)).equals(snap)) return;
        }
        fail("not a state the writer passed through: " + snap);
    }
}
