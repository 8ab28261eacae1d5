package dev.jcprofile.format;

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
 * <p>Every length is checked against the bytes that remain before anything is allocated, and nesting stops at
 * marshal's own limit of 2000 levels, so damaged or hostile input fails with a message, never with an
 * OutOfMemoryError or a StackOverflowError.
 */
final class MarshalReader {
    /** CPython's {@code MAX_MARSHAL_STACK_DEPTH}. */
    static final int MAX_DEPTH = 2000;

    private static final int FLAG_REF = 0x80;
    private static final Object NULL = new Object();     // TYPE_NULL, the dict terminator
    private static final Object RESERVED = new Object(); // a ref slot whose object is still being read

    private final byte[] b;
    private final int end;
    private int pos;
    private int depth;
    private final ArrayList<Object> refs = new ArrayList<>();
    private final ArrayList<String> interned = new ArrayList<>(); // Python 2's 't' strings, for 'R'

    static final class BadData extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The data ran out (the file may be cut short rather than damaged), or nested too deep. */
        final boolean truncated, tooDeep;
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

    /** Reads one marshal value that must be a pstats dict. What follows it is left unread. */
    ProfileData readProfile() {
        if (pos >= end) throw bad("the file is empty");
        int code = b[pos] & 0xff;
        if ((code & ~FLAG_REF) != '{') {
            Object o = readObject();
            throw new BadData("not a profile: the file holds a marshalled " + Py.typeName(o)
                    + ", not a dict of function statistics");
        }
        pos++;
        if ((code & FLAG_REF) != 0) refs.add(RESERVED); // a profile dict never refers to itself
        // Rough sizes from the file length keep the arrays from growing many times on big files.
        int bytes = end - pos;
        ProfileData data = new ProfileData(bytes / 400, bytes / 40);
        depth = 1;
        while (true) {
            if (pos >= end) throw truncated("truncated: the profile dict has no end");
            if (b[pos] == '0') {
                pos++;
                break;
            }
            int keyId = readKeyId(data, "function");
            readStatsValue(data, keyId);
        }
        depth = 0;
        return data;
    }

    private int readKeyId(ProfileData data, String role) {
        if (pos >= end) throw truncated("truncated in a " + role + " key");
        int code = b[pos] & 0xff;
        int type = code & ~FLAG_REF;
        if (type == '(' || type == ')') {
            int at = pos++;
            int n = type == ')' ? smallSize() : i32();
            if (n != 3) {
                pos = at;
                throw notKey(readObject(), role);
            }
            int slot = (code & FLAG_REF) != 0 ? reserve() : -1;
            enter();
            String file = readText("file name");
            long line = readLine();
            FunctionKey key;
            Object name = readObject();
            if (name instanceof String) {
                key = new FunctionKey(file, line, (String) name);
            } else if (name instanceof Py.Code) {
                key = new FunctionKey(file, line, ((Py.Code) name).repr(), true);
            } else if (name instanceof Py.Bytes) {
                key = new FunctionKey(file, line, text((Py.Bytes) name));
            } else {
                throw new BadData("not a profile: a function name is a " + Py.typeName(name) + ", not a str");
            }
            depth--;
            int id = data.intern(key);
            if (slot >= 0) refs.set(slot, new KeyRef(key, id));
            return id;
        }
        Object o = readObject();
        if (o instanceof KeyRef) return ((KeyRef) o).id;
        FunctionKey key = keyOf(o);
        if (key == null) throw notKey(o, role);
        return data.intern(key);
    }

    private static BadData notKey(Object o, String role) {
        return new BadData("not a profile: a " + role + " key is a " + Py.typeName(o)
                + ", not a (file, line, name) tuple");
    }

    private static FunctionKey keyOf(Object o) {
        if (!(o instanceof Py.Tuple)) return null;
        Object[] t = ((Py.Tuple) o).items;
        if (t.length != 3) return null;
        Object file = t[0] instanceof Py.Bytes ? text((Py.Bytes) t[0]) : t[0];
        Object line = t[1];
        if (!(file instanceof String)) return null;
        long l;
        if (line instanceof Long) l = (Long) line;
        else if (line instanceof Boolean) l = ((Boolean) line) ? 1 : 0;
        else return null;
        if (t[2] instanceof String) return new FunctionKey((String) file, l, (String) t[2]);
        if (t[2] instanceof Py.Bytes) return new FunctionKey((String) file, l, text((Py.Bytes) t[2]));
        if (t[2] instanceof Py.Code) return new FunctionKey((String) file, l, ((Py.Code) t[2]).repr(), true);
        return null;
    }

