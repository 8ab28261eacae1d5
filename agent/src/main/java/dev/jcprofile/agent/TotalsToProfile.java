package dev.jcprofile.agent;

import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.Figures;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.runtime.PathTable;
import dev.jcprofile.runtime.Registry;
import dev.jcprofile.runtime.Session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a session's raw figures into the pstats dict, as {@code cProfile.Profile.create_stats} does:
 * {@code nc = callcount}, {@code cc = nc - reccallcount}, {@code tt = inlinetime}, {@code ct = totaltime}, and
 * each edge's {@code (nc, cc, tt, ct)} under its caller. Function ids that share a pstats key (built-ins of the
 * same name with other parameter types, say) are added together.
 */
final class TotalsToProfile {
    private TotalsToProfile() {}

    /** One key's figures being added up: counts exact, times in seconds as the file holds them. */
    private static final class Sum {
        long calls, primitiveCalls;
        double ownTime, cumulativeTime;

        void add(Session.Counts c, double secondsPerTick) {
            calls += c.calls;
            primitiveCalls += c.calls - c.recursiveCalls;
            ownTime += secondsPerTick * c.ownTicks;
            cumulativeTime += secondsPerTick * c.inclusiveTicks;
        }

        Figures figures() {
            return new Figures(calls, primitiveCalls, ownTime, cumulativeTime);
        }
    }

    static ProfileData convert(Session.Totals totals, double secondsPerTick) {
        Map<Integer, FunctionKey> keys = new TreeMap<>();
        Map<FunctionKey, Sum> functions = new LinkedHashMap<>();
        // Registration order, which is class-loading order: stable from run to run.
        Map<Integer, Session.Counts> byId = new TreeMap<>(totals.functions());
        for (Map.Entry<Integer, Session.Counts> e : byId.entrySet()) {
            FunctionKey key = key(e.getKey());
            keys.put(e.getKey(), key);
            functions.computeIfAbsent(key, k -> new Sum()).add(e.getValue(), secondsPerTick);
        }
        Map<FunctionKey, Map<FunctionKey, Sum>> callers = new LinkedHashMap<>();
        for (Map.Entry<Long, Session.Counts> e : totals.edges().entrySet()) {
            int caller = Session.Totals.caller(e.getKey()), callee = Session.Totals.callee(e.getKey());
            FunctionKey calleeKey = keys.get(callee);
            if (calleeKey == null) continue;
            FunctionKey callerKey = keys.containsKey(caller) ? keys.get(caller) : key(caller);
            callers.computeIfAbsent(calleeKey, k -> new LinkedHashMap<>()).computeIfAbsent(callerKey, k -> new Sum())
                    .add(e.getValue(), secondsPerTick);
        }
        ProfileData data = new ProfileData();
        for (Map.Entry<FunctionKey, Sum> e : functions.entrySet()) {
            int entry = data.beginEntry(data.intern(e.getKey()), e.getValue().figures());
            Map<FunctionKey, Sum> c = callers.get(e.getKey());
            if (c == null) continue;
            for (Map.Entry<FunctionKey, Sum> edge : c.entrySet()) {
                data.putCaller(entry, data.intern(edge.getKey()), edge.getValue().figures());
            }
        }
        if (totals.hasTree()) data.setTree(tree(totals, keys, secondsPerTick));
        return data;
    }

    /** The pseudo-functions of the tree's bounds (PathTable), as pstats prints names: {@code ~:0(<...>)}. */
    static final FunctionKey DEEP = new FunctionKey("~", 0, "<calls deeper than " + PathTable.MAX_DEPTH + ">");
    static final FunctionKey WIDE = new FunctionKey("~", 0, "<paths beyond the node cap>");

    /**
     * The calling-context tree, its functions keyed as the table's (ids that share a key share its nodes too: their
     * paths merge), its times converted per node as the table's are per function.
     */
    private static CallTree tree(Session.Totals totals, Map<Integer, FunctionKey> keys, double secondsPerTick) {
        CallTree tree = new CallTree();
        Map<Integer, Integer> functionIds = new java.util.HashMap<>();
        for (Map.Entry<String, PathTable> e : totals.trees().entrySet()) {
            int thread = tree.thread(e.getKey());
            PathTable p = e.getValue();
            // A node without calls (a call taken back as it opened) is left out, unless a descendant has some, or
            // its function has a row whose times include its samples: the table leaves out a function with no
            // calls, and the tree keeps what the table keeps.
            boolean[] keep = new boolean[p.size()];
            for (int n = p.size() - 1; n >= 0; n--) {
                int id = p.function(n);
                keep[n] |= p.calls(n) != 0 || (p.ownTicks(n) != 0 || p.totalTicks(n) != 0) && (id < 0 || keys.containsKey(id));
                if (keep[n] && p.parent(n) != PathTable.ROOT) keep[p.parent(n)] = true;
            }
            int[] mapped = new int[p.size()];
            for (int n = 0; n < p.size(); n++) {
                if (!keep[n]) continue;
                int id = p.function(n);
                int fn = functionIds.computeIfAbsent(id, i -> tree.function(
                        i == PathTable.DEEP ? DEEP : i == PathTable.WIDE ? WIDE : keys.containsKey(i) ? keys.get(i) : key(i)));
                int parent = p.parent(n);
                mapped[n] = parent == PathTable.ROOT ? tree.root(thread, fn) : tree.child(mapped[parent], fn);
                tree.add(mapped[n], p.calls(n), secondsPerTick * p.ownTicks(n), secondsPerTick * p.totalTicks(n));
            }
        }
        return tree;
    }

    private static FunctionKey key(int id) {
        return new FunctionKey(Registry.file(id), Registry.line(id), Registry.name(id));
    }
}
