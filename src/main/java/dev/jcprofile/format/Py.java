package dev.jcprofile.format;

import java.util.Arrays;

/** The Python values that a marshal stream holds and Java has no type for. */
final class Py {
    private Py() {}

    static final Object NONE = new Named("None");
    static final Object STOP_ITERATION = new Named("StopIteration");
    static final Object ELLIPSIS = new Named("Ellipsis");

    private static final class Named {
        private final String name;
        Named(String name) { this.name = name; }
        @Override public String toString() { return name; }
    }

    /** A tuple; equal and hashed by content, as Python's. */
    static final class Tuple {
        final Object[] items;
        Tuple(Object[] items) { this.items = items; }
        @Override public boolean equals(Object o) { return o instanceof Tuple && Arrays.equals(items, ((Tuple) o).items); }
        @Override public int hashCode() { return Arrays.hashCode(items); }
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

    /** A set or frozenset, kept as its items. */
    static final class PySet {
        final Object[] items;
        PySet(Object[] items) { this.items = items; }
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
        if (o instanceof Tuple) return "tuple of " + ((Tuple) o).items.length;
        if (o instanceof java.util.List) return "list";
        if (o instanceof java.util.Map) return "dict";
        if (o instanceof PySet) return "set";
        if (o instanceof Complex) return "complex";
        if (o instanceof Code) return "code object";
        return o.toString();
    }
}
