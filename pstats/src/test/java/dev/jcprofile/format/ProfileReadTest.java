package dev.jcprofile.format;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real cProfile and profile-module statistics, marshal versions 0 to 4, read on the fast path. */
class ProfileReadTest {
    @TestFactory
    List<DynamicTest> realProfilesReadAsCPythonReadsThem() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<Path, String> e : PythonProfiles.all().entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey().getFileName().toString(), () -> {
                ProfileData d = ProfileFiles.read(e.getKey(), "p");
                assertTrue(d.size() > 3, "a real workload has several functions");
                assertEquals(e.getValue(), Canon.profile(d));
                // The generic reader must agree with the fast path on the same bytes.
                byte[] bytes = Files.readAllBytes(e.getKey());
                MarshalReader r = new MarshalReader(bytes);
                r.readObject();
                assertEquals(bytes.length, r.position());
            }));
        }
        return tests;
    }
}
