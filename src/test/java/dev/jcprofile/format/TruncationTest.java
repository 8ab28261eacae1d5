package dev.jcprofile.format;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Real profiles cut at every byte offset: each prefix is a damaged file and must say it is truncated. */
class TruncationTest {
    @TestFactory
    List<DynamicTest> everyPrefixOfARealProfileIsReportedTruncated() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        List<Object[]> files = new ArrayList<>();
        for (String name : new String[] {"cprofile", "profile", "cprofile_unicode"}) {
            for (int v : new int[] {0, 2, 4}) {
                files.add(new Object[] {name + ".v" + v, Files.readAllBytes(PythonProfiles.get(name, v))});
            }
        }
        files.add(new Object[] {"python2", HandBuiltProfileTest.python2Profile()});
        for (Object[] f : files) {
            byte[] whole = (byte[]) f[1];
            tests.add(DynamicTest.dynamicTest((String) f[0] + " (" + whole.length + " bytes)", () -> {
                for (int n = 1; n < whole.length; n++) {
                    BadInput.problem(Arrays.copyOf(whole, n));
                }
            }));
        }
        return tests;
    }
}
