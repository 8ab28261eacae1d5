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
 * Every place where jpstats differs from python3 on purpose (this list is the only one; the README points here),
 * each checked against python3 all the same: everything around the difference must be the same bytes, and the
 * difference must be the one intended. Everywhere else, errors included, jpstats prints python3's bytes: a file
 * the system refuses prints as {@code read} and {@code add} print an OSError ({@code No such file or directory},
 * {@code Failed to load statistics for F: [Errno 2] No such file or directory: 'F'}; golden script os_errors).
 * <ul>
 * <li>A file that is not a profile (damaged, cut short, another marshalled value, an empty dict, or data whose
 * parts refer back to themselves so that pstats cannot print its callers): python3's {@code read} prints a Python
 * exception's text ({@code EOFError: EOF read where not expected}, {@code ValueError: bad marshal data (unknown
 * type code)}) or reads it and fails later; jpstats prints one line, {@code FILE: problem}.</li>
 * <li>Adding such a file: python3's {@code add} catches only OSError and dies with a traceback; jpstats prints
 * {@code Failed to load statistics for FILE: problem} and goes on. So too for a name holding a NUL character
 * ({@code read} prints python3's {@code ValueError: embedded null byte}).</li>
 * <li>Where python3 dies with a traceback (the skip.txt python-crash cases; a name with a lone surrogate that its
 * standard output cannot encode: any, under the {@code strict} handler that PYTHONIOENCODING=utf-8 or a non-C
 * locale gives, U+D800..U+DC7F under {@code surrogateescape}): jpstats prints what python3 printed before the
 * crash and goes on to the end, writing such a surrogate as {@code backslashreplace} does ({@code \ud800}).</li>
 * <li>A file name the JVM cannot encode (non-ASCII under a C locale; python3 falls back to UTF-8): one line
 * saying so.</li>
 * <li>A locale that is not installed: python3 falls back to C and writes lone surrogates with surrogateescape;
 * jpstats takes the locale's name at its word (strict, so backslashreplace).</li>
 * <li>jpstats has two commands of its own, {@code diff FILE} and {@code tree [RESTRICTION...]}, where python3
 * prints {@code *** Unknown syntax: diff ...}; {@code help} lists them with the others, in the columns that
 * python3's cmd would give a browser with these commands, and {@code help diff} and {@code help tree} explain
 * them where python3 prints {@code *** No help on diff}. The golden battery counts jpstats's listing as
 * pstats's ({@code Corpus.assertSameOutput}).</li>
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
    @ValueSource(strings = {"target/golden/not_a_profile.prof", "target/golden/empty_dict.prof",
        "target/golden/garbage.prof"})
    void readFailureIsOneLine(String file) throws IOException {
        String script = "read " + file + "\nstats 2\nread\nstats 1\n";
        Outputs o = run(List.of("target/golden/cprof.prof"), script);
        Middle m = middle(o.python, o.java);
        assertEquals(List.of(PROMPT + file + ": " + problem(m.java, PROMPT + file + ": ")), m.java,
                "jpstats: one line FILE: problem, where python3 printed " + m.python);
        assertNotEquals(m.python, m.java);
    }

    /**
     * Marshal data that refers back into itself, which python3's marshal reads (and its print_stats prints) but
     * whose callers pstats cannot print: refused as not a profile, never called damaged.
     */
    @ParameterizedTest
    @ValueSource(strings = {"target/golden/cyclic_tuple.prof", "target/golden/cyclic_callers.prof",
        "target/golden/cyclic_stats.prof"})
    void cyclicReferencesAreReadAndRefusedAsNotAProfile(String file) throws IOException {
        Python.Result loads = Python.script("import marshal\nmarshal.loads(open('" + file + "', 'rb').read())\n", "");
        assertEquals(0, loads.exit, "python3's marshal reads " + file + ": " + loads.err);
        Outputs o = run(List.of(file), "callers\n");
        assertTrue(o.pythonExit != 0 && o.pythonErr.contains("Traceback"), "python3's callers report fails: " + o.pythonErr);
        String first = o.java.substring(0, o.java.indexOf('\n'));
        assertTrue(first.startsWith(file + ": not a profile: "), first);
        assertTrue(!first.contains("damaged"), first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nul\0byte.prof"})
    void addOfANameWithANul(String file) throws IOException {
        Outputs o = run(List.of("target/golden/cprof.prof"), "add " + file + "\nstats 1\n");
        assertTrue(o.pythonExit != 0 && o.pythonErr.contains("ValueError: embedded null byte"), o.pythonErr);
        assertTrue(o.java.contains(PROMPT + "Failed to load statistics for " + file + ": embedded null byte\n" + PROMPT),
                o.java);
    }

    /**
     * Under the golden environment's PYTHONIOENCODING=utf-8 python3's standard output is strict: the first name
     * with a lone surrogate stops it with a UnicodeEncodeError. jpstats prints the same up to there, writes the
     * surrogates as backslashreplace does, and goes on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stats\ncallers\ncallees\n"})
    void loneSurrogatesWherePythonCannotWriteThem(String script) throws IOException {
        Path in = Files.createTempFile("jcprofile-script", ".txt");
        try {
            Files.writeString(in, script);
            List<String> files = List.of("target/golden/surrogates.prof");
            Python.Result p = Python.run(List.of("-m", "pstats", files.get(0)), in);
            assertTrue(p.exit != 0 && p.err.contains("UnicodeEncodeError"), p.err);
            Python.Result j = Python.exec(List.of(Python.ROOT.resolve("bin/jpstats").toString(), files.get(0)), in,
                    Map.of("JAVA_HOME", System.getProperty("java.home")));
            assertEquals(0, j.exit, j.err);
            String py = Corpus.normalise(p.text()), java = Corpus.normalise(j.text());
            assertTrue(java.startsWith(py), "jpstats's output starts with what python3 printed:\n" + py + "\n---\n" + java);
            assertTrue(java.contains("s/m\\udc81.py:1(f\\udc80)") && java.contains("s/m.py:3(h\\ud800x)"), java);
            assertTrue(java.endsWith("Goodbye.\n"), java);
        } finally {
            Files.delete(in);
        }
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
            // pstats's do_read prints an OSError's strerror alone, as python3 does.
            assertTrue(r.text().startsWith("No such file or directory\nNo statistics object is loaded.\n"
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

    /**
     * {@code help} lists diff and tree with pstats's commands, as python3's cmd lays out a browser that has these
     * thirteen commands; everything else about help is python3's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"help\nhelp stats\n?\n"})
    void helpListsTheBrowsersOwnCommands(String script) throws IOException {
        Outputs o = run(List.of("target/golden/cprof.prof"), script);
        assertTrue(o.python.contains(Corpus.PSTATS_COMMANDS), o.python);
        assertEquals(o.python.replace(Corpus.PSTATS_COMMANDS, Corpus.JPSTATS_COMMANDS), o.java);
        assertNotEquals(o.python, o.java);
        // cmd.Cmd's own listing of a browser with these commands, each documented.
        Python.Result cmd = Python.script("import cmd\n"
                + "class B(cmd.Cmd):\n    pass\n"
                + "for n in ['EOF', 'add', 'callees', 'callers', 'diff', 'quit', 'read', 'reverse', 'sort', 'stats',"
                + " 'strip', 'tree']:\n"
                + "    f = lambda self, arg: None\n    f.__doc__ = n\n    setattr(B, 'do_' + n, f)\n"
                + "B().onecmd('help')\n", "");
        assertEquals(0, cmd.exit, cmd.err);
        assertTrue(cmd.text().contains("========================================\n" + Corpus.JPSTATS_COMMANDS + "\n"),
                cmd.text());
    }

    /** diff and tree are commands of jpstats, unknown to python3's browser. */
    @ParameterizedTest
    @ValueSource(strings = {"diff target/golden/cprof.prof\n", "tree\n", "help diff\n", "help tree\n"})
    void diffAndTreeAreTheBrowsersOwn(String script) throws IOException {
        Outputs o = run(List.of("target/golden/cprof.prof"), script);
        Middle m = middle(o.python, o.java);
        String command = script.strip();
        assertEquals(List.of(PROMPT + (command.startsWith("help") ? "*** No help on " + command.substring(5)
                : "*** Unknown syntax: " + command)), m.python);
        assertTrue(!m.java.isEmpty() && !m.java.get(0).contains("***"), m.java.toString());
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
