package dev.jcprofile.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One recording: from start to stop, the threads it records and what they recorded. Threads register their
 * {@link ThreadState} on their first call in the session (a slow path); a dead thread's tables are folded into
 * the session's own totals, so a program that runs a million short threads keeps a bounded profile.
 */
public final class Session {
    public static final int TIMER_WALL = 0, TIMER_CPU = 1, TIMER_CUSTOM = 2, TIMER_SAMPLED = 3;

    final int timer;
    final LongSupplier customTimer;
    /** {@link #TIMER_SAMPLED}: nanoseconds between two samples of every thread's stack. */
    final long intervalNanos;
    /** Whether the profiler's own cost per call is measured and left out of the times (see {@link Calibration}). */
    final boolean calibrate;
    private final java.util.function.Predicate<Thread> threads;
    private final List<ThreadState> live = new ArrayList<>();
    private final Totals finished = new Totals();
    private int registrations;

    /**
     * @param timer       {@link #TIMER_WALL}, {@link #TIMER_CPU} or {@link #TIMER_CUSTOM}
     * @param customTimer the clock for {@link #TIMER_CUSTOM}, else null
     * @param threads     which threads to record, asked once per thread at its first call; null records all
     */
    public Session(int timer, LongSupplier customTimer, java.util.function.Predicate<Thread> threads) {
        this(timer, customTimer, threads, 0, false);
    }

    /**
     * @param intervalNanos for {@link #TIMER_SAMPLED}, the sampling interval
     * @param calibrate     for {@link #TIMER_WALL} and {@link #TIMER_CPU}, subtract the profiler's measured cost
     */
    public Session(int timer, LongSupplier customTimer, java.util.function.Predicate<Thread> threads,
                   long intervalNanos, boolean calibrate) {
        this.timer = timer;
        this.customTimer = customTimer;
        this.threads = threads;
        this.intervalNanos = intervalNanos;
        this.calibrate = calibrate && (timer == TIMER_WALL || timer == TIMER_CPU);
    }

    boolean accepts(Thread t) {
        return threads == null || threads.test(t);
    }

    /** Set when the session stops; states still held by running methods stop recording with it. */
    volatile boolean closed;

    synchronized void close() {
        closed = true;
        for (ThreadState s : live) s.recording = false;
    }

    synchronized void register(ThreadState s) {
        if (closed) {
            s.recording = false; // it saw the session just before it stopped
            return;
        }
        live.add(s);
        if (++registrations % 256 == 0) foldDeadThreads();
        s.recording = true; // last: what registering calls is not the thread's to record
    }

    /**
     * One sample of every recorded thread's stack, {@code elapsed} nanoseconds after the one before: see
     * {@link ThreadState#sample}. Runs on the sampler thread, under the session's lock, so that a dump or a
     * fold never sees a thread's sampled times halfway through a sample.
     */
    synchronized void sample(long now, long elapsed) {
        if (closed) return;
        for (ThreadState s : live) s.sample(now, elapsed);
    }

    private void foldDeadThreads() {
        for (int i = live.size() - 1; i >= 0; i--) {
            ThreadState s = live.get(i);
            if (!s.thread.isAlive()) {
                finished.add(s); // nothing runs on a dead thread: its tables are final
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
            }
        }
    }

    /**
     * The session's figures now: every thread's tables merged, with calls still open closed at this moment, as
     * cProfile's {@code disable()} closes them. Live threads are not disturbed: their tables are copied.
     */
    public synchronized Totals snapshot() {
        Totals t = finished.copy();
        for (ThreadState s : live) {
            // Calls still open are closed as of the copy; sampled mode counted them when they opened.
            boolean closesOpenCalls = timer != TIMER_SAMPLED;
            ThreadState c = s.consistentCopy(closesOpenCalls);
            if (c.sp > 0 && closesOpenCalls) c.popTo(0, c.copiedAt);
            t.add(c);
        }
        return t;
    }

    /**
     * One function's or one edge's figures in raw timer ticks, as {@code _lsprof.c}'s entries hold them:
     * {@code callcount}, {@code recursivecallcount}, {@code tt} (inclusive, counted at the outermost call only)
     * and {@code it} (own time).
     */
    public static final class Counts {
        public long calls;
        /** Calls made while the same function (for an edge: the same caller-callee pair) was already running. */
        public long recursiveCalls;
        public long inclusiveTicks;
        public long ownTicks;

        void add(long calls, long recursiveCalls, long inclusiveTicks, long ownTicks) {
            this.calls += calls;
            this.recursiveCalls += recursiveCalls;
            this.inclusiveTicks += inclusiveTicks;
            this.ownTicks += ownTicks;
        }

        Counts copy() {
            Counts c = new Counts();
            c.add(calls, recursiveCalls, inclusiveTicks, ownTicks);
            return c;
        }
    }

    /** Merged figures by function id and by (caller id, callee id) edge. */
    public static final class Totals {
        public Totals() {}

        private final Map<Integer, Counts> functions = new java.util.LinkedHashMap<>();
        private final Map<Long, Counts> edges = new java.util.LinkedHashMap<>();

        void add(ThreadState s) {
            boolean sampled = s.session.timer == TIMER_SAMPLED;
            long[] calls = sampled ? s.callsOfFunctions() : s.fnCalls;
            long[] recursions = sampled ? s.recursionsOfFunctions() : s.fnRec;
            for (int f = 0; f < s.fnCount; f++) {
                if (calls[f] == 0 && s.fnLevel[f] == 0) continue;
                functions.computeIfAbsent(s.fnId[f], k -> new Counts()).add(calls[f], recursions[f],
                        s.fnTt[f] + s.sampledFnTt(f), s.fnIt[f] + s.sampledFnIt(f));
            }
            for (int e = 0; e < s.edgeCount; e++) {
                // Sampled mode counts an edge's direct recursion apart (ThreadState's eDirect); exact mode, never.
                long direct = s.eDirect[e];
                if (s.eCaller[e] < 0 || s.eCalls[e] + direct == 0) continue;
                edges.computeIfAbsent(edgeKey(s.eCaller[e], s.eCallee[e]), k -> new Counts()).add(
                        s.eCalls[e] + direct, s.eRec[e] + direct, s.eTt[e] + s.sampledETt(e), s.eIt[e] + s.sampledEIt(e));
            }
        }

        Totals copy() {
            Totals t = new Totals();
            functions.forEach((k, v) -> t.functions.put(k, v.copy()));
            edges.forEach((k, v) -> t.edges.put(k, v.copy()));
            return t;
        }

        /** Adds another session's figures (a profile enabled and disabled more than once). */
        public void addAll(Totals other) {
            other.functions.forEach((k, v) -> functions.computeIfAbsent(k, x -> new Counts())
                    .add(v.calls, v.recursiveCalls, v.inclusiveTicks, v.ownTicks));
            other.edges.forEach((k, v) -> edges.computeIfAbsent(k, x -> new Counts())
                    .add(v.calls, v.recursiveCalls, v.inclusiveTicks, v.ownTicks));
        }

        /** Function ids with their figures, in first-seen order. */
        public Map<Integer, Counts> functions() { return functions; }

        /** Edges keyed by {@link #edgeKey}, with their figures. */
        public Map<Long, Counts> edges() { return edges; }

        /** The key of the edge from {@code caller} to {@code callee}: {@code caller << 32 | callee}. */
        public static long edgeKey(int caller, int callee) {
            return (long) caller << 32 | (callee & 0xffffffffL);
        }

        public static int caller(long edgeKey) { return (int) (edgeKey >> 32); }

        public static int callee(long edgeKey) { return (int) edgeKey; }
    }
}
