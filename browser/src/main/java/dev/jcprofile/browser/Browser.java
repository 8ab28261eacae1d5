package dev.jcprofile.browser;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.cpython.PyText;
import dev.jcprofile.cpython.SortKeys;
import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileDiff;

import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command interpreter of {@code python -m pstats}: pstats's {@code ProfileBrowser} on top of Python's
 * {@code cmd.Cmd}, with the same commands, prompt, messages and line parsing (including {@code cmd}'s habit of
 * repeating the last command on an empty line).
 */
public final class Browser {
    /** Commands in the order {@code help} lists them ({@code sorted(dir(...))}, so "EOF" first). */
    static final List<String> COMMANDS = List.of("EOF", "add", "callees", "callers", "diff", "help", "quit", "read",
            "reverse", "sort", "stats", "strip", "tree");

    private final PrintStream out;
    private Stats stats;
    private String prompt = "% ";
    private String lastCommand = "";
    /** Whether {@code strip} ran since the profile was read: a file to compare with is then stripped too. */
    private boolean stripped;
    /** The figure {@code diff} orders by: the first sort key's when it is one of a diff's, else cumulative time. */
    private ProfileDiff.Key diffKey;

    public Browser(PrintStream out) {
        this.out = out;
    }

    /** A browser over statistics already loaded (named {@code name} in the prompt), as after {@code read}. */
    Browser(PrintStream out, Stats stats, String name) {
        this.out = out;
        this.stats = stats.stream(out);
        this.prompt = name + "% ";
    }

    public String prompt() { return prompt; }

    /** Runs one line; true when the browser should stop ({@code cmd.Cmd.onecmd}). */
    public boolean onecmd(String line) {
        line = PyText.strip(line);
        if (line.isEmpty()) {
            // cmd.Cmd.emptyline: repeat the last nonempty command.
            return !lastCommand.isEmpty() && onecmd(lastCommand);
        }
        if (line.charAt(0) == '?') {
            line = "help " + line.substring(1);
        } else if (line.charAt(0) == '!') {
            unknown(line); // no do_shell
            return false;
        }
        int i = 0;
        while (i < line.length() && isIdentChar(line.charAt(i))) i++;
        String cmd = line.substring(0, i);
        String arg = PyText.strip(line.substring(i));
        lastCommand = line.equals("EOF") ? "" : line;
        switch (cmd) {
            case "add": doAdd(arg); return false;
            case "callees": generic("callees", arg); return false;
            case "callers": generic("callers", arg); return false;
            case "diff": doDiff(arg); return false;
            case "EOF": out.print("\n"); return true;
            case "quit": return true;
            case "read": doRead(arg); return false;
            case "reverse": if (loaded()) stats.reverseOrder(); return false;
            case "sort": doSort(arg); return false;
            case "stats": generic("stats", arg); return false;
            case "strip": doStrip(); return false;
            case "tree": generic("tree", arg); return false;
            case "help": doHelp(arg); return false;
            default: unknown(line); return false;
        }
    }

    private static boolean isIdentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private void unknown(String line) {
        out.print("*** Unknown syntax: " + line + "\n");
    }

    private boolean loaded() {
        if (stats == null) out.print("No statistics object is loaded.\n");
        return stats != null;
    }

    public void doRead(String file) {
        if (!file.isEmpty()) {
            if (file.indexOf('\0') >= 0) {
                out.print("ValueError: embedded null byte\n"); // open() refuses it before any system call
                return;
            }
            try {
                stats = new Stats(file).stream(out);
            } catch (ProfileException e) {
                // pstats's do_read prints an OSError's strerror alone ("No such file or directory"); its other
                // exceptions' texts are Python's own ("EOFError: EOF read where not expected"), for which this one
                // line naming the file and the problem stands (see KnownDifferencesIT).
                out.print((e.errno() != 0 ? e.problem() : e.getMessage()) + "\n");
                return;
            }
            prompt = file + "% ";
            stripped = false;
            diffKey = null;
        } else if (prompt.length() > 2) {
            doRead(prompt.substring(0, prompt.length() - 2));
        } else {
            out.print("No statistics object is current -- cannot reload.\n");
        }
    }

    public void doAdd(String file) {
        if (!loaded()) return;
        try {
            stats.add(file);
        } catch (ProfileException e) {
            // pstats's do_add: "Failed to load statistics for %s: %s" % (line, OSError), the error as Python's str
            // gives it; python3 stops with a traceback on anything else, where the problem's one line stands.
            out.print("Failed to load statistics for " + file + ": " + (e.errno() != 0 ? e.pythonOsError() : e.problem())
                    + "\n");
        }
    }

