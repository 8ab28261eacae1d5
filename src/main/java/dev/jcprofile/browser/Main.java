package dev.jcprofile.browser;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code jpstats [FILE...]}: the pstats browser. Commands come from standard input; the output is what
 * {@code python3 -m pstats FILE...} prints for the same input.
 */
public final class Main {
    private Main() {}

    static final String USAGE = "usage: jpstats [FILE...]\n"
            + "\n"
            + "Browse profiles in the pstats format (written by jcprofile, or by Python's cProfile and profile),\n"
            + "as `python3 -m pstats FILE...` does. Several files are added together. Commands are read from\n"
            + "standard input, so scripts work unchanged:\n"
            + "\n"
            + "  jpstats profile <<< $'sort cumtime\\nstats 20'\n"
            + "\n"
            + "Commands: add FILE, callees [RESTRICTION...], callers [RESTRICTION...], read [FILE], reverse,\n"
            + "sort KEY..., stats [RESTRICTION...], strip, help [COMMAND], quit (or end of input).\n"
            + "A restriction is a count, a fraction between 0 and 1, or a Python regular expression.\n"
            + "\n"
            + "When standard input and output are a terminal, lines are edited as in a shell:\n"
            + "  Tab         complete a command, a sort key after `sort', a topic after `help',\n"
            + "              a file name after `read' and `add'\n"
            + "  Up, Down    recall earlier commands (Ctrl-R searches them)\n"
            + "  Ctrl-C      discard the line being typed; while a command runs, stop jpstats\n"
            + "  Ctrl-D      on an empty line, leave the browser as at the end of input\n"
            + "Commands are remembered in ~/.jpstats_history (the last " + Shell.HISTORY_SIZE + "); set JPSTATS_HISTORY to\n"
            + "another file, or to nothing for none. When the file cannot be written, they are kept for the\n"
            + "session only.\n"
            + "\n"
            + "Options:\n"
            + "  -h, --help     show this help and exit\n"
            + "  --version      show the version and exit\n";

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(USAGE);
            return;
        }
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("jpstats (jcprofile) " + version());
            return;
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        Browser browser = new Browser(out);
        if (args.length > 0) {
            browser.doRead(args[0]);
            for (int i = 1; i < args.length; i++) browser.doAdd(args[i]);
        }
        out.print("Welcome to the profile statistics browser.\n");
        // Shell (and JLine with it) is loaded only here, so scripts never pay for line editing.
        if (!Tty.stdinAndStdoutAreTerminals() || !Shell.run(browser, out)) readLines(browser, out);
        out.print("Goodbye.\n");
        out.flush();
    }

    /** The scripted browser: one command a line from standard input, without echo or editing. */
    private static void readLines(Browser browser, PrintStream out) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(FileDescriptor.in),
                StandardCharsets.UTF_8), 1 << 16);
        while (true) {
            out.print(browser.prompt());
            out.flush();
            String line = in.readLine();
            if (line == null) line = "EOF";
            if (browser.onecmd(line)) break;
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
