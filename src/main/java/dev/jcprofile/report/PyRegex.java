package dev.jcprofile.report;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a Python {@code re} pattern into an equivalent {@link Pattern}. pstats restrictions are Python regular
 * expressions matched with {@code re.search}; where the two dialects differ, this follows Python: named groups
 * {@code (?P<name>...)}, {@code (?P=name)}, {@code \Z}, {@code {,n}}, a literal {@code {} that starts no
 * repetition, {@code [} and {@code &&} as plain characters in a class, Unicode-aware {@code \w \d \s \b}, only
 * {@code \n} ending a line, comments {@code (?#...)}, and the escapes Python rejects are rejected.
 */
public final class PyRegex {
    private PyRegex() {}

    /** Thrown for a pattern that Python's {@code re.compile} would reject. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        Invalid(String message) { super(message, null, false, false); }
    }

    public static Pattern compile(String python) throws Invalid {
        String java = translate(python);
        try {
            return Pattern.compile(java, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
        } catch (PatternSyntaxException | StackOverflowError e) {
            throw new Invalid("invalid regular expression");
        }
    }

    static String translate(String p) throws Invalid {
        StringBuilder out = new StringBuilder(p.length() + 8);
        Map<String, String> groups = new HashMap<>();
        int n = p.length();
        int i = 0;
        while (i < n) {
            char c = p.charAt(i);
            if (c == '\\') {
                i = escape(p, i, out, false);
            } else if (c == '[') {
                i = charClass(p, i, out);
            } else if (c == '(' && p.startsWith("(?P<", i)) {
                int close = p.indexOf('>', i + 4);
                if (close < 0) throw new Invalid("missing >");
                String name = p.substring(i + 4, close);
                if (!isIdentifier(name) || groups.containsKey(name)) throw new Invalid("bad group name");
                String mapped = "g" + groups.size() + "x" + name.replaceAll("[^A-Za-z0-9]", "");
                groups.put(name, mapped);
                out.append("(?<").append(mapped).append('>');
                i = close + 1;
            } else if (c == '(' && p.startsWith("(?P=", i)) {
                int close = p.indexOf(')', i + 4);
                if (close < 0) throw new Invalid("missing )");
                String mapped = groups.get(p.substring(i + 4, close));
                if (mapped == null) throw new Invalid("unknown group name");
                out.append("\\k<").append(mapped).append('>');
                i = close + 1;
            } else if (c == '(' && p.startsWith("(?#", i)) {
                int close = p.indexOf(')', i + 3);
                if (close < 0) throw new Invalid("missing ), unterminated comment");
                i = close + 1;
            } else if (c == '{') {
                int close = quantifierEnd(p, i);
                if (close < 0) {
                    out.append("\\{");
                    i++;
                } else {
                    String body = p.substring(i + 1, close);
                    out.append('{').append(body.startsWith(",") ? "0" + body : body).append('}');
                    i = close + 1;
                }
            } else if (c == '}') {
                out.append("\\}");
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) return false;
        for (int k = 1; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (!(Character.isLetterOrDigit(ch) || ch == '_')) return false;
        }
        return true;
    }

    /** The index of the closing brace of a repetition {@code {m}, {m,}, {,n}, {m,n}} at i, or -1 if it is none. */
    private static int quantifierEnd(String p, int i) {
        int k = i + 1, n = p.length();
        int digitsBefore = 0;
        while (k < n && p.charAt(k) >= '0' && p.charAt(k) <= '9') { k++; digitsBefore++; }
        if (k < n && p.charAt(k) == '}') return digitsBefore > 0 ? k : -1;
        if (k >= n || p.charAt(k) != ',') return -1;
        k++;
        while (k < n && p.charAt(k) >= '0' && p.charAt(k) <= '9') k++;
        if (k < n && p.charAt(k) == '}') return k;
        return -1;
    }

    private static int charClass(String p, int i, StringBuilder out) throws Invalid {
        int n = p.length();
        out.append('[');
        i++;
        if (i < n && p.charAt(i) == '^') { out.append('^'); i++; }
        boolean first = true;
        while (true) {
            if (i >= n) throw new Invalid("unterminated character set");
            char c = p.charAt(i);
            if (c == ']' && !first) {
                out.append(']');
                return i + 1;
            }
            first = false;
            if (c == '\\') {
                i = escape(p, i, out, true);
                continue;
            }
            if (c == '[' || c == '&' || c == ']' || c == '{' || c == '}') out.append('\\');
            out.append(c);
            i++;
        }
    }

    private static int escape(String p, int i, StringBuilder out, boolean inClass) throws Invalid {
        if (i + 1 >= p.length()) throw new Invalid("bad escape (end of pattern)");
        char e = p.charAt(i + 1);
        switch (e) {
            case 'Z':
                if (inClass) throw new Invalid("bad escape");
                out.append("\\z");
                return i + 2;
            case 'A':
                if (inClass) throw new Invalid("bad escape");
                out.append("\\A");
                return i + 2;
            case 'b':
                out.append(inClass ? "\\x08" : "\\b");
                return i + 2;
            case 'B':
                if (inClass) throw new Invalid("bad escape");
                out.append("\\B");
                return i + 2;
            case 'v':
                out.append("\\x0b");
                return i + 2;
            case 'a': case 'f': case 'n': case 'r': case 't':
            case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
                out.append('\\').append(e);
                return i + 2;
            case 'x': return hex(p, i, 2, out);
            case 'u': return hex(p, i, 4, out);
            case 'U': return hex(p, i, 8, out);
            case 'N': {
                int close = p.indexOf('}', i);
                if (i + 2 >= p.length() || p.charAt(i + 2) != '{' || close < 0) throw new Invalid("missing {");
                int cp;
                try {
                    cp = Character.codePointOf(p.substring(i + 3, close));
                } catch (IllegalArgumentException ex) {
                    throw new Invalid("undefined character name");
                }
                out.append("\\x{").append(Integer.toHexString(cp)).append('}');
                return close + 1;
            }
            default:
                if (e >= '0' && e <= '9') {
                    // Octal escapes and group references, as Python reads them.
                    int k = i + 1;
                    if (e == '0' || inClass) {
                        int v = 0, digits = 0;
                        while (k < p.length() && digits < 3 && p.charAt(k) >= '0' && p.charAt(k) <= '7') {
                            v = v * 8 + (p.charAt(k) - '0');
                            k++;
                            digits++;
                        }
                        if (digits == 0) throw new Invalid("bad escape");
                        if (v > 0377) throw new Invalid("octal escape value outside of range 0-0o377");
                        out.append(String.format("\\x{%x}", v));
                        return k;
                    }
                    if (k + 2 < p.length() && isOct(p.charAt(k)) && isOct(p.charAt(k + 1)) && isOct(p.charAt(k + 2))) {
                        int v = (p.charAt(k) - '0') * 64 + (p.charAt(k + 1) - '0') * 8 + (p.charAt(k + 2) - '0');
                        if (v > 0377) throw new Invalid("octal escape value outside of range 0-0o377");
                        out.append(String.format("\\x{%x}", v));
                        return k + 3;
                    }
                    int start = k;
                    while (k < p.length() && k - start < 2 && Character.isDigit(p.charAt(k))) k++;
                    out.append('\\').append(p, start, k);
                    return k;
                }
                if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) throw new Invalid("bad escape \\" + e);
                out.append('\\').append(e);
                return i + 2;
        }
    }

    private static boolean isOct(char c) { return c >= '0' && c <= '7'; }

    private static int hex(String p, int i, int digits, StringBuilder out) throws Invalid {
        int start = i + 2, end = start + digits;
        if (end > p.length()) throw new Invalid("incomplete escape");
        for (int k = start; k < end; k++) {
            if (Character.digit(p.charAt(k), 16) < 0 || p.charAt(k) > 'f') throw new Invalid("incomplete escape");
        }
        long v = Long.parseLong(p.substring(start, end), 16);
        if (v > 0x10ffff) throw new Invalid("bad escape");
        out.append("\\x{").append(Long.toHexString(v)).append('}');
        return end;
    }
}
