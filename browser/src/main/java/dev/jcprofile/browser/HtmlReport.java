package dev.jcprofile.browser;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jpstats --html OUT FILE...} and {@code jpstats --html OUT --diff BEFORE AFTER}: one self-contained HTML
 * file (no network, opens from disk) with the function table, its callers and callees, and a flame graph of the
 * calling-context tree. The page (report.html, report.css, report.js beside this class) is inlined with the
 * profile as compact JSON, column by column, so that a browser parses one array per figure rather than an object
 * per row.
 */
public final class HtmlReport {
    private HtmlReport() {}

    static final String USAGE = "  --html OUT FILE...       write a report of the FILEs (added together) to OUT, one HTML file that\n"
            + "                           opens from disk: the function table with callers and callees, and a\n"
            + "                           flame graph of the call tree (recorded with jcprofile --tree)\n"
            + "  --html OUT --diff BEFORE AFTER\n"
            + "                           write a comparison: AFTER's flame graph coloured by each path's change\n"
            + "                           in total time since BEFORE, and every function's change\n";

    /** One side of a report: the profiles added together, and their trees merged. */
    public static final class Side {
        final Stats stats;
        final CallTree tree;
        final List<String> withoutTree;

        /** {@code tree} null: no file had one. {@code withoutTree}: the files, among several, that had none. */
        public Side(Stats stats, CallTree tree, List<String> withoutTree) {
            this.stats = stats;
            this.tree = tree;
            this.withoutTree = withoutTree;
        }

        /** Loads and adds the files, as jpstats does, merging their trees path by path. */
        public static Side load(List<String> files) throws ProfileException {
            Stats all = null;
            CallTree tree = null;
            List<String> without = new ArrayList<>();
            for (String file : files) {
                Stats one = new Stats(file);
                // Each file's tree before the add: the add builds a new flat profile.
                CallTree t = one.data().tree();
                if (t != null) {
                    if (tree == null) tree = new CallTree();
                    tree.addAll(t);
                } else {
                    without.add(file);
                }
                if (all == null) all = one;
                else all.add(one);
            }
            return new Side(all, tree, without);
        }
    }

