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
    public static final int TIMER_WALL = 0, TIMER_CPU = 1, TIMER_CUSTOM = 2;

    final int timer;
    final LongSupplier customTimer;
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
        this.timer = timer;
        this.customTimer = customTimer;
        this.threads = threads;
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
            ThreadState c = s.consistentCopy();
            if (c.sp > 0) c.popTo(0, Clocks.now(this, s.thread));
            t.add(c);
        }
        return t;
    }

    /** Merged figures by function id and by (caller id, callee id) edge, in raw timer ticks. */
    public static final class Totals {
        public Totals() {}

        // Per function id: calls, recursive calls, tt (inclusive), it (own).
        private final Map<Integer, long[]> functions = new java.util.LinkedHashMap<>();
        private final Map<Long, long[]> edges = new java.util.LinkedHashMap<>();

        void add(ThreadState s) {
            for (int f = 0; f < s.fnCount; f++) {
                if (s.fnCalls[f] == 0 && s.fnLevel[f] == 0) continue;
                long[] v = functions.computeIfAbsent(s.fnId[f], k -> new long[4]);
                v[0] += s.fnCalls[f];
                v[1] += s.fnRec[f];
                v[2] += s.fnTt[f];
                v[3] += s.fnIt[f];
            }
            for (int e = 0; e < s.edgeCount; e++) {
                if (s.eCaller[e] < 0 || s.eCalls[e] == 0) continue;
                long[] v = edges.computeIfAbsent((long) s.eCaller[e] << 32 | (s.eCallee[e] & 0xffffffffL), k -> new long[4]);
                v[0] += s.eCalls[e];
                v[1] += s.eRec[e];
                v[2] += s.eTt[e];
                v[3] += s.eIt[e];
            }
        }

        Totals copy() {
            Totals t = new Totals();
            functions.forEach((k, v) -> t.functions.put(k, v.clone()));
            edges.forEach((k, v) -> t.edges.put(k, v.clone()));
            return t;
        }

        /** Adds another session's figures (a profile enabled and disabled more than once). */
        public void addAll(Totals other) {
            other.functions.forEach((k, v) -> {
                long[] m = functions.computeIfAbsent(k, x -> new long[4]);
                for (int i = 0; i < 4; i++) m[i] += v[i];
            });
            other.edges.forEach((k, v) -> {
                long[] m = edges.computeIfAbsent(k, x -> new long[4]);
                for (int i = 0; i < 4; i++) m[i] += v[i];
            });
        }

        /** Function ids with their {calls, recursive calls, tt, it}, in first-seen order. */
        public Map<Integer, long[]> functions() { return functions; }

        /** Edges keyed {@code caller << 32 | callee} with {calls, recursive calls, tt, it}. */
        public Map<Long, long[]> edges() { return edges; }
    }
}
