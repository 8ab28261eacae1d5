package dev.jcprofile.format;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nesting far beyond any profile's, read on a thread with a 256 KB stack: the reader's depth limit must stop it with
 * a message before the stack runs out, and a value nested just within the limit must still read.
 */
class DeepNestingTest {
    private static final int HOSTILE = 300_000;

    /** {@code levels} containers of one item each around None, as the given writer opens one level. */
    private static byte[] nested(int levels, Object unused, Level level) {
        MarshalBytes m = new MarshalBytes();
        for (int i = 0; i < levels; i++) level.open(m);
        m.code('N');
        for (int i = 0; i < levels; i++) level.close(m);
        return m.bytes();
    }

    interface Level {
        void open(MarshalBytes m);

        default void close(MarshalBytes m) {}
    }

    static final Level SMALL_TUPLE = m -> m.smallTuple(1);
    static final Level TUPLE = m -> m.tuple(1);
    static final Level LIST = m -> m.list(1);
    static final Level DICT_VALUE = new Level() {
        public void open(MarshalBytes m) { m.dict().code('N'); }
        public void close(MarshalBytes m) { m.end(); }
    };
    static final Level FROZENSET = m -> m.code('>').int32(1);
    static final Level REF_TUPLE = m -> m.code(')' | MarshalBytes.FLAG_REF).raw(1);

    static final Level[] LEVELS = {SMALL_TUPLE, TUPLE, LIST, DICT_VALUE, FROZENSET, REF_TUPLE};

    private static String deepProblem(byte[] value) throws InterruptedException {
        Object r = BadInput.onSmallStack(() -> {
            try {
                new MarshalReader(value).readObject();
                return "read";
            } catch (MarshalReader.BadData e) {
                return e;
            }
        });
        assertTrue(r instanceof MarshalReader.BadData, "the depth limit, not " + r);
        return ((MarshalReader.BadData) r).getMessage();
    }

    @Test
    void hostileNestingOfEveryContainerStopsAtTheDepthLimit() throws Exception {
        for (Level level : LEVELS) {
            String problem = deepProblem(nested(HOSTILE, null, level));
            assertTrue(problem.contains("nested deeper than " + MarshalReader.MAX_DEPTH), problem);
        }
    }

    @Test
    void valuesNestedJustWithinTheLimitStillRead() throws Exception {
        for (Level level : LEVELS) {
            byte[] value = nested(MarshalReader.MAX_DEPTH - 1, null, level);
            Object r = BadInput.onSmallStack(() -> new MarshalReader(value).readObject());
            assertTrue(!(r instanceof Throwable), "read within the limit: " + r);
        }
    }

    @Test
    void hostileNestingInsideAProfileStopsAtTheDepthLimit() throws Exception {
        // A function name, a caller's value and a stats value nested deep: the fast path hands them to the
        // generic reader, whose limit counts the levels the fast path has entered.
        for (int where = 0; where < 3; where++) {
            MarshalBytes m = new MarshalBytes().dict().smallTuple(3).z("a.py").i(1);
            MarshalBytes deep = new MarshalBytes().raw(nested(HOSTILE, null, SMALL_TUPLE));
            if (where == 0) {
                m.raw(deep.bytes());
            } else {
                m.z("f");
                if (where == 1) {
                    m.raw(deep.bytes());
                } else {
                    m.smallTuple(5).i(1).i(1).g(0).g(0).dict().smallTuple(3).z("a.py").i(2).z("g").raw(deep.bytes());
                }
            }
            String problem = BadInput.problemOnSmallStack(m.bytes());
            assertTrue(problem.contains("nested deeper than " + MarshalReader.MAX_DEPTH), problem);
        }
    }

    @Test
    void hostileNestingOfCodeObjectsStopsAtTheDepthLimit() throws Exception {
        // Each code object holds the next in its constants, as nested functions do.
        byte[] code = null;
        for (int i = 0; i < MarshalReader.MAX_DEPTH + 10; i++) {
            CodeLayoutTest.Spec s = new CodeLayoutTest.Spec(i % 3 + 4);
            s.python2 = i % 3 == 0;
            s.nestedConst = code;
            code = CodeLayoutTest.code(s);
        }
        String problem = deepProblem(code);
        assertTrue(problem.contains("nested deeper than " + MarshalReader.MAX_DEPTH), problem);
    }

    @Test
    void equalKeysNestedJustWithinTheLimit() throws Exception {
        // Two equal dict keys nested to the limit: hashing and comparing them must not exhaust the stack either.
        byte[] key = nested(MarshalReader.MAX_DEPTH - 3, null, SMALL_TUPLE);
        byte[] value = new MarshalBytes().dict().raw(key).i(1).raw(key).i(2).end().bytes();
        Object r = BadInput.onSmallStack(() -> new MarshalReader(value).readObject());
        assertTrue(r instanceof java.util.Map, "a dict, not " + r);
        assertEquals(1, ((java.util.Map<?, ?>) r).size());
    }
}
