package dev.jcprofile.browser;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.exec.ExecTerminalProvider;
import org.jline.terminal.spi.SystemStream;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The browser's loop on a terminal: JLine's line editor with history and tab completion in place of plain line
 * reading. Prompt, messages and reports are the scripted browser's. Main loads this class only on a terminal.
 */
final class Shell {
    private Shell() {}

    /** Lines kept in memory and in the history file (which JLine trims back once it is a quarter longer). */
    static final int HISTORY_SIZE = 1000;

    /** JLine's logger; held so that its level stays set. */
    private static Logger jlineLogger;

    /**
     * Runs the browser until {@code quit} or Ctrl-D; false, having read nothing, when the terminal cannot be opened
     * (the caller then reads lines as in a script).
     */
    static boolean run(Browser browser, PrintStream out) {
        // JLine reports trouble (an unwritable history file, say) by logging, with stack traces; the browser keeps
        // working in every such case, so the reports would only clutter the screen. (Shading renames this logger
        // together with JLine's package.)
        jlineLogger = Logger.getLogger("org.jline");
        jlineLogger.setLevel(Level.OFF);
        Terminal terminal;
        try {
            // An explicit provider: JLine's lookup by name reads resource files that name its classes by their
            // original package, which relocation into this jar changes. The exec provider runs stty and needs no
            // native code, on every JDK.
            terminal = new ExecTerminalProvider().sysTerminal("jpstats", System.getenv("TERM"), false,
                    StandardCharsets.UTF_8, StandardCharsets.UTF_8, StandardCharsets.UTF_8, true,
                    Terminal.SignalHandler.SIG_DFL, false, SystemStream.Output);
        } catch (IOException | RuntimeException e) {
            System.err.println("jpstats: no line editing on this terminal (" + e.getMessage() + ")");
            return false;
        }
        try (terminal) {
            LineReaderBuilder builder = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("jpstats")
                    .parser(new Completion.LineParser())
                    .completer(new Completion())
                    .variable(LineReader.HISTORY_SIZE, HISTORY_SIZE)
                    .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_SIZE)
                    // The browser has no history expansion: "!" lines are its own (unknown) syntax.
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    // Completion by prefix only, as readline does in Python's browser.
                    .option(LineReader.Option.COMPLETE_MATCHER_TYPO, false)
                    // One command a line, as a person would read the file.
                    .option(LineReader.Option.HISTORY_TIMESTAMPED, false);
            Path file = historyFile(System.getenv());
            if (file != null && usableHistoryFile(file)) builder.variable(LineReader.HISTORY_FILE, file);
            LineReader reader = builder.build();
            while (true) {
                out.flush();
                String line;
                try {
                    // JLine expands %-sequences in prompts; the browser's prompt is literal text.
                    line = reader.readLine(browser.prompt().replace("%", "%%"));
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C drops the line being typed, as a shell does
                } catch (EndOfFileException e) {
                    // Ctrl-D: the browser's EOF command would end the line, which JLine has already done.
                    break;
                }
                if (runLines(browser, line)) break;
            }
        } catch (IOException e) {
            // Closing the terminal restores its settings; nothing is left to do if that fails.
        }
        return true;
    }

    /**
     * Runs what the line editor accepted: one command, or several when lines were pasted (the terminal's bracketed
     * paste keeps their newlines), each as a script would run it. True when the browser should stop.
     */
    static boolean runLines(Browser browser, String accepted) {
        for (String line : accepted.split("\n")) { // a pasted last newline only ends the last line
            if (browser.onecmd(line)) return true;
        }
        return false;
    }

    /**
     * {@code $JPSTATS_HISTORY} if set (empty: no history file), else {@code ~/.jpstats_history}, with the home
     * directory from {@code $HOME} as Python and shells take it.
     */
    static Path historyFile(Map<String, String> env) {
        String chosen = env.get("JPSTATS_HISTORY");
        if (chosen != null) return chosen.isEmpty() ? null : Paths.get(chosen);
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) home = System.getProperty("user.home");
        return home == null || home.isEmpty() ? null : Paths.get(home, ".jpstats_history");
    }

    /**
     * Whether the history file can be read and written, creating it (private to its owner, as shells do) when it is
     * missing. When not, history stays in memory for the session.
     */
    static boolean usableHistoryFile(Path file) {
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // a file system without POSIX permissions
            }
        } catch (FileAlreadyExistsException e) {
            // kept from earlier sessions; checked below
        } catch (IOException | SecurityException e) {
            return false;
        }
        return Files.isRegularFile(file) && Files.isReadable(file) && Files.isWritable(file);
    }
}
