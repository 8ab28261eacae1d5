package dev.jcprofile.format;

import dev.jcprofile.cpython.PyText;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Python's marshal format (CPython {@code Python/marshal.c}, versions 0 to 4, and Python 2's interned-string
 * references) and, on the fast path, a pstats dict straight into {@link ProfileData} without building a Python
 * object per number.
 *
 * <p>Damaged or hostile input fails with a message, never with an OutOfMemoryError, a StackOverflowError or
 * unbounded work: a size is checked against the bytes that remain and containers grow as their items arrive, so
 * allocation follows the bytes read; nested values are kept on an explicit stack, not the thread's, and stop at
 * marshal's own limit of 2000 levels; long integers decode in one pass; retries of code-object layouts are
 * bounded by the bytes they re-read.
 */
final class MarshalReader {
    /** CPython's {@code MAX_MARSHAL_STACK_DEPTH}. */
    static final int MAX_DEPTH = 2000;

    private static final int FLAG_REF = 0x80;
    private static final Object NULL = Py.NULL;          // TYPE_NULL, the dict terminator
    private static final Object RESERVED = new Object(); // a ref slot whose object is still being read

    private final byte[] b;
    private final int end;
    private int pos;
    private int depth;
    /** The objects marked for reference (FLAG_REF), in order: a plain array, read directly on the fast path. */
    private Object[] refs = new Object[1024];
    private int refCount;
    /**
     * Per reference slot, the key id of a key tuple read into it, plus one (0: not a key). A caller key is most
     * often a reference; reading its id from this compact array instead of through the object in {@link #refs}
     * saves a cache miss per caller edge, which on big profiles is most of the reading time.
     */
    private int[] keyIdOfRef = new int[1024];
    private final ArrayList<String> interned = new ArrayList<>(); // Python 2's 't' strings, for 'R'

