package dev.jcprofile.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One thread's calling-context tree (recorded with {@code tree=true}): a node per distinct call path, numbered in
 * creation order (a parent before its children), with the calls of the path's last function along that path, their
 * own time and their total time in raw ticks, as {@link ThreadState#popTop} computes them for the function. No
 * node is ever open twice at once (each level of a recursion is a node of its own), so a node's total time is the
 * sum of its calls' durations, and a function's cumulative time (cProfile's, counted at the outermost call) is the
 * sum of the total times of its nodes with no ancestor of the same function.
 * <p>
 * Bounds, so that memory never grows without bound: a path deeper than {@link #MAX_DEPTH} calls is charged, from
 * that depth on, to one node of the pseudo-function {@link #DEEP} under the node at the cap; once the session holds
 * {@link Budget}'s node cap, a new path is charged to a node of the pseudo-function {@link #WIDE} under its parent
 * (one per parent at most). Both are sticky: every call made within them is charged to them too, its own time
 * added, its total time already within theirs. So the tables hold at most twice the cap, plus the deep nodes.
 * <p>
 * Hot path: opening a call finds its node by one probe of an open-addressing table (the parent node and the
 * function are the key); only a new path, or a call past a cap, goes out of line. Each table starts with room for
 * four nodes and doubles when full. Sampled mode's times are written by the sampler thread alone, in arrays of
 * their own ({@link #sample}).
 */
public final class PathTable {
    /** The pseudo-function of calls deeper than {@link #MAX_DEPTH}. */
    public static final int DEEP = -2;
    /** The pseudo-function of paths made after the session's node cap was reached. */
    public static final int WIDE = -3;
    /** The parent of a root. */
    public static final int ROOT = -1;
    /** Calls kept level by level: the depth (in calls, the outermost being 1) up to which every call has its node. */
    public static final int MAX_DEPTH = 1024;
    /** The nodes a session keeps at most (live threads' and ended threads' together), pseudo-nodes aside. */
    public static final int MAX_NODES = 1_000_000;

    private static final int FIRST = 4;
    private static final long[] NO_TIMES = new long[0];

    /** The session's node count, shared by its tables; null for a table that is a copy (never grows past its source). */
    final Budget budget;

    int count;
    /** Nodes this table took from its budget (pseudo-nodes take none). */
    int taken;
    int[] parent = new int[FIRST], fn = new int[FIRST];
    long[] calls = new long[FIRST], it = new long[FIRST], tt = new long[FIRST];
    /** (parent, function) -> node + 1, open addressing; 0 is empty. */
    private int[] hash = new int[FIRST * 2];
    /**
     * The node of each open call, by its depth on the thread's stack (index as ThreadState's frames); above the
     * stack, the node last opened at that depth, or -1.
     */
    int[] nodeAt = noNodes(FIRST);

    // Sampled mode: the sampler's times per node (the sampler thread writes them, under the session's lock).
    long[] sIt = NO_TIMES, sTt = NO_TIMES;

    PathTable(Budget budget) {
        this.budget = budget;
    }

    /** A session's count of nodes, against {@link #MAX_NODES}; added to without a lock (node creation only). */
    static final class Budget {
        private final int max;
        @SuppressWarnings("unused") private volatile int used;
        private static final VarHandle USED;

        static {
            try {
                USED = MethodHandles.lookup().findVarHandle(Budget.class, "used", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Budget(int max) {
            this.max = max;
        }

        /** Takes one node if the cap allows it. */
        boolean take() {
            if ((int) USED.getOpaque(this) >= max) return false;
            return (int) USED.getAndAdd(this, 1) < max;
        }

        boolean exhausted() {
            return (int) USED.getOpaque(this) >= max;
        }

        void release(int nodes) {
            USED.getAndAdd(this, -nodes);
        }

        /** Runs the VarHandle accesses once before any hook can (see ThreadState#linkVarHandles). */
        static void link() {
            Budget b = new Budget(1);
            b.take();
            b.release(1);
            if (b.exhausted()) throw new AssertionError();
        }
    }

    // ------------------------------------------------------------------ the hot path

    private static int[] noNodes(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    /** A call of function {@code id} opens at stack depth {@code i}: finds its node. Before the frame shows. */
    void enter(int i, int id) {
        int[] at = nodeAt;
        if (i >= at.length) at = growDepth(i);
        int p = i == 0 ? ROOT : at[i - 1];
        // Most calls repeat the call made last at the same depth (a loop calling one method, a recursion's
        // siblings): its node, still in place, is checked first.
        int last = at[i];
        if (last >= 0 && fn[last] == id && parent[last] == p) return;
        at[i] = lookup(p, id, i);
    }

    private int lookup(int p, int id, int i) {
        int[] h = hash;
        int mask = h.length - 1;
        for (int s = mix(p, id) & mask; ; s = (s + 1) & mask) {
            int n = h[s] - 1;
            if (n < 0) break;
            if (fn[n] == id && parent[n] == p) return n;
        }
        return newPath(p, id, i);
    }

    /** Exact mode: the call at depth {@code i} closes with own time {@code own} and total time {@code total}. */
    void exit(int i, long own, long total) {
        int n = nodeAt[i];
        calls[n]++;
        it[n] += own;
        // Within a sticky node (see the class comment), only its outermost call's total counts.
        if (i == 0 || nodeAt[i - 1] != n) tt[n] += total;
    }

    /** Sampled mode: the call at depth {@code i} is counted as it opens. */
    void count(int i) {
        calls[nodeAt[i]]++;
    }

    /** Sampled mode: the call at depth {@code i} was not one after all (ThreadState#cancelTopCounted). */
    void uncount(int i) {
        calls[nodeAt[i]]--;
    }

    @NeverInline
    private int[] growDepth(int i) {
        int[] at = noNodes(Math.max(i + 1, nodeAt.length * 2));
        System.arraycopy(nodeAt, 0, at, 0, nodeAt.length);
        nodeAt = at;
        return at;
    }

    /** A call whose (parent, function) has no node yet: a new path, or a call past a cap. */
    @NeverInline
    private int newPath(int p, int id, int depth) {
        if (p >= 0 && fn[p] < 0) return p; // within a DEEP or WIDE node: charged to it
        if (depth >= MAX_DEPTH) return pseudo(p, DEEP);
        if (budget != null) {
            if (!budget.take()) return pseudo(p, WIDE);
            taken++;
        }
        return create(p, id);
    }

    /** The DEEP or WIDE node under {@code p}, made beyond the cap if new. */
    private int pseudo(int p, int kind) {
        int n = find(p, kind);
        return n >= 0 ? n : create(p, kind);
    }

    private int find(int p, int id) {
        int mask = hash.length - 1;
        for (int s = mix(p, id) & mask; ; s = (s + 1) & mask) {
            int n = hash[s] - 1;
            if (n < 0) return -1;
            if (fn[n] == id && parent[n] == p) return n;
        }
    }

    /**
     * Appends a node. Arrays are grown into locals and stored after, and the count raised last, so that an error
     * thrown halfway (a StackOverflowError) leaves the table as it was, and a copy never sees a node half made.
     */
    private int create(int p, int id) {
        int n = count;
        if (n == parent.length || n == fn.length || n == calls.length || n == it.length || n == tt.length) {
            int cap = Math.max(FIRST, n * 2);
            int[] np = Arrays.copyOf(parent, cap), nf = Arrays.copyOf(fn, cap);
            long[] nc = Arrays.copyOf(calls, cap), ni = Arrays.copyOf(it, cap), nt = Arrays.copyOf(tt, cap);
            parent = np;
            fn = nf;
            calls = nc;
            it = ni;
            tt = nt;
        }
        parent[n] = p;
        fn[n] = id;
        if ((n + 1) * 2 > hash.length) {
            int[] h = new int[hash.length * 2];
            for (int m = 0; m < n; m++) insert(h, parent[m], fn[m], m);
            insert(h, p, id, n);
            count = n + 1;
            hash = h;
        } else {
            count = n + 1;
            insert(hash, p, id, n);
        }
        return n;
    }

    private static void insert(int[] table, int p, int id, int node) {
        int mask = table.length - 1;
        int s = mix(p, id) & mask;
        while (table[s] != 0) s = (s + 1) & mask;
        table[s] = node + 1;
    }

    private static int mix(int p, int id) {
        long h = ((long) p << 32 ^ (id & 0xffffffffL)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    // ------------------------------------------------------------------ sampled times

    // The sampler's view of the stack during one sample: read once, as ThreadState#sample reads its frames.
    private int[] sampling;
    private int sampleKnown;

    /**
     * The sampler thread begins a sample of this thread's stack (see {@link ThreadState#sample}), which then
     * calls {@link #sampleAt} for each frame from the top down, as it reads the frame itself: the tree sees the
     * stack as the table does, at the same moments.
     */
    void beginSample() {
        sampling = nodeAt;
        sampleKnown = count;
    }

    /**
     * The frame at depth {@code i} of a stack {@code depth} deep, a call of function {@code id}, in a sample
     * weighing {@code dt} ticks: own time to the node on top, total time once to each node on the stack (nodes are
     * distinct along a stack, a sticky node's run of frames aside). Races with the thread's pushes and pops: a node
     * not yet made, or one left at this depth by a call of another function, takes nothing, and the answer
     * false tells the caller to leave the frame out of the table too, so that tree and table agree to the sample.
     */
    boolean sampleAt(int i, int depth, long dt, int id) {
        int[] at = sampling;
        if (i >= at.length) return false;
        int n = at[i];
        int[] f = fn;
        if (n < 0 || n >= sampleKnown || n >= f.length || f[n] >= 0 && f[n] != id) return false; // DEEP, WIDE take any
        if (n >= sTt.length) {
            int cap = Math.max(n + 1, Math.max(FIRST * 4, sTt.length * 2));
            long[] own = Arrays.copyOf(sIt, cap), total = Arrays.copyOf(sTt, cap); // both before either is stored
            sIt = own;
            sTt = total;
        }
        if (i == depth - 1) sIt[n] += dt;
        if (i == 0 || at[i - 1] != n) sTt[n] += dt;
        return true;
    }

    // ------------------------------------------------------------------ reading, copying, merging

    /** The nodes. */
    public int size() { return count; }
    /** A node's parent node, or {@link #ROOT}. */
    public int parent(int node) { return parent[node]; }
    /** A node's function: a {@link Registry} id, or {@link #DEEP} or {@link #WIDE}. */
    public int function(int node) { return fn[node]; }
    public long calls(int node) { return calls[node]; }
    /** Own time in raw ticks: exact mode's, plus the samples'. */
    public long ownTicks(int node) { return it[node] + (node < sIt.length ? sIt[node] : 0); }
    /** Total time in raw ticks: exact mode's, plus the samples'. */
    public long totalTicks(int node) { return tt[node] + (node < sTt.length ? sTt[node] : 0); }

    /**
     * A copy of the table as it is now, for a dump that must not disturb the thread: only nodes every array holds
     * (the thread may be adding one). Sampled times are read under the session's lock, so the sampler is not
     * writing them.
     */
    PathTable copy() {
        PathTable c = new PathTable(null);
        int[] p = parent, f = fn;
        long[] n = calls, i = it, t = tt;
        int k = Math.min(count, Math.min(Math.min(p.length, f.length), Math.min(n.length, Math.min(i.length, t.length))));
        c.count = k;
        c.parent = Arrays.copyOf(p, Math.max(k, 1));
        c.fn = Arrays.copyOf(f, Math.max(k, 1));
        c.calls = Arrays.copyOf(n, Math.max(k, 1));
        c.it = Arrays.copyOf(i, Math.max(k, 1));
        c.tt = Arrays.copyOf(t, Math.max(k, 1));
        int size = FIRST * 2;
        while (size < k * 2) size *= 2;
        c.hash = new int[size]; // of the nodes copied only
        for (int m = 0; m < k; m++) insert(c.hash, c.parent[m], c.fn[m], m);
        c.nodeAt = nodeAt.clone();
        c.sIt = sIt.length == 0 ? NO_TIMES : sIt.clone();
        c.sTt = sTt.length == 0 ? NO_TIMES : sTt.clone();
        return c;
    }

    /** Whether the open call at depth {@code i} of a copy has its node in the copy (see ThreadState's copy). */
    boolean holds(int i) {
        return i < nodeAt.length && nodeAt[i] >= 0 && nodeAt[i] < count;
    }

    /** An empty table to merge ended threads' tables into, counted against {@code budget} (or none). */
    static PathTable kept(Budget budget) {
        return new PathTable(budget);
    }

    /**
     * Adds every path of {@code other} to this table, path by path, within this table's budget: a path that does
     * not fit is charged to a WIDE node under the deepest part that does, as recording would have.
     */
    void addAll(PathTable other) {
        int[] mapped = new int[other.count];
        for (int n = 0; n < other.count; n++) {
            int p = other.parent[n] == ROOT ? ROOT : mapped[other.parent[n]];
            int id = other.fn[n];
            int m;
            if (p >= 0 && fn[p] < 0) m = p;
            else if ((m = find(p, id)) < 0) m = id < 0 ? create(p, id) : newPath(p, id, 0);
            mapped[n] = m;
            calls[m] += other.calls[n];
            it[m] += other.ownTicks(n);
            if (m != p) tt[m] += other.totalTicks(n);
        }
    }
}
