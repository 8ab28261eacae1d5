package dev.jcprofile.cpython;

import dev.jcprofile.golden.Python;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PyFormat against CPython: {@code "%8.3f"}, {@code "%.3f"} and {@code repr(float)} of thousands of doubles, all
 * formatted by one python3 process (the doubles travel as their bit patterns, so nothing is rounded on the way).
 */
class PyFormatTest {
    static List<Double> doubles() {
        List<Double> xs = new ArrayList<>();
        double[] fixed = {0.0, -0.0, 1.0, -1.0, 0.5, 0.0625, 0.1875, 0.0005, 0.0015, 0.0025, 2.0005, 1.0625,
            0.00049999999999999999, 0.0004999999999999999, 0.0005000000000000001, -0.0004, -0.0005, -0.0006, -1e-9,
            -1e-300, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
            1e16, 1e16 + 2, 9.999999999999998e15, 1.5e16, 2.5e20, 1e22, 1e23, 123456789012345678.0, 9e15, 8.999999999999999e15,
            0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e-5, 1e-4, 1e-3, 0.001, 0.0001, 1e-7, 5e-324, 1e300, 4.35, 2.675, 1.0005,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 9007199254740992.0, 9007199254740993.0,
            Math.scalb(1.0, -1022), Math.scalb(1.0, 1023), Math.scalb(1.0, -1074), 1.7976931348623157e308};
        for (double x : fixed) xs.add(x);
        // Every exact binary tie of "%.3f" at k/2000 (odd k) with a short binary fraction, and their neighbours.
        for (int k = 1; k < 4000; k += 2) {
            double tie = k / 2000.0;
            xs.add(tie);
            xs.add(Math.nextUp(tie));
            xs.add(Math.nextDown(tie));
            xs.add(-tie);
        }
        for (int e = -30; e <= 60; e++) {
            double p = Math.scalb(1.0, e);
            xs.add(p);
            xs.add(Math.nextUp(p));
            xs.add(Math.nextDown(p));
            xs.add(p * 1000.5);
            xs.add(Math.pow(10, e % 25));
        }
        SplittableRandom r = new SplittableRandom(20240611);
        for (int i = 0; i < 3000; i++) {
            double m = r.nextDouble();
            int exp = r.nextInt(-12, 24);
            double x = m * Math.pow(10, exp) * (r.nextBoolean() ? 1 : -1);
            xs.add(x);
            xs.add(Math.rint(x * 1000) / 1000 + 0.0005); // near half-way in the third decimal
        }
        for (int i = 0; i < 2000; i++) xs.add(Double.longBitsToDouble(r.nextLong())); // any bit pattern
        return xs;
    }

    @Test
    void formatsAsCPythonDoes() {
        List<Double> xs = doubles();
        StringBuilder in = new StringBuilder();
        for (double x : xs) in.append(Long.toUnsignedString(Double.doubleToRawLongBits(x))).append('\n');
        Python.Result r = Python.script(String.join("\n",
                "import struct, sys",
                "for line in sys.stdin:",
                "    x = struct.unpack('<d', int(line).to_bytes(8, 'little'))[0]",
                "    print('%8.3f|%.3f|' % (x, x) + repr(x))"), in.toString());
        assertEquals(0, r.exit, r.err);
        String[] lines = r.text().split("\n");
        assertEquals(xs.size(), lines.length);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            double x = xs.get(i);
            String actual = f8(x) + "|" + PyFormat.fixed3(x) + "|" + PyFormat.floatRepr(x);
            String appended = PyFormat.appendF8(new StringBuilder("|"), x).toString();
            if (!appended.equals("|" + f8(x))) wrong.add(Double.toHexString(x) + ": appendF8 " + appended);
            if (!lines[i].equals(actual)) wrong.add(Double.toHexString(x) + ": python3 " + lines[i] + ", PyFormat " + actual);
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " of " + xs.size() + " differ:\n" + String.join("\n", wrong.subList(0, Math.min(40, wrong.size()))));
        }
    }

    /** pstats's {@code f8(x)} as a string. */
    private static String f8(double x) {
        return PyFormat.appendF8(new StringBuilder(8), x).toString();
    }
}
