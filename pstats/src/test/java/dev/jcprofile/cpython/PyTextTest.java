package dev.jcprofile.cpython;

import dev.jcprofile.golden.Python;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PyText against CPython's str: {@code repr} of every code point and of tricky strings, {@code len},
 * {@code strip}, {@code split}, and the order {@code sorted} gives, all from one python3 process.
 */
class PyTextTest {
    static final List<String> TRICKY = List.of(
            "", "plain", "it's", "say \"hi\"", "both ' and \"", "back\\slash", "tab\there", "new\nline", "cr\rlf",
            "\u0000\u0001\u001f\u007f", "\u0080\u009f\u00a0\u00ad\u00ff", "caf\u00e9", "\u6a21\u5757", "\ud835\udcb3",
            "\ud840\udc00", "\u2028\u2029", "\u200b\u200d\ufeff", "\ud800", "\udc00x", "x\ud83d", "\ufffd\uffff",
            "(?P<n>x)", "'\"", "\"", "'", "\u3000 \u2003", " \t\u000b\u000c\u001c\u001d\u001e\u001f\u0085 pad \u00a0",
            "a\u0301", "\ud83d\ude00 emoji", "\udb40\udc01 tag", "\udb80\udc00 private", "\u0870 new in 14",
            "\ud83e\udef8 new in 15");

    @Test
    void reprOfEveryCodePoint() {
        // One line per code point, in order; a blank line stands for each code point python3 cannot print alone.
        Python.Result r = Python.script(String.join("\n",
                "import sys",
                "out = sys.stdout",
                "for c in range(0x110000):",
                "    out.write(repr(chr(c)).encode('utf-8', 'surrogatepass').decode('utf-8', 'replace') + '\\n')"), "");
        assertEquals(0, r.exit, r.err);
        String[] lines = r.text().split("\n", -1);
        assertEquals(0x110001, lines.length);
        List<String> wrong = new ArrayList<>();
        for (int c = 0; c < 0x110000; c++) {
            if (c >= 0xd800 && c <= 0xdfff) continue; // not text in UTF-8; the tricky strings cover them
            String actual = PyText.repr(new String(Character.toChars(c)));
            if (!lines[c].equals(actual)) wrong.add(String.format("U+%04X: python3 %s, PyText %s", c, lines[c], actual));
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " code points differ:\n" + String.join("\n", wrong.subList(0, Math.min(30, wrong.size()))));
        }
    }

    @Test
    void stringOperations() {
        StringBuilder in = new StringBuilder();
        for (String s : TRICKY) in.append(codePoints(s)).append('\n');
        Python.Result r = Python.script(String.join("\n",
                "import sys",
                "lines = sys.stdin.read().split('\\n')[:-1]",
                "strs = [''.join(chr(int(h, 16)) for h in l.split()) for l in lines]",
                "enc = lambda s: ' '.join('%x' % ord(c) for c in s)",
                "for s in strs:",
                "    print(repr(s).encode('unicode_escape').decode('ascii'))",
                "    print(len(s), s.isspace(), enc(s.strip()), '|'.join(enc(w) for w in s.split()), sep=';')",
                "print(' '.join(str(strs.index(s)) for s in sorted(strs)))"), in.toString());
        assertEquals(0, r.exit, r.err);
        String[] lines = r.text().split("\n");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < TRICKY.size(); i++) {
            String s = TRICKY.get(i);
            String repr = asciiEscape(PyText.repr(s));
            if (!lines[2 * i].equals(repr)) wrong.add("repr " + lines[2 * i] + " / " + repr);
            boolean space = !s.isEmpty() && s.codePoints().allMatch(PyText::isSpace);
            List<String> words = new ArrayList<>();
            for (String w : PyText.split(s)) words.add(codePoints(w));
            String ops = PyText.length(s) + ";" + (space ? "True" : "False") + ";" + codePoints(PyText.strip(s)) + ";"
                    + String.join("|", words);
            if (!lines[2 * i + 1].equals(ops)) wrong.add("ops of " + repr + ": python3 " + lines[2 * i + 1] + ", PyText " + ops);
        }
        Integer[] order = new Integer[TRICKY.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> PyText.compare(TRICKY.get(a), TRICKY.get(b)));
        StringBuilder sorted = new StringBuilder();
        for (int i : order) sorted.append(sorted.length() > 0 ? " " : "").append(i);
        if (!lines[2 * TRICKY.size()].equals(sorted.toString())) {
            wrong.add("order: python3 " + lines[2 * TRICKY.size()] + ", PyText " + sorted);
        }
        if (!wrong.isEmpty()) fail(String.join("\n", wrong));
    }

    /** Python's {@code s.encode('unicode_escape').decode('ascii')} for the repr, so lone surrogates compare too. */
    private static String asciiEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\') b.append("\\\\");
            else if (c == '\t') b.append("\\t");
            else if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c < 0x20 || (c >= 0x7f && c < 0x100)) b.append(String.format("\\x%02x", c));
            else if (c < 0x7f) b.append((char) c);
            else if (c < 0x10000) b.append(String.format("\\u%04x", c));
            else b.append(String.format("\\U%08x", c));
        }
        return b.toString();
    }

    private static String codePoints(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(b.length() > 0 ? " " : "").append(Integer.toHexString(c)));
        return b.toString();
    }
}
