package dev.jcprofile.format;

import java.util.Arrays;

/** The Python values that a marshal stream holds and Java has no type for. */
final class Py {
    private Py() {}

    static final Object NONE = new Named("None");
    static final Object STOP_ITERATION = new Named("StopIteration");
    static final Object ELLIPSIS = new Named("Ellipsis");
    /** TYPE_NULL: no Python value, the marker that ends a dict. */
    static final Object NULL = new Named("NULL");
    /** The profile's own dict, met again through a back-reference while it is being read. */
    static final Object PROFILE_DICT = new Named("dict (the dict of function statistics itself)");

    private static final class Named {
        private final String name;
        Named(String name) { this.name = name; }
        @Override public String toString() { return name; }
    }

    /**
     * A tuple; equal and hashed by content, as Python's. The hash is computed once, from the items' own (cached)
     * hashes, and equality walks nested tuples with a work list: neither recurses, however deep the nesting.
     */
    static final class Tuple {
        /** Null while the tuple is still being read ({@link #open()}). */
        Object[] items;
        /**
         * False when an item is a list, dict, set or unhashable tuple: Python refuses such a tuple as a key. Also
         * false for a tuple that holds itself (through a back-reference): Python's hash of it never ends.
         */
        boolean hashable;
        private int hash;

        /**
         * A tuple whose items are still to be read. marshal.c enters a tuple in its reference table before reading
         * its items (R_REF in r_object), so an item may refer back to the tuple itself: a cycle Python reads.
         */
        static Tuple open() {
            return new Tuple();
        }

        private Tuple() {}

        Tuple(Object[] items) {
            close(items);
        }

        boolean isOpen() { return items == null; }

        /** Gives an open tuple its items; an item that is this tuple, or holds it still open, makes it unhashable. */
        void close(Object[] items) {
            this.items = items;
            boolean ok = true;
            int h = 1;
            for (Object o : items) {
                if (!isHashable(o)) {
                    ok = false;
                    break;
                }
                h = 31 * h + o.hashCode();
            }
            this.hashable = ok;
            this.hash = ok ? h : 0;
        }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Tuple) || ((Tuple) o).hash != hash) return false;
            java.util.ArrayDeque<Object[]> work = new java.util.ArrayDeque<>();
            work.push(new Object[] {items, ((Tuple) o).items});
            while (!work.isEmpty()) {
                Object[] pair = work.pop();
                Object[] a = (Object[]) pair[0], b = (Object[]) pair[1];
                if (a.length != b.length) return false;
                for (int i = 0; i < a.length; i++) {
                    Object x = a[i], y = b[i];
                    if (x == y) continue;
                    if (x instanceof Tuple && y instanceof Tuple) {
                        if (((Tuple) x).hash != ((Tuple) y).hash) return false;
                        work.push(new Object[] {((Tuple) x).items, ((Tuple) y).items});
                    } else if (x == null || !x.equals(y)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Python's hashability: lists, dicts and (mutable) sets are not, nor tuples holding them. */
    static boolean isHashable(Object o) {
        if (o instanceof java.util.List || o instanceof java.util.Map || o == PROFILE_DICT) return false;
        if (o instanceof PySet) return ((PySet) o).frozen;
        if (o instanceof Tuple) return !((Tuple) o).isOpen() && ((Tuple) o).hashable;
        return true;
    }

    /** A bytes object (type code {@code s}). */
    static final class Bytes {
        final byte[] data;
        Bytes(byte[] data) { this.data = data; }
        @Override public boolean equals(Object o) { return o instanceof Bytes && Arrays.equals(data, ((Bytes) o).data); }
        @Override public int hashCode() { return Arrays.hashCode(data); }
    }

    static final class Complex {
        final double real, imag;
        Complex(double real, double imag) { this.real = real; this.imag = imag; }
        @Override public boolean equals(Object o) {
            return o instanceof Complex && ((Complex) o).real == real && ((Complex) o).imag == imag;
        }
        @Override public int hashCode() { return Double.hashCode(real) * 31 + Double.hashCode(imag); }
    }

    /** A set or frozenset, kept as its items (all hashable, as Python's are); a frozenset equals by content. */
    static final class PySet {
        final Object[] items;
        final boolean frozen;
        private final int hash;

        PySet(Object[] items, boolean frozen) {
            this.items = items;
            this.frozen = frozen;
            int h = 0;
            for (Object o : items) h += o.hashCode(); // order-independent, as a set's
            this.hash = h;
        }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof PySet) || ((PySet) o).hash != hash || ((PySet) o).frozen != frozen) return false;
            return new java.util.HashSet<>(Arrays.asList(items)).equals(new java.util.HashSet<>(Arrays.asList(((PySet) o).items)));
        }
    }

    /**
     * A code object: only what its {@code repr} shows. The {@code at 0x...} part of Python's repr is the object's
     * address in the process that loads it, so it differs on every load; ours is derived from the code's identity.
     */
    static final class Code {
        final String name, file;
        final long firstLine;
        Code(String name, String file, long firstLine) { this.name = name; this.file = file; this.firstLine = firstLine; }
        String repr() {
            long address = 0x7f0000000000L | ((name.hashCode() * 31L + file.hashCode() * 17L + firstLine) & 0xffffffffL) << 4;
            // CPython's code_repr shows a first line of 0 as -1.
            return "<code object " + name + " at 0x" + Long.toHexString(address) + ", file \"" + file + "\", line "
                    + (firstLine != 0 ? firstLine : -1) + ">";
        }
    }

    static String typeName(Object o) {
        if (o == null) return "nothing";
        if (o == NONE) return "None";
        if (o instanceof Long || o instanceof java.math.BigInteger) return "int";
        if (o instanceof Boolean) return "bool";
        if (o instanceof Double) return "float";
        if (o instanceof String) return "str";
        if (o instanceof Bytes) return "bytes";
        if (o instanceof Tuple) {
            return ((Tuple) o).isOpen() ? "tuple that contains itself" : "tuple of " + ((Tuple) o).items.length;
        }
        if (o instanceof java.util.List) return "list";
        if (o instanceof java.util.Map) return "dict";
        if (o instanceof PySet) return ((PySet) o).frozen ? "frozenset" : "set";
        if (o instanceof Complex) return "complex";
        if (o instanceof Code) return "code object";
        return o.toString();
    }

    /** The type with an article, for messages: "a list", "an int", "None". */
    static String a(Object o) {
        if (o == NULL) return "NULL (marshal's end-of-dict marker)";
        if (o == NONE || o == STOP_ITERATION || o == ELLIPSIS || o == null) return typeName(o);
        String t = typeName(o);
        return ("aeiou".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
    }
}
