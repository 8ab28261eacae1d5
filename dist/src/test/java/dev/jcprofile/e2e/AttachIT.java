package dev.jcprofile.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jcprofile attach, detach, dump and list against running JVMs (started without the profiler, or with it at
 * launch), on JDK 17 and JDK 25: the profiles, the classes given back, the threads and properties left behind,
 * the program's output, and every refusal as one line that leaves the target as it was.
 */
class AttachIT {
    private static final String MAIN = "com.example.service.Service";
    private static final int DEPTH = 200;

    private static String classes() {
        return Programs.compile("service").toString();
    }

    /** What Service prints with 3 workers, whatever was attached to it meanwhile. */
    private static String expectedOutput(boolean descended) {
        return "ready\n"
                + "worker-0: every round gave the expected result\n"
                + "worker-1: every round gave the expected result\n"
                + "worker-2: every round gave the expected result\n"
                + (descended ? "deep: unwound " + DEPTH + " calls\n" : "deep: never descended\n");
    }

    private static Proc.Running service(Jdk jdk, Path dir, String... jvmOptions) {
        List<String> args = new ArrayList<>(List.of(jvmOptions));
        args.addAll(List.of("-cp", classes(), MAIN, dir.toString(), "3", Integer.toString(DEPTH)));
        Proc.Running p = E2E.java(jdk, args.toArray(new String[0])).dir(dir).start();
        p.awaitStdout("ready\n");
        return p;
    }

    private static Proc jcprofile(Jdk jdk, Path dir, Object... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(E2E.LAUNCHER.toString());
        for (Object a : args) cmd.add(a.toString());
        return Proc.of(cmd).jdk(jdk).dir(dir);
    }

