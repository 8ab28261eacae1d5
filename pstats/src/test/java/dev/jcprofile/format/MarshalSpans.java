package dev.jcprofile.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the values of marshal data lie: for each value, its type code, its size field and its payload, so that the
 * fuzzer can mutate a profile as marshal data (a type code, a size, a reference, a whole value) rather than as
 * bytes. Written apart from {@link MarshalReader} on purpose: a fuzzer that shared the reader's idea of the format
 * would share its mistakes. Lenient: it indexes what it can and stops at the first byte it cannot place, so
 * mutated data can be indexed again.
 */
final class MarshalSpans {
    private MarshalSpans() {}

    static final int FLAG_REF = 0x80;

    /** One value: bytes {@code [start, end)}; the type code at {@code start}. */
    static final class Span {
        final int start;
        int end;
        final int code;
        final int depth;
        /** Where the value's size or count field is, and its width (1 or 4); 0 when it has none. */
        int sizeAt, sizeWidth;
        /** Where the payload of a scalar starts (after its size field), or -1. */
        int payloadAt = -1;
        /** For 'r' and 'R': where the 32-bit index is. */
        int refAt = -1;
        /** The reference slot this value takes (FLAG_REF), or -1. */
        int slot = -1;
        /** The number of reference slots taken before this value started. */
        int refsBefore;
        boolean container;

        Span(int start, int code, int depth) {
            this.start = start;
            this.code = code;
            this.depth = depth;
        }

        int type() {
            return code & ~FLAG_REF;
        }
    }

    /** The values of {@code b}, in the order they start; complete spans only. */
    static List<Span> index(byte[] b) {
        Indexer x = new Indexer(b);
        try {
            x.value(0);
        } catch (RuntimeException stop) {
            // what was indexed before the first byte it could not place
        }
        List<Span> done = new ArrayList<>();
        for (Span s : x.spans) if (s.end > s.start) done.add(s);
        return done;
    }

    private static final class Indexer {
        final byte[] b;
        int pos, refs;
        final List<Span> spans = new ArrayList<>();

        Indexer(byte[] b) {
            this.b = b;
        }

        int u8() {
            if (pos >= b.length) throw new IndexOutOfBoundsException();
            return b[pos++] & 0xff;
        }

        int i32() {
            if (pos + 4 > b.length) throw new IndexOutOfBoundsException();
            int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | (b[pos + 3] & 0xff) << 24;
            pos += 4;
            return v;
        }

        void skip(long n) {
            if (n < 0 || pos + n > b.length) throw new IndexOutOfBoundsException();
            pos += (int) n;
        }

        /** A size field of width 4 (or 1), then that many payload bytes times {@code unit}. */
        void sized(Span s, int width, int unit) {
            s.sizeAt = pos;
            s.sizeWidth = width;
            long n = width == 1 ? u8() : i32();
            s.payloadAt = pos;
            skip(n * unit);
        }

        void value(int depth) {
            if (depth > 3000) throw new IllegalStateException("too deep");
            Span s = new Span(pos, u8(), depth);
            spans.add(s);
            s.refsBefore = refs;
            if ((s.code & FLAG_REF) != 0) s.slot = refs++;
            switch (s.type()) {
                case '0': case 'N': case 'F': case 'T': case 'S': case '.':
                    break;
                case 'i':
                    s.payloadAt = pos;
                    skip(4);
                    break;
                case 'I': case 'g':
                    s.payloadAt = pos;
                    skip(8);
                    break;
                case 'y':
                    s.payloadAt = pos;
                    skip(16);
                    break;
                case 'l': {
                    s.sizeAt = pos;
                    s.sizeWidth = 4;
                    int n = i32();
                    s.payloadAt = pos;
                    skip(2L * Math.abs((long) n));
                    break;
                }
                case 'f':
                    sized(s, 1, 1);
                    break;
                case 'x':
                    sized(s, 1, 1);
                    skip(u8());
                    break;
                case 's': case 't': case 'u': case 'a': case 'A':
                    sized(s, 4, 1);
                    break;
                case 'z': case 'Z':
                    sized(s, 1, 1);
                    break;
                case 'r': case 'R':
                    s.refAt = pos;
                    skip(4);
                    break;
                case '(': case '[': case '<': case '>': {
                    s.container = true;
                    s.sizeAt = pos;
                    s.sizeWidth = 4;
                    int n = i32();
                    if (n < 0 || n > b.length) throw new IllegalStateException("count");
                    for (int i = 0; i < n; i++) value(depth + 1);
                    break;
                }
                case ')': {
                    s.container = true;
                    s.sizeAt = pos;
                    s.sizeWidth = 1;
                    int n = u8();
                    for (int i = 0; i < n; i++) value(depth + 1);
                    break;
                }
                case '{':
                    s.container = true;
                    while (true) {
                        if (pos >= b.length) throw new IndexOutOfBoundsException();
                        if (b[pos] == '0') {
                            value(depth + 1); // the NULL that ends it
                            break;
                        }
                        value(depth + 1);
                        value(depth + 1);
                    }
                    break;
                case 'c':
                    // CPython 3.11's layout, the one the seed corpus was written with: five counts, then code,
                    // consts, names, localsplusnames, localspluskinds, filename, name, qualname, the first line,
                    // linetable and exceptiontable.
                    s.container = true;
                    skip(20);
                    for (int i = 0; i < 8; i++) value(depth + 1);
                    skip(4);
                    value(depth + 1);
                    value(depth + 1);
                    break;
                default:
                    throw new IllegalStateException("type code " + s.code);
            }
            s.end = pos;
        }
    }
}
