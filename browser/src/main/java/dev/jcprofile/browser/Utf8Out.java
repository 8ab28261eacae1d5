package dev.jcprofile.browser;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * jpstats' standard output: a UTF-8 PrintStream whose print(String) and print(Object), all that the browser and
 * the reports use, encode the whole text at once and write the bytes, rather than pass it through PrintStream's
 * char buffer and stream encoder a few thousand chars at a time (for an ASCII report, a copy instead of two loops
 * over every char, which matters while the code still runs interpreted). Each call writes whole text: a
 * surrogate pair is never split across calls, so the bytes are those of the stream encoder.
 */
final class Utf8Out extends PrintStream {
    Utf8Out(OutputStream out) {
        super(out, false, StandardCharsets.UTF_8);
    }

    @Override
    public void print(String s) {
        byte[] bytes = String.valueOf(s).getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }
}
