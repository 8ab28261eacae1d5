package dev.jcprofile.format;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sizes in a file are untrusted: the reader must allocate in proportion to the bytes it reads, not to the sizes the
 * bytes claim. Checked with the JVM's count of bytes this thread allocated, a measure of work that does not depend
 * on the machine's speed.
 */
class AllocationTest {
    /** Generous: boxed numbers, growing arrays and the flat profile arrays stay well within it. */
    private static final long PER_BYTE = 64, SLACK = 16 << 20;

    private static long allocatedReading(byte[] bytes, boolean profile) {
        long before = BadInput.allocatedBytes();
        try {
            if (profile) ProfileFiles.parse(bytes, "p");
            else new MarshalReader(bytes).readObject();
        } catch (MarshalReader.BadData | dev.jcprofile.ProfileException e) {
            // the verdict does not matter here, the cost does
        }
        long after = BadInput.allocatedBytes();
        assertTrue(before >= 0, "this JVM counts allocated bytes per thread");
        return after - before;
    }

    private static void assertProportional(byte[] bytes, boolean profile) {
        long used = allocatedReading(bytes, profile);
        long bound = PER_BYTE * bytes.length + SLACK;
        assertTrue(used <= bound, "allocated " + used + " bytes reading " + bytes.length + " (bound " + bound + ")");
    }

    /** {@code levels} containers, each claiming as many items as bytes follow it, around a run of Nones. */
    private static byte[] nestedClaims(int opener, int levels, int nones) {
        MarshalBytes m = new MarshalBytes();
        int total = levels * 5 + nones;
        for (int i = 0; i < levels; i++) m.code(opener).int32(total - (i + 1) * 5);
        for (int i = 0; i < nones; i++) m.code(opener == '<' || opener == '>' ? 'i' : 'N');
        return m.bytes();
    }

    @Test
    void containersClaimingEveryRemainingByteAllocateOnlyWhatTheyRead() {
        for (int opener : new int[] {'(', '[', '<', '>'}) {
            assertProportional(nestedClaims(opener, 150, 1 << 20), false);
            assertProportional(nestedClaims(opener, 150, 1 << 20), true);
        }
    }

    @Test
    void containersClaimingTwoBillionItems() {
        for (int opener : new int[] {'(', '[', '<', '>'}) {
            byte[] bytes = new MarshalBytes().code(opener).int32(Integer.MAX_VALUE).code('N').bytes();
            assertProportional(bytes, false);
            assertTrue(BadInput.problem(bytes).startsWith("truncated: the file ends after 6 bytes, in a marshalled value"
                    + " (a "), BadInput.problem(bytes));
        }
    }

    @Test
    void aLongOfManyDigitsIsReadInLinearWork() {
        // 60,000 15-bit digits: building the number by shifting and or-ing allocates a growing BigInteger per
        // digit, gigabytes in all.
        BigInteger big = new BigInteger(15 * 60_000, new java.util.Random(1)).setBit(15 * 60_000 - 1);
        byte[] bytes = new MarshalBytes().pyLong(big).bytes();
        assertProportional(bytes, false);
        assertEquals(big, new MarshalReader(bytes).readObject());
        assertEquals(big.negate(), new MarshalReader(new MarshalBytes().pyLong(big.negate()).bytes()).readObject());
    }

    /**
     * Code objects each readable in two layouts up to a bad file name, nested 60 deep: 4 counts, then a bytecode
     * whose fourth byte is 's' and whose next four bytes are a length, so that the 6-count layout also finds a
     * bytecode there, ending where the 4-count one ends. Both reach the same nested code object, then fail; without
     * a bound on retries every level would double the work of the one inside it (2^60 attempts).
     */
    @Test
    void ambiguousCodeLayoutsNestedDeepAreReadInBoundedWork() {
        byte[] inner = null;
        for (int level = 0; level < 60; level++) {
            int l6 = 2;
            MarshalBytes m = new MarshalBytes().code('c').int32(0).int32(0).int32(1).int32(0x43);
            m.code('s').int32(l6 + 8).raw('d', 0, 0, 's').int32(l6).raw('S', 0);
            if (inner == null) m.tuple(0);
            else m.tuple(1).raw(inner);
            m.tuple(0).tuple(0).tuple(0).tuple(0);
            m.i(5); // a file name that is an int: every layout fails here
            m.z("f").int32(1).code('s').int32(0);
            inner = m.bytes();
        }
        byte[] bytes = inner;
        assertProportional(bytes, false);
        try {
            new MarshalReader(bytes).readObject();
            throw new AssertionError("read");
        } catch (MarshalReader.BadData e) {
            assertTrue(e.getMessage().contains("code object"), e.getMessage());
        }
    }

    @Test
    void realProfilesAllocateInProportion() throws Exception {
        for (String name : new String[] {"cprofile", "profile", "cprofile_added"}) {
            for (int v : new int[] {0, 4}) {
                assertProportional(Files.readAllBytes(PythonProfiles.get(name, v)), true);
            }
        }
    }
}
