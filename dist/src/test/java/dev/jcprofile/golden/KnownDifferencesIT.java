package dev.jcprofile.golden;

import dev.jcprofile.browser.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where jpstats differs from python3 on purpose, checked against python3 all the same: everything around the
 * difference must be the same bytes, and the difference must be the one intended.
 * <ul>
 * <li>A file that cannot be read: python3 prints the OS error's text ({@code No such file or directory}) or a
 * Python exception; jpstats prints one line, {@code FILE: problem}.</li>
 * <li>A file that cannot be added: jpstats prints {@code Failed to load statistics for FILE: problem}; python3
 * prints the errno form, or crashes when the file is not a profile.</li>
 * <li>The skip.txt cases where python3 crashes with a traceback: jpstats prints what python3 printed before the
 * crash, and goes on to the end.</li>
 * </ul>
 */
class KnownDifferencesIT {
    private static final String PROMPT = "target/golden/cprof.prof% ";

    @BeforeAll
    static void corpus() {
        Corpus.ensure();
        TimeZone.setDefault(TimeZone.getTimeZone(Python.TZ));
    }

    @ParameterizedTest
    @ValueSource(strings = {"target/golden/nosuch.prof", "target/golden/a_directory.prof",
        "target/golden/not_a_profile.prof", "target/golden/empty_dict.prof", "target/golden/garbage.prof"})
    void readFailureIsOneLine(String file) throws IOException {
        String script = "read " + file + "\nstats 2\nread\nstats 1\n";
        Outputs o = run(List.of("target/golden/cprof.prof"), script);
        Middle m = middle(o.python, o.java);
        assertEquals(List.of(PROMPT + file + ": " + problem(m.java, PROMPT + file + ": ")), m.java,
                "jpstats: one line FILE: problem, where python3 printed " + m.python);
        assertNotEquals(m.python, m.java);
    }

    @ParameterizedTest
    @ValueSource(strings = {"target/golden/nosuch.prof", "target/golden/a_directory.prof"})
    void addFailureOfAFile(String file) throws IOException {
        String script = "add " + file + "\nstats 2\n";
        Outputs o = run(List.of("target/golden/cprof.prof"), script);
        Middle m = middle(o.python, o.java);
        String head = PROMPT + "Failed to load statistics for " + file + ": ";
        assertEquals(List.of(head + problem(m.java, head)), m.java, "where python3 printed " + m.python);
        assertTrue(m.python.get(0).startsWith(head), m.python.toString());
    }

    /** python3's browser dies on these (add catches only OSError); jpstats reports the file and goes on. */
    @ParameterizedTest
    @ValueSource(strings = {"target/golden/not_a_profile.prof", "target/golden/empty_dict.prof",
        "target/golden/garbage.prof"})
    void addFailureOfANonProfile(String file) throws IOException {
        String script = "add " + file + "\nstats 2\n";
        Outputs o = run(List.of("target/golden/cprof.prof"), script);
        assertTrue(o.pythonExit != 0 && o.pythonErr.contains("Traceback"), "python3 no longer crashes: " + o.pythonErr);
        // python3 printed up to the prompt of the add (and may have begun its "Invalid timing data" line).
        String before = o.python.substring(0, o.python.lastIndexOf(PROMPT) + PROMPT.length());
        assertTrue(o.java.startsWith(before), "jpstats's output starts with python3's");
        String rest = o.java.substring(before.length());
        String head = "Failed to load statistics for " + file + ": ";
        assertTrue(rest.startsWith(head) && rest.indexOf('\n') > head.length(), rest);
        assertTrue(rest.endsWith(PROMPT + "\nGoodbye.\n"), rest);
    }

