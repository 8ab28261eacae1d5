package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import dev.jcprofile.cpython.PyText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Files that are not usable profiles: each gives exactly one {@link ProfileException} with a one-line message that
 * says in a user's words what is wrong. Where python3 can judge the bytes, it must refuse them too (or, for
 * marshal data that is not a profile, read them as what the message says they are).
 */
class BadInputTest {
    @TempDir
    Path dir;

    private String readProblem(Path p) {
        try {
            ProfileFiles.read(p, BadInput.LABEL);
            fail("read " + p);
            return null;
        } catch (ProfileException e) {
            return BadInput.checkOneLine(e);
        }
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    // ------------------------------------------------------------------ files that hold no profile at all

    @Test
    void missingFileAndDirectory() throws Exception {
        assertEquals("No such file or directory", readProblem(dir.resolve("missing.prof")));
        assertEquals("No such file or directory", readProblem(dir.resolve("no/such/dir/x.prof")));
        assertEquals("Is a directory", readProblem(dir));
    }

    @Test
    void emptyFile() throws Exception {
        assertEquals("not a profile: the file is empty", readProblem(file("empty.prof", new byte[0])));
    }

    @Test
    void textFiles() throws Exception {
        // A report saved in place of the profile, a script, JSON, text starting with marshal's 'T' (True).
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("         1234 function calls in 0.012 seconds\n\n   Ordered by: cumulative time\n",
                "1234 function calls in 0.012 seconds");
        texts.put("import cProfile\ncProfile.run('main()')\n", "import cProfile");
        texts.put("{\"a.py:1(f)\": [1, 1, 0.5, 0.5]}\n", "{\"a.py:1(f)\": [1, 1, 0.5, 0.5]}");
        texts.put("True story, caf\u00e9", "True story, caf\u00e9");
        texts.put("x".repeat(5000), "x".repeat(40) + "...");
        // Text whose first letter is a marshal type code that reads a size from the next four letters.
        texts.put("usage: jpstats [FILE...]\n", "usage: jpstats [FILE...]");
        texts.put("[1, 2, 3]", "[1, 2, 3]");
        texts.put("(a, b)\r\n", "(a, b)");
        texts.put("list of things", "list of things");
        for (Map.Entry<String, String> t : texts.entrySet()) {
            String problem = readProblem(file("text.prof", t.getKey().getBytes(StandardCharsets.UTF_8)));
            assertEquals("not a profile: the file holds text, not marshal data (it starts "
                    + PyText.repr(t.getValue()) + ")", problem);
        }
    }

    @Test
    void binaryFileOfAnotherKind() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        assertEquals("not a profile: the file is not Python marshal data (its first byte, 0x89, is no marshal type"
                + " code)", readProblem(file("image.prof", png)));
    }

    // ------------------------------------------------------------------ marshal data that is not a profile

