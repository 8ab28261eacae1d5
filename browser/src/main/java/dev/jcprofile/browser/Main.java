package dev.jcprofile.browser;

import dev.jcprofile.cpython.PyOut;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * {@code jpstats [FILE...]}: the pstats browser. Commands come from standard input; the output is what
 * {@code python3 -m pstats FILE...} prints for the same input.
 */
public final class Main {
    private Main() {}

    static final String USAGE = "usage: jpstats [FILE...]\n"
            + "       jpstats --collapsed [--metric tottime|calls] [--threads] FILE...\n"
            + "       jpstats --diff BEFORE AFTER [-s KEY] [--limit N] [--strip]\n"
            + "       jpstats --html OUT.html FILE...\n"
            + "       jpstats --html OUT.html --diff BEFORE AFTER\n"
            + "\n"
            + "Browse profiles in the pstats format (written by jcprofile, or by Python's cProfile and profile),\n"
            + "as `python3 -m pstats FILE...` does. Several files are added together. Commands are read from\n"
            + "standard input, so scripts work unchanged:\n"
            + "\n"
            + "  jpstats profile <<< $'sort cumtime\\nstats 20'\n"
            + "\n"
            + "Commands: add FILE, callees [RESTRICTION...], callers [RESTRICTION...], diff FILE, read [FILE],\n"
            + "reverse, sort KEY..., stats [RESTRICTION...], strip, tree [RESTRICTION...], help [COMMAND], quit\n"
            + "(or end of input). A restriction is a count, a fraction between 0 and 1, or a Python regular\n"
            + "expression. `tree' prints the call tree (recorded by jcprofile --tree) under the functions that\n"
            + "`stats' would list; `diff FILE' the changes from FILE to the current profile.\n"
            + "\n"
            + "When standard input and output are a terminal, lines are edited as in a shell:\n"
            + "  Tab         complete a command, a sort key after `sort', a topic after `help',\n"
            + "              a file name after `read', `add' and `diff'\n"
            + "  Up, Down    recall earlier commands (Ctrl-R searches them)\n"
            + "  Ctrl-C      discard the line being typed; while a command runs, stop jpstats\n"
            + "  Ctrl-D      on an empty line, leave the browser as at the end of input\n"
            + "Commands are remembered in ~/.jpstats_history (the last " + Shell.HISTORY_SIZE + "); set\n"
            + "JPSTATS_HISTORY to another file, or to nothing for none. When the file cannot be written, they\n"
            + "are kept for the session only.\n"
            + "\n"
            + "Reports instead of the browser:\n"
            + "  --collapsed    print the call tree of the profiles (added together; each recorded with\n"
            + "                 jcprofile --tree) as collapsed stacks for flamegraph.pl, speedscope or\n"
            + "                 async-profiler's converter: one line per call path, `frame;...;frame VALUE',\n"
            + "                 frames named as `stats' names functions after `strip'; every thread's paths\n"
            + "                 merged. A `;' in a name is written \\x3b, line breaks and control characters\n"
            + "                 as \\n, \\r, \\t, \\xNN. Lines with a value of 0 are left out.\n"
            + "  --metric M     the value of a line: tottime (the default), the path's own time in\n"
            + "                 microseconds, rounded to the nearest; or calls, its calls along that path\n"
            + "  --threads      each thread's paths apart, under a first frame that is the thread's name\n"
            + "  --diff         print each function's change from BEFORE to AFTER in ncalls, tottime and\n"
            + "                 cumtime (before, after, change and change in %), functions found on one side\n"
            + "                 only marked new or gone, the largest change first\n"
            + "  -s KEY         order the diff by the change in KEY: cumtime (the default; or cumulative),\n"
            + "                 tottime (or time), calls (or ncalls); ties by name\n"
            + "  --limit N      print the N largest changes only\n"
            + "  --strip        strip directories from the file names before comparing (as `strip')\n"
            + "Exit status: 0, 1 when a profile cannot be read or has no call tree, 2 for a bad command line.\n"
            + "\n"
            + "Options:\n"
            + "  -h, --help     show this help and exit\n"
            + "  --version      show the version and exit\n"
            + HtmlReport.USAGE;

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(USAGE);
            return;
        }
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("jpstats (jcprofile) " + version());
            return;
        }
        if (java.util.Arrays.asList(args).contains("--html")) {
            SystemZone.adopt();
            int status = HtmlReport.run(args, System.err);
            System.out.flush();
            System.exit(status);
        }
        SystemZone.adopt();
        PrintStream out = new PyOut(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        if (ReportOptions.requested(args)) {
            int status = Reports.run(args, out, System.err);
            if (status != 0) System.exit(status);
            return;
        }
        run(args, new FileInputStream(FileDescriptor.in), out, true);
    }

    /** The browser session of {@code python3 -m pstats FILE...}: commands from {@code in}, reports to {@code out}. */
    public static void run(String[] files, InputStream in, PrintStream out) throws IOException {
        run(files, in, out, false);
    }

    /** As above; on a terminal, with {@code stdio} set (in and out are standard input and output), with editing. */
    private static void run(String[] files, InputStream in, PrintStream out, boolean stdio) throws IOException {
        // Text is encoded as python3's sys.stdout encodes it (lone surrogates in names included), whatever the
        // stream given would do with it.
        if (!(out instanceof PyOut)) out = new PyOut(out);
        Browser browser = new Browser(out);
        if (files.length > 0) {
            browser.doRead(files[0]);
            for (int i = 1; i < files.length; i++) browser.doAdd(files[i]);
        }
        out.print("Welcome to the profile statistics browser.\n");
        // Shell (and JLine with it) is loaded only here, so scripts never pay for line editing.
        if (!stdio || !Tty.stdinAndStdoutAreTerminals() || !Shell.run(browser, out)) readLines(browser, in, out);
        out.print("Goodbye.\n");
        out.flush();
    }

    /** The scripted browser: one command a line from {@code in}, without echo or editing. */
    private static void readLines(Browser browser, InputStream in, PrintStream out) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        while (true) {
            out.print(browser.prompt());
            out.flush();
            String line = readLine(lines);
            if (line == null) line = "EOF";
            if (browser.onecmd(line)) break;
        }
    }

    /**
     * One line of input as Python's {@code input()} reads it from a pipe: up to a {@code \n}, which is dropped. A
     * {@code \r} ends no line (BufferedReader.readLine would split there); the command parser strips it later.
     * Null at the end of input.
     */
    static String readLine(Reader in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') return b.toString();
            b.append((char) c);
        }
        return b.length() > 0 ? b.toString() : null;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
