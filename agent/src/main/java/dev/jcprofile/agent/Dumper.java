package dev.jcprofile.agent;

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
 * each edge's {@code (nc, cc, tt, ct)} under its caller. Functions registered more than once (a class loaded by
 * two loaders) share a key and are added together.
 */
public final class Dumper {
    private Dumper() {}

    public static ProfileData toProfile(Session.Totals totals, double secondsPerTick) {
        Map<Integer, FunctionKey> keys = new TreeMap<>();
        Map<FunctionKey, double[]> functions = new LinkedHashMap<>();
        // Registration order, which is class-loading order: stable from run to run.
        Map<Integer, long[]> byId = new TreeMap<>(totals.functions());
        for (Map.Entry<Integer, long[]> e : byId.entrySet()) {
            FunctionKey key = key(e.getKey());
            keys.put(e.getKey(), key);
            long[] v = e.getValue();
            double[] f = functions.computeIfAbsent(key, k -> new double[4]);
            f[0] += v[0] - v[1];                 // cc
            f[1] += v[0];                        // nc
            f[2] += secondsPerTick * v[3];       // tt: own time
            f[3] += secondsPerTick * v[2];       // ct: cumulative time
        }
        Map<FunctionKey, Map<FunctionKey, double[]>> callers = new LinkedHashMap<>();
        for (Map.Entry<Long, long[]> e : totals.edges().entrySet()) {
            int caller = (int) (e.getKey() >> 32), callee = (int) (long) e.getKey();
            FunctionKey calleeKey = keys.get(callee);
            if (calleeKey == null) continue;
            FunctionKey callerKey = keys.containsKey(caller) ? keys.get(caller) : key(caller);
            long[] v = e.getValue();
            double[] f = callers.computeIfAbsent(calleeKey, k -> new LinkedHashMap<>())
                    .computeIfAbsent(callerKey, k -> new double[4]);
            f[0] += v[0];
            f[1] += v[0] - v[1];
            f[2] += secondsPerTick * v[3];
            f[3] += secondsPerTick * v[2];
        }
        ProfileData data = new ProfileData();
        for (Map.Entry<FunctionKey, double[]> e : functions.entrySet()) {
            double[] f = e.getValue();
            int entry = data.beginEntry(data.intern(e.getKey()), (long) f[0], (long) f[1], f[2], f[3]);
            Map<FunctionKey, double[]> c = callers.get(e.getKey());
            if (c == null) continue;
            for (Map.Entry<FunctionKey, double[]> edge : c.entrySet()) {
                double[] v = edge.getValue();
                data.addCaller(entry, data.intern(edge.getKey()), (long) v[0], (long) v[1], v[2], v[3], false, false);
            }
        }
        return data;
    }

    private static FunctionKey key(int id) {
        return new FunctionKey(Registry.file(id), Registry.line(id), Registry.name(id));
    }
}
