package dev.jcprofile.agent;

import dev.jcprofile.format.Figures;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
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
        return data;
    }

    private static FunctionKey key(int id) {
        return new FunctionKey(Registry.file(id), Registry.line(id), Registry.name(id));
    }
}
