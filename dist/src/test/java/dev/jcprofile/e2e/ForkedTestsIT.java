package dev.jcprofile.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's recipe for a test suite that Surefire runs in two forked JVMs, profiled through
 * JAVA_TOOL_OPTIONS, its commands word for word: each fork writes a profile of its own (%p), Maven's own JVM
 * records nothing and says so, and jpstats shows one table of them all.
 */
class ForkedTestsIT {
    /** The command of a README console line starting with {@code prefix}. */
    private static String readmeCommand(String prefix) throws IOException {
        String readme = Files.readString(E2E.ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^\\$ (" + Pattern.quote(prefix) + ".*)$").matcher(readme);
        assertTrue(m.find(), "README.md has a command starting with " + prefix);
        return m.group(1);
    }

    /** A checkout of what the recipe uses: the jars, bin/, the example project; run from its root. */
    private static Path checkout() throws IOException {
        Path root = E2E.tempDir("forked-tests");
        Files.createDirectories(root.resolve("target"));
        Files.copy(E2E.AGENT, root.resolve("target/jcprofile.jar"));
        Files.copy(E2E.ROOT.resolve("target/jcprofile-runtime.jar"), root.resolve("target/jcprofile-runtime.jar"));
        Files.createSymbolicLink(root.resolve("bin"), E2E.ROOT.resolve("bin"));
        Path example = E2E.ROOT.resolve("examples/word-count");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.filter(f -> !example.relativize(f).startsWith("target")).collect(Collectors.toList())) {
                Path to = root.resolve("examples/word-count").resolve(example.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        return root;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void eachForkWritesItsOwnProfileAndJpstatsAddsThem(Jdk jdk) throws Exception {
        Path root = checkout();
        String build = readmeCommand("JAVA_TOOL_OPTIONS=");
        assertTrue(build.contains("%p") && build.contains("examples/word-count"), build);
        Proc.Result r = Proc.of("bash", "-c", build).jdk(jdk).dir(root).run().expectExit(0);

        List<String> profiles;
        try (Stream<Path> files = Files.list(root.resolve("target"))) {
            profiles = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("tests-\\d+\\.prof")).sorted()
                    .collect(Collectors.toList());
        }
        // Two forks run the four test classes; one may have taken them all before the other started.
        assertTrue(profiles.size() == 1 || profiles.size() == 2, profiles + "\n" + r);
        // Maven's own JVM has the agent too, and records nothing of the project's classes.
        // (Maven may colour its output: its escape sequences are not part of the lines.)
        List<String> ours = r.stderr().replaceAll("\u001b\\[[0-9;]*m", "").lines().filter(l -> l.startsWith("jcprofile:"))
                .collect(Collectors.toList());
        assertEquals(1, ours.size(), r.toString());
        assertTrue(ours.get(0).matches("jcprofile: no calls were recorded; " + Pattern.quote(root + "/target/tests-")
                + "\\d+\\.prof not written"), r.toString());

        String browse = readmeCommand("bin/jpstats target/tests-*.prof");
        Proc.Result table = Proc.of("bash", "-c", browse).jdk(jdk).dir(root).run().expectExit(0);
        for (String p : profiles) assertTrue(table.stdout().contains("    target/" + p + "\n"), table.toString());
        // Every test ran once, in one fork or the other.
        for (String test : List.of("SplitTest.wordsAreRunsOfLetters", "CountTest.countsIgnoreCase",
                "TopTest.fewerWordsThanAsked", "BookTest.theTopOfABook", "BookTest.word")) {
            long calls = 0;
            for (String p : profiles) {
                Prof prof = Prof.read(root.resolve("target").resolve(p));
                if (prof.has(test)) calls += prof.fn(test).nc;
            }
            assertEquals(test.equals("BookTest.word") ? 200_000 : 1, calls, test);
        }
        assertTrue(table.stdout().contains("com/example/words/BookTest.java:34(BookTest.theTopOfABook)"), table.toString());
    }
}
