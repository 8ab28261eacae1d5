package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random bytes and randomly damaged real profiles, with fixed seeds so a failure can be replayed: each file reads as
 * a profile or fails with one one-line {@link ProfileException}, never another exception, and the reader allocates
 * in proportion to the file (the work it does is bounded by the file, however the bytes lie).
 */
class FuzzTest {
    private static final int[] INTERESTING_BYTES = {0, 1, 3, 4, 5, 0x7f, 0x80, 0xff, '0', 'r', 'R', '(', ')', '[', '{',
        '<', '>', 'c', 's', 't', 'u', 'z', 'l', 'i', 'g', 'f', 0xa9, 0xe9, 0xfa, 0xfb, 0xe3};
    private static final int[] INTERESTING_INTS = {-1, 0, 1, 3, 5, 255, 256, 0x7fff, 0x8000, 0x7fffffff, 0x80000000,
        1 << 20, -2};

    /** Reads as a profile or fails as a bad file must; allocation stays within 64 bytes per byte plus 16 MB. */
    static void check(byte[] bytes, String what) {
        long before = BadInput.allocatedBytes();
        try {
            ProfileFiles.parse(bytes, BadInput.LABEL);
        } catch (ProfileException e) {
            BadInput.checkOneLine(e);
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        }
        long used = BadInput.allocatedBytes() - before;
        assertTrue(used <= 64L * bytes.length + (16 << 20), what + ": allocated " + used + " for " + bytes.length);
    }

    @Test
    void randomBytes() {
        for (int seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            byte[] b = new byte[r.nextInt(600)];
            r.nextBytes(b);
            // Half start like a profile, so that the reader gets past the first byte.
            if (b.length > 0 && seed % 2 == 0) b[0] = (byte) (seed % 4 == 0 ? '{' : 0xfb);
            check(b, "seed " + seed);
        }
    }

    @TestFactory
    List<DynamicTest> damagedRealProfiles() throws Exception {
        List<Object[]> originals = new ArrayList<>();
        originals.add(new Object[] {"small_cprofile.v4", Files.readAllBytes(PythonProfiles.get("small_cprofile", 4))});
        originals.add(new Object[] {"small_profile.v4", Files.readAllBytes(PythonProfiles.get("small_profile", 4))});
        originals.add(new Object[] {"small_profile.v1", Files.readAllBytes(PythonProfiles.get("small_profile", 1))});
        originals.add(new Object[] {"small_cprofile.v2", Files.readAllBytes(PythonProfiles.get("small_cprofile", 2))});
        originals.add(new Object[] {"cprofile.v4", Files.readAllBytes(PythonProfiles.get("cprofile", 4))});
        originals.add(new Object[] {"python2", HandBuiltProfileTest.python2Profile()});
        List<DynamicTest> tests = new ArrayList<>();
        for (Object[] o : originals) {
            byte[] whole = (byte[]) o[1];
            tests.add(DynamicTest.dynamicTest((String) o[0], () -> {
                int mutants = whole.length > 10_000 ? 300 : 2000;
                for (int seed = 0; seed < mutants; seed++) {
                    check(mutate(whole, new Random(seed)), o[0] + " mutant " + seed);
                }
            }));
        }
        return tests;
    }

    /** One to four edits: a byte set, a 32-bit field set, bytes inserted, removed or repeated. */
    static byte[] mutate(byte[] original, Random r) {
        byte[] b = original.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 8; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0:
                    b[at] = (byte) r.nextInt(256);
                    break;
                case 1:
                    b[at] = (byte) INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
                    break;
                case 2: {
                    int v = INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
                    for (int k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (byte) (v >> (8 * k));
                    break;
                }
                case 3: {
                    byte[] ins = new byte[1 + r.nextInt(8)];
                    r.nextBytes(ins);
                    b = splice(b, at, 0, ins);
                    break;
                }
                case 4:
                    b = splice(b, at, Math.min(1 + r.nextInt(16), b.length - at), new byte[0]);
                    break;
                default: {
                    int len = Math.min(1 + r.nextInt(64), b.length - at);
                    b = splice(b, at, 0, Arrays.copyOfRange(b, at, at + len));
                    break;
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
