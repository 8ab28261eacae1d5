package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Profiles built byte by byte for what python3 3.11 does not write itself: Python 2's interned strings, sharing
 * through references, duplicate keys, lone surrogates. Where CPython 3 can read the bytes, its reading is the
 * expected result; where it cannot (Python 2's {@code R}), the expected result is CPython's reading of the same
 * dict written as a literal.
 */
class HandBuiltProfileTest {
    @TempDir
    Path dir;

    /** What CPython's marshal.loads makes of these bytes, as a profile. */
    private String cpython(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "hand", ".prof");
        Files.write(p, bytes);
        String canon = PythonTool.profileCanon(List.of(p)).get(0);
        assertTrue(!canon.startsWith("error:"), "CPython must read the hand-built bytes: " + canon);
        return canon;
    }

    private static String java(byte[] bytes) throws ProfileException {
        return Canon.profile(ProfileFiles.parse(bytes, "hand"));
    }

    private static String literal(String pythonDict) {
        return PythonTool.pyvalues("eval", "profile", pythonDict).get(0);
    }

    /**
     * A cProfile file as Python 2 wrote it (marshal version 2, pstats's dump_stats): each interned str goes out once
     * as {@code t} and later as {@code R} and its index in the table of interned strings (marshal.c 2.7, w_object's
     * PyString branch); strings not interned, such as built-in names, are plain {@code s}.
     */
    static byte[] python2Profile() {
        MarshalBytes m = new MarshalBytes().dict();
        // ('/home/u/app.py', 10, 'main'): interned strings 0 and 1
        m.tuple(3).t("/home/u/app.py").i(10).t("main");
        m.tuple(5).i(1).i(1).g(0.25).g(1.5).dict();
        m.tuple(3).stringRef(0).i(1).t("<module>"); // interned string 2
        m.tuple(4).i(1).i(1).g(0.25).g(1.5);
        m.end();
        // ('/home/u/app.py', 20, 'helper'): interned string 3
        m.tuple(3).stringRef(0).i(20).t("helper");
        m.tuple(5).i(3).i(3).g(0.75).g(1.0).dict();
        m.tuple(3).stringRef(0).i(10).stringRef(1);
        m.tuple(4).i(3).i(3).g(0.75).g(1.0);
        m.end();
        // ('~', 0, '<len>'): a built-in's name is formatted at run time, so not interned
        m.tuple(3).t("~").i(0).s("<len>");
        m.tuple(5).i(6).i(6).g(0.125).g(0.125).dict();
        m.tuple(3).stringRef(0).i(20).stringRef(3);
        m.tuple(4).i(6).i(6).g(0.125).g(0.125);
        m.end();
        m.tuple(3).stringRef(0).i(1).stringRef(2);
        m.tuple(5).i(1).i(1).g(0.0).g(1.5).dict().end();
        return m.end().bytes();
    }

    static final String PYTHON2_PROFILE_LITERAL = "{('/home/u/app.py', 10, 'main'): (1, 1, 0.25, 1.5, "
            + "{('/home/u/app.py', 1, '<module>'): (1, 1, 0.25, 1.5)}),"
            + " ('/home/u/app.py', 20, 'helper'): (3, 3, 0.75, 1.0, {('/home/u/app.py', 10, 'main'): (3, 3, 0.75, 1.0)}),"
            + " ('~', 0, '<len>'): (6, 6, 0.125, 0.125, {('/home/u/app.py', 20, 'helper'): (6, 6, 0.125, 0.125)}),"
            + " ('/home/u/app.py', 1, '<module>'): (1, 1, 0.0, 1.5, {})}";

    @Test
    void python2ProfileWithInternedStringReferences() throws Exception {
        assertEquals(literal(PYTHON2_PROFILE_LITERAL), java(python2Profile()));
    }

    @Test
    void python2ProfileWithLatin1Bytes() throws Exception {
        // Python 2's str is bytes: a file name in Latin-1 is not UTF-8, and reads as Latin-1 text.
        byte[] bytes = new MarshalBytes().dict()
                .tuple(3).t("/home/caf\u00e9/app.py").i(1).s("caf\u00e9")
                .tuple(5).i(1).i(1).g(0.5).g(0.5).dict().end()
                .end().bytes();
        assertEquals(literal("{('/home/caf\u00e9/app.py', 1, 'caf\u00e9'): (1, 1, 0.5, 0.5, {})}"), java(bytes));
    }

    @Test
    void python2InterpretedTextFloatsAndInt64() throws Exception {
        // Version 0 and 1 floats are text (w_float_str); Python 2 on 64-bit machines wrote big ints as TYPE_INT64.
        byte[] bytes = new MarshalBytes().dict()
                .tuple(3).t("a.py").i(1).t("f")
                .tuple(5).int64(5_000_000_000L).int64(-7).f("0.10000000000000001").f("inf").dict()
                .tuple(3).stringRef(0).i(2).t("g")
                .tuple(4).int64(1L << 40).i(3).f("1e-300").f("nan")
                .end()
                .end().bytes();
        assertEquals(literal("{('a.py', 1, 'f'): (5000000000, -7, 0.1, inf, {('a.py', 2, 'g'): (1099511627776, 3, 1e-300, nan)})}"),
                java(bytes));
    }

    /** A version-4 file whose second function shares the first one's callers dict and stats tuple by reference. */
    @Test
    void callersAndStatsSharedByReference() throws Exception {
        MarshalBytes m = new MarshalBytes().dict();
        m.smallTuple(3).code('z' | MarshalBytes.FLAG_REF).raw(4).raw("a.py".getBytes()).i(1).z("f"); // ref 0: "a.py"
        m.code(')' | MarshalBytes.FLAG_REF).raw(5).i(2).i(2).g(0.5).g(0.75); // ref 1: the stats tuple
        m.code('{' | MarshalBytes.FLAG_REF); // ref 2: the callers dict
        m.code(')' | MarshalBytes.FLAG_REF).raw(3).ref(0).i(9).z("caller"); // ref 3: a caller key
        m.smallTuple(4).i(2).i(2).g(0.5).g(0.75);
        m.end();
        m.smallTuple(3).ref(0).i(2).z("g");
        m.smallTuple(5).i(4).i(4).g(1.0).g(2.0).ref(2); // the same callers dict
        m.smallTuple(3).ref(0).i(3).z("h");
        m.ref(1); // the very same stats tuple, callers and all
        m.ref(3); // a key that was read as a caller, now a function
        m.smallTuple(5).i(1).i(1).g(0.125).g(0.125).dict().end();
        byte[] bytes = m.end().bytes();
        assertEquals(cpython(bytes), java(bytes));
    }

    @Test
    void statsTupleWithFlagRefReferredFromACaller() throws Exception {
        // Nothing forbids a caller's 4-tuple to be the same object as another value (marshal shares any object).
        MarshalBytes m = new MarshalBytes().dict();
        m.smallTuple(3).z("a.py").i(1).z("f");
        m.smallTuple(5).i(1).i(1).g(0.5).g(0.5).dict();
        m.smallTuple(3).z("a.py").i(2).z("g");
        m.code(')' | MarshalBytes.FLAG_REF).raw(4).i(1).i(1).g(0.5).g(0.5); // ref 0
        m.end();
        m.smallTuple(3).z("a.py").i(2).z("g");
        m.smallTuple(5).i(1).i(1).g(0.5).g(0.5).dict();
        m.smallTuple(3).z("a.py").i(3).z("h");
        m.ref(0);
        m.end();
        byte[] bytes = m.end().bytes();
        assertEquals(cpython(bytes), java(bytes));
    }

    @Test
    void duplicateKeysLaterValueWinsFirstPositionKept() throws Exception {
        MarshalBytes m = new MarshalBytes().dict();
        m.smallTuple(3).z("a.py").i(1).z("f");
        m.smallTuple(5).i(1).i(1).g(0.5).g(0.5).dict();
        m.smallTuple(3).z("a.py").i(9).z("x").smallTuple(4).i(1).i(1).g(0.1).g(0.1);
        m.end();
        m.smallTuple(3).z("a.py").i(2).z("g");
        m.smallTuple(5).i(2).i(2).g(0.25).g(0.25).dict();
        m.smallTuple(3).z("a.py").i(9).z("x").smallTuple(4).i(1).i(1).g(0.1).g(0.1);
        m.smallTuple(3).z("a.py").i(8).z("y").smallTuple(4).i(5).i(5).g(0.2).g(0.2);
        m.smallTuple(3).z("a.py").i(9).z("x").smallTuple(4).i(7).i(7).g(0.3).g(0.3); // caller x again
        m.end();
        m.smallTuple(3).z("a.py").i(1).z("f"); // f again: its new value replaces the old, in f's place
        m.smallTuple(5).i(3).i(4).g(1.5).g(2.5).dict();
        m.smallTuple(3).z("a.py").i(8).z("y").smallTuple(4).i(2).i(2).g(0.7).g(0.7);
        m.end();
        byte[] bytes = m.end().bytes();
        String expected = cpython(bytes);
        assertEquals(expected, java(bytes));
        assertEquals(2, ProfileFiles.parse(bytes, "hand").size());
    }

    @Test
    void loneSurrogatesInNamesAsCPythonDecodesThem() throws Exception {
        // marshal.c writes str as UTF-8 with "surrogatepass" and reads it back so: lone surrogates survive.
        byte[] bytes = new MarshalBytes().dict()
                .tuple(3).u("/tmp/\udc80bad.py").i(1).u("f\ud800")
                .tuple(5).i(1).i(1).g(0.5).g(0.5).dict()
                .tuple(3).u("/tmp/\udc80bad.py").i(2).u("\udfff")
                .tuple(4).i(1).i(1).g(0.5).g(0.5)
                .end().end().bytes();
        assertEquals(cpython(bytes), java(bytes));
    }

    @Test
    void countsAndLinesAsLongsAndBools() throws Exception {
        // An int of any size may be written as TYPE_LONG; True and False are ints to Python.
        byte[] bytes = new MarshalBytes().dict()
                .tuple(3).u("a.py").pyLong(BigInteger.valueOf(70000)).u("f")
                .tuple(5).pyLong(BigInteger.valueOf(1L << 40)).pyLong(BigInteger.valueOf(-3)).i(1).pyLong(BigInteger.TEN).dict()
                .tuple(3).u("a.py").code('T').u("g")
                .tuple(4).code('T').code('F').i(2).pyLong(BigInteger.ZERO)
                .end().end().bytes();
        assertEquals(cpython(bytes), java(bytes));
    }

    @Test
    void profileModuleCallerCounts() throws Exception {
        byte[] bytes = new MarshalBytes().dict()
                .tuple(3).u("a.py").i(1).u("f")
                .tuple(5).i(1).i(3).g(0.5).g(0.5).dict()
                .tuple(3).u("a.py").i(2).u("g").i(2)
                .tuple(3).u("a.py").i(1).u("f").i(1)
                .end().end().bytes();
        assertEquals(cpython(bytes), java(bytes));
    }

    @Test
    void aNullWhereAValueBelongsEndsTheDictAsInCPython() throws Exception {
        // marshal.c's dict reader stops without error when a value is NULL, dropping that key: in the profile dict
        // and in a callers dict alike.
        byte[] bytes = new MarshalBytes().dict()
                .tuple(3).u("a.py").i(1).u("f")
                .tuple(5).i(1).i(1).g(0.5).g(0.5).dict()
                .tuple(3).u("a.py").i(2).u("g").tuple(4).i(1).i(1).g(0.5).g(0.5)
                .tuple(3).u("a.py").i(3).u("h").end()
                .tuple(3).u("a.py").i(4).u("k").end()
                .bytes();
        assertEquals(cpython(bytes), java(bytes));
    }
}
