package dev.jcprofile.agent;

import dev.jcprofile.format.ProfileData;
import dev.jcprofile.runtime.Hooks;
import dev.jcprofile.runtime.Session;
import dev.jcprofile.runtime.ThreadState;

import java.util.function.LongSupplier;

/**
 * What {@link dev.jcprofile.Profile} does with the runtime, kept apart so that {@code Profile} names no runtime
 * class: those exist only once the agent has put them on the bootstrap path.
 */
public final class ApiSession {
    private final Session session;
    private final double secondsPerTick;
    private Session.Totals totals;

    private ApiSession(Session session, double secondsPerTick) {
        this.session = session;
        this.secondsPerTick = secondsPerTick;
    }

    /** Starts recording; fails if any session (another Profile, or a whole-program profile) is recording. */
    public static synchronized ApiSession start(LongSupplier timer, double secondsPerTick, boolean allThreads,
                                                ApiSession previous) {
        return start(timer, secondsPerTick, allThreads, false, previous);
    }

    /** As above; with {@code tree}, the calling-context tree is recorded too. */
    public static synchronized ApiSession start(LongSupplier timer, double secondsPerTick, boolean allThreads,
                                                boolean tree, ApiSession previous) {
        Session active = Hooks.active();
        if (active != null) {
            throw new IllegalStateException(AgentStartup.wholeProgram()
                    ? "jcprofile is already profiling the whole program (-javaagent or bin/jcprofile); a Profile cannot be enabled too"
                    : "another Profile is enabled; disable it first");
        }
        Thread me = Thread.currentThread();
        Session s = new Session(timer == null ? Session.TIMER_WALL : Session.TIMER_CUSTOM, timer,
                allThreads ? null : t -> t == me);
        if (tree) s.recordTree();
        Hooks.start(s);
        ApiSession api = new ApiSession(s, timer == null ? 1e-9 : secondsPerTick);
        if (previous != null) api.totals = previous.totals;
        return api;
    }

    /** Stops recording; calls still open are closed now, as cProfile's {@code disable()} closes them. */
    public synchronized void stop() {
        if (Hooks.active() != session) return;
        Hooks.stop(session);
        Session.Totals now = session.snapshot();
        if (totals == null) totals = now;
        else totals.addAll(now);
    }

    public boolean recording() {
        return Hooks.active() == session;
    }

    /** What was recorded so far (while recording: up to now). */
    public synchronized ProfileData profile() {
        // Taken while recording, the snapshot is the profiler's work, not the calling method's time.
        ThreadState paused = Hooks.beginOwnWork();
        try {
            return profileNow();
        } finally {
            Hooks.endOwnWork(paused);
        }
    }

    private ProfileData profileNow() {
        Session.Totals t = recording() ? session.snapshot() : null;
        Session.Totals all;
        if (totals == null) all = t;
        else if (t == null) all = totals;
        else {
            all = new Session.Totals();
            all.addAll(totals);
            all.addAll(t);
        }
        return all == null ? new ProfileData() : TotalsToProfile.convert(all, secondsPerTick);
    }
}
