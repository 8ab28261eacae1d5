package dev.jcprofile.browser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShellTest {
    private static String run(String... accepted) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Browser browser = new Browser(out);
        StringBuilder stops = new StringBuilder();
        for (String a : accepted) stops.append(Shell.runLines(browser, a) ? "stop;" : "go;");
        return stops + bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pastedLinesAreCommandsOfTheirOwn() {
        assertEquals("go;Show help for a given command.\nLeave the profile browser.\n", run("help help\nhelp quit\n"));
        assertEquals("stop;", run("quit\nhelp help"));
        // An empty line still repeats the last command, as in cmd.
        assertEquals("go;go;Show help for a given command.\nShow help for a given command.\n", run("help help", ""));
    }

    @Test
    void historyFileIsChosenByJpstatsHistoryThenHome() {
        assertEquals(Paths.get("/x/h"), Shell.historyFile(Map.of("JPSTATS_HISTORY", "/x/h", "HOME", "/home/u")));
        assertNull(Shell.historyFile(Map.of("JPSTATS_HISTORY", "", "HOME", "/home/u")));
        assertEquals(Paths.get("/home/u/.jpstats_history"), Shell.historyFile(Map.of("HOME", "/home/u")));
        assertEquals(Paths.get(System.getProperty("user.home"), ".jpstats_history"), Shell.historyFile(Map.of()));
    }

    @Test
    void aMissingHistoryFileIsCreatedForItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history");
        assertTrue(Shell.usableHistoryFile(file));
        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anExistingHistoryFileIsKept(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("history"), "stats\n");
        assertTrue(Shell.usableHistoryFile(file));
        assertEquals("stats\n", Files.readString(file));
    }

    @Test
    void unusableLocationsAreRefused(@TempDir Path dir) throws Exception {
        // Refused whoever runs the test, root included: the parent is a file, or the name is a directory.
        Path file = Files.createFile(dir.resolve("plain"));
        assertFalse(Shell.usableHistoryFile(file.resolve("history")));
        assertFalse(Shell.usableHistoryFile(dir));
        assertFalse(Shell.usableHistoryFile(dir.resolve("missing/history")));
    }
}
