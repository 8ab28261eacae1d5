package dev.jcprofile.format;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads the calling-context tree a profile may hold after its pstats dict: the second marshal value, a dict whose
 * {@code "format"} is {@code "jcprofile call tree"} (see {@link MarshalWriter} and docs/architecture.md). Python's
 * {@code pstats.Stats} reads the first value alone, so such a file stays a pstats file.
 */
final class TreeMarshal {
    private TreeMarshal() {}

    /** A tree that is there but cannot be read: the message says what is wrong, in a few words. */
    static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The tree in {@code bytes} from {@code offset} (just after the pstats dict), or null when what follows is no
     * tree of ours (nothing, or other data, which Python ignores too).
     */
    static CallTree read(byte[] bytes, int offset) throws Damaged {
        if (offset >= bytes.length) return null;
        // Ours if the format's name is near the start (it is the dict's first value): other trailing data is left
        // alone, as marshal.load leaves it.
        byte[] marker = MarshalWriter.TREE_FORMAT.getBytes(StandardCharsets.US_ASCII);
        if (!contains(bytes, offset, Math.min(bytes.length, offset + 64), marker)) return null;
        Object value;
        try {
            value = new MarshalReader(bytes, offset, bytes.length).readObject();
        } catch (MarshalReader.BadData e) {
            throw new Damaged(e.getMessage());
        } catch (RuntimeException e) {
            throw new Damaged(String.valueOf(e.getMessage())); // the reader's own limits, as for the table
        }
        if (!(value instanceof Map)) throw new Damaged("not a dict");
        Map<?, ?> d = (Map<?, ?>) value;
        if (!MarshalWriter.TREE_FORMAT.equals(d.get("format"))) throw new Damaged("no 'format' naming it");
        Object version = d.get("version");
        if (!(version instanceof Long)) throw new Damaged("no version");
        if ((Long) version > MarshalWriter.TREE_VERSION) {
            throw new Damaged("version " + version + ", newer than this jcprofile reads (" + MarshalWriter.TREE_VERSION + ")");
        }
        List<?> threads = list(d, "threads"), functions = list(d, "functions");
        List<?> parent = list(d, "parent"), function = list(d, "function"), thread = list(d, "thread");
        List<?> calls = list(d, "calls"), tottime = list(d, "tottime"), cumtime = list(d, "cumtime");
        int n = parent.size();
        for (List<?> l : List.of(function, thread, calls, tottime, cumtime)) {
            if (l.size() != n) throw new Damaged("its node lists differ in length");
        }
        CallTree t = new CallTree();
        int[] threadIds = new int[threads.size()];
        for (int i = 0; i < threadIds.length; i++) {
            if (!(threads.get(i) instanceof String)) throw new Damaged("thread " + i + " has no name");
            threadIds[i] = t.thread((String) threads.get(i));
        }
        int[] functionIds = new int[functions.size()];
        for (int i = 0; i < functionIds.length; i++) functionIds[i] = t.function(key(functions.get(i), i));
        int[] mapped = new int[n];
        for (int i = 0; i < n; i++) {
            int p = index(parent.get(i), -1, i, "parent", i);
            int f = index(function.get(i), 0, functionIds.length, "function", i);
            int th = index(thread.get(i), 0, threadIds.length, "thread", i);
            if (p >= 0 && t.thread(mapped[p]) != threadIds[th]) throw new Damaged("node " + i + " is not of its parent's thread");
            mapped[i] = p < 0 ? t.root(threadIds[th], functionIds[f]) : t.child(mapped[p], functionIds[f]);
            long c = count(calls.get(i), i);
            t.add(mapped[i], c, time(tottime.get(i), i), time(cumtime.get(i), i));
        }
        return t;
    }

    private static boolean contains(byte[] b, int from, int to, byte[] m) {
        outer:
        for (int i = from; i + m.length <= to; i++) {
            for (int j = 0; j < m.length; j++) if (b[i + j] != m[j]) continue outer;
            return true;
        }
        return false;
    }

    private static List<?> list(Map<?, ?> d, String name) throws Damaged {
        Object o = d.get(name);
        if (!(o instanceof List)) throw new Damaged("no list '" + name + "'");
        return (List<?>) o;
    }

    private static FunctionKey key(Object o, int i) throws Damaged {
        if (o instanceof Py.Tuple) {
            Object[] items = ((Py.Tuple) o).items;
            if (items != null && items.length == 3 && items[0] instanceof String && items[2] instanceof String
                    && (items[1] instanceof Long || items[1] instanceof BigInteger)) {
                return new FunctionKey((String) items[0], (Number) items[1], (String) items[2], false);
            }
        }
        throw new Damaged("function " + i + " is not a (file, line, name) tuple");
    }

    private static int index(Object o, int min, int limit, String what, int node) throws Damaged {
        if (o instanceof Long) {
            long v = (Long) o;
            if (v >= min && v < limit) return (int) v;
        }
        throw new Damaged("node " + node + " has no valid " + what);
    }

    private static long count(Object o, int node) throws Damaged {
        if (o instanceof Long && (Long) o >= 0) return (Long) o;
        throw new Damaged("node " + node + " has no valid call count");
    }

    private static double time(Object o, int node) throws Damaged {
        if (o instanceof Double) return (Double) o;
        if (o instanceof Long) return (Long) o;
        throw new Damaged("node " + node + " has no valid time");
    }
}
