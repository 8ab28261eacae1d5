package dev.jcprofile.cpython;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a Python {@code re} pattern into an equivalent {@link Pattern}. pstats restrictions are Python regular
 * expressions matched with {@code re.search}, so a pattern must be rejected exactly when CPython 3.11's
 * {@code re.compile} rejects it, and must match what Python's matches.
 *
 * <p>The pattern is parsed as {@code re._parser} parses it (same tokens, same checks: group references, flags,
 * repeats, character ranges, fixed-width look-behinds), into a small tree that is then written out in Java's
 * syntax with nothing left to Java's defaults: {@code \w \d \s \b} are spelled out as Python defines them,
 * {@code ^ $ .} are written as look-arounds and classes, and flags become explicit Java flag groups.
 */
public final class PyRegex {
    private PyRegex() {}

    /** Thrown for a pattern that Python's {@code re.compile} would reject. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        Invalid(String message) { super(message, null, false, false); }
    }

    public static Pattern compile(String python) throws Invalid {
        String java;
        try {
            java = translate(python);
        } catch (StackOverflowError e) {
            // Groups nested thousands deep: the parser recurses per level. Python's own parser gives up sooner
            // (RecursionError, near 500 levels, which kills pstats's browser); here the pattern is invalid.
            throw new Invalid("too deeply nested");
        }
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException | StackOverflowError e) {
            throw new Invalid("cannot be expressed as a Java pattern: " + e.getMessage());
        }
    }

    /**
     * {@code re.search(pattern, text)}. java.util.regex recurses once per repetition of a group with alternatives
     * ({@code (a|b)*}), so a long name can overflow the stack where Python's matcher, which does not recurse, gives
     * an answer: such a search is done again on a thread whose stack is sized for the text.
     */
    public static boolean search(Pattern pattern, String text) {
        try {
            return pattern.matcher(text).find();
        } catch (StackOverflowError e) {
            boolean[] found = new boolean[1];
            Throwable[] failed = new Throwable[1];
            long stack = Math.min(1L << 30, (16L << 20) + 4096L * text.length());
            Thread t = new Thread(null, () -> {
                try {
                    found[0] = pattern.matcher(text).find();
                } catch (Throwable x) {
                    failed[0] = x;
                }
            }, "regex-search", stack);
            t.start();
            try {
                t.join();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while matching a regular expression", x);
            }
            if (failed[0] instanceof StackOverflowError) throw (StackOverflowError) failed[0];
            if (failed[0] != null) throw new IllegalStateException(failed[0]);
            return found[0];
        }
    }

    static String translate(String pattern) throws Invalid {
        Parser p = new Parser(pattern);
        Seq tree = p.parse();
        StringBuilder out = new StringBuilder();
        new Writer(p, out).top(tree, p.flags);
        return out.toString();
    }

    // ------------------------------------------------------------------ flags (re._constants)

    static final int I = 2, L = 4, M = 8, S = 16, U = 32, X = 64, A = 256, T = 1;
    private static final long MAXREPEAT = 4294967295L;
    private static final long MAXWIDTH = Long.MAX_VALUE;

    private static int flag(int c) {
        switch (c) {
            case 'i': return I;
            case 'L': return L;
            case 'm': return M;
            case 's': return S;
            case 'x': return X;
            case 'a': return A;
            case 't': return T;
            case 'u': return U;
            default: return 0;
        }
    }

    // ------------------------------------------------------------------ the tree (re._parser's opcodes)

    private abstract static class Node {}

    private static final class Seq extends Node {
        final List<Node> items = new ArrayList<>();
    }

    private static final class Lit extends Node {
        final int cp;
        final boolean not;
        Lit(int cp, boolean not) { this.cp = cp; this.not = not; }
    }

    private static final class Any extends Node {}

    /** A category: d, D, s, S, w, W. */
    private static final class Cat extends Node {
        final char kind;
        Cat(char kind) { this.kind = kind; }
    }

    /** A character set: literals, ranges and categories; {@code negate} for {@code [^...]}. */
    private static final class In extends Node {
        final boolean negate;
        final List<Node> items; // Lit, Range, Cat
        In(boolean negate, List<Node> items) { this.negate = negate; this.items = items; }
    }

    private static final class Range extends Node {
        final int lo, hi;
        Range(int lo, int hi) { this.lo = lo; this.hi = hi; }
    }

    /** An anchor: '^' beginning, '$' end, 'A' \A, 'Z' \Z, 'b' \b, 'B' \B. */
    private static final class At extends Node {
        final char kind;
        At(char kind) { this.kind = kind; }
    }

    private static final class Branch extends Node {
        final List<Seq> alternatives;
        Branch(List<Seq> alternatives) { this.alternatives = alternatives; }
    }

