package dev.jcprofile.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One recording: from start to stop, the threads it records and what they recorded. Threads register their
 * {@link ThreadState} on their first call in the session (a slow path); a dead thread's tables are folded into
 * the session's own totals and dropped, so a program that runs a million short threads keeps a bounded profile.
 * <p>
 * No hook notices a thread's end: a dead thread is found by {@link Thread#isAlive} (whose {@code false} also
 * makes everything the thread wrote visible, JLS 17.4.4), asked of the registered states by a scan on every
 * so many registrations and by the reaper, a thread of the profiler's that walks the states a batch at a time.
 * With {@link #keepThreadsApart}, an ended thread's figures are kept as its own, trimmed to what it called,
 * for a profile per thread.
 */
public final class Session {
    public static final int TIMER_WALL = 0, TIMER_CPU = 1, TIMER_CUSTOM = 2, TIMER_SAMPLED = 3;
    /**
     * Sampled mode whose samples weigh the CPU time each thread used since the sample before, not the time
     * that passed: a thread blocked in a read, a select or a sleep accumulates nothing (see {@link Sampler}).
     */
    public static final int TIMER_SAMPLED_CPU = 4;

    /** Whether the hooks count calls and a {@link Sampler} puts in the times: sampled and sampled-cpu. */
    static boolean isSampled(int timer) {
        return timer >= TIMER_SAMPLED;
    }

    final int timer;
    final LongSupplier customTimer;
    /** {@link #TIMER_SAMPLED}: nanoseconds between two samples of every thread's stack. */
    final long intervalNanos;
    /** Whether the profiler's own cost per call is measured and left out of the times (see {@link Calibration}). */
    final boolean calibrate;
    private final java.util.function.Predicate<Thread> threads;
    private final List<ThreadState> live = new ArrayList<>();
    private final Totals finished = new Totals();
    /**
     * Threads left unrecorded because their state or tables could not be made (Hooks#rebind): counted at each try,
     * and a thread whose state was made but not its tables tries no more in this session.
     */
    private final java.util.concurrent.atomic.AtomicInteger notRecorded = new java.util.concurrent.atomic.AtomicInteger();

    void threadNotRecorded() {
        notRecorded.incrementAndGet();
    }

    /** Threads that stopped being recorded partway, a table of theirs having no room to grow (Hooks#stopRecording). */
    private final java.util.concurrent.atomic.AtomicInteger stoppedPartway = new java.util.concurrent.atomic.AtomicInteger();
    /** Samples the sampler could not put in, its own tables having no room to grow (Sampler's run). */
    private final java.util.concurrent.atomic.AtomicLong samplesLost = new java.util.concurrent.atomic.AtomicLong();

    void threadStopped() {
        stoppedPartway.incrementAndGet();
    }

    void sampleLost() {
        samplesLost.incrementAndGet();
    }

    /**
     * What the profile lacks because the heap had no room for the profiler's own tables, one line each (without
     * the "jcprofile: " its callers put before it); empty when it lacks nothing.
     */
    public List<String> whatTheHeapLeftOut() {
        List<String> lines = new ArrayList<>();
        if (notRecorded.get() > 0) {
            lines.add(notRecorded.get() + " time(s) a thread was left unrecorded: the heap had no room for its tables"
                    + " (OutOfMemoryError); the profile lacks those threads' calls");
        }
        if (stoppedPartway.get() > 0) {
            lines.add(stoppedPartway.get() + " thread(s) stopped being recorded partway: the heap had no room for their"
                    + " tables to grow (OutOfMemoryError); the profile has their calls up to then, those open closed then");
        }
        if (samplesLost.get() > 0) {
            lines.add(samplesLost.get() + " sample(s) lost: the heap had no room for the sampler's tables"
                    + " (OutOfMemoryError); the times lack them");
        }
        return lines;
    }
    /** With {@link #keepThreadsApart}: each ended thread's figures, in the order the threads were found ended. */
    private List<ThreadFigures> ended;
    /**
     * States registered since the lock was last taken: a stack linked through {@link ThreadState#nextRegistered},
     * pushed without the lock and moved into {@link #live} by whoever takes it next. A thread's first call then
     * never waits for the lock: under a lock held by a scan, a hundred thousand virtual threads starting together
     * would each wait (unmounted, their stacks copied to the heap at their deepest, inside the registration).
     */
    @SuppressWarnings("unused") private volatile ThreadState registered;
    /** Registrations so far: pushed without the lock, counted without it (see {@link #foldAt}). */
    @SuppressWarnings("unused") private volatile long registrations;
    private static final java.lang.invoke.VarHandle REGISTERED, REGISTRATIONS, FOLD_AT;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            REGISTERED = l.findVarHandle(Session.class, "registered", ThreadState.class);
            REGISTRATIONS = l.findVarHandle(Session.class, "registrations", long.class);
            FOLD_AT = l.findVarHandle(Session.class, "foldAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * The registration count at which register scans every state for dead ones: each scan costs one
     * {@code isAlive} per live state, so scans come after as many registrations as an eighth of the states (at
     * least 256). A hundred thousand threads alive at once then cost a few scans in all, and dead states waiting
     * for the next scan are at most an eighth of the live ones, or 256.
     */
    private volatile long foldAt = FOLD_EVERY;
    private static final int FOLD_EVERY = 256;
    /** The reaper: started by the first registration. */
    private volatile Thread reaper;
    /** Where the reaper's next batch starts in {@link #live}. */
    private int reapFrom;
    private static final int REAP_BATCH = 4096;
    private static final long REAP_NANOS = 50_000_000L;

    /**
     * @param timer       {@link #TIMER_WALL}, {@link #TIMER_CPU} or {@link #TIMER_CUSTOM}
     * @param customTimer the clock for {@link #TIMER_CUSTOM}, else null
     * @param threads     which threads to record, asked once per thread at its first call; null records all
     */
    public Session(int timer, LongSupplier customTimer, java.util.function.Predicate<Thread> threads) {
        this(timer, customTimer, threads, 0, false);
    }

    /**
     * @param intervalNanos for {@link #TIMER_SAMPLED} and {@link #TIMER_SAMPLED_CPU}, the sampling interval
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

    /**
     * Whether sampled-cpu can charge a carrier's CPU time to the virtual thread mounted on it: false before
     * JDK 21, and unless java.lang is open to the runtime.
     */
    public static boolean carrierCpuReadable() {
        return Clocks.carriersReadable();
    }

    boolean accepts(Thread t) {
        return threads == null || threads.test(t);
    }

    /** With {@link #recordTree}: the session's count of calling-context tree nodes; else null. */
    private PathTable.Budget treeBudget;

    /**
     * Records the calling-context tree beside the flat tables ({@link PathTable}), at most
     * {@link PathTable#MAX_NODES} nodes in all. Called before the session starts.
     */
    public synchronized void recordTree() {
        recordTree(PathTable.MAX_NODES);
    }

    /** As {@link #recordTree()}, with another cap on the nodes. */
    public synchronized void recordTree(int maxNodes) {
        treeBudget = new PathTable.Budget(maxNodes);
        finished.budget = treeBudget;
        finished.trees = new java.util.LinkedHashMap<>();
    }

    /** Whether the session records the calling-context tree. */
    public boolean recordsTree() {
        return treeBudget != null;
    }

    /** Set when the session stops; states still held by running methods stop recording with it. */
    volatile boolean closed;

    synchronized void close() {
        closed = true;
        // The dump comes next, maybe in a heap the program filled (main ended on an OutOfMemoryError): it gets
        // the reserve's room.
        reserve.letGo();
        takeRegistered();
        for (ThreadState s : live) s.recording = false;
    }

    /** Moves the states registered since into {@link #live}; called with the lock held, before {@link #live} is read. */
    private void takeRegistered() {
        ThreadState s = (ThreadState) REGISTERED.getAndSet(this, (ThreadState) null), first = null;
        while (s != null) { // the stack turned over: the states join in the order they registered
            ThreadState next = s.nextRegistered;
            s.nextRegistered = first;
            first = s;
            s = next;
        }
        while (first != null) {
            live.add(first);
            ThreadState next = first.nextRegistered;
            first.nextRegistered = null;
            first = next;
        }
    }

    /**
     * Runs each VarHandle access of this class once, on a session of its own, before any JDK class is
     * instrumented (see ThreadState's linkVarHandles): a thread's first call then links nothing.
     */
    static void linkVarHandles() {
        Session s = new Session(TIMER_WALL, null, null);
        s.closed = true;
        ThreadState t = new ThreadState(null, null, -1, false);
        s.push(t);
        s.countRegistration();
        if (!s.claimFold(s.foldAt)) throw new AssertionError();
        s.takeRegistered();
        if (s.live.size() != 1) throw new AssertionError();
    }

    private void push(ThreadState s) {
        ThreadState head;
        do {
            head = (ThreadState) REGISTERED.getVolatile(this);
            s.nextRegistered = head;
        } while (!REGISTERED.compareAndSet(this, head, s));
    }

    private boolean claimFold(long at) {
        return FOLD_AT.compareAndSet(this, at, Long.MAX_VALUE);
    }

    private long countRegistration() {
        return (long) REGISTRATIONS.getAndAdd(this, 1L) + 1;
    }

    /**
     * Starts the reaper, and makes a tree's first table, before the program's threads register (see
     * {@link Hooks#prepare}): registration then loads no class.
     */
    synchronized void prepare() {
        if (treeBudget != null) new PathTable(treeBudget);
        if (reaper == null && !closed) {
            reaper = new ProfilerThread(new Reaper(this), "jcprofile-reaper");
            reaper.start();
        }
    }

    /**
     * A thread's first call in the session: its state joins the recorded ones. Takes no lock, except to start the
     * reaper once and, every so many registrations, to fold the dead threads' states (see {@link #foldAt}).
     */
    void register(ThreadState s) {
        if (closed) {
            s.recording = false; // it saw the session just before it stopped
            return;
        }
        s.makeTables();
        if (treeBudget != null) s.paths = new PathTable(treeBudget);
        if (reaper == null) startReaper();
        long n = countRegistration(), at = foldAt;
        // One registration folds (the one that moves foldAt out of reach); the others go on.
        if (n >= at && claimFold(at)) foldNow();
        // Last, what registering calls being done (it is not the thread's to record): recording, then shown to
        // close, which stops every state it finds; one it does not find sees the session closed here.
        s.recording = true;
        push(s);
        if (closed) s.recording = false;
    }

    /**
     * Held back while the reaper runs, let go when the heap is exhausted (see {@link HeapReserve}): sessions of the
     * whole program and attached ones, whose dump and SIGTERM come at the end of a run, not the API's.
     */
    final HeapReserve reserve = new HeapReserve();
    private volatile boolean holdsHeapReserve;

    /** Holds a reserve of heap for the end of the run (see {@link HeapReserve}). Called before the session starts. */
    public void holdHeapReserve() {
        holdsHeapReserve = true;
    }

    /** Starts the reaper unless it runs: a thread the session does not record is cached too (Hooks' cache). */
    void ensureReaper() {
        if (reaper == null) startReaper();
    }

    private synchronized void startReaper() {
        if (reaper == null && !closed) {
            reaper = new ProfilerThread(new Reaper(this), "jcprofile-reaper");
            reaper.start();
        }
    }

    private synchronized void foldNow() {
        takeRegistered();
        if (!closed) foldDeadThreads();
        foldAt = registrations + Math.max(FOLD_EVERY, live.size() / 8);
    }

    /**
     * Keeps each thread's figures apart, for {@link #snapshotByThread} (a profile per thread): an ended thread's
     * figures are kept as its own rather than added to the others'. Called before the session starts.
     */
    public synchronized void keepThreadsApart() {
        if (ended == null) ended = new ArrayList<>();
    }

    /** Finds ended threads every {@link #REAP_NANOS}, {@link #REAP_BATCH} states at a time, so the lock is brief. */
    private static final class Reaper implements Runnable {
        private final Session session;

        Reaper(Session session) {
            this.session = session;
        }

        @Override
        public void run() {
            HeapReserve reserve = session.holdsHeapReserve ? session.reserve : null;
            try {
                if (reserve != null && !session.closed) reserve.take();
                while (!session.closed) {
                    java.util.concurrent.locks.LockSupport.parkNanos(REAP_NANOS);
                    if (reserve != null) reserve.check(System.nanoTime());
                    session.reap();
                    Hooks.forgetDeadThreads();
                }
            } finally {
                // Taken, or taken again, as the session closed: the session may outlive its run (a Profile kept).
                session.reserve.letGo();
            }
        }
    }

    private synchronized void reap() {
        if (closed) return;
        takeRegistered();
        int i = reapFrom < live.size() ? reapFrom : 0;
        for (int checked = 0; checked < REAP_BATCH && i < live.size(); checked++) {
            ThreadState s = live.get(i);
            if (s.thread.isAlive()) {
                i++;
            } else {
                // The last state takes its place, and is checked next.
                retire(s);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
            }
        }
        reapFrom = i;
    }

    /** A dead thread's tables, final now: added to the session's totals, or kept as its own. */
    private void retire(ThreadState s) {
        Hooks.forget(s);
        if (ended != null) {
            ended.add(new ThreadFigures(s.thread.getName(), s.thread.getId(), s.ended()));
        } else {
            // The thread's nodes leave the count; those its paths add to the kept tree join it.
            if (s.paths != null) treeBudget.release(s.paths.taken);
            finished.add(s);
        }
    }

    /**
     * One sample of every recorded thread's stack, {@code elapsed} nanoseconds after the one before: see
     * {@link ThreadState#sample}. Runs on the sampler thread, under the session's lock, so that a dump or a
     * fold never sees a thread's sampled times halfway through a sample.
     */
    synchronized void sample(long now, long elapsed) {
        if (closed) return;
        takeRegistered();
        for (ThreadState s : live) s.sample(s.sampleWeight(now, elapsed));
    }

    /**
     * {@link #TIMER_SAMPLED_CPU}'s sample: each thread's stack weighs the CPU time the thread used since the
     * sample before ({@link Sampler.CpuClocks}), less what the profiler's own work on it used.
     */
    synchronized void sampleCpu(Sampler.CpuClocks clocks) {
        if (closed) return;
        takeRegistered();
        clocks.beginSample();
        for (ThreadState s : live) {
            long used = clocks.usedSinceLastSample(s);
            s.sample(s.sampleWeightCpu(used, clocks.clockNow())); // a thread that used none gets nothing
        }
        clocks.endSample();
    }

    private void foldDeadThreads() {
        for (int i = live.size() - 1; i >= 0; i--) {
            ThreadState s = live.get(i);
            if (!s.thread.isAlive()) {
                retire(s); // nothing runs on a dead thread: its tables are final
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
        takeRegistered();
        Totals t = finished.copy();
        if (ended != null) for (ThreadFigures e : ended) t.add(e.state, e.name);
        for (ThreadState s : live) t.add(closedCopy(s));
        return t;
    }

    /** A live thread's tables copied between two of its hooks, calls still open closed now. */
    private ThreadState closedCopy(ThreadState s) {
        // Calls still open are closed as of the copy; sampled mode counted them when they opened.
        boolean closesOpenCalls = !isSampled(timer);
        ThreadState c = s.consistentCopy(closesOpenCalls);
        if (c.sp > 0 && closesOpenCalls) c.popTo(0, c.copiedAt);
        return c;
    }

    /**
     * As {@link #snapshot}, one entry per thread recorded, ended or alive, in the order of their ids. The session
     * must keep threads apart ({@link #keepThreadsApart}).
     */
    public synchronized List<ThreadFigures> snapshotByThread() {
        if (ended == null) throw new IllegalStateException("the session does not keep threads apart");
        takeRegistered();
        List<ThreadFigures> all = new ArrayList<>(ended);
        for (ThreadState s : live) all.add(new ThreadFigures(s.thread.getName(), s.thread.getId(), closedCopy(s)));
        all.sort(java.util.Comparator.comparingLong(f -> f.id));
        return all;
    }

    /** One thread's figures: its name (now, or when it was found ended), its id, and its tables. */
    public static final class ThreadFigures {
        public final String name;
        public final long id;
        private final ThreadState state;

        ThreadFigures(String name, long id, ThreadState state) {
            this.name = name;
            this.id = id;
            this.state = state;
        }

        /** The thread's figures alone. */
        public Totals totals() {
            Totals t = new Totals();
            t.add(state, name);
            return t;
        }
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

        /** The session's node count, for the tree kept of ended threads; null for a snapshot's totals. */
        PathTable.Budget budget;
        /** The calling-context tree per thread name, merged path by path; null when no tree was recorded. */
        private Map<String, PathTable> trees;
        /** The thread name of threads that have none (virtual threads, usually): they are one thread of the tree. */
        public static final String UNNAMED = "<unnamed threads>";
        /** The thread name of threads whose tree was made after the session's node cap was reached. */
        public static final String BEYOND_CAP = "<threads beyond the node cap>";

        void add(ThreadState s) {
            add(s, s.thread == null ? null : s.thread.getName());
        }

        void add(ThreadState s, String threadName) {
            if (s.paths != null) addTree(threadName, s.paths);
            boolean sampled = isSampled(s.session.timer);
            long[] calls = sampled ? s.callsOfFunctions() : null;
            long[] recursions = sampled ? s.recursionsOfFunctions() : null;
            for (int f = 0; f < s.fnCount; f++) {
                long c = sampled ? calls[f] : s.fnCalls(f);
                if (s.virtual) virtualThreadCalls += c;
                if (c == 0 && s.fnLevel(f) == 0) continue;
                functions.computeIfAbsent(s.fnId(f), k -> new Counts()).add(c, sampled ? recursions[f] : s.fnRec(f),
                        s.fnTt(f) + s.sampledFnTt(f), s.fnIt(f) + s.sampledFnIt(f));
            }
            for (int e = 0; e < s.edgeCount; e++) {
                // Sampled mode counts an edge's direct recursion apart (ThreadState's eDirect); exact mode, never.
                long direct = e < s.eDirect.length ? s.eDirect[e] : 0;
                if (s.eCaller(e) < 0 || s.eCalls(e) + direct == 0) continue;
                edges.computeIfAbsent(edgeKey(s.eCaller(e), s.eCallee(e)), k -> new Counts()).add(
                        s.eCalls(e) + direct, s.eRec(e) + direct, s.eTt(e) + s.sampledETt(e), s.eIt(e) + s.sampledEIt(e));
            }
        }

        /**
         * Calls made on virtual threads. Under the cpu timer they got no CPU time, the JDK measuring none for
         * virtual threads; under sampled-cpu, their carriers' (see {@link Sampler.CpuClocks}).
         */
        public long virtualThreadCalls;

        private void addTree(String threadName, PathTable paths) {
            if (trees == null) trees = new java.util.LinkedHashMap<>();
            String name = threadName == null || threadName.isEmpty() ? UNNAMED : threadName;
            PathTable kept = trees.get(name);
            if (kept == null) {
                // A new name would start a new tree: past the cap, threads of new names share one.
                if (budget != null && budget.exhausted()) name = BEYOND_CAP;
                kept = trees.computeIfAbsent(name, k -> PathTable.kept(budget));
            }
            kept.addAll(paths);
        }

        /**
         * The calling-context tree by thread name, in first-seen order: empty when the session recorded none
         * ({@link #hasTree}).
         */
        public Map<String, PathTable> trees() {
            return trees == null ? Map.of() : trees;
        }

        /** Whether these figures hold a calling-context tree (the session recorded one). */
        public boolean hasTree() {
            return trees != null;
        }

        Totals copy() {
            Totals t = new Totals();
            if (trees != null) {
                t.trees = new java.util.LinkedHashMap<>();
                trees.forEach((k, v) -> t.trees.put(k, v.copy()));
            }
            t.virtualThreadCalls = virtualThreadCalls;
            functions.forEach((k, v) -> t.functions.put(k, v.copy()));
            edges.forEach((k, v) -> t.edges.put(k, v.copy()));
            return t;
        }

        /** Adds another session's figures (a profile enabled and disabled more than once). */
        public void addAll(Totals other) {
            if (other.trees != null) other.trees.forEach(this::addTree);
            virtualThreadCalls += other.virtualThreadCalls;
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