    /** {@code jpstats --html ...}: the exit status (0, or 2 after one line on {@code err}). */
    static int run(String[] args, PrintStream err) {
        String out = null;
        boolean diff = false;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--html")) {
                if (out != null) return fail(err, "--html given twice");
                if (i + 1 >= args.length) return fail(err, "--html needs the name of the HTML file to write");
                out = args[++i];
            } else if (a.equals("--diff")) {
                diff = true;
            } else if (a.equals("--")) {
                for (i++; i < args.length; i++) files.add(args[i]);
            } else if (a.startsWith("-") && a.length() > 1) {
                return fail(err, "unrecognized option with --html: " + a + " (see jpstats --help)");
            } else {
                files.add(a);
            }
        }
        if (diff && files.size() != 2) {
            return fail(err, "--diff needs two profiles, BEFORE and AFTER (got " + files.size() + ")");
        }
        if (files.isEmpty()) return fail(err, "--html needs at least one profile to report on");
        try {
            String html;
            if (diff) {
                html = diff(Side.load(List.of(files.get(0))), Side.load(List.of(files.get(1))), files.get(0), files.get(1));
            } else {
                html = report(Side.load(files), String.join(" + ", files));
            }
            write(html, out);
        } catch (ProfileException e) {
            return fail(err, e.getMessage());
        }
        return 0;
    }

    private static int fail(PrintStream err, String message) {
        err.println("jpstats: " + message);
        err.flush();
        return 2;
    }

    // ------------------------------------------------------------------ the page

    /** The report of one side (a profile, or several added together). */
    public static String report(Side side, String title) {
        Json j = new Json();
        j.b.append("{\"mode\":\"report\",\"title\":");
        j.str(title);
        j.b.append(",\"profiles\":[");
        profile(j, side);
        j.b.append("],");
        j.functions();
        j.b.append('}');
        return page(title, j.b);
    }

    /** The comparison of {@code before} and {@code after}. */
    public static String diff(Side before, Side after, String beforeLabel, String afterLabel) {
        Json j = new Json();
        String title = beforeLabel + " \u2192 " + afterLabel;
        j.b.append("{\"mode\":\"diff\",\"title\":");
        j.str(title);
        j.b.append(",\"labels\":[");
        j.str(beforeLabel);
        j.b.append(',');
        j.str(afterLabel);
        j.b.append("],\"profiles\":[");
        profile(j, before);
        j.b.append(',');
        profile(j, after);
        j.b.append("],");
        j.functions();
        j.b.append('}');
        return page(title, j.b);
    }

    private static String page(String title, CharSequence json) {
        String html = resource("report.html");
        StringBuilder b = new StringBuilder(json.length() + 100_000);
        // Placeholders replaced in one pass, so that nothing inserted is ever searched for placeholders.
        String[] parts = html.split("@@", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 0) {
                b.append(parts[i]);
                continue;
            }
            switch (parts[i]) {
                case "TITLE": b.append(escapeHtml(title)); break;
                case "CSS": b.append(resource("report.css")); break;
                case "JS": b.append(resource("report.js")); break;
                case "DATA": b.append(json); break;
                default: throw new IllegalStateException("report.html: unknown placeholder @@" + parts[i] + "@@");
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                default:
                    b.append(Character.isSurrogate(c) && !validPair(s, i) ? '\ufffd' : c);
                    if (Character.isHighSurrogate(c) && validPair(s, i)) b.append(s.charAt(++i));
            }
        }
        return b.toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return false;
    }

    /**
     * One side as columns: the header, the flat table (rows, their callers as pstats keeps them) and the tree
     * (parent, function, thread, calls, own time, total time per node; parents come before their children).
     */
    private static void profile(Json j, Side side) {
        Stats s = side.stats;
        ProfileData d = s.data();
        StringBuilder b = j.b;
        b.append("{\"files\":[");
        List<String> files = s.files();
        for (int i = 0; i < files.size(); i++) {
            if (i > 0) b.append(',');
            j.str(files.get(i));
        }
        b.append("],\"calls\":");
        j.count(s.exactTotalCalls());
        b.append(",\"prim\":");
        j.count(s.exactPrimitiveCalls());
        b.append(",\"time\":");
        j.num(s.totalTime());
        int n = d.size();
        // Rows by cumtime, largest first (ties in the profile's order, NaN last): the page opens sorted so, and
        // need not sort a hundred thousand rows before it can be used.
        Integer[] boxed = new Integer[n];
        for (int e = 0; e < n; e++) boxed[e] = e;
        java.util.Arrays.sort(boxed, (x, y) -> Double.compare(sortKey(d.cumulativeTime(y)), sortKey(d.cumulativeTime(x))));
        int[] ord = new int[n];
        for (int e = 0; e < n; e++) ord[e] = boxed[e];
        int[] fn = new int[n];
        for (int e = 0; e < n; e++) fn[e] = j.fn(d.key(ord[e]));
        b.append(",\"t\":{\"f\":");
        j.ints(fn, n);
        b.append(",\"nc\":[");
        for (int e = 0; e < n; e++) {
            if (e > 0) b.append(',');
            j.count(d.hasBigCounts() ? d.exactCalls(ord[e]) : (Number) d.calls(ord[e]));
        }
        b.append("],\"cc\":[");
        for (int e = 0; e < n; e++) {
            if (e > 0) b.append(',');
            j.count(d.hasBigCounts() ? d.exactPrimitiveCalls(ord[e]) : (Number) d.primitiveCalls(ord[e]));
        }
        b.append("],");
        double[] figure = new double[n];
        for (int e = 0; e < n; e++) figure[e] = d.ownTime(ord[e]);
        times(j, "tt", figure, n);
        b.append(',');
        for (int e = 0; e < n; e++) figure[e] = d.cumulativeTime(ord[e]);
        times(j, "ct", figure, n);
        b.append(",\"es\":[0");
        // Callers: row e's are es[e] .. es[e+1].
        int edges = 0;
        for (int e = 0; e < n; e++) {
            edges += d.callersEnd(ord[e]) - d.callersStart(ord[e]);
            b.append(',').append(edges);
        }
        b.append("],\"ef\":[");
        boolean first = true;
        for (int e = 0; e < n; e++) {
            for (int i = d.callersStart(ord[e]); i < d.callersEnd(ord[e]); i++) {
                if (!first) b.append(',');
                first = false;
                b.append(j.fn(d.keyById(d.edgeKey(i))));
            }
        }
        edgeColumn(j, d, ord, n, "enc", 0);
        edgeColumn(j, d, ord, n, "ecc", 1);
        boolean counts = false;
        double[] ett = new double[edges], ect = new double[edges];
        int k = 0;
        for (int e = 0; e < n; e++) {
            for (int i = d.callersStart(ord[e]); i < d.callersEnd(ord[e]); i++, k++) {
                counts |= d.edgeIsCount(i);
                ett[k] = d.edgeOwnTime(i);
                ect[k] = d.edgeCumulativeTime(i);
            }
        }
        if (counts) {
            edgeColumn(j, d, ord, n, "ett", 2);
            edgeColumn(j, d, ord, n, "ect", 3);
            b.append("]");
        } else {
            b.append("],");
            times(j, "ett", ett, edges);
            b.append(',');
            times(j, "ect", ect, edges);
        }
        b.append("},\"tree\":");
        CallTree t = side.tree;
        if (t == null) {
            b.append("null");
        } else {
            int size = t.size();
            b.append("{\"threads\":[");
            for (int i = 0; i < t.threadCount(); i++) {
                if (i > 0) b.append(',');
                j.str(t.threadName(i));
            }
            int[] col = new int[size];
            // Parents as distances back (a parent comes before its children, usually shortly): 0 for a root.
            b.append("],\"pd\":");
            for (int i = 0; i < size; i++) col[i] = t.parent(i) == CallTree.ROOT ? 0 : i - t.parent(i);
            j.ints(col, size);
            b.append(",\"f\":");
            int[] fnOf = new int[t.functionCount()];
            for (int f = 0; f < fnOf.length; f++) fnOf[f] = j.fn(t.functionKey(f));
            for (int i = 0; i < size; i++) col[i] = fnOf[t.function(i)];
            j.ints(col, size);
            // A node's thread is its root's: only roots carry one (-1 elsewhere would cost as much; they are left out).
            b.append(",\"th\":[");
            boolean firstRoot = true;
            for (int i = 0; i < size; i++) {
                if (t.parent(i) != CallTree.ROOT) continue;
                if (!firstRoot) b.append(',');
                firstRoot = false;
                b.append(t.thread(i));
            }
            b.append("],\"n\":[");
            for (int i = 0; i < size; i++) {
                if (i > 0) b.append(',');
                j.count(t.calls(i));
            }
            b.append("],");
            double[] v = new double[size];
            for (int i = 0; i < size; i++) v[i] = t.ownTime(i);
            times(j, "o", v, size);
            b.append(',');
            for (int i = 0; i < size; i++) v[i] = t.totalTime(i);
            times(j, "t", v, size);
            b.append('}');
        }
        b.append(",\"noTree\":[");
        for (int i = 0; i < side.withoutTree.size(); i++) {
            if (i > 0) b.append(',');
            j.str(side.withoutTree.get(i));
        }
        b.append("]}");
    }

    private static double sortKey(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /**
     * A column of times: in whole nanoseconds ({@code "ns":true} before it, as {@code NAME_ns}) when every value
     * reads back exactly from its nanoseconds (jcprofile's times are ticks made seconds), which takes about half
     * the characters; else in seconds. Either way each value reaches the page exactly.
     */
    private static void times(Json j, String name, double[] v, int n) {
        boolean ns = true;
        for (int i = 0; i < n && ns; i++) {
            double k = Math.rint(v[i] * 1e9);
            ns = Math.abs(k) < 9e15 && k / 1e9 == v[i] && Double.doubleToRawLongBits(v[i]) != Double.doubleToRawLongBits(-0.0);
        }
        StringBuilder b = j.b;
        b.append('"').append(name).append(ns ? "_ns" : "").append("\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(',');
            if (ns) b.append((long) Math.rint(v[i] * 1e9));
            else j.num(v[i]);
        }
        b.append(']');
    }

    /**
     * One figure of every caller edge. The {@code profile} module's edges are a plain count, without times: their
     * times are null, shown blank, as pstats prints only the count.
     */
    private static void edgeColumn(Json j, ProfileData d, int[] ord, int n, String name, int which) {
        StringBuilder b = j.b;
        b.append("],\"").append(name).append("\":[");
        boolean first = true;
        for (int e = 0; e < n; e++) {
            for (int i = d.callersStart(ord[e]); i < d.callersEnd(ord[e]); i++) {
                if (!first) b.append(',');
                first = false;
                switch (which) {
                    case 0: j.count(d.exactEdgeCalls(i)); break;
                    case 1: j.count(d.exactEdgePrimitiveCalls(i)); break;
                    case 2: if (d.edgeIsCount(i)) b.append("null"); else j.num(d.edgeOwnTime(i)); break;
                    default: if (d.edgeIsCount(i)) b.append("null"); else j.num(d.edgeCumulativeTime(i)); break;
                }
            }
        }
    }

    /** The JSON being written, and the functions it names, numbered in the order first named. */
    private static final class Json {
        final StringBuilder b = new StringBuilder(1 << 20);
        private final Map<FunctionKey, Integer> ids = new HashMap<>();
        private final List<FunctionKey> keys = new ArrayList<>();

        int fn(FunctionKey k) {
            Integer id = ids.get(k);
            if (id == null) {
                id = keys.size();
                ids.put(k, id);
                keys.add(k);
            }
            return id;
        }

        /**
         * The functions: {@code loc} is {@code file:line} (empty for pstats's built-ins) and {@code name} the
         * name; the table shows pstats's {@code file:line(name)} (or {@code {name}}), the flame graph the name.
         */
        void functions() {
            b.append("\"loc\":[");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) b.append(',');
                FunctionKey k = keys.get(i);
                str(k.isBuiltin() ? "" : k.file() + ":" + k.exactLine());
            }
            b.append("],\"name\":[");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) b.append(',');
                FunctionKey k = keys.get(i);
                str(k.isBuiltin() ? k.stdString() : k.name());
            }
            b.append(']');
        }

        void ints(int[] a, int n) {
            b.append('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) b.append(',');
                b.append(a[i]);
            }
            b.append(']');
        }

        /** A count: a JSON number while JavaScript holds it exactly, else its digits as a string. */
        void count(Number v) {
            if (v instanceof Long && Math.abs(v.longValue()) <= (1L << 53)) b.append(v.longValue());
            else str(v.toString());
        }

        void count(long v) {
            if (Math.abs(v) <= (1L << 53)) b.append(v);
            else str(Long.toString(v));
        }

        /** A time: the shortest decimal that reads back as the same double; NaN and infinities as strings. */
        void num(double v) {
            if (Double.isNaN(v)) b.append("\"NaN\"");
            else if (Double.isInfinite(v)) b.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
            else if (v == 0) b.append(Double.doubleToRawLongBits(v) == 0 ? "0" : "-0.0");
            else if (v == Math.rint(v) && Math.abs(v) < 1e15) b.append((long) v);
            else b.append(Double.toString(v));
        }

        /**
         * A JSON string, safe inside a script element: {@code <} escaped (no {@code </script>}), and a lone
         * surrogate (a name Python kept with surrogateescape) escaped rather than mangled by the encoder.
         */
        void str(String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (Character.isHighSurrogate(c) && validPair(s, i)) {
                    b.append(c).append(s.charAt(++i));
                } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029
                        || Character.isSurrogate(c)) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            b.append('"');
        }
    }

    // ------------------------------------------------------------------ the file

    /**
     * Writes the page atomically, as profiles are written: a temporary file in the same directory renamed into
     * place, so that a browser never opens half a report and a failure leaves an earlier one as it was.
     */
    static void write(String html, String label) throws ProfileException {
        Path target;
        try {
            target = Paths.get(label).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ProfileException(label, "not a valid file name here");
        }
        if (Files.isDirectory(target)) throw new ProfileException(label, "Is a directory");
        // Lone surrogates cannot be in the page: the JSON escapes them and the title replaces them.
        ProfileFiles.writeAtomically(target, label, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** For tests and the API: writes {@code html} to {@code out} atomically. */
    public static void writeFile(String html, Path out) throws ProfileException {
        write(html, out.toString());
    }
}
