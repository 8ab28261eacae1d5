package dev.jcprofile.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A profile file is read whole, in blocks: a file of many blocks, and a named pipe, whose size the system gives as
 * 0, read to their end as Python's open().read() reads them.
 */
class ProfileFileReadingTest {
    @TempDir
    Path dir;

    /** About 40 bytes a function and 60 an edge: a file of several 64 KB blocks. */
    private static ProfileData many(int functions) {
        ProfileData d = new ProfileData();
        for (int i = 0; i < functions; i++) {
            int entry = d.beginEntry(d.intern(new FunctionKey("module_" + (i % 97) + ".py", i, "function_" + i)),
                    new Figures(i + 1, i + 1, i * 1e-6, i * 2e-6));
            if (i > 0) d.putCaller(entry, d.intern(new FunctionKey("module_" + ((i - 1) % 97) + ".py", i - 1, "function_" + (i - 1))),
                    new Figures(i, i, i * 1e-7, i * 3e-7));
        }
        return d;
    }

    private byte[] written(ProfileData d, Path file) throws Exception {
        ProfileFiles.write(d, file, file.toString());
        return Files.readAllBytes(file);
    }

    @Test
    void aFileOfManyBlocksIsReadWhole() throws Exception {
        Path file = dir.resolve("many.prof");
        byte[] bytes = written(many(20_000), file);
        assertTrue(bytes.length > 10 * 65536, "several blocks: " + bytes.length);
        String expected = Canon.profile(ProfileFiles.parse(bytes, "p"));
        assertEquals(expected, Canon.profile(ProfileFiles.read(file, "p")));
        byte[] again = ProfileFiles.readOrNull(file.toFile());
        assertNotNull(again);
        assertEquals(bytes.length, again.length);
        assertEquals(expected, Canon.profile(ProfileFiles.parse(again, "p")));
    }

    @Test
    void aNamedPipeIsReadToItsEnd() throws Exception {
        Path pipe = dir.resolve("pipe.prof");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        byte[] bytes = written(many(5_000), dir.resolve("source.prof"));
        assertTrue(bytes.length > 2 * 65536);
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(pipe)) {
                // Small writes, so that the reader meets a pipe that is empty for a while, more than once.
                for (int i = 0; i < bytes.length; i += 5000) {
                    out.write(bytes, i, Math.min(5000, bytes.length - i));
                    out.flush();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        ProfileData read = ProfileFiles.read(pipe, "pipe");
        writer.join();
        assertEquals(Canon.profile(ProfileFiles.parse(bytes, "p")), Canon.profile(read));
    }
}
