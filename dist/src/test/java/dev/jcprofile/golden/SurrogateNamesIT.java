package dev.jcprofile.golden;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Names holding lone surrogates (marshal keeps them: surrogatepass) print as python3's standard output writes them
 * under the error handler it would have in the same environment: surrogateescape in the C.UTF-8, C and POSIX
 * locales (U+DC80..U+DCFF written as the bytes they stand for), or the handler PYTHONIOENCODING names. Compared
 * byte for byte with python3 -m pstats, through the real bin/jpstats with the same environment. (Where python3
 * stops with a UnicodeEncodeError instead, see KnownDifferencesIT.)
 */
class SurrogateNamesIT {
    private static final String SCRIPT = "stats\ncallers\ncallees\nsort name\nstats 2\nstrip\nstats\nread\n";

    @BeforeAll
    static void corpus() {
        Corpus.ensure();
        TimeZone.setDefault(TimeZone.getTimeZone(Python.TZ));
    }

    @ParameterizedTest(name = "{0} PYTHONIOENCODING=''{1}'' LC_ALL={2}")
    @CsvSource({
        // python3's default under these locales: surrogateescape (no U+D800 here: that stops python3)
        "surrogates_escapable, '', C.UTF-8",
        "surrogates_escapable, '', C",
        "surrogates_escapable, '', POSIX",
        "surrogates_escapable, :, C.UTF-8",
        "surrogates_escapable, utf-8:surrogateescape, C.UTF-8",
        // handlers that write every lone surrogate
        "surrogates, utf-8:backslashreplace, C.UTF-8",
        "surrogates, utf-8:namereplace, C.UTF-8",
        "surrogates, utf-8:replace, C.UTF-8",
        "surrogates, utf-8:ignore, C.UTF-8",
        "surrogates, utf-8:xmlcharrefreplace, C.UTF-8",
        "surrogates, utf-8:surrogatepass, C.UTF-8",
        "surrogates, :backslashreplace, C",
    })
    void asPythonWritesThem(String set, String ioEncoding, String locale) throws IOException {
        Path in = Files.createTempFile("jcprofile-script", ".txt");
        try {
            Files.writeString(in, SCRIPT);
            String file = "target/golden/" + set + ".prof";
            Map<String, String> env = Map.of("PYTHONIOENCODING", ioEncoding, "LC_ALL", locale,
                    "JAVA_HOME", System.getProperty("java.home"));
            Python.Result p = Python.exec(List.of("python3", "-m", "pstats", file), in, env);
            assertEquals(0, p.exit, p.err);
            assertFalse(p.err.contains("Traceback"), p.err);
            Python.Result j = Python.exec(List.of(Python.ROOT.resolve("bin/jpstats").toString(), file), in, env);
            assertEquals("", j.err);
            assertEquals(0, j.exit);
            assertArrayEquals(p.out, j.out, () -> "python3:\n" + p.text() + "\njpstats:\n" + j.text());
        } finally {
            Files.delete(in);
        }
    }
}
