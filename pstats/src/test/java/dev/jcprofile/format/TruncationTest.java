package dev.jcprofile.format;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real profiles cut at every byte offset: each prefix is a damaged file and must say it is truncated. */
class TruncationTest {
    @TestFactory
    List<DynamicTest> everyPrefixOfARealProfileIsReportedTruncated() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        List<Object[]> files = new ArrayList<>();
        // Every version of small profiles, and the big ones as pstats writes them (version 4): each prefix is read
        // from the start, so the work grows with the square of the size.
        for (String name : new String[] {"small_cprofile", "small_profile"}) {
            for (int v = 0; v <= 4; v++) {
                files.add(new Object[] {name + ".v" + v, Files.readAllBytes(PythonProfiles.get(name, v))});
            }
        }
        for (String name : new String[] {"cprofile", "profile", "cprofile_unicode"}) {
            files.add(new Object[] {name + ".v4", Files.readAllBytes(PythonProfiles.get(name, 4))});
        }
        files.add(new Object[] {"python2", HandBuiltProfileTest.python2Profile()});
        for (Object[] f : files) {
            byte[] whole = (byte[]) f[1];
            tests.add(DynamicTest.dynamicTest((String) f[0] + " (" + whole.length + " bytes)", () -> {
                for (int n = 1; n < whole.length; n++) {
                    String problem = BadInput.problem(Arrays.copyOf(whole, n));
                    assertTrue(problem.startsWith("truncated: the file ends after " + n + " bytes, in "),
                            "cut at " + n + " of " + whole.length + ": " + problem);
                }
            }));
        }
        return tests;
    }
}
