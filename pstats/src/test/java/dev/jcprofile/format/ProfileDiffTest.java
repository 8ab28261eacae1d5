package dev.jcprofile.format;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileDiffTest {
    private static final FunctionKey MAIN = new FunctionKey("a/M.java", 1, "main"),
            SLOW = new FunctionKey("a/M.java", 5, "slow"), FAST = new FunctionKey("a/M.java", 9, "fast"),
            OLD = new FunctionKey("a/Old.java", 3, "old"), NEW = new FunctionKey("a/New.java", 3, "fresh"),
            SAME = new FunctionKey("~", 0, "<same>"), TIE_B = new FunctionKey("b/T.java", 1, "t"),
            TIE_A = new FunctionKey("a/T.java", 1, "t");

    private static ProfileData profile(Object... rows) {
        ProfileData d = new ProfileData();
        for (int i = 0; i < rows.length; i += 2) d.beginEntry(d.intern((FunctionKey) rows[i]), (Figures) rows[i + 1]);
        return d;
    }

    private static Figures f(long calls, double own, double cum) {
        return new Figures(calls, calls, own, cum);
    }

    private static List<FunctionKey> keys(List<ProfileDiff.Row> rows) {
        List<FunctionKey> k = new ArrayList<>();
        for (ProfileDiff.Row r : rows) k.add(r.key());
        return k;
    }

    private final ProfileData before = profile(MAIN, f(1, 0.1, 3.0), SLOW, f(1, 2.0, 2.0), FAST, f(10, 0.5, 0.5),
            OLD, f(4, 0.2, 0.2), SAME, f(2, 0.1, 0.1), TIE_B, f(1, 0.0, 0.25), TIE_A, f(1, 0.0, 0.5));
    private final ProfileData after = profile(MAIN, f(1, 0.1, 1.5), SLOW, f(1, 0.5, 0.5), FAST, f(30, 0.6, 0.6),
            NEW, f(2, 0.05, 0.05), SAME, f(2, 0.1, 0.1), TIE_B, f(1, 0.0, 0.5), TIE_A, f(1, 0.0, 0.75));

    @Test
    void everyFunctionOfEitherSideWithNewAndGoneMarked() {
        ProfileDiff d = ProfileDiff.of(before, after);
        assertEquals(List.of(MAIN, SLOW, FAST, NEW, SAME, TIE_B, TIE_A, OLD), keys(d.rows()));
        assertEquals(1, d.newCount());
        assertEquals(1, d.goneCount());
        assertEquals(5, d.changedCount());
        ProfileDiff.Row fresh = d.rows().get(3), old = d.rows().get(7), same = d.rows().get(4);
        assertTrue(fresh.isNew() && !fresh.isGone());
        assertNull(fresh.before());
        assertEquals(2, fresh.callsChange());
        assertTrue(old.isGone());
        assertEquals(-4, old.callsChange());
        assertEquals(-0.2, old.cumulativeTimeChange());
        assertTrue(same.unchanged());
        assertTrue(Double.isNaN(fresh.relativeChange(ProfileDiff.Key.CALLS)));
        assertEquals(-1.0, old.relativeChange(ProfileDiff.Key.CALLS));
        assertEquals(0.0, same.relativeChange(ProfileDiff.Key.CALLS));
        assertEquals(2.0, d.rows().get(2).relativeChange(ProfileDiff.Key.CALLS));
    }

    @Test
    void orderedByTheLargestAbsoluteChangeThenDeterministically() {
        ProfileDiff d = ProfileDiff.of(before, after);
        // cumtime: slow -1.5 and main -1.5 tie; own time breaks it (slow -1.5, main 0); the +0.25 changes of the T
        // functions tie on every figure and go by key, a/ before b/.
        assertEquals(List.of(SLOW, MAIN, TIE_A, TIE_B, OLD, FAST, NEW, SAME), keys(d.sorted(ProfileDiff.Key.CUMTIME)));
        assertEquals(List.of(FAST, OLD, NEW, SLOW, MAIN, TIE_A, TIE_B, SAME), keys(d.sorted(ProfileDiff.Key.CALLS)));
        assertEquals(SLOW, d.sorted(ProfileDiff.Key.TOTTIME).get(0).key());
        // The same two profiles in another dict order give the same order.
        ProfileData shuffled = profile(TIE_A, f(1, 0.0, 0.75), SAME, f(2, 0.1, 0.1), NEW, f(2, 0.05, 0.05),
                FAST, f(30, 0.6, 0.6), SLOW, f(1, 0.5, 0.5), TIE_B, f(1, 0.0, 0.5), MAIN, f(1, 0.1, 1.5));
        assertEquals(keys(d.sorted(ProfileDiff.Key.CUMTIME)),
                keys(ProfileDiff.of(before, shuffled).sorted(ProfileDiff.Key.CUMTIME)));
    }

    @Test
    void aNanTimeSortsLast() {
        ProfileDiff d = ProfileDiff.of(profile(MAIN, f(1, 0, Double.NaN), SLOW, f(1, 0, 1)),
                profile(MAIN, f(1, 0, 2), SLOW, f(1, 0, 1.5)));
        assertEquals(List.of(SLOW, MAIN), keys(d.sorted(ProfileDiff.Key.CUMTIME)));
    }

    @Test
    void sortKeysArePstatsNamesOfTheThreeFigures() {
        assertEquals(ProfileDiff.Key.CALLS, ProfileDiff.Key.lookup("calls"));
        assertEquals(ProfileDiff.Key.CALLS, ProfileDiff.Key.lookup("ncalls"));
        assertEquals(ProfileDiff.Key.TOTTIME, ProfileDiff.Key.lookup("tottime"));
        assertEquals(ProfileDiff.Key.TOTTIME, ProfileDiff.Key.lookup("time"));
        assertEquals(ProfileDiff.Key.CUMTIME, ProfileDiff.Key.lookup("cumtime"));
        assertEquals(ProfileDiff.Key.CUMTIME, ProfileDiff.Key.lookup("cumulative"));
        assertEquals(ProfileDiff.Key.CUMTIME, ProfileDiff.Key.lookup("cumul"));
        for (String other : new String[] {"pcalls", "name", "stdname", "nfl", "file", "cum", "x", ""}) {
            assertNull(ProfileDiff.Key.lookup(other), other);
        }
    }

    @Test
    void stripKeepsTheTreeAndMergesPathsThatBecomeOne() {
        ProfileData d = profile(MAIN, f(1, 0.1, 3.0));
        CallTree t = new CallTree();
        int th = t.thread("main");
        int main = t.root(th, t.function(MAIN));
        t.add(main, 1, 0.1, 3.0);
        t.add(t.child(main, t.function(new FunctionKey("x/U.java", 2, "u"))), 2, 1.0, 1.0);
        t.add(t.child(main, t.function(new FunctionKey("y/U.java", 2, "u"))), 3, 1.5, 1.9);
        d.setTree(t);
        CallTree s = ProfileOps.stripDirs(d).tree();
        assertEquals(2, s.size());
        assertEquals(new FunctionKey("M.java", 1, "main"), s.key(0));
        assertEquals(new FunctionKey("U.java", 2, "u"), s.key(1));
        assertEquals(5, s.calls(1));
        assertEquals(2.5, s.ownTime(1));
        assertEquals(2.9, s.totalTime(1), 1e-12);
        assertFalse(s.threadCount() != 1);
    }
}
