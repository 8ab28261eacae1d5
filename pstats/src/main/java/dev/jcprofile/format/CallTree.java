package dev.jcprofile.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact calling-context tree of a profile: one node per distinct call path (per thread), holding the calls of
 * the path's last function along that path, their own time and their total time. A pstats file keeps only
 * caller-callee pairs, from which no tool can rebuild the paths; the recorder keeps the tree beside them.
 *
 * <p>A node's figures follow cProfile's per-call definitions along one path: {@code calls} counts the calls made
 * along it, {@code ownTime} their time outside the calls they made (pstats's tottime), {@code totalTime} their
 * whole duration (pstats's cumtime of those calls). Every level of a recursion is a node of its own, so no node is
 * ever open twice at once and no total time is counted twice within a node; a function's pstats cumtime is the sum
 * of the total times of its nodes that have no ancestor of the same function ({@link #outermostTotalTime}).
 *
 * <p>Roots belong to a thread, by name; their descendants to the same thread. Nodes are numbered in creation
 * order, so a parent always comes before its children. Paths of the same thread and the same functions are one
 * node: {@link #child} finds or makes it, and {@link #addAll} merges another tree path by path.
 *
 * <p>Stored as flat arrays (a million nodes are a few arrays, not a million objects).
 */
public final class CallTree {
    /** No parent: the node is a root of its thread. */
    public static final int ROOT = -1;

    private final List<String> threadNames = new ArrayList<>();
    private final Map<String, Integer> threadIds = new HashMap<>();
    private final List<FunctionKey> functionKeys = new ArrayList<>();
    private final Map<FunctionKey, Integer> functionIds = new HashMap<>();

    private int count;
    private int[] parent = new int[16], function = new int[16], thread = new int[16];
    private long[] calls = new long[16];
    private double[] ownTime = new double[16], totalTime = new double[16];

    // (parent or -1 - thread, function) -> node + 1, open addressing; 0 is empty.
    private long[] slotKeys = new long[32];
    private int[] slotNodes = new int[32];

    /** The id of the thread of this name, added if new. */
    public int thread(String name) {
        return intern(name, threadIds, threadNames);
    }

    /** The id of this function, added if new. */
    public int function(FunctionKey key) {
        return intern(key, functionIds, functionKeys);
    }

    /** The index of {@code value} in {@code values}, appended if new. */
    private static <T> int intern(T value, Map<T, Integer> ids, List<T> values) {
        return ids.computeIfAbsent(value, v -> {
            values.add(v);
            return values.size() - 1;
        });
    }

    /** The root of {@code thread} for {@code function}, made (with no calls yet) if new. */
    public int root(int thread, int function) {
        return find(-1L - thread, function, ROOT, thread, true);
    }

    /** The child of {@code node} for {@code function}, made (with no calls yet) if new. */
    public int child(int node, int function) {
        return find(node, function, node, thread[node], true);
    }

    /** The root of {@code thread} for {@code function}, or -1 if there is none. */
    public int findRoot(int thread, int function) {
        return find(-1L - thread, function, ROOT, thread, false);
    }

    /** The child of {@code node} for {@code function}, or -1 if there is none. */
    public int findChild(int node, int function) {
        return find(node, function, node, thread[node], false);
    }

    /** Adds figures to a node. */
    public void add(int node, long calls, double ownTime, double totalTime) {
        this.calls[node] += calls;
        this.ownTime[node] += ownTime;
        this.totalTime[node] += totalTime;
    }

    /** Adds every path of {@code other} to this tree, threads matched by name and functions by key. */
    public void addAll(CallTree other) {
        int[] mapped = new int[other.count];
        int[] threadMap = new int[other.threadNames.size()];
        for (int t = 0; t < threadMap.length; t++) threadMap[t] = thread(other.threadNames.get(t));
        int[] functionMap = new int[other.functionKeys.size()];
        for (int f = 0; f < functionMap.length; f++) functionMap[f] = function(other.functionKeys.get(f));
        for (int n = 0; n < other.count; n++) {
            int p = other.parent[n];
            int fn = functionMap[other.function[n]];
            mapped[n] = p == ROOT ? root(threadMap[other.thread[n]], fn) : child(mapped[p], fn);
            add(mapped[n], other.calls[n], other.ownTime[n], other.totalTime[n]);
        }
    }

    /** This tree with every thread's paths merged into one thread named {@code name}. */
    public CallTree threadsMerged(String name) {
        CallTree merged = new CallTree();
        int t = merged.thread(name);
        int[] mapped = new int[count];
        for (int n = 0; n < count; n++) {
            int fn = merged.function(functionKeys.get(function[n]));
            mapped[n] = parent[n] == ROOT ? merged.root(t, fn) : merged.child(mapped[parent[n]], fn);
            merged.add(mapped[n], calls[n], ownTime[n], totalTime[n]);
        }
        return merged;
    }

    /** This tree with each function's key replaced by {@code rename}'s (keys that become equal merge, path by path). */
    public CallTree withKeys(java.util.function.UnaryOperator<FunctionKey> rename) {
        CallTree out = new CallTree();
        int[] threadMap = new int[threadNames.size()];
        for (int t = 0; t < threadMap.length; t++) threadMap[t] = out.thread(threadNames.get(t));
        int[] functionMap = new int[functionKeys.size()];
        for (int f = 0; f < functionMap.length; f++) functionMap[f] = out.function(rename.apply(functionKeys.get(f)));
        int[] mapped = new int[count];
        for (int n = 0; n < count; n++) {
            int fn = functionMap[function[n]];
            mapped[n] = parent[n] == ROOT ? out.root(threadMap[thread[n]], fn) : out.child(mapped[parent[n]], fn);
            out.add(mapped[n], calls[n], ownTime[n], totalTime[n]);
        }
        return out;
    }

    // ---- reading ----

    public int size() { return count; }
    public int parent(int node) { return parent[node]; }
    public int function(int node) { return function[node]; }
    public FunctionKey key(int node) { return functionKeys.get(function[node]); }
    public int thread(int node) { return thread[node]; }
    public long calls(int node) { return calls[node]; }
    public double ownTime(int node) { return ownTime[node]; }
    public double totalTime(int node) { return totalTime[node]; }

    public int functionCount() { return functionKeys.size(); }
    public FunctionKey functionKey(int function) { return functionKeys.get(function); }
    public int threadCount() { return threadNames.size(); }
    public String threadName(int thread) { return threadNames.get(thread); }

    /** Depth of a node: 0 for a root. */
    public int depth(int node) {
        int d = 0;
        for (int p = parent[node]; p != ROOT; p = parent[p]) d++;
        return d;
    }

    /** Each node's children, in creation order: {@code children[node]} (roots are those with parent ROOT). */
    public int[][] children() {
        int[] n = new int[count];
        for (int i = 0; i < count; i++) if (parent[i] != ROOT) n[parent[i]]++;
        int[][] c = new int[count][];
        for (int i = 0; i < count; i++) c[i] = new int[n[i]];
        Arrays.fill(n, 0);
        for (int i = 0; i < count; i++) if (parent[i] != ROOT) c[parent[i]][n[parent[i]]++] = i;
        return c;
    }

    /**
     * Per function (by function id): the cumulative time as cProfile counts it, the total time of the function's
     * nodes that have no ancestor of the same function (only the outermost of nested calls counts).
     */
    public double[] outermostTotalTime() {
        double[] sum = new double[functionKeys.size()];
        for (int n = 0; n < count; n++) {
            boolean outermost = true;
            for (int p = parent[n]; p != ROOT && outermost; p = parent[p]) outermost = function[p] != function[n];
            if (outermost) sum[function[n]] += totalTime[n];
        }
        return sum;
    }

    // ---- the node table ----

    private int find(long parentKey, int fn, int parentNode, int threadId, boolean create) {
        long key = parentKey << 32 ^ (fn & 0xffffffffL);
        int mask = slotKeys.length - 1;
        for (int h = mix(key) & mask; ; h = (h + 1) & mask) {
            int node = slotNodes[h] - 1;
            if (node < 0) break;
            if (slotKeys[h] == key) return node;
        }
        if (!create) return -1;
        int node = newNode(parentNode, fn, threadId);
        if ((count * 2) > slotKeys.length) rehash();
        else insert(key, node);
        return node;
    }

    private int newNode(int parentNode, int fn, int threadId) {
        if (count == parent.length) {
            int cap = count * 2;
            parent = Arrays.copyOf(parent, cap);
            function = Arrays.copyOf(function, cap);
            thread = Arrays.copyOf(thread, cap);
            calls = Arrays.copyOf(calls, cap);
            ownTime = Arrays.copyOf(ownTime, cap);
            totalTime = Arrays.copyOf(totalTime, cap);
        }
        parent[count] = parentNode;
        function[count] = fn;
        thread[count] = threadId;
        return count++;
    }

    private void rehash() {
        slotKeys = new long[slotKeys.length * 2];
        slotNodes = new int[slotKeys.length];
        for (int n = 0; n < count; n++) {
            long parentKey = parent[n] == ROOT ? -1L - thread[n] : parent[n];
            insert(parentKey << 32 ^ (function[n] & 0xffffffffL), n);
        }
    }

    private void insert(long key, int node) {
        int mask = slotKeys.length - 1;
        int h = mix(key) & mask;
        while (slotNodes[h] != 0) h = (h + 1) & mask;
        slotKeys[h] = key;
        slotNodes[h] = node + 1;
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