    private static final class Repeat extends Node {
        final long min, max;
        final char mode; // 'g' greedy, 'l' lazy, 'p' possessive
        final Node item;
        Repeat(long min, long max, char mode, Node item) {
            this.min = min;
            this.max = max;
            this.mode = mode;
            this.item = item;
        }
    }

    /** A group: capturing ({@code group > 0}) or not, with scoped flags. */
    private static final class Group extends Node {
        final int group, addFlags, delFlags;
        final Seq body;
        Group(int group, int addFlags, int delFlags, Seq body) {
            this.group = group;
            this.addFlags = addFlags;
            this.delFlags = delFlags;
            this.body = body;
        }
    }

    private static final class Atomic extends Node {
        final Seq body;
        Atomic(Seq body) { this.body = body; }
    }

    private static final class Assert extends Node {
        final boolean behind, negative;
        final Seq body;
        Assert(boolean behind, boolean negative, Seq body) {
            this.behind = behind;
            this.negative = negative;
            this.body = body;
        }
    }

    private static final class GroupRef extends Node {
        final int group;
        GroupRef(int group) { this.group = group; }
    }

    private static final class GroupRefExists extends Node {
        final int group;
        final Seq yes, no;
        GroupRefExists(int group, Seq yes, Seq no) {
            this.group = group;
            this.yes = yes;
            this.no = no;
        }
    }

    // ------------------------------------------------------------------ the parser (re._parser)

    private static final String SPECIAL_CHARS = ".\\[{()*+?^$|";
    private static final String REPEAT_CHARS = "*+?{";

    private static final class Parser {
        private final int[] s; // code points: Python indexes a str by them
        private int index;
        private String next; // the next token: one code point, or a backslash and the one after it
        int flags;
        final Map<String, Integer> groupdict = new HashMap<>();
        final List<long[]> groupwidths = new ArrayList<>(); // null until the group is closed
        Integer lookbehindgroups;
        final Map<Integer, Boolean> grouprefpos = new HashMap<>();
        final List<Integer> conditionalGroups = new ArrayList<>();
        boolean hasRepeat;

        Parser(String pattern) throws Invalid {
            s = pattern.codePoints().toArray();
            groupwidths.add(null); // group 0
            advance();
        }

        int groups() { return groupwidths.size(); }

        private void advance() throws Invalid {
            if (index >= s.length) {
                next = null;
                return;
            }
            int c = s[index];
            String t = new String(Character.toChars(c));
            if (c == '\\') {
                if (index + 1 >= s.length) throw new Invalid("bad escape (end of pattern)");
                t += new String(Character.toChars(s[++index]));
            }
            index++;
            next = t;
        }

        private boolean match(String c) throws Invalid {
            if (c.equals(next)) {
                advance();
                return true;
            }
            return false;
        }

        private String get() throws Invalid {
            String t = next;
            advance();
            return t;
        }

        private int tell() { return index - (next == null ? 0 : next.codePointCount(0, next.length())); }

        private void seek(int i) throws Invalid {
            index = i;
            advance();
        }

        private String getwhile(int n, String charset) throws Invalid {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < n; k++) {
                if (next == null || next.length() != 1 || charset.indexOf(next.charAt(0)) < 0) break;
                b.append(get());
            }
            return b.toString();
        }

        private String getuntil(String terminator, String name) throws Invalid {
            StringBuilder b = new StringBuilder();
            while (true) {
                String c = next;
                advance();
                if (c == null) throw new Invalid(b.length() == 0 ? "missing " + name : "missing " + terminator);
                if (c.equals(terminator)) {
                    if (b.length() == 0) throw new Invalid("missing " + name);
                    break;
                }
                b.append(c);
            }
            return b.toString();
        }

        private static final String DIGITS = "0123456789", OCTDIGITS = "01234567",
                HEXDIGITS = "0123456789abcdefABCDEF";

        private static boolean in(String t, String set) {
            return t != null && t.length() == 1 && set.indexOf(t.charAt(0)) >= 0;
        }

        private static boolean isAsciiLetter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

        Seq parse() throws Invalid {
            Seq p = parseSub((flags & X) != 0, 0);
            if ((flags & L) != 0) throw new Invalid("cannot use LOCALE flag with a str pattern");
            if ((flags & A) != 0 && (flags & U) != 0) throw new Invalid("ASCII and UNICODE flags are incompatible");
            if (next != null) throw new Invalid("unbalanced parenthesis");
            for (int g : grouprefpos.keySet()) {
                if (g >= groups()) throw new Invalid("invalid group reference " + g);
            }
            if ((flags & T) != 0 && hasRepeat) throw new Invalid("internal: unsupported template operator");
            checkLookbehinds(p);
            return p;
        }

