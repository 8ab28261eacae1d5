package dev.jcprofile.browser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.jcprofile.browser.JpstatsProcess.UP;
import static dev.jcprofile.browser.JpstatsProcess.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jpstats on a pseudo-terminal: a person's session typed key by key, with completion, history, Ctrl-C and
 * Ctrl-D, read back from what the terminal shows.
 */
class InteractiveIT {
    private static final String PROMPT = "small.prof% ";

    @TempDir
    static Path dir;

    @BeforeAll
    static void profile() throws Exception {
        JpstatsProcess.pythonProfile(dir);
    }

    private static JpstatsProcess session(Path history) throws Exception {
        JpstatsProcess p = JpstatsProcess.onTerminal(dir, Map.of("JPSTATS_HISTORY", history.toString()),
                "exec \"$JPSTATS\" small.prof");
        p.await(PROMPT, 1);
        return p;
    }

    /** The text shown after the n-th prompt (counting from 1) up to the next one. */
    private static String afterPrompt(String text, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) at = text.indexOf(PROMPT, at + 1);
        int next = text.indexOf(PROMPT, at + 1);
        return text.substring(at + PROMPT.length(), next < 0 ? text.length() : next);
    }

    @Test
    void completionHistoryCtrlCAndCtrlD(@TempDir Path home) throws Exception {
        Path history = home.resolve("history");
        try (JpstatsProcess p = session(history)) {
            p.type("so\t");
            p.await(PROMPT + "sort ", 1);
            p.type("cu\t");
            // Two keys share "cum": it goes in, and both are listed with their descriptions.
            String listed = p.await("(cumulative time)", 2);
            assertTrue(listed.contains(PROMPT + "sort cum"), listed);
            String list = listed.substring(listed.indexOf(PROMPT + "sort cum"));
            assertTrue(list.contains("cumtime ") && list.contains("cumulative "), listed);
            p.type("t\t\r");
            p.await(PROMPT, 2);

            p.type("stats 1\r");
            p.await(PROMPT, 3);
            p.type("help\r");
            p.await(PROMPT, 4);
            p.type(UP + UP + "\r"); // two back: stats 1, where an empty line would repeat help
            p.await(PROMPT, 5);
            p.type("sort calls\u0003"); // dropped, so the next report stays ordered by cumulative time
            p.await(PROMPT, 6);
            p.type("stats 1\r");
            p.await(PROMPT, 7);
            p.type("\u0004");
            String text = p.awaitExit(0);

            assertTrue(afterPrompt(text, 2).contains("Ordered by: cumulative time"), text);
            assertTrue(afterPrompt(text, 3).contains("Documented commands (type help <topic>):"), text);
            assertTrue(afterPrompt(text, 4).contains("List reduced from"), text);
            assertFalse(afterPrompt(text, 4).contains("Documented commands"), text);
            // The report after the dropped line (JLine, under load, may draw the prompt after Ctrl-C twice).
            String afterDropped = text.substring(text.lastIndexOf("sort calls"));
            assertTrue(afterDropped.contains("Ordered by: cumulative time") && !afterDropped.contains("call count"), text);
            // Ctrl-D ends as end of input does in the scripted browser: the line ends, then Goodbye, as in Python.
            assertTrue(text.endsWith(PROMPT + "\nGoodbye.\n"), text);
            // Typed keys went into the history file as the lines they made; the dropped line did not.
            assertEquals(List.of("sort cumtime", "stats 1", "help", "stats 1"), Files.readAllLines(history));
        }
    }

    @Test
    void historyFileCarriesOverAndStaysBounded(@TempDir Path home) throws Exception {
        Path history = home.resolve("history");
        List<String> old = new ArrayList<>();
        // JLine rewrites the file to its size once it holds a quarter more lines than that.
        for (int i = 0; i < Shell.HISTORY_SIZE * 5 / 4 + 10; i++) old.add("help " + i);
        old.add("sort calls");
        Files.write(history, old);
        try (JpstatsProcess p = session(history)) {
            p.type(UP + "\r"); // the last line of an earlier session
            p.await(PROMPT, 2);
            p.type("stats 1\r");
            p.await(PROMPT, 3);
            p.type("\u0004");
            String text = p.awaitExit(0);
            assertTrue(afterPrompt(text, 2).contains("Ordered by: call count"), text);
        }
        List<String> kept = Files.readAllLines(history);
        assertEquals(Shell.HISTORY_SIZE, kept.size(), "the file keeps the latest lines only");
        assertEquals(List.of("sort calls", "stats 1"), kept.subList(kept.size() - 2, kept.size()));
    }

    @Test
    void unwritableHistoryLocationKeepsHistoryForTheSession(@TempDir Path home) throws Exception {
        // A path below a plain file can be written by nobody, root included.
        Path plain = Files.writeString(home.resolve("plain"), "not a directory\n");
        try (JpstatsProcess p = session(plain.resolve("history"))) {
            p.type("stats 1\r");
            p.await(PROMPT, 2);
            p.type("sort calls\r");
            p.await(PROMPT, 3);
            p.type(UP + UP + "\r");
            p.await(PROMPT, 4);
            p.type("\u0004");
            String text = p.awaitExit(0);
            assertEquals(2, count(text, "List reduced from"), text);
            assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains("history"), text);
            assertFalse(text.contains("Exception"), text);
            assertFalse(text.contains("WARN"), text);
        }
        assertEquals("not a directory\n", Files.readString(plain));
    }

    @Test
    void pastedLinesRunOneByOne(@TempDir Path home) throws Exception {
        try (JpstatsProcess p = session(home.resolve("history"))) {
            // As a terminal sends a paste of two lines once the line editor has asked for bracketed paste.
            p.type("\u001b[200~sort calls\rstats 1\r\u001b[201~");
            p.await("stats 1", 1);
            p.type("\r");
            p.await(PROMPT, 2);
            p.type("\u0004");
            String text = p.awaitExit(0);
            assertTrue(afterPrompt(text, 1).contains("Ordered by: call count"), text);
            assertEquals(1, count(text, "List reduced from"), "the pasted last newline repeats nothing: " + text);
        }
    }

    @Test
    void fileNamesCompleteAfterRead(@TempDir Path home) throws Exception {
        try (JpstatsProcess p = session(home.resolve("history"))) {
            p.type("read sm\t");
            p.await(PROMPT + "read small.prof ", 1);
            p.type("\r");
            p.await(PROMPT, 2);
            p.type("\u0004");
            String text = p.awaitExit(0);
            assertFalse(afterPrompt(text, 1).contains("No such file"), text);
        }
    }

    @Test
    void theFirstSessionOfABuildShowsNoJvmWarnings(@TempDir Path install) throws Exception {
        // A fresh copy of the launcher and jar: no class-data archive yet, so the launcher makes one (from a training
        // run) before the session starts, and neither that nor the session may tell the user anything about it.
        Files.createDirectories(install.resolve("bin"));
        Files.createDirectories(install.resolve("target"));
        Files.copy(JpstatsProcess.JPSTATS, install.resolve("bin/jpstats"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(JpstatsProcess.JAR, install.resolve("target/jcprofile.jar"));
        Map<String, String> env = Map.of("JPSTATS_HISTORY", install.resolve("history").toString());
        try (JpstatsProcess p = JpstatsProcess.onTerminal(dir, env,
                JpstatsProcess.quote(install.resolve("bin/jpstats").toString()) + " small.prof; echo status $?")) {
            p.await(PROMPT, 1);
            p.type("so\tcalls\r");
            p.await(PROMPT, 2);
            // Ctrl-C while typing reaches the launching shell too, which must outlive it.
            p.type("sort time\u0003");
            p.await(PROMPT, 3);
            p.type("stats 1\r");
            p.await(PROMPT, 4);
            p.type("\u0004");
            String text = p.awaitExit(0);
            assertTrue(text.contains("Ordered by: call count"), text);
            assertTrue(text.endsWith("Goodbye.\nstatus 0\n"), text);
            assertFalse(text.toLowerCase(Locale.ROOT).contains("warning"), text);
        }
        try (Stream<Path> files = Files.walk(install)) {
            // A static archive (.jsa) up to JDK 23, an ahead-of-time cache (.aot) from JDK 24 on.
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot")),
                    "the launcher made a class-data archive");
        }
    }

    @Test
    void theTerminalIsTheShadedExecProvidersAndNoOtherLineEditorLoads(@TempDir Path home) throws Exception {
        Path log = home.resolve("classes.log");
        Map<String, String> env = Map.of("JPSTATS_HISTORY", home.resolve("history").toString());
        try (JpstatsProcess p = JpstatsProcess.onTerminal(dir, env,
                "exec " + JpstatsProcess.mainLoggingClasses(log) + " small.prof")) {
            p.await(PROMPT, 1);
            p.type("so\t");
            p.await(PROMPT + "sort ", 1);
            p.type("calls\r");
            p.await(PROMPT, 2);
            p.type("\u0004");
            p.awaitExit(0);
        }
        Set<String> classes = JpstatsProcess.loadedClasses(log);
        assertTrue(classes.contains("dev.jcprofile.browser.Shell"), "the line editor ran");
        assertTrue(classes.contains("dev.jcprofile.shaded.jline.terminal.impl.exec.ExecPty"), "exec provider");
        assertTrue(classes.contains("dev.jcprofile.shaded.jline.terminal.impl.PosixSysTerminal"), "system terminal");
        assertTrue(classes.stream().noneMatch(c -> c.startsWith("org.jline.")), "JLine only under its shaded name");
        assertFalse(classes.contains("dev.jcprofile.shaded.jline.terminal.impl.DumbTerminal"), "not the fallback");
    }
}
