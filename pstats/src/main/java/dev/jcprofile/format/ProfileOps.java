package dev.jcprofile.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** pstats's {@code add} and {@code strip_dirs} on flat profiles, keeping Python's dict order and sums. */
public final class ProfileOps {
    private ProfileOps() {}

    /**
     * pstats's {@code add}: {@code target}'s functions keep their order and gain {@code source}'s figures
     * ({@code add_func_stats}); functions new to {@code target} follow in {@code source}'s order. Callers merge as
     * {@code add_callers} merges them.
     */
    public static ProfileData add(ProfileData target, ProfileData source) {
        ProfileData out = new ProfileData(target.size() + source.size(), target.edgeCount + source.edgeCount);
        // Counts beyond a long in either profile: every count is added exactly. Otherwise longs, checked for overflow.
        boolean big = target.hasBigCounts() || source.hasBigCounts();
        for (int e = 0; e < target.size(); e++) {
            int s = source.entryOf(target.key(e));
            int entry;
            if (s < 0) {
                entry = out.beginEntry(out.intern(target.key(e)), target.cc[e], target.nc[e], target.tt[e], target.ct[e]);
                if (big) out.setCounts(entry, target.exactPrimitiveCalls(e), target.exactCalls(e));
            } else {
                long cc = source.cc[s] + target.cc[e], nc = source.nc[s] + target.nc[e];
                entry = out.beginEntry(out.intern(target.key(e)), cc, nc, source.tt[s] + target.tt[e],
                        source.ct[s] + target.ct[e]);
                if (big || ProfileData.overflows(source.cc[s], target.cc[e], cc)
                        || ProfileData.overflows(source.nc[s], target.nc[e], nc)) {
                    out.setCounts(entry, ProfileData.add(source.exactPrimitiveCalls(s), target.exactPrimitiveCalls(e)),
                            ProfileData.add(source.exactCalls(s), target.exactCalls(e)));
                }
            }
            copyCallers(target, e, out, entry, false);
            if (s >= 0) copyCallers(source, s, out, entry, true);
        }
        for (int s = 0; s < source.size(); s++) {
            if (target.entryOf(source.key(s)) >= 0) continue;
            // pstats adds a new function's figures to (0, 0, 0, 0): -0.0 + 0 is 0.0.
            int entry = out.beginEntry(out.intern(source.key(s)), source.cc[s], source.nc[s], source.tt[s] + 0.0,
                    source.ct[s] + 0.0);
            if (big) out.setCounts(entry, source.exactPrimitiveCalls(s), source.exactCalls(s));
            copyCallers(source, s, out, entry, false);
        }
        if (target.tree() != null || source.tree() != null) {
            // The trees merge path by path, threads by name.
            CallTree tree = new CallTree();
            if (target.tree() != null) tree.addAll(target.tree());
            if (source.tree() != null) tree.addAll(source.tree());
            out.setTree(tree);
        }
        return out;
    }

    private static void copyCallers(ProfileData from, int e, ProfileData out, int entry, boolean merge) {
        boolean big = from.bigEdgeNc != null || from.bigEdgeCc != null;
        for (int i = from.edgeStart[e]; i < from.edgeEnd[e]; i++) {
            if (big) {
                out.addCallerExact(entry, out.intern(from.keys[from.edgeKey[i]]), from.exactEdgeCalls(i),
                        from.exactEdgePrimitiveCalls(i), from.edgeTt[i], from.edgeCt[i], from.edgeIsCount[i], merge);
            } else {
                out.addCaller(entry, out.intern(from.keys[from.edgeKey[i]]), from.edgeNc[i], from.edgeCc[i],
                        from.edgeTt[i], from.edgeCt[i], from.edgeIsCount[i], merge);
            }
        }
    }

    /**
     * pstats's {@code strip_dirs}: every file name becomes its base name. Functions whose stripped keys collide are
     * added together (in the position of the first); within one function's callers a collision keeps the last
     * value, as the dict assignment in {@code strip_dirs} does.
     */
    public static ProfileData stripDirs(ProfileData data) {
        Map<FunctionKey, List<Integer>> groups = new LinkedHashMap<>();
        for (int e = 0; e < data.size(); e++) {
            groups.computeIfAbsent(data.key(e).stripPath(), k -> new ArrayList<>(1)).add(e);
        }
        ProfileData out = new ProfileData(groups.size(), data.edgeCount);
        boolean big = data.hasBigCounts();
        for (Map.Entry<FunctionKey, List<Integer>> g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            int first = members.get(0);
            Number cc = data.exactPrimitiveCalls(first), nc = data.exactCalls(first);
            double tt = data.tt[first], ct = data.ct[first];
            for (int m = 1; m < members.size(); m++) {
                int e = members.get(m);
                cc = ProfileData.add(data.exactPrimitiveCalls(e), cc);
                nc = ProfileData.add(data.exactCalls(e), nc);
                tt = data.tt[e] + tt;
                ct = data.ct[e] + ct;
            }
            int entry = out.beginEntryExact(out.intern(g.getKey()), cc, nc, tt, ct);
            for (int i = data.edgeStart[first]; i < data.edgeEnd[first]; i++) {
                int caller = out.intern(data.keys[data.edgeKey[i]].stripPath());
                if (big) {
                    out.addCallerExact(entry, caller, data.exactEdgeCalls(i), data.exactEdgePrimitiveCalls(i),
                            data.edgeTt[i], data.edgeCt[i], data.edgeIsCount[i], false);
                } else {
                    out.addCaller(entry, caller, data.edgeNc[i], data.edgeCc[i], data.edgeTt[i], data.edgeCt[i],
                            data.edgeIsCount[i], false);
                }
            }
            for (int m = 1; m < members.size(); m++) {
                int e = members.get(m);
                // This function's own stripped callers first (last value wins), then merged into the group's.
                Map<FunctionKey, Integer> own = new LinkedHashMap<>();
                for (int i = data.edgeStart[e]; i < data.edgeEnd[e]; i++) own.put(data.keys[data.edgeKey[i]].stripPath(), i);
                for (Map.Entry<FunctionKey, Integer> c : own.entrySet()) {
                    int i = c.getValue();
                    out.addCallerExact(entry, out.intern(c.getKey()), data.exactEdgeCalls(i),
                            data.exactEdgePrimitiveCalls(i), data.edgeTt[i], data.edgeCt[i], data.edgeIsCount[i], true);
                }
            }
        }
        if (data.tree() != null) out.setTree(stripDirs(data.tree()));
        return out;
    }

    /**
     * A call tree with its functions' file names stripped as {@link #stripDirs(ProfileData)} strips them. Paths that
     * then name the same functions become one, their figures added: siblings are disjoint sets of calls, so their
     * sums are the figures of the merged path.
     */
    public static CallTree stripDirs(CallTree tree) {
        return tree.withKeys(FunctionKey::stripPath);
    }
}
