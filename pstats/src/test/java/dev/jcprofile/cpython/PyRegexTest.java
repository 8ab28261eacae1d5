package dev.jcprofile.cpython;

import dev.jcprofile.golden.Python;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PyRegex against Python's {@code re}: for every pattern of src/test/resources/regex/patterns.txt, whether Python
 * rejects it, and where {@code re.search} finds it in each subject (in code points), as python3 says now.
 */
class PyRegexTest {
    /** Function names as pstats shows them, and strings that tell the dialects apart. */
    static final List<String> SUBJECTS = List.of(
            "src/app/pkg_a/util.py:4(helper)",
            "/root/lib/python3.11/re/_parser.py:979(parse)",
            "{built-in method builtins.len}",
            "{method 'append' of 'list' objects}",
            "src/lib/ünïcödé_模块.py:4(café)",
            "src/lib/astral_𝒳_files/astral_𝒳.py:1(𠀀)",
            "a/x.py:10(alpha)",
            "~:5(<odd builtin>)",
            ":0(len)",
            "profile:0(<code object <module> at 0x7f00, file \"w.py\", line 1>)",
            "UTIL{1}[x]&&y|b#c d",
            "abab aab ac abc x xy xxxy y",
            "café CAFÉ cafe\u0301 ſ K ǅ ß SS",
            "x² ½ Ⅻ ٣ ① _‿ a\u200db",
            "a\u001cb\u001fc\u0085d\u00a0e\u3000f\u200bg",
            "line1\nline2\n",
            "tail\n",
            "\n",
            "",
            "a\rb\u2028c",
            "\u0000\u0007\b\u000b\f\u001b\u007f",
            "123 ١٢٣ 𝟙𝟚",
            "AZaz09_-",
            "(a)(b)\\1\\2");

    @Test
    void searchesAsPythonDoes() throws Exception {
        List<String> patterns = Files.readAllLines(Path.of("src/test/resources/regex/patterns.txt"), StandardCharsets.UTF_8);
        StringBuilder input = new StringBuilder();
        input.append(SUBJECTS.size()).append('\n');
        for (String s : SUBJECTS) input.append(codePoints(s)).append('\n');
        for (String p : patterns) input.append(codePoints(p)).append('\n');
        Python.Result r = Python.script(String.join("\n",
                "import re, sys, warnings",
                "warnings.simplefilter('ignore')",
                "lines = sys.stdin.read().split('\\n')[:-1]",
                "dec = lambda l: ''.join(chr(int(h, 16)) for h in l.split())",
                "n = int(lines[0]); subjects = [dec(l) for l in lines[1:n + 1]]",
                "for l in lines[n + 1:]:",
                "    try:",
                "        rx = re.compile(dec(l))",
                "    except re.error:",
                "        print('invalid'); continue",
                "    out = []",
                "    for s in subjects:",
                "        m = rx.search(s)",
                "        out.append('%d-%d' % m.span() if m else 'no')",
                "    print(' '.join(out))"), input.toString());
        assertEquals(0, r.exit, r.err);
        String[] expected = r.text().split("\n");
        assertEquals(patterns.size(), expected.length);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            String actual;
            try {
                actual = java(patterns.get(i));
            } catch (RuntimeException | StackOverflowError e) {
                actual = e.toString();
            }
            if (!expected[i].equals(actual)) {
                wrong.add(patterns.get(i) + "\n    python3: " + expected[i] + "\n    PyRegex: " + actual);
            }
        }
        if (!wrong.isEmpty()) fail(wrong.size() + " of " + patterns.size() + " patterns differ:\n" + String.join("\n", wrong));
        assertTrue(patterns.size() > 100);
    }

    private static String java(String pattern) {
        Pattern p;
        try {
            p = PyRegex.compile(pattern);
        } catch (PyRegex.Invalid e) {
            return "invalid";
        }
        List<String> out = new ArrayList<>();
        for (String s : SUBJECTS) {
            Matcher m = p.matcher(s);
            out.add(m.find() ? s.codePointCount(0, m.start()) + "-" + s.codePointCount(0, m.end()) : "no");
        }
        return String.join(" ", out);
    }

    private static String codePoints(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(Integer.toHexString(c)).append(' '));
        return b.toString().trim();
    }

    /** java.util.regex recursed once per character here and overflowed the stack, where Python's re answers. */
    @Test
    void repeatedAlternativesOverALongName() throws Exception {
        Pattern p = PyRegex.compile("(a|b)*\\)");
        String name = "f.py:1(" + "ab".repeat(20_000) + ")";
        assertTrue(PyRegex.search(p, name));
        assertTrue(!PyRegex.search(PyRegex.compile("(a|b)*c"), name.replace("f.py", "x")));
    }

    /** Found by the fuzzer: the parser recursed once per group and overflowed the stack on thousands of them. */
    @Test
    void groupsNestedThousandsDeepAreInvalid() {
        for (int depth : new int[] {2000, 20_000}) {
            try {
                PyRegex.compile("(".repeat(depth) + "a" + ")".repeat(depth));
                fail("compiled " + depth + " nested groups");
            } catch (PyRegex.Invalid e) {
                // as pstats says of an invalid pattern (Python's parser gives up near 500 levels)
            }
        }
    }
}
