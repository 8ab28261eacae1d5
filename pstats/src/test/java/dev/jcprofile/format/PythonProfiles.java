package dev.jcprofile.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real profiles, made once per test run by python3 ({@code pyvalues.py profiles}): cProfile and profile-module
 * statistics of the same workload, one with non-ASCII names, and one added together by pstats, each written with
 * marshal versions 0 to 4. Maps each file to CPython's own reading of it.
 */
final class PythonProfiles {
    private PythonProfiles() {}

    private static Map<Path, String> made;

    static synchronized Map<Path, String> all() {
        if (made == null) {
            try {
                Path dir = Files.createTempDirectory("jcprofile-profiles");
                dir.toFile().deleteOnExit();
                Map<Path, String> m = new LinkedHashMap<>();
                for (String line : PythonTool.pyvalues("profiles", dir.toString())) {
                    String[] f = line.split("\t", 2);
                    Path p = dir.resolve(f[0]);
                    p.toFile().deleteOnExit();
                    m.put(p, f[1]);
                }
                made = m;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return made;
    }

    /** The profile of that name and marshal version, e.g. {@code ("profile", 4)}. */
    static Path get(String name, int version) {
        for (Path p : all().keySet()) if (p.getFileName().toString().equals(name + ".v" + version + ".prof")) return p;
        throw new AssertionError("no profile " + name + " v" + version);
    }
}