    private void doSort(String arg) {
        if (!loaded()) return;
        List<String> words = PyText.split(arg);
        boolean valid = !arg.isEmpty();
        for (String w : words) valid &= SortKeys.lookup(w) != null;
        if (valid) {
            stats.sortStats(words.toArray(new String[0]));
            diffKey = ProfileDiff.Key.lookup(words.get(0));
        } else {
            StringBuilder b = new StringBuilder("Valid sort keys (unique prefixes are accepted):\n");
            for (Map.Entry<String, SortKeys.Key> e : SortKeys.DEFAULTS.entrySet()) {
                b.append(e.getKey()).append(" -- ").append(e.getValue().description).append('\n');
            }
            out.print(b);
        }
    }

    /** pstats's {@code generic}: each word becomes an int, a fraction in [0, 1], or a regular expression. */
    private void generic(String report, String arg) {
        List<Object> processed = new ArrayList<>();
        for (String term : PyText.split(arg)) {
            Object n = PyNumbers.parseInt(term);
            if (n != null) {
                processed.add(n);
                continue;
            }
            Double f = PyNumbers.parseFloat(term);
            if (f != null) {
                if (f > 1 || f < 0) {
                    out.print("Fraction argument must be in [0, 1]\n");
                    continue;
                }
                processed.add(f);
                continue;
            }
            processed.add(term);
        }
        if (!loaded()) return;
        Object[] restrictions = processed.toArray();
        switch (report) {
            case "tree": printTree(restrictions); break;
            case "stats": stats.printStats(restrictions); break;
            case "callers": stats.printCallers(restrictions); break;
            default: stats.printCallees(restrictions); break;
        }
    }

    private void doStrip() {
        if (!loaded()) return;
        stats.stripDirs();
        stripped = true;
    }

    /** {@code diff FILE}: the changes from FILE to the current profile. */
    private void doDiff(String file) {
        if (!loaded()) return;
        if (file.isEmpty()) {
            out.print("diff needs a file: diff FILE prints the changes from FILE to the current profile\n");
            return;
        }
        Stats before;
        try {
            before = new Stats(file);
        } catch (ProfileException e) {
            out.print(e.getMessage() + "\n");
            return;
        }
        if (stripped) before.stripDirs();
        ProfileDiff diff = ProfileDiff.of(before.data(), stats.data());
        out.print(DiffReport.render(before, stats, diff, diffKey != null ? diffKey : ProfileDiff.Key.CUMTIME, -1, null));
        out.flush();
    }

    /** {@code tree}: the whole call tree, or the trees under the functions that the restrictions select. */
    private void printTree(Object[] restrictions) {
        CallTree tree = stats.data().tree();
        if (tree == null) {
            out.print("No call tree in this profile: jcprofile records one with --tree.\n");
            return;
        }
        if (restrictions.length == 0) {
            out.print(TreeReport.whole(tree));
        } else {
            List<FunctionKey> selected = stats.printSelection(restrictions);
            if (!selected.isEmpty()) out.print(TreeReport.under(tree, selected));
        }
        out.flush();
    }

    private static final String ARGUMENTS_HELP = "Arguments may be:\n"
            + "* An integer maximum number of entries to print.\n"
            + "* A decimal fractional number between 0 and 1, controlling\n"
            + "  what fraction of selected entries to print.\n"
            + "* A regular expression; only entries with function names\n"
            + "  that match it are printed.\n";

    private void doHelp(String arg) {
        if (arg.isEmpty()) {
            out.print("\nDocumented commands (type help <topic>):\n========================================\n"
                    + columnize(COMMANDS, 79) + "\n");
            return;
        }
        switch (arg) {
            case "add": out.print("Add profile info from given file to current statistics object.\n"); break;
            case "callees": out.print("Print callees statistics from the current stat object.\n" + ARGUMENTS_HELP); break;
            case "callers": out.print("Print callers statistics from the current stat object.\n" + ARGUMENTS_HELP); break;
            case "diff": out.print("Print the changes from a given profile file to the current stat object:\n"
                    + "each function's ncalls, tottime and cumtime before, after and their change,\n"
                    + "the largest change first (in the first sort key when it is calls, time or\n"
                    + "cumulative, else in cumulative time); functions on one side only are marked\n"
                    + "new or gone. After `strip', the file is stripped too.\n"); break;
            case "EOF": case "quit": out.print("Leave the profile browser.\n"); break;
            case "read": out.print("Read in profile data from a specified file.\nWithout argument, reload the current file.\n"); break;
            case "reverse": out.print("Reverse the sort order of the profiling report.\n"); break;
            case "sort": out.print("Sort profile data according to specified keys.\n(Typing `sort' without arguments lists valid keys.)\n"); break;
            case "stats": out.print("Print statistics from the current stat object.\n" + ARGUMENTS_HELP); break;
            case "strip": out.print("Strip leading path information from filenames in the report.\n"); break;
            case "tree": out.print("Print the call tree (recorded by jcprofile --tree) of the current stat object,\n"
                    + "every thread's calls merged: ncalls, tottime and cumtime of each call path.\n"
                    + "Without arguments, from the roots; with arguments, under each function that\n"
                    + "stats would list for them. Paths under 0.5% of a tree's time, and paths more\n"
                    + "than " + TreeReport.MAX_DEPTH + " levels down, are summed up in one line.\n" + ARGUMENTS_HELP); break;
            case "help": out.print("Show help for a given command.\n"); break;
            default: out.print("*** No help on " + arg + "\n");
        }
    }

