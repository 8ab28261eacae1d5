package dev.jcprofile.e2e;

import dev.jcprofile.Stats;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jpstats --diff} and the browser's {@code diff} on the README's example: the slow migration profiled with its
 * pause ({@code before.prof}) and with the pause taken out ({@code -Dmigrate.pace=0}, {@code after.prof}), as the
 * README makes them. The diff must put the slow migration's path first: every function above the sleep's row is one
 * that the sleep's time went through (its callers, theirs, and so on up to main).
 *
 * <p>The pause is ten seconds here, not the README's one: on a loaded machine the start-up (SQLite's driver
 * comparing and loading its native library) was seen to take seconds longer in one run than in the other, a
 * change as real as the pause's, which a one-second pause does not outweigh. The runs are made one at a time.
 */
@Execution(ExecutionMode.CONCURRENT)
class DiffIT {
    static final Path EXAMPLE_JAR = E2E.ROOT.resolve("examples/slow-migration/target/slow-migration.jar");
    private static final String SLEEP = "{built-in method java.lang.Thread.sleep}";

    /** The example's jar, built as the README builds it when it is missing. */
    static Path exampleJar() {
        return E2E.once("slow-migration.jar", () -> {
            if (!Files.isRegularFile(EXAMPLE_JAR)) {
                Proc.of("mvn", "-q", "-f", "examples/slow-migration/pom.xml", "package").run().expectExit(0);
            }
            return EXAMPLE_JAR;
        });
    }

    record Profiles(Path dir, Path before, Path after) {}

    private static final Object ONE_RUN_AT_A_TIME = new Object();

    /** before.prof and after.prof, made by the README's commands (with a pause of ten seconds) on {@code jdk}. */
    static Profiles profiles(Jdk jdk) {
        return E2E.once(List.of("slow-migration before/after", jdk.label), () -> {
            Path jar = exampleJar();
            Path dir = E2E.tempDir("diff");
            Path before = dir.resolve("before.prof"), after = dir.resolve("after.prof");
            synchronized (ONE_RUN_AT_A_TIME) {
                E2E.jcprofile(jdk, List.of("-o", before.toString()), "-Dmigrate.pace=10", "-jar", jar.toString(),
                        "migrate", "5").run().expectExit(0);
                E2E.jcprofile(jdk, List.of("-o", after.toString()), "-Dmigrate.pace=0", "-jar", jar.toString(),
                        "migrate", "5").run().expectExit(0);
            }
            return new Profiles(dir, before, after);
        });
    }

