package dev.jcprofile.format;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Builds marshal data by hand, for what python3 cannot write: Python 2 profiles, older code-object layouts, damaged
 * and hostile input. Byte layouts follow CPython's {@code Python/marshal.c}: a type code (with {@code FLAG_REF} 0x80
 * when the object is entered in the reference table), then little-endian 32-bit sizes and values.
 */
final class MarshalBytes {
    static final int FLAG_REF = 0x80;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] bytes() { return out.toByteArray(); }

    int size() { return out.size(); }

    MarshalBytes raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    MarshalBytes raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** A type code, e.g. {@code code('(')}, or {@code code('(' | FLAG_REF)}. */
    MarshalBytes code(int c) {
        out.write(c);
        return this;
    }

    /** w_long: a raw 32-bit little-endian field (sizes, TYPE_INT's value, code objects' counts). */
    MarshalBytes int32(int v) {
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
        return this;
    }

    /** TYPE_INT {@code i}. */
    MarshalBytes i(int v) { return code('i').int32(v); }

    /** TYPE_INT64 {@code I}: Python 2 on 64-bit machines wrote ints beyond 32 bits so. */
    MarshalBytes int64(long v) {
        code('I');
        for (int k = 0; k < 8; k++) out.write((int) (v >> (8 * k)));
        return this;
    }

    /** TYPE_LONG {@code l}: signed count of 15-bit digits, least significant first (w_PyLong). */
    MarshalBytes pyLong(BigInteger v) {
        BigInteger m = v.abs();
        int n = (m.bitLength() + 14) / 15;
        code('l').int32(v.signum() < 0 ? -n : n);
        byte[] be = m.toByteArray(); // big-endian; take 15 bits at a time from the least significant end
        for (int k = 0; k < n; k++) {
            int d = 0;
            for (int bit = 0; bit < 15; bit++) {
                int i = 15 * k + bit, at = be.length - 1 - i / 8;
                if (at >= 0 && (be[at] >> (i % 8) & 1) != 0) d |= 1 << bit;
            }
            out.write(d);
            out.write(d >> 8);
        }
        return this;
    }

    /** TYPE_BINARY_FLOAT {@code g}: 8 bytes IEEE little-endian. */
    MarshalBytes g(double d) {
        long bits = Double.doubleToRawLongBits(d);
        code('g');
        for (int k = 0; k < 8; k++) out.write((int) (bits >> (8 * k)));
        return this;
    }

    /** TYPE_FLOAT {@code f}: one length byte and the text (w_float_str, versions 0 and 1). */
    MarshalBytes f(String text) {
        code('f').raw(text.length());
        return raw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A string with a 4-byte size: {@code s} bytes, {@code t}/{@code u} UTF-8, {@code a}/{@code A} ASCII. */
    MarshalBytes str(int code, byte[] data) {
        code(code).int32(data.length);
        return raw(data);
    }

    MarshalBytes u(String s) { return str('u', MarshalWriter.utf8SurrogatePass(s)); }

    /** Python 2's interned str {@code t}: entered in the string table that {@code R} indexes. */
    MarshalBytes t(String s) { return str('t', s.getBytes(StandardCharsets.ISO_8859_1)); }

    /** Python 2's str (bytes) {@code s}. */
    MarshalBytes s(String s) { return str('s', s.getBytes(StandardCharsets.ISO_8859_1)); }

    /** Python 2's TYPE_STRINGREF {@code R}: the n-th interned string read so far. */
    MarshalBytes stringRef(int n) { return code('R').int32(n); }

    /** Version 4's short ASCII string {@code z}: a one-byte size. */
    MarshalBytes z(String s) {
        code('z').raw(s.length());
        return raw(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** TYPE_REF {@code r}: the n-th object entered with FLAG_REF. */
    MarshalBytes ref(int n) { return code('r').int32(n); }

    /** TYPE_TUPLE {@code (} with a 4-byte size; the items follow. */
    MarshalBytes tuple(int n) { return code('(').int32(n); }

    /** TYPE_SMALL_TUPLE {@code )} with a 1-byte size (version 4). */
    MarshalBytes smallTuple(int n) { return code(')').raw(n); }

    MarshalBytes list(int n) { return code('[').int32(n); }

    MarshalBytes dict() { return code('{'); }

    /** TYPE_NULL {@code 0}: ends a dict. */
    MarshalBytes end() { return code('0'); }
}