        private Seq parseSub(boolean verbose, int nested) throws Invalid {
            List<Seq> items = new ArrayList<>();
            while (true) {
                items.add(parseSeq(verbose, nested + 1, nested == 0 && items.isEmpty()));
                if (!match("|")) break;
                if (nested == 0) verbose = (flags & X) != 0;
            }
            if (items.size() == 1) return items.get(0);
            Seq sub = new Seq();
            sub.items.add(new Branch(items));
            return sub;
        }

        private Seq parseSeq(boolean verbose, int nested, boolean first) throws Invalid {
            Seq sub = new Seq();
            List<Node> items = sub.items;
            while (true) {
                String t = next;
                if (t == null || t.equals("|") || t.equals(")")) break;
                advance();
                if (verbose) {
                    if (in(t, " \t\n\r\013\f")) continue;
                    if (t.equals("#")) {
                        while (true) {
                            t = get();
                            if (t == null || t.equals("\n")) break;
                        }
                        continue;
                    }
                }
                int c = t.codePointAt(0);
                if (c == '\\') {
                    items.add(escape(t));
                } else if (t.length() > 2 || SPECIAL_CHARS.indexOf(c) < 0) {
                    items.add(new Lit(c, false));
                } else if (c == '[') {
                    items.add(charSet());
                } else if (REPEAT_CHARS.indexOf(c) >= 0) {
                    int here = tell();
                    long min, max;
                    if (c == '?') {
                        min = 0;
                        max = 1;
                    } else if (c == '*') {
                        min = 0;
                        max = MAXREPEAT;
                    } else if (c == '+') {
                        min = 1;
                        max = MAXREPEAT;
                    } else {
                        if ("}".equals(next)) {
                            items.add(new Lit('{', false));
                            continue;
                        }
                        min = 0;
                        max = MAXREPEAT;
                        StringBuilder lo = new StringBuilder(), hi = new StringBuilder();
                        while (in(next, DIGITS)) lo.append(get());
                        if (match(",")) {
                            while (in(next, DIGITS)) hi.append(get());
                        } else {
                            hi.append(lo);
                        }
                        if (!match("}")) {
                            items.add(new Lit('{', false));
                            seek(here);
                            continue;
                        }
                        if (lo.length() > 0) min = repeatCount(lo);
                        if (hi.length() > 0) {
                            max = repeatCount(hi);
                            if (max < min) throw new Invalid("min repeat greater than max repeat");
                        }
                    }
                    Node item = items.isEmpty() ? null : items.get(items.size() - 1);
                    if (item == null || item instanceof At) throw new Invalid("nothing to repeat");
                    if (item instanceof Repeat) throw new Invalid("multiple repeat");
                    char mode = match("?") ? 'l' : match("+") ? 'p' : 'g';
                    hasRepeat = true;
                    items.set(items.size() - 1, new Repeat(min, max, mode, item));
                } else if (c == '.') {
                    items.add(new Any());
                } else if (c == '(') {
                    Node g = group(verbose, nested, first, sub);
                    if (g == GLOBAL_FLAGS) verbose = (flags & X) != 0;
                    else if (g != null) items.add(g);
                } else if (c == '^') {
                    items.add(new At('^'));
                } else if (c == '$') {
                    items.add(new At('$'));
                }
            }
            return sub;
        }

        private long repeatCount(CharSequence digits) throws Invalid {
            // Python raises OverflowError from 2**32 - 1 on; pstats does not catch it, so no answer is right.
            if (digits.length() > 10 || Long.parseLong(digits.toString()) >= MAXREPEAT) {
                throw new Invalid("the repetition number is too large");
            }
            return Long.parseLong(digits.toString());
        }

        /** Returned for {@code (?flags)}: no node, but verbose mode may have begun. */
        private static final Node GLOBAL_FLAGS = new Seq();

