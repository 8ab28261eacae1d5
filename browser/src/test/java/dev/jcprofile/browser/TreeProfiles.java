package dev.jcprofile.browser;

import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.Figures;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;

import java.util.LinkedHashMap;
import java.util.Map;

/** Profiles made in memory from a call tree, their flat figures summed from its paths as cProfile counts them. */
final class TreeProfiles {
    private TreeProfiles() {}

    /**
     * The pstats figures of {@code tree}'s functions: calls and own time summed over their paths, primitive calls
     * and cumulative time over the paths with no call of the same function above; an edge per caller with the
     * calls it made. The tree goes with them.
     */
    static ProfileData flat(CallTree tree) {
        Map<FunctionKey, double[]> rows = new LinkedHashMap<>(); // calls, primitive, own, cum
        Map<FunctionKey, Map<FunctionKey, double[]>> callers = new LinkedHashMap<>();
        for (int n = 0; n < tree.size(); n++) {
            FunctionKey k = tree.key(n);
            boolean outermost = true;
            for (int p = tree.parent(n); p != CallTree.ROOT; p = tree.parent(p)) outermost &= tree.function(p) != tree.function(n);
            double[] r = rows.computeIfAbsent(k, x -> new double[4]);
            r[0] += tree.calls(n);
            r[2] += tree.ownTime(n);
            if (outermost) {
                r[1] += tree.calls(n);
                r[3] += tree.totalTime(n);
            }
            callers.computeIfAbsent(k, x -> new LinkedHashMap<>());
            if (tree.parent(n) != CallTree.ROOT) {
                double[] e = callers.get(k).computeIfAbsent(tree.key(tree.parent(n)), x -> new double[4]);
                e[0] += tree.calls(n);
                e[1] += outermost ? tree.calls(n) : 0;
                e[2] += tree.ownTime(n);
                e[3] += outermost ? tree.totalTime(n) : 0;
            }
        }
        ProfileData d = new ProfileData();
        for (Map.Entry<FunctionKey, double[]> row : rows.entrySet()) {
            double[] r = row.getValue();
            int entry = d.beginEntry(d.intern(row.getKey()), new Figures((long) r[0], (long) r[1], r[2], r[3]));
            for (Map.Entry<FunctionKey, double[]> c : callers.get(row.getKey()).entrySet()) {
                double[] e = c.getValue();
                d.putCaller(entry, d.intern(c.getKey()), new Figures((long) e[0], (long) e[1], e[2], e[3]));
            }
        }
        d.setTree(tree);
        return d;
    }
}