    /**
     * {@code cmd.Cmd.columnize}: the words in as few rows as fit in {@code width} columns, filled column by column,
     * each column as wide as its longest word, two spaces apart. {@code help} lists the commands so, as python3's
     * cmd would list them for a browser with these commands (pstats's own eleven fit in one row).
     */
    static String columnize(List<String> words, int width) {
        int size = words.size();
        if (size == 0) return "<empty>\n";
        if (size == 1) return words.get(0) + "\n";
        int nrows = size, ncols = 1;
        int[] colwidths = {0};
        for (int rows = 1; rows < size; rows++) {
            int cols = (size + rows - 1) / rows;
            int[] widths = new int[cols];
            int total = -2;
            for (int col = 0; col < cols; col++) {
                for (int row = 0; row < rows; row++) {
                    int i = row + rows * col;
                    if (i >= size) break;
                    widths[col] = Math.max(widths[col], PyText.length(words.get(i)));
                }
                total += widths[col] + 2;
                if (total > width) break;
            }
            if (total <= width) {
                nrows = rows;
                ncols = cols;
                colwidths = widths;
                break;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int row = 0; row < nrows; row++) {
            List<String> texts = new ArrayList<>();
            for (int col = 0; col < ncols; col++) {
                int i = row + nrows * col;
                texts.add(i >= size ? "" : words.get(i));
            }
            while (!texts.isEmpty() && texts.get(texts.size() - 1).isEmpty()) texts.remove(texts.size() - 1);
            for (int col = 0; col < texts.size(); col++) {
                if (col > 0) b.append("  ");
                b.append(PyText.ljust(texts.get(col), colwidths[col]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Python's {@code int()} and {@code float()} on one word, as pstats's browser tries them. */
    static final class PyNumbers {
        /** CPython's default limit on the digits of an int read from a decimal string. */
        static final int MAX_STR_DIGITS = 4300;

        /** A Long or BigInteger, or null when Python's int() would refuse the word. */
        static Object parseInt(String term) {
            String t = asciiDigits(term);
            if (!PyText.isIntLiteral(t)) return null;
            String digits = t.replace("_", "");
            // Python refuses decimal strings of more than 4300 digits (sys.get_int_max_str_digits()); the word is
            // then tried as a float.
            if (digits.length() - (digits.charAt(0) == '+' || digits.charAt(0) == '-' ? 1 : 0) > MAX_STR_DIGITS) {
                return null;
            }
            // 18 characters, a sign included, always fit in a long: BigInteger, and its class set-up, only beyond.
            if (digits.length() <= 18) return Long.parseLong(digits);
            BigInteger v = new BigInteger(digits);
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        }

        static Double parseFloat(String term) {
            String t = asciiDigits(term);
            String l = t.toLowerCase(java.util.Locale.ROOT);
            String body = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
            if (body.equals("nan")) return Double.NaN;
            if (body.equals("inf") || body.equals("infinity")) {
                return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (!PyText.isFloatLiteral(t, true)) return null;
            return Double.parseDouble(t.replace("_", ""));
        }

        /** Python reads any Unicode decimal digit as its value. */
        private static String asciiDigits(String s) {
            StringBuilder b = null;
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                int n = Character.charCount(c);
                if (c > 0x7f && Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER) {
                    if (b == null) b = new StringBuilder(s.substring(0, i));
                    b.append((char) ('0' + Character.digit(c, 10)));
                } else if (b != null) {
                    b.appendCodePoint(c);
                }
                i += n;
            }
            return b == null ? s : b.toString();
        }
    }
}
