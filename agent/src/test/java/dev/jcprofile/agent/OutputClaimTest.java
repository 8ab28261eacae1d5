package dev.jcprofile.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The names a JVM writes when another holds the one it was given, and the lock byte of a name. */
class OutputClaimTest {
    @Test
    void thePidGoesBeforeTheExtension() {
        assertEquals(Paths.get("/out/tests-4242.prof"), OutputClaim.withSuffix(Paths.get("/out/tests.prof"), "-4242"));
        assertEquals(Paths.get("/out/a.b-4242.prof"), OutputClaim.withSuffix(Paths.get("/out/a.b.prof"), "-4242"));
        assertEquals(Paths.get("/out/profile-4242"), OutputClaim.withSuffix(Paths.get("/out/profile"), "-4242"));
        assertEquals(Paths.get("/out/.prof-4242"), OutputClaim.withSuffix(Paths.get("/out/.prof"), "-4242"), "a hidden name has no extension");
    }

    /** Every JVM, of any version, must find a name at the same byte: FNV-1a's published value for "a", cut to 48 bits. */
    @Test
    void theLockByteOfANameIsFixed() {
        assertEquals(0xaf63dc4c8601ec8cL >>> 16, OutputClaim.offset("a"));
        assertNotEquals(OutputClaim.offset("tests.prof"), OutputClaim.offset("tests-4242.prof"));
    }
}
