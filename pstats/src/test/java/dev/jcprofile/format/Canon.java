package dev.jcprofile.format;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one-line description of a value that {@code pyvalues.py}'s {@code canon()} and {@code pcanon()} give in
 * Python; equal texts mean the Java reader made of the bytes what CPython's marshal makes of them. Floats are
 * compared by their bits, strings by their code points.
 */
final class Canon {
    private Canon() {}

    private static final Pattern ADDRESS = Pattern.compile(" at 0x[0-9a-f]+");

    /** A code object's repr without the address that differs between processes. */
    static String norm(String repr) {
        return ADDRESS.matcher(repr).replaceAll(" at 0xADDR");
    }

    private static final String SAFE =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._/<>~-=@#";

    /** A str by its code points: readable where safe, escaped elsewhere (lone surrogates included). */
    static String str(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c < 0x80 && SAFE.indexOf(c) >= 0) b.append((char) c);
            else b.append("\\u{").append(Integer.toHexString(c)).append('}');
            i += Character.charCount(c);
        }
        return b.append('\'').toString();
    }

    static String bits(double d) {
        return String.format("%016x", Double.doubleToRawLongBits(d));
    }

    static String value(Object o) {
        if (o == Py.NONE) return "None";
        if (o == Py.STOP_ITERATION) return "StopIteration";
        if (o == Py.ELLIPSIS) return "Ellipsis";
        if (o instanceof Boolean) return ((Boolean) o) ? "True" : "False";
        if (o instanceof Long || o instanceof BigInteger) return "int:" + o;
        if (o instanceof Double) return "float:" + bits((Double) o);
        if (o instanceof Py.Complex) return "complex:" + bits(((Py.Complex) o).real) + "," + bits(((Py.Complex) o).imag);
        if (o instanceof String) return str((String) o);
        if (o instanceof Py.Bytes) {
            StringBuilder b = new StringBuilder("bytes:");
            for (byte x : ((Py.Bytes) o).data) b.append(String.format("%02x", x & 0xff));
            return b.toString();
        }
        if (o instanceof Py.Tuple) return "(" + join(List.of(((Py.Tuple) o).items)) + ")";
        if (o instanceof List) return "[" + join((List<?>) o) + "]";
        if (o instanceof Map) {
            List<String> items = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) items.add(value(e.getKey()) + ":" + value(e.getValue()));
            return "{" + String.join(",", items) + "}";
        }
        if (o instanceof Py.PySet) {
            List<String> items = new ArrayList<>();
            for (Object x : ((Py.PySet) o).items) items.add(value(x));
            Collections.sort(items);
            return "set{" + String.join(",", items) + "}";
        }
        if (o instanceof Py.Code) {
            Py.Code c = (Py.Code) o;
            return "code:" + str(c.name) + "|" + str(c.file) + "|" + c.firstLine + "|" + str(norm(c.repr()));
        }
        throw new AssertionError("no canon for " + o.getClass());
    }

    private static String join(List<?> items) {
        StringBuilder b = new StringBuilder();
        for (Object x : items) {
            if (b.length() > 0) b.append(',');
            b.append(value(x));
        }
        return b.toString();
    }

    static String key(FunctionKey k) {
        String name = k.nameIsCode() ? "code:" + str(norm(k.name())) : str(k.name());
        return "K(" + str(k.file()) + "," + k.line() + "," + name + ")";
    }

    /** A profile, entries and callers in order, as {@code pcanon()} renders a stats dict. */
    static String profile(ProfileData d) {
        StringBuilder b = new StringBuilder();
        for (int e = 0; e < d.size(); e++) {
            if (e > 0) b.append(';');
            b.append(key(d.key(e))).append('=').append(d.primitiveCalls(e)).append(',').append(d.calls(e)).append(',')
                    .append(bits(d.ownTime(e))).append(',').append(bits(d.cumulativeTime(e))).append('{');
            for (int i = d.callersStart(e); i < d.callersEnd(e); i++) {
                if (i > d.callersStart(e)) b.append(',');
                b.append(key(d.keyById(d.edgeKey(i)))).append(':');
                if (d.edgeIsCount(i)) {
                    b.append(d.edgeCalls(i));
                } else {
                    b.append('(').append(d.edgeCalls(i)).append(',').append(d.edgePrimitiveCalls(i)).append(',')
                            .append(bits(d.edgeOwnTime(i))).append(',').append(bits(d.edgeCumulativeTime(i))).append(')');
                }
            }
            b.append('}');
        }
        return b.toString();
    }
}
