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
 * profile column by column, so that a browser decodes one typed array per figure rather than an object per row:
 * the columns of numbers as varints in base64, figures that the call tree gives as what is left after its sums,
 * the rest (the distinct pieces of the names, mostly) as JSON. What a browser pays first for a large report is
 * reading and tokenizing the document, byte by byte: this takes well under half the bytes that decimal JSON
 * took, and the page needs no JSON.parse of the numbers.
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

        /** The profiles added together, whose figures the report shows. */
        public Stats stats() {
            return stats;
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
        return page(title, j);
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
        return page(title, j);
    }

    private static String page(String title, Json data) {
        String html = resource("report.html");
        // The binary columns in base64, which browsers decode natively (Uint8Array.fromBase64, or atob).
        String bin = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(data.bin.a, data.bin.size));
        StringBuilder b = new StringBuilder(data.b.length() + bin.length() + 100_000);
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
                case "DATA": b.append(data.b); break;
                case "BIN": b.append(bin); break;
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
     * Columns of numbers go to the binary part (see {@link Json}); the rest is JSON.
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
        j.ids(fn, n);
        Number[] count = new Number[n];
        for (int e = 0; e < n; e++) count[e] = d.hasBigCounts() ? d.exactCalls(ord[e]) : (Number) d.calls(ord[e]);
        b.append(",\"nc\":");
        j.counts(count, n);
        for (int e = 0; e < n; e++) count[e] = d.hasBigCounts() ? d.exactPrimitiveCalls(ord[e]) : (Number) d.primitiveCalls(ord[e]);
        b.append(",\"cc\":");
        j.counts(count, n);
        double[] figure = new double[n];
        for (int e = 0; e < n; e++) figure[e] = d.ownTime(ord[e]);
        b.append(",\"tt\":");
        j.times(figure, n);
        for (int e = 0; e < n; e++) figure[e] = d.cumulativeTime(ord[e]);
        b.append(",\"ct\":");
        j.times(figure, n);
        // Callers: row e's are es[e] .. es[e+1], sent as each row's number of callers.
        int edges = 0;
        int[] per = new int[n];
        for (int e = 0; e < n; e++) {
            per[e] = d.callersEnd(ord[e]) - d.callersStart(ord[e]);
            edges += per[e];
        }
        b.append(",\"es\":");
        j.offsets(per, n);
        int[] ef = new int[edges];
        Number[] enc = new Number[edges], ecc = new Number[edges];
        double[] ett = new double[edges], ect = new double[edges];
        boolean counts = false;
        int k = 0;
        for (int e = 0; e < n; e++) {
            for (int i = d.callersStart(ord[e]); i < d.callersEnd(ord[e]); i++, k++) {
                ef[k] = j.fn(d.keyById(d.edgeKey(i)));
                enc[k] = d.exactEdgeCalls(i);
                ecc[k] = d.exactEdgePrimitiveCalls(i);
                counts |= d.edgeIsCount(i);
                ett[k] = d.edgeOwnTime(i);
                ect[k] = d.edgeCumulativeTime(i);
            }
        }
        b.append(",\"ef\":");
        j.ids(ef, edges);
        long[][] fromTree = counts || side.tree == null ? null : edgesFromTree(j, side.tree, Json.treeMode(side.tree), fn, per, ef);
        if (fromTree != null && j.restsOf(fromTree, enc, ecc, ett, ect)) {
            // Sent as what is left after the tree's sums (see edgesFromTree).
        } else if (counts) {
            b.append(",\"enc\":");
            j.counts(enc, edges);
            b.append(",\"ecc\":");
            j.counts(ecc, edges);
            // The profile module's edges are a plain count, without times: their times are null, shown blank, as
            // pstats prints only the count.
            edgeTimes(j, d, ord, n, "ett", false);
            edgeTimes(j, d, ord, n, "ect", true);
        } else {
            b.append(",\"enc\":");
            j.counts(enc, edges);
            b.append(",\"ecc\":");
            j.counts(ecc, edges);
            b.append(",\"ett\":");
            j.times(ett, edges);
            b.append(",\"ect\":");
            j.times(ect, edges);
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
            j.naturals(col, size);
            b.append(",\"f\":");
            int[] fnOf = new int[t.functionCount()];
            for (int f = 0; f < fnOf.length; f++) fnOf[f] = j.fn(t.functionKey(f));
            for (int i = 0; i < size; i++) col[i] = fnOf[t.function(i)];
            j.ids(col, size);
            // A node's thread is its root's: only roots carry one.
            int roots = 0;
            for (int i = 0; i < size; i++) if (t.parent(i) == CallTree.ROOT) col[roots++] = t.thread(i);
            b.append(",\"th\":");
            j.naturals(col, roots);
            if (t.threadCount() > 1) {
                // Every thread's paths as one thread's (the page's "all threads", CallTree.threadsMerged): each
                // node's node of that merged tree, numbered in order of first appearance, as how far back from
                // the next new number it is (0: a new one). The page would otherwise look up a million
                // (parent, function) pairs before it can draw.
                Map<Long, Integer> merged = new HashMap<>();
                int[] mapped = new int[size];
                int next = 0;
                for (int i = 0; i < size; i++) {
                    long parent = t.parent(i) == CallTree.ROOT ? -1 : mapped[t.parent(i)];
                    Integer m = merged.putIfAbsent((parent + 1) << 32 | t.function(i), next);
                    mapped[i] = m == null ? next++ : m;
                    col[i] = m == null ? 0 : next - m;
                }
                b.append(",\"mg\":");
                j.naturals(col, size);
            }
            Number[] calls = new Number[size];
            for (int i = 0; i < size; i++) calls[i] = t.calls(i);
            b.append(",\"n\":");
            j.counts(calls, size);
            double[] v = new double[size];
            for (int i = 0; i < size; i++) v[i] = t.ownTime(i);
            b.append(",\"o\":");
            j.times(v, size);
            double[] total = new double[size];
            for (int i = 0; i < size; i++) total[i] = t.totalTime(i);
            b.append(",\"t\":");
            if (!j.totalsAsRest(v, total, t, size)) j.times(total, size);
            b.append('}');
        }
        b.append(",\"noTree\":[");
        for (int i = 0; i < side.withoutTree.size(); i++) {
            if (i > 0) b.append(',');
            j.str(side.withoutTree.get(i));
        }
        b.append("]}");
    }

    /**
     * Each caller edge's figures as the tree gives them: over the nodes of a function whose parent is of the
     * caller, the calls, the calls that are not recursive, the own times and the total times that are not
     * recursive, in whole nanoseconds. Recursive as cProfile counts a caller-callee pair: the same pair is
     * already open above the node (_lsprof.c, ProfilerSubEntry's recursionLevel). A node whose pair has no edge
     * in the table is left out. These are what the recorder's table holds when the tree is whole, so that the
     * table's edges can be sent as what is left after them, mostly nothing; the page sums them the same way.
     * Null when the tree's times are not whole nanoseconds ({@code mode} -1, see {@link Json#mode}) or a sum
     * would pass 2**53.
     */
    private static long[][] edgesFromTree(Json j, CallTree t, int mode, int[] fn, int[] per, int[] ef) {
        if (mode < 0) return null;
        int size = t.size(), edges = ef.length;
        int[] fnOf = new int[t.functionCount()];
        for (int f = 0; f < fnOf.length; f++) fnOf[f] = j.fn(t.functionKey(f));
        Map<Long, Integer> edgeOf = new HashMap<>(edges * 2);
        for (int r = 0, k = 0; r < fn.length; r++) {
            for (int e = 0; e < per[r]; e++, k++) edgeOf.put((long) fn[r] << 32 | ef[k], k);
        }
        int[] edge = new int[size];
        for (int i = 0; i < size; i++) {
            if (t.calls(i) < 0) return null;
            int p = t.parent(i);
            Integer e = p == CallTree.ROOT ? null : edgeOf.get((long) fnOf[t.function(i)] << 32 | fnOf[t.function(p)]);
            edge[i] = e == null ? -1 : e;
        }
        // Depth first, each node's pair counted open while under it.
        int[] first = new int[size + 1], next = new int[size];
        java.util.Arrays.fill(first, -1);
        for (int i = size - 1; i >= 0; i--) {
            int p = t.parent(i) == CallTree.ROOT ? size : t.parent(i);
            next[i] = first[p];
            first[p] = i;
        }
        int[] open = new int[edges], stack = new int[2 * size + 2];
        long[][] d = new long[4][edges];
        int top = 0;
        for (int r = first[size]; r >= 0; r = next[r]) stack[top++] = r;
        while (top > 0) {
            int x = stack[--top];
            if (x < 0) {
                open[edge[~x]]--;
                continue;
            }
            int e = edge[x];
            if (e >= 0) {
                boolean recursive = open[e] > 0;
                long calls = t.calls(x);
                d[0][e] += calls;
                d[2][e] += Json.nanoseconds(t.ownTime(x), mode);
                if (!recursive) {
                    d[1][e] += calls;
                    d[3][e] += Json.nanoseconds(t.totalTime(x), mode);
                }
                for (long[] sum : d) if (sum[e] > (1L << 53)) return null;
                open[e]++;
                stack[top++] = ~x;
            }
            for (int c = first[x]; c >= 0; c = next[c]) stack[top++] = c;
        }
        return d;
    }

    private static double sortKey(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** The own ({@code cumulative} false) or cumulative times of every caller edge, null for a plain count. */
    private static void edgeTimes(Json j, ProfileData d, int[] ord, int n, String name, boolean cumulative) {
        StringBuilder b = j.b;
        b.append(",\"").append(name).append("\":[");
        boolean first = true;
        for (int e = 0; e < n; e++) {
            for (int i = d.callersStart(ord[e]); i < d.callersEnd(ord[e]); i++) {
                if (!first) b.append(',');
                first = false;
                if (d.edgeIsCount(i)) b.append("null");
                else j.num(cumulative ? d.edgeCumulativeTime(i) : d.edgeOwnTime(i));
            }
        }
        b.append(']');
    }

    /** The JSON being written, and the functions it names, numbered in the order first named. */
    private static final class Json {
        final StringBuilder b = new StringBuilder(1 << 20);
        private final Map<FunctionKey, Integer> ids = new HashMap<>();
        private final List<FunctionKey> keys = new ArrayList<>();

        int fn(FunctionKey k) {
            return intern(ids, keys, k);
        }

        /**
         * The functions: {@code loc} is {@code file:line} (empty for pstats's built-ins) and {@code name} the
         * name; the table shows pstats's {@code file:line(name)} (or {@code {name}}), the flame graph the name.
         * Each is sent as pieces, every distinct piece once ({@code str}): the file's directory, its base name and
         * {@code :line}; the name up to its last dot (the class, which many methods share) and the rest.
         */
        void functions() {
            Map<String, Integer> ids = new HashMap<>();
            List<String> strings = new ArrayList<>();
            int n = keys.size();
            int[][] cols = new int[5][n];
            for (int i = 0; i < n; i++) {
                FunctionKey k = keys.get(i);
                String file = k.isBuiltin() ? "" : k.file(), name = k.isBuiltin() ? k.stdString() : k.name();
                int slash = file.lastIndexOf('/') + 1, dot = name.lastIndexOf('.') + 1;
                cols[0][i] = intern(ids, strings, file.substring(0, slash));
                cols[1][i] = intern(ids, strings, file.substring(slash));
                cols[2][i] = intern(ids, strings, k.isBuiltin() ? "" : ":" + k.exactLine());
                cols[3][i] = intern(ids, strings, name.substring(0, dot));
                cols[4][i] = intern(ids, strings, name.substring(dot));
            }
            b.append("\"str\":[");
            for (int i = 0; i < strings.size(); i++) {
                if (i > 0) b.append(',');
                str(strings.get(i));
            }
            b.append("],\"loc\":[");
            for (int c = 0; c < 3; c++) {
                if (c > 0) b.append(',');
                naturals(cols[c], n);
            }
            b.append("],\"name\":[");
            naturals(cols[3], n);
            b.append(',');
            naturals(cols[4], n);
            b.append(']');
        }

        /** The number of {@code value} in {@code values}, numbered in the order first seen. */
        private static <T> int intern(Map<T, Integer> ids, List<T> values, T value) {
            Integer id = ids.get(value);
            if (id == null) {
                id = values.size();
                ids.put(value, id);
                values.add(value);
            }
            return id;
        }

        /**
         * The binary part: columns of numbers, each at an offset named in the JSON as {@code {"@":KIND,"at":OFFSET,
         * "n":COUNT}}. Most are unsigned LEB128 varints: the small numbers that most of a profile's figures are take
         * a byte or three rather than a decimal and a comma, and the page decodes them straight into typed arrays.
         */
        final Bytes bin = new Bytes();

        private void column(String kind, int n) {
            b.append("{\"@\":\"").append(kind).append("\",\"at\":").append(bin.size()).append(",\"n\":").append(n).append('}');
        }

        /** Function ids: each as its change from the one before, zigzag-coded (rows are numbered in order). */
        void ids(int[] a, int n) {
            column("z", n);
            int prev = 0;
            for (int i = 0; i < n; i++) {
                int delta = a[i] - prev;
                bin.varint(((delta << 1) ^ (delta >> 31)) & 0xffffffffL);
                prev = a[i];
            }
        }

        /** Non-negative ints. */
        void naturals(int[] a, int n) {
            int zeros = 0;
            for (int i = 0; i < n; i++) if (a[i] == 0) zeros++;
            if (zeros > n / 2) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = a[i];
                sparse("si", v, n, "");
                return;
            }
            column("i", n);
            for (int i = 0; i < n; i++) bin.varint(a[i]);
        }

        /**
         * A column that is mostly zeros, as {@code {"@":KIND,"at":..,"n":..,"k":K}} and K pairs of varints for the
         * entries that are not zero: how many entries after the last one given, and the value.
         */
        private void sparse(String kind, long[] v, int n, String more) {
            int k = 0;
            for (int i = 0; i < n; i++) if (v[i] != 0) k++;
            b.append("{\"@\":\"").append(kind).append("\",\"at\":").append(bin.size()).append(",\"n\":").append(n)
                    .append(",\"k\":").append(k).append(more).append('}');
            int last = -1;
            for (int i = 0; i < n; i++) {
                if (v[i] == 0) continue;
                bin.varint(i - last - 1);
                bin.varint(v[i]);
                last = i;
            }
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }

        /** Offsets 0, c0, c0+c1, ... (n + 1 of them) sent as the non-negative counts c. */
        void offsets(int[] c, int n) {
            column("c", n);
            for (int i = 0; i < n; i++) bin.varint(c[i]);
        }

        /**
         * Counts: varints while every count is a long JavaScript holds exactly (0 to 2**53); else JSON, with a
         * count beyond that as its digits in a string.
         */
        void counts(Number[] a, int n) {
            boolean small = true;
            for (int i = 0; i < n && small; i++) {
                small = a[i] instanceof Long && a[i].longValue() >= 0 && a[i].longValue() <= (1L << 53);
            }
            if (small) {
                column("v", n);
                for (int i = 0; i < n; i++) bin.varint(a[i].longValue());
                return;
            }
            b.append('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) b.append(',');
                count(a[i]);
            }
            b.append(']');
        }

        /**
         * A column of times, each reaching the page exactly: in whole nanoseconds when every value is made from
         * them ({@code ns}: as k / 1e9; {@code nsm}: as k * 1e-9, as jcprofile's recorder makes its ticks
         * seconds), else as the doubles' own eight bytes ({@code f8}, little-endian), which keeps any double, NaN
         * and -0.0 included.
         */
        void times(double[] v, int n) {
            int mode = mode(v, n);
            if (mode >= 0) {
                column(mode == 0 ? "ns" : "nsm", n);
                for (int i = 0; i < n; i++) bin.varint(nanoseconds(v[i], mode));
            } else {
                column("f8", n);
                for (int i = 0; i < n; i++) bin.float64(v[i]);
            }
        }

        /** {@code v}'s whole nanoseconds k if v is k / 1e9 ({@code mode} 0) or k * 1e-9 (1) exactly, else -1. */
        static long nanoseconds(double v, int mode) {
            double k = Math.rint(v * 1e9);
            boolean exact = k >= 0 && k < 9e15 && (mode == 0 ? k / 1e9 : k * 1e-9) == v
                    && Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(-0.0);
            return exact ? (long) k : -1;
        }

        /** How every one of the first n values is made from whole nanoseconds: 0 (k / 1e9), 1 (k * 1e-9), or -1. */
        static int mode(double[] v, int n) {
            for (int mode = 0; mode < 2; mode++) {
                int i = 0;
                while (i < n && nanoseconds(v[i], mode) >= 0) i++;
                if (i == n) return mode;
            }
            return -1;
        }

        /** The mode of a tree's own times, if its totals are made the same way; else -1. */
        static int treeMode(CallTree t) {
            double[] own = new double[t.size()];
            for (int i = 0; i < own.length; i++) own[i] = t.ownTime(i);
            int mode = mode(own, own.length);
            for (int i = 0; i < own.length && mode >= 0; i++) if (nanoseconds(t.totalTime(i), mode) < 0) mode = -1;
            return mode;
        }

        /**
         * The tree's total times as what is left of each after its own time and its children's totals
         * ({@code nsr}, sparse zigzag varints of nanoseconds): a total is usually exactly that sum, so this is
         * mostly nothing, where the totals themselves are the largest figures. Only when every own time and
         * total is made from whole nanoseconds the same way and every sum stays within 2**53 (JavaScript adds them exactly); false,
         * and nothing written, otherwise.
         */
        boolean totalsAsRest(double[] own, double[] total, CallTree t, int n) {
            // The own times' way, which the page reads from their column.
            int mode = mode(own, n);
            if (mode < 0) return false;
            long[] o = new long[n], rest = new long[n], children = new long[n];
            for (int i = 0; i < n; i++) {
                o[i] = nanoseconds(own[i], mode);
                rest[i] = nanoseconds(total[i], mode);
                if (rest[i] < 0) return false;
            }
            // Children come after their parent: from the end, every child is summed before its parent is seen.
            for (int i = n - 1; i >= 0; i--) {
                long tot = rest[i];
                if (children[i] > (1L << 53) - o[i]) return false;
                rest[i] = tot - o[i] - children[i];
                if (Math.abs(rest[i]) > (1L << 51)) return false;
                int p = t.parent(i);
                if (p != CallTree.ROOT) {
                    children[p] += tot;
                    if (children[p] > (1L << 53)) return false;
                }
            }
            for (int i = 0; i < n; i++) rest[i] = zigzag(rest[i]);
            sparse("nsr", rest, n, "");
            return true;
        }

        /**
         * The edges' calls, primitive calls, own and cumulative times as what is left after the tree's sums
         * {@code d}: {@code "enc":{"@":"rest","at":..,"n":..,"k":K}} and so on, K pairs of varints (how many entries
         * after the last one given, its rest zigzag-coded) for the entries whose rest is not zero; {@code m}: how
         * times are made from nanoseconds (see {@link #mode}). Only when every count is a long within 2**53, every
         * time is made from whole nanoseconds and every rest within 2**51; false and nothing written otherwise.
         */
        boolean restsOf(long[][] d, Number[] enc, Number[] ecc, double[] ett, double[] ect) {
            int n = enc.length;
            long[][] rest = new long[4][n];
            int[] modes = {0, 0, mode(ett, n), mode(ect, n)};
            if (modes[2] < 0 || modes[3] < 0) return false;
            for (int i = 0; i < n; i++) {
                if (!(enc[i] instanceof Long) || !(ecc[i] instanceof Long)) return false;
                long[] v = {enc[i].longValue(), ecc[i].longValue(), nanoseconds(ett[i], modes[2]), nanoseconds(ect[i], modes[3])};
                for (int c = 0; c < 4; c++) {
                    if (v[c] < 0 || v[c] > (1L << 53)) return false;
                    rest[c][i] = v[c] - d[c][i];
                    if (Math.abs(rest[c][i]) > (1L << 51)) return false;
                }
            }
            String[] names = {"enc", "ecc", "ett", "ect"};
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < n; i++) rest[c][i] = zigzag(rest[c][i]);
                b.append(",\"").append(names[c]).append("\":");
                sparse("rest", rest[c], n, ",\"m\":" + modes[c]);
            }
            return true;
        }

        /** A count: a JSON number while JavaScript holds it exactly, else its digits as a string. */
        void count(Number v) {
            if (v instanceof Long && Math.abs(v.longValue()) <= (1L << 53)) b.append(v.longValue());
            else str(v.toString());
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

    /** A growing array of bytes. */
    private static final class Bytes {
        private byte[] a = new byte[1 << 16];
        private int size;

        int size() {
            return size;
        }

        private void room(int n) {
            if (size + n > a.length) a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, size + n));
        }

        /** Unsigned LEB128: seven bits a byte, low first, the high bit set on all but the last. */
        void varint(long v) {
            room(10);
            while ((v & ~0x7fL) != 0) {
                a[size++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            a[size++] = (byte) v;
        }

        void float64(double v) {
            room(8);
            long bits = Double.doubleToRawLongBits(v);
            for (int i = 0; i < 8; i++) a[size++] = (byte) (bits >>> (8 * i));
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
