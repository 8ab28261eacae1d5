package dev.jcprofile.format;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The content of a pstats file in flat arrays: pstats's {@code {(file, line, name): (cc, nc, tt, ct, callers)}}
 * with {@code callers = {(file, line, name): (nc, cc, tt, ct)}} (cProfile) or {@code {...: count}} ({@code profile}).
 *
 * <p>Entries keep the dict's insertion order, which pstats shows as its "random listing order". Keys are interned
 * into dense ids; an edge names its caller (for a function's callers) by key id. A profile of a million edges is a
 * handful of arrays, not a million objects.
 */
public final class ProfileData {
    // Key table: every key seen, as a function or as a caller.
    FunctionKey[] keys;
    int keyCount;
    // Open addressing over key ids (id + 1; 0 is empty): no boxing, no nodes, one array to probe.
    private int[] keyTable;
    int[] entryOfKey; // key id -> entry index, or -1

    // Entries, in dict order.
    int entryCount;
    int[] entryKey;
    long[] cc, nc;
    double[] tt, ct;
    int[] edgeStart, edgeEnd;

    // Edges: each entry's callers occupy [edgeStart, edgeEnd).
    int edgeCount;
    int[] edgeKey;
    long[] edgeNc, edgeCc;
    double[] edgeTt, edgeCt;
    boolean[] edgeIsCount;

    /*
     * Counts are Python ints, of any size. Those that fit in a long (all of them, in any real profile) live in the
     * long arrays above and cost nothing more. One that does not is kept here, exactly, at the same index, while its
     * long slot holds Long.MAX_VALUE or Long.MIN_VALUE by its sign, so that sign tests and comparisons with ordinary
     * counts stay right without a look here. The arrays exist only once such a count has appeared.
     */
    BigInteger[] bigCc, bigNc, bigEdgeNc, bigEdgeCc;

    public ProfileData() {
        this(16, 16);
    }

    ProfileData(int expectedEntries, int expectedEdges) {
        int k = Math.max(16, expectedEntries);
        keys = new FunctionKey[k];
        keyTable = new int[Integer.highestOneBit(k * 2) * 2];
        entryOfKey = new int[k];
        entryKey = new int[k];
        cc = new long[k];
        nc = new long[k];
        tt = new double[k];
        ct = new double[k];
        edgeStart = new int[k];
        edgeEnd = new int[k];
        int e = Math.max(16, expectedEdges);
        edgeKey = new int[e];
        edgeNc = new long[e];
        edgeCc = new long[e];
        edgeTt = new double[e];
        edgeCt = new double[e];
        edgeIsCount = new boolean[e];
    }

    /** The calling-context tree recorded beside the pairs, or null: a pstats file need not have one. */
    private CallTree tree;

    public CallTree tree() { return tree; }
    public void setTree(CallTree tree) { this.tree = tree; }

    // ---- reading ----

    /** Number of functions. */
    public int size() { return entryCount; }
    public FunctionKey key(int entry) { return keys[entryKey[entry]]; }
    public int keyId(int entry) { return entryKey[entry]; }
    /**
     * The primitive call count; a count beyond a long (see {@link #exactPrimitiveCalls}) reads as
     * Long.MAX_VALUE or Long.MIN_VALUE.
     */
    public long primitiveCalls(int entry) { return cc[entry]; }
    /** The call count; a count beyond a long (see {@link #exactCalls}) reads as Long.MAX_VALUE or Long.MIN_VALUE. */
    public long calls(int entry) { return nc[entry]; }
    /** True once any count does not fit in a long: then the exact accessors must be used. */
    public boolean hasBigCounts() { return bigCc != null || bigNc != null || bigEdgeNc != null || bigEdgeCc != null; }
    /** The primitive call count, exactly: a Long, or a BigInteger beyond a long. */
    public Number exactPrimitiveCalls(int entry) { return exact(cc, bigCc, entry); }
    /** The call count, exactly: a Long, or a BigInteger beyond a long. */
    public Number exactCalls(int entry) { return exact(nc, bigNc, entry); }
    public Number exactEdgeCalls(int edge) { return exact(edgeNc, bigEdgeNc, edge); }
    public Number exactEdgePrimitiveCalls(int edge) { return exact(edgeCc, bigEdgeCc, edge); }

    static Number exact(long[] small, BigInteger[] big, int i) {
        if (big != null && big[i] != null) return big[i];
        return small[i];
    }
    /** pstats's tt, "tottime": time in the function itself. */
    public double ownTime(int entry) { return tt[entry]; }
    /** pstats's ct, "cumtime". */
    public double cumulativeTime(int entry) { return ct[entry]; }
    public Figures figures(int entry) { return new Figures(nc[entry], cc[entry], tt[entry], ct[entry]); }
    public int callersStart(int entry) { return edgeStart[entry]; }
    public int callersEnd(int entry) { return edgeEnd[entry]; }

    public FunctionKey keyById(int keyId) { return keys[keyId]; }
    public int keyCount() { return keyCount; }
    /** The entry of a key, or -1. */
    public int entryOf(FunctionKey key) {
        int id = find(key);
        return id < 0 ? -1 : entryOfKey[id];
    }

    /** The id of a key, or -1. */
    public int find(FunctionKey key) {
        int mask = keyTable.length - 1;
        for (int h = spread(key.hashCode()) & mask; ; h = (h + 1) & mask) {
            int id = keyTable[h] - 1;
            if (id < 0) return -1;
            if (keys[id].equals(key)) return id;
        }
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    public int edgeKey(int edge) { return edgeKey[edge]; }
    /** An edge's call count; beyond a long, see {@link #exactEdgeCalls}. */
    public long edgeCalls(int edge) { return edgeNc[edge]; }
    /** An edge's primitive call count; beyond a long, see {@link #exactEdgePrimitiveCalls}. */
    public long edgePrimitiveCalls(int edge) { return edgeCc[edge]; }
    public double edgeOwnTime(int edge) { return edgeTt[edge]; }
    public double edgeCumulativeTime(int edge) { return edgeCt[edge]; }
    /** A cProfile edge's figures (for a {@link #edgeIsCount count} edge: its count as calls and primitive calls). */
    public Figures edgeFigures(int edge) { return new Figures(edgeNc[edge], edgeCc[edge], edgeTt[edge], edgeCt[edge]); }
    /** True for the {@code profile} module's edges, a plain call count instead of a 4-tuple. */
    public boolean edgeIsCount(int edge) { return edgeIsCount[edge]; }

    // ---- building ----

    private void rehashKeys() {
        int[] table = new int[keyTable.length * 2];
        int mask = table.length - 1;
        for (int id = 0; id < keyCount; id++) {
            int h = spread(keys[id].hashCode()) & mask;
            while (table[h] != 0) h = (h + 1) & mask;
            table[h] = id + 1;
        }
        keyTable = table;
    }

    /** The dense id of a key, adding it to the key table if new. */
    public int intern(FunctionKey key) {
        int mask = keyTable.length - 1;
        int h = spread(key.hashCode()) & mask;
        for (; keyTable[h] != 0; h = (h + 1) & mask) {
            int id = keyTable[h] - 1;
            if (keys[id].equals(key)) return id;
        }
        int n = keyCount;
        if (n == keys.length) {
            int cap = n * 2;
            keys = Arrays.copyOf(keys, cap);
            entryOfKey = Arrays.copyOf(entryOfKey, cap);
        }
        keys[n] = key;
        entryOfKey[n] = -1;
        keyTable[h] = n + 1;
        keyCount = n + 1;
        if (keyCount * 2 > keyTable.length) rehashKeys();
        return n;
    }

    /**
     * Starts (or, for a key already present, restarts: a later duplicate replaces the value and keeps the position,
     * as a Python dict does) the entry of a key; callers added next belong to it.
     */
    public int beginEntry(int keyId, Figures figures) {
        return beginEntry(keyId, figures.primitiveCalls(), figures.calls(), figures.ownTime(), figures.cumulativeTime());
    }

    /** A cProfile caller of the entry begun last, as a dict assignment: a caller already there is replaced. */
    public void putCaller(int entry, int callerKeyId, Figures figures) {
        addCaller(entry, callerKeyId, figures.calls(), figures.primitiveCalls(), figures.ownTime(),
                figures.cumulativeTime(), false, false);
    }

    /** Adds figures to a caller of the entry begun last (a new caller starts at zero), as pstats's add_callers. */
    public void addToCaller(int entry, int callerKeyId, Figures figures) {
        addCaller(entry, callerKeyId, figures.calls(), figures.primitiveCalls(), figures.ownTime(),
                figures.cumulativeTime(), false, true);
    }

    /** A caller of the entry begun last as the {@code profile} module writes it: a plain call count. */
    public void putCallerCount(int entry, int callerKeyId, long calls) {
        addCaller(entry, callerKeyId, calls, calls, 0, 0, true, false);
    }

    // The same, figure by figure in the file's order, for the reader and the operations of this package, whose
    // loops over millions of edges should not depend on the JIT removing a record per edge.

    int beginEntry(int keyId, long primitiveCalls, long calls, double ownTime, double cumulativeTime) {
        int e = entryOfKey[keyId];
        if (e < 0) {
            e = entryCount;
            if (e == entryKey.length) growEntries();
            entryKey[e] = keyId;
            entryOfKey[keyId] = e;
            entryCount = e + 1;
        }
        cc[e] = primitiveCalls;
        nc[e] = calls;
        if (bigCc != null) bigCc[e] = null;
        if (bigNc != null) bigNc[e] = null;
        tt[e] = ownTime;
        ct[e] = cumulativeTime;
        edgeStart[e] = edgeCount;
        edgeEnd[e] = edgeCount;
        return e;
    }

    /**
     * Adds a caller to the entry begun last. A caller already present in the entry has its value replaced in place
     * (a dict assignment); {@code merge} adds to it instead, as pstats's {@code add_callers} does.
     */
    int addCaller(int entry, int callerKeyId, long calls, long primitiveCalls, double ownTime,
                  double cumulativeTime, boolean isCount, boolean merge) {
        int start = edgeStart[entry], end = edgeEnd[entry];
        if (end != edgeCount) throw new IllegalStateException("callers must be added to the entry begun last");
        if (stampOwner.length < keyCount) {
            int old = stampOwner.length, n = Math.max(keyCount, old * 2);
            stampOwner = Arrays.copyOf(stampOwner, n);
            stampEdge = Arrays.copyOf(stampEdge, n);
            Arrays.fill(stampOwner, old, n, -1);
        }
        // The stamp says where this caller sits in the entry begun at `start` (an entry's start is unique).
        if (stampOwner[callerKeyId] == start) {
            int at = stampEdge[callerKeyId];
            setEdge(at, calls, primitiveCalls, ownTime, cumulativeTime, isCount, merge);
            return at;
        }
        int i = edgeCount;
        if (i == edgeKey.length) growEdges();
        edgeKey[i] = callerKeyId;
        edgeNc[i] = calls;
        edgeCc[i] = primitiveCalls;
        edgeTt[i] = ownTime;
        edgeCt[i] = cumulativeTime;
        edgeIsCount[i] = isCount;
        if (bigEdgeNc != null) bigEdgeNc[i] = null;
        if (bigEdgeCc != null) bigEdgeCc[i] = null;
        edgeCount = i + 1;
        edgeEnd[entry] = i + 1;
        stampOwner[callerKeyId] = start;
        stampEdge[callerKeyId] = i;
        return i;
    }

    // Per key id: the start of the entry that last added it as a caller, and at which edge.
    private int[] stampOwner = new int[0];
    private int[] stampEdge = new int[0];

    private void setEdge(int i, long calls, long primitiveCalls, double ownTime, double cumulativeTime,
                         boolean isCount, boolean merge) {
        if (merge) {
            long n0 = edgeNc[i], c0 = edgeCc[i], n = n0 + calls, c = c0 + primitiveCalls;
            if (bigEdgeNc != null || bigEdgeCc != null || overflows(n0, calls, n) || overflows(c0, primitiveCalls, c)) {
                setEdgeCounts(i, add(exactEdgeCalls(i), calls), add(exactEdgePrimitiveCalls(i), primitiveCalls));
            } else {
                edgeNc[i] = n;
                edgeCc[i] = c;
            }
            edgeTt[i] += ownTime;
            edgeCt[i] += cumulativeTime;
        } else {
            edgeNc[i] = calls;
            edgeCc[i] = primitiveCalls;
            if (bigEdgeNc != null) bigEdgeNc[i] = null;
            if (bigEdgeCc != null) bigEdgeCc[i] = null;
            edgeTt[i] = ownTime;
            edgeCt[i] = cumulativeTime;
            edgeIsCount[i] = isCount;
        }
    }

    // ---- counts beyond a long (Python ints have no limit; pstats adds and prints them exactly)

    /** True when {@code r = a + b} overflowed a long (Hacker's Delight 2-13). */
    static boolean overflows(long a, long b, long r) {
        return ((a ^ r) & (b ^ r)) < 0;
    }

    /** Python's {@code a + b} on ints: a Long while the sum fits, else a BigInteger. */
    public static Number add(Number a, Number b) {
        if (a instanceof Long && b instanceof Long) {
            long x = a.longValue(), y = b.longValue(), r = x + y;
            if (!overflows(x, y, r)) return r;
        }
        return normal(big(a).add(big(b)));
    }

    /** An int as a BigInteger. */
    public static BigInteger big(Number n) {
        return n instanceof BigInteger ? (BigInteger) n : BigInteger.valueOf(n.longValue());
    }

    /** A Long when the value fits in one. */
    static Number normal(BigInteger v) {
        return v.bitLength() < 64 ? (Number) v.longValue() : v;
    }

    /** The long a count beyond a long shows to code that reads only longs: the extreme of its sign. */
    public static long saturated(Number n) {
        if (n instanceof BigInteger) {
            BigInteger b = (BigInteger) n;
            if (b.bitLength() >= 64) return b.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return n.longValue();
    }

    private static BigInteger[] store(long[] small, BigInteger[] big, int i, Number v) {
        Number n = v instanceof BigInteger ? normal((BigInteger) v) : v;
        small[i] = saturated(n);
        if (n instanceof BigInteger) {
            if (big == null) big = new BigInteger[small.length];
            big[i] = (BigInteger) n;
        } else if (big != null) {
            big[i] = null;
        }
        return big;
    }

    /** Sets an entry's counts exactly (each a Long or a BigInteger). */
    public void setCounts(int entry, Number primitiveCalls, Number calls) {
        bigCc = store(cc, bigCc, entry, primitiveCalls);
        bigNc = store(nc, bigNc, entry, calls);
    }

    /** Sets an edge's counts exactly (each a Long or a BigInteger). */
    public void setEdgeCounts(int edge, Number calls, Number primitiveCalls) {
        bigEdgeNc = store(edgeNc, bigEdgeNc, edge, calls);
        bigEdgeCc = store(edgeCc, bigEdgeCc, edge, primitiveCalls);
    }

    /** {@link #beginEntry(int, long, long, double, double)} with counts of any size. */
    int beginEntryExact(int keyId, Number primitiveCalls, Number calls, double ownTime, double cumulativeTime) {
        int e = beginEntry(keyId, 0, 0, ownTime, cumulativeTime);
        setCounts(e, primitiveCalls, calls);
        return e;
    }

    /** {@link #addCaller} with counts of any size; returns the edge. */
    int addCallerExact(int entry, int callerKeyId, Number calls, Number primitiveCalls, double ownTime,
                       double cumulativeTime, boolean isCount, boolean merge) {
        if (calls instanceof Long && primitiveCalls instanceof Long) {
            return addCaller(entry, callerKeyId, calls.longValue(), primitiveCalls.longValue(), ownTime,
                    cumulativeTime, isCount, merge);
        }
        // Zero counts first (added to an edge already there, or replacing it), then the exact sums.
        int i = addCaller(entry, callerKeyId, 0, 0, ownTime, cumulativeTime, isCount, merge);
        setEdgeCounts(i, add(exactEdgeCalls(i), calls), add(exactEdgePrimitiveCalls(i), primitiveCalls));
        return i;
    }

    private void growEntries() {
        int cap = entryKey.length * 2;
        entryKey = Arrays.copyOf(entryKey, cap);
        cc = Arrays.copyOf(cc, cap);
        nc = Arrays.copyOf(nc, cap);
        tt = Arrays.copyOf(tt, cap);
        ct = Arrays.copyOf(ct, cap);
        edgeStart = Arrays.copyOf(edgeStart, cap);
        edgeEnd = Arrays.copyOf(edgeEnd, cap);
        if (bigCc != null) bigCc = Arrays.copyOf(bigCc, cap);
        if (bigNc != null) bigNc = Arrays.copyOf(bigNc, cap);
    }

    private void growEdges() {
        int cap = edgeKey.length * 2;
        edgeKey = Arrays.copyOf(edgeKey, cap);
        edgeNc = Arrays.copyOf(edgeNc, cap);
        edgeCc = Arrays.copyOf(edgeCc, cap);
        edgeTt = Arrays.copyOf(edgeTt, cap);
        edgeCt = Arrays.copyOf(edgeCt, cap);
        edgeIsCount = Arrays.copyOf(edgeIsCount, cap);
        if (bigEdgeNc != null) bigEdgeNc = Arrays.copyOf(bigEdgeNc, cap);
        if (bigEdgeCc != null) bigEdgeCc = Arrays.copyOf(bigEdgeCc, cap);
    }
}