    private static Proc.Result jpstats(Jdk jdk, Path dir, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(E2E.JPSTATS.toString()));
        cmd.addAll(List.of(args));
        return Proc.of(cmd).jdk(jdk).dir(dir).stdin(stdin).run();
    }

    /** The table's rows: each function's name, from the heading's name column on. */
    static List<String> names(String report) {
        List<String> names = new ArrayList<>();
        int column = -1;
        for (String line : report.split("\n")) {
            if (line.endsWith("filename:lineno(function)")) {
                column = line.indexOf("filename:lineno(function)");
                continue;
            }
            if (column < 0) continue;
            if (line.isEmpty()) break;
            names.add(line.substring(column));
        }
        return names;
    }

    /** The functions whose calls the sleep's time went through: its callers, theirs, ... (names after strip). */
    private static Set<String> sleepsPath(Path before) throws Exception {
        ProfileData d = new Stats(before.toString()).stripDirs().data();
        Set<String> seen = new HashSet<>();
        Deque<FunctionKey> todo = new ArrayDeque<>();
        todo.add(d.key(d.entryOf(new FunctionKey("~", 0, "<built-in method java.lang.Thread.sleep>"))));
        while (!todo.isEmpty()) {
            FunctionKey k = todo.poll();
            if (!seen.add(k.stdString())) continue;
            int e = d.entryOf(k);
            for (int i = d.callersStart(e); i < d.callersEnd(e); i++) todo.add(d.keyById(d.edgeKey(i)));
        }
        return seen;
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void theSlowMigrationsPathComesFirst(Jdk jdk) throws Exception {
        Profiles p = profiles(jdk);
        Proc.Result r = jpstats(jdk, p.dir(), "", "--diff", "before.prof", "after.prof", "--strip").expectExit(0);
        assertEquals("", r.stderr(), r.toString());
        String out = r.stdout();
        assertTrue(out.startsWith("   before: ") && out.contains("    before.prof\n") && out.contains("    after.prof\n"), out);
        assertTrue(out.contains("   Ordered by: change in cumulative time\n"), out);
        List<String> names = names(out);
        Set<String> path = sleepsPath(p.before());
        List<String> landmarks = new ArrayList<>(List.of("Migrations.java:59(Migrations$BackfillOrderTotals.forward)",
                "JDBC3Statement.java:82(JDBC3Statement.executeQuery)",
                "{method 'step' of 'org.sqlite.core.NativeDB' objects}",
                "Migrations.java:63(Migrations$BackfillOrderTotals$1.xFunc)", SLEEP));
        assertTrue(path.containsAll(landmarks), path.toString());
        int i = 0;
        for (; !landmarks.isEmpty(); i++) {
            assertTrue(i < names.size(), "not every landmark listed: " + landmarks + "\n" + out);
            assertTrue(path.contains(names.get(i)), "row " + (i + 1) + ", " + names.get(i)
                    + ", comes before the slow migration's path is listed:\n" + out);
            landmarks.remove(names.get(i));
        }
        // The sleep's row: one call on each side, ten seconds of its own time before and almost none after.
        String sleep = out.lines().filter(l -> l.endsWith("  " + SLEEP)).findFirst().orElseThrow();
        String[] f = sleep.trim().split("\\s+");
        assertEquals(List.of("1", "1", "0"), List.of(f[0], f[1], f[2]), sleep);
        assertTrue(Double.parseDouble(f[3]) >= 9.99 && Double.parseDouble(f[4]) < 5
                && Double.parseDouble(f[5]) <= -5 && Double.parseDouble(f[6].replace("%", "")) <= -90, sleep);

        // By own time, the sleep itself comes first.
        r = jpstats(jdk, p.dir(), "", "--diff", "before.prof", "after.prof", "--strip", "-s", "tottime", "--limit", "3")
                .expectExit(0);
        assertEquals(SLEEP, names(r.stdout()).get(0), r.stdout());
        assertEquals(3, names(r.stdout()).size(), r.stdout());
        assertTrue(r.stdout().contains("   Ordered by: change in internal time\n"), r.stdout());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void theBrowsersDiffIsTheSameTable(Jdk jdk) throws Exception {
        Profiles p = profiles(jdk);
        String cli = jpstats(jdk, p.dir(), "", "--diff", "before.prof", "after.prof", "--strip").expectExit(0).stdout();
        Proc.Result r = jpstats(jdk, p.dir(), "strip\ndiff before.prof\n", "after.prof").expectExit(0);
        assertEquals("", r.stderr());
        String browser = r.stdout();
        String table = cli.substring(cli.indexOf("   Ordered by: "));
        assertTrue(browser.startsWith("Welcome to the profile statistics browser.\nafter.prof% after.prof%    before: "),
                browser);
        assertTrue(browser.endsWith(table + "after.prof% \nGoodbye.\n"), browser);
        // Without strip in the browser, the file's full names match the current profile's as well.
        Proc.Result full = jpstats(jdk, p.dir(), "diff before.prof\n", "after.prof").expectExit(0);
        String forward = full.stdout().lines()
                .filter(l -> l.endsWith("  com/example/migrate/Migrations.java:59(Migrations$BackfillOrderTotals.forward)"))
                .findFirst().orElseThrow(() -> new AssertionError(full.stdout()));
        assertTrue(forward.startsWith("          1         1         0  ") && !forward.contains("new")
                && !forward.contains("gone"), forward);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void badArgumentsAndBadFilesAreOneLine(Jdk jdk) throws Exception {
        Profiles p = profiles(jdk);
        Proc.Result r = jpstats(jdk, p.dir(), "", "--diff", "before.prof").expectExit(2);
        assertEquals("jpstats: --diff compares two profiles, BEFORE and AFTER, not 1: jpstats --diff BEFORE AFTER\n",
                r.stderr());
        assertEquals("", r.stdout());
        r = jpstats(jdk, p.dir(), "", "--diff", "before.prof", "after.prof", "-s", "nfl").expectExit(2);
        assertEquals("jpstats: -s takes calls (ncalls), tottime (time) or cumtime (cumulative), not 'nfl'\n", r.stderr());
        r = jpstats(jdk, p.dir(), "", "--diff", "before.prof", "nosuch.prof").expectExit(1);
        assertEquals("jpstats: nosuch.prof: No such file or directory\n", r.stderr());
        assertEquals("", r.stdout());
        Path text = Files.writeString(p.dir().resolve("notes.txt"), "not a profile\n");
        r = jpstats(jdk, p.dir(), "", "--diff", text.getFileName().toString(), "after.prof").expectExit(1);
        assertTrue(r.stderr().startsWith("jpstats: notes.txt: ") && r.stderr().indexOf('\n') == r.stderr().length() - 1,
                r.stderr());
        r = jpstats(jdk, p.dir(), "", "--help").expectExit(0);
        assertTrue(r.stdout().contains("       jpstats --diff BEFORE AFTER [-s KEY] [--limit N] [--strip]\n"), r.stdout());
    }
}
