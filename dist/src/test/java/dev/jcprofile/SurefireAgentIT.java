package dev.jcprofile;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static dev.jcprofile.Cmd.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's agent snippet for Maven Surefire, word for word, in a small project with one JUnit test: the
 * tests run as before, and target/tests.prof is a profile that jpstats reads, with the test's own methods in it.
 */
class SurefireAgentIT {
    @Test
    void readmeArgLineProfilesTheTests() throws Exception {
        Maven.install();
        String argLine = Maven.readmeSnippet("<argLine>-javaagent:[^`]*=o=[^`]*</argLine>");
        Path project = Maven.project("surefire-agent", Map.of(
                "pom.xml", Maven.pom("squares", "", argLine),
                "src/test/java/com/example/SquaresTest.java", "package com.example;\n"
                        + "\n"
                        + "import org.junit.jupiter.api.Test;\n"
                        + "\n"
                        + "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
                        + "\n"
                        + "class SquaresTest {\n"
                        + "    static long sumOfSquares(int n) {\n"
                        + "        long sum = 0;\n"
                        + "        for (int i = 1; i <= n; i++) sum += (long) i * i;\n"
                        + "        return sum;\n"
                        + "    }\n"
                        + "\n"
                        + "    @Test\n"
                        + "    void sumsTheSquares() {\n"
                        + "        assertEquals(385, sumOfSquares(10));\n"
                        + "    }\n"
                        + "}\n"));
        Cmd.Result build = Maven.mvn(project, "test");
        assertEquals(0, build.exit(), build.toString());
        assertTrue(build.out().contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), build.toString());

        // The README: the lone jar's class data sharing warning is one line, not a corrupted channel.
        assertFalse(build.out().contains("Corrupted channel"), build.toString());
        try (Stream<Path> reports = Files.list(project.resolve("target/surefire-reports"))) {
            assertTrue(reports.noneMatch(p -> p.toString().endsWith(".dumpstream")), "no stream dump");
        }
        long warnings = build.out().lines().filter(l -> l.contains("Sharing is only supported")).count();
        assertTrue(warnings <= 1, build.toString());

        Path profile = project.resolve("target/tests.prof");
        assertTrue(Files.isRegularFile(profile), build.toString());
        Cmd.Result browse = Cmd.of(ROOT.resolve("bin/jpstats").toString(), "target/tests.prof").in(project)
                .input("stats SquaresTest\n").run();
        assertEquals(0, browse.exit(), browse.toString());
        assertEquals("", browse.err(), browse.toString());
        assertTrue(browse.out().contains("com/example/SquaresTest.java:16(SquaresTest.sumsTheSquares)"), browse.toString());
        assertTrue(browse.out().contains("com/example/SquaresTest.java:9(SquaresTest.sumOfSquares)"), browse.toString());
    }
}
