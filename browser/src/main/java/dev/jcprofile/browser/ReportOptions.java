package dev.jcprofile.browser;

import dev.jcprofile.format.ProfileDiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * jpstats's command line when it asks for a report rather than the browser: {@code --collapsed} or
 * {@code --diff}, with their options, parsed into one value. Without either, every argument is a file for the
 * browser, as {@code python3 -m pstats} takes them (a file may then be called {@code -s}).
 *
 * @param collapsed {@code --collapsed}: collapsed stacks of the files' call trees
 * @param diff      {@code --diff}: the change from the first file to the second
 * @param files     the profiles named
 * @param metric    {@code --metric}: the collapsed stacks' value
 * @param threads   {@code --threads}: each thread's paths apart, under a first frame naming it
 * @param sortKey   {@code -s}/{@code --sort}: the figure a diff is ordered by
 * @param limit     {@code --limit}: the diff's lines at most; -1 for all
 * @param strip     {@code --strip}: directories stripped from the diff's file names
 */
record ReportOptions(boolean collapsed, boolean diff, List<String> files, Collapsed.Metric metric, boolean threads,
                     ProfileDiff.Key sortKey, long limit, boolean strip) {

    /** A command line that cannot be run; its message is one line naming the argument. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** True when {@code args} ask for a report: one of them (before a {@code --}) is {@code --collapsed} or {@code --diff}. */
    static boolean requested(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("--collapsed") || a.equals("--diff")) return true;
        }
        return false;
    }

    static ReportOptions parse(String[] args) throws Invalid {
        boolean collapsed = false, diff = false, threads = false, strip = false;
        Collapsed.Metric metric = null;
        ProfileDiff.Key sortKey = null;
        long limit = -1;
        boolean limitGiven = false;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                for (i++; i < args.length; i++) files.add(args[i]);
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                files.add(a);
                continue;
            }
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (a.startsWith("-s") && a.length() > 2) {
                name = "-s";
                value = a.substring(2);
            }
            switch (name) {
                case "--collapsed": noValue(name, value); collapsed = true; break;
                case "--diff": noValue(name, value); diff = true; break;
                case "--threads": noValue(name, value); threads = true; break;
                case "--strip": noValue(name, value); strip = true; break;
                case "--metric": {
                    String v = value != null ? value : next(args, ++i, name);
                    if (v.equals("tottime")) metric = Collapsed.Metric.TOTTIME;
                    else if (v.equals("calls")) metric = Collapsed.Metric.CALLS;
                    else throw new Invalid("--metric takes tottime or calls, not '" + v + "'");
                    break;
                }
                case "-s":
                case "--sort": {
                    String v = value != null ? value : next(args, ++i, name);
                    sortKey = ProfileDiff.Key.lookup(v);
                    if (sortKey == null) {
                        throw new Invalid(name + " takes calls (ncalls), tottime (time) or cumtime (cumulative), not '"
                                + v + "'");
                    }
                    break;
                }
                case "--limit": {
                    String v = value != null ? value : next(args, ++i, name);
                    try {
                        limit = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        limit = -1;
                    }
                    if (limit < 0) throw new Invalid("--limit takes a number of lines (0 or more), not '" + v + "'");
                    limitGiven = true;
                    break;
                }
                default:
                    throw new Invalid("unknown option " + a + " (jpstats --help lists them)");
            }
        }
        if (collapsed && diff) throw new Invalid("--collapsed and --diff are two reports: give one of them");
        if (collapsed) {
            if (sortKey != null) throw new Invalid("-s goes with --diff, not --collapsed");
            if (limitGiven) throw new Invalid("--limit goes with --diff, not --collapsed");
            if (strip) throw new Invalid("--strip goes with --diff: --collapsed always strips directories");
            if (files.isEmpty()) throw new Invalid("--collapsed needs a profile: jpstats --collapsed FILE...");
        } else {
            if (metric != null) throw new Invalid("--metric goes with --collapsed, not --diff");
            if (threads) throw new Invalid("--threads goes with --collapsed, not --diff");
            if (files.size() != 2) {
                throw new Invalid("--diff compares two profiles, BEFORE and AFTER, not " + files.size()
                        + ": jpstats --diff BEFORE AFTER");
            }
        }
        return new ReportOptions(collapsed, diff, Collections.unmodifiableList(files),
                metric == null ? Collapsed.Metric.TOTTIME : metric, threads,
                sortKey == null ? ProfileDiff.Key.CUMTIME : sortKey, limit, strip);
    }

    private static void noValue(String name, String value) throws Invalid {
        if (value != null) throw new Invalid(name + " takes no value");
    }

    private static String next(String[] args, int i, String name) throws Invalid {
        if (i >= args.length) throw new Invalid(name + " needs a value");
        return args[i];
    }
}
