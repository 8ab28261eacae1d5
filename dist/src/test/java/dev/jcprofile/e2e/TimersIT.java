package dev.jcprofile.e2e;

import dev.jcprofile.format.ProfileData;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timers against each other and against the clock: sampled mode's counts are exact mode's, call for call
 * and edge for edge; its times of functions that run for tens of milliseconds agree with what the program
 * measures itself; calibration leaves the profiler's own cost out of the times, and turned off leaves it in.
 * Bounds are wide: the machines running the tests are shared, and a sample taken late lands on whatever runs.
 */
@Execution(ExecutionMode.CONCURRENT)
class TimersIT {
    private static final String MAIN = "com.example.timing.Timing";

    /** A run of the timing program: its profile and the durations it measured itself, in seconds. */
    private static final class Run {
        final Prof prof;
        final Map<String, Double> measured = new HashMap<>();

        Run(Prof prof, String stdout) {
            this.prof = prof;
            for (String line : stdout.split("\n")) {
                String[] w = line.trim().split(" ");
                if (w.length == 2 && !w[0].equals("sink")) measured.put(w[0], Double.parseDouble(w[1]));
            }
        }
    }

    private static Run run(Jdk jdk, String tinyCalls, String... options) {
        return E2E.once(List.of("timing", jdk, tinyCalls, Arrays.asList(options)), () -> {
            Path dir = E2E.tempDir("timing");
            Path out = dir.resolve("timing.prof");
            List<String> opts = new ArrayList<>(List.of("-o", out.toString()));
            opts.addAll(Arrays.asList(options));
            Proc.Result r = E2E.jcprofile(jdk, opts, "-cp", Programs.compile("timing").toString(), MAIN, tinyCalls)
                    .dir(dir).run().expectExit(0);
            assertTrue(r.stderr().isEmpty(), r.toString());
            return new Run(Prof.read(out), r.stdout());
        });
    }

