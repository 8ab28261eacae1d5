package dev.jcprofile.cpython;

/**
 * Python's string semantics where Java's differ: comparison and length by code point, {@code repr()}, and
 * {@code str.isspace()}. pstats pads and sorts by code points, so names outside the BMP must count as one.
 */
public final class PyText {
    private PyText() {}

    /** Python's {@code str} ordering: by code point (Java's compareTo orders UTF-16 units). */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Python's {@code len(s)}. */
    public static int length(String s) {
        // A lone surrogate counts as one, as in Python. No loop for a Latin-1 string (the JDK knows it has no
        // surrogate): this runs for every key of a profile, while the code is still interpreted.
        return s.codePointCount(0, s.length());
    }

    /** Python's {@code s.ljust(width)}. */
    public static String ljust(String s, int width) {
        int pad = width - length(s);
        return pad <= 0 ? s : s + " ".repeat(pad);
    }

    /** Python's {@code s.rjust(width)}. */
    public static String rjust(String s, int width) {
        int pad = width - length(s);
        return pad <= 0 ? s : " ".repeat(pad) + s;
    }

    /** Python's {@code str.isspace()} for one code point. */
    public static boolean isSpace(int c) {
        switch (c) {
            case '\t': case '\n': case 0x0b: case 0x0c: case '\r': case 0x1c: case 0x1d: case 0x1e: case 0x1f:
            case ' ': case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f:
            case 0x3000:
                return true;
            default:
                return c >= 0x2000 && c <= 0x200a;
        }
    }

    /** Python's {@code s.strip()}. */
    public static String strip(String s) {
        int start = 0, end = s.length();
        while (start < end && isSpace(s.charAt(start))) start++;
        while (end > start && isSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    /** Python's {@code s.split()}: runs of whitespace separate words, none are empty. */
    public static java.util.List<String> split(String s) {
        java.util.List<String> words = new java.util.ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) i++;
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) i++;
            if (i > start) words.add(s.substring(start, i));
        }
        return words;
    }

    /** Python's {@code repr(s)} for a {@code str}. */
    public static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == quote || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else if (c < 0x7f || isPrintable(c)) {
                b.appendCodePoint(c);
            } else if (c <= 0xff) {
                b.append(String.format("\\x%02x", c));
            } else if (c <= 0xffff) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.append(String.format("\\U%08x", c));
            }
        }
        return b.append(quote).toString();
    }

    /**
     * Python's {@code str.isprintable()} for one code point: not Cc, Cf, Cs, Co, Cn, Zl, Zp, nor Zs but space, by
     * Unicode 14.0 as Python 3.11 has it (the JDK's character data is of another version: 13 in JDK 17).
     */
    static boolean isPrintable(int c) {
        if (c < 0x7f) return c >= 0x20;
        int[] r = PrintableRanges.FIRST_LAST;
        // The last range whose first code point is <= c.
        int lo = 0, hi = r.length / 2 - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (r[2 * mid] <= c) lo = mid;
            else hi = mid - 1;
        }
        return r[2 * lo] <= c && c <= r[2 * lo + 1];
    }

    /** printable-unicode-14.txt, read on first use. */
    private static final class PrintableRanges {
        static final int[] FIRST_LAST = load();

        private static int[] load() {
            try (java.io.InputStream in = PyText.class.getResourceAsStream("printable-unicode-14.txt")) {
                if (in == null) throw new IllegalStateException("printable-unicode-14.txt is missing from the jar");
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                int[] out = new int[256];
                int n = 0;
                for (String line : text.split("\n")) {
                    if (line.isEmpty() || line.startsWith("#")) continue;
                    int dash = line.indexOf('-');
                    if (n + 2 > out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
                    out[n++] = Integer.parseInt(line.substring(0, dash), 16);
                    out[n++] = Integer.parseInt(line.substring(dash + 1), 16);
                }
                return java.util.Arrays.copyOf(out, n);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Python's {@code int(s)} syntax for ASCII digits: a sign, then digits, single underscores between them. */
    public static boolean isIntLiteral(String s) {
        return digits(s, sign(s, 0), true) == s.length();
    }

    /**
     * Python's decimal float syntax: a sign, digits with an optional fraction (or a fraction alone), an optional
     * exponent; with {@code underscores}, single underscores between digits, as {@code float()} allows them.
     * Hand-written: java.util.regex bootstraps lambdas, which costs a short command a good part of its start-up.
     */
    public static boolean isFloatLiteral(String s, boolean underscores) {
        int n = s.length(), i = sign(s, 0);
        if (i < n && s.charAt(i) == '.') {
            i = digits(s, i + 1, underscores);
            if (i < 0) return false;
        } else {
            i = digits(s, i, underscores);
            if (i < 0) return false;
            if (i < n && s.charAt(i) == '.') {
                int f = digits(s, i + 1, underscores);
                i = f < 0 ? i + 1 : f;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i = digits(s, sign(s, i + 1), underscores);
            if (i < 0) return false;
        }
        return i == n;
    }

    private static int sign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    /** The index after a run of ASCII digits starting at i (underscores only between digits), or -1 if none. */
    private static int digits(String s, int i, boolean underscores) {
        int n = s.length();
        if (i >= n || !isAsciiDigit(s.charAt(i))) return -1;
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (isAsciiDigit(c)) i++;
            else if (underscores && c == '_' && i + 1 < n && isAsciiDigit(s.charAt(i + 1))) i += 2;
            else break;
        }
        return i;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
