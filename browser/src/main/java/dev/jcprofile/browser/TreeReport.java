package dev.jcprofile.browser;

import dev.jcprofile.cpython.PyFormat;
import dev.jcprofile.cpython.PyText;
import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.FunctionKey;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The browser's {@code tree}: the call tree printed as indented lines, every thread's paths merged. Each line is
 * one call path: the calls of its last function along it, their own time and their total time (pstats's ncalls,
 * tottime and cumtime, for that path alone), then the function, indented two spaces a level. Children come by
 * total time, the largest first.
 *
 * <p>Under a function ({@code tree forward}) the tree is the function's calls from every place they were made,
 * merged path by path: its root's figures are the function's pstats row (calls, own time, cumulative time, the
 * outermost of recursive calls only). Calls nested in an outer call of the same function are part of that outer
 * call's tree.
 *
 * <p>So that a tree of thousands of paths stays readable, siblings with less than {@link #SHARE} of the printed
 * tree's total time, and paths more than {@link #MAX_DEPTH} levels below its root, are not printed one by one: one
 * line, {@code ... N more}, stands for them, with their added figures.
 */
final class TreeReport {
    private TreeReport() {}

    /** The share of a tree's total time below which a path is counted in its siblings' "more" line. */
    static final double SHARE = 0.005;
    /** Levels printed below a tree's root. */
    static final int MAX_DEPTH = 40;

    static final String HEADING = "   ncalls  tottime  cumtime  call tree (all threads)\n";

    /** The whole tree: every thread's roots, merged. */
    static String whole(CallTree tree) {
        CallTree merged = tree.threadsMerged("all threads");
        int[][] children = merged.children();
        int count = 0;
        for (int n = 0; n < merged.size(); n++) if (merged.parent(n) == CallTree.ROOT) count++;
        int[] roots = new int[count];
        count = 0;
        double total = 0;
        for (int n = 0; n < merged.size(); n++) {
            if (merged.parent(n) == CallTree.ROOT) {
                roots[count++] = n;
                total += merged.totalTime(n);
            }
        }
        StringBuilder b = new StringBuilder(HEADING);
        new Printer(merged, children, total * SHARE, b).siblings(roots, 0);
        return b.append("\n\n").toString();
    }

    /**
     * The trees under each of {@code functions}, in that order; a function absent from the tree gets one line
     * saying so.
     */
    static String under(CallTree tree, List<FunctionKey> functions) {
        CallTree merged = tree.threadsMerged("all threads");
        int[][] children = merged.children();
        Map<FunctionKey, Integer> ids = new HashMap<>();
        for (int f = 0; f < merged.functionCount(); f++) ids.put(merged.functionKey(f), f);
        StringBuilder b = new StringBuilder(HEADING);
        for (FunctionKey key : functions) {
            Integer f = ids.get(key);
            CallTree sub = f == null ? null : subtree(merged, children, f);
            if (sub == null) {
                b.append("                             ").append(key.stdString()).append(": not in the call tree\n");
                continue;
            }
            new Printer(sub, sub.children(), sub.totalTime(0) * SHARE, b).siblings(new int[] {0}, 0);
        }
        return b.append("\n\n").toString();
    }

    /** The calls of function {@code f} that are not inside another call of it, with what they called, as one tree. */
    private static CallTree subtree(CallTree t, int[][] children, int f) {
        CallTree sub = null;
        int[] stack = new int[16], into = new int[16];
        for (int n = 0; n < t.size(); n++) {
            if (t.function(n) != f || hasAncestor(t, n, f)) continue;
            if (sub == null) sub = new CallTree();
            int top = 0;
            stack[0] = n;
            into[0] = CallTree.ROOT;
            while (top >= 0) {
                int m = stack[top], parent = into[top];
                top--;
                int fn = sub.function(t.key(m));
                int node = parent == CallTree.ROOT ? sub.root(sub.thread("all threads"), fn) : sub.child(parent, fn);
                sub.add(node, t.calls(m), t.ownTime(m), t.totalTime(m));
                int[] c = children[m];
                if (top + 1 + c.length > stack.length) {
                    int cap = Math.max(stack.length * 2, top + 1 + c.length);
                    stack = Arrays.copyOf(stack, cap);
                    into = Arrays.copyOf(into, cap);
                }
                for (int i = c.length - 1; i >= 0; i--) {
                    stack[++top] = c[i];
                    into[top] = node;
                }
            }
        }
        return sub;
    }

    private static boolean hasAncestor(CallTree t, int n, int f) {
        for (int p = t.parent(n); p != CallTree.ROOT; p = t.parent(p)) if (t.function(p) == f) return true;
        return false;
    }

    private static final class Printer {
        private final CallTree t;
        private final int[][] children;
        private final double least;
        private final StringBuilder b;

        Printer(CallTree t, int[][] children, double least, StringBuilder b) {
            this.t = t;
            this.children = children;
            this.least = least;
            this.b = b;
        }

        /** Prints {@code nodes} (siblings) at {@code depth}, largest total time first, and what is below them. */
        void siblings(int[] nodes, int depth) {
            Integer[] order = new Integer[nodes.length];
            for (int i = 0; i < nodes.length; i++) order[i] = nodes[i];
            Arrays.sort(order, (x, y) -> {
                int c = Double.compare(t.totalTime(y), t.totalTime(x));
                if (c == 0) c = Long.compare(t.calls(y), t.calls(x));
                return c != 0 ? c : t.key(x).compareTo(t.key(y));
            });
            long moreCalls = 0;
            double moreOwn = 0, moreTotal = 0;
            int more = 0;
            for (int n : order) {
                // Small paths are summed up, but a tree's single root always shows (and a tree whose total time
                // is nothing at all shows whole).
                if ((depth > 0 || nodes.length > 1) && t.totalTime(n) < least) {
                    more++;
                    moreCalls += t.calls(n);
                    moreOwn += t.ownTime(n);
                    moreTotal += t.totalTime(n);
                    continue;
                }
                line(t.calls(n), t.ownTime(n), t.totalTime(n), depth, t.key(n).stdString());
                int[] c = children[n];
                if (c.length == 0) continue;
                if (depth + 1 > MAX_DEPTH) {
                    long calls = 0;
                    double own = 0, total = 0;
                    for (int k : c) {
                        calls += t.calls(k);
                        own += t.ownTime(k);
                        total += t.totalTime(k);
                    }
                    line(calls, own, total, depth + 1, "... " + c.length + " more, deeper than " + MAX_DEPTH + " levels");
                } else {
                    siblings(c, depth + 1);
                }
            }
            if (more > 0) {
                line(moreCalls, moreOwn, moreTotal, depth, "... " + more + " more, each under "
                        + PyFormat.floatRepr(SHARE * 100) + "% of the tree's time");
            }
        }

        private void line(long calls, double own, double total, int depth, String name) {
            b.append(PyText.rjust(Long.toString(calls), 9)).append(' ');
            PyFormat.appendF8(b, own).append(' ');
            PyFormat.appendF8(b, total).append("  ");
            for (int i = 0; i < depth; i++) b.append("  ");
            b.append(name).append('\n');
        }
    }
}
