package dev.jcprofile.browser;

import dev.jcprofile.format.ProfileDiff;
import dev.jcprofile.format.ProfileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jpstats --collapsed} and {@code --diff}: the command line, exit statuses and one-line errors. */
class ReportsTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Reports.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void reportsAreAskedForByTheirOptionOnlyAndEverythingElseIsTheBrowsersFiles() {
        assertTrue(ReportOptions.requested(new String[] {"--diff", "a", "b"}));
        assertTrue(ReportOptions.requested(new String[] {"a", "--collapsed"}));
        assertFalse(ReportOptions.requested(new String[] {"a", "-s", "b"}));
        assertFalse(ReportOptions.requested(new String[] {"--", "--diff"}));
        assertFalse(ReportOptions.requested(new String[] {}));
    }

    @Test
    void optionsInAnyOrderAndBothSpellings() throws Exception {
        ReportOptions o = ReportOptions.parse(new String[] {"--diff", "a", "b"});
        assertTrue(o.diff() && !o.collapsed());
        assertEquals(List.of("a", "b"), o.files());
        assertEquals(ProfileDiff.Key.CUMTIME, o.sortKey());
        assertEquals(-1, o.limit());
        assertFalse(o.strip());
        o = ReportOptions.parse(new String[] {"a", "-s", "time", "--diff", "--limit", "5", "b", "--strip"});
        assertEquals(List.of("a", "b"), o.files());
        assertEquals(ProfileDiff.Key.TOTTIME, o.sortKey());
        assertEquals(5, o.limit());
        assertTrue(o.strip());
        o = ReportOptions.parse(new String[] {"--diff", "-sncalls", "--limit=0", "--", "-a", "--b"});
        assertEquals(ProfileDiff.Key.CALLS, o.sortKey());
        assertEquals(0, o.limit());
        assertEquals(List.of("-a", "--b"), o.files());
        o = ReportOptions.parse(new String[] {"--sort=cumulative", "--diff", "a", "b"});
        assertEquals(ProfileDiff.Key.CUMTIME, o.sortKey());
        o = ReportOptions.parse(new String[] {"--collapsed", "a", "b", "c"});
        assertTrue(o.collapsed());
        assertEquals(Collapsed.Metric.TOTTIME, o.metric());
        assertFalse(o.threads());
        o = ReportOptions.parse(new String[] {"--collapsed", "--metric=calls", "--threads", "a"});
        assertEquals(Collapsed.Metric.CALLS, o.metric());
        assertTrue(o.threads());
        assertEquals(Collapsed.Metric.TOTTIME, ReportOptions.parse(new String[] {"--metric", "tottime", "--collapsed", "a"}).metric());
        assertThrows(ReportOptions.Invalid.class, () -> ReportOptions.parse(new String[] {"--collapsed", "--metric"}));
    }

    @Test
    void aCommandLineThatCannotRunIsOneLineAndStatus2() {
        Object[] cases = {
            new String[] {"--diff", "a"}, "--diff compares two profiles, BEFORE and AFTER, not 1: jpstats --diff BEFORE AFTER",
            new String[] {"--diff", "a", "b", "c"}, "--diff compares two profiles, BEFORE and AFTER, not 3: jpstats --diff BEFORE AFTER",
            new String[] {"--collapsed"}, "--collapsed needs a profile: jpstats --collapsed FILE...",
            new String[] {"--collapsed", "--diff", "a", "b"}, "--collapsed and --diff are two reports: give one of them",
            new String[] {"--diff", "a", "b", "-s", "name"}, "-s takes calls (ncalls), tottime (time) or cumtime (cumulative), not 'name'",
            new String[] {"--diff", "a", "b", "--sort=pcalls"}, "--sort takes calls (ncalls), tottime (time) or cumtime (cumulative), not 'pcalls'",
            new String[] {"--diff", "a", "b", "--limit", "-3"}, "--limit takes a number of lines (0 or more), not '-3'",
            new String[] {"--diff", "a", "b", "--limit", "ten"}, "--limit takes a number of lines (0 or more), not 'ten'",
            new String[] {"--diff", "a", "b", "--limit"}, "--limit needs a value",
            new String[] {"--diff", "a", "b", "--metric", "calls"}, "--metric goes with --collapsed, not --diff",
            new String[] {"--diff", "a", "b", "--threads"}, "--threads goes with --collapsed, not --diff",
            new String[] {"--collapsed", "a", "--metric", "cumtime"}, "--metric takes tottime or calls, not 'cumtime'",
            new String[] {"--collapsed", "a", "-s", "calls"}, "-s goes with --diff, not --collapsed",
            new String[] {"--collapsed", "a", "--limit", "3"}, "--limit goes with --diff, not --collapsed",
            new String[] {"--collapsed", "a", "--strip"}, "--strip goes with --diff: --collapsed always strips directories",
            new String[] {"--collapsed", "a", "--frobnicate"}, "unknown option --frobnicate (jpstats --help lists them)",
            new String[] {"--collapsed=yes", "--diff", "a", "b"}, "--collapsed takes no value",
        };
        for (int i = 0; i < cases.length; i += 2) {
            String[] args = (String[]) cases[i];
            Run r = run(args);
            assertEquals(2, r.status, String.join(" ", args));
            assertEquals("jpstats: " + cases[i + 1] + "\n", r.err);
            assertEquals("", r.out);
        }
    }

    @Test
    void profilesThatCannotBeUsedAreOneLineAndStatus1() throws Exception {
        Path before = dir.resolve("before.prof"), after = dir.resolve("after.prof"), missing = dir.resolve("missing.prof");
        ProfileFiles.write(DiffCommandTest.before(), before, before.toString());
        ProfileFiles.write(DiffCommandTest.after(), after, after.toString());
        Run r = run("--collapsed", before.toString());
        assertEquals(1, r.status);
        assertEquals("jpstats: " + before + ": no call tree in this profile (record one with jcprofile --tree)\n", r.err);
        assertEquals("", r.out);
        r = run("--diff", before.toString(), missing.toString());
        assertEquals(1, r.status);
        assertEquals("jpstats: " + missing + ": No such file or directory\n", r.err);
        assertEquals("", r.out);
        r = run("--collapsed", missing.toString());
        assertEquals(1, r.status);
        assertEquals("jpstats: " + missing + ": No such file or directory\n", r.err);
    }

    @Test
    void theDiffOfTwoFiles() throws Exception {
        Path before = dir.resolve("before.prof"), after = dir.resolve("after.prof");
        ProfileFiles.write(DiffCommandTest.before(), before, before.toString());
        ProfileFiles.write(DiffCommandTest.after(), after, after.toString());
        Run r = run("--diff", before.toString(), after.toString(), "--strip", "--limit", "1");
        assertEquals(0, r.status, r.err);
        assertEquals("", r.err);
        assertTrue(r.out.startsWith("   before: ") && r.out.contains("    " + before + "\n"), r.out);
        assertTrue(r.out.contains("   List reduced from 4 to 1 due to --limit 1\n"), r.out);
        assertTrue(r.out.endsWith("   -75.0%  M.java:5(slow)\n\n"), r.out);
    }

    @Test
    void theHelpNamesEveryOption() {
        for (String option : List.of("--collapsed", "--metric", "--threads", "--diff", "-s KEY", "--limit N", "--strip",
                "\\x3b", "jcprofile --tree", "tree [RESTRICTION...]", "diff FILE")) {
            assertTrue(Main.USAGE.contains(option), option);
        }
        for (String line : Main.USAGE.split("\n")) assertTrue(line.length() <= 100, line);
    }
}
