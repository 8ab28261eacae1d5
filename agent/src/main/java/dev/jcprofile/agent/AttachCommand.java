package dev.jcprofile.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code jcprofile attach|detach|dump|list}: profiling a JVM that is already running, through the JDK's attach
 * mechanism only (see {@link Control} for the protocol; nothing listens on a socket). Runs in its own short-lived
 * JVM, started by bin/jcprofile. Every failure is one line on standard error: exit status 2 for a mistake in how
 * it was called, 1 for a target it could not profile; the target is left as it was.
 */
public final class AttachCommand {
    private AttachCommand() {}

    /** A failure to report in one line, with the exit status. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private static final String USAGE = String.join("\n",
            "usage: jcprofile attach PID [-o FILE] [--duration TIME] [OPTIONS]",
            "       jcprofile detach PID",
            "       jcprofile dump PID -o FILE",
            "       jcprofile list",
            "",
            "Profiles a JVM that is already running, of the same user, through the JDK's attach mechanism.",
            "",
            "  attach   instruments the classes it has loaded and those it loads later, and records until --duration",
            "           has passed, Ctrl-C, or jcprofile detach PID; then writes FILE (without -o, prints the table",
            "           here) and gives every class its original bytecode back. Calls already running when recording",
            "           starts are not recorded (as cProfile's enable()); what they call appears without a caller.",
            "           OPTIONS are jcprofile's: -s, --timer, --interval, --calibrate, --threads, --builtins,",
            "           --tree, --include, --exclude, -q.",
            "  detach   ends the session attached to PID (as Ctrl-C on the attach command would).",
            "  dump     writes a snapshot of the session recording in PID, attached or started with the JVM",
            "           (bin/jcprofile, -javaagent), to FILE; the session goes on.",
            "  list     the JVMs of this user, whether a session records in each, its timer and where it writes.",
            "",
            "  --duration TIME      e.g. 30s, 500ms, 2m (a number alone is seconds); default: until stopped",
            "");

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Failure f) {
            System.err.println("jcprofile: " + f.getMessage());
            status = f.status;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args) throws Failure {
        if (args.length == 0) throw new Failure(2, "no command (see jcprofile --help)");
        String command = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        if (rest.contains("-h") || rest.contains("--help")) {
            System.out.print(USAGE);
            return 0;
        }
        switch (command) {
            case "attach": return attach(rest);
            case "detach": return detach(rest);
            case "dump": return dump(rest);
            case "list":
                if (!rest.isEmpty()) throw new Failure(2, "list takes no arguments (see jcprofile list --help)");
                return list();
            default: throw new Failure(2, "unknown command '" + command + "'");
        }
    }

    // ------------------------------------------------------------------ attach

    private static int attach(List<String> args) throws Failure {
        if (args.isEmpty()) throw new Failure(2, "attach needs a process id (see jcprofile attach --help)");
        long pid = pidArgument("attach", args.get(0));
        StringBuilder agent = new StringBuilder();
        long durationNanos = 0;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-q") || a.equals("--quiet")) {
                add(agent, "quiet", "true");
                continue;
            }
            if (a.equals("--tree")) {
                add(agent, "tree", "true");
                continue;
            }
            if (!a.startsWith("-")) throw new Failure(2, "attach: unexpected argument '" + a + "' (see jcprofile attach --help)");
            if (i + 1 >= args.size()) throw new Failure(2, "option " + a + " needs a value (see jcprofile attach --help)");
            String v = args.get(++i);
            switch (a) {
                case "--duration": durationNanos = duration(v); break;
                case "-o": case "--output":
                    if (v.isEmpty()) throw new Failure(2, "option " + a + " needs a file name");
                    add(agent, "o", Paths.get(v).toAbsolutePath().normalize().toString());
                    break;
                case "-s": case "--sort": add(agent, "s", v); break;
                default:
                    if (!a.startsWith("--")) throw new Failure(2, "unknown option '" + a + "' (see jcprofile attach --help)");
                    add(agent, a.substring(2), v); // the agent's option of that name
            }
        }
        Options options;
        try {
            options = Options.parse(agent.toString(), Paths.get("").toAbsolutePath());
        } catch (Options.BadOption e) {
            throw new Failure(2, e.getMessage());
        }
        if (options.output != null && Files.isDirectory(options.output)) {
            throw new Failure(2, options.output + " is a directory; -o takes a file name");
        }
        Path dir = privateDir();
        Session s = new Session(pid, dir, options);
        Properties started;
        try {
            started = s.send("start", agent.toString(), dir);
        } catch (Failure f) {
            deleteDir(dir);
            throw f;
        }
        String classes = started.getProperty("classes");
        System.err.println("jcprofile: recording " + pid + (classes != null ? " (" + classes + " classes instrumented)" : "")
                + (durationNanos > 0 ? " for " + args.get(args.indexOf("--duration") + 1) : "")
                + "; Ctrl-C or jcprofile detach " + pid + " stops it");
        // What attaching found: classes the JVM would not retransform, and the like.
        for (String l : lines(started)) System.err.println("jcprofile: " + l);
        return s.await(durationNanos);
    }

    private static void add(StringBuilder agent, String key, String value) {
        if (agent.length() > 0) agent.append(',');
        agent.append(key).append('=').append(Control.escape(value));
    }

    /** A --duration: a number with a unit (ms, s, m, h), seconds without one. */
    static long duration(String value) throws Failure {
        double nanos = Options.nanos(value, 1e9);
        if (Double.isNaN(nanos)) {
            throw new Failure(2, "option --duration: '" + value + "' is not a duration (e.g. 30s, 500ms, 2m)");
        }
        if (!(nanos > 0) || nanos > 1e9 * 3600 * 24 * 365) {
            throw new Failure(2, "option --duration: '" + value + "' is out of range");
        }
        return Math.max(1, (long) nanos);
    }

