package dev.jcprofile.format;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short, fixed part of the {@link Fuzzer}'s work, in the test suite: the seed corpus and every earlier finding,
 * then a few thousand inputs of fixed seeds. {@code tools/fuzz.sh --seconds N} runs the same fuzzer for longer, on a
 * new seed each time.
 */
class FuzzTest {
    @TempDir
    static Path work;
    private static Fuzzer fuzzer;

    @BeforeAll
    static void start() throws Exception {
        fuzzer = new Fuzzer(work);
    }

    @AfterAll
    static void stop() {
        fuzzer.close();
    }

    private static void run(long seed, long inputs) {
        for (long i = 0; i < inputs; i++) {
            try {
                fuzzer.runInput(seed, i);
            } catch (Fuzzer.Failure f) {
                throw new AssertionError(f.getMessage() + "; input saved to " + Fuzzer.save(f), f.getCause());
            }
        }
    }

    @Test
    void seedsReadAndEarlierFindingsPass() throws Exception {
        int read = 0;
        try (Stream<Path> seeds = Files.list(Fuzzer.SEEDS)) {
            for (Path p : (Iterable<Path>) seeds::iterator) {
                byte[] bytes = Files.readAllBytes(p);
                long before = fuzzer.read;
                fuzzer.onWorker(() -> fuzzer.runProfile(bytes), p.toString(), bytes, false);
                if (p.getFileName().toString().endsWith(".prof")) {
                    assertTrue(fuzzer.read == before + 1, p + " is a profile: it must read");
                    read++;
                }
            }
        }
        assertTrue(read >= 15, "profiles among the seeds: " + read);
        fuzzer.replayFound();
    }

    @Test
    void fuzzedProfilesAndCommands() {
        run(1, 25_000);
        run(2, 25_000);
        assertTrue(fuzzer.read > 2000 && fuzzer.rejected > 10_000 && fuzzer.scripts > 5000,
                "the inputs reach every outcome: " + fuzzer.summary(50_000, System.nanoTime()));
    }
}
