package dev.jcprofile.format;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code objects in the layouts python3 3.11 no longer writes. Their raw 32-bit counts come first, and their number
 * tells the version (marshal.c, w_object's PyCode branch in each release):
 * <ul>
 * <li>Python 2: argcount, nlocals, stacksize, flags (4);
 * <li>3.0-3.7: argcount, kwonlyargcount, nlocals, stacksize, flags (5);
 * <li>3.8-3.10: argcount, posonlyargcount, kwonlyargcount, nlocals, stacksize, flags (6);
 * </ul>
 * then code, consts, names, varnames, freevars, cellvars, filename, name, a raw firstlineno and lnotab. (3.11's
 * layout, 5 counts and localsplus fields, is read from python3's own output in {@link MarshalValuesTest}.) Each must
 * read back with its name, file and line, and render as CPython renders a code object.
 */
class CodeLayoutTest {
    /** The fields that matter, and what fills the others. */
    static final class Spec {
        int leadingInts;            // 4, 5 or 6
        int[] ints;                 // the counts, flags last
        byte[] bytecode = {'d', 0, 0, 'S'};
        boolean python2;            // strings as Python 2's 't', else 'u'
        boolean flagRef;            // written with FLAG_REF (3.4+ writes most objects so)
        String file = "/home/u/app.py", name = "main";
        int line = 7;
        byte[] nestedConst;         // a code object among the constants

        Spec(int leadingInts) {
            this.leadingInts = leadingInts;
            ints = new int[leadingInts];
            ints[leadingInts - 1] = 0x43; // CO_OPTIMIZED | CO_NEWLOCALS | CO_NOFREE
        }
    }

    static byte[] code(Spec s) {
        MarshalBytes m = new MarshalBytes().code('c' | (s.flagRef ? MarshalBytes.FLAG_REF : 0));
        for (int v : s.ints) m.int32(v);
        m.str('s', s.bytecode);
        if (s.nestedConst != null) m.tuple(2).code('N').raw(s.nestedConst);
        else m.tuple(1).code('N');
        m.tuple(0).tuple(1);
        text(m, s, "x");
        m.tuple(0).tuple(0);
        text(m, s, s.file);
        text(m, s, s.name);
        m.int32(s.line);
        m.str('s', new byte[] {0, 1});
        return m.bytes();
    }

    private static void text(MarshalBytes m, Spec s, String v) {
        if (s.python2) m.t(v);
        else m.u(v);
    }

    private static Py.Code read(byte[] bytes) {
        MarshalReader r = new MarshalReader(bytes);
        Object o = r.readObject();
        assertTrue(o instanceof Py.Code, "a code object, not " + Py.typeName(o));
        assertEquals(bytes.length, r.position(), "the whole code object is read");
        return (Py.Code) o;
    }

    /** CPython's repr of a code object with that name, file and line, its address blanked. */
    static String cpythonRepr(String name, String file, long line) {
        return PythonTool.pyvalues("coderepr", name, file, Long.toString(line)).get(0);
    }

    private static void check(Spec s) {
        Py.Code c = read(code(s));
        assertEquals(s.name, c.name);
        assertEquals(s.file, c.file);
        assertEquals(s.line, c.firstLine);
        assertEquals(cpythonRepr(s.name, s.file, s.line), Canon.norm(c.repr()));
    }

    @Test
    void python2Layout() {
        Spec s = new Spec(4);
        s.python2 = true;
        check(s);
    }

    @Test
    void python30To37Layout() {
        check(new Spec(5));
    }

    @Test
    void python38To310Layout() {
        check(new Spec(6));
    }

    @Test
    void layoutsWithFlagRefAndNestedCode() {
        for (int ints : new int[] {4, 5, 6}) {
            Spec inner = new Spec(ints);
            inner.name = "inner";
            inner.line = 9;
            inner.flagRef = true;
            inner.python2 = ints == 4;
            Spec outer = new Spec(ints);
            outer.flagRef = true;
            outer.python2 = ints == 4;
            outer.nestedConst = code(inner);
            check(outer);
        }
    }

    @Test
    void flagsThatLookLikeTheBytecodeMarkerOfAnotherLayout() {
        // A 3.8 code object whose flags' low byte is 's' (0x73): the 5-count layout sees its bytecode marker there
        // and must give way to the 6-count layout.
        Spec s = new Spec(6);
        s.ints[5] = 0x73;
        check(s);
        // A Python 2 code object whose bytecode's fourth byte is 's' sits where the 6-count layout expects its
        // marker: that reading fails further on, and the 4-count layout reads it.
        Spec p = new Spec(4);
        p.python2 = true;
        p.bytecode = new byte[] {'d', 0, 0, 's', 0, 0, 0, 0, 'S'};
        check(p);
    }

    @Test
    void firstLineZeroRendersAsMinusOne() {
        // CPython's code_repr prints line -1 when co_firstlineno is 0.
        Spec s = new Spec(6);
        s.line = 0;
        check(s);
    }

    @Test
    void nonAsciiNames() {
        Spec s = new Spec(6);
        s.file = "/home/jos\u00e9/m\u00f3dulo.py";
        s.name = "funci\u00f3n_\u65e5\u672c";
        check(s);
    }

    @Test
    void codeObjectAsAProfileKeyName() throws Exception {
        // python3 -m profile keys the profiled script as ('profile', 0, <code object>); Python 3.8's file held it in
        // the 6-count layout, once with FLAG_REF and then by reference from its callee.
        Spec s = new Spec(6);
        s.flagRef = true;
        s.name = "<module>";
        s.file = "script.py";
        s.line = 1;
        byte[] code = code(s);
        MarshalBytes m = new MarshalBytes().dict();
        m.tuple(3).u("profile").i(0).raw(code); // ref 0 is the code object
        m.tuple(5).i(1).i(1).g(0.5).g(1.0).dict().end();
        m.tuple(3).u("script.py").i(1).u("<module>");
        m.tuple(5).i(1).i(1).g(0.5).g(0.5).dict();
        m.tuple(3).u("profile").i(0).ref(0).i(1);
        m.end().end();
        ProfileData d = ProfileFiles.parse(m.bytes(), "p");
        FunctionKey k = d.key(0);
        assertTrue(k.nameIsCode());
        assertEquals(cpythonRepr("<module>", "script.py", 1), Canon.norm(k.name()));
        assertEquals(0, d.entryOf(d.keyById(d.edgeKey(d.callersStart(1)))), "the caller is the code-object key");
    }
}
