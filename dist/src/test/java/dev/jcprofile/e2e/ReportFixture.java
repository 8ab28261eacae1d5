package dev.jcprofile.e2e;

import dev.jcprofile.Stats;
import dev.jcprofile.browser.HtmlReport;
import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.Figures;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A made-up profile with a call tree, its flat table derived from the tree as the recorder derives it (calls and
 * own time summed over each function's paths, cumtime by cProfile's recursion rule, each caller-callee pair from
 * the tree's edges), for the report's browser tests while profiles with trees are made in memory.
 */
final class ReportFixture {
    private ReportFixture() {}

    /**
     * {@code functions} functions (every twentieth a built-in), {@code nodes} call paths over {@code threads}
     * threads; {@code slow}, when not null, names a function whose own time is multiplied by 50 (the "after" of a
     * regression); {@code extra} adds a path that the other side lacks.
     */
    static HtmlReport.Side build(int functions, int nodes, int threads, long seed, String slow, boolean extra) {
        Random rnd = new Random(seed);
        CallTree tree = new CallTree();
        FunctionKey[] keys = new FunctionKey[functions];
        for (int i = 0; i < functions; i++) {
            keys[i] = i % 20 == 19 ? new FunctionKey("~", 0, "<built-in method java.lang.Native.op" + i + ">")
                    : new FunctionKey("com/example/pkg" + (i % 97) + "/Module" + (i % 1013) + ".java", 10 + i % 400,
                    "Module" + (i % 1013) + ".function" + i);
        }
        int[] fn = new int[functions];
        for (int i = 0; i < functions; i++) fn[i] = tree.function(keys[i]);
        int[] th = new int[threads];
        for (int t = 0; t < threads; t++) th[t] = tree.thread(t == 0 ? "main" : "worker-" + t);
        // Each thread starts in main(); paths then grow from a random recent node, so that trees get deep.
        for (int t = 0; t < threads; t++) tree.root(th[t], fn[0]);
        for (int i = 1; tree.size() < nodes; i++) {
            int f = i < functions ? i : 1 + rnd.nextInt(functions - 1);
            int size = tree.size();
            int parent = size - 1 - (int) Math.min(size - 1, Math.abs(rnd.nextGaussian()) * Math.min(size, 200));
            tree.child(parent, fn[f]);
        }
        if (extra) {
            int n = tree.child(tree.findRoot(th[0], fn[0]), tree.function(new FunctionKey("com/example/New.java", 3, "New.path")));
            tree.add(n, 1, 0.25, 0.25);
        }
        // Own times and calls per node; total time is own time plus the children's totals (children come after
        // their parent, so a pass from the end sees every child first).
        // Times in whole nanoseconds, summed as integers and then made seconds, as the recorder turns its ticks
        // into pstats's seconds.
        int size = tree.size();
        long[] ownNs = new long[size], totalNs = new long[size];
        long[] calls = new long[size];
        for (int n = 0; n < size; n++) {
            calls[n] = tree.calls(n) > 0 ? tree.calls(n) : 1 + rnd.nextInt(5);
            ownNs[n] = tree.ownTime(n) > 0 ? Math.round(tree.ownTime(n) * 1e9) : rnd.nextInt(1_000_000);
            if (slow != null && tree.key(n).name().equals(slow)) ownNs[n] *= 50;
        }
        for (int n = size - 1; n >= 0; n--) {
            totalNs[n] += ownNs[n];
            if (tree.parent(n) != CallTree.ROOT) totalNs[tree.parent(n)] += totalNs[n];
        }
        double[] own = new double[size], total = new double[size];
        for (int n = 0; n < size; n++) {
            own[n] = ownNs[n] / 1e9;
            total[n] = totalNs[n] / 1e9;
        }
        CallTree out = new CallTree();
        out.addAll(treeWith(tree, calls, own, total));
        return new HtmlReport.Side(new Stats(flat(out)), out, List.of());
    }

    private static CallTree treeWith(CallTree shape, long[] calls, double[] own, double[] total) {
        CallTree t = new CallTree();
        int[] mapped = new int[shape.size()];
        for (int n = 0; n < shape.size(); n++) {
            int f = t.function(shape.key(n));
            int p = shape.parent(n);
            mapped[n] = p == CallTree.ROOT ? t.root(t.thread(shape.threadName(shape.thread(n))), f) : t.child(mapped[p], f);
            t.add(mapped[n], calls[n], own[n], total[n]);
        }
        return t;
    }

    private static long ns(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** The pstats table of a tree. */
    static ProfileData flat(CallTree t) {
        int fc = t.functionCount();
        // Sums in whole nanoseconds, as the recorder sums ticks.
        long[] nc = new long[fc], cc = new long[fc], tt = new long[fc], ct = new long[fc];
        Map<Integer, Map<Integer, long[]>> callers = new LinkedHashMap<>();
        List<Integer> order = new ArrayList<>();
        boolean[] seen = new boolean[fc];
        for (int n = 0; n < t.size(); n++) {
            int f = t.function(n);
            if (!seen[f]) { seen[f] = true; order.add(f); }
            boolean recursive = false;
            for (int p = t.parent(n); p != CallTree.ROOT && !recursive; p = t.parent(p)) recursive = t.function(p) == f;
            nc[f] += t.calls(n);
            if (!recursive) cc[f] += t.calls(n);
            tt[f] += ns(t.ownTime(n));
            if (!recursive) ct[f] += ns(t.totalTime(n));
            if (t.parent(n) != CallTree.ROOT) {
                long[] e = callers.computeIfAbsent(f, k -> new LinkedHashMap<>())
                        .computeIfAbsent(t.function(t.parent(n)), k -> new long[4]);
                e[0] += t.calls(n);
                e[1] += recursive ? 0 : t.calls(n);
                e[2] += ns(t.ownTime(n));
                e[3] += recursive ? 0 : ns(t.totalTime(n));
            }
        }
        ProfileData d = new ProfileData();
        for (int f : order) {
            int entry = d.beginEntry(d.intern(t.functionKey(f)), new Figures(nc[f], cc[f], tt[f] / 1e9, ct[f] / 1e9));
            for (Map.Entry<Integer, long[]> e : callers.getOrDefault(f, Map.of()).entrySet()) {
                long[] v = e.getValue();
                d.putCaller(entry, d.intern(t.functionKey(e.getKey())), new Figures(v[0], v[1], v[2] / 1e9, v[3] / 1e9));
            }
        }
        return d;
    }
}
