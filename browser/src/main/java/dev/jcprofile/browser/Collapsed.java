package dev.jcprofile.browser;

import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.ProfileOps;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A call tree as collapsed stacks, the text that flamegraph.pl, speedscope and async-profiler's converter read: one
 * line per call path, {@code frame;frame;...;frame value}, outermost frame first. Frames are named as pstats prints
 * functions after {@code strip} ({@code Migrations.java:59(Migrations$BackfillOrderTotals.forward)},
 * {@code {built-in method java.lang.Thread.sleep}}); paths that stripping makes the same are one line.
 *
 * <p>The value is the path's last frame's own time in microseconds ({@link Metric#TOTTIME}, rounded to the nearest,
 * half to even) or its calls along that path ({@link Metric#CALLS}). Lines whose value is 0 are left out, as the
 * stack collapsers of flamegraph.pl never write them: a path without time of its own still shows as the frames of
 * the paths below it.
 *
 * <p>A name's {@code ;} would split a frame, and a line break would split a line: {@code ;} is written
 * {@code \x3b}, line breaks and other control characters as Python's repr escapes them ({@code \n}, {@code \r},
 * {@code \t}, {@code \x1b}, {@code \u2028}). Java method names cannot hold either (JVMS 4.2.2); file names, Python's
 * names and thread names can.
 */
final class Collapsed {
    private Collapsed() {}

    enum Metric { TOTTIME, CALLS }

    /** What was written: lines, and the paths left out for a negative value (which no reader takes). */
    record Written(long lines, long negative) {}

    /**
     * Writes {@code tree}'s paths to {@code out}: every thread's merged into one tree, or, with {@code threads},
     * each thread's under a first frame naming it.
     */
    static Written write(CallTree tree, Metric metric, boolean threads, Appendable out) {
        CallTree t = ProfileOps.stripDirs(threads ? tree : tree.threadsMerged("all threads"));
        String[] names = new String[t.functionCount()];
        for (int f = 0; f < names.length; f++) names[f] = frame(t.functionKey(f).stdString());
        int[][] children = t.children();
        long lines = 0, negative = 0;
        StringBuilder path = new StringBuilder();
        StringBuilder line = new StringBuilder();
        // Depth first, children in the order they were first called; an explicit stack, as paths can be deep.
        int[] stack = new int[16];
        int[] pathLength = new int[16];
        try {
            // Roots by thread, each thread's in the order they were first called.
            int[] rootCount = new int[t.threadCount() + 1];
            for (int n = 0; n < t.size(); n++) if (t.parent(n) == CallTree.ROOT) rootCount[t.thread(n) + 1]++;
            for (int th = 0; th < t.threadCount(); th++) rootCount[th + 1] += rootCount[th];
            int[] roots = new int[rootCount[t.threadCount()]], fill = rootCount.clone();
            for (int n = 0; n < t.size(); n++) if (t.parent(n) == CallTree.ROOT) roots[fill[t.thread(n)]++] = n;
            for (int th = 0; th < t.threadCount(); th++) {
                for (int r = rootCount[th]; r < rootCount[th + 1]; r++) {
                    int root = roots[r];
                    path.setLength(0);
                    if (threads) path.append(frame(t.threadName(th))).append(';');
                    int top = 0;
                    stack[0] = root;
                    pathLength[0] = path.length();
                    while (top >= 0) {
                        int n = stack[top];
                        path.setLength(pathLength[top]);
                        top--;
                        if (t.parent(n) != CallTree.ROOT) path.append(';');
                        path.append(names[t.function(n)]);
                        long value = metric == Metric.CALLS ? t.calls(n) : (long) Math.rint(t.ownTime(n) * 1e6);
                        if (value > 0) {
                            line.setLength(0);
                            line.append(path).append(' ').append(value).append('\n');
                            out.append(line);
                            lines++;
                        } else if (value < 0) {
                            negative++;
                        }
                        int[] c = children[n];
                        if (top + 1 + c.length > stack.length) {
                            int cap = Math.max(stack.length * 2, top + 1 + c.length);
                            stack = java.util.Arrays.copyOf(stack, cap);
                            pathLength = java.util.Arrays.copyOf(pathLength, cap);
                        }
                        for (int i = c.length - 1; i >= 0; i--) {
                            stack[++top] = c[i];
                            pathLength[top] = path.length();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Written(lines, negative);
    }

    /** A name as one frame: {@code ;} and control characters escaped (see the class comment). */
    static String frame(String name) {
        StringBuilder b = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            String esc = escape(c);
            if (esc != null && b == null) b = new StringBuilder(name.length() + 8).append(name, 0, i);
            if (b != null) {
                if (esc != null) b.append(esc);
                else b.append(c);
            }
        }
        return b == null ? name : b.toString();
    }

    private static String escape(char c) {
        switch (c) {
            case ';': return "\\x3b";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            default:
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return String.format("\\x%02x", (int) c);
                if (c == '\u2028' || c == '\u2029') return String.format("\\u%04x", (int) c);
                return null;
        }
    }
}
