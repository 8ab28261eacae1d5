package dev.jcprofile.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What changed between two profiles, function by function: each function's calls, own time and cumulative time
 * before and after, and the functions found on one side only. Functions are matched by their key, so the two
 * profiles should be named alike (both stripped, or neither).
 *
 * <p>The rows come in the order {@link #sorted} gives: the largest absolute change in the chosen figure first; ties
 * broken by the larger change in cumulative time, then own time, then calls, then by key (file, line, name), so
 * that the same two files always give the same order.
 */
public final class ProfileDiff {

    /** The figure a diff is ordered by. */
    public enum Key {
        CALLS("call count"), TOTTIME("internal time"), CUMTIME("cumulative time");

        /** pstats's description of the sort key, as "Ordered by:" prints it. */
        public final String description;

        Key(String description) {
            this.description = description;
        }

        /**
         * The key a word names: pstats's sort key names that order by one of the three figures, or their unique
         * prefixes as pstats accepts them ({@code calls}, {@code ncalls}, {@code tottime}, {@code time},
         * {@code cumtime}, {@code cumulative}, {@code cum}, ...); null for any other word.
         */
        public static Key lookup(String word) {
            dev.jcprofile.cpython.SortKeys.Key k = dev.jcprofile.cpython.SortKeys.lookup(word);
            if (k == null || k.fields.length != 1) return null;
            switch (k.fields[0]) {
                case dev.jcprofile.cpython.SortKeys.CALLS: return CALLS;
                case dev.jcprofile.cpython.SortKeys.TIME: return TOTTIME;
                case dev.jcprofile.cpython.SortKeys.CUMULATIVE: return CUMTIME;
                default: return null;
            }
        }
    }

    /** One function: its figures before and after, either null where the function is absent from that side. */
    public static final class Row {
        private final FunctionKey key;
        private final Figures before, after;

        Row(FunctionKey key, Figures before, Figures after) {
            this.key = key;
            this.before = before;
            this.after = after;
        }

        public FunctionKey key() { return key; }
        /** The figures in the first profile; null when the function is new. */
        public Figures before() { return before; }
        /** The figures in the second profile; null when the function is gone. */
        public Figures after() { return after; }
        public boolean isNew() { return before == null; }
        public boolean isGone() { return after == null; }

        /** True when all four figures are the same on both sides. */
        public boolean unchanged() {
            return before != null && after != null && before.equals(after);
        }

        /** The change in calls (a function absent from a side counts zero there). */
        public long callsChange() { return calls(after) - calls(before); }
        public double ownTimeChange() { return own(after) - own(before); }
        public double cumulativeTimeChange() { return cum(after) - cum(before); }

        /** The change in {@code key}'s figure, as a double (calls converted). */
        public double change(Key key) {
            switch (key) {
                case CALLS: return callsChange();
                case TOTTIME: return ownTimeChange();
                default: return cumulativeTimeChange();
            }
        }

        /** The figure of {@code key} before (0 when new). */
        public double beforeValue(Key key) { return value(before, key); }
        /** The figure of {@code key} after (0 when gone). */
        public double afterValue(Key key) { return value(after, key); }

        /**
         * The change relative to the figure before, as a fraction: 0.5 is 50 % more. Infinite when the figure was 0
         * and is no longer; NaN when it was and is 0 (no change to relate), and for a new function.
         */
        public double relativeChange(Key key) {
            if (before == null) return Double.NaN;
            double b = value(before, key), c = change(key);
            if (c == 0) return b == 0 ? Double.NaN : 0.0;
            return c / b;
        }

        private static double value(Figures f, Key key) {
            if (f == null) return 0;
            switch (key) {
                case CALLS: return f.calls();
                case TOTTIME: return f.ownTime();
                default: return f.cumulativeTime();
            }
        }

        private static long calls(Figures f) { return f == null ? 0 : f.calls(); }
        private static double own(Figures f) { return f == null ? 0 : f.ownTime(); }
        private static double cum(Figures f) { return f == null ? 0 : f.cumulativeTime(); }
    }

    private final List<Row> rows;
    private final int newCount, goneCount, changedCount;

    private ProfileDiff(List<Row> rows) {
        this.rows = Collections.unmodifiableList(rows);
        int n = 0, g = 0, c = 0;
        for (Row r : rows) {
            if (r.isNew()) n++;
            else if (r.isGone()) g++;
            else if (!r.unchanged()) c++;
        }
        newCount = n;
        goneCount = g;
        changedCount = c;
    }

    /** The diff from {@code before} to {@code after}. */
    public static ProfileDiff of(ProfileData before, ProfileData after) {
        List<Row> rows = new ArrayList<>(after.size() + 16);
        for (int e = 0; e < after.size(); e++) {
            FunctionKey k = after.key(e);
            int b = before.entryOf(k);
            rows.add(new Row(k, b < 0 ? null : before.figures(b), after.figures(e)));
        }
        for (int b = 0; b < before.size(); b++) {
            if (after.entryOf(before.key(b)) < 0) rows.add(new Row(before.key(b), before.figures(b), null));
        }
        return new ProfileDiff(rows);
    }

    /** Every function of either side: the second profile's in its order, then those gone, in the first's order. */
    public List<Row> rows() { return rows; }

    /** Functions found only in the second profile. */
    public int newCount() { return newCount; }
    /** Functions found only in the first profile. */
    public int goneCount() { return goneCount; }
    /** Functions on both sides whose figures differ. */
    public int changedCount() { return changedCount; }

    /** The rows, the largest absolute change in {@code key} first (see the class comment for ties). */
    public List<Row> sorted(Key key) {
        Row[] a = rows.toArray(new Row[0]);
        Comparator<Row> byChange = Comparator.comparingDouble((Row r) -> magnitude(r.change(key)))
                .thenComparingDouble(r -> magnitude(r.cumulativeTimeChange()))
                .thenComparingDouble(r -> magnitude(r.ownTimeChange()))
                .thenComparingDouble(r -> magnitude(r.callsChange()))
                .reversed()
                .thenComparing(Row::key);
        Arrays.sort(a, byChange);
        return Arrays.asList(a);
    }

    /** |x|, with NaN (a damaged time) below every number, so that it sorts last. */
    private static double magnitude(double x) {
        return Double.isNaN(x) ? -1 : Math.abs(x);
    }
}
