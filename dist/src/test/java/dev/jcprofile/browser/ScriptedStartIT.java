package dev.jcprofile.browser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unless both standard input and standard output are a terminal, jpstats reads plain lines and loads no line
 * editor: no JLine class, shaded or the JDK's, and not even java.io.Console,
 * since /proc tells.
 */
class ScriptedStartIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void profile() throws Exception {
        JpstatsProcess.pythonProfile(dir);
        Files.writeString(dir.resolve("commands"), "sort calls\nstats 1\n");
    }

    /** Checks the class-load log of a scripted run. */
    private static void assertScripted(Path log) throws Exception {
        Set<String> classes = JpstatsProcess.loadedClasses(log);
        assertTrue(classes.contains("dev.jcprofile.browser.Tty"), "the terminal was checked");
        assertFalse(classes.contains("dev.jcprofile.browser.Shell"), "no interactive loop");
        assertTrue(classes.stream().noneMatch(c -> c.toLowerCase(Locale.ROOT).contains("jline")), "no JLine class");
        assertFalse(classes.contains("java.io.Console"), "/proc answered");
    }

    @Test
    void pipes(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("classes.log");
        try (JpstatsProcess p = JpstatsProcess.mainOnPipes(dir, log, "small.prof")) {
            p.type("sort calls\nstats 1\n");
            p.closeInput();
            String text = p.awaitExit(0);
            assertTrue(text.startsWith("Welcome to the profile statistics browser.\nsmall.prof% small.prof% "), text);
            assertTrue(text.contains("Ordered by: call count"), text);
            assertTrue(text.endsWith("small.prof% \nGoodbye.\n"), text);
        }
        assertScripted(log);
    }

    @Test
    void inputFromAFileOutputOnATerminal(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("classes.log");
        try (JpstatsProcess p = JpstatsProcess.onTerminal(dir, Map.of(),
                JpstatsProcess.mainLoggingClasses(log) + " small.prof < commands")) {
            String text = p.awaitExit(0);
            assertTrue(text.contains("Ordered by: call count"), text);
            assertTrue(text.endsWith("small.prof% \nGoodbye.\n"), text);
        }
        assertScripted(log);
    }

    @Test
    void inputFromATerminalOutputToAPipe(@TempDir Path tmp) throws Exception {
        // From JDK 22 on, System.console() exists here too; /proc tells first that standard output is a pipe.
        Path log = tmp.resolve("classes.log");
        try (JpstatsProcess p = JpstatsProcess.onTerminal(dir, Map.of(),
                JpstatsProcess.mainLoggingClasses(log) + " small.prof | cat")) {
            p.await("Welcome to the profile statistics browser.", 1);
            p.type("sort calls\rstats 1\r\u0004");
            String text = p.awaitExit(0);
            assertTrue(text.contains("Ordered by: call count"), text);
            assertTrue(text.endsWith("Goodbye.\n"), text);
        }
        assertScripted(log);
    }

    @Test
    void helpDescribesTheInteractiveMode() throws Exception {
        try (JpstatsProcess p = JpstatsProcess.onPipes(dir, Map.of(), "--help")) {
            String text = p.awaitExit(0);
            assertTrue(text.contains("Tab "), text);
            assertTrue(text.contains("Ctrl-C "), text);
            assertTrue(text.contains("~/.jpstats_history (the last 1000)"), text);
        }
        assertEquals(1000, Shell.HISTORY_SIZE);
    }
}
