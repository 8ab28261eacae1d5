package dev.jcprofile.browser;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.ProfileDiff;

import java.io.PrintStream;

/**
 * jpstats's reports on the command line: {@code --collapsed} and {@code --diff}. Exit status 0 when the report is
 * printed, 1 when a profile cannot be used (unreadable, damaged, without a call tree), 2 for a command line that
 * cannot be run; each problem is one line on standard error.
 */
final class Reports {
    private Reports() {}

    /** The line for a profile recorded without its call tree. */
    static String noTree(String file) {
        return file + ": no call tree in this profile (record one with jcprofile --tree)";
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        ReportOptions o;
        try {
            o = ReportOptions.parse(args);
        } catch (ReportOptions.Invalid e) {
            err.println("jpstats: " + e.getMessage());
            return 2;
        }
        try {
            return o.collapsed() ? collapsed(o, out, err) : diff(o, out);
        } catch (ProfileException e) {
            err.println("jpstats: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
    }

    /** Every file's tree, merged path by path; nothing is printed unless every file has one. */
    private static int collapsed(ReportOptions o, PrintStream out, PrintStream err) throws ProfileException {
        CallTree merged = new CallTree();
        for (String file : o.files()) {
            CallTree tree = new Stats(file).data().tree();
            if (tree == null) {
                err.println("jpstats: " + noTree(file));
                return 1;
            }
            merged.addAll(tree);
        }
        Collapsed.Written w = Collapsed.write(merged, o.metric(), o.threads(), out);
        if (w.negative() > 0) {
            out.flush();
            err.println("jpstats: " + w.negative() + " paths with a negative own time left out (no collapsed-stack"
                    + " reader takes one)");
        }
        return 0;
    }

    private static int diff(ReportOptions o, PrintStream out) throws ProfileException {
        Stats before = new Stats(o.files().get(0)), after = new Stats(o.files().get(1));
        if (o.strip()) {
            before.stripDirs();
            after.stripDirs();
        }
        ProfileDiff diff = ProfileDiff.of(before.data(), after.data());
        out.print(DiffReport.render(before, after, diff, o.sortKey(), o.limit(), "--limit " + o.limit()));
        return 0;
    }
}
