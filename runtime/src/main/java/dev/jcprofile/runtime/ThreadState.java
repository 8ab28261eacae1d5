package dev.jcprofile.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One thread's profile within one session: the stack of open calls and the tables of {@code _lsprof.c}
 * (a ProfilerEntry per function, a ProfilerSubEntry per caller-callee edge), in primitive arrays.
 * Only its own thread writes it; the dump reads it (see {@link Session#snapshot}).
 * <p>
 * Memory: every table starts with room for four entries, one array of ints and one of longs a table, and doubles
 * when full (out of line, on a call of a function or an edge the thread has never called); hash tables and the
 * edge cache come only once the thread calls more than a few functions, or an edge again. A thread that calls
 * little (a hundred thousand virtual threads waiting on a latch) costs about 920 bytes, its thread-local entry
 * included (docs/reliability.md), and one that calls much costs in proportion to the functions and edges it
 * called, never to the number of functions the program has. A thread the session does not record has no tables.
 * When the thread ends, the session folds its figures and drops the tables ({@link Session}'s reaper).
 */
public final class ThreadState {
    static final int METHOD = 0, FRESH_BUILTIN = 1, BUILTIN = 2;
    private static final int ROOT = -1; // the caller of a call with no recorded caller

    /*
     * An open call is one long, so that opening a call reads its caller in one load and writes itself in one store:
     * the function id in the low 32 bits, the edge slot in the next 30 and the kind in the top 2.
     */
    private static final int EDGE_MASK = (1 << 30) - 1;

    static long frameWord(int id, int slot, int kind) {
        return (long) (slot | kind << 30) << 32 | (id & 0xffffffffL);
    }

    static int funcOf(long frame) {
        return (int) frame;
    }

    static int edgeOf(long frame) {
        return (int) (frame >>> 32) & EDGE_MASK;
    }

    static int kindOf(long frame) {
        return (int) (frame >>> 62);
    }

    /** What a call with no open call below it sees as its caller: ROOT, through an edge no call has. */
    static final long NO_FRAME = frameWord(ROOT, EDGE_MASK, METHOD);

    final Session session;
    final Thread thread;
    final int epoch;
    boolean recording;
    /** Set when a table could not grow (Hooks' stopRecording): the thread is recorded no more in this session. */
    private boolean stopped;

    /** Stops recording the thread for the rest of the session. */
    void stopForGood() {
        stopped = true;
        recording = false;
    }

    /** Whether the thread may record again after a pause: the session still runs and the thread was not stopped. */
    boolean mayRecord() {
        return !session.closed && !stopped;
    }

    /** When the state was made, for the sampler: a thread born between two samples gets only its share. */
    private final long born;

    /**
     * A seqlock over the tables: odd while a hook of this thread changes them, even between hooks. A dump taken
     * while the thread runs, or while it is preempted halfway through a hook, retries until it has copied the
     * tables between two hooks. Written with an opaque store and a release store: no fence instruction on x86.
     */
    private int seq;
    private static final VarHandle SEQ, SP;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(ThreadState.class, "seq", int.class);
            SP = MethodHandles.lookup().findVarHandle(ThreadState.class, "sp", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Runs each VarHandle access of this class once, on a state of its own, so that the JVM links them before any
     * JDK class is instrumented: linking one runs java.lang.invoke code that calls java.util, whose hooks would
     * come back to the same access, still unlinked, and recurse until the stack overflows.
     */
    static void linkVarHandles() {
        ThreadState s = new ThreadState(null, null, -1, false);
        s.beginWrite();
        s.endWrite();
        SP.setRelease(s, 0);
        if ((int) SEQ.getAcquire(s) + (int) SP.getAcquire(s) < 0) throw new AssertionError();
    }

    /**
     * A hook starts changing the tables. The count is made odd, not incremented: a hook that an error stopped
     * halfway left it odd, and the next one must not turn it even.
     */
    void beginWrite() {
        SEQ.setOpaque(this, seq | 1);
        VarHandle.storeStoreFence(); // the odd count is seen before any change
    }

    /** The hook is done: the tables are consistent again, under a count no copy has seen before. */
    void endWrite() {
        SEQ.setRelease(this, (seq | 1) + 1);
    }

    // First sizes of the tables, each doubled when full: small, since most threads of a program with many
    // threads call a handful of functions (see the class comment).
    private static final int FRAMES = 4, EDGES = 4, FUNCTIONS = 4, HASH = 32;
    /**
     * Up to this many edges or functions a thread's keys are found by a scan of its slots, and it has no hash table
     * (two arrays fewer for every thread that calls little); past it, the tables are hashed. Only a new edge's
     * lookup and a miss in the edge cache scan: a call of the edge called last is found without either.
     */
    private static final int SCAN = 8;

    /*
     * Each table is one array of ints and one of longs, a slot's fields side by side (a stride of them): an
     * array's header (16 bytes) and its reference cost as much as four ints, so parallel arrays, one a field,
     * would cost a thread that calls little more in headers than in figures.
     */
    /** An edge's ints: caller id, callee id, the callee's function slot, the recursion level. */
    static final int E_CALLER = 0, E_CALLEE = 1, E_FN = 2, E_LEVEL = 3, E_INTS = 4;
    /** A function's ints: its id, its recursion level. */
    static final int F_ID = 0, F_LEVEL = 1, F_INTS = 2;
    /** The longs of an edge and of a function: calls, recursive calls, inclusive (total) and own ticks. */
    static final int CALLS = 0, REC = 1, TT = 2, IT = 3, LONGS = 4;
    /** An open call's times (exact mode): its start, the time spent in its subcalls, the calls made within it. */
    static final int T0 = 0, SUBT = 1, INNER = 2, FR_LONGS = 3;

    /** The next state in the session's stack of states registered without its lock (see Session's register). */
    ThreadState nextRegistered;

    /** The calling-context tree ({@code tree=true}), or null: set by {@link Session#register}, before recording. */
    PathTable paths;

    // Open calls: function, edge and kind (one frameWord); exact mode's times beside, FR_LONGS a frame.
    int sp;
    long[] frame = NO_TIMES;
    /**
     * Exact mode: each open call's start time, time spent in subcalls and calls made within it so far, its own
     * and theirs (what calibration takes out, popTop). Sampled mode reads no clock and keeps it empty.
     */
    long[] frTimes = NO_TIMES;

    // Edges (caller id, callee id) -> slot, open addressing on the pair; the slot's caller and callee are the key.
    private int[] hashSlots = NO_MARKS; // slot + 1; 0 is empty; none while a scan of the slots is as quick
    int edgeCount;
    int[] eInts = NO_MARKS;
    long[] eLongs = NO_TIMES;
    /**
     * Sampled mode: the depth of the frame that opened the edge's outermost call still open, if any (see
     * {@link #pushCounted}); anything else when none is open. Exact mode keeps recursion levels instead.
     */
    int[] eOuter = NO_MARKS;
    /**
     * Sampled mode: the edge's calls made from a call open through the same edge (direct recursion), each a call
     * and a recursive call of both the edge and its function. Counted here alone, in one store, and added to the
     * others when the tables are read.
     */
    long[] eDirect = NO_TIMES;

    // Functions this thread has called; slots, not ids, so a thread holds only what it used.
    int fnCount;
    int[] fInts = NO_MARKS;
    long[] fLongs = NO_TIMES;
    /**
     * Function id -> slot + 1, open addressing (0 is empty; the slot's id is the key), once the thread has
     * called more than {@link #SCAN} functions. A table indexed by id would cost every thread four bytes per
     * function of the program up to the largest id it calls.
     */
    private int[] fnHash = NO_MARKS;
    /**
     * Sampled mode, by function slot (reached through the edge's function slot, on the same index as the edge's
     * count): the depth of the function's outermost open call (see {@link #pushCounted}).
     */
    private int[] fnOuter = NO_MARKS;

    ThreadState(Session session, Thread thread, int epoch, boolean recording) {
        this.session = session;
        this.thread = thread;
        this.epoch = epoch;
        this.recording = recording;
        this.born = session != null && Session.isSampled(session.timer) ? System.nanoTime() : 0;
        if (recording) makeTables();
    }

    /**
     * Makes the tables at their first sizes: when the thread starts recording ({@link Session#register}), not
     * before, so that a thread the session does not record (its thread filter, the profiler's own) has none: its
     * state is then the object alone. Every array is made before any is stored (see {@link #newEdge}).
     */
    void makeTables() {
        if (frame.length > 0) return;
        boolean sampled = session != null && Session.isSampled(session.timer);
        long[] fr = new long[FRAMES];
        int[] ei = new int[EDGES * E_INTS], fi = new int[FUNCTIONS * F_INTS];
        long[] el = new long[EDGES * LONGS], fl = new long[FUNCTIONS * LONGS];
        // Sampled mode's own tables: exact mode never reads them, and keeps them empty; and exact mode's times.
        int[] eo = sampled ? new int[EDGES] : NO_MARKS, fo = sampled ? new int[FUNCTIONS] : NO_MARKS;
        long[] ed = sampled ? new long[EDGES] : NO_TIMES;
        long[] times = sampled ? NO_TIMES : new long[FRAMES * FR_LONGS];
        frame = fr;
        eInts = ei;
        eLongs = el;
        fInts = fi;
        fLongs = fl;
        eOuter = eo;
        fnOuter = fo;
        eDirect = ed;
        frTimes = times;
    }

    // A slot's fields, for the readers of the tables (Session's totals).
    int eCaller(int e) { return eInts[e * E_INTS + E_CALLER]; }
    int eCallee(int e) { return eInts[e * E_INTS + E_CALLEE]; }
    int eFn(int e) { return eInts[e * E_INTS + E_FN]; }
    long eCalls(int e) { return eLongs[e * LONGS + CALLS]; }
    long eRec(int e) { return eLongs[e * LONGS + REC]; }
    long eTt(int e) { return eLongs[e * LONGS + TT]; }
    long eIt(int e) { return eLongs[e * LONGS + IT]; }
    int fnId(int f) { return fInts[f * F_INTS + F_ID]; }
    int fnLevel(int f) { return fInts[f * F_INTS + F_LEVEL]; }
    long fnCalls(int f) { return fLongs[f * LONGS + CALLS]; }
    long fnRec(int f) { return fLongs[f * LONGS + REC]; }
    long fnTt(int f) { return fLongs[f * LONGS + TT]; }
    long fnIt(int f) { return fLongs[f * LONGS + IT]; }

    /** The edge slot for a call of {@code callee} by {@code caller}, created on first use (warm-up only). */
    int edgeSlot(int caller, int callee) {
        long key = (long) caller << 32 | (callee & 0xffffffffL);
        // Most calls repeat an edge seen lately: the call before's (a loop calling one method, recursion) costs
        // one compare, others a method calls often two loads in a small direct-mapped cache; the lookup, out
        // of line, has the rest.
        if (key == lastEdgeKey) return lastEdgeSlot;
        long[] keys = cacheKeys;
        int line = (caller * 31 + callee) & (keys.length - 1);
        if (keys[line] == key) return rememberEdge(key, cacheSlots[line]);
        return rememberEdge(key, findEdge(key, caller, callee));
    }

    // No edge packs to Long.MIN_VALUE: caller ids are -1 (ROOT) or more.
    private long lastEdgeKey = Long.MIN_VALUE;
    private int lastEdgeSlot;
    /**
     * The cache's lines: none until the thread calls an edge again other than right after itself (a thread that
     * calls each edge once, a hundred thousand threads each waiting once on a latch, needs none); then as many
     * as the thread has edges, in powers of two, from 4 up to 8,192 (96 KB, a quarter of what that many edges
     * hold in the tables). A cap of 256 missed 27 % of the lookups on H2's and ecj's main threads (5,200 and
     * 19,000 edges), each a call out of line into the hash table; 8,192 lines miss 2 to 3 % (docs/performance.md).
     */
    private static final int EDGE_CACHE = 8192, EDGE_CACHE_FIRST = 4;
    /** The cache of a thread that has none: one line, which no key matches, shared and never written. */
    private static final long[] NO_CACHE_KEYS = {Long.MIN_VALUE};
    private static final int[] NO_CACHE_SLOTS = {0};
    private long[] cacheKeys = NO_CACHE_KEYS;
    private int[] cacheSlots = NO_CACHE_SLOTS;

    /** An empty cache of {@code lines} lines, both arrays made before either is stored (see {@link #newEdge}). */
    private void newEdgeCache(int lines) {
        long[] keys = new long[lines];
        int[] slots = new int[lines];
        Arrays.fill(keys, Long.MIN_VALUE);
        cacheKeys = keys;
        cacheSlots = slots;
    }

    private int rememberEdge(long key, int slot) {
        lastEdgeKey = key;
        return lastEdgeSlot = slot;
    }

    @NeverInline
    private int findEdge(long key, int caller, int callee) {
        int slot = hashSlots.length == 0 ? scanEdges(caller, callee) : hashedEdge(key, caller, callee);
        if (slot < 0) return newEdge(key, caller, callee);
        if (cacheKeys == NO_CACHE_KEYS) {
            // An edge called again, not right after itself: from now on the thread has a cache.
            int lines = EDGE_CACHE_FIRST;
            while (lines < edgeCount && lines < EDGE_CACHE) lines *= 2;
            newEdgeCache(lines);
        }
        int line = (caller * 31 + callee) & (cacheKeys.length - 1);
        cacheKeys[line] = key;
        cacheSlots[line] = slot;
        return slot;
    }

    private int scanEdges(int caller, int callee) {
        int[] ei = eInts;
        for (int s = 0, b = 0; s < edgeCount; s++, b += E_INTS) {
            if (ei[b + E_CALLER] == caller && ei[b + E_CALLEE] == callee) return s;
        }
        return -1;
    }

    private int hashedEdge(long key, int caller, int callee) {
        int mask = hashSlots.length - 1;
        for (int h = mix(key) & mask; ; h = (h + 1) & mask) {
            int slot = hashSlots[h] - 1;
            if (slot < 0) return -1;
            if (eCaller(slot) == caller && eCallee(slot) == callee) return slot;
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /*
     * Growing: every new array a change needs is made before any is stored, and the slot is written before the
     * count that shows it, so that an OutOfMemoryError (or a StackOverflowError) thrown by an allocation leaves the
     * tables as they were, each array as long as the others (Hooks then stops recording the thread).
     */
    @NeverInline
    private int newEdge(long key, int caller, int callee) {
        int slot = edgeCount;
        int fn = functionSlot(callee);
        int[] ei = eInts, eo = eOuter;
        long[] el = eLongs, ed = eDirect;
        if (slot >= ei.length / E_INTS) {
            int cap = Math.max(EDGES, slot * 2);
            ei = Arrays.copyOf(ei, cap * E_INTS);
            el = Arrays.copyOf(el, cap * LONGS);
            if (eo.length > 0) eo = Arrays.copyOf(eo, cap); // sampled mode's
            if (ed.length > 0) ed = Arrays.copyOf(ed, cap);
        }
        int[] hash = hashSlots;
        if (slot + 1 > SCAN && (slot + 1) * 2 > hash.length) hash = new int[Math.max(HASH, hash.length * 2)];
        boolean biggerCache = slot + 1 > cacheKeys.length && cacheKeys != NO_CACHE_KEYS && cacheKeys.length < EDGE_CACHE;
        if (biggerCache) {
            // More edges than lines: a bigger cache, empty (it refills as calls repeat).
            newEdgeCache(cacheKeys.length * 2);
            lastEdgeKey = Long.MIN_VALUE;
        }
        eInts = ei;
        eLongs = el;
        eOuter = eo;
        eDirect = ed;
        int b = slot * E_INTS;
        ei[b + E_CALLER] = caller;
        ei[b + E_CALLEE] = callee;
        ei[b + E_FN] = fn;
        if (eo.length > 0) eo[slot] = Integer.MAX_VALUE;
        edgeCount = slot + 1;
        if (hash != hashSlots) {
            for (int s = 0; s < slot; s++) insert(hash, mix(Session.Totals.edgeKey(eCaller(s), eCallee(s))), s);
            hashSlots = hash;
        }
        if (hash.length > 0) insert(hash, mix(key), slot);
        return slot;
    }

    /** Puts {@code slot} in the open-addressing {@code table} at the first free place from {@code hash}. */
    private static void insert(int[] table, int hash, int slot) {
        int mask = table.length - 1;
        int h = hash & mask;
        while (table[h] != 0) h = (h + 1) & mask;
        table[h] = slot + 1;
    }

    private int functionSlot(int id) {
        if (fnHash.length == 0) {
            for (int s = 0; s < fnCount; s++) if (fnId(s) == id) return s;
        } else {
            int mask = fnHash.length - 1;
            for (int h = mix(id) & mask; ; h = (h + 1) & mask) {
                int slot = fnHash[h] - 1;
                if (slot < 0) break;
                if (fnId(slot) == id) return slot;
            }
        }
        int slot = fnCount;
        int[] fi = fInts, fo = fnOuter, hash = fnHash;
        long[] fl = fLongs;
        if (slot >= fi.length / F_INTS) { // all made before any is stored, as in newEdge
            int cap = Math.max(FUNCTIONS, slot * 2);
            fi = Arrays.copyOf(fi, cap * F_INTS);
            fl = Arrays.copyOf(fl, cap * LONGS);
            if (fo.length > 0) fo = Arrays.copyOf(fo, cap);
        }
        if (slot + 1 > SCAN && (slot + 1) * 2 > hash.length) hash = new int[Math.max(HASH, hash.length * 2)];
        fInts = fi;
        fLongs = fl;
        fnOuter = fo;
        fi[slot * F_INTS + F_ID] = id;
        fnCount = slot + 1;
        if (hash != fnHash) {
            for (int s = 0; s < slot; s++) insert(hash, mix(fnId(s)), s);
            fnHash = hash;
        }
        if (hash.length > 0) insert(hash, mix(id), slot);
        return slot;
    }

    @NeverInline
    void growFrames() {
        int cap = frame.length * 2;
        long[] frames = Arrays.copyOf(frame, cap); // both made before either is stored, as in newEdge
        long[] times = frTimes.length > 0 ? Arrays.copyOf(frTimes, cap * FR_LONGS) : frTimes;
        frTimes = times;
        frame = frames;
    }

    /** The open call a new call is made from: the one on top, or {@link #NO_FRAME}. */
    long top() {
        int i = sp - 1;
        return i >= 0 ? frame[i] : NO_FRAME;
    }

    /**
     * {@code _lsprof.c}'s initContext after its lookups: open the frame and raise the recursion levels. A
     * StackOverflowError can stop it only before the frame shows, leaving the tables as they were.
     */
    void push(int id, int slot, long t0, int kind) {
        int i = sp;
        frame[i] = frameWord(id, slot, kind);
        long[] times = frTimes;
        int t = i * FR_LONGS;
        times[t + T0] = t0;
        times[t + SUBT] = 0;
        times[t + INNER] = 0;
        PathTable p = paths;
        if (p != null) p.enter(i, id); // before the frame shows: a popTop always finds its node
        // The frame before the pointer that shows it (a plain store on x86). Interpreted, the VarHandle is a call,
        // which a StackOverflowError can stop: so the levels are raised after it, by plain stores.
        SP.setRelease(this, i + 1);
        int[] ei = eInts;
        int e = slot * E_INTS;
        ei[e + E_LEVEL]++;
        fInts[ei[e + E_FN] * F_INTS + F_LEVEL]++;
    }

    /** Drops the top frame as if it had never been pushed (a built-in call that turned out to be a direct call). */
    @NeverInline
    void cancelTop() {
        int i = sp - 1;
        int slot = edgeOf(frame[i]);
        eInts[slot * E_INTS + E_LEVEL]--;
        fInts[eFn(slot) * F_INTS + F_LEVEL]--;
        sp = i;
    }

    /**
     * Sampled mode's push of a call of {@code id} through edge {@code slot}, made from the open call {@code caller}:
     * the call is counted as it opens, so closing it is only lowering {@link #sp}. Whether it is recursive (its
     * function, or its caller-callee edge, already open below it, as {@code _lsprof.c}'s recursion levels tell) is
     * read off the stack:
     * <ul>
     * <li>A caller open through the same edge makes both recursive: direct recursion is one count, in
     *     {@link #eDirect}.</li>
     * <li>Otherwise the outer arrays remember the frame of the function's and the edge's outermost open call, set
     *     only by a call that is not recursive. A frame below the top that still holds the same function (or
     *     edge) proves that call still open; and a marker that proves nothing means nothing is open, since the
     *     outermost call of whatever is open set it when it opened. A function not open below has no edge to it
     *     open below either, so its call sets both markers with one check.</li>
     * </ul>
     * Nothing is to be undone when calls close, not even when an exception closes many at once. A function's
     * calls are not counted here but summed from its edges' when the tables are read ({@link #callsOfFunctions}):
     * a copy taken between two of these stores then still has every function's calls equal to its callers', and
     * at most one recursive call not yet seen as such.
     */
    void pushCounted(int id, int slot, int kind, long caller) {
        int i = sp;
        frame[i] = frameWord(id, slot, kind);
        PathTable p = paths;
        if (p != null) p.enter(i, id);
        SP.setRelease(this, i + 1); // as in push: nothing counted before it, in case it is stopped
        if (p != null) p.count(i);
        if (edgeOf(caller) == slot) {
            eDirect[slot]++;
            return;
        }
        eLongs[slot * LONGS + CALLS]++;
        int fn = eFn(slot);
        int outer = fnOuter[fn];
        if (outer < i && funcOf(frame[outer]) == id) {
            countRecursive(slot, fn, i);
        } else {
            fnOuter[fn] = i;
            eOuter[slot] = i;
        }
    }

    /** {@link #pushCounted}'s recursion through another edge (mutual recursion, say): rarer, and kept out of line. */
    @NeverInline
    private void countRecursive(int slot, int fn, int i) {
        fLongs[fn * LONGS + REC]++;
        int outer = eOuter[slot];
        if (outer < i && edgeOf(frame[outer]) == slot) eLongs[slot * LONGS + REC]++;
        else eOuter[slot] = i;
    }

    /** Sampled mode: each function's calls, the sum of its edges' (see {@link #pushCounted}). */
    long[] callsOfFunctions() {
        long[] byFunction = new long[fnCount];
        int edges = Math.min(edgeCount, Math.min(eInts.length / E_INTS, eLongs.length / LONGS));
        for (int e = 0; e < edges; e++) {
            int fn = eFn(e);
            if (fn >= 0 && fn < byFunction.length) byFunction[fn] += eCalls(e);
        }
        return addByFunction(byFunction, eDirect);
    }

    /** Sampled mode: each function's recursive calls, those counted and its edges' direct ones. */
    long[] recursionsOfFunctions() {
        long[] byFunction = new long[fnCount];
        for (int f = 0; f < byFunction.length && f < fLongs.length / LONGS; f++) byFunction[f] = fnRec(f);
        return addByFunction(byFunction, eDirect);
    }

    private long[] addByFunction(long[] byFunction, long[] perEdge) {
        int edges = Math.min(edgeCount, Math.min(eInts.length / E_INTS, perEdge.length));
        for (int e = 0; e < edges; e++) {
            int fn = eFn(e);
            if (fn >= 0 && fn < byFunction.length) byFunction[fn] += perEdge[e];
        }
        return byFunction;
    }

    /** {@link #cancelTop} for a frame pushed by {@link #pushCounted}: its counts are taken back. */
    @NeverInline
    void cancelTopCounted() {
        int i = sp - 1;
        int slot = edgeOf(frame[i]);
        int fn = eFn(slot);
        if (paths != null) paths.uncount(i);
        if (i > 0 && edgeOf(frame[i - 1]) == slot) {
            eDirect[slot]--;
        } else {
            eLongs[slot * LONGS + CALLS]--;
            if (eOuter[slot] != i) eLongs[slot * LONGS + REC]--; // it was recursive: a call further down is the outermost
            if (fnOuter[fn] != i) fLongs[fn * LONGS + REC]--;
        }
        sp = i;
    }

    private static long nonNegative(long x) {
        return x & ~(x >> 63);
    }

    /** Closes the frame on top at time {@code t}: {@code _lsprof.c}'s Stop. */
    void popTop(long t) {
        long cost = Hooks.callCost;
        int i = sp - 1;
        int slot = edgeOf(frame[i]);
        // Calibration (see Calibration): between this call's two clock readings ran its own hooks' share of
        // the profiler's cost and two hooks of every call made within it, each costing about callCost. The
        // estimate is an average, so a call's own time could come out below zero: it is counted as none, and
        // the call as lasting as long as the calls within it, so that own times never add up to more than
        // the total of the call around them (cProfile's tottime <= cumtime, recursion included). Clamped
        // without a branch: for the shortest calls the sign is a coin toss, which a predictor would pay for.
        long[] times = frTimes;
        int t0 = i * FR_LONGS;
        long inner = times[t0 + INNER];
        long it = nonNegative(t - times[t0 + T0] - cost * (1 + 2 * inner) - times[t0 + SUBT]);
        long tt = times[t0 + SUBT] + it;
        closeTop(i, slot, inner, it, tt);
    }

    /**
     * popTop's changes, apart so that each method stays under the JIT's inlining limit for hot methods
     * (FreqInlineSize, 325 bytes of bytecode). Both calls, popTop's of this method and this method's of the
     * tree's exit, come before any change: a StackOverflowError stops a call as it enters (the stack is checked
     * there), before it changed anything, so the frame stays open and is closed again later, the node's figures
     * with the table's.
     */
    private void closeTop(int i, int slot, long inner, long it, long tt) {
        PathTable p = paths;
        if (p != null) p.exit(i, it, tt);
        if (i > 0) {
            long[] times = frTimes;
            int up = (i - 1) * FR_LONGS;
            times[up + SUBT] += tt;
            times[up + INNER] += inner + 1;
        }
        int[] ei = eInts;
        int e = slot * E_INTS;
        int fn = ei[e + E_FN];
        long[] fl = fLongs;
        int f = fn * LONGS;
        if (--fInts[fn * F_INTS + F_LEVEL] == 0) fl[f + TT] += tt;
        else fl[f + REC]++;
        fl[f + IT] += it;
        fl[f + CALLS]++;
        long[] el = eLongs;
        int l = slot * LONGS;
        if (--ei[e + E_LEVEL] == 0) el[l + TT] += tt;
        else el[l + REC]++;
        el[l + IT] += it;
        el[l + CALLS]++;
        sp = i;
    }

    /** Closes open frames down to {@code depth} at time {@code t}. */
    @NeverInline
    void popTo(int depth, long t) {
        while (sp > depth) popTop(t);
    }

    // ------------------------------------------------------------------ sampled times

    // Written only by the sampler thread, under the session's lock (as are the dump's reads of them): the times a
    // sample gives, per function slot and per edge slot, beside the exact counts this thread keeps itself.
    private static final long[] NO_TIMES = new long[0];
    private static final int[] NO_MARKS = new int[0];
    private long[] sFnTt = NO_TIMES, sFnIt = NO_TIMES, sETt = NO_TIMES, sEIt = NO_TIMES;
    private int[] sFnMark = NO_MARKS, sEMark = NO_MARKS;
    private int sampleMark;

    /**
     * Called by the sampler thread while this thread runs: reads the stack as it is now and gives the
     * {@code dt} ticks this sample weighs ({@link #sampleWeight}, {@link #sampleWeightCpu}) the way cProfile's
     * rules would have: own time to the
     * function on top (and to the edge it was called through), cumulative time once to every distinct function
     * and every distinct edge on the stack (a recursive function's inner calls add nothing, as in
     * {@code _lsprof.c}, where only the outermost call adds its total time).
     * <p>
     * The reads race with this thread's pushes and pops, without a lock; that is what a sample is. Every index is
     * checked, so a torn read only misplaces one sample; it never throws.
     */
    void sample(long dt) {
        int depth = sp;
        long[] frames = frame;
        int[] edgeInts = eInts;
        depth = Math.min(depth, frames.length);
        if (depth <= 0 || dt <= 0) return;
        PathTable tree = paths;
        if (tree != null) tree.beginSample();
        int mark = ++sampleMark;
        for (int i = depth - 1; i >= 0; i--) {
            // Read once: the thread may replace the frame meanwhile (one call after another at the same depth),
            // and the table's function (through the edge) and the tree's must come from the same call.
            long word = frames[i];
            int slot = edgeOf(word);
            if (slot < 0 || slot >= edgeInts.length / E_INTS) continue;
            int fn = edgeInts[slot * E_INTS + E_FN];
            if (fn < 0) continue;
            // Tree and table take the same frames: one the tree cannot place (a torn read) is left out of both.
            if (tree != null && !tree.sampleAt(i, depth, dt, funcOf(word))) continue;
            if (slot >= sETt.length || fn >= sFnTt.length) growSampled(slot, fn);
            if (i == depth - 1) {
                sFnIt[fn] += dt;
                sEIt[slot] += dt;
            }
            if (sEMark[slot] != mark) {
                sEMark[slot] = mark;
                sETt[slot] += dt;
            }
            if (sFnMark[fn] != mark) {
                sFnMark[fn] = mark;
                sFnTt[fn] += dt;
            }
        }
    }

    /** The sampler's arrays, as long as the tables' first sizes at first, doubled as the tables grow. */
    private void growSampled(int slot, int fn) {
        // Each group made whole before it is stored: the sampler survives an OutOfMemoryError (Sampler's run).
        if (slot >= sETt.length) {
            int cap = Math.max(slot + 1, Math.max(EDGES, sETt.length * 2));
            long[] tt = Arrays.copyOf(sETt, cap), it = Arrays.copyOf(sEIt, cap);
            int[] marks = Arrays.copyOf(sEMark, cap);
            sETt = tt;
            sEIt = it;
            sEMark = marks;
        }
        if (fn >= sFnTt.length) {
            int cap = Math.max(fn + 1, Math.max(FUNCTIONS, sFnTt.length * 2));
            long[] tt = Arrays.copyOf(sFnTt, cap), it = Arrays.copyOf(sFnIt, cap);
            int[] marks = Arrays.copyOf(sFnMark, cap);
            sFnTt = tt;
            sFnIt = it;
            sFnMark = marks;
        }
    }

    long sampledFnTt(int fn) { return fn < sFnTt.length ? sFnTt[fn] : 0; }
    long sampledFnIt(int fn) { return fn < sFnIt.length ? sFnIt[fn] : 0; }
    long sampledETt(int slot) { return slot < sETt.length ? sETt[slot] : 0; }
    long sampledEIt(int slot) { return slot < sEIt.length ? sEIt[slot] : 0; }

    /**
     * Sampled mode: the weight of a sample {@code elapsed} nanoseconds after the one before, by the wall clock:
     * that time, but only since the state was made (a thread born between two samples gets only its share), and
     * less the profiler's own work on the thread meanwhile.
     */
    long sampleWeight(long now, long elapsed) {
        return Math.max(0, Math.min(elapsed, now - born) - takePaused(now));
    }

    /**
     * sampled-cpu: the weight of a sample in which the thread used {@code used} nanoseconds of CPU time (for a
     * virtual thread, its carrier's), less what the profiler's own work on it used meanwhile. {@code clockNow}
     * is the clock the thread's pauses were measured by, now: its CPU clock, or for a virtual thread the wall.
     */
    long sampleWeightCpu(long used, long clockNow) {
        return Math.max(0, used - takePaused(clockNow));
    }

    // ------------------------------------------------------------------ the profiler's own work

    /*
     * The profiler's own work done on this thread (a class transformed while the thread loads it) is not the
     * program's time, as _lsprof.c runs no Python code between the two clock readings of a call: begun and ended
     * by this thread (Hooks.beginOwnWork/endOwnWork), kept out of the open calls' times in exact mode by moving
     * their start times forward by its duration, and out of the samples by these two fields, which the sampler
     * reads. Its calls into the program's code (a class loader's getResource, say) are not recorded.
     */
    private static final long NOT_PAUSED = Long.MIN_VALUE;
    /** The pause clock when the work in progress began, or NOT_PAUSED. */
    private volatile long pausedSince = NOT_PAUSED;
    /** The pause clock's time of all the work done, in total (written by this thread only). */
    private volatile long pausedTotal;
    /** The sampler's: the pause time already taken out of the samples. */
    private long pausedTaken;
    private int pauseDepth;
    private boolean pauseStoppedRecording;
    private long pauseStart;
    /** Whether the thread is virtual: set when the state is made, under the CPU timers. */
    boolean virtual;
    /** sampled-cpu: the thread's CPU clock at the last sample (or when the state was made); -1 if unknown. */
    long lastCpu = -1;

    /** The profiler's own work begins on this thread; nested work (a class loaded while one is transformed) is part of it. */
    void beginPause() {
        if (pauseDepth++ > 0 || !recording) return;
        recording = false;
        pauseStoppedRecording = true;
        long t = pauseClock();
        pauseStart = t;
        pausedSince = t;
    }

    /** The profiler's own work ends: its duration is taken out of the open calls (exact mode) or the samples. */
    void endPause() {
        if (pauseDepth == 0 || --pauseDepth > 0 || !pauseStoppedRecording) return;
        pauseStoppedRecording = false;
        long d = Math.max(0, pauseClock() - pauseStart);
        if (d > 0 && !Session.isSampled(session.timer)) {
            // No call opened or closed during the pause (recording was off): the open ones simply started later.
            beginWrite();
            for (int i = 0; i < sp; i++) frTimes[i * FR_LONGS + T0] += d;
            endWrite();
        }
        pausedTotal += d;
        pausedSince = NOT_PAUSED;
        recording = mayRecord();
    }

    /** The clock pauses are measured by: the timer's own, or for a virtual thread under sampled-cpu the wall. */
    private long pauseClock() {
        switch (session.timer) {
            case Session.TIMER_CPU:
                return Clocks.currentThreadCpu();
            case Session.TIMER_SAMPLED_CPU:
                return virtual ? System.nanoTime() : Clocks.currentThreadCpu();
            case Session.TIMER_CUSTOM:
                try {
                    return session.customTimer.getAsLong();
                } catch (Throwable t) {
                    return 0;
                }
            default:
                return System.nanoTime();
        }
    }

    /**
     * The sampler's share of the pauses: how much of the pause clock went to the profiler's work since the
     * sample before, {@code clockNow} being that clock now. Read without a lock: a pause that ends while it is
     * read is counted at the next sample.
     */
    private long takePaused(long clockNow) {
        long since = pausedSince;
        long total = pausedTotal;
        if (pausedSince != since) return 0;
        long upTo = since == NOT_PAUSED ? total : total + Math.max(0, clockNow - since);
        long d = upTo - pausedTaken;
        if (d <= 0) return 0;
        pausedTaken = upTo;
        return d;
    }

    /**
     * A consistent copy of the tables, for a dump that must not disturb a thread still running: taken between two
     * of its hooks. A thread left inside a hook for good (an error thrown there) is copied as it is after a while.
     * With {@code readClock}, the copy's {@link #copiedAt} is the thread's clock at a moment when its tables were
     * exactly the copy: read after the copy and before the count is checked again, so that a call which returns
     * after the copy is not closed later than it returned (it would get time nobody spent in it).
     */
    ThreadState consistentCopy(boolean readClock) {
        long deadline = System.nanoTime() + 200_000_000L;
        // Tries, not only time: a dump thread descheduled past the deadline (a loaded machine) must not take a
        // torn copy at its first try after it.
        for (int tries = 1; ; tries++) {
            int before = (int) SEQ.getAcquire(this);
            if ((before & 1) == 0) {
                ThreadState c = copy();
                VarHandle.loadLoadFence(); // the copy is read before the clock and the count
                if (readClock) c.copiedAt = Clocks.now(session, thread);
                VarHandle.loadLoadFence(); // the clock is read before the count is read again
                if ((int) SEQ.getAcquire(this) == before) return c;
            }
            // A dead thread or one past the deadline will not finish its hook.
            if (!thread.isAlive() || tries >= 64 && System.nanoTime() - deadline > 0) {
                ThreadState c = copy();
                if (readClock) c.copiedAt = Clocks.now(session, thread);
                return c;
            }
            Thread.yield(); // a preempted thread gets to finish its hook
        }
    }

    /** In a copy made by {@link #consistentCopy}: the thread's clock when its tables were as copied. */
    long copiedAt;

    /**
     * The figures of this thread, ended (its tables final), in arrays no longer than what it called, without its
     * stack, hash tables or thread: what a profile per thread keeps of each ended thread. Read by
     * {@link Session.Totals#add} only.
     */
    ThreadState ended() {
        ThreadState c = new ThreadState(session, null, epoch, false);
        int e = edgeCount, f = fnCount;
        c.sp = 0;
        c.edgeCount = e;
        c.fnCount = f;
        c.eInts = Arrays.copyOf(eInts, e * E_INTS);
        c.eLongs = Arrays.copyOf(eLongs, e * LONGS);
        c.eDirect = eDirect.length == 0 ? NO_TIMES : Arrays.copyOf(eDirect, e);
        c.fInts = Arrays.copyOf(fInts, f * F_INTS);
        c.fLongs = Arrays.copyOf(fLongs, f * LONGS);
        c.sFnTt = sFnTt.length == 0 ? NO_TIMES : Arrays.copyOf(sFnTt, Math.min(f, sFnTt.length));
        c.sFnIt = sFnIt.length == 0 ? NO_TIMES : Arrays.copyOf(sFnIt, Math.min(f, sFnIt.length));
        c.sETt = sETt.length == 0 ? NO_TIMES : Arrays.copyOf(sETt, Math.min(e, sETt.length));
        c.sEIt = sEIt.length == 0 ? NO_TIMES : Arrays.copyOf(sEIt, Math.min(e, sEIt.length));
        c.frame = c.frTimes = NO_TIMES;
        c.eOuter = c.fnOuter = c.fnHash = c.hashSlots = NO_MARKS;
        c.cacheKeys = NO_CACHE_KEYS;
        c.cacheSlots = NO_CACHE_SLOTS;
        c.paths = paths == null ? null : paths.copy();
        return c;
    }

    /** A copy of the tables as they are now. */
    private ThreadState copy() {
        ThreadState c = new ThreadState(session, thread, epoch, false);
        c.virtual = virtual;
        c.sp = (int) SP.getAcquire(this); // then the frames it shows
        // The sampler's arrays: the caller holds the session's lock, so the sampler is not writing them.
        c.sFnTt = sFnTt.clone();
        c.sFnIt = sFnIt.clone();
        c.sETt = sETt.clone();
        c.sEIt = sEIt.clone();
        c.frame = frame.clone();
        c.frTimes = frTimes.clone();
        // The counts before the slots: a new slot is written before the count that shows it.
        int edges = edgeCount, functions = fnCount;
        VarHandle.loadLoadFence();
        // Arrays grow while we read them: keep only what every array holds.
        c.eInts = eInts.clone();
        c.eLongs = eLongs.clone();
        c.eDirect = eDirect.clone();
        c.fInts = fInts.clone();
        c.fLongs = fLongs.clone();
        c.edgeCount = Math.min(edges, Math.min(Math.min(c.eInts.length / E_INTS, c.eLongs.length / LONGS),
                c.eDirect.length == 0 ? Integer.MAX_VALUE : c.eDirect.length));
        c.fnCount = Math.min(functions, Math.min(c.fInts.length / F_INTS, c.fLongs.length / LONGS));
        c.paths = paths == null ? null : paths.copy();
        // A frame whose edge was created after the arrays were read cannot be closed: keep the consistent prefix.
        // (Sampled mode keeps no times: only the frames count.)
        int frames = c.frTimes.length == 0 ? c.frame.length : Math.min(c.frame.length, c.frTimes.length / FR_LONGS);
        int depth = 0;
        while (depth < Math.min(c.sp, frames) && edgeOf(c.frame[depth]) < c.edgeCount
                && c.eFn(edgeOf(c.frame[depth])) < c.fnCount && (c.paths == null || c.paths.holds(depth))) depth++;
        c.sp = depth;
        // The recursion levels are those of the open calls: taken from the stack, not from the levels a call
        // being opened may have raised already.
        for (int e = 0; e < c.edgeCount; e++) c.eInts[e * E_INTS + E_LEVEL] = 0;
        for (int f = 0; f < c.fnCount; f++) c.fInts[f * F_INTS + F_LEVEL] = 0;
        for (int i = 0; i < depth; i++) {
            int slot = edgeOf(c.frame[i]);
            c.eInts[slot * E_INTS + E_LEVEL]++;
            c.fInts[c.eFn(slot) * F_INTS + F_LEVEL]++;
        }
        return c;
    }
}
