package dev.jcprofile.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dict keys and set items that Python cannot hash: CPython's marshal fails on them (PyDict_SetItem, PySet_Add),
 * and so must the reader, without hashing a list that holds itself forever.
 */
class UnhashableKeyTest {
    @TempDir
    Path dir;

    private static byte[] selfListInTupleKey() {
        // { ( [ ref 0 ] ): None }: a list entered with FLAG_REF before its items, holding itself (marshal.c R_REF)
        return new MarshalBytes().dict().smallTuple(1).code('[' | MarshalBytes.FLAG_REF).int32(1).ref(0)
                .code('N').end().bytes();
    }

    @Test
    void unhashableKeysAndItemsFailAsInCPython() throws Exception {
        List<byte[]> cases = new ArrayList<>();
        cases.add(selfListInTupleKey());
        cases.add(new MarshalBytes().dict().list(0).code('N').end().bytes());                    // {[]: None}
        cases.add(new MarshalBytes().dict().smallTuple(2).i(1).dict().end().code('N').end().bytes()); // {(1, {}): None}
        cases.add(new MarshalBytes().dict().smallTuple(1).code('<').int32(0).code('N').end().bytes()); // {(set(),): None}
        cases.add(new MarshalBytes().code('<').int32(1).list(0).bytes());                         // {[]}
        cases.add(new MarshalBytes().code('>').int32(1).smallTuple(1).list(0).bytes());           // frozenset({([],)})
        List<Path> files = new ArrayList<>();
        for (byte[] c : cases) {
            Path p = Files.createTempFile(dir, "unhashable", ".bin");
            Files.write(p, c);
            files.add(p);
        }
        List<String> cpython = PythonTool.loads(files);
        for (int i = 0; i < cases.size(); i++) {
            assertEquals("error: TypeError", cpython.get(i), "case " + i);
            byte[] c = cases.get(i);
            Object r = BadInput.onSmallStack(() -> {
                try {
                    return new MarshalReader(c).readObject();
                } catch (MarshalReader.BadData e) {
                    return e;
                }
            });
            assertTrue(r instanceof MarshalReader.BadData, "case " + i + ": " + r);
            assertTrue(((MarshalReader.BadData) r).getMessage().contains("unhashable"), ((Throwable) r).getMessage());
        }
    }

    @Test
    void hashableKeysOfEveryKindStillRead() throws Exception {
        // Tuples of hashable things (nested tuples, frozensets, None) and frozensets are keys Python accepts.
        byte[] bytes = new MarshalBytes().dict()
                .smallTuple(3).z("a").i(1).smallTuple(2).code('N').code('>').int32(1).i(5).i(1)
                .code('>').int32(2).i(1).z("b").i(2)
                .code('>').int32(0).i(3)
                .smallTuple(0).i(4)
                .z("dropped").end() // a NULL value ends the dict in marshal.c
                .bytes();
        Path p = Files.createTempFile(dir, "hashable", ".bin");
        Files.write(p, bytes);
        assertEquals(PythonTool.loads(List.of(p)).get(0), Canon.value(new MarshalReader(bytes).readObject()));
    }
}
