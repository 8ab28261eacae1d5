package dev.jcprofile.cpython;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Numbers printed as CPython prints them. {@code "%.3f"} rounds the exact binary value half to even, as C's printf
 * does; Java's Formatter rounds a decimal approximation half up, which differs on values such as 0.0625 or
 * 2.0005 (whose double lies just below the half). {@code repr(float)} is the shortest text that reads back to the
 * same double, which JDK 17's {@code Double.toString} does not always give.
 */
public final class PyFormat {
    private PyFormat() {}

    /**
     * Appends pstats's {@code f8(x)}, {@code "%8.3f" % x}. A report prints four a line, so the usual case is written digit by digit into
     * a byte array ({@link #putF8}): a few method calls instead of a few dozen, which counts while the code still
     * runs interpreted.
     */
    public static StringBuilder appendF8(StringBuilder b, double x) {
        byte[] c = new byte[32];
        int p = putF8(c, 32, x);
        if (p < 0) {
            String s = fixed3(x);
            if (s.length() < 8) b.append("        ", 0, 8 - s.length());
            return b.append(s);
        }
        // As a Latin-1 String: copied whole, where appending a char array checks every char.
        return b.append(new String(c, p, 32 - p, StandardCharsets.ISO_8859_1));
    }

    /**
     * Writes {@code f8(x)} as ASCII into {@code c}, ending just before {@code end}, and returns where it starts; or
     * returns -1, writing nothing, when x needs {@link #fixed3}'s exact path (near a tie, 9e12 and beyond, NaN,
     * infinity). At most 18 bytes.
     */
    public static int putF8(byte[] c, int end, double x) {
        long t = thousandths(Math.abs(x));
        if (t < 0) return -1;
        int p = end;
        long ip = t / 1000;
        int fp = (int) (t - ip * 1000);
        c[--p] = (byte) ('0' + fp % 10);
        c[--p] = (byte) ('0' + fp / 10 % 10);
        c[--p] = (byte) ('0' + fp / 100);
        c[--p] = '.';
        do {
            c[--p] = (byte) ('0' + ip % 10);
            ip /= 10;
        } while (ip != 0);
        if (Double.doubleToRawLongBits(x) < 0) c[--p] = '-'; // C prints -0.000 for -0.0 and tiny negatives
        while (p > end - 8) c[--p] = ' ';
        return p;
    }

    /**
     * {@code a * 1000} (a not negative) rounded half to even to a whole number, when the double product tells for
     * certain; -1 near a tie, for values of 9e15 thousandths and more, and for NaN and infinity. The product is
     * within half an ulp of the exact one, and {@code y * 2.3e-16} is at least an ulp.
     */
    private static long thousandths(double a) {
        double y = a * 1000.0;
        if (!(y < 9.0e15)) return -1;
        long whole = (long) y;
        double frac = y - whole; // exact
        double margin = y * 2.3e-16;
        if (frac < 0.5 - margin) return whole;
        if (frac > 0.5 + margin) return whole + 1;
        return -1;
    }

    /** {@code "%.3f" % x}. */
    public static String fixed3(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        boolean negative = Double.doubleToRawLongBits(x) < 0; // C prints -0.000 for -0.0 and tiny negatives
        double a = Math.abs(x);
        long thousandths = thousandths(a);
        if (thousandths >= 0) {
            long ip = thousandths / 1000;
            int fp = (int) (thousandths % 1000);
            StringBuilder b = new StringBuilder(24);
            if (negative) b.append('-');
            b.append(ip).append('.');
            if (fp < 100) b.append('0');
            if (fp < 10) b.append('0');
            return b.append(fp).toString();
        }
        // Near a tie, or too large for a long: decide on the exact value.
        String digits = new BigDecimal(a).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
        return negative ? "-" + digits : digits;
    }

    /** Python's {@code repr(float)}. */
    public static String floatRepr(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        boolean negative = Double.doubleToRawLongBits(x) < 0;
        if (x == 0) return negative ? "-0.0" : "0.0";
        double a = Math.abs(x);
        BigDecimal exact = new BigDecimal(a);
        BigDecimal shortest = null;
        for (int p = 1; p <= 17 && shortest == null; p++) {
            // The p-digit numbers on either side of the exact value: the nearer one that reads back wins. Just
            // above a power of two the interval of numbers that read back is twice as wide as below it, so the
            // nearer one (or, at a tie, the even one) may not read back while the other does.
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
            boolean downOk = down.doubleValue() == a, upOk = up.doubleValue() == a;
            if (downOk && upOk) shortest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            else if (downOk) shortest = down;
            else if (upOk) shortest = up;
        }
        if (shortest == null) shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        String digits = shortest.unscaledValue().toString();
        // Strip trailing zeros of the digit string; decpt is where the decimal point falls in it.
        int decpt = digits.length() - shortest.scale();
        int n = digits.length();
        while (n > 1 && digits.charAt(n - 1) == '0') n--;
        digits = digits.substring(0, n);
        StringBuilder b = new StringBuilder();
        if (negative) b.append('-');
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                b.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                b.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                b.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            int exp = decpt - 1;
            b.append(digits.charAt(0));
            if (digits.length() > 1) b.append('.').append(digits, 1, digits.length());
            b.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) b.append('0');
            b.append(ae);
        }
        return b.toString();
    }
}
