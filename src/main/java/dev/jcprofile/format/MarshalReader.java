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
        BadData(String message) { super(message, null, false, false); }
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
            if (pos >= end) throw bad("truncated: the profile dict has no end");
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
        if (pos >= end) throw bad("truncated in a " + role + " key");
        int code = b[pos] & 0xff;
        int type = code & ~FLAG_REF;
        if (type == '(' || type == ')') {
            int at = pos++;
            int n = type == ')' ? u8() : i32();
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
        Object o;
        if (code == 'r' && end - pos >= 5) {
            pos++;
            o = refAt(i32());
        } else {
            o = readObject();
        }
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
        if (pos >= end) throw bad("truncated in the statistics of " + data.keyById(keyId).stdString());
        int code = b[pos] & 0xff;
        int type = code & ~FLAG_REF;
        if ((type == '(' || type == ')') && (code & FLAG_REF) == 0) {
            int at = pos++;
            int n = type == ')' ? u8() : i32();
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
        if (pos >= end) throw bad("truncated before the callers dict");
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
            if (pos >= end) throw bad("truncated in a callers dict");
            if (b[pos] == '0') {
                pos++;
                break;
            }
            int caller = readKeyId(data, "caller");
            if (pos >= end) throw bad("truncated in a callers dict");
            int vcode = b[pos] & 0xff;
            int vtype = vcode & ~FLAG_REF;
            if ((vtype == '(' || vtype == ')') && (vcode & FLAG_REF) == 0) {
                int at = pos++;
                int n = vtype == ')' ? u8() : i32();
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
        if (end - pos >= 5) {
            int code = b[pos] & 0xff;
            if ((code & ~FLAG_REF) == 'i') {
                pos++;
                long v = i32();
                if (code != 'i') refs.add(v); // CPython flags shared small ints; boxing them allocates nothing
                return v;
            }
            if (code == 'r') {
                pos++;
                return count(refAt(i32()), what);
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
        if (end - pos >= 5 && (b[pos] & ~FLAG_REF) == 'i') return readCount("line number");
        Object o = readObject();
        if (o instanceof Long) return (Long) o;
        if (o instanceof Boolean) return ((Boolean) o) ? 1 : 0;
        if (o instanceof BigInteger) throw new BadData("not a profile: a line number is too large: " + o);
        throw new BadData("not a profile: a line number is a " + Py.typeName(o) + ", not an int");
    }

    private String readText(String what) {
        if (end - pos >= 2) {
            int code = b[pos] & 0xff;
            int type = code & ~FLAG_REF;
            if (type == 'z' || type == 'Z') {
                pos++;
                String s = latin1(u8());
                if (type == 'Z') interned.add(s);
                if (code != type) refs.add(s);
                return s;
            }
            if (code == 'r' && end - pos >= 5) {
                pos++;
                Object o = refAt(i32());
                if (o instanceof String) return (String) o;
                if (o instanceof Py.Bytes) return text((Py.Bytes) o);
                throw new BadData("not a profile: a " + what + " is a " + Py.typeName(o) + ", not a str");
            }
        }
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

    /** Reads any one marshal value. */
    Object readObject() {
        if (pos >= end) throw bad("truncated: the file ends where a value was expected");
        int at = pos;
        int code = b[pos++] & 0xff;
        boolean flag = (code & FLAG_REF) != 0;
        int type = code & ~FLAG_REF;
        enter();
        try {
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
                case 't': case 'u': {
                    int n = length("string");
                    String s = utf8(n);
                    if (type == 't') interned.add(s);
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
                    return refAt(i32());
                }
                case '(': case ')': {
                    int n = type == ')' ? smallSize() : length("tuple");
                    if (n > end - pos) throw badAt(at, "a tuple claims " + n + " items, more than the file holds");
                    int slot = flag ? reserve() : -1;
                    Object[] items = new Object[n];
                    for (int i = 0; i < n; i++) items[i] = value(readObject(), at, "tuple");
                    Py.Tuple t = new Py.Tuple(items);
                    if (slot >= 0) refs.set(slot, t);
                    return t;
                }
                case '[': {
                    int n = length("list");
                    if (n > end - pos) throw badAt(at, "a list claims " + n + " items, more than the file holds");
                    List<Object> list = new ArrayList<>(n);
                    if (flag) refs.add(list);
                    for (int i = 0; i < n; i++) list.add(value(readObject(), at, "list"));
                    return list;
                }
                case '{': {
                    Map<Object, Object> map = new LinkedHashMap<>();
                    if (flag) refs.add(map);
                    while (true) {
                        Object k = readObject();
                        if (k == NULL) break;
                        map.put(hashable(k, at), value(readObject(), at, "dict"));
                    }
                    return map;
                }
                case '<': case '>': {
                    int n = length("set");
                    if (n > end - pos) throw badAt(at, "a set claims " + n + " items, more than the file holds");
                    int slot = flag ? reserve() : -1;
                    Object[] items = new Object[n];
                    for (int i = 0; i < n; i++) items[i] = value(readObject(), at, "set");
                    Py.PySet s = new Py.PySet(items);
                    if (slot >= 0) refs.set(slot, s);
                    return s;
                }
                case 'c': {
                    int slot = flag ? reserve() : -1;
                    Py.Code c = readCode(at);
                    if (slot >= 0) refs.set(slot, c);
                    return c;
                }
                default:
                    throw badAt(at, String.format("unknown type code 0x%02x", code));
            }
        } finally {
            depth--;
        }
    }

    /**
     * A code object. Its layout changed across Python versions; all start with ints and end with the fields a repr
     * needs (file name, name, first line) among the last few:
     * Python 2: 4 ints, code, consts, names, varnames, freevars, cellvars, filename, name, firstlineno, lnotab;
     * 3.0-3.7: 5 ints and the same objects; 3.8-3.10: 6 ints and the same objects;
     * 3.11+: 5 ints, code, consts, names, localsplusnames, localspluskinds, filename, name, qualname, firstlineno,
     * linetable, exceptiontable.
     */
    private Py.Code readCode(int at) {
        // The leading counts are raw 32-bit fields without type codes; their number tells the version. Try each
        // layout whose next byte is the bytecode's bytes object, and keep the one that reads through.
        int start = pos, refMark = refs.size(), internMark = interned.size();
        for (int ints : new int[] {5, 6, 4}) {
            pos = start;
            while (refs.size() > refMark) refs.remove(refs.size() - 1);
            while (interned.size() > internMark) interned.remove(interned.size() - 1);
            if (end - pos <= 4 * ints || (b[pos + 4 * ints] & 0x7f) != 's') continue;
            pos += 4 * ints;
            try {
                return readCodeBody(at);
            } catch (BadData e) {
                // not this layout
            }
        }
        throw badAt(at, "a code object of an unknown layout");
    }

    private Py.Code readCodeBody(int at) {
        readObject(); // code
        readObject(); // consts
        readObject(); // names
        readObject(); // varnames or localsplusnames
        Object next = readObject();
        String file, name;
        long line;
        if (next instanceof Py.Bytes) {
            // 3.11+: next was localspluskinds.
            file = codeText(readObject(), at);
            name = codeText(readObject(), at);
            readObject(); // qualname
            line = i32(); // a raw field, like the leading counts
            readObject(); // linetable
            readObject(); // exceptiontable
        } else {
            readObject(); // cellvars
            file = codeText(readObject(), at);
            name = codeText(readObject(), at);
            line = i32(); // a raw field, like the leading counts
            readObject(); // lnotab
        }
        return new Py.Code(name, file, line);
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

    private Object hashable(Object k, int at) {
        if (k instanceof List || k instanceof Map) throw badAt(at, "a dict key is an unhashable " + Py.typeName(k));
        return k;
    }

    private Object readLong() {
        need(4);
        int at = pos - 1;
        int n = i32();
        if (n == Integer.MIN_VALUE) throw badAt(at, "long size out of range");
        int size = Math.abs(n);
        if ((long) size * 2 > end - pos) throw badAt(at, "a long claims " + size + " digits, more than the file holds");
        if (size <= 4) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                int d = u16();
                if (d >= 1 << 15) throw badAt(at, "digit out of range in long");
                v |= (long) d << (15 * i);
            }
            return n < 0 ? -v : v;
        }
        BigInteger v = BigInteger.ZERO;
        for (int i = 0; i < size; i++) {
            int d = u16();
            if (d >= 1 << 15) throw badAt(at, "digit out of range in long");
            v = v.or(BigInteger.valueOf(d).shiftLeft(15 * i));
        }
        if (n < 0) v = v.negate();
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

    /** The object a back-reference names; one still being read (a tuple referring to itself) is invalid too. */
    private Object refAt(int i) {
        Object o = i >= 0 && i < refs.size() ? refs.get(i) : RESERVED;
        if (o == RESERVED) throw bad("bad marshal data: invalid reference " + i);
        return o;
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
        if (end - pos < n) throw bad("truncated: the file ends inside a value");
        return 0;
    }

    private int length(String what) {
        need(4);
        int at = pos - 1;
        int n = i32();
        if (n < 0) throw badAt(at, "a " + what + " has a negative size");
        if (what.equals("string") || what.equals("bytes")) {
            if (n > end - pos) throw badAt(at, "a " + what + " claims " + n + " bytes, more than the file holds");
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
        if (end - pos < 4) throw bad("truncated: the file ends inside a value");
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
        if (n > end - pos) throw bad("truncated: a string runs past the end of the file");
        String s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    private String utf8(int n) {
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
            String s = surrogatePass(at, n);
            if (s == null) throw badAt(at, "a string is not valid UTF-8");
            return s;
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

    private BadData bad(String what) {
        return new BadData(what + " (at byte " + pos + ")");
    }

    private BadData badAt(int at, String what) {
        return new BadData("bad marshal data at byte " + at + ": " + what);
    }
}
