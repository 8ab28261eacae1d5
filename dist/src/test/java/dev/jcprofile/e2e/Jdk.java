package dev.jcprofile.e2e;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JDK the end-to-end tests run programs on. Every test is parametrized over JDK 17, the release the project
 * targets, and JDK 25, the newest LTS. A missing JDK fails each test that needs it, loudly: a suite that quietly
 * skipped half its runs would pass on a machine that tests nothing of JDK 25. {@code JCPROFILE_SKIP_JDK25=1}
 * says that skipping is intended.
 */
public final class Jdk {
    private static final Path DEFAULT_JDK25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final Path DEBIAN_JDK17 = Paths.get("/usr/lib/jvm/java-17-openjdk-amd64");

    static final Jdk JDK17 = find17();
    static final Jdk JDK25 = find25();

    final String label;
    /** The JDK's home, or null when it is missing. */
    private final Path home;
    final int feature;
    /** Why it is missing; null when present. */
    private final String missing;
    private final boolean skipIfMissing;

    private Jdk(String label, Path home, int feature, String missing, boolean skipIfMissing) {
        this.label = label;
        this.home = home;
        this.feature = feature;
        this.missing = missing;
        this.skipIfMissing = skipIfMissing;
    }

    /** The JDKs every test runs on, for {@code @MethodSource}. */
    public static Stream<Jdk> all() {
        return Stream.of(JDK17, JDK25);
    }

    /** The home of this JDK; fails the test (or skips it, where that was asked for) when the JDK is missing. */
    Path home() {
        if (missing != null) {
            if (skipIfMissing) Assumptions.abort(label + " skipped as asked: " + missing);
            throw new AssertionError(label + " is required by the end-to-end tests: " + missing);
        }
        return home;
    }

    Path java() {
        return home().resolve("bin").resolve("java");
    }

    Path javac() {
        return home().resolve("bin").resolve("javac");
    }

    @Override
    public String toString() {
        return label;
    }

    /** JDK 17: {@code JCPROFILE_JDK17} if set, else the {@code java} on the PATH when it is a 17, else Debian's. */
    private static Jdk find17() {
        String env = System.getenv("JCPROFILE_JDK17");
        List<Path> candidates = env != null && !env.isEmpty() ? List.of(Paths.get(env)) : Stream.concat(
                Stream.ofNullable(homeOfJavaOnPath()), Stream.of(DEBIAN_JDK17)).toList();
        for (Path home : candidates) {
            if (feature(home) == 17) return new Jdk("JDK 17", home, 17, null, false);
        }
        return new Jdk("JDK 17", null, 17, "no JDK 17 among " + candidates + " (set JCPROFILE_JDK17 to its home)", false);
    }

    private static Jdk find25() {
        String env = System.getenv("JCPROFILE_JDK25");
        Path home = env != null && !env.isEmpty() ? Paths.get(env) : DEFAULT_JDK25;
        boolean skip = "1".equals(System.getenv("JCPROFILE_SKIP_JDK25"));
        int feature = feature(home);
        if (feature < 0) {
            return new Jdk("JDK 25", null, 25, home + " is missing (set JCPROFILE_JDK25 to a JDK 25 home, or "
                    + "JCPROFILE_SKIP_JDK25=1 to skip these runs)", skip);
        }
        if (feature != 25) return new Jdk("JDK 25", null, 25, home + " is JDK " + feature + ", not 25", skip);
        return new Jdk("JDK 25", home, 25, null, skip);
    }

    private static Path homeOfJavaOnPath() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path java = Paths.get(dir.isEmpty() ? "." : dir, "java");
            if (Files.isExecutable(java)) {
                try {
                    return java.toRealPath().getParent().getParent();
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The feature release a JDK's {@code release} file names, or -1 when there is no JDK there. */
    private static int feature(Path home) {
        try {
            if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isExecutable(home.resolve("bin/javac"))) return -1;
            String release = Files.readString(home.resolve("release"), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(release);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