    private void readStatsValue(ProfileData data, int keyId) {
        if (pos >= end) throw truncated("truncated in the statistics of " + data.keyById(keyId).stdString());
        int code = b[pos] & 0xff;
        int type = code & ~FLAG_REF;
        if ((type == '(' || type == ')') && (code & FLAG_REF) == 0) {
            int at = pos++;
            int n = type == ')' ? smallSize() : i32();
            if (n == 5) {
                enter();
                long cc = readCount("primitive call count");
                long nc = readCount("call count");
                double tt = readTime("total time");
                double ct = readTime("cumulative time");
                int entry = data.beginEntry(keyId, cc, nc, tt, ct);
                readCallers(data, entry);
                depth--;
                return;
            }
            pos = at;
        }
        // Shared or unusual values: read the Python object, then convert it.
        Object o = readObject();
        if (!(o instanceof Py.Tuple) || ((Py.Tuple) o).items.length != 5) {
            throw new BadData("not a profile: the statistics of " + data.keyById(keyId).stdString() + " are a "
                    + Py.typeName(o) + ", not (cc, nc, tt, ct, callers)");
        }
        Object[] t = ((Py.Tuple) o).items;
        int entry = data.beginEntry(keyId, count(t[0], "primitive call count"), count(t[1], "call count"),
                time(t[2], "total time"), time(t[3], "cumulative time"));
        if (!(t[4] instanceof Map)) throw new BadData("not a profile: callers are a " + Py.typeName(t[4]) + ", not a dict");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) t[4]).entrySet()) {
            int caller;
            if (e.getKey() instanceof KeyRef) caller = ((KeyRef) e.getKey()).id;
            else {
                FunctionKey k = keyOf(e.getKey());
                if (k == null) throw notKey(e.getKey(), "caller");
                caller = data.intern(k);
            }
            addEdge(data, entry, caller, e.getValue());
        }
    }

    private void readCallers(ProfileData data, int entry) {
        if (pos >= end) throw truncated("truncated before the callers dict");
        int code = b[pos] & 0xff;
        if ((code & ~FLAG_REF) != '{') {
            Object o = readObject();
            if (o instanceof Map) {
                // A dict shared by reference: its keys are already-built objects.
                for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                    FunctionKey k = e.getKey() instanceof KeyRef ? ((KeyRef) e.getKey()).key : keyOf(e.getKey());
                    if (k == null) throw notKey(e.getKey(), "caller");
                    addEdge(data, entry, data.intern(k), e.getValue());
                }
                return;
            }
            throw new BadData("not a profile: callers are a " + Py.typeName(o) + ", not a dict");
        }
        pos++;
        if ((code & FLAG_REF) != 0) {
            // Another value may refer to this dict later: read it as an object so the reference can be resolved.
            pos--;
            Object o = readObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                FunctionKey k = e.getKey() instanceof KeyRef ? ((KeyRef) e.getKey()).key : keyOf(e.getKey());
                if (k == null) throw notKey(e.getKey(), "caller");
                addEdge(data, entry, data.intern(k), e.getValue());
            }
            return;
        }
        enter();
        while (true) {
            if (pos >= end) throw truncated("truncated in a callers dict");
            if (b[pos] == '0') {
                pos++;
                break;
            }
            int caller = readKeyId(data, "caller");
            if (pos >= end) throw truncated("truncated in a callers dict");
            int vcode = b[pos] & 0xff;
            int vtype = vcode & ~FLAG_REF;
            if ((vtype == '(' || vtype == ')') && (vcode & FLAG_REF) == 0) {
                int at = pos++;
                int n = vtype == ')' ? smallSize() : i32();
                if (n == 4) {
                    enter();
                    long enc = readCount("caller call count");
                    long ecc = readCount("caller primitive call count");
                    double ett = readTime("caller total time");
                    double ect = readTime("caller cumulative time");
                    depth--;
                    data.addCaller(entry, caller, enc, ecc, ett, ect, false, false);
                    continue;
                }
                pos = at;
            }
            addEdge(data, entry, caller, readObject());
        }
        depth--;
    }

    private static void addEdge(ProfileData data, int entry, int caller, Object v) {
        if (v instanceof Py.Tuple && ((Py.Tuple) v).items.length == 4) {
            Object[] t = ((Py.Tuple) v).items;
            data.addCaller(entry, caller, count(t[0], "caller call count"), count(t[1], "caller primitive call count"),
                    time(t[2], "caller total time"), time(t[3], "caller cumulative time"), false, false);
        } else if (v instanceof Long || v instanceof Boolean) {
            // The profile module's shape: a plain count of calls from that caller.
            long n = count(v, "caller call count");
            data.addCaller(entry, caller, n, n, 0, 0, true, false);
        } else {
            throw new BadData("not a profile: a caller's statistics are a " + Py.typeName(v)
                    + ", not (nc, cc, tt, ct) nor a call count");
        }
    }

    private long readCount(String what) {
        if (pos < end) {
            int code = b[pos] & 0xff;
            if (code == 'i' && end - pos >= 5) {
                pos++;
                return i32();
            }
        }
        return count(readObject(), what);
    }

    private double readTime(String what) {
        if (pos < end) {
            int code = b[pos] & 0xff;
            if (code == 'g' && end - pos >= 9) {
                pos++;
                return Double.longBitsToDouble(i64());
            }
        }
        return time(readObject(), what);
    }

    private long readLine() {
        Object o = readObject();
        if (o instanceof Long) return (Long) o;
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        if (o instanceof BigInteger) throw new BadData("not a profile: a line number is too large: " + o);
        throw new BadData("not a profile: a line number is a " + Py.typeName(o) + ", not an int");
    }

    private String readText(String what) {
        Object o = readObject();
        if (o instanceof String) return (String) o;
        if (o instanceof Py.Bytes) return text((Py.Bytes) o);
        throw new BadData("not a profile: a " + what + " is a " + Py.typeName(o) + ", not a str");
    }

    private static long count(Object o, String what) {
        if (o instanceof Long) return (Long) o;
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        if (o instanceof BigInteger) throw new BadData("not a profile: a " + what + " is too large: " + o);
        throw new BadData("not a profile: a " + what + " is a " + Py.typeName(o) + ", not an int");
    }

    private static double time(Object o, String what) {
        if (o instanceof Double) return (Double) o;
        if (o instanceof Long) return (Long) o;
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        if (o instanceof BigInteger) return ((BigInteger) o).doubleValue();
        throw new BadData("not a profile: a " + what + " is a " + Py.typeName(o) + ", not a number");
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
        if (pos >= end) throw truncated("truncated: the file ends where a value was expected");
        if (depth + (sp - bottom) + 1 > MAX_DEPTH) {
            throw new BadData("nested deeper than " + MAX_DEPTH + " levels (marshal's limit) (at byte " + pos + ")",
                    false, true);
        }
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
            case 'f': return ref(flag, asciiDouble());
            case 'g': need(8); return ref(flag, Double.longBitsToDouble(i64()));
            case 'x': {
                double re = asciiDouble(), im = asciiDouble();
                return ref(flag, new Py.Complex(re, im));
            }
            case 'y': {
                need(16);
                double re = Double.longBitsToDouble(i64()), im = Double.longBitsToDouble(i64());
                return ref(flag, new Py.Complex(re, im));
            }
            case 's': {
                int n = length("bytes");
                byte[] d = new byte[n];
                System.arraycopy(b, pos, d, 0, n);
                pos += n;
                return ref(flag, new Py.Bytes(d));
            }
            case 'u': return ref(flag, utf8(length("string")));
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
                String s = latin1(u8());
                if (type == 'Z') interned.add(s);
                return ref(flag, s);
            }
            case 'R': {
                need(4);
                int i = i32();
                if (i < 0 || i >= interned.size()) throw badAt(at, "invalid string reference " + i);
                return interned.get(i);
            }
            case 'r': {
                need(4);
                int i = i32();
                if (i < 0 || i >= refs.size() || refs.get(i) == RESERVED) {
                    throw badAt(at, "invalid reference " + i);
                }
                return refs.get(i);
            }
            case '(': case ')': {
                int n = type == ')' ? smallSize() : length("tuple");
                if (n > end - pos) throw truncatedAt(at, "a tuple claims " + n + " items, more than the file holds");
                int slot = flag ? reserve() : -1;
                if (n == 0) return fill(slot, new Py.Tuple(new Object[0]));
                Frame f = push(TUPLE, at);
                f.slot = slot;
                f.n = n;
                f.items = new Object[Math.min(n, INITIAL_ITEMS)];
                return OPEN;
            }
            case '[': {
                int n = length("list");
                if (n > end - pos) throw truncatedAt(at, "a list claims " + n + " items, more than the file holds");
                List<Object> list = new ArrayList<>(Math.min(n, INITIAL_ITEMS));
                if (flag) refs.add(list); // marshal.c enters a list before its items (R_REF)
                if (n == 0) return list;
                Frame f = push(LIST, at);
                f.n = n;
                f.list = list;
                return OPEN;
            }
            case '{': {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (flag) refs.add(map);
                Frame f = push(DICT, at);
                f.map = map;
                return OPEN;
            }
            case '<': case '>': {
                int n = length("set");
                if (n > end - pos) throw truncatedAt(at, "a set claims " + n + " items, more than the file holds");
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
                f.refMark = refs.size();
                f.internMark = interned.size();
                f.furthest = -1;
                f.furthestError = null;
                f.layout = -1;
                if (!nextLayout(f)) {
                    sp--;
                    throw badAt(at, "a code object of an unknown layout");
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
        if (slot >= 0) refs.set(slot, o);
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
                return fill(f.slot, new Py.Tuple(f.items));
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
                } else {
                    f.map.put(f.key, value(v, f.at, "dict"));
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
            while (refs.size() > f.refMark) refs.remove(refs.size() - 1);
            while (interned.size() > f.internMark) interned.remove(interned.size() - 1);
            if (retryBudget > 0 && nextLayout(f)) return;
            // This code object fits no layout. When the attempt that read furthest ran out of data or nesting, that
            // is the likely cause (a truncated file most often); otherwise the layout is unknown.
            sp = k;
            BadData why = f.furthestError;
            e = why.truncated || why.tooDeep ? why : badAt(f.at, "a code object of an unknown layout");
            pos = f.furthest;
        }
        throw e;
    }

    private String codeText(Object o, int at) {
        if (o instanceof String) return (String) o;
        if (o instanceof Py.Bytes) return text((Py.Bytes) o);
        throw badAt(at, "a code object whose name or file is a " + Py.typeName(o));
    }

    private Object value(Object o, int at, String container) {
        if (o == NULL) throw badAt(at, "a " + container + " holds a NULL");
        return o;
    }

    /** Refuses what Python cannot hash as a dict key or set item (PyDict_SetItem, PySet_Add fail on it). */
    private Object hashable(Object k, int at, String role) {
        if (!Py.isHashable(k)) throw badAt(at, "a " + role + " is an unhashable " + Py.typeName(k));
        return k;
    }

    private Object readLong() {
        need(4);
        int at = pos - 1;
        int n = i32();
        if (n == Integer.MIN_VALUE) throw badAt(at, "long size out of range");
        int size = Math.abs(n);
        if ((long) size * 2 > end - pos) throw truncatedAt(at, "a long claims " + size + " digits, more than the file holds");
        // marshal.c refuses a zero top digit ("unnormalized long data"); it also leaves no sign for a zero.
        if (size > 0 && b[pos + 2 * size - 2] == 0 && b[pos + 2 * size - 1] == 0) {
            throw badAt(at, "a long whose top digit is zero (unnormalized)");
        }
        if (size <= 4) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                int d = u16();
                if (d >= 1 << 15) throw badAt(at, "digit out of range in long");
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
            if (d >= 1 << 15) throw badAt(at, "digit out of range in long");
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

    private double asciiDouble() {
        need(1);
        int n = u8();
        String s = latin1(n).trim();
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf": case "+inf": case "infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            case "nan": case "+nan": case "-nan": return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw bad("a float written as text is not a number: " + PyText.repr(s));
                }
        }
    }

    // ---------------------------------------------------------------- bytes

    private void enter() {
        if (++depth > MAX_DEPTH) throw bad("nested deeper than " + MAX_DEPTH + " levels (marshal's limit)");
    }

    private int reserve() {
        refs.add(RESERVED);
        return refs.size() - 1;
    }

    private Object ref(boolean flag, Object o) {
        if (flag) refs.add(o);
        return o;
    }

    private int need(int n) {
        if (end - pos < n) throw truncated("truncated: the file ends inside a value");
        return 0;
    }

    private int length(String what) {
        need(4);
        int at = pos - 1;
        int n = i32();
        if (n < 0) throw badAt(at, "a " + what + " has a negative size");
        if (what.equals("string") || what.equals("bytes")) {
            if (n > end - pos) throw truncatedAt(at, "a " + what + " claims " + n + " bytes, more than the file holds");
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
        if (end - pos < 4) throw truncated("truncated: the file ends inside a value");
        int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | (b[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    private long i64() {
        long lo = i32() & 0xffffffffL;
        long hi = i32() & 0xffffffffL;
        return lo | hi << 32;
    }

    private String latin1(int n) {
        if (n > end - pos) throw truncated("truncated: a string runs past the end of the file");
        String s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    private String utf8(int n) {
        int at = pos;
        String s = utf8OrNull(n);
        if (s == null) throw badAt(at, "a string is not valid UTF-8");
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

    private BadData truncated(String what) {
        return new BadData(what + " (at byte " + pos + ")", true, false);
    }

    private BadData bad(String what) {
        return new BadData(what + " (at byte " + pos + ")");
    }

    /** Data that ran out: a size that claims more than the bytes left. */
    private BadData truncatedAt(int at, String what) {
        return new BadData("bad marshal data at byte " + at + ": " + what, true, false);
    }

    private BadData badAt(int at, String what) {
        return new BadData("bad marshal data at byte " + at + ": " + what);
    }
}