    private static String fn(String name) {
        return "Timing." + name;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void sampledCountsAreExactModesCallForCall(Jdk jdk) {
        Prof exactRun = run(jdk, "100000").prof, sampledRun = run(jdk, "100000", "--timer", "sampled").prof;
        // Waiting for the calibration thread calls what it calls as long as the calibration runs, and not at all
        // in sampled mode (no calibration): its callees' totals are left out, their other edges compared.
        Set<String> waitCallees = new HashSet<>(calledBy(exactRun, fn("awaitCalibration")));
        waitCallees.addAll(calledBy(sampledRun, fn("awaitCalibration")));
        Map<String, String> exact = counts(exactRun, waitCallees), sampled = counts(sampledRun, waitCallees);
        assertTrue(exact.size() > 30, exact.toString());
        assertSameCounts(exact, sampled);
    }

    /** sampled-cpu counts as sampled does: the hooks are the same, only the sampler's weights differ. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void sampledCpuCountsAreExactModesCallForCall(Jdk jdk) {
        Prof exactRun = run(jdk, "100000").prof, sampledRun = run(jdk, "100000", "--timer", "sampled-cpu").prof;
        Set<String> waitCallees = new HashSet<>(calledBy(exactRun, fn("awaitCalibration")));
        waitCallees.addAll(calledBy(sampledRun, fn("awaitCalibration")));
        Map<String, String> exact = counts(exactRun, waitCallees), sampled = counts(sampledRun, waitCallees);
        assertTrue(exact.size() > 30, exact.toString());
        assertSameCounts(exact, sampled);
        assertNoNegativeTimes(sampledRun);
    }

    /** The semantics program (callbacks, lambdas, constructors, exceptions, class loaders) counted both ways. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void sampledCountsAreExactModesOnEveryKindOfCall(Jdk jdk) {
        Map<String, String> exact = counts(ScenarioRuns.profile(jdk), Set.of());
        Map<String, String> sampled = counts(ScenarioRuns.profile(jdk, "--timer", "sampled"), Set.of());
        assertTrue(exact.size() > 100, exact.toString());
        // dive() recurses until the stack overflows: how deep that is differs from run to run, whatever the timer.
        exact.keySet().removeIf(k -> k.contains("'Scenarios.dive')"));
        sampled.keySet().removeIf(k -> k.contains("'Scenarios.dive')"));
        assertSameCounts(exact, sampled);
    }

    /** Fails listing only what differs: the maps run to hundreds of entries. */
    private static void assertSameCounts(Map<String, String> exact, Map<String, String> sampled) {
        Map<String, String> differences = new TreeMap<>();
        for (String k : exact.keySet()) if (!exact.get(k).equals(sampled.get(k))) differences.put(k, exact.get(k) + " vs " + sampled.get(k));
        for (String k : sampled.keySet()) if (!exact.containsKey(k)) differences.put(k, "none vs " + sampled.get(k));
        assertEquals(Map.of(), differences, "exact vs sampled");
    }

    private static Set<String> calledBy(Prof p, String caller) {
        ProfileData d = p.data;
        Set<String> callees = new HashSet<>();
        for (int e = 0; e < d.size(); e++) {
            for (int i = d.callersStart(e); i < d.callersEnd(e); i++) {
                if (d.keyById(d.edgeKey(i)).name().equals(caller)) callees.add(d.key(e).toString());
            }
        }
        return callees;
    }

    /**
     * Every function's count and every edge's, as pstats prints them, but for the totals of {@code skipped} and
     * the edges out of awaitCalibration.
     */
    private static Map<String, String> counts(Prof p, Set<String> skipped) {
        ProfileData d = p.data;
        Map<String, String> counts = new TreeMap<>();
        for (int e = 0; e < d.size(); e++) {
            String callee = d.key(e).toString();
            for (int i = d.callersStart(e); i < d.callersEnd(e); i++) {
                String caller = d.keyById(d.edgeKey(i)).toString();
                if (caller.endsWith("'" + fn("awaitCalibration") + "')")) continue;
                counts.put(caller + " -> " + callee, Prof.count(d.edgeCalls(i), d.edgePrimitiveCalls(i)));
            }
            if (!skipped.contains(callee)) counts.put(callee, Prof.count(d.calls(e), d.primitiveCalls(e)));
        }
        return counts;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void sampledTimesAgreeWithTheClock(Jdk jdk) {
        Run r = run(jdk, "100000", "--timer", "sampled", "--interval", "1ms");
        // slow(): 240 ms of naps; medium(): 120 ms of naps and some arithmetic; mixed(): a 30 ms nap and more.
        for (String name : List.of("slow", "medium", "mixed")) {
            double truth = r.measured.get(name);
            Prof.Fn f = r.prof.fn(fn(name));
            assertTrue(Math.abs(f.ct - truth) <= 0.10 * truth + 0.010, name + ": measured " + truth + " s, profile " + f);
        }
        // Own time where the time is spent: nap's calls are mostly Thread.sleep's, slow's own time is nearly nil.
        Prof.Fn sleep = r.prof.fn(Prof.builtin("java.lang.Thread.sleep"));
        double naps = r.measured.get("slow") + r.measured.get("medium") * 0.8;
        assertTrue(sleep.tt >= 0.8 * naps, "sleep " + sleep + " against " + naps + " s of naps");
        assertTrue(r.prof.fn(fn("slow")).tt <= 0.05 * r.measured.get("slow") + 0.010, r.prof.fn(fn("slow")).toString());
        // Recursion: napTwice's outer and inner calls overlap; its cumulative time counts them once, as cProfile does.
        Prof.Fn napTwice = r.prof.fn(fn("napTwice"));
        assertTrue(napTwice.ct <= r.prof.fn(fn("slow")).ct + 0.002, napTwice.toString());
        assertNoNegativeTimes(r.prof);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void exactTimesAgreeWithTheClock(Jdk jdk) {
        Run r = run(jdk, "100000");
        for (String name : List.of("slow", "medium", "mixed")) {
            double truth = r.measured.get(name);
            Prof.Fn f = r.prof.fn(fn(name));
            assertTrue(Math.abs(f.ct - truth) <= 0.05 * truth + 0.005, name + ": measured " + truth + " s, profile " + f);
        }
        assertNoNegativeTimes(r.prof);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void calibrationLeavesTheProfilersCostOut(Jdk jdk) {
        int calls = 2_000_000;
        // Each call costs the program at least two clock readings under the exact timer, well over 10 ns: with
        // calibration the profile must show tinyLoop shorter than the program saw it by at least that much.
        Run on = run(jdk, Integer.toString(calls));
        double seen = on.measured.get("tinyLoop");
        Prof.Fn loop = on.prof.fn(fn("tinyLoop"));
        assertTrue(loop.ct <= seen - calls * 10e-9, "calibrated: the program saw " + seen + " s, profile " + loop);
        assertEquals(Integer.toString(calls), on.prof.fn(fn("tiny")).callers().get(fn("tinyLoop")));
        assertNoNegativeTimes(on.prof);
        // Off: the profile shows what the program saw, the profiler's cost included.
        Run off = run(jdk, Integer.toString(calls), "--calibrate", "off");
        double seenOff = off.measured.get("tinyLoop");
        Prof.Fn loopOff = off.prof.fn(fn("tinyLoop"));
        // (A busy machine may preempt the program between its clock reading and the profiler's: a few ms.)
        assertTrue(loopOff.ct >= seenOff - Math.max(0.005, 0.02 * seenOff) && loopOff.ct <= seenOff,
                "uncalibrated: the program saw " + seenOff + " s, profile " + loopOff);
    }

    private static void assertNoNegativeTimes(Prof p) {
        ProfileData d = p.data;
        for (int e = 0; e < d.size(); e++) {
            assertTrue(d.ownTime(e) >= 0 && d.cumulativeTime(e) >= 0, d.key(e).toString());
            for (int i = d.callersStart(e); i < d.callersEnd(e); i++) {
                assertTrue(d.edgeOwnTime(i) >= 0 && d.edgeCumulativeTime(i) >= 0, d.key(e) + " edge " + i);
            }
        }
    }
}
