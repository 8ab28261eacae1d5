package dev.jcprofile.format;

import dev.jcprofile.cpython.PyOut;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Writes a profile as CPython's {@code marshal.dump(stats)} does at version 4: strings and key tuples are written
 * once and referred to afterwards ({@code FLAG_REF} and {@code r}), so files stay as small as Python's own.
 * A key whose name was a code object is written with the code object's rendering as its name.
 */
final class MarshalWriter {
    private static final int FLAG_REF = 0x80;

    private byte[] buf = new byte[1 << 16];
    private int len;
    private int nextRef;
    private final HashMap<String, Integer> stringRefs = new HashMap<>();
    private int[] keyRefs = new int[0];

    void writeProfile(ProfileData data, OutputStream out) throws IOException {
        keyRefs = new int[data.keyCount()];
        Arrays.fill(keyRefs, -1);
        boolean big = data.hasBigCounts();
        put('{');
        for (int e = 0; e < data.size(); e++) {
            writeKey(data, data.keyId(e));
            put(')');
            put(5);
            if (big) {
                writeInt(data.exactPrimitiveCalls(e));
                writeInt(data.exactCalls(e));
            } else {
                writeInt(data.primitiveCalls(e));
                writeInt(data.calls(e));
            }
            writeFloat(data.ownTime(e));
            writeFloat(data.cumulativeTime(e));
            put('{');
            for (int i = data.callersStart(e); i < data.callersEnd(e); i++) {
                writeKey(data, data.edgeKey(i));
                if (data.edgeIsCount(i)) {
                    if (big) writeInt(data.exactEdgeCalls(i));
                    else writeInt(data.edgeCalls(i));
                } else {
                    put(')');
                    put(4);
                    if (big) {
                        writeInt(data.exactEdgeCalls(i));
                        writeInt(data.exactEdgePrimitiveCalls(i));
                    } else {
                        writeInt(data.edgeCalls(i));
                        writeInt(data.edgePrimitiveCalls(i));
                    }
                    writeFloat(data.edgeOwnTime(i));
                    writeFloat(data.edgeCumulativeTime(i));
                }
                if (len > 1 << 20) flush(out);
            }
            put('0');
        }
        put('0');
        if (data.tree() != null) writeTree(data.tree());
        flush(out);
    }

    /** The name the tree's dict gives its format, by which a reader knows the value after the table is one. */
    static final String TREE_FORMAT = "jcprofile call tree";
    static final int TREE_VERSION = 1;

    /**
     * The calling-context tree, as a second marshal value after the pstats dict (see docs/architecture.md): a dict
     * of parallel lists, one item per node, parents before children. Written without references, so that it
     * reads the same whatever the first value's references were (each {@code marshal.load} starts afresh).
     */
    private void writeTree(CallTree t) {
        int n = t.size();
        put('{');
        plainString("format");
        plainString(TREE_FORMAT);
        plainString("version");
        writeInt(TREE_VERSION);
        plainString("threads");
        list(t.threadCount());
        for (int i = 0; i < t.threadCount(); i++) plainString(t.threadName(i));
        plainString("functions");
        list(t.functionCount());
        for (int f = 0; f < t.functionCount(); f++) {
            FunctionKey k = t.functionKey(f);
            put(')');
            put(3);
            plainString(k.file());
            writeInt(k.exactLine());
            plainString(k.name());
        }
        plainString("parent");
        list(n);
        for (int i = 0; i < n; i++) writeInt(t.parent(i));
        plainString("function");
        list(n);
        for (int i = 0; i < n; i++) writeInt(t.function(i));
        plainString("thread");
        list(n);
        for (int i = 0; i < n; i++) writeInt(t.thread(i));
        plainString("calls");
        list(n);
        for (int i = 0; i < n; i++) writeInt(t.calls(i));
        plainString("tottime");
        list(n);
        for (int i = 0; i < n; i++) writeFloat(t.ownTime(i));
        plainString("cumtime");
        list(n);
        for (int i = 0; i < n; i++) writeFloat(t.totalTime(i));
        put('0');
    }

