package dev.jcprofile.format;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every type code a profile may hold, as python3's {@code marshal.dumps(value, version)} writes it at versions 0 to
 * 4, read by the generic reader and compared with what CPython itself reads back.
 */
class MarshalValuesTest {
    @TempDir
    static Path dir;

    @TestFactory
    List<DynamicTest> pythonValuesReadAsCPythonReadsThem() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : PythonTool.pyvalues("values", dir.toString())) {
            String[] f = line.split("\t", 3);
            Path file = dir.resolve(f[0] + ".v" + f[1] + ".bin");
            byte[] bytes = Files.readAllBytes(file);
            tests.add(DynamicTest.dynamicTest(f[0] + " v" + f[1], () -> {
                MarshalReader r = new MarshalReader(bytes);
                assertEquals(f[2], Canon.value(r.readObject()));
                assertEquals(bytes.length, r.position(), "the value ends where the data ends");
            }));
        }
        return tests;
    }
}
