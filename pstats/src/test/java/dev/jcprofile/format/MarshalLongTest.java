package dev.jcprofile.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TYPE_LONG edge cases built by hand, each judged by CPython's own marshal.loads. */
class MarshalLongTest {
    @TempDir
    Path dir;

    /** 'l', a signed digit count, then 15-bit digits as 16-bit little-endian words. */
    private static byte[] digits(int count, int... ds) {
        MarshalBytes m = new MarshalBytes().code('l').int32(count);
        for (int d : ds) m.raw(d & 0xff, (d >> 8) & 0xff);
        return m.bytes();
    }

    @Test
    void edgeCasesReadAsCPythonReadsThem() throws Exception {
        List<byte[]> cases = new ArrayList<>();
        cases.add(digits(0));                                  // zero
        cases.add(digits(1, 0x7fff));                          // the largest digit
        cases.add(digits(-2, 1, 1));                           // negative, two digits
        cases.add(digits(5, 1, 2, 3, 4, 5));                   // past 64 bits
        cases.add(digits(-5, 0x7fff, 0x7fff, 0x7fff, 0x7fff, 7));
        cases.add(digits(1, 0));                               // unnormalized: top digit zero
        cases.add(digits(-6, 1, 2, 3, 4, 5, 0));               // unnormalized, long, negative
        cases.add(digits(2, 0x8000, 1));                       // digit out of range
        cases.add(digits(Integer.MIN_VALUE));                  // size out of range
        cases.add(new MarshalBytes().pyLong(new BigInteger("-123456789012345678901234567890")).bytes());
        List<Path> files = new ArrayList<>();
        for (byte[] c : cases) {
            Path p = Files.createTempFile(dir, "long", ".bin");
            Files.write(p, c);
            files.add(p);
        }
        List<String> cpython = PythonTool.loads(files);
        for (int i = 0; i < cases.size(); i++) {
            String java;
            try {
                java = Canon.value(new MarshalReader(cases.get(i)).readObject());
            } catch (MarshalReader.BadData e) {
                java = cpython.get(i).startsWith("error: ") ? cpython.get(i) : "error: " + e.getMessage();
            }
            assertEquals(cpython.get(i), java, "case " + i);
        }
    }
}