    /** One attached session, seen from the attach command. */
    private static final class Session {
        final long pid;
        final Path dir;
        final Options options;
        private boolean finished;
        private int status;

        Session(long pid, Path dir, Options options) {
            this.pid = pid;
            this.dir = dir;
            this.options = options;
        }

        Properties send(String verb, String extra, Path replyDir) throws Failure {
            return AttachCommand.send(pid, verb, extra, replyDir);
        }

        /** Waits for the end: the duration, Ctrl-C, a detach from elsewhere, or the program's end. */
        int await(long durationNanos) {
            Thread hook = new Thread(() -> finish("interrupted"), "jcprofile-attach-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            long deadline = durationNanos > 0 ? System.nanoTime() + durationNanos : Long.MAX_VALUE;
            Optional<ProcessHandle> target = ProcessHandle.of(pid);
            while (true) {
                synchronized (this) {
                    if (finished) break;
                    if (Files.exists(dir.resolve(AttachSession.DONE))) {
                        report(); // detached from elsewhere
                        break;
                    }
                    if (target.isEmpty() || !target.get().isAlive()) {
                        finishAfterTargetEnded();
                        break;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        finishNow();
                        break;
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    break;
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came meanwhile: the hook finishes
            }
            return status;
        }

        private synchronized void finish(String why) {
            if (!finished) finishNow();
        }

        private void finishNow() {
            try {
                Path replyDir = privateDir();
                try {
                    send("stop", "", replyDir);
                } finally {
                    deleteDir(replyDir);
                }
                report();
            } catch (Failure f) {
                if (Files.exists(dir.resolve(AttachSession.DONE))) {
                    report(); // it ended meanwhile
                } else if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    finishAfterTargetEnded();
                } else {
                    System.err.println("jcprofile: " + f.getMessage());
                    status = f.status;
                    finished = true;
                }
            }
        }

        private void finishAfterTargetEnded() {
            // Its shutdown hook wrote the result before it ended, unless it was killed or halted.
            if (Files.exists(dir.resolve(AttachSession.DONE))) {
                report();
                return;
            }
            System.err.println("jcprofile: " + pid + " ended during the session without writing the profile "
                    + "(killed, or Runtime.halt)");
            status = 1;
            finished = true;
            deleteDir(dir);
        }

        private void report() {
            finished = true;
            Properties done = readProps(dir.resolve(AttachSession.DONE));
            status = printReply(done, pid);
            String profile = done.getProperty("profile");
            if (profile != null) status = Math.max(status, printTable(Paths.get(profile), done.getProperty("sort", options.sort)));
            deleteDir(dir);
        }
    }

    // ------------------------------------------------------------------ detach, dump

    private static int detach(List<String> args) throws Failure {
        if (args.size() != 1) throw new Failure(2, "detach takes one process id (see jcprofile detach --help)");
        long pid = pidArgument("detach", args.get(0));
        Path replyDir = privateDir();
        try {
            Properties reply = send(pid, "stop", "", replyDir);
            int status = printReply(reply, pid);
            long client = Long.parseLong(reply.getProperty("client", "-1"));
            Path dir = Paths.get(reply.getProperty("dir", ""));
            Properties done = readProps(dir.resolve(AttachSession.DONE));
            String profile = done.getProperty("profile");
            if (profile != null) {
                if (ProcessHandle.of(client).map(ProcessHandle::isAlive).orElse(false)) {
                    System.err.println("jcprofile: the attach command (pid " + client + ") prints the table");
                } else {
                    // The attach command is gone (killed): the table is printed here rather than lost.
                    status = Math.max(status, printTable(Paths.get(profile), done.getProperty("sort", "stdname")));
                    deleteDir(dir);
                }
            }
            return status;
        } finally {
            deleteDir(replyDir);
        }
    }

    private static int dump(List<String> args) throws Failure {
        if (args.isEmpty()) throw new Failure(2, "dump needs a process id and -o FILE (see jcprofile dump --help)");
        long pid = pidArgument("dump", args.get(0));
        if (args.size() != 3 || !(args.get(1).equals("-o") || args.get(1).equals("--output")) || args.get(2).isEmpty()) {
            throw new Failure(2, "dump takes PID -o FILE (see jcprofile dump --help)");
        }
        Path out = Paths.get(args.get(2)).toAbsolutePath().normalize();
        if (Files.isDirectory(out)) throw new Failure(2, out + " is a directory; -o takes a file name");
        Path replyDir = privateDir();
        try {
            return printReply(send(pid, "dump", "o=" + Control.escape(out.toString()), replyDir), pid);
        } finally {
            deleteDir(replyDir);
        }
    }

    // ------------------------------------------------------------------ list

    private static int list() throws Failure {
        long self = ProcessHandle.current().pid();
        String user = System.getProperty("user.name");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PID", "SESSION", "PROGRAM"});
        List<VirtualMachineDescriptor> vms = new ArrayList<>(VirtualMachine.list());
        vms.sort(Comparator.comparingLong(d -> parsePid(d.id())));
        vms.removeIf(d -> {
            long pid = parsePid(d.id());
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            return pid == self || pid < 0 || h.isEmpty() || !h.get().info().user().map(user::equals).orElse(false);
        });
        // Asked all at once: a JVM too busy to answer makes the JDK wait seconds for it.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        List<java.util.concurrent.Future<String>> sessions = new ArrayList<>();
        for (VirtualMachineDescriptor d : vms) sessions.add(pool.submit(() -> sessionOf(d.id())));
        for (int i = 0; i < vms.size(); i++) {
            String session;
            try {
                session = sessions.get(i).get();
            } catch (Exception e) {
                session = "unknown";
            }
            rows.add(new String[] {vms.get(i).id(), session, program(vms.get(i).displayName())});
        }
        pool.shutdown();
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(3);
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(7);
        for (String[] r : rows) {
            System.out.println(String.format("%-" + w0 + "s  %-" + w1 + "s  %s", r[0], r[1], r[2]).stripTrailing());
        }
        return 0;
    }

    private static long parsePid(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What the JVM's system properties say; reading them loads nothing into it. */
    private static String sessionOf(String id) {
        try {
            VirtualMachine vm = VirtualMachine.attach(id);
            try {
                Properties p = vm.getSystemProperties();
                String session = p.getProperty(AttachSession.PROPERTY);
                if (session != null) return session;
                if (p.getProperty(Agent.INSTALLED) != null) return "none (jcprofile's agent is loaded)";
                return "none";
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            return "unknown (it did not answer)";
        } catch (IOException | RuntimeException | Error e) {
            return "unknown (" + (ProcessHandle.of(parsePid(id)).isPresent() ? "it did not answer" : "it has ended") + ")";
        }
    }

    private static String program(String displayName) {
        String s = displayName == null || displayName.isEmpty() ? "?" : displayName;
        return s.length() > 70 ? s.substring(0, 67) + "..." : s;
    }

    // ------------------------------------------------------------------ the attach mechanism

    /**
     * Checks that {@code pid} is a JVM of this user that can be attached to, before anything is sent to it: on
     * Linux the JDK asks a process to start its attach listener with SIGQUIT, which ends a process that is not a
     * JVM.
     */
    private static long pidArgument(String command, String arg) throws Failure {
        long pid;
        try {
            pid = Long.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new Failure(2, command + ": '" + arg + "' is not a process id (jcprofile list shows the JVMs)");
        }
        if (pid <= 0) throw new Failure(2, command + ": '" + arg + "' is not a process id (jcprofile list shows the JVMs)");
        if (pid == ProcessHandle.current().pid()) throw new Failure(2, command + ": " + pid + " is this command's own JVM");
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) throw new Failure(1, pid + ": no such process");
        String me = System.getProperty("user.name");
        Optional<String> owner = h.get().info().user();
        if (owner.isPresent() && !owner.get().equals(me)) {
            throw new Failure(1, pid + " belongs to user " + owner.get() + "; jcprofile attaches only to JVMs of its own "
                    + "user (" + me + ")");
        }
        if (VirtualMachine.list().stream().anyMatch(d -> d.id().equals(Long.toString(pid)))) return pid;
        String cmd = h.get().info().command().map(c -> " (" + Paths.get(c).getFileName() + ")").orElse("");
        // A JVM publishes itself in hsperfdata_USER; the JDK lists only those that accept attaching.
        if (Files.exists(Paths.get(System.getProperty("java.io.tmpdir"), "hsperfdata_" + me, Long.toString(pid)))) {
            throw new Failure(1, pid + cmd + " refuses to be attached to (started with -XX:+DisableAttachMechanism)");
        }
        // Not published (-XX:-UsePerfData): still safe to ask if it handles SIGQUIT, as every JVM does.
        if (cmd.contains("java") && catchesQuit(pid)) return pid;
        throw new Failure(1, pid + cmd + " is not a JVM (none of this user's JVMs has that process id)");
    }

    /** Whether the process handles SIGQUIT (Linux: the SigCgt mask in /proc/PID/status), so that it survives one. */
    private static boolean catchesQuit(long pid) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigCgt:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 2)) != 0;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone
        }
        return false;
    }

    static Properties send(long pid, String verb, String extra, Path replyDir) throws Failure {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("does not support the attach mechanism")) {
                throw new Failure(1, pid + " refuses to be attached to (started with -XX:+DisableAttachMechanism)");
            }
            throw new Failure(1, "cannot attach to " + pid + ": " + oneLine(e));
        } catch (IOException | RuntimeException e) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) throw new Failure(1, pid + " has ended");
            throw new Failure(1, "cannot attach to " + pid + ": " + oneLine(e));
        }
        try {
            // What can be refused is refused here, before anything is loaded into it (JDK 21 and later print a
            // warning on the program's standard error for every agent loaded).
            String running = vm.getSystemProperties().getProperty(AttachSession.PROPERTY);
            if (!verb.equals("start") && running == null) {
                throw new Failure(1, pid + ": no jcprofile session is recording in it");
            }
            if (verb.equals("stop") && !running.startsWith("attached")) {
                throw new Failure(1, pid + ": its session was started at launch and ends with the program "
                        + "(jcprofile dump " + pid + " -o FILE takes a snapshot)");
            }
            if (verb.equals("start")) {
                if (running != null) {
                    throw new Failure(1, pid + ": a jcprofile session is already recording in it (" + running + "); "
                            + (running.startsWith("attached") ? "jcprofile detach " + pid + " ends it"
                            : "jcprofile dump " + pid + " -o FILE takes a snapshot"));
                }
            }
            String args = Control.PREFIX + verb + ",reply=" + Control.escape(replyDir.toString())
                    + ",client=" + ProcessHandle.current().pid() + (extra.isEmpty() ? "" : "," + extra);
            vm.loadAgent(controlJar().toString(), args);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new Failure(1, "cannot load the profiler into " + pid + ": " + oneLine(e));
        } catch (IOException e) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) throw new Failure(1, pid + " has ended");
            throw new Failure(1, "lost contact with " + pid + ": " + oneLine(e));
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // already gone
            }
        }
        Path file = replyDir.resolve(Control.REPLY);
        if (!Files.isRegularFile(file)) {
            throw new Failure(1, pid + " did not answer (is its jcprofile of another version?)");
        }
        Properties reply = readProps(file);
        if ("error".equals(reply.getProperty("status"))) {
            throw new Failure(1, pid + ": " + String.join("; ", lines(reply)));
        }
        return reply;
    }

    /**
     * The jar that carries a command: {@code jcprofile-control.jar}, beside this one, names this jar's classes
     * (Class-Path) but has no Boot-Class-Path, so that a command does not make the JVM append the runtime to the
     * bootstrap path again, which it would do, and warn about, at every command.
     */
    private static Path controlJar() throws Failure {
        Path jar = Agent.besideThisJar("jcprofile-control.jar");
        if (jar != null) return jar;
        try {
            Path own = Paths.get(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(own)) return own;
        } catch (URISyntaxException | RuntimeException e) {
            // reported below
        }
        throw new Failure(2, "cannot find the jcprofile jar to load into the JVM (run bin/jcprofile from a built tree)");
    }

    private static List<String> lines(Properties p) {
        List<String> out = new ArrayList<>();
        int n = Integer.parseInt(p.getProperty("lines", "0"));
        for (int i = 0; i < n; i++) out.add(p.getProperty("line." + i, ""));
        return out;
    }

    /** Prints an answer's lines; 1 if it reports a failure. */
    private static int printReply(Properties p, long pid) {
        boolean failed = "error".equals(p.getProperty("status"));
        for (String l : lines(p)) System.err.println("jcprofile: " + (failed ? pid + ": " : "") + l);
        return failed ? 1 : 0;
    }

    /** The table, as a launch without -o prints it at exit: stripped, sorted by -s, no file header. */
    private static int printTable(Path profile, String sort) {
        ProfileData data;
        try {
            data = ProfileFiles.read(profile, profile.toString());
        } catch (ProfileException e) {
            System.err.println("jcprofile: " + e.getMessage());
            return 1;
        }
        System.out.flush();
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        new Stats(data).stream(out).stripDirs().sortStats(sort).printStats();
        out.flush();
        return 0;
    }

    private static Properties readProps(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            p.setProperty("status", "error");
            p.setProperty("lines", "1");
            p.setProperty("line.0", "no answer in " + file);
        }
        return p;
    }

    /** A directory only this user can read (the default of createTempDirectory on POSIX systems). */
    private static Path privateDir() throws Failure {
        try {
            return Files.createTempDirectory("jcprofile-attach-");
        } catch (IOException e) {
            throw new Failure(1, "cannot make a temporary directory: " + e.getMessage());
        }
    }

    private static void deleteDir(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory; the system cleans it eventually
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        String s = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
        return s.lines().findFirst().orElse(s).trim();
    }
}
