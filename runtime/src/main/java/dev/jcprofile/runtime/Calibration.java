package dev.jcprofile.runtime;

/**
 * Measures the profiler's own cost per call so that exact-mode times leave it out, as the NetBeans profiler
 * and JIP calibrate, and as {@code profile.py} does with its {@code bias}: a call of a tiny method costs the
 * program a few tens of nanoseconds of hooks, part of which falls between the method's two clock readings and
 * part into its caller's own time. Uncorrected, a method making millions of tiny calls looks hot for no reason.
 * <p>
 * The measure: an empty method instrumented by hand exactly as the transformer instruments one, called in a
 * loop, against the same loop calling a plain empty method; the difference per call of the two loops' minima over
 * many rounds, once the JIT has compiled both, is the cost of one enter-exit pair. Closing a call then takes out
 * half of it for its own hooks and the whole of it for every call made within it, so each call's time loses
 * the profiler's share and keeps the program's.
 * <p>
 * It runs on its own daemon thread at the session's start, against a private session (its calls are never in
 * the profile), and takes about a tenth of a second of one core; until it is done, nothing is subtracted.
 */
final class Calibration implements Runnable {
    private static final int CALLS_PER_ROUND = 20_000;
    private static final int WARM_UP_ROUNDS = 40;
    private static final int ROUNDS = 40;

    private final Session session;
    private final int probeId;

    private Calibration(Session session) {
        this.session = session;
        this.probeId = Registry.method("~", 0, "<jcprofile calibration>", "probe/0");
    }

    static void start(Session session) {
        new ProfilerThread(new Calibration(session), "jcprofile-calibration").start();
    }

    @Override
    public void run() {
        long cost = measure();
        synchronized (Hooks.class) {
            // Published only for the session it was measured for, and only if it is still the active one.
            if (cost > 0 && Hooks.active() == session && !session.closed) Hooks.callCost = cost / 2;
        }
    }

    /** The cost of one enter-exit pair in timer ticks, or 0 if it could not be measured. */
    long measure() {
        int epoch = Hooks.epoch;
        Session mine = new Session(session.timer, null, null);
        ThreadState state = new ThreadState(mine, Thread.currentThread(), epoch, true);
        Hooks.bindPrivate(state);
        try {
            return measure(epoch);
        } finally {
            Hooks.forget(state);
        }
    }

    private long measure(int epoch) {
        // Each loop's own minimum over the rounds: a round preempted in either loop then costs nothing (the
        // minimum of the differences went negative, and calibration to 0, when the plain loop alone, 20 us of a
        // round, was preempted once on a loaded machine).
        long bestProbes = Long.MAX_VALUE, bestPlain = Long.MAX_VALUE;
        // The probes are called from within an open call, as a program's calls are: the hooks' branches then
        // learn what they see in the program (the JIT compiles them with what they learnt here too).
        int outer = Hooks.enter(probeId);
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < CALLS_PER_ROUND; i++) probe(probeId);
            long t1 = System.nanoTime();
            for (int i = 0; i < CALLS_PER_ROUND; i++) plain(probeId);
            long t2 = System.nanoTime();
            // Another session started or stopped: the hooks no longer ran against the private one.
            if (Hooks.epoch != epoch) return 0;
            if (round >= WARM_UP_ROUNDS) {
                bestProbes = Math.min(bestProbes, t1 - t0);
                bestPlain = Math.min(bestPlain, t2 - t1);
            }
        }
        Hooks.exit(outer, probeId);
        return Math.max(0, (bestProbes - bestPlain) / CALLS_PER_ROUND);
    }

    /** What the transformer makes of an empty method (see {@link Hooks}). */
    private static void probe(int id) {
        Hooks.exit(Hooks.enter(id), id);
    }

    /** The same call without hooks; its argument keeps the two loops alike. */
    private static int sink;

    private static void plain(int id) {
        sink += id;
    }
}
