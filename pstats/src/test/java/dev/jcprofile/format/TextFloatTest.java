package dev.jcprofile.format;

import dev.jcprofile.cpython.PyText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Version 0 and 1 floats are text (TYPE_FLOAT, TYPE_COMPLEX), read by CPython's PyOS_string_to_double: decimal
 * notation, inf, infinity and nan in any case with a sign; no spaces, no hexadecimal, no Java suffixes.
 */
class TextFloatTest {
    @TempDir
    Path dir;

    @Test
    void textFloatsAcceptedExactlyWhereCPythonAcceptsThem() throws Exception {
        String[] texts = {"1.5", "-0", "1e5", "1E-5", ".5", "5.", "+2.5", "1e308", "1e309", "4.9e-324", "Infinity",
            "-INF", "inf", "+nan", "-nan", "NaN", "infinity", "1d", "1.5f", "0x1p3", " 1.5", "1.5 ", "1_000", "",
            "1e", "e5", "--1", "nanx", "in", "1.2.3", "\u0661"};
        List<byte[]> cases = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String t : texts) {
            byte[] bytes = new MarshalBytes().code('f').raw(t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .raw(t.getBytes(java.nio.charset.StandardCharsets.UTF_8)).bytes();
            cases.add(bytes);
            Path p = Files.createTempFile(dir, "float", ".bin");
            Files.write(p, bytes);
            files.add(p);
        }
        List<String> cpython = PythonTool.loads(files);
        for (int i = 0; i < texts.length; i++) {
            String java;
            try {
                java = Canon.value(new MarshalReader(cases.get(i)).readObject());
            } catch (MarshalReader.BadData e) {
                java = "error: ValueError";
            }
            assertEquals(cpython.get(i), java, PyText.repr(texts[i]));
        }
    }
}