        /** A group or other parenthesised extension; null for a comment, GLOBAL_FLAGS for global flags. */
        private Node group(boolean verbose, int nested, boolean first, Seq sub) throws Invalid {
            boolean capture = true, atomic = false;
            String name = null;
            int addFlags = 0, delFlags = 0;
            if (match("?")) {
                String ch = get();
                if (ch == null) throw new Invalid("unexpected end of pattern");
                if (ch.equals("P")) {
                    if (match("<")) {
                        name = getuntil(">", "group name");
                        checkGroupName(name);
                    } else if (match("=")) {
                        name = getuntil(")", "group name");
                        checkGroupName(name);
                        Integer gid = groupdict.get(name);
                        if (gid == null) throw new Invalid("unknown group name");
                        if (!checkgroup(gid)) throw new Invalid("cannot refer to an open group");
                        checkLookbehindGroup(gid);
                        return new GroupRef(gid);
                    } else {
                        ch = get();
                        if (ch == null) throw new Invalid("unexpected end of pattern");
                        throw new Invalid("unknown extension ?P" + ch);
                    }
                } else if (ch.equals(":")) {
                    capture = false;
                } else if (ch.equals("#")) {
                    while (true) {
                        if (next == null) throw new Invalid("missing ), unterminated comment");
                        if (get().equals(")")) break;
                    }
                    return null;
                } else if (in(ch, "=!<")) {
                    boolean behind = false;
                    Integer saved = lookbehindgroups;
                    if (ch.equals("<")) {
                        ch = get();
                        if (ch == null) throw new Invalid("unexpected end of pattern");
                        if (!in(ch, "=!")) throw new Invalid("unknown extension ?<" + ch);
                        behind = true;
                        if (lookbehindgroups == null) lookbehindgroups = groups();
                    }
                    Seq p = parseSub(verbose, nested + 1);
                    if (behind && saved == null) lookbehindgroups = null;
                    if (!match(")")) throw new Invalid("missing ), unterminated subpattern");
                    return new Assert(behind, ch.equals("!"), p);
                } else if (ch.equals("(")) {
                    String condname = getuntil(")", "group name");
                    int condgroup;
                    if (isIdentifier(condname)) {
                        Integer g = groupdict.get(condname);
                        if (g == null) throw new Invalid("unknown group name");
                        condgroup = g;
                    } else {
                        condgroup = decimal(condname);
                        if (condgroup < 0) throw new Invalid("bad character in group name");
                        if (condgroup == 0) throw new Invalid("bad group number");
                        grouprefpos.putIfAbsent(condgroup, Boolean.TRUE);
                    }
                    checkLookbehindGroup(condgroup);
                    Seq yes = parseSeq(verbose, nested + 1, false);
                    Seq no = null;
                    if (match("|")) {
                        no = parseSeq(verbose, nested + 1, false);
                        if ("|".equals(next)) throw new Invalid("conditional backref with more than two branches");
                    }
                    if (!match(")")) throw new Invalid("missing ), unterminated subpattern");
                    conditionalGroups.add(condgroup);
                    return new GroupRefExists(condgroup, yes, no);
                } else if (ch.equals(">")) {
                    capture = false;
                    atomic = true;
                } else if (flag(ch.codePointAt(0)) != 0 && ch.length() == 1 || ch.equals("-")) {
                    int[] f = parseFlags(ch);
                    if (f == null) {
                        if (!first || !sub.items.isEmpty()) {
                            throw new Invalid("global flags not at the start of the expression");
                        }
                        return GLOBAL_FLAGS;
                    }
                    addFlags = f[0];
                    delFlags = f[1];
                    capture = false;
                } else {
                    throw new Invalid("unknown extension ?" + ch);
                }
            }
            int group = 0;
            if (capture) {
                group = groups();
                groupwidths.add(null);
                if (name != null) {
                    if (groupdict.containsKey(name)) throw new Invalid("redefinition of group name");
                    groupdict.put(name, group);
                }
            }
            boolean subVerbose = (verbose || (addFlags & X) != 0) && (delFlags & X) == 0;
            Seq p = parseSub(subVerbose, nested + 1);
            if (!match(")")) throw new Invalid("missing ), unterminated subpattern");
            if (group > 0) groupwidths.set(group, width(p));
            if (atomic) return new Atomic(p);
            return new Group(group, addFlags, delFlags, p);
        }

