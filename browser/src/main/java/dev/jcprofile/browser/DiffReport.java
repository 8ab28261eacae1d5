package dev.jcprofile.browser;

import dev.jcprofile.Stats;
import dev.jcprofile.cpython.PyFormat;
import dev.jcprofile.cpython.PyText;
import dev.jcprofile.format.Figures;
import dev.jcprofile.format.ProfileDiff;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * The text of a diff ({@code jpstats --diff BEFORE AFTER}, the browser's {@code diff FILE}): both profiles' files
 * and totals, then one line per function with its calls, own time and cumulative time before, after, and their
 * change, absolute and relative, the largest change in the chosen figure first. Numbers are printed as pstats prints
 * them ({@code %8.3f} seconds, counts right-justified in nine columns), changes with their sign, so that the table
 * reads like a {@code stats} report.
 */
final class DiffReport {
    private DiffReport() {}

    /** Each group's columns: before, after, change, and change in %. */
    private static final int COUNT = 9, TIME = 8, PERCENT = 8;

    static final String HEADING = heading();

    private static String heading() {
        StringBuilder groups = new StringBuilder(), columns = new StringBuilder();
        for (String group : new String[] {"ncalls", "tottime", "cumtime"}) {
            int w = group.equals("ncalls") ? COUNT : TIME;
            int width = 3 * w + PERCENT + 3;
            String title = " " + group + " ";
            int left = (width - title.length()) / 2;
            groups.append("  ").append("-".repeat(left)).append(title).append("-".repeat(width - left - title.length()));
            columns.append("  ").append(PyText.rjust("before", w)).append(' ').append(PyText.rjust("after", w))
                    .append(' ').append(PyText.rjust("change", w)).append(' ').append(PyText.rjust("%", PERCENT));
        }
        return groups.append('\n').append(columns).append("  filename:lineno(function)\n").toString();
    }

    /**
     * The report of {@code diff} (from {@code before} to {@code after}) ordered by {@code key}; at most
     * {@code limit} functions when {@code limit} is not negative, {@code limitText} naming the limit in the message.
     */
    static String render(Stats before, Stats after, ProfileDiff diff, ProfileDiff.Key key, long limit, String limitText) {
        StringBuilder b = new StringBuilder();
        side(b, "before: ", before);
        side(b, "after:  ", after);
        double tb = before.totalTime(), ta = after.totalTime();
        b.append("   change: ").append(signedCount(after.totalCalls() - before.totalCalls())).append(" function calls, ")
                .append(signedSeconds(ta - tb).strip()).append(" seconds");
        String rel = relative(tb, ta - tb).strip();
        if (!rel.isEmpty()) b.append(" (").append(rel).append(')');
        b.append("\n\n");
        List<ProfileDiff.Row> rows = diff.sorted(key);
        int total = rows.size();
        b.append("   Ordered by: change in ").append(key.description).append('\n');
        b.append("   ").append(total).append(total == 1 ? " function: " : " functions: ").append(diff.changedCount())
                .append(" changed, ").append(diff.newCount()).append(" new, ").append(diff.goneCount()).append(" gone\n");
        if (limit >= 0 && limit < total) {
            rows = rows.subList(0, (int) limit);
            b.append("   List reduced from ").append(total).append(" to ").append(limit).append(" due to ")
                    .append(limitText).append('\n');
        }
        b.append('\n');
        if (!rows.isEmpty()) {
            b.append(HEADING);
            for (ProfileDiff.Row r : rows) row(b, r);
            b.append('\n');
        }
        return b.toString();
    }

    private static void side(StringBuilder b, String label, Stats s) {
        List<String> files = s.files();
        b.append("   ").append(label).append(files.isEmpty() ? "(no file)" : files.get(0)).append('\n');
        String indent = " ".repeat(3 + label.length());
        for (int i = 1; i < files.size(); i++) b.append(indent).append(files.get(i)).append('\n');
        Number total = s.exactTotalCalls(), primitive = s.exactPrimitiveCalls();
        b.append(indent).append(total).append(" function calls ");
        if (!total.equals(primitive)) b.append('(').append(primitive).append(" primitive calls) ");
        b.append("in ").append(PyFormat.fixed3(s.totalTime())).append(" seconds\n");
    }

    private static void row(StringBuilder b, ProfileDiff.Row r) {
        Figures x = r.before(), y = r.after();
        String mark = r.isNew() ? "new" : r.isGone() ? "gone" : null;
        b.append("  ").append(PyText.rjust(x == null ? "" : Long.toString(x.calls()), COUNT));
        b.append(' ').append(PyText.rjust(y == null ? "" : Long.toString(y.calls()), COUNT));
        b.append(' ').append(PyText.rjust(signedCount(r.callsChange()), COUNT));
        b.append(' ').append(PyText.rjust(mark != null ? mark : relativeCell(x.calls(), r.callsChange()), PERCENT));
        times(b, x == null ? 0 : x.ownTime(), y == null ? 0 : y.ownTime(), x != null, y != null, r.ownTimeChange(), mark);
        times(b, x == null ? 0 : x.cumulativeTime(), y == null ? 0 : y.cumulativeTime(), x != null, y != null,
                r.cumulativeTimeChange(), mark);
        b.append("  ").append(r.key().stdString()).append('\n');
    }

    private static void times(StringBuilder b, double before, double after, boolean hasBefore, boolean hasAfter,
                              double change, String mark) {
        b.append("  ").append(hasBefore ? f8(before) : " ".repeat(TIME));
        b.append(' ').append(hasAfter ? f8(after) : " ".repeat(TIME));
        b.append(' ').append(signedSeconds(change));
        b.append(' ').append(PyText.rjust(mark != null ? mark : relativeCell(before, change), PERCENT));
    }

    private static String f8(double x) {
        return PyFormat.appendF8(new StringBuilder(8), x).toString();
    }

    /** A count's change with its sign, {@code 0} without one. */
    static String signedCount(long change) {
        return change > 0 ? "+" + change : Long.toString(change);
    }

    /**
     * A time's change as {@code %+8.3f}: the sign says which way even a change too small to show in thousandths
     * went ({@code +0.000}); no change at all is {@code 0.000} without a sign.
     */
    static String signedSeconds(double change) {
        if (change == 0) return "   0.000";
        String s = PyFormat.fixed3(Math.abs(change));
        return PyText.rjust((change > 0 || Double.isNaN(change) ? "+" : "-") + s, 8);
    }

    /**
     * {@link #relative} in the table's column, whose width it must keep so that the names stay in one column: from
     * +10000 % on (a time that grew from almost nothing, common) without the decimal ({@code +14166%}), from
     * +1000000 % on as a power of ten ({@code +1e+06%}). A relative change below -100 % cannot be.
     */
    static String relativeCell(double before, double change) {
        String text = relative(before, change);
        if (text.length() <= PERCENT) return text;
        double r = Math.abs(change / before * 100);
        String sign = change > 0 ? "+" : "-";
        String whole = new BigDecimal(r).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        if (sign.length() + whole.length() + 1 <= PERCENT) return sign + whole + "%";
        return sign + String.format(Locale.ROOT, "%.0e", r) + "%";
    }

    /**
     * {@code change} relative to {@code before} as {@code %+.1f%%}: {@code +inf%} from nothing to something;
     * blank for no change at all, which the change column already shows as 0.
     */
    static String relative(double before, double change) {
        if (change == 0) return "";
        if (before == 0) return change > 0 ? "+inf%" : "-inf%";
        double r = change / before * 100;
        if (Double.isNaN(r)) return "nan%";
        if (Double.isInfinite(r)) return r > 0 ? "+inf%" : "-inf%";
        // Python's %.1f: the exact binary value rounded half to even.
        String s = new BigDecimal(Math.abs(r)).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
        return (r > 0 ? "+" : r < 0 ? "-" : "") + s + "%";
    }
}