    /** Python literals, written by python3 at versions 2 and 4, and the problem each must report. */
    private static final String[][] NOT_PROFILES = {
        {"[1, 2]", "not a profile: the file holds a marshalled list, not a dict of function statistics"},
        {"42", "not a profile: the file holds a marshalled int, not a dict of function statistics"},
        {"'a.py'", "not a profile: the file holds a marshalled str, not a dict of function statistics"},
        {"None", "not a profile: the file holds a marshalled None, not a dict of function statistics"},
        {"(1, 2, 3)", "not a profile: the file holds a marshalled tuple of 3, not a dict of function statistics"},
        {"{}", "not a profile: the dict of function statistics is empty"},
        {"{('a.py', 1): (1, 1, 0.0, 0.0, {})}",
            "not a profile: a function key is a tuple of 2, not a (file, line, name) tuple"},
        {"{('a.py', 1, 'f', 'x'): (1, 1, 0.0, 0.0, {})}",
            "not a profile: a function key is a tuple of 4, not a (file, line, name) tuple"},
        {"{'a.py:1(f)': (1, 1, 0.0, 0.0, {})}",
            "not a profile: a function key is a str, not a (file, line, name) tuple"},
        {"{('a.py', 1.5, 'f'): (1, 1, 0.0, 0.0, {})}",
            "not a profile: the line number in a function key is a float, not an int"},
        {"{(1, 1, 'f'): (1, 1, 0.0, 0.0, {})}", "not a profile: the file name in a function key is an int, not a str"},
        {"{('a.py', 1, None): (1, 1, 0.0, 0.0, {})}",
            "not a profile: the function name in a function key is None, not a str"},
        {"{('a.py', 1, 'f'): [1, 1, 0.0, 0.0, {}]}",
            "not a profile: the statistics of a.py:1(f) are a list, not (cc, nc, tt, ct, callers)"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0)}",
            "not a profile: the statistics of a.py:1(f) are a tuple of 4, not (cc, nc, tt, ct, callers)"},
        {"{('a.py', 1, 'f'): ('1', 1, 0.0, 0.0, {})}",
            "not a profile: the primitive call count of a.py:1(f) is a str, not an int"},
        {"{('a.py', 1, 'f'): (1, 1.5, 0.0, 0.0, {})}", "not a profile: the call count of a.py:1(f) is a float, not an int"},
        {"{('a.py', 1, 'f'): (1, 1, 'x', 0.0, {})}", "not a profile: the total time of a.py:1(f) is a str, not a number"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, None, {})}",
            "not a profile: the cumulative time of a.py:1(f) is None, not a number"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, [])}", "not a profile: the callers of a.py:1(f) are a list, not a dict"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, None)}", "not a profile: the callers of a.py:1(f) are None, not a dict"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, {'g': 1})}",
            "not a profile: a caller key of a.py:1(f) is a str, not a (file, line, name) tuple"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, {('b.py', 2, 'g'): (1, 1, 0.0)})}",
            "not a profile: the statistics of caller b.py:2(g) in the callers of a.py:1(f) are a tuple of 3, not (nc,"
                + " cc, tt, ct) or a call count"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, {('b.py', 2, 'g'): 'x'})}",
            "not a profile: the statistics of caller b.py:2(g) in the callers of a.py:1(f) are a str, not (nc, cc, tt,"
                + " ct) or a call count"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, {('b.py', 2, 'g'): (1, 1, 0.0, [])})}",
            "not a profile: the caller cumulative time of a.py:1(f) is a list, not a number"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, {('b.py', 2, 'g'): (1.0, 1, 0.0, 0.0)})}",
            "not a profile: the caller call count of a.py:1(f) is a float, not an int"},
        {"{('a.py', 1, 'f'): (1, 1, 0.0, 0.0, {}), ('a.py', 2, 'g'): 7}",
            "not a profile: the statistics of a.py:2(g) are an int, not (cc, nc, tt, ct, callers)"},
    };

    @Test
    void marshalValuesThatAreNotProfiles() throws Exception {
        StringBuilder script = new StringBuilder("import marshal, sys\nvalues = [\n");
        for (String[] c : NOT_PROFILES) script.append("    ").append(c[0]).append(",\n");
        script.append("]\nfor i, v in enumerate(values):\n    for version in (2, 4):\n")
                .append("        open('%s/value%d.v%d.prof' % (sys.argv[1], i, version), 'wb')")
                .append(".write(marshal.dumps(v, version))\n");
        PythonTool.Result r = PythonTool.run(List.of(PythonTool.PYTHON, "-c", script.toString(), dir.toString()), null,
                null);
        assertEquals(0, r.exitCode, r.stderr);
        for (int i = 0; i < NOT_PROFILES.length; i++) {
            for (int version : new int[] {2, 4}) {
                Path p = dir.resolve("value" + i + ".v" + version + ".prof");
                assertEquals(NOT_PROFILES[i][1], readProblem(p), NOT_PROFILES[i][0] + " at version " + version);
            }
        }
    }

    // ------------------------------------------------------------------ damaged marshal data

    /** Hand-built damage; python3 must refuse each as well. Each is a problem prefix and the bytes. */
    private static List<Object[]> damaged() {
        List<Object[]> c = new ArrayList<>();
        String key = "damaged at byte ";
        c.add(new Object[] {key + "0: a tuple of negative size (-1)", new MarshalBytes().tuple(-1).bytes()});
        c.add(new Object[] {key + "0: a list of negative size (-1)", new MarshalBytes().list(-1).bytes()});
        c.add(new Object[] {key + "0: a set of negative size (-2147483648)",
            new MarshalBytes().code('<').int32(Integer.MIN_VALUE).bytes()});
        c.add(new Object[] {key + "0: a bytes object of negative size (-5)", new MarshalBytes().code('s').int32(-5).bytes()});
        c.add(new Object[] {key + "0: a string of negative size (-1)", new MarshalBytes().code('u').int32(-1).bytes()});
        c.add(new Object[] {"truncated: the file ends after 6 bytes, in a marshalled value (a tuple of 2147483647 items"
            + " at byte 0)", new MarshalBytes().tuple(Integer.MAX_VALUE).code('N').bytes()});
        c.add(new Object[] {"truncated: the file ends after 6 bytes, in a marshalled value (a list of 2000000000 items"
            + " at byte 0)", new MarshalBytes().list(2_000_000_000).code('N').bytes()});
        c.add(new Object[] {"truncated: the file ends after 6 bytes, in a marshalled value (a set of 2147483647 items"
            + " at byte 0)", new MarshalBytes().code('>').int32(Integer.MAX_VALUE).code('N').bytes()});
        c.add(new Object[] {"truncated: the file ends after 8 bytes, in a marshalled value (a string of 2147483647"
            + " bytes at byte 0)", new MarshalBytes().code('u').int32(Integer.MAX_VALUE).raw('a', 'b', 'c').bytes()});
        c.add(new Object[] {"truncated: the file ends after 8 bytes, in a marshalled value (a bytes object of"
            + " 2000000000 bytes at byte 0)", new MarshalBytes().code('s').int32(2_000_000_000).raw('a', 'b', 'c').bytes()});
        c.add(new Object[] {"truncated: the file ends after 9 bytes, in a marshalled value (a long integer of"
            + " 2147483647 digits at byte 0)", new MarshalBytes().code('l').int32(Integer.MAX_VALUE).raw(1, 0, 0, 0).bytes()});
        c.add(new Object[] {key + "0: a long integer whose size is out of range",
            new MarshalBytes().code('l').int32(Integer.MIN_VALUE).bytes()});
        c.add(new Object[] {key + "5: unknown type code 0xbf", new MarshalBytes().list(1).code(0xbf).bytes()});
        c.add(new Object[] {key + "5: unknown type code 0x01", new MarshalBytes().list(1).code(1).bytes()});
        c.add(new Object[] {key + "5: a reference to object #5, but 1 were marked for reference before it",
            new MarshalBytes().code('[' | MarshalBytes.FLAG_REF).int32(1).ref(5).bytes()});
        c.add(new Object[] {key + "0: a reference to object #-1, but 0 were marked for reference before it",
            new MarshalBytes().ref(-1).bytes()});
        // A tuple holding itself is no damage: marshal.c enters a tuple before its items (BigCountsTest and
        // KnownDifferencesIT cover counts past a long and cyclic profiles); a frozenset is entered after them.
        c.add(new Object[] {key + "5: a reference to object #0, which is still being read",
            new MarshalBytes().code('>' | MarshalBytes.FLAG_REF).int32(1).ref(0).bytes()});
        c.add(new Object[] {key + "5: a string that is not valid UTF-8",
            new MarshalBytes().list(1).code('u').int32(2).raw(0xc3, 0x28).bytes()});
        c.add(new Object[] {key + "5: a float written as text is not a number: '1.5x'",
            new MarshalBytes().list(1).f("1.5x").bytes()});
        c.add(new Object[] {key + "0: a long integer with a digit out of range", new MarshalBytes().code('l').int32(1).raw(0, 0x80).bytes()});
        c.add(new Object[] {key + "0: a tuple holds a NULL", new MarshalBytes().smallTuple(2).code('N').end().bytes()});
        return c;
    }

    @Test
    void damagedMarshalData() throws Exception {
        List<Object[]> cases = damaged();
        List<Path> files = new ArrayList<>();
        List<Path> judged = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            files.add(file("damaged" + i + ".bin", (byte[]) cases.get(i)[1]));
            // CPython allocates a claimed size before reading (PyTuple_New, PyBytes_FromStringAndSize): asking it
            // about billions of items would cost gigabytes, so those are left to the reader alone.
            if (!((String) cases.get(i)[0]).startsWith("truncated")) judged.add(files.get(i));
        }
        List<String> cpython = PythonTool.loads(judged);
        for (int i = 0; i < judged.size(); i++) {
            assertTrue(cpython.get(i).startsWith("error: "), "python3 reads " + judged.get(i) + ": " + cpython.get(i));
        }
        for (int i = 0; i < cases.size(); i++) {
            // The same damage inside a profile's statistics says where it is.
            String problem = readProblem(files.get(i));
            assertEquals(cases.get(i)[0], problem, "case " + i);
        }
    }

    @Test
    void damageInsideAProfileSaysWhere() throws Exception {
        MarshalBytes m = new MarshalBytes().dict().smallTuple(3).z("a.py").i(1).z("f");
        m.smallTuple(5).i(1).i(1).g(0).g(0).dict().smallTuple(3).z("b.py").i(2).z("g").ref(7).end().end();
        assertEquals("damaged at byte 64: a reference to object #7, but 0 were marked for reference before it, in"
                + " the callers of a.py:1(f)", BadInput.problem(m.bytes()));

        m = new MarshalBytes().dict().smallTuple(3).z("a.py").i(1).z("f").smallTuple(5).i(1).code('?');
        assertEquals("damaged at byte 24: unknown type code 0x3f, in the statistics of a.py:1(f)",
                BadInput.problem(m.bytes()));

        byte[] whole = new MarshalBytes().dict().smallTuple(3).z("a.py").i(1).z("f")
                .smallTuple(5).i(1).i(1).g(0).g(0).dict().end().end().bytes();
        assertEquals("truncated: the file ends after " + (whole.length - 1) + " bytes, in the dict of function"
                + " statistics, after 1 function", BadInput.problem(java.util.Arrays.copyOf(whole, whole.length - 1)));
        assertEquals("truncated: the file ends after 20 bytes, in the statistics of a.py:1(f)",
                BadInput.problem(java.util.Arrays.copyOf(whole, 20)));
        assertEquals("truncated: the file ends after 7 bytes, in the dict of function statistics, after 0 functions"
                + " (a string of 4 bytes at byte 3)", BadInput.problem(java.util.Arrays.copyOf(whole, 7)));
    }

    @Test
    void namesWithLineBreaksAreEscapedToKeepTheMessageOneLine() {
        byte[] bytes = new MarshalBytes().dict().smallTuple(3).z("a.py").i(1).u("f\ng\u2028")
                .smallTuple(5).i(1).z("x").bytes();
        assertEquals("not a profile: the call count of 'a.py:1(f\\ng\\u2028)' is a str, not an int",
                BadInput.problem(bytes));
    }

    @Test
    void profileDictReferringToItselfOrToAKeyAsStatistics() {
        // The profile dict entered for reference, then used as a function's statistics.
        byte[] self = new MarshalBytes().code('{' | MarshalBytes.FLAG_REF).smallTuple(3).z("a.py").i(1).z("f")
                .ref(0).end().bytes();
        // Python's marshal reads it (a dict is entered before its items); it is no profile.
        assertEquals("not a profile: the statistics of a.py:1(f) are a dict (the dict of function statistics itself),"
                + " not (cc, nc, tt, ct, callers)", BadInput.problem(self));
        // A key tuple read on the fast path, referred to where statistics belong.
        byte[] keyAsStats = new MarshalBytes().dict().code(')' | MarshalBytes.FLAG_REF).raw(3).z("a.py").i(1).z("f")
                .ref(0).end().bytes();
        assertEquals("not a profile: the statistics of a.py:1(f) are a tuple of 3, not (cc, nc, tt, ct, callers)",
                BadInput.problem(keyAsStats));
        // A NULL where the top-level value belongs.
        assertEquals("not a profile: the file holds a marshalled NULL, not a dict of function statistics",
                BadInput.problem(new byte[] {'0'}));
    }

    @Test
    void trailingBytesAfterAProfileAreIgnoredAsMarshalLoadIgnoresThem() throws Exception {
        byte[] whole = java.nio.file.Files.readAllBytes(PythonProfiles.get("small_cprofile", 4));
        byte[] longer = java.util.Arrays.copyOf(whole, whole.length + 7);
        assertEquals(Canon.profile(ProfileFiles.parse(whole, "p")), Canon.profile(ProfileFiles.parse(longer, "p")));
    }
}