    /** Starts jcprofile attach and waits until it says that it records. */
    private static Proc.Running attach(Jdk jdk, Path dir, Object... args) {
        List<Object> all = new ArrayList<>();
        all.add("attach");
        all.addAll(List.of(args));
        Proc.Running a = jcprofile(jdk, dir, all.toArray()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Proc.TIMEOUT_SECONDS);
        while (!a.stderrSoFar().contains("jcprofile: recording ")) {
            if (!a.process.isAlive()) throw new AssertionError("attach ended: " + a.waitFor());
            if (System.nanoTime() > deadline) throw new AssertionError("attach did not start: " + a.stderrSoFar());
            sleep(50);
        }
        return a;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitFile(Path file, Proc.Running owner) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Proc.TIMEOUT_SECONDS);
        while (!Files.exists(file)) {
            if (!owner.process.isAlive()) throw new AssertionError("ended before " + file + ": " + owner.waitFor());
            if (System.nanoTime() > deadline) throw new AssertionError("no " + file);
            sleep(20);
        }
    }

    /** Exactly one line on standard error, containing {@code text}, and the exit status given. */
    private static void oneLine(Proc.Result r, int status, String text) {
        r.expectExit(status);
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(r.stderr().startsWith("jcprofile: ") && r.stderr().contains(text), r.toString());
        assertEquals("", r.stdout(), r.toString());
    }

    /** The threads of the target whose names are the profiler's, through the JDK's jcmd (no agent loaded). */
    private static List<String> profilerThreads(Jdk jdk, long pid) {
        Proc.Result r = Proc.of(jdk.home().resolve("bin/jcmd").toString(), Long.toString(pid), "Thread.print").run().expectExit(0);
        return r.stdout().lines().filter(l -> l.startsWith("\"jcprofile")).collect(Collectors.toList());
    }

    private static String systemProperties(Jdk jdk, long pid) {
        return Proc.of(jdk.home().resolve("bin/jcmd").toString(), Long.toString(pid), "VM.system_properties").run()
                .expectExit(0).stdout();
    }

    /** The profiler's threads end with the session (the sampler at its next wake-up, calibration when done). */
    private static void awaitNoProfilerThreads(Jdk jdk, long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> left;
        while (!(left = profilerThreads(jdk, pid)).isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("threads left after detach: " + left);
            sleep(200);
        }
    }

    /** Lines that the target's JVM itself prints when an agent is loaded into it, and nothing else. */
    private static void onlyJvmNotices(Proc.Result r) {
        for (String line : r.stderr().lines().collect(Collectors.toList())) {
            assertTrue(line.startsWith("WARNING: ") || line.startsWith("OpenJDK 64-Bit Server VM warning: Sharing is only supported"),
                    "unexpected on the target's standard error: " + line + "\n" + r);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void attachDumpListDetachAndAttachAgain(Jdk jdk) {
        Path dir = E2E.tempDir("attach");
        Proc.Running target = service(jdk, dir, E2E.VERIFY);
        long pid = target.process.pid();
        Path out = dir.resolve("attached.prof");

        Proc.Running session = attach(jdk, dir, pid, "-o", "attached.prof");
        // A second attach is refused before anything is loaded; the first goes on.
        oneLine(jcprofile(jdk, dir, "attach", pid, "--duration", "1s").run(), 1,
                pid + ": a jcprofile session is already recording in it (attached; timer wall; writes " + out + ")");

        String list = jcprofile(jdk, dir, "list").run().expectExit(0).stdout();
        String row = list.lines().filter(l -> l.startsWith(pid + " ")).findFirst().orElseThrow(() -> new AssertionError(list));
        assertTrue(row.contains("attached; timer wall; writes " + out) && row.contains(MAIN), list);

        Proc.Result dumped = jcprofile(jdk, dir, "dump", pid, "-o", "snapshot.prof").run().expectExit(0);
        assertTrue(dumped.stderr().contains("wrote " + dir.resolve("snapshot.prof")), dumped.toString());
        Prof snapshot = Prof.read(dir.resolve("snapshot.prof"));
        assertTrue(snapshot.fn("Service.round").nc > 0, snapshot.names().toString());

        // Detach while a thread is DEPTH calls deep in instrumented code.
        touch(dir.resolve("descend"));
        awaitFile(dir.resolve("bottom"), target);
        Proc.Result detached = jcprofile(jdk, dir, "detach", pid).run().expectExit(0);
        assertTrue(detached.stderr().contains("wrote " + out), detached.toString());
        Proc.Result attached = session.waitFor().expectExit(0);
        assertTrue(attached.stderr().contains("wrote " + out), attached.toString());
        assertEquals("", attached.stdout());

        Prof profile = Prof.read(out);
        assertTrue(profile.fn("Service.round").nc >= snapshot.fn("Service.round").nc, profile.fn("Service.round").toString());
        // The open calls were closed at detach, as cProfile's disable() closes them: DEPTH + 1 calls, one primitive.
        assertEquals(DEPTH + 1, profile.fn("Service.descend").nc, profile.fn("Service.descend").toString());
        assertEquals(1, profile.fn("Service.descend").cc);
        // main and the workers' loops were running before the attach: their returns are not recorded.
        assertFalse(profile.has("Service.main"), profile.names().toString());

        awaitNoProfilerThreads(jdk, pid);
        assertFalse(systemProperties(jdk, pid).contains("jcprofile.session"));

        // Attach again: the runtime is reused; the deep thread unwinds through its old instrumented frames while
        // the new session records, and without -o the table is printed by the attach command.
        Proc.Running again = attach(jdk, dir, pid, "--timer", "sampled", "-s", "calls");
        touch(dir.resolve("release"));
        sleep(500);
        jcprofile(jdk, dir, "detach", pid).run().expectExit(0);
        Proc.Result table = again.waitFor().expectExit(0);
        assertTrue(table.stdout().contains("   Ordered by: call count\n"), table.toString());
        assertTrue(table.stdout().contains("Service.java:") && table.stdout().contains("(Service.round)"), table.toString());
        awaitNoProfilerThreads(jdk, pid);

        touch(dir.resolve("stop"));
        Proc.Result end = target.waitFor().expectExit(0);
        assertEquals(expectedOutput(true), end.stdout());
        onlyJvmNotices(end);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void theProgramEndsDuringTheSession(Jdk jdk) {
        Path dir = E2E.tempDir("attach-exit");
        Proc.Running target = service(jdk, dir);
        Proc.Running session = attach(jdk, dir, target.process.pid(), "-o", "exit.prof", "--timer", "cpu");
        sleep(1000); // rounds begun after the attach run the instrumented code
        touch(dir.resolve("stop"));
        Proc.Result end = target.waitFor().expectExit(0);
        assertEquals(expectedOutput(false), end.stdout());
        onlyJvmNotices(end);
        Proc.Result r = session.waitFor().expectExit(0);
        assertTrue(r.stderr().contains("the program ended during the session") && r.stderr().contains("wrote "
                + dir.resolve("exit.prof")), r.toString());
        assertTrue(Prof.read(dir.resolve("exit.prof")).fn("Service.round").nc > 0);
    }

    /**
     * --timer sampled-cpu when attaching measures CPU time: a thread asleep for the whole session gets almost none,
     * where the wall clock would give it the session's length.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void sampledCpuTimerWhenAttaching(Jdk jdk) {
        Path dir = E2E.tempDir("attach-sampled-cpu");
        Proc.Running target = service(jdk, dir);
        String pid = Long.toString(target.process.pid());
        Proc.Running session = attach(jdk, dir, pid, "-o", "cpu.prof", "--timer", "sampled-cpu");
        sleep(500);
        touch(dir.resolve("descend"));
        awaitFile(dir.resolve("bottom"), target);
        sleep(2000); // the deep thread sleeps at the bottom, 10 ms at a time
        jcprofile(jdk, dir, "detach", pid).run().expectExit(0);
        session.waitFor().expectExit(0);
        Prof p = Prof.read(dir.resolve("cpu.prof"));
        Prof.Fn nap = p.fn(Prof.builtin("java.lang.Thread.sleep"));
        assertTrue(nap.nc >= 50 && nap.ct < 0.5, nap.toString());
        assertTrue(p.fn("Service.round").ct > 0, p.fn("Service.round").toString());
        touch(dir.resolve("release"));
        touch(dir.resolve("stop"));
        Proc.Result end = target.waitFor().expectExit(0);
        assertEquals(expectedOutput(true), end.stdout());
        onlyJvmNotices(end);
    }

    /**
     * A class the JVM will not retransform (another agent in the program spoils its retransformation) is named
     * once and left as it was; the session goes on, and the detach leaves the program as it found it.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void aClassTheJvmWillNotRetransformIsNamedOnce(Jdk jdk) {
        Path dir = E2E.tempDir("attach-refused-class");
        Path garbling = Programs.jar(Programs.compile("garbling-agent"), Map.of("Premain-Class",
                "com.example.garble.GarblingAgent", "Can-Retransform-Classes", "true"));
        // Two: the attach retransforms the classes in one batch, then, the batch refused, each class alone.
        Proc.Running target = service(jdk, dir, "-javaagent:" + garbling + "=com/example/service/Service:2");
        long pid = target.process.pid();
        Proc.Result r = jcprofile(jdk, dir, "attach", pid, "--duration", "1s", "-o", "refused.prof").run();
        String refusal = "com.example.service.Service left uninstrumented: the JVM would not retransform it (";
        assertEquals(1, r.stderr().split(java.util.regex.Pattern.quote(refusal), -1).length - 1, r.toString());
        assertTrue(r.stderr().contains("ClassFormatError"), r.toString());
        awaitNoProfilerThreads(jdk, pid);
        // A second session: the class is instrumented now that nothing spoils it, and records.
        Proc.Result again = jcprofile(jdk, dir, "attach", pid, "--duration", "2s", "-o", "again.prof").run().expectExit(0);
        assertFalse(again.stderr().contains(refusal), again.toString());
        assertTrue(Prof.read(dir.resolve("again.prof")).fn("Service.round").nc > 0);
        awaitNoProfilerThreads(jdk, pid);
        touch(dir.resolve("stop"));
        Proc.Result end = target.waitFor().expectExit(0);
        assertEquals(expectedOutput(false), end.stdout());
        onlyJvmNotices(end);
    }

    /** --jdk when attaching: the JDK class, loaded long before, is retransformed and gets rows of its own. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void jdkClassesSelectedWhenAttaching(Jdk jdk) {
        Path dir = E2E.tempDir("attach-jdk");
        Proc.Running target = service(jdk, dir);
        Proc.Result r = jcprofile(jdk, dir, "attach", target.process.pid(), "--duration", "2s", "--jdk", "java.util.TreeMap",
                "-o", "jdk.prof").run().expectExit(0);
        assertTrue(r.stderr().contains("wrote " + dir.resolve("jdk.prof")), r.toString());
        Prof p = Prof.read(dir.resolve("jdk.prof"));
        Prof.Fn merge = p.fn("TreeMap.merge");
        assertEquals("java/util/TreeMap.java", merge.key.file(), merge.toString());
        assertTrue(merge.key.line() > 0 && merge.nc > 0, merge.toString());
        assertTrue(p.fn("Service.words").nc > 0);
        touch(dir.resolve("stop"));
        Proc.Result end = target.waitFor().expectExit(0);
        assertEquals(expectedOutput(false), end.stdout());
        onlyJvmNotices(end);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void dumpOfASessionStartedAtLaunch(Jdk jdk) {
        Path dir = E2E.tempDir("attach-launch");
        Path launch = dir.resolve("launch.prof");
        Proc.Running target = E2E.jcprofile(jdk, List.of("-o", launch.toString()), "-cp", classes(), MAIN,
                dir.toString(), "3", Integer.toString(DEPTH)).dir(dir).start();
        target.awaitStdout("ready\n");
        long pid = target.process.pid();
        // The launcher execs java: the pid is the JVM's.
        String list = jcprofile(jdk, dir, "list").run().expectExit(0).stdout();
        assertTrue(list.lines().anyMatch(l -> l.startsWith(pid + " ") && l.contains("started at launch; timer wall; writes " + launch)), list);

        Proc.Result dumped = jcprofile(jdk, dir, "dump", pid, "-o", "snapshot.prof").run().expectExit(0);
        assertTrue(dumped.stderr().contains("started at launch"), dumped.toString());
        Prof snapshot = Prof.read(dir.resolve("snapshot.prof"));
        oneLine(jcprofile(jdk, dir, "attach", pid).run(), 1, "a jcprofile session is already recording in it (started at launch");
        oneLine(jcprofile(jdk, dir, "detach", pid).run(), 1, "its session was started at launch and ends with the program");

        touch(dir.resolve("stop"));
        Proc.Result end = target.waitFor().expectExit(0);
        assertEquals(expectedOutput(false), end.stdout());
        onlyJvmNotices(end);
        Prof whole = Prof.read(launch);
        // The snapshot was taken while it ran; the whole run has at least as much, and main, which began with it.
        assertTrue(whole.fn("Service.round").nc >= snapshot.fn("Service.round").nc && snapshot.fn("Service.round").nc > 0);
        assertTrue(whole.has("Service.main"));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void whatCannotBeDoneIsOneLineAndChangesNothing(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("attach-refused");
        Proc.Running target = service(jdk, dir);
        long pid = target.process.pid();

        oneLine(jcprofile(jdk, dir, "attach", pid, "--timer", "bogus").run(), 2, "option timer: 'bogus' is not a timer");
        oneLine(jcprofile(jdk, dir, "attach", pid, "--duration", "soon").run(), 2, "option --duration: 'soon' is not a duration");
        oneLine(jcprofile(jdk, dir, "attach", "twelve").run(), 2, "attach: 'twelve' is not a process id");
        oneLine(jcprofile(jdk, dir, "dump", pid).run(), 2, "dump takes PID -o FILE");
        // No session: refused from the JVM's properties, nothing loaded into it.
        oneLine(jcprofile(jdk, dir, "dump", pid, "-o", "x.prof").run(), 1, pid + ": no jcprofile session is recording in it");
        oneLine(jcprofile(jdk, dir, "detach", pid).run(), 1, pid + ": no jcprofile session is recording in it");
        assertFalse(Files.exists(dir.resolve("x.prof")));

        // A process that is not a JVM: the JDK would send it SIGQUIT, which ends most programs; it is not asked.
        Process sleeper = new ProcessBuilder("sleep", "300").start();
        try {
            oneLine(jcprofile(jdk, dir, "attach", sleeper.pid()).run(), 1, sleeper.pid() + " (sleep) is not a JVM");
            sleep(200);
            assertTrue(sleeper.isAlive());
        } finally {
            sleeper.destroyForcibly();
        }
        // A process that has ended.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        oneLine(jcprofile(jdk, dir, "attach", gone.pid()).run(), 1, gone.pid() + ": no such process");

        // A JVM that refuses attaching.
        Path closedDir = E2E.tempDir("attach-disabled");
        Proc.Running closed = service(jdk, closedDir, "-XX:+DisableAttachMechanism");
        oneLine(jcprofile(jdk, dir, "attach", closed.process.pid()).run(), 1,
                closed.process.pid() + " (java) refuses to be attached to (started with -XX:+DisableAttachMechanism)");
        touch(closedDir.resolve("stop"));
        assertEquals(expectedOutput(false), closed.waitFor().expectExit(0).stdout());

        touch(dir.resolve("stop"));
        Proc.Result end = target.waitFor().expectExit(0);
        assertEquals(expectedOutput(false), end.stdout());
        // Nothing was ever loaded into it: not even the JVM's notices about agents.
        assertEquals("", end.stderr(), end.toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void anotherUsersJvmIsRefused(Jdk jdk) throws Exception {
        // Only root can start a process as another user here; the check is the same for everyone.
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a JVM as nobody");
        // nobody must reach the class path and the working directory: a clone of this project may sit in a
        // directory only its owner can enter (mktemp -d makes one), so both live in a directory of their own
        // under the system's temporary directory, open to everyone, removed afterwards.
        Path dir = Files.createTempDirectory(Paths.get(System.getProperty("java.io.tmpdir")), "jcprofile-attach-other-user-");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path classes = dir.resolve("classes");
            copyReadableByAll(Paths.get(classes()), classes);
            Proc.Running other = E2E.java(jdk, "-cp", classes.toString(), MAIN, dir.toString(), "3", Integer.toString(DEPTH)).dir(dir)
                    .wrappedIn(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")).start();
            other.awaitStdout("ready\n");
            long pid = other.process.pid(); // setpriv execs java
            oneLine(jcprofile(jdk, dir, "attach", pid).run(), 1,
                    pid + " belongs to user nobody; jcprofile attaches only to JVMs of its own user (root)");
            String list = jcprofile(jdk, dir, "list").run().expectExit(0).stdout();
            assertFalse(list.lines().anyMatch(l -> l.startsWith(pid + " ")), list);
            touch(dir.resolve("stop"));
            Proc.Result end = other.waitFor().expectExit(0);
            assertEquals(expectedOutput(false), end.stdout());
            assertEquals("", end.stderr());
        } finally {
            deleteTree(dir);
        }
    }

    private static void copyReadableByAll(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path copy = to.resolve(from.relativize(p).toString());
                boolean directory = Files.isDirectory(p);
                if (directory) Files.createDirectories(copy);
                else Files.copy(p, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    // ------------------------------------------------------------------ a real HTTP server under load

    private static final String[] JETTY = {
        "org/eclipse/jetty/jetty-server/12.1.13/jetty-server-12.1.13.jar",
        "org/eclipse/jetty/jetty-http/12.1.13/jetty-http-12.1.13.jar",
        "org/eclipse/jetty/jetty-io/12.1.13/jetty-io-12.1.13.jar",
        "org/eclipse/jetty/jetty-util/12.1.13/jetty-util-12.1.13.jar",
        "org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar",
    };

    /** Jetty's jars, from Maven's local repository (third-party-suites' dependency:copy@jetty puts them there). */
    static String jettyClassPath() {
        Path repo = Paths.get(System.getProperty("jcprofile.localRepository", System.getProperty("user.home") + "/.m2/repository"));
        List<String> jars = new ArrayList<>();
        for (String j : JETTY) {
            Path p = repo.resolve(j);
            if (!Files.isRegularFile(p)) {
                throw new AssertionError(p + " is missing: fetch Jetty with mvn -pl third-party-suites dependency:copy@jetty");
            }
            jars.add(p.toString());
        }
        return String.join(":", jars);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void jettyUnderLoadAttachedForFiveSecondsDumpedAndDetached(Jdk jdk) throws Exception {
        String jetty = jettyClassPath();
        String service = Programs.compile("jetty", "-cp", jetty).toString();
        Path dir = E2E.tempDir("attach-jetty");
        Proc.Running server = E2E.java(jdk, "-cp", service + ":" + jetty, "com.example.jetty.JettyService", dir.toString())
                .dir(dir).start();
        server.awaitStdout("listening\n");
        long pid = server.process.pid();
        int port = Integer.parseInt(Files.readString(dir.resolve("port")).trim());

        // A bounded load from 127.0.0.1: 4 clients, each one request at a time; every answer is checked.
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        String expected = words(300);
        AtomicLong ok = new AtomicLong();
        AtomicReference<String> wrong = new AtomicReference<>();
        List<Thread> load = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/words?n=300"))
                        .timeout(Duration.ofSeconds(60)).build();
                while (!stop.get() && wrong.get() == null) {
                    try {
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().equals(expected)) wrong.set(r.statusCode() + " " + r.body());
                        else ok.incrementAndGet();
                    } catch (Exception e) {
                        wrong.compareAndSet(null, e.toString());
                    }
                }
            });
            t.start();
            load.add(t);
        }
        try {
            while (ok.get() < 200) {
                assertEquals(null, wrong.get());
                sleep(50);
            }
            long before = ok.get();
            // Attached for 5 s, then a snapshot, then detached.
            Proc.Running session = attach(jdk, dir, pid, "-o", "jetty.prof");
            sleep(5000);
            jcprofile(jdk, dir, "dump", pid, "-o", "jetty-snapshot.prof").run().expectExit(0);
            jcprofile(jdk, dir, "detach", pid).run().expectExit(0);
            Proc.Result r = session.waitFor().expectExit(0);
            assertTrue(r.stderr().contains("wrote " + dir.resolve("jetty.prof")), r.toString());
            long during = ok.get();
            sleep(1000);
            assertTrue(ok.get() > during, "requests go on after detach");
            assertTrue(during > before, "requests went on during the session");

            Prof profile = Prof.read(dir.resolve("jetty.prof"));
            Prof snapshot = Prof.read(dir.resolve("jetty-snapshot.prof"));
            long calls = profile.fn("JettyService$Words.handle").nc;
            assertTrue(calls >= snapshot.fn("JettyService$Words.handle").nc && calls > 0);
            // Each request calls words once. A request already inside handle at attach (its call not recorded, as
            // cProfile leaves calls running at enable()) still records its words; one inside handle at detach may
            // not have got there yet. So the two differ by at most the 4 clients' requests in flight, either way.
            long words = profile.fn("JettyService.words").nc;
            assertTrue(Math.abs(words - calls) <= 4, words + " words, " + calls + " requests");
            assertTrue(profile.functions().stream().anyMatch(f -> f.key.file().startsWith("org/eclipse/jetty/server/")),
                    profile.names().toString());
            awaitNoProfilerThreads(jdk, pid);
        } finally {
            stop.set(true);
            for (Thread t : load) t.join();
            // A failed check must not leave the server running.
            Files.createFile(dir.resolve("stop"));
        }
        assertEquals(null, wrong.get());
        Proc.Result end = server.waitFor().expectExit(0);
        assertEquals("listening\nstopped\n", end.stdout());
    }

    /** What JettyService answers to /words?n=N. */
    private static String words(int n) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) counts.merge("w" + Integer.toString((i * 7919) % 97, 36), 1, Integer::sum);
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }
}
