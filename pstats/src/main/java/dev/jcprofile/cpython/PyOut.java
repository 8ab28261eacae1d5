package dev.jcprofile.cpython;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Python's {@code sys.stdout} as pstats writes to it: UTF-8, with the error handler CPython chooses for lone
 * surrogates (names read from marshal data, which keeps them: {@code surrogatepass}). Where Python stops with a
 * UnicodeEncodeError, this stream writes the surrogate as {@code backslashreplace} does and goes on, so a report is
 * never cut short and two names that differ never print as the same text.
 *
 * <p>print(String) and print(Object), all that the browser and the reports use, encode the whole text at once and
 * write the bytes; text without surrogates (every report in practice) takes String.getBytes, its fastest way.
 */
public class PyOut extends PrintStream {
    /** CPython's error handlers, those that differ for a lone surrogate. */
    public enum Errors { STRICT, SURROGATEESCAPE, BACKSLASHREPLACE, SURROGATEPASS, REPLACE, IGNORE, XMLCHARREFREPLACE }

    private final Errors errors;

    public PyOut(OutputStream out, Errors errors) {
        super(out, false, StandardCharsets.UTF_8);
        this.errors = errors;
    }

    /** A stream with the handler python3 would give its standard output in this process's environment. */
    public PyOut(OutputStream out) {
        this(out, stdoutErrors(System.getenv()));
    }

    public Errors errors() { return errors; }

    /**
     * The error handler of python3's {@code sys.stdout} under this environment (CPython 3.11
     * {@code config_init_stdio_encoding}, {@code config_get_stdio_errors}, as python3.11 shows them): PYTHONIOENCODING's
     * {@code :errors} part if it has one, else {@code strict} if it names an encoding; else {@code surrogateescape}
     * in UTF-8 mode (PYTHONUTF8=1), in the C and POSIX locales and in those C locale coercion targets (C.UTF-8,
     * C.utf8, UTF-8; PEP 538, 540); else {@code strict}. The locale is LC_ALL, else LC_CTYPE, else LANG, as
     * setlocale(LC_CTYPE, "") reads them. (A locale that is not installed is C to python3, so surrogateescape; it
     * is taken here at its word, strict.)
     */
    public static Errors stdoutErrors(Map<String, String> env) {
        String io = env.get("PYTHONIOENCODING");
        if (io != null && !io.isEmpty()) {
            int colon = io.indexOf(':');
            String encoding = colon < 0 ? io : io.substring(0, colon), handler = colon < 0 ? "" : io.substring(colon + 1);
            if (!handler.isEmpty()) {
                Errors named = named(handler);
                return named != null ? named : Errors.STRICT;
            }
            if (!encoding.isEmpty()) return Errors.STRICT;
        }
        if ("1".equals(env.get("PYTHONUTF8"))) return Errors.SURROGATEESCAPE;
        String locale = firstSet(env, "LC_ALL", "LC_CTYPE", "LANG");
        if (locale == null || locale.equals("C") || locale.equals("POSIX") || locale.equals("C.UTF-8")
                || locale.equals("C.utf8") || locale.equals("UTF-8")) {
            return Errors.SURROGATEESCAPE;
        }
        return Errors.STRICT;
    }

    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isEmpty()) return v;
        }
        return null;
    }

    private static Errors named(String name) {
        switch (name) {
            case "strict": return Errors.STRICT;
            case "surrogateescape": return Errors.SURROGATEESCAPE;
            case "backslashreplace": case "namereplace": return Errors.BACKSLASHREPLACE; // a surrogate has no name
            case "surrogatepass": return Errors.SURROGATEPASS;
            case "replace": return Errors.REPLACE;
            case "ignore": return Errors.IGNORE;
            case "xmlcharrefreplace": return Errors.XMLCHARREFREPLACE;
            default: return null;
        }
    }

    @Override
    public void print(String s) {
        byte[] bytes = encode(String.valueOf(s), errors);
        write(bytes, 0, bytes.length);
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void println(String s) {
        print(String.valueOf(s) + "\n");
    }

    @Override
    public void println(Object o) {
        print(String.valueOf(o) + "\n");
    }

    /** {@code s.encode('utf-8', errors)}, where strict (Python's exception) writes as backslashreplace. */
    public static byte[] encode(String s, Errors errors) {
        int n = s.length(), i = 0;
        while (i < n && !Character.isSurrogate(s.charAt(i))) i++;
        if (i == n) return s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 16);
        byte[] head = s.substring(0, i).getBytes(StandardCharsets.UTF_8);
        out.write(head, 0, head.length);
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8(out, Character.toCodePoint(c, s.charAt(i + 1)));
                i += 2;
                continue;
            }
            if (!Character.isSurrogate(c)) {
                utf8(out, c);
                i++;
                continue;
            }
            // A lone surrogate: what Python's UTF-8 codec does with it under each handler.
            switch (errors) {
                case SURROGATEESCAPE:
                    if (c >= 0xdc80 && c <= 0xdcff) {
                        out.write(c - 0xdc00); // the byte it stands for (PEP 383)
                        break;
                    }
                    escape(out, c); // Python: UnicodeEncodeError
                    break;
                case SURROGATEPASS: utf8(out, c); break;
                case REPLACE: out.write('?'); break;
                case IGNORE: break;
                case XMLCHARREFREPLACE: ascii(out, "&#" + (int) c + ";"); break;
                default: escape(out, c); // BACKSLASHREPLACE; STRICT: Python's UnicodeEncodeError
            }
            i++;
        }
        return out.toByteArray();
    }

    private static void escape(ByteArrayOutputStream out, char c) {
        ascii(out, "\\u" + Integer.toHexString(c));
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int k = 0; k < s.length(); k++) out.write(s.charAt(k));
    }

    /** One code point in UTF-8, a lone surrogate included (CPython's surrogatepass, which marshal also uses). */
    public static void utf8(ByteArrayOutputStream o, int c) {
        if (c < 0x80) {
            o.write(c);
        } else if (c < 0x800) {
            o.write(0xc0 | c >> 6);
            o.write(0x80 | c & 0x3f);
        } else if (c < 0x10000) {
            o.write(0xe0 | c >> 12);
            o.write(0x80 | c >> 6 & 0x3f);
            o.write(0x80 | c & 0x3f);
        } else {
            o.write(0xf0 | c >> 18);
            o.write(0x80 | c >> 12 & 0x3f);
            o.write(0x80 | c >> 6 & 0x3f);
            o.write(0x80 | c & 0x3f);
        }
    }
}