        /** The flags of {@code (?aiLmsux-imsx:...)} or {@code (?aiLmsux)}; null for the global form. */
        private int[] parseFlags(String ch) throws Invalid {
            int add = 0, del = 0;
            if (!ch.equals("-")) {
                while (true) {
                    int f = flag(ch.codePointAt(0));
                    if (f == L) throw new Invalid("bad inline flags: cannot use 'L' flag with a str pattern");
                    add |= f;
                    int type = add & (A | L | U);
                    if ((f & (A | L | U)) != 0 && type != f) {
                        throw new Invalid("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
                    }
                    ch = get();
                    if (ch == null) throw new Invalid("missing -, : or )");
                    if (in(ch, ")-:")) break;
                    if (ch.length() != 1 || flag(ch.codePointAt(0)) == 0) throw new Invalid("unknown flag");
                }
            }
            if (ch.equals(")")) {
                flags |= add;
                return null;
            }
            if ((add & T) != 0) throw new Invalid("bad inline flags: cannot turn on global flag");
            if (ch.equals("-")) {
                ch = get();
                if (ch == null) throw new Invalid("missing flag");
                if (ch.length() != 1 || flag(ch.codePointAt(0)) == 0) throw new Invalid("unknown flag");
                while (true) {
                    int f = flag(ch.codePointAt(0));
                    if ((f & (A | L | U)) != 0) throw new Invalid("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
                    del |= f;
                    ch = get();
                    if (ch == null) throw new Invalid("missing :");
                    if (ch.equals(":")) break;
                    if (ch.length() != 1 || flag(ch.codePointAt(0)) == 0) throw new Invalid("unknown flag");
                }
            }
            if ((del & T) != 0) throw new Invalid("bad inline flags: cannot turn off global flag");
            if ((add & del) != 0) throw new Invalid("bad inline flags: flag turned on and off");
            return new int[] {add, del};
        }

        private boolean checkgroup(int gid) {
            return gid < groups() && groupwidths.get(gid) != null;
        }

        private void checkLookbehindGroup(int gid) throws Invalid {
            if (lookbehindgroups != null) {
                if (!checkgroup(gid)) throw new Invalid("cannot refer to an open group");
                if (gid >= lookbehindgroups) {
                    throw new Invalid("cannot refer to group defined in the same lookbehind subpattern");
                }
            }
        }

        private void checkGroupName(String name) throws Invalid {
            if (!isIdentifier(name)) throw new Invalid("bad character in group name");
        }

        /** Python's {@code str.isidentifier()}, near enough: XID start then XID continue (or '_'). */
        private static boolean isIdentifier(String name) {
            if (name.isEmpty()) return false;
            int first = name.codePointAt(0);
            if (!(first == '_' || Character.isUnicodeIdentifierStart(first))) return false;
            for (int i = Character.charCount(first); i < name.length(); ) {
                int c = name.codePointAt(i);
                if (!Character.isUnicodeIdentifierPart(c) || Character.isIdentifierIgnorable(c)) return false;
                i += Character.charCount(c);
            }
            return true;
        }

        /** Python's {@code int(s)} for a group number, or -1. */
        private static int decimal(String s) {
            String t = s.strip();
            if (t.startsWith("+")) t = t.substring(1);
            if (t.isEmpty() || t.length() > 9) return -1;
            int v = 0;
            for (int i = 0; i < t.length(); i++) {
                int d = Character.digit(t.charAt(i), 10);
                if (d < 0) return -1;
                v = v * 10 + d;
            }
            return v;
        }

        private Node escape(String t) throws Invalid {
            int c = t.codePointAt(1);
            switch (c) {
                case 'A': return new At('A');
                case 'b': return new At('b');
                case 'B': return new At('B');
                case 'Z': return new At('Z');
                case 'd': case 'D': case 's': case 'S': case 'w': case 'W': return new Cat((char) c);
                default:
            }
            int lit = simpleEscape(c);
            if (lit >= 0) return new Lit(lit, false);
            Node n = numericEscape(c, false);
            if (n != null) return n;
            if (c == '0') {
                String digits = getwhile(2, OCTDIGITS);
                return new Lit(Integer.parseInt("0" + digits, 8), false);
            }
            if (c >= '1' && c <= '9') {
                String escape = String.valueOf((char) c);
                if (in(next, DIGITS)) {
                    escape += get();
                    if (OCTDIGITS.indexOf(escape.charAt(0)) >= 0 && OCTDIGITS.indexOf(escape.charAt(1)) >= 0
                            && in(next, OCTDIGITS)) {
                        escape += get();
                        int v = Integer.parseInt(escape, 8);
                        if (v > 0377) throw new Invalid("octal escape value outside of range 0-0o377");
                        return new Lit(v, false);
                    }
                }
                int group = Integer.parseInt(escape);
                if (group < groups()) {
                    if (!checkgroup(group)) throw new Invalid("cannot refer to an open group");
                    checkLookbehindGroup(group);
                    return new GroupRef(group);
                }
                throw new Invalid("invalid group reference " + group);
            }
            if (isAsciiLetter(c)) throw new Invalid("bad escape " + t);
            return new Lit(c, false);
        }

        private static int simpleEscape(int c) {
            switch (c) {
                case 'a': return 7;
                case 'f': return '\f';
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                case 'v': return 0x0b;
                case '\\': return '\\';
                default: return -1;
            }
        }

        /** The escapes x, u, U (hex digits) and N (a character name), or null. */
        private Node numericEscape(int c, boolean inClass) throws Invalid {
            int digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
            if (digits > 0) {
                String h = getwhile(digits, HEXDIGITS);
                if (h.length() != digits) throw new Invalid("incomplete escape");
                long v = Long.parseLong(h, 16);
                if (v > 0x10ffff) throw new Invalid("bad escape");
                return new Lit((int) v, false);
            }
            if (c == 'N') {
                if (!match("{")) throw new Invalid("missing {");
                String name = getuntil("}", "character name");
                try {
                    // Java strips surrounding blanks and knows no named sequences: both are names Python lacks.
                    if (!name.equals(name.strip())) throw new IllegalArgumentException();
                    return new Lit(Character.codePointOf(name), false);
                } catch (IllegalArgumentException e) {
                    throw new Invalid("undefined character name");
                }
            }
            return null;
        }

        private Node classEscape(String t) throws Invalid {
            int c = t.codePointAt(1);
            if (c == 'b') return new Lit('\b', false);
            int lit = simpleEscape(c);
            if (lit >= 0) return new Lit(lit, false);
            switch (c) {
                case 'd': case 'D': case 's': case 'S': case 'w': case 'W': return new Cat((char) c);
                default:
            }
            Node n = numericEscape(c, true);
            if (n != null) return n;
            if (c >= '0' && c <= '7') {
                String digits = (char) c + getwhile(2, OCTDIGITS);
                int v = Integer.parseInt(digits, 8);
                if (v > 0377) throw new Invalid("octal escape value outside of range 0-0o377");
                return new Lit(v, false);
            }
            if (c == '8' || c == '9' || isAsciiLetter(c)) throw new Invalid("bad escape " + t);
            return new Lit(c, false);
        }

        private Node charSet() throws Invalid {
            List<Node> set = new ArrayList<>();
            boolean negate = match("^");
            while (true) {
                String t = get();
                if (t == null) throw new Invalid("unterminated character set");
                if (t.equals("]") && !set.isEmpty()) break;
                Node code1 = t.startsWith("\\") && t.length() > 1 ? classEscape(t) : new Lit(t.codePointAt(0), false);
                if (match("-")) {
                    String that = get();
                    if (that == null) throw new Invalid("unterminated character set");
                    if (that.equals("]")) {
                        set.add(code1);
                        set.add(new Lit('-', false));
                        break;
                    }
                    Node code2 = that.startsWith("\\") && that.length() > 1 ? classEscape(that)
                            : new Lit(that.codePointAt(0), false);
                    if (!(code1 instanceof Lit) || !(code2 instanceof Lit)) throw new Invalid("bad character range");
                    int lo = ((Lit) code1).cp, hi = ((Lit) code2).cp;
                    if (hi < lo) throw new Invalid("bad character range");
                    set.add(new Range(lo, hi));
                } else {
                    set.add(code1);
                }
            }
            if (set.size() == 1 && set.get(0) instanceof Lit) return new Lit(((Lit) set.get(0)).cp, negate);
            return new In(negate, set);
        }

        // ---- widths (SubPattern.getwidth) and the compiler's look-behind check

        long[] width(Seq p) {
            long lo = 0, hi = 0;
            for (Node n : p.items) {
                long[] w = width(n);
                lo = add(lo, w[0]);
                hi = add(hi, w[1]);
            }
            return new long[] {lo, hi};
        }

        private long[] width(Node n) {
            if (n instanceof Branch) {
                long i = MAXWIDTH, j = 0;
                for (Seq a : ((Branch) n).alternatives) {
                    long[] w = width(a);
                    i = Math.min(i, w[0]);
                    j = Math.max(j, w[1]);
                }
                return new long[] {i, j};
            }
            if (n instanceof Atomic) return width(((Atomic) n).body);
            if (n instanceof Group) return width(((Group) n).body);
            if (n instanceof Repeat) {
                Repeat r = (Repeat) n;
                long[] w = width(r.item);
                long hi = r.max == MAXREPEAT && w[1] != 0 ? MAXWIDTH : mul(w[1], r.max);
                return new long[] {mul(w[0], r.min), hi};
            }
            if (n instanceof Lit || n instanceof Any || n instanceof In || n instanceof Cat) return new long[] {1, 1};
            if (n instanceof GroupRef) {
                long[] w = groupwidths.get(((GroupRef) n).group);
                return w == null ? new long[] {0, 0} : w;
            }
            if (n instanceof GroupRefExists) {
                GroupRefExists g = (GroupRefExists) n;
                long[] w = width(g.yes);
                if (g.no != null) {
                    long[] v = width(g.no);
                    return new long[] {Math.min(w[0], v[0]), Math.max(w[1], v[1])};
                }
                return new long[] {0, w[1]};
            }
            return new long[] {0, 0}; // anchors and look-arounds
        }

        private static long add(long a, long b) { return a > MAXWIDTH - b ? MAXWIDTH : a + b; }

        private static long mul(long a, long b) {
            if (a == 0 || b == 0) return 0;
            return a > MAXWIDTH / b ? MAXWIDTH : a * b;
        }

        private void checkLookbehinds(Node n) throws Invalid {
            if (n instanceof Seq) {
                for (Node c : ((Seq) n).items) checkLookbehinds(c);
            } else if (n instanceof Branch) {
                for (Seq a : ((Branch) n).alternatives) checkLookbehinds(a);
            } else if (n instanceof Group) {
                checkLookbehinds(((Group) n).body);
            } else if (n instanceof Atomic) {
                checkLookbehinds(((Atomic) n).body);
            } else if (n instanceof Repeat) {
                checkLookbehinds(((Repeat) n).item);
            } else if (n instanceof GroupRefExists) {
                checkLookbehinds(((GroupRefExists) n).yes);
                if (((GroupRefExists) n).no != null) checkLookbehinds(((GroupRefExists) n).no);
            } else if (n instanceof Assert) {
                Assert a = (Assert) n;
                if (a.behind) {
                    long[] w = width(a.body);
                    if (w[0] > MAXREPEAT) throw new Invalid("looks too much behind");
                    if (w[0] != w[1]) throw new Invalid("look-behind requires fixed-width pattern");
                }
                checkLookbehinds(a.body);
            }
        }
    }

    // ------------------------------------------------------------------ writing Java's syntax

    /** Python's \w: str.isalnum() or '_', which is exactly the letters and numbers. */
    private static final String WORD = "\\p{L}\\p{N}_";
    private static final String ASCII_WORD = "a-zA-Z0-9_";
    /** Python's \s: str.isspace(). */
    private static final String SPACE = "\\t\\n\\x{b}\\f\\r\\x{1c}-\\x{1f} \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
            + "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}";
    private static final String ASCII_SPACE = "\\t\\n\\x{b}\\f\\r ";

    private static final class Writer {
        private final Parser parser;
        private final StringBuilder out;

        Writer(Parser parser, StringBuilder out) {
            this.parser = parser;
            this.out = out;
        }

        void top(Seq tree, int flags) {
            out.append(javaFlags(flags)).append(':');
            seq(tree, flags);
            out.append(')');
        }

        /** A Java flag group opening that sets case-insensitivity as Python's flags have it. */
        private static String javaFlags(int flags) {
            if ((flags & I) == 0) return "(?-iu";
            return (flags & A) != 0 ? "(?i-u" : "(?iu";
        }

        private void seq(Seq s, int flags) {
            for (Node n : s.items) node(n, flags);
        }

        private void node(Node n, int flags) {
            if (n instanceof Lit) {
                Lit l = (Lit) n;
                if (l.not) out.append("[^").append(cp(l.cp)).append(']');
                else out.append(cp(l.cp));
            } else if (n instanceof Any) {
                out.append((flags & S) != 0 ? "[\\x{0}-\\x{10ffff}]" : "[^\\n]");
            } else if (n instanceof Cat) {
                out.append('[').append(category(((Cat) n).kind, flags)).append(']');
            } else if (n instanceof In) {
                In in = (In) n;
                out.append(in.negate ? "[^" : "[");
                for (Node item : in.items) {
                    if (item instanceof Lit) out.append(cp(((Lit) item).cp));
                    else if (item instanceof Range) out.append(cp(((Range) item).lo)).append('-').append(cp(((Range) item).hi));
                    else out.append('[').append(category(((Cat) item).kind, flags)).append(']');
                }
                out.append(']');
            } else if (n instanceof At) {
                at(((At) n).kind, flags);
            } else if (n instanceof Branch) {
                out.append("(?:");
                boolean firstAlt = true;
                for (Seq a : ((Branch) n).alternatives) {
                    if (!firstAlt) out.append('|');
                    firstAlt = false;
                    seq(a, flags);
                }
                out.append(')');
            } else if (n instanceof Repeat) {
                Repeat r = (Repeat) n;
                out.append("(?:");
                node(r.item, flags);
                out.append("){").append(r.min).append(',');
                if (r.max != MAXREPEAT) out.append(r.max);
                out.append('}');
                if (r.mode == 'l') out.append('?');
                else if (r.mode == 'p') out.append('+');
            } else if (n instanceof Group) {
                Group g = (Group) n;
                // As re._compiler's _combine_flags: a type flag (a, u) given to a group replaces the outer one.
                int base = (g.addFlags & (A | U | L)) != 0 ? flags & ~(A | U | L) : flags;
                int inner = (base | g.addFlags) & ~g.delFlags;
                out.append(javaFlags(inner)).append(':');
                if (g.group > 0) out.append("(?<g").append(g.group).append('>');
                seq(g.body, inner);
                // A marker that has matched (empty) exactly when the group has: Java's stand-in for (?(n)...).
                if (g.group > 0 && parser.conditionalGroups.contains(g.group)) out.append("(?<m").append(g.group).append(">)");
                if (g.group > 0) out.append(')');
                out.append(')');
            } else if (n instanceof Atomic) {
                out.append("(?>");
                seq(((Atomic) n).body, flags);
                out.append(')');
            } else if (n instanceof Assert) {
                Assert a = (Assert) n;
                if (a.behind) {
                    long w = parser.width(a.body)[0];
                    StringBuilder body = new StringBuilder();
                    StringBuilder saved = out;
                    Writer inner = new Writer(parser, body);
                    if (refersToGroup(a.body)) {
                        // Java cannot bound a look-behind that holds a back reference; Python's is of fixed width,
                        // so look ahead from that far back instead.
                        body.append("(?=");
                        inner.seq(a.body, flags);
                        body.append(")[\\x{0}-\\x{10ffff}]{").append(w).append('}');
                    } else {
                        inner.seq(a.body, flags);
                    }
                    saved.append(behind(body.toString(), w, a.negative));
                } else {
                    out.append(a.negative ? "(?!" : "(?=");
                    seq(a.body, flags);
                    out.append(')');
                }
            } else if (n instanceof GroupRef) {
                out.append("\\k<g").append(((GroupRef) n).group).append('>');
            } else if (n instanceof GroupRefExists) {
                GroupRefExists g = (GroupRefExists) n;
                out.append("(?:\\k<m").append(g.group).append('>');
                seq(g.yes, flags);
                out.append("|(?!\\k<m").append(g.group).append(">)");
                if (g.no != null) seq(g.no, flags);
                out.append(')');
            }
        }

        /**
         * A look-behind over {@code w} code points. Java counts a look-behind's reach in chars and misjudges it for
         * supplementary characters, so the reach is widened to the 2w chars that w code points can take, and the
         * start may not be the second half of a surrogate pair.
         */
        private static String behind(String body, long w, boolean negative) {
            return (negative ? "(?<!" : "(?<=") + "(?![\\x{dc00}-\\x{dfff}])(?:" + body + "|(?!)[\\x{0}-\\x{10ffff}]{"
                    + (2 * w) + "}))";
        }

        private static boolean refersToGroup(Node n) {
            if (n instanceof GroupRef || n instanceof GroupRefExists) return true;
            if (n instanceof Seq) {
                for (Node c : ((Seq) n).items) if (refersToGroup(c)) return true;
            } else if (n instanceof Branch) {
                for (Seq a : ((Branch) n).alternatives) if (refersToGroup(a)) return true;
            } else if (n instanceof Group) {
                return refersToGroup(((Group) n).body);
            } else if (n instanceof Atomic) {
                return refersToGroup(((Atomic) n).body);
            } else if (n instanceof Repeat) {
                return refersToGroup(((Repeat) n).item);
            } else if (n instanceof Assert) {
                return refersToGroup(((Assert) n).body);
            }
            return false;
        }

        private void at(char kind, int flags) {
            String word = (flags & A) != 0 ? "[" + ASCII_WORD + "]" : "[" + WORD + "]";
            switch (kind) {
                case '^':
                    out.append((flags & M) != 0 ? "(?:\\A|(?<=\\n))" : "\\A");
                    break;
                case '$':
                    out.append((flags & M) != 0 ? "(?=\\n|\\z)" : "(?=\\n?\\z)");
                    break;
                case 'A':
                    out.append("\\A");
                    break;
                case 'Z':
                    out.append("\\z");
                    break;
                case 'b':
                    out.append("(?:").append(behind(word, 1, false)).append("(?!").append(word).append(")|")
                            .append(behind(word, 1, true)).append("(?=").append(word).append("))");
                    break;
                default: // 'B': never in an empty string
                    out.append("(?:(?=[\\x{0}-\\x{10ffff}])|").append(behind("[\\x{0}-\\x{10ffff}]", 1, false))
                            .append(")(?:").append(behind(word, 1, false)).append("(?=").append(word).append(")|")
                            .append(behind(word, 1, true)).append("(?!").append(word).append("))");
            }
        }

        private static String category(char kind, int flags) {
            boolean ascii = (flags & A) != 0;
            switch (kind) {
                case 'd': return ascii ? "0-9" : "\\p{Nd}";
                case 'D': return ascii ? "^0-9" : "^\\p{Nd}";
                case 's': return ascii ? ASCII_SPACE : SPACE;
                case 'S': return "^" + (ascii ? ASCII_SPACE : SPACE);
                case 'w': return ascii ? ASCII_WORD : WORD;
                default: return "^" + (ascii ? ASCII_WORD : WORD);
            }
        }

        private static String cp(int c) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return String.valueOf((char) c);
            // Java sizes look-behinds wrongly for an escaped supplementary character; as itself it is never special.
            if (c >= 0x10000) return new String(Character.toChars(c));
            return "\\x{" + Integer.toHexString(c) + "}";
        }
    }
}
