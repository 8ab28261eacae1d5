package dev.jcprofile.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code %T}: the thread's part of a file name, and where it goes. */
class PerThreadOutputTest {
    @Test
    void nameMadeSafeThenId() {
        assertEquals("main-1", PerThreadOutput.threadPart("main", 1));
        assertEquals("pool-1-thread-3-27", PerThreadOutput.threadPart("pool-1-thread-3", 27));
        assertEquals("45", PerThreadOutput.threadPart("", 45), "an unnamed thread: its id alone");
        assertEquals("a_b_c_d_e-7", PerThreadOutput.threadPart("a/b\\c d:e", 7));
        assertEquals("_hidden.x-8", PerThreadOutput.threadPart(".hidden.x", 8), "no hidden file");
        assertEquals("_.-9", PerThreadOutput.threadPart("..", 9));
        assertEquals("n_m_-3", PerThreadOutput.threadPart("n\u00e4m\ud83d", 3), "non-ASCII and a lone surrogate");
        assertEquals(64 + 3, PerThreadOutput.threadPart("x".repeat(500), 12).length(), "64 characters of the name, '-', the id");
    }

    @Test
    void everyTokenExpandedAfterTheOthers() {
        assertEquals("/tmp/prof-main-1.prof", PerThreadOutput.expand("/tmp/prof-%T.prof", "main", 1));
        assertEquals("/d/1234-x-5-x-5.prof", PerThreadOutput.expand("/d/1234-%T-%T.prof", "x", 5));
        assertTrue(PerThreadOutput.wanted(Paths.get("/tmp/prof-%T.prof")));
        assertFalse(PerThreadOutput.wanted(Paths.get("/tmp/prof.prof")));
        assertFalse(PerThreadOutput.wanted(null));
    }
}