    private void list(int n) {
        put('[');
        int32(n);
    }

    private void plainString(String s) {
        byte[] utf8 = utf8SurrogatePass(s);
        put('u');
        int32(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, len, utf8.length);
        len += utf8.length;
    }

    private void flush(OutputStream out) throws IOException {
        out.write(buf, 0, len);
        len = 0;
    }

    private void writeKey(ProfileData data, int keyId) {
        int ref = keyRefs[keyId];
        if (ref >= 0) {
            put('r');
            int32(ref);
            return;
        }
        // A tuple's ref index is taken before its items are written (marshal.c, r_ref_reserve).
        keyRefs[keyId] = nextRef++;
        put(')' | FLAG_REF);
        put(3);
        FunctionKey k = data.keyById(keyId);
        writeString(k.file());
        writeInt(k.exactLine());
        writeString(k.name());
    }

    private void writeString(String s) {
        Integer ref = stringRefs.get(s);
        if (ref != null) {
            put('r');
            int32(ref);
            return;
        }
        stringRefs.put(s, nextRef++);
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) ascii = s.charAt(i) < 0x80;
        if (ascii) {
            if (s.length() < 256) {
                put('z' | FLAG_REF);
                put(s.length());
            } else {
                put('a' | FLAG_REF);
                int32(s.length());
            }
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
            return;
        }
        byte[] utf8 = utf8SurrogatePass(s);
        put('u' | FLAG_REF);
        int32(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, len, utf8.length);
        len += utf8.length;
    }

    /** UTF-8 that keeps lone surrogates, as CPython's marshal writes them. */
    static byte[] utf8SurrogatePass(String s) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(s.length() * 3);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            PyOut.utf8(o, c);
        }
        return o.toByteArray();
    }

    /** An int of any size: TYPE_INT or TYPE_LONG as marshal.c's w_PyLong chooses. */
    private void writeInt(Number n) {
        if (!(n instanceof java.math.BigInteger)) {
            writeInt(n.longValue());
            return;
        }
        java.math.BigInteger v = (java.math.BigInteger) n;
        java.math.BigInteger m = v.abs();
        int digits = (m.bitLength() + 14) / 15;
        put('l');
        int32(v.signum() < 0 ? -digits : digits);
        for (int i = 0; i < digits; i++) {
            int d = m.shiftRight(15 * i).intValue() & 0x7fff;
            put(d & 0xff);
            put(d >> 8);
        }
    }

    private void writeInt(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            put('i');
            int32((int) v);
            return;
        }
        // TYPE_LONG: signed count of 15-bit digits, least significant first.
        long m = v == Long.MIN_VALUE ? 0 : Math.abs(v);
        int digits = 0;
        long[] ds = new long[5];
        if (v == Long.MIN_VALUE) {
            java.math.BigInteger big = java.math.BigInteger.valueOf(v).negate();
            while (big.signum() > 0) {
                ds[digits++] = big.intValue() & 0x7fff;
                big = big.shiftRight(15);
            }
        } else {
            while (m != 0) {
                ds[digits++] = m & 0x7fff;
                m >>>= 15;
            }
        }
        put('l');
        int32(v < 0 ? -digits : digits);
        for (int i = 0; i < digits; i++) {
            put((int) ds[i] & 0xff);
            put((int) (ds[i] >> 8) & 0xff);
        }
    }

    private void writeFloat(double d) {
        put('g');
        long bits = Double.doubleToRawLongBits(d);
        int32((int) bits);
        int32((int) (bits >>> 32));
    }

    private void int32(int v) {
        ensure(4);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >> 8);
        buf[len++] = (byte) (v >> 16);
        buf[len++] = (byte) (v >> 24);
    }

    private void put(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
}