    static final class BadData extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The data ran out (the file may be cut short rather than damaged), or nested too deep. */
        final boolean truncated, tooDeep;
        /** The file is one marshalled value, read to its last byte, that is not a profile. */
        boolean wholeFile;
        BadData(String message) { this(message, false, false); }
        BadData(String message, boolean truncated, boolean tooDeep) {
            super(message, null, false, false);
            this.truncated = truncated;
            this.tooDeep = tooDeep;
        }
    }

    /** A key tuple read on the fast path, kept in the ref table with its id. */
    private static final class KeyRef {
        final FunctionKey key;
        final int id;
        KeyRef(FunctionKey key, int id) { this.key = key; this.id = id; }
        @Override public String toString() { return "tuple of 3"; } // as Py.typeName names it
    }

    MarshalReader(byte[] data) {
        this(data, 0, data.length);
    }

    MarshalReader(byte[] data, int offset, int end) {
        this.b = data;
        this.pos = offset;
        this.end = end;
    }

    int position() { return pos; }

    // ---------------------------------------------------------------- the pstats fast path

    /*
     * Where the fast path is, for messages: the part of the profile being read and the function it belongs to.
     * Plain int stores, so keeping them costs nothing per value.
     */
    private static final int IN_VALUE = 0, IN_DICT = 1, IN_STATS = 2, IN_CALLERS = 3;
    private int part = IN_VALUE;
    private int partKey = -1;
    private int functions;
    private ProfileData building;

    /** Reads one marshal value that must be a pstats dict. What follows it is left unread. */
    ProfileData readProfile() {
        if (pos >= end) throw new BadData("not a profile: the file is empty");
        int code = b[pos] & 0xff;
        if ((code & ~FLAG_REF) != '{') {
            Object o = readObject();
            BadData e = new BadData("not a profile: the file holds a marshalled " + Py.typeName(o)
                    + ", not a dict of function statistics");
            e.wholeFile = pos == end;
            throw e;
        }
        pos++;
        // marshal.c enters a dict in the reference table before its items, so a value may refer back to it (Python
        // reads that); such a reference finds this marker, which no part of a profile accepts.
        if ((code & FLAG_REF) != 0) addRef(Py.PROFILE_DICT);
        // Rough sizes from the file length keep the arrays from growing many times on big files.
        int bytes = end - pos;
        ProfileData data = new ProfileData(bytes / 400, bytes / 40);
        building = data;
        depth = 1;
        while (true) {
            part = IN_DICT;
            if (pos >= end) throw truncated(null);
            if (b[pos] == '0') {
                pos++;
                break;
            }
            int keyId = readKeyId(data, -1);
            if (pos < end && b[pos] == '0') {
                // A NULL for a value ends a dict in marshal.c, dropping the key.
                pos++;
                break;
            }
            partKey = keyId;
            part = IN_STATS;
            readStatsValue(data, keyId);
            functions++;
        }
        part = IN_VALUE;
        depth = 0;
        return data;
    }

    /** A function key, or a caller key in the callers of key {@code owner} when owner is not -1. */
    private int readKeyId(ProfileData data, int owner) {
        if (pos >= end) throw truncated(null);
        int code = b[pos] & 0xff;
        int type = code & ~FLAG_REF;
        if (type == '(' || type == ')') {
            int at = pos++;
            int n = type == ')' ? smallSize() : i32();
            if (n != 3) {
                pos = at;
                throw notKey(readObject(), owner);
            }
            // Entered before its items, as marshal.c enters a tuple: an item referring back to the key finds it
            // open (and is refused as no str or int), where a reserved slot would look like damaged data.
            int slot = -1;
            if ((code & FLAG_REF) != 0) {
                addRef(Py.Tuple.open());
                slot = refCount - 1;
            }
            enter();
            String file = readKeyText(owner);
            long line = readKeyLine(owner);
            BigInteger bigLine = takeBig();
            FunctionKey key = keyOf(file, line, bigLine, readObject(), owner);
            depth--;
            int id = data.intern(key);
            if (slot >= 0) {
                refs[slot] = new KeyRef(key, id);
                if (slot >= keyIdOfRef.length) keyIdOfRef = java.util.Arrays.copyOf(keyIdOfRef, Math.max(slot + 1, keyIdOfRef.length * 2));
                keyIdOfRef[slot] = id + 1;
            }
            return id;
        }
        Object o;
        if (code == 'r' && end - pos >= 5) { // a key read before, the usual caller key in version 3 and 4 files
            int at = pos;
            int i = (b[at + 1] & 0xff) | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff) << 16 | (b[at + 4] & 0xff) << 24;
            pos = at + 5;
            if (i >= 0 && i < keyIdOfRef.length && keyIdOfRef[i] > 0 && i < refCount) return keyIdOfRef[i] - 1;
            o = refAt(at, i);
        } else {
            o = readObject();
        }
        if (o instanceof KeyRef) return ((KeyRef) o).id;
        return data.intern(keyOf(o, owner));
    }

    /** A key's file name: short strings and references read without a trip through the generic reader. */
    private String readKeyText(int owner) {
        if (end - pos >= 2) {
            int code = b[pos] & 0xff;
            int type = code & ~FLAG_REF;
            if (type == 'z' || type == 'Z') {
                int at = pos++;
                int n = u8();
                if (n > end - pos) throw truncatedAt(at, "a string of " + n + " bytes");
                String s = latin1(n);
                if (type == 'Z') interned.add(s);
                if (code != type) addRef(s);
                return s;
            }
            if (code == 'r' && end - pos >= 5) {
                int at = pos++;
                return keyText(refAt(at, i32()), owner);
            }
        }
        return keyText(readObject(), owner);
    }

    private long readKeyLine(int owner) {
        if (end - pos >= 5 && (b[pos] & ~FLAG_REF) == 'i') return readInt();
        return keyLine(readObject(), owner);
    }

    /** TYPE_INT at pos, entered in the reference table when flagged (CPython flags shared small ints). */
    private long readInt() {
        int code = b[pos++] & 0xff;
        long v = i32();
        if (code != 'i') addRef(v); // small values are Long's cached boxes: no allocation
        return v;
    }

    private BadData notKey(Object o, int owner) {
        return new BadData("not a profile: " + keyRole(owner) + " is " + Py.a(o) + ", not a (file, line, name) tuple");
    }

    /** A key already read as a Python object: a 3-tuple, or a key tuple the fast path read before. */
    private FunctionKey keyOf(Object o, int owner) {
        if (o instanceof KeyRef) return ((KeyRef) o).key;
        if (!(o instanceof Py.Tuple) || ((Py.Tuple) o).items.length != 3) throw notKey(o, owner);
        Object[] t = ((Py.Tuple) o).items;
        String file = keyText(t[0], owner);
        long line = keyLine(t[1], owner);
        return keyOf(file, line, takeBig(), t[2], owner);
    }

    /** {@code bigLine}: the line number when it does not fit in a long, else null. */
    private FunctionKey keyOf(String file, long line, BigInteger bigLine, Object name, int owner) {
        Number n = bigLine != null ? bigLine : (Number) line;
        if (name instanceof String) return new FunctionKey(file, n, (String) name, false);
        if (name instanceof Py.Code) return new FunctionKey(file, n, ((Py.Code) name).repr(), true);
        if (name instanceof Py.Bytes) return new FunctionKey(file, n, text((Py.Bytes) name), false);
        throw new BadData("not a profile: the function name in " + keyRole(owner) + " is " + Py.a(name)
                + ", not a str");
    }

    private String keyText(Object o, int owner) {
        if (o instanceof String) return (String) o;
        if (o instanceof Py.Bytes) return text((Py.Bytes) o);
        throw new BadData("not a profile: the file name in " + keyRole(owner) + " is " + Py.a(o) + ", not a str");
    }

    private long keyLine(Object o, int owner) {
        if (o instanceof Long) return (Long) o;
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        if (o instanceof BigInteger) return big((BigInteger) o);
        throw new BadData("not a profile: the line number in " + keyRole(owner) + " is " + Py.a(o) + ", not an int");
    }

    private String keyRole(int owner) {
        return owner < 0 ? "a function key" : "a caller key of " + name(owner);
    }

    private void readStatsValue(ProfileData data, int keyId) {
        if (pos >= end) throw truncated(null);
        int code = b[pos] & 0xff;
        int type = code & ~FLAG_REF;
        if ((type == '(' || type == ')') && (code & FLAG_REF) == 0) {
            int at = pos++;
            int n = type == ')' ? smallSize() : i32();
            if (n == 5) {
                enter();
                long cc = readCount("primitive call count", keyId);
                BigInteger bigCc = takeBig();
                long nc = readCount("call count", keyId);
                BigInteger bigNc = takeBig();
                double tt = readTime("total time", keyId);
                double ct = readTime("cumulative time", keyId);
                int entry = data.beginEntry(keyId, cc, nc, tt, ct);
                if (bigCc != null || bigNc != null) {
                    data.setCounts(entry, bigCc != null ? bigCc : (Number) cc, bigNc != null ? bigNc : (Number) nc);
                }
                part = IN_CALLERS;
                readCallers(data, entry, keyId);
                depth--;
                return;
            }
            pos = at;
        }
        // Shared or unusual values: read the Python object, then convert it.
        Object o = readObject();
        if (!(o instanceof Py.Tuple) || ((Py.Tuple) o).items.length != 5) {
            throw new BadData("not a profile: the statistics of " + name(keyId) + " are " + Py.a(o)
                    + ", not (cc, nc, tt, ct, callers)");
        }
        Object[] t = ((Py.Tuple) o).items;
        long cc = count(t[0], "primitive call count", keyId);
        BigInteger bigCc = takeBig();
        long nc = count(t[1], "call count", keyId);
        BigInteger bigNc = takeBig();
        int entry = data.beginEntry(keyId, cc, nc, time(t[2], "total time", keyId), time(t[3], "cumulative time", keyId));
        if (bigCc != null || bigNc != null) {
            data.setCounts(entry, bigCc != null ? bigCc : (Number) cc, bigNc != null ? bigNc : (Number) nc);
        }
        if (!(t[4] instanceof Map)) throw notCallers(t[4], keyId);
        addCallers(data, entry, keyId, (Map<?, ?>) t[4]);
    }

    private BadData notCallers(Object o, int keyId) {
        if (o == Py.PROFILE_DICT) {
            return new BadData("not a profile: the callers of " + name(keyId)
                    + " are the dict of function statistics itself (a reference back to it), not a dict of callers");
        }
        return new BadData("not a profile: the callers of " + name(keyId) + " are " + Py.a(o) + ", not a dict");
    }

    /** A callers dict already read as a Python object: its keys are tuples or key tuples read before. */
    private void addCallers(ProfileData data, int entry, int keyId, Map<?, ?> callers) {
        for (Map.Entry<?, ?> e : callers.entrySet()) {
            int caller = e.getKey() instanceof KeyRef ? ((KeyRef) e.getKey()).id : data.intern(keyOf(e.getKey(), keyId));
            addEdge(data, entry, keyId, caller, e.getValue());
        }
    }

    private void readCallers(ProfileData data, int entry, int keyId) {
        if (pos >= end) throw truncated(null);
        int code = b[pos] & 0xff;
        if (code != '{') {
            // A dict shared by reference, or one entered for later reference: read it as an object so that the
            // reference table stays in step.
            Object o = readObject();
            if (!(o instanceof Map)) throw notCallers(o, keyId);
            addCallers(data, entry, keyId, (Map<?, ?>) o);
            return;
        }
        pos++;
        enter();
        while (true) {
            if (pos >= end) throw truncated(null);
            if (b[pos] == '0') {
                pos++;
                break;
            }
            int caller = readKeyId(data, keyId);
            if (pos >= end) throw truncated(null);
            if (b[pos] == '0') { // as for the profile dict
                pos++;
                break;
            }
            int vcode = b[pos] & 0xff;
            int vtype = vcode & ~FLAG_REF;
            if ((vtype == '(' || vtype == ')') && (vcode & FLAG_REF) == 0) {
                int at = pos++;
                int n = vtype == ')' && pos < end ? b[pos++] & 0xff : vtype == ')' ? smallSize() : i32();
                if (n == 4) {
                    enter();
                    long enc = readCount("caller call count", keyId);
                    BigInteger bigNc = takeBig();
                    long ecc = readCount("caller primitive call count", keyId);
                    BigInteger bigCc = takeBig();
                    double ett = readTime("caller total time", keyId);
                    double ect = readTime("caller cumulative time", keyId);
                    depth--;
                    int edge = data.addCaller(entry, caller, enc, ecc, ett, ect, false, false);
                    if (bigNc != null || bigCc != null) {
                        data.setEdgeCounts(edge, bigNc != null ? bigNc : (Number) enc, bigCc != null ? bigCc : (Number) ecc);
                    }
                    continue;
                }
                pos = at;
            }
            addEdge(data, entry, keyId, caller, readObject());
        }
        depth--;
    }

    private void addEdge(ProfileData data, int entry, int keyId, int caller, Object v) {
        if (v instanceof Py.Tuple && ((Py.Tuple) v).items.length == 4) {
            Object[] t = ((Py.Tuple) v).items;
            long enc = count(t[0], "caller call count", keyId);
            BigInteger bigNc = takeBig();
            long ecc = count(t[1], "caller primitive call count", keyId);
            BigInteger bigCc = takeBig();
            int edge = data.addCaller(entry, caller, enc, ecc, time(t[2], "caller total time", keyId),
                    time(t[3], "caller cumulative time", keyId), false, false);
            if (bigNc != null || bigCc != null) {
                data.setEdgeCounts(edge, bigNc != null ? bigNc : (Number) enc, bigCc != null ? bigCc : (Number) ecc);
            }
        } else if (v instanceof Long || v instanceof Boolean || v instanceof BigInteger) {
            // The profile module's shape: a plain count of calls from that caller.
            long n = count(v, "caller call count", keyId);
            BigInteger big = takeBig();
            int edge = data.addCaller(entry, caller, n, n, 0, 0, true, false);
            if (big != null) data.setEdgeCounts(edge, big, big);
        } else {
            throw new BadData("not a profile: the statistics of caller " + display(data.keyById(caller))
                    + " in the callers of " + name(keyId) + " are " + Py.a(v) + ", not (nc, cc, tt, ct) or a call count");
        }
    }

    private long readCount(String what, int keyId) {
        int p = pos;
        if (end - p >= 5) {
            int code = b[p] & 0xff;
            if ((code & ~FLAG_REF) == 'i') return readInt();
            if (code == 'r') {
                // CPython writes a small int once and refers to it after: the usual count. Read in place.
                int i = (b[p + 1] & 0xff) | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff) << 16 | (b[p + 4] & 0xff) << 24;
                pos = p + 5;
                Object o = i >= 0 && i < refCount ? refs[i] : null;
                return o instanceof Long ? (Long) o : count(refAt(p, i), what, keyId);
            }
        }
        return count(readObject(), what, keyId);
    }

    private double readTime(String what, int keyId) {
        if (pos < end) {
            int code = b[pos] & 0xff;
            if (code == 'g' && end - pos >= 9) {
                pos++;
                return Double.longBitsToDouble(i64());
            }
        }
        return time(readObject(), what, keyId);
    }

    private long count(Object o, String what, int keyId) {
        if (o instanceof Long) return (Long) o;
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        if (o instanceof BigInteger) return big((BigInteger) o);
        throw new BadData("not a profile: the " + what + " of " + name(keyId) + " is " + Py.a(o) + ", not an int");
    }

    /*
     * An int beyond a long (readLong gives a BigInteger only then), which Python reads, adds and prints as any
     * other: the caller of count or keyLine takes it with takeBig right after, and the long returned stands for
     * it only where its sign matters.
     */
    private BigInteger pendingBig;

    private long big(BigInteger v) {
        pendingBig = v;
        return v.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    /** The int beyond a long that the last count or line number read was, or null (the usual case). */
    private BigInteger takeBig() {
        BigInteger v = pendingBig;
        if (v != null) pendingBig = null;
        return v;
    }

    private double time(Object o, String what, int keyId) {
        if (o instanceof Double) return (Double) o;
        if (o instanceof Long) return (Long) o;
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        if (o instanceof BigInteger) return ((BigInteger) o).doubleValue();
        throw new BadData("not a profile: the " + what + " of " + name(keyId) + " is " + Py.a(o) + ", not a number");
    }

    /** A function as pstats names it, {@code file:line(name)}. */
    private String name(int keyId) {
        return display(building.keyById(keyId));
    }

    /**
     * A key for a message, which must stay one line: as pstats prints it, or quoted with Python's escapes when it
     * holds a line break or another control character (damaged data can hold anything).
     */
    static String display(FunctionKey key) {
        String s = key.stdString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) return PyText.repr(s);
        }
        return s;
    }

    /** Where the reader is, for a message: in which part of the profile, or in a value outside one. */
    private String where() {
        switch (part) {
            case IN_DICT: return "the dict of function statistics, after " + functions
                    + (functions == 1 ? " function" : " functions");
            case IN_STATS: return "the statistics of " + name(partKey);
            case IN_CALLERS: return "the callers of " + name(partKey);
            default: return "a marshalled value";
        }
    }

    // ---------------------------------------------------------------- generic marshal

    /*
     * The generic reader keeps the containers it is inside on an explicit stack instead of recursing, so that its
     * use of the thread's stack does not grow with the nesting: a JIT-compiled recursive reader needs a kilobyte or
     * more per level and would overflow a small thread stack long before marshal's limit of 2000 levels.
     */
    private static final Object OPEN = new Object(); // the container on top of the stack wants its next item

    private static final int TUPLE = 0, LIST = 1, DICT = 2, SET = 3, CODE = 4;

    /** Code-object layouts by their number of leading 32-bit counts, in the order they are tried. */
    private static final int[] CODE_LAYOUTS = {5, 6, 4};

    /** A container being read: what it holds so far and what it needs next. */
    private static final class Frame {
        int kind, at, slot, n, i;
        boolean frozen;
        Object[] items;
        List<Object> list;
        Map<Object, Object> map;
        Object key;
        Py.Tuple tuple; // TUPLE: the tuple entered for reference before its items, or null
        // CODE: where its fields start, the layout being tried, what it found, and how to undo a failed attempt.
        int start, layout, refMark, internMark, furthest;
        boolean py311;
        String file, name;
        long line;
        BadData furthestError;
    }

    private Frame[] frames = new Frame[0];
    private int sp;          // frames in use
    private int bottom;      // frames below this belong to no one: readObject is not re-entered
    private long retryBudget = -1;

    /** Reads any one marshal value. */
    Object readObject() {
        bottom = sp = 0;
        boolean resume = false;
        while (true) {
            try {
                return run(resume);
            } catch (BadData e) {
                retryCode(e); // throws when no code object can try another layout
                resume = true;
            }
        }
    }

    private Object run(boolean resume) {
        Object v = resume ? OPEN : start();
        while (true) {
            if (v == OPEN) {
                v = start();
            } else if (sp == bottom) {
                return v;
            } else {
                v = deliver(frames[sp - 1], v);
            }
        }
    }

    /** Reads a scalar and returns it, or opens a container and returns OPEN (or the container, if empty). */
    private Object start() {
        if (pos >= end) throw truncated(null);
        if (depth + (sp - bottom) + 1 > MAX_DEPTH) throw tooDeep();
        int at = pos;
        int code = b[pos++] & 0xff;
        boolean flag = (code & FLAG_REF) != 0;
        int type = code & ~FLAG_REF;
        switch (type) {
            case '0': return NULL;
            case 'N': return Py.NONE;
            case 'F': return Boolean.FALSE;
            case 'T': return Boolean.TRUE;
            case 'S': return Py.STOP_ITERATION;
            case '.': return Py.ELLIPSIS;
            case 'i': need(4); return ref(flag, (long) i32());
            case 'I': need(8); return ref(flag, i64());
            case 'l': return ref(flag, readLong());
            case 'f': return ref(flag, asciiDouble(at));
            case 'g': need(8); return ref(flag, Double.longBitsToDouble(i64()));
            case 'x': {
                double re = asciiDouble(at), im = asciiDouble(at);
                return ref(flag, new Py.Complex(re, im));
            }
            case 'y': {
                need(16);
                double re = Double.longBitsToDouble(i64()), im = Double.longBitsToDouble(i64());
                return ref(flag, new Py.Complex(re, im));
            }
            case 's': {
                int n = length("bytes object");
                byte[] d = new byte[n];
                System.arraycopy(b, pos, d, 0, n);
                pos += n;
                return ref(flag, new Py.Bytes(d));
            }
            case 'u': {
                String s = utf8OrNull(length("string"));
                if (s == null) throw badAt(at, "a string that is not valid UTF-8");
                return ref(flag, s);
            }
            case 't': {
                // Python 3 writes interned str as UTF-8 here; Python 2 wrote its interned byte strings, which
                // read as Latin-1 text when they are not UTF-8, as plain bytes ('s') do.
                int n = length("string");
                int from = pos;
                String s = utf8OrNull(n);
                if (s == null) s = new String(b, from, n, StandardCharsets.ISO_8859_1);
                interned.add(s);
                return ref(flag, s);
            }
            case 'a': case 'A': {
                String s = latin1(length("string"));
                if (type == 'A') interned.add(s);
                return ref(flag, s);
            }
            case 'z': case 'Z': {
                need(1);
                int n = u8();
                if (n > end - pos) throw truncatedAt(at, "a string of " + n + " bytes");
                String s = latin1(n);
                if (type == 'Z') interned.add(s);
                return ref(flag, s);
            }
            case 'R': {
                need(4);
                int i = i32();
                if (i < 0 || i >= interned.size()) {
                    throw badAt(at, "a reference to interned string #" + i + ", but " + interned.size()
                            + " were read before it");
                }
                return interned.get(i);
            }
            case 'r': {
                need(4);
                return refAt(at, i32());
            }
            case '(': case ')': {
                int n = type == ')' ? smallSize() : length("tuple");
                if (n > end - pos) throw truncatedAt(at, "a tuple of " + n + " items");
                if (n == 0) return ref(flag, new Py.Tuple(new Object[0]));
                // marshal.c enters a tuple in the reference table before reading its items (R_REF), so an item
                // may refer back to it: a cycle, which Python reads. The tuple is entered open and closed below.
                Py.Tuple open = null;
                if (flag) addRef(open = Py.Tuple.open());
                Frame f = push(TUPLE, at);
                f.tuple = open;
                f.n = n;
                f.items = new Object[Math.min(n, INITIAL_ITEMS)];
                return OPEN;
            }
            case '[': {
                int n = length("list");
                if (n > end - pos) throw truncatedAt(at, "a list of " + n + " items");
                List<Object> list = new ArrayList<>(Math.min(n, INITIAL_ITEMS));
                if (flag) addRef(list); // marshal.c enters a list before its items (R_REF)
                if (n == 0) return list;
                Frame f = push(LIST, at);
                f.n = n;
                f.list = list;
                return OPEN;
            }
            case '{': {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (flag) addRef(map);
                Frame f = push(DICT, at);
                f.map = map;
                return OPEN;
            }
            case '<': case '>': {
                int n = length("set");
                if (n > end - pos) throw truncatedAt(at, "a set of " + n + " items");
                int slot = flag ? reserve() : -1;
                if (n == 0) return fill(slot, new Py.PySet(new Object[0], type == '>'));
                Frame f = push(SET, at);
                f.slot = slot;
                f.frozen = type == '>';
                f.n = n;
                f.items = new Object[Math.min(n, INITIAL_ITEMS)];
                return OPEN;
            }
            case 'c': {
                int slot = flag ? reserve() : -1;
                Frame f = push(CODE, at);
                f.slot = slot;
                f.start = pos;
                f.refMark = refCount;
                f.internMark = interned.size();
                f.furthest = -1;
                f.furthestError = null;
                f.layout = -1;
                if (!nextLayout(f)) {
                    sp--;
                    // Too few bytes left for the counts of some layout: the file may just be cut there.
                    if (end - f.start <= 4 * 6) throw truncatedAt(at, "a code object");
                    throw badAt(at, "a code object in no known layout");
                }
                return OPEN;
            }
            default:
                throw badAt(at, String.format("unknown type code 0x%02x", code));
        }
    }

    private Frame push(int kind, int at) {
        if (sp == frames.length) {
            frames = java.util.Arrays.copyOf(frames, Math.max(16, sp * 2));
        }
        Frame f = frames[sp];
        if (f == null) frames[sp] = f = new Frame();
        sp++;
        f.kind = kind;
        f.at = at;
        f.slot = -1;
        f.i = 0;
        f.items = null;
        f.list = null;
        f.map = null;
        f.key = null;
        f.tuple = null;
        return f;
    }

    /**
     * A size read from the file is a claim, not a fact: containers start small and double as their items arrive,
     * so that what is allocated follows the bytes read. Each item takes at least one byte, so a claim beyond the
     * bytes left is refused at once; nested claims each as large as the rest of the file would otherwise add up.
     */
    private static final int INITIAL_ITEMS = 16;

    private static Object[] grow(Object[] items, int claimed) {
        return java.util.Arrays.copyOf(items, (int) Math.min(claimed, 2L * items.length));
    }

    private Object fill(int slot, Object o) {
        if (slot >= 0) refs[slot] = o;
        return o;
    }

    /** Gives a finished value to the container on top; returns OPEN if it wants more, else the finished container. */
    private Object deliver(Frame f, Object v) {
        switch (f.kind) {
            case TUPLE:
                if (f.i == f.items.length) f.items = grow(f.items, f.n);
                f.items[f.i++] = value(v, f.at, "tuple");
                if (f.i < f.n) return OPEN;
                sp--;
                if (f.tuple == null) return new Py.Tuple(f.items);
                f.tuple.close(f.items);
                return f.tuple;
            case LIST:
                f.list.add(value(v, f.at, "list"));
                if (++f.i < f.n) return OPEN;
                sp--;
                return f.list;
            case SET:
                if (f.i == f.items.length) f.items = grow(f.items, f.n);
                f.items[f.i++] = hashable(value(v, f.at, "set"), f.at, "set item");
                if (f.i < f.n) return OPEN;
                sp--;
                return fill(f.slot, new Py.PySet(f.items, f.frozen));
            case DICT:
                if (f.key == null) {
                    if (v == NULL) {
                        sp--;
                        return f.map;
                    }
                    f.key = hashable(v, f.at, "dict key");
                } else if (v == NULL) {
                    // marshal.c ends a dict without error where a value is NULL, dropping the key.
                    sp--;
                    return f.map;
                } else {
                    f.map.put(f.key, v);
                    f.key = null;
                }
                return OPEN;
            default:
                return deliverCode(f, v);
        }
    }

    /*
     * A code object. Its layout changed across Python versions; all start with raw 32-bit counts and end with the
     * fields a repr needs (file name, name, first line) among the last few:
     * Python 2: 4 counts, code, consts, names, varnames, freevars, cellvars, filename, name, firstlineno, lnotab;
     * 3.0-3.7: 5 counts and the same objects; 3.8-3.10: 6 counts and the same objects;
     * 3.11+: 5 counts, code, consts, names, localsplusnames, localspluskinds, filename, name, qualname, firstlineno,
     * linetable, exceptiontable.
     * The counts carry no type codes, so their number is found by trying each layout whose bytecode (a bytes
     * object) follows them, and keeping the one that reads through.
     */
    private Object deliverCode(Frame f, Object v) {
        value(v, f.at, "code object");
        int field = f.i++;
        if (field == 4) f.py311 = v instanceof Py.Bytes; // localspluskinds, where older layouts have freevars
        int fileField = f.py311 ? 5 : 6;
        if (field == fileField) f.file = codeText(v, f.at);
        if (field == fileField + 1) f.name = codeText(v, f.at);
        if (field == 7) f.line = i32(); // firstlineno follows name (qualname in 3.11), a raw field like the counts
        if (field < (f.py311 ? 9 : 8)) return OPEN;
        sp--;
        return fill(f.slot, new Py.Code(f.name, f.file, f.line));
    }

    /** Positions a code frame at the next layout whose bytecode marker fits; false when none is left. */
    private boolean nextLayout(Frame f) {
        for (int k = f.layout + 1; k < CODE_LAYOUTS.length; k++) {
            int ints = CODE_LAYOUTS[k];
            if (end - f.start > 4 * ints && (b[f.start + 4 * ints] & 0x7f) == 's') {
                f.layout = k;
                f.i = 0;
                f.py311 = false;
                f.file = f.name = null;
                pos = f.start + 4 * ints;
                return true;
            }
        }
        return false;
    }

    /**
     * After a failure inside code objects, lets the innermost one that has another layout to try start over with
     * it; a code object out of layouts fails in its turn, inside the next one out. Throws when none is left to try.
     * Retries are bounded by the bytes they re-read, so no input takes more than a few passes over the file.
     */
    private void retryCode(BadData e) {
        if (retryBudget < 0) retryBudget = 4L * end + 65536;
        for (int k = sp - 1; k >= bottom; k--) {
            Frame f = frames[k];
            if (f.kind != CODE) continue;
            if (pos > f.furthest) {
                f.furthest = pos;
                f.furthestError = e;
            }
            retryBudget -= pos - f.start;
            sp = k + 1;
            while (refCount > f.refMark) {
                int last = --refCount;
                if (last < keyIdOfRef.length) keyIdOfRef[last] = 0; // the slot may hold something else next time
                refs[last] = null;
            }
            while (interned.size() > f.internMark) interned.remove(interned.size() - 1);
            if (retryBudget > 0 && nextLayout(f)) return;
            // This code object fits no layout. When the attempt that read furthest ran out of data or nesting, that
            // is the likely cause (a truncated file most often); otherwise the layout is unknown.
            sp = k;
            BadData why = f.furthestError;
            e = why.truncated || why.tooDeep ? why : badAt(f.at, "a code object in no known layout");
            pos = f.furthest;
        }
        throw e;
    }

    private String codeText(Object o, int at) {
        if (o instanceof String) return (String) o;
        if (o instanceof Py.Bytes) return text((Py.Bytes) o);
        throw badAt(at, "a code object whose name or file is " + Py.a(o));
    }

    private Object value(Object o, int at, String container) {
        if (o == NULL) throw badAt(at, "a " + container + " holds a NULL");
        return o;
    }

    /** Refuses what Python cannot hash as a dict key or set item (PyDict_SetItem, PySet_Add fail on it). */
    private Object hashable(Object k, int at, String role) {
        if (!Py.isHashable(k)) throw badAt(at, "a " + role + " is unhashable (" + Py.a(k) + ")");
        return k;
    }

    private Object readLong() {
        need(4);
        int at = pos - 1;
        int n = i32();
        if (n == Integer.MIN_VALUE) throw badAt(at, "a long integer whose size is out of range");
        int size = Math.abs(n);
        if ((long) size * 2 > end - pos) throw truncatedAt(at, "a long integer of " + size + " digits");
        // marshal.c refuses a zero top digit ("unnormalized long data"); it also leaves no sign for a zero.
        if (size > 0 && b[pos + 2 * size - 2] == 0 && b[pos + 2 * size - 1] == 0) {
            throw badAt(at, "a long integer whose top digit is zero (unnormalized)");
        }
        if (size <= 4) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                int d = u16();
                if (d >= 1 << 15) throw badAt(at, "a long integer with a digit out of range");
                v |= (long) d << (15 * i);
            }
            return n < 0 ? -v : v;
        }
        // Pack the 15-bit digits, least significant first, into a big-endian magnitude in one pass: building the
        // number digit by digit with shifts would cost time and memory quadratic in its length.
        byte[] mag = new byte[(int) ((size * 15L + 7) / 8)];
        int k = mag.length - 1, bits = 0;
        long acc = 0;
        for (int i = 0; i < size; i++) {
            int d = u16();
            if (d >= 1 << 15) throw badAt(at, "a long integer with a digit out of range");
            acc |= (long) d << bits;
            bits += 15;
            while (bits >= 8) {
                mag[k--] = (byte) acc;
                acc >>>= 8;
                bits -= 8;
            }
        }
        if (bits > 0) mag[k] = (byte) acc;
        BigInteger v = new BigInteger(n < 0 ? -1 : 1, mag);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** TYPE_FLOAT's text (versions 0 and 1), read as CPython reads it: strictly, and keeping a NaN's sign. */
    private double asciiDouble(int at) {
        need(1);
        int n = u8();
        if (n > end - pos) throw truncatedAt(at, "a float of " + n + " characters");
        String s = latin1(n);
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String body = negative || lower.startsWith("+") ? lower.substring(1) : lower;
        if (body.equals("inf") || body.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (body.equals("nan")) return negative ? Double.longBitsToDouble(0xfff8000000000000L) : Double.NaN;
        // PyOS_string_to_double accepts, besides inf, infinity and nan, decimal notation with nothing around it.
        if (!PyText.isFloatLiteral(s, false)) {
            throw badAt(at, "a float written as text is not a number: " + PyText.repr(s));
        }
        return Double.parseDouble(s);
    }

    // ---------------------------------------------------------------- bytes

    private void enter() {
        if (++depth > MAX_DEPTH) throw tooDeep();
    }

    /** The object a back-reference names; one still being read (a tuple referring to itself) is invalid too. */
    private Object refAt(int at, int i) {
        if (i < 0 || i >= refCount) {
            throw badAt(at, "a reference to object #" + i + ", but " + refCount + " were marked for reference before it");
        }
        Object o = refs[i];
        if (o == RESERVED) throw badAt(at, "a reference to object #" + i + ", which is still being read");
        return o;
    }

    private int reserve() {
        addRef(RESERVED);
        return refCount - 1;
    }

    private void addRef(Object o) {
        if (refCount == refs.length) refs = java.util.Arrays.copyOf(refs, refCount * 2);
        refs[refCount++] = o;
    }

    private Object ref(boolean flag, Object o) {
        if (flag) addRef(o);
        return o;
    }

    private int need(int n) {
        if (end - pos < n) throw truncated(null);
        return 0;
    }

    private int length(String what) {
        need(4);
        int at = pos - 1;
        int n = i32();
        if (n < 0) throw badAt(at, "a " + what + " of negative size (" + n + ")");
        if (what.equals("string") || what.equals("bytes object")) {
            if (n > end - pos) throw truncatedAt(at, "a " + what + " of " + n + " bytes");
        }
        return n;
    }

    private int smallSize() {
        need(1);
        return u8();
    }

    private int u8() {
        return b[pos++] & 0xff;
    }

    private int u16() {
        int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    private int i32() {
        if (end - pos < 4) throw truncated(null);
        int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | (b[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    private long i64() {
        if (end - pos < 8) throw truncated(null);
        int p = pos;
        long lo = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (long) (b[p + 3] & 0xff) << 24;
        long hi = (b[p + 4] & 0xff) | (b[p + 5] & 0xff) << 8 | (b[p + 6] & 0xff) << 16 | (long) (b[p + 7] & 0xff) << 24;
        pos = p + 8;
        return lo | hi << 32;
    }

    private String latin1(int n) {
        if (n > end - pos) throw truncated(null);
        String s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    /** UTF-8 with lone surrogates allowed (marshal.c decodes with "surrogatepass"); null if not valid. */
    private String utf8OrNull(int n) {
        boolean ascii = true;
        for (int i = pos, e = pos + n; i < e; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) return latin1(n);
        int at = pos;
        pos += n;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, at, n)).toString();
        } catch (CharacterCodingException e) {
            return surrogatePass(at, n);
        }
    }

    /** UTF-8 with encoded surrogates allowed, as CPython writes lone surrogates ({@code surrogatepass}). */
    private String surrogatePass(int from, int n) {
        CharBuffer out = CharBuffer.allocate(n);
        int i = from, e = from + n;
        while (i < e) {
            int c = b[i] & 0xff;
            if (c < 0x80) { out.put((char) c); i++; continue; }
            int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
            if (len == 0 || c > 0xf4 || i + len > e) return null;
            int cp = c & (0x3f >> (len - 1));
            for (int k = 1; k < len; k++) {
                int cb = b[i + k] & 0xff;
                if ((cb & 0xc0) != 0x80) return null;
                cp = cp << 6 | (cb & 0x3f);
            }
            int min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
            if (cp < min || cp > 0x10ffff) return null;
            out.put(Character.toChars(cp));
            i += len;
        }
        out.flip();
        return out.toString();
    }

    /** Text of a bytes object ({@code s}, Python 2's str): UTF-8 if it is, else Latin-1. */
    static String text(Py.Bytes bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.data)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes.data, StandardCharsets.ISO_8859_1);
        }
    }

    /*
     * Messages name the problem as a user sees it: "truncated" when the data runs out (a size claiming more bytes
     * than are left counts as that: it is what a cut file looks like), "damaged at byte N" for data marshal cannot
     * read, "not a profile" for readable data that is not pstats statistics; and where in the profile it happened.
     */

    /** The data ran out; {@code detail} names the value that claims more than is left, if one does. */
    private BadData truncated(String detail) {
        return new BadData("truncated: the file ends after " + end + " bytes, in " + where()
                + (detail == null ? "" : " (" + detail + ")"), true, false);
    }

    private BadData truncatedAt(int at, String what) {
        return truncated(what + " at byte " + at);
    }

    private BadData tooDeep() {
        return new BadData("damaged at byte " + pos + ": values nested deeper than " + MAX_DEPTH
                + " levels (marshal's limit)" + inPart(), false, true);
    }

    private BadData badAt(int at, String what) {
        return new BadData("damaged at byte " + at + ": " + what + inPart());
    }

    private String inPart() {
        return part == IN_VALUE ? "" : ", in " + where();
    }
}
