package dev.jcprofile.e2e;

import dev.jcprofile.Stats;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the profile goes and how the command line reads: -o, the printed table, -s, --help, bad options, agent options. */
@Execution(ExecutionMode.CONCURRENT)
class OutputIT {
    private static final String MAIN = "com.example.exits.Exits";

    private static String classes() {
        return Programs.compile("exits").toString();
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static String digest(byte[] bytes) throws Exception {
        return bytes.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ------------------------------------------------------------------ the profile file

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void profileReplacesAnOldFileAtomically(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("atomic");
        Path out = dir.resolve("watched.prof");
        byte[] old = "an older file of that name".getBytes(StandardCharsets.UTF_8);
        Files.write(out, old);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", out.toString()), "-cp", classes(), MAIN, "watch", out.toString())
                .dir(dir).run().expectExit(0);

        Prof.read(out); // complete and readable
        byte[] now = Files.readAllBytes(out);
        // The program watched the file from its own shutdown hook while the profile was written.
        List<String> seen = r.stderr().lines().filter(l -> l.startsWith("seen ")).map(l -> l.substring(5))
                .collect(Collectors.toList());
        // Its hook may start after the profile is written, so the old file may never have been seen.
        List<String> allowed = List.of(digest(old), digest(now));
        assertTrue(seen.equals(allowed) || seen.equals(allowed.subList(1, 2)),
                "a reader saw something else than the old file and then the new: " + seen + " " + r);
        assertEquals(Set.of("watched.prof", ".jcprofile.lock"), listing(dir), "no temporary file is left");
        // The file it replaces keeps its permissions.
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void nothingRecordedLeavesAnOldFileAlone(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("nothing");
        Path out = dir.resolve("kept.prof");
        Files.writeString(out, "kept");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", out.toString(), "--threads", "^no such thread$"),
                "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        assertEquals("kept", Files.readString(out));
        assertEquals("to stderr\njcprofile: no calls were recorded; " + out + " not written\n", r.stderr());
        assertEquals(Set.of("kept.prof", ".jcprofile.lock"), listing(dir));
    }

    /** An output that cannot be written, and the reason the system gives; made in {@code dir}. */
    static Stream<Arguments> unwritable() {
        return Jdk.all().flatMap(jdk -> Stream.of("missing directory", "a directory", "under a file", "not writable")
                .flatMap(kind -> Stream.of(Arguments.of(jdk, kind, "launcher"), Arguments.of(jdk, kind, "agent"))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("unwritable")
    void unwritableOutputIsSaidBeforeTheRun(Jdk jdk, String kind, String form) throws Exception {
        Path dir = E2E.tempDir("unwritable");
        Path out;
        String problem;
        switch (kind) {
            case "missing directory": out = dir.resolve("no/such/dir/x.prof"); problem = "No such file or directory"; break;
            case "a directory": out = Files.createDirectories(dir.resolve("a-directory/inside")).getParent(); problem = "Is a directory"; break;
            case "under a file": out = Files.writeString(dir.resolve("a-file"), "x").resolve("x.prof"); problem = "Not a directory"; break;
            // Where no one may create a file, the superuser included.
            case "not writable": out = Paths.get("/sys/jcprofile-test.prof"); problem = "Permission denied"; break;
            default: throw new AssertionError(kind);
        }
        Set<String> before = listing(dir);
        String line = "cannot write the profile: " + out + ": " + problem + "\n";
        if (form.equals("launcher")) {
            // The program does not start: it would print "start normal" first thing.
            Proc.Result r = E2E.jcprofile(jdk, List.of("-o", out.toString()), "-cp", classes(), MAIN, "normal")
                    .dir(dir).run().expectExit(2);
            assertEquals("", r.stdout(), r.toString());
            assertEquals("jcprofile: " + line, r.stderr());
        } else {
            // Given to the JVM directly, the profiler never stops the program: it runs, unprofiled.
            Proc.Result plain = E2E.java(jdk, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
            Proc.Result r = E2E.javaWithAgent(jdk, "o=" + out, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
            assertArrayEquals(plain.out, r.out, r.toString());
            assertEquals("jcprofile: not profiling: " + line + plain.stderr(), r.stderr());
        }
        assertEquals(before, listing(dir), "nothing is left behind");
    }

    // ------------------------------------------------------------------ output names for many JVMs

    private static String hostName() throws Exception {
        Path kernel = Paths.get("/proc/sys/kernel/hostname");
        return Files.exists(kernel) ? Files.readString(kernel).trim() : java.net.InetAddress.getLocalHost().getHostName();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("relativeForms")
    void tokensNameTheFileOfEachJvm(Jdk jdk, String form) throws Exception {
        Path dir = E2E.tempDir("tokens");
        String name = "t-%p-%t-%h-%{JCPROFILE_TEST_RUN}-%%.prof";
        // %t is the JVM's local time: the JVM is given its zone, since this JVM's default may have been changed by
        // other tests (the golden ones set Python's).
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Tokyo");
        java.time.LocalDateTime from = java.time.LocalDateTime.now(zone).withNano(0);
        Proc proc = form.equals("launcher")
                ? E2E.jcprofile(jdk, List.of("-o", name), "-cp", classes(), MAIN, "normal")
                : E2E.javaWithAgent(jdk, "o=" + name, "-cp", classes(), MAIN, "normal");
        Proc.Running running = proc.dir(dir).env("JCPROFILE_TEST_RUN", "run 7").env("TZ", zone.getId()).start();
        Proc.Result r = running.waitFor().expectExit(0);
        java.time.LocalDateTime to = java.time.LocalDateTime.now(zone);
        assertEquals("to stderr\n", r.stderr());
        Set<String> files = listing(dir);
        files.remove(".jcprofile.lock");
        assertEquals(1, files.size(), files.toString());
        String file = files.iterator().next();
        Matcher m = Pattern.compile("t-(\\d+)-(\\d{8}-\\d{6})-(.+)-run 7-%\\.prof").matcher(file);
        assertTrue(m.matches(), file);
        // bin/jcprofile execs java: the shell's process is the JVM's.
        assertEquals(running.process.pid(), Long.parseLong(m.group(1)), file);
        java.time.LocalDateTime start = java.time.LocalDateTime.parse(m.group(2), java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        assertTrue(!start.isBefore(from) && !start.isAfter(to), file + " started between " + from + " and " + to);
        assertEquals(hostName(), m.group(3));
        assertEquals(java.util.Map.of("Exits.work", "100"), Prof.read(dir.resolve(file)).fn("Exits.square").callers());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("relativeForms")
    void aPercentInTheLaunchDirectoryIsNotAToken(Jdk jdk, String form) throws Exception {
        Path dir = Files.createDirectories(E2E.tempDir("percent").resolve("100%q %p"));
        Proc proc = form.equals("launcher")
                ? E2E.jcprofile(jdk, List.of("-o", "rel-%%.prof"), "-cp", classes(), MAIN, "normal")
                : E2E.javaWithAgent(jdk, "o=rel-%%.prof", "-cp", classes(), MAIN, "normal");
        proc.dir(dir).run().expectExit(0);
        Prof.read(dir.resolve("rel-%.prof")).fn("Exits.square");
    }

    static Stream<Arguments> badNames() {
        return Jdk.all().flatMap(jdk -> Stream.of(
                Arguments.of(jdk, "x-%q.prof", "unknown token %q (valid: %p process id, %t start time, %h host name, "
                        + "%{NAME} environment variable, %% a %)"),
                Arguments.of(jdk, "x-%{JCPROFILE_NOT_SET}.prof", "environment variable JCPROFILE_NOT_SET is not set"),
                Arguments.of(jdk, "x-%", "ends with a lone % (write %% for a percent sign)")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badNames")
    void aBadOutputNameIsOneLine(Jdk jdk, String name, String problem) {
        Path dir = E2E.tempDir("bad-name");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", name), "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(2);
        assertEquals("", r.stdout(), r.toString());
        assertEquals("jcprofile: output name '" + dir.resolve(name) + "': " + problem + "\n", r.stderr());

        Proc.Result plain = E2E.java(jdk, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        Proc.Result agent = E2E.javaWithAgent(jdk, "o=" + name, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        assertArrayEquals(plain.out, agent.out, agent.toString());
        assertEquals("jcprofile: not profiling: output name '" + name + "': " + problem + "\n" + plain.stderr(), agent.stderr());
    }

    /** %T is each thread's, filled in when the profile is written: the name is not refused for it. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void eachThreadsTokenIsAccepted(Jdk jdk) {
        Path dir = E2E.tempDir("thread-token");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", "t-%p-%T.prof"), "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        assertEquals("to stderr\n", r.stderr());
    }

    /**
     * JVMs given one name at the same time: the first keeps it, each other writes NAME-PID and says so; all the
     * profiles are whole. A JVM given the name after the others ended replaces the file, as a second run does.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void jvmsSharingANameKeepEveryProfile(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("shared-name");
        Path out = dir.resolve("same.prof");
        Proc.Running first = E2E.jcprofile(jdk, List.of("-o", "same.prof"), "-cp", classes(), MAIN, "loop").dir(dir).start();
        first.awaitStdout("ready\n");

        Proc.Running second = E2E.jcprofile(jdk, List.of("-o", "same.prof"), "-cp", classes(), MAIN, "normal").dir(dir).start();
        Proc.Result secondResult = second.waitFor().expectExit(0);
        Path secondOut = dir.resolve("same-" + second.process.pid() + ".prof");
        assertEquals("jcprofile: another running JVM writes " + out + "; this one's profile goes to " + secondOut
                + "\nto stderr\n", secondResult.stderr());

        Proc.Running third = E2E.javaWithAgent(jdk, "o=same.prof", "-cp", classes(), MAIN, "exit").dir(dir).start();
        Proc.Result thirdResult = third.waitFor().expectExit(3);
        Path thirdOut = dir.resolve("same-" + third.process.pid() + ".prof");
        assertEquals("jcprofile: another running JVM writes " + out + "; this one's profile goes to " + thirdOut
                + "\nto stderr\n", thirdResult.stderr());

        first.signal("TERM");
        Proc.Result firstResult = first.waitFor().expectExit(143);
        assertEquals("to stderr\n", firstResult.stderr());
        assertEquals(Set.of(".jcprofile.lock", "same.prof", secondOut.getFileName().toString(), thirdOut.getFileName().toString()),
                listing(dir));
        assertTrue(Prof.read(out).fn("Exits.tick").nc > 0, "the first JVM's profile, the only one that ticks");
        for (Path p : List.of(secondOut, thirdOut)) {
            Prof prof = Prof.read(p);
            assertEquals(java.util.Map.of("Exits.work", "100"), prof.fn("Exits.square").callers());
            assertFalse(prof.has("Exits.tick"), p.toString());
        }

        // The others have ended: a new run takes the name back.
        Proc.Result again = E2E.jcprofile(jdk, List.of("-o", "same.prof"), "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        assertEquals("to stderr\n", again.stderr());
        assertFalse(Prof.read(out).has("Exits.tick"), "replaced");
        assertEquals(4, listing(dir).size(), listing(dir).toString());
    }

    static Stream<Arguments> relativeForms() {
        return Jdk.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, "launcher"), Arguments.of(jdk, "agent")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("relativeForms")
    void relativeOutputIsResolvedAgainstTheLaunchDirectory(Jdk jdk, String form) throws Exception {
        Path launch = E2E.tempDir("launch-dir");
        Path elsewhere = E2E.tempDir("elsewhere");
        Files.createDirectories(launch.resolve("sub"));
        Files.createDirectories(elsewhere.resolve("sub"));
        String launchClasses = Programs.compile("launch").toString();
        // The program moves user.dir before the profile is written.
        String[] args = {"-cp", launchClasses, "com.example.launch.Main", "--user.dir=" + elsewhere};
        Proc proc = form.equals("launcher")
                ? E2E.jcprofile(jdk, List.of("-o", "sub/rel.prof"), args)
                : E2E.javaWithAgent(jdk, "o=sub/rel.prof", args);
        proc.dir(launch).run().expectExit(0);
        Prof.read(launch.resolve("sub/rel.prof")).fn("Main.describe");
        assertEquals(Set.of(), listing(elsewhere.resolve("sub")));
    }

    // ------------------------------------------------------------------ the table printed without -o

    /** The table jpstats would print for a profile, stripped and sorted as cProfile's command line does. */
    private static String table(Path profile, String sort) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new Stats(Prof.read(profile).data).stream(buf).stripDirs().sortStats(sort).printStats();
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Times differ from run to run; counts, names and (for a sort on them) order do not. */
    private static String maskTimes(String table) {
        return table.replaceAll("\\d+\\.\\d{3}", "T");
    }

    static Stream<Arguments> sorts() {
        return Jdk.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, List.of(), "stdname"),
                Arguments.of(jdk, List.of("-s", "ncalls"), "ncalls"),
                Arguments.of(jdk, List.of("-s", "cumtime"), "cumtime")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sorts")
    void withoutOutputTheTableIsPrintedAtTheEnd(Jdk jdk, List<String> options, String sort) throws Exception {
        Path dir = E2E.tempDir("table");
        Proc.Result plain = E2E.java(jdk, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        Proc.Result printed = E2E.jcprofile(jdk, options, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        Path out = dir.resolve("same.prof");
        List<String> withO = new ArrayList<>(options);
        withO.addAll(List.of("-o", out.toString()));
        E2E.jcprofile(jdk, withO, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);

        assertArrayEquals(plain.err, printed.err, printed.toString());
        assertTrue(printed.stdout().startsWith(plain.stdout()), printed.toString());
        String table = printed.stdout().substring(plain.stdout().length());
        String expected = table(out, sort);
        assertTrue(table.contains("   Ordered by: " + (sort.equals("cumtime") ? "cumulative time" : sort.equals("ncalls")
                ? "call count" : "standard name") + "\n"), table);
        assertFalse(table.contains("com/example/"), "directories are stripped: " + table);
        if (sort.equals("cumtime")) {
            // Ordered by times that differ between the runs: the same rows, each row's cumtime no more than the last.
            assertEquals(rows(maskTimes(expected)), rows(maskTimes(table)));
            double last = Double.MAX_VALUE;
            for (String row : table.lines().filter(l -> l.matches(" +\\d+(/\\d+)? +\\d+\\.\\d{3} .*")).collect(Collectors.toList())) {
                double cumtime = Double.parseDouble(row.trim().split(" +")[3]);
                assertTrue(cumtime <= last, table);
                last = cumtime;
            }
        } else {
            assertEquals(maskTimes(expected), maskTimes(table));
        }
    }

    private static Set<String> rows(String table) {
        return new LinkedHashSet<>(table.lines().sorted().collect(Collectors.toList()));
    }

    // ------------------------------------------------------------------ the command line

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void helpDocumentsEveryOption(Jdk jdk) throws Exception {
        String help = Proc.of(E2E.LAUNCHER.toString(), "--help").jdk(jdk).run().expectExit(0).stdout();
        assertEquals(help, Proc.of(E2E.LAUNCHER.toString(), "-h").jdk(jdk).run().expectExit(0).stdout());
        // Every option the launcher accepts, read from its own option loop.
        String script = Files.readString(E2E.LAUNCHER, StandardCharsets.UTF_8);
        Matcher arms = Pattern.compile("(?m)^ {4}((?:-[-a-z]*)(?:\\|-[-a-z]*)*)\\)").matcher(script);
        List<String> options = new ArrayList<>();
        while (arms.find()) options.addAll(Arrays.asList(arms.group(1).split("\\|")));
        assertTrue(options.containsAll(List.of("-o", "--output", "-s", "--sort", "--timer", "--threads", "--builtins",
                "--include", "--exclude", "-q", "--quiet", "-h", "--help", "--version", "--")), options.toString());
        for (String option : options) {
            assertTrue(Pattern.compile("(?m)^  (.*[ ,])?" + Pattern.quote(option) + "[ ,]").matcher(help).find(),
                    option + " is not documented in:\n" + help);
        }
        // The check's list of our options, for its "did you mean", is the loop's.
        Matcher ours = Pattern.compile("(?m)^ours=\"([^\"]*)\"$").matcher(script);
        assertTrue(ours.find(), "no ours= line in " + E2E.LAUNCHER);
        List<String> withoutEnd = new ArrayList<>(options);
        withoutEnd.remove("--");
        assertEquals(new java.util.TreeSet<>(withoutEnd), new java.util.TreeSet<>(Arrays.asList(ours.group(1).split(" "))));
        // Every option that takes a value takes it after '=' too.
        Matcher valued = Pattern.compile("(?m)^ {4}(?:-[a-z]\\|)?(--[-a-z]+)\\) need ").matcher(script);
        while (valued.find()) assertTrue(script.contains(valued.group(1) + "=*"), valued.group(1) + "=VALUE is not taken");
        assertTrue(help.contains("-javaagent:jcprofile.jar=o="), help);
        // What ExitsIT checks, said to the user: which endings write the profile.
        assertTrue(help.contains("SIGINT or SIGTERM (not on Runtime.halt or SIGKILL)"), help);
        String version = Proc.of(E2E.LAUNCHER.toString(), "--version").jdk(jdk).run().expectExit(0).stdout();
        assertTrue(version.matches("jcprofile \\d+\\.\\d+\\.\\d+.*\n"), version);
    }

    static Stream<Arguments> badOptions() {
        List<List<String>> bad = List.of(
                List.of("-s", "bogus"),
                List.of("--sort"),
                List.of("--timer", "sundial"),
                List.of("--builtins", "maybe"),
                List.of("--threads", "("),
                List.of("--include", "com.example-x"),
                List.of("--exclude", "a b"),
                List.of("-o", ""));
        return Jdk.all().flatMap(jdk -> bad.stream().map(b -> Arguments.of(jdk, b)));
    }

    static Stream<Arguments> missingValues() {
        return Jdk.all().flatMap(jdk -> Stream.of("-o", "--output", "-s", "--timer", "--threads", "--include")
                .map(option -> Arguments.of(jdk, option)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("missingValues")
    void optionWithoutItsValueSaysOneLineAndExits2(Jdk jdk, String option) {
        Proc.Result r = Proc.of(E2E.LAUNCHER.toString(), option).jdk(jdk).run().expectExit(2);
        assertEquals("", r.stdout(), r.toString());
        assertEquals("jcprofile: option " + option + " needs a value (see jcprofile --help)\n", r.stderr());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badOptions")
    void badOptionSaysOneLineAndExits2(Jdk jdk, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of(E2E.LAUNCHER.toString()));
        cmd.addAll(options);
        // When the option swallows the rest, the program is what is left: -cp X Main never runs either way.
        cmd.addAll(List.of("-cp", classes(), MAIN, "normal"));
        Proc.Result r = Proc.of(cmd).jdk(jdk).run().expectExit(2);
        assertEquals("", r.stdout(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(r.stderr().startsWith("jcprofile: "), r.toString());
    }

    /** What bin/jcprofile says of an option java would otherwise see, and the program it would run. */
    static Stream<Arguments> strayOptions() {
        String main = MAIN;
        return Jdk.all().flatMap(jdk -> Stream.of(
                // java would say "Unrecognized option: --timr" and exit 1.
                Arguments.of(jdk, List.of("--timr", "wall", "-cp", "CLASSES", main, "normal"),
                        "--timr is an option of neither jcprofile nor java: did you mean --timer? (see jcprofile --help)"),
                Arguments.of(jdk, List.of("-o", "x.prof", "-output", "y.prof", "-jar", "missing.jar"),
                        "-output is an option of neither jcprofile nor java: did you mean --output? (see jcprofile --help)"),
                // java would first complain that the jar is missing.
                Arguments.of(jdk, List.of("--timer", "foo", "-jar", "missing.jar"),
                        "option timer: 'foo' is not a timer (valid: "),
                Arguments.of(jdk, List.of("--timer=foo", "-jar", "missing.jar"),
                        "option timer: 'foo' is not a timer (valid: "),
                Arguments.of(jdk, List.of("-o", "/no/such/dir/x.prof", "-jar", "missing.jar"),
                        "cannot write the profile: /no/such/dir/x.prof: No such file or directory"),
                Arguments.of(jdk, List.of("-Xmx64m", "--timer", "cpu", "-cp", "CLASSES", main, "normal"),
                        "--timer is an option of jcprofile: put it before the JVM's -Xmx64m (see jcprofile --help)")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strayOptions")
    void everyOptionIsCheckedBeforeJavaSeesIt(Jdk jdk, List<String> args, String line) {
        List<String> cmd = new ArrayList<>(List.of(E2E.LAUNCHER.toString()));
        for (String a : args) cmd.add(a.equals("CLASSES") ? classes() : a);
        Proc.Result r = Proc.of(cmd).jdk(jdk).dir(E2E.tempDir("stray")).run().expectExit(2);
        assertEquals("", r.stdout(), r.toString());
        assertTrue(r.stderr().startsWith("jcprofile: " + line), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
    }

    /** After --, what follows is java's, unchecked: java itself then refuses what it does not know. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void afterTheEndOfOptionsJavaDecides(Jdk jdk) {
        Proc.Result r = Proc.of(E2E.LAUNCHER.toString(), "--", "--timr", "-cp", classes(), MAIN, "normal").jdk(jdk)
                .dir(E2E.tempDir("unchecked")).run().expectExit(1);
        assertTrue(r.stderr().contains("Unrecognized option: --timr"), r.toString());
        assertEquals("", r.stdout(), r.toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void optionsTakeTheirValueAfterAnEqualsSign(Jdk jdk) {
        Path dir = E2E.tempDir("equals");
        Path out = dir.resolve("eq.prof");
        E2E.jcprofile(jdk, List.of("--output=" + out, "--timer=sampled", "--threads=^main$"), "-cp", classes(), MAIN, "normal")
                .dir(dir).run().expectExit(0);
        assertEquals(java.util.Map.of("Exits.work", "100"), Prof.read(out).fn("Exits.square").callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void agentOptionsAreTheSameOptions(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("agent");
        Path out = dir.resolve("agent.prof");
        Proc.Result plain = E2E.java(jdk, "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        Proc.Result written = E2E.javaWithAgent(jdk, "o=" + out + ",s=cumtime", "-cp", classes(), MAIN, "normal")
                .dir(dir).run().expectExit(0);
        assertArrayEquals(plain.out, written.out, written.toString());
        assertEquals(java.util.Map.of("Exits.work", "100"), Prof.read(out).fn("Exits.square").callers());

        Proc.Result printed = E2E.javaWithAgent(jdk, "sort=cumtime", "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        assertTrue(printed.stdout().startsWith(plain.stdout()), printed.toString());
        assertTrue(printed.stdout().contains("   Ordered by: cumulative time\n"), printed.toString());

        // Given to the JVM directly, a wrong option leaves the program running, unprofiled, and says why.
        Proc.Result wrong = E2E.javaWithAgent(jdk, "s=bogus", "-cp", classes(), MAIN, "normal").dir(dir).run().expectExit(0);
        assertArrayEquals(plain.out, wrong.out, wrong.toString());
        assertTrue(wrong.stderr().startsWith("jcprofile: not profiling: option s: unknown sort key 'bogus'"), wrong.toString());
    }
}