    static Stream<Arguments> pythonCrashes() {
        List<Arguments> cases = new ArrayList<>();
        for (String[] skip : Corpus.skips()) {
            if (skip[2].equals("python-crash")) cases.add(Arguments.of(skip[0], skip[1]));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} < {1}")
    @MethodSource("pythonCrashes")
    void goesOnWherePythonCrashes(String set, String script) throws IOException {
        Outputs o = run(Corpus.profileSets().get(set), Files.readString(Corpus.script(script), StandardCharsets.UTF_8));
        assertTrue(o.pythonExit != 0 && o.pythonErr.contains("Traceback"),
                "python3 no longer crashes here; move the case back into the battery: " + o.pythonErr);
        String p = Corpus.normalise(o.python), j = Corpus.normalise(o.java);
        assertTrue(j.startsWith(p), "jpstats's output starts with what python3 printed before its crash");
        assertTrue(j.length() > p.length() && j.endsWith("Goodbye.\n"), "jpstats went on to the end");
    }

    /** The real bin/jpstats too: the message on standard output, nothing on standard error, exit status 0. */
    @ParameterizedTest
    @ValueSource(strings = {"target/golden/nosuch.prof"})
    void jpstatsProcessReportsAndGoesOn(String file) throws IOException {
        Path script = Files.createTempFile("jcprofile-script", ".txt");
        try {
            Files.writeString(script, "stats 1\n");
            Python.Result r = Python.exec(List.of(Python.ROOT.resolve("bin/jpstats").toString(), file,
                    "target/golden/cprof.prof"), script, Map.of("JAVA_HOME", System.getProperty("java.home")));
            assertEquals(0, r.exit);
            assertEquals("", r.err);
            assertTrue(r.text().startsWith(file + ": No such file or directory\nNo statistics object is loaded.\n"
                    + "Welcome to the profile statistics browser.\n"), r.text());
        } finally {
            Files.delete(script);
        }
    }

    /**
     * Under a C locale the JVM cannot encode a non-ASCII file name (python3 can: it falls back to UTF-8). jpstats
     * says so in one line and goes on, instead of dying with an InvalidPathException.
     */
    @ParameterizedTest
    @ValueSource(strings = {"target/golden/h\u00e4nd_\ud835\udcb3.prof"})
    void fileNameTheLocaleCannotEncode(String file) throws IOException {
        Path script = Files.createTempFile("jcprofile-script", ".txt");
        try {
            Files.writeString(script, "read " + file + "\nstats 1\n", StandardCharsets.UTF_8);
            Python.Result r = Python.exec(List.of(Python.ROOT.resolve("bin/jpstats").toString(), file), script,
                    Map.of("JAVA_HOME", System.getProperty("java.home"), "LC_ALL", "C", "LANG", "C"));
            assertEquals("", r.err);
            assertEquals(0, r.exit);
            String[] lines = r.text().split("\n");
            assertTrue(lines[0].contains(": cannot be opened: the name is not valid"), lines[0]);
            assertEquals("Welcome to the profile statistics browser.", lines[1]);
            assertTrue(lines[2].contains(": cannot be opened: the name is not valid"), lines[2]);
            assertTrue(r.text().endsWith("% No statistics object is loaded.\n% \nGoodbye.\n"), r.text());
        } finally {
            Files.delete(script);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static final class Outputs {
        String python, pythonErr, java;
        int pythonExit;
    }

    private static Outputs run(List<String> files, String script) throws IOException {
        Path in = Files.createTempFile("jcprofile-script", ".txt");
        try {
            Files.writeString(in, script, StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>(List.of("-m", "pstats"));
            args.addAll(files);
            Python.Result r = Python.run(args, in);
            Outputs o = new Outputs();
            o.python = r.text();
            o.pythonErr = r.err;
            o.pythonExit = r.exit;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
            try (InputStream stdin = new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8))) {
                Main.run(files.toArray(new String[0]), stdin, out);
            }
            o.java = bytes.toString(StandardCharsets.UTF_8);
            return o;
        } finally {
            Files.delete(in);
        }
    }

    /** The lines where two outputs differ, between their common first and last lines. */
    private static final class Middle {
        final List<String> python, java;
        Middle(List<String> python, List<String> java) {
            this.python = python;
            this.java = java;
        }
    }

    private static Middle middle(String python, String java) {
        List<String> p = Arrays.asList(python.split("\n", -1)), j = Arrays.asList(java.split("\n", -1));
        int first = 0;
        while (first < p.size() && first < j.size() && p.get(first).equals(j.get(first))) first++;
        int pe = p.size(), je = j.size();
        while (pe > first && je > first && p.get(pe - 1).equals(j.get(je - 1))) {
            pe--;
            je--;
        }
        assertTrue(pe > first, "python3 and jpstats print the same: the known difference is gone");
        return new Middle(p.subList(first, pe), j.subList(first, je));
    }

    /** The problem part of a one-line message, which must not be empty. */
    private static String problem(List<String> lines, String head) {
        String line = lines.isEmpty() ? "" : lines.get(0);
        String problem = line.startsWith(head) ? line.substring(head.length()) : "";
        assertTrue(!problem.isBlank(), "no problem stated in " + lines);
        return problem;
    }
}
