package dev.jcprofile.agent;

import dev.jcprofile.ProfileException;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;
import dev.jcprofile.runtime.Hooks;
import dev.jcprofile.runtime.Session;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A session attached to a running JVM by {@code jcprofile attach}, and what {@code detach} and {@code dump} do
 * to it or to a session started at launch. Attaching instruments the classes already loaded (retransformation)
 * and those loaded later, then starts the session; detaching stops it, writes the profile, takes the transformer
 * away and retransforms every class back to its original bytecode (the JVM keeps the bytes it first loaded). Calls
 * already running when the session starts keep their uninstrumented code: as for calls running when cProfile's
 * {@code enable()} is called, their returns are not recorded, and what they call appears without a caller.
 * <p>
 * The state lives here, in the agent's classes, which the system class loader keeps: every later command loads
 * the same classes. The runtime on the bootstrap path stays once installed, and the next attach reuses it.
 */
final class AttachSession {
    private AttachSession() {}

    /** What {@code jcprofile list} reads through the attach mechanism (system properties, nothing loaded). */
    static final String PROPERTY = "jcprofile.session";
    /** The attach command's directory holds the result here when the session ends, however it ends. */
    static final String DONE = "done";
    static final String PROFILE = "profile";
    /** Warnings kept for the attach command; a program with a thousand odd classes must not fill the memory. */
    private static final int MAX_WARNINGS = 200;

    // The session started at launch (-javaagent, bin/jcprofile), for dump.
    private static volatile Session launchSession;
    private static volatile Options launchOptions;

    // The attached session; all under the class's lock.
    private static Session session;
    private static Options options;
    private static Instrumentation instrumentation;
    private static Transformer transformer;
    private static Path clientDir;
    private static long clientPid;
    private static Thread exitHook;
    private static final List<String> warnings = new ArrayList<>();
    private static int warningsDropped;

    /** Called by AgentStartup when the whole program is profiled from its start. */
    static void launched(Session s, Options o) {
        launchOptions = o;
        launchSession = s;
        System.setProperty(PROPERTY, describe("started at launch", o, "prints its table at exit"));
    }

    private static String describe(String how, Options o, String noOutput) {
        return how + "; timer " + o.timer + "; " + (o.output != null ? "writes " + o.output : noOutput);
    }

    /** The options the attach command sent, read as the agent reads its own; null (and the client told) if bad. */
    private static Options options(String optionString, Control.Reply reply) {
        try {
            return Options.parse(optionString, Paths.get("").toAbsolutePath());
        } catch (Options.BadOption e) {
            reply.fail(e.getMessage());
            return null;
        }
    }

    static synchronized void start(String optionString, Instrumentation inst, Path dir, long client, Control.Reply reply) {
        String busy = busy();
        if (busy != null) {
            reply.fail(busy);
            return;
        }
        Options o = options(optionString, reply);
        if (o == null) return;
        warnings.clear();
        warningsDropped = 0;
        int timer = AgentStartup.timerKind(o.timer);
        AgentStartup.openToTheRuntime(inst);
        Session s = new Session(timer, null, threadFilter(o), o.intervalNanos, o.calibrate);
        if (o.tree) s.recordTree();
        s.holdHeapReserve(); // room for SIGTERM and the dump in a heap the program filled
        // Everything the hooks need is loaded and linked, and the session started, before any class is
        // instrumented: from then on the hooks may run inside the loading of a class (another agent's transformer
        // instrumented, say), where loading one more class could deadlock or fail for good (Hooks.prepare).
        Hooks.prepare(s);
        Hooks.start(s);
        Transformer t = null;
        try {
            if (System.getProperty(Agent.INSTALLED) == null) {
                t = new Transformer(o, inst, Hooks.class.getModule());
                t.wrapNatives = false;
                t.warnings = AttachSession::warn;
                inst.addTransformer(t, true);
                int n = retransform(inst, t, true);
                reply.props.setProperty("classes", Integer.toString(n));
                System.setProperty(Agent.INSTALLED, "attach");
            } else {
                // The Profile API's agent, loaded at start-up or by a first enable(), keeps every class instrumented.
                if (!o.include.isEmpty() || !o.exclude.isEmpty() || !o.builtins) {
                    warn("the classes stay instrumented as the agent that the program loaded for its Profile API did "
                            + "it; --include, --exclude and --builtins are ignored");
                }
            }
        } catch (RuntimeException | Error e) {
            // The program goes on as before: no session, no transformer of ours.
            Hooks.stop(s);
            if (t != null) inst.removeTransformer(t);
            throw e;
        }
        session = s;
        options = o;
        instrumentation = inst;
        transformer = t;
        clientDir = dir;
        clientPid = client;
        // Should the program end during the session, the profile is written as at the end of a launch session.
        exitHook = new Thread(AttachSession::atExit, "jcprofile-dump");
        Runtime.getRuntime().addShutdownHook(exitHook);
        System.setProperty(PROPERTY, describe("attached", o, "its table goes to the attach command"));
        drainWarnings(reply);
    }

    /** Why a session cannot be attached now, or null. */
    private static String busy() {
        Session active = Hooks.active();
        if (session != null) {
            return "a jcprofile session is already attached to it (" + System.getProperty(PROPERTY)
                    + "); jcprofile detach PID ends it";
        }
        if (active != null && active == launchSession) {
            return "it is profiled from its start (" + System.getProperty(PROPERTY) + "); jcprofile dump PID -o FILE "
                    + "takes a snapshot";
        }
        if (active != null) return "a Profile of the program's own is recording in it; try again once it is disabled";
        return null;
    }

    static synchronized void stop(Control.Reply reply) {
        if (session == null) {
            Session launch = launchSession;
            if (launch != null && Hooks.active() == launch) {
                reply.fail("its session was started at launch and ends with the program (jcprofile dump PID -o FILE "
                        + "takes a snapshot)");
            } else {
                reply.fail("no jcprofile session is attached to it");
            }
            return;
        }
        Control.Reply done = new Control.Reply();
        end(done, false);
        Path dir = clientDir;
        reply.props.setProperty("client", Long.toString(clientPid));
        reply.props.setProperty("dir", dir.toString());
        for (int i = 0; i < Integer.parseInt(done.props.getProperty("lines", "0")); i++) {
            reply.line(done.props.getProperty("line." + i));
        }
        if (done.failed()) reply.markFailed();
        clear();
    }

    /**
     * Stops the session, writes its profile and (unless the JVM is exiting) restores the classes; the result goes
     * to the attach command's directory, as {@link #DONE} (and {@link #PROFILE} when it prints the table).
     */
    private static void end(Control.Reply done, boolean exiting) {
        Session s = session;
        Hooks.stop(s);
        // Open calls are closed now, as cProfile's disable() closes them.
        ProfileData data = TotalsToProfile.convert(s.snapshot(), 1e-9);
        if (!exiting && transformer != null) {
            instrumentation.removeTransformer(transformer);
            // With the transformer gone, a retransformation gives each class its original bytecode back.
            retransform(instrumentation, transformer, false);
        }
        drainWarnings(done);
        for (String line : s.whatTheHeapLeftOut()) done.line(line);
        if (exiting) done.line("the program ended during the session; the profile covers the session up to its end");
        if (data.size() == 0) {
            done.line("no calls were recorded" + (options.output != null ? "; " + options.output + " not written" : ""));
        } else {
            Path out = options.output != null ? options.output : clientDir.resolve(PROFILE);
            try {
                ProfileFiles.write(data, out, out.toString());
                if (options.output != null) done.line("wrote " + options.output);
                else done.props.setProperty("profile", out.toString());
            } catch (ProfileException e) {
                done.fail("cannot write the profile: " + e.getMessage());
            }
        }
        done.props.setProperty("sort", options.sort);
        try {
            if (Files.isDirectory(clientDir)) done.writeTo(clientDir, DONE);
        } catch (IOException | RuntimeException e) {
            // The attach command is gone; detach has the same lines.
        }
    }

    private static void clear() {
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting; the hook has run or will find no session
        }
        if ("attach".equals(System.getProperty(Agent.INSTALLED))) System.clearProperty(Agent.INSTALLED);
        System.clearProperty(PROPERTY);
        session = null;
        options = null;
        instrumentation = null;
        transformer = null;
        clientDir = null;
        exitHook = null;
        warnings.clear();
    }

    private static synchronized void atExit() {
        if (session == null) return;
        try {
            end(new Control.Reply(), true);
        } catch (Throwable t) {
            // Nothing may disturb the program's exit.
        }
        session = null;
    }

    /** A snapshot of the session recording now, attached or started at launch; it goes on recording. */
    static synchronized void dump(String optionString, Control.Reply reply) {
        Options o = options(optionString, reply);
        if (o == null) return;
        Session active = Hooks.active();
        Session s = session != null && active == session ? session
                : launchSession != null && active == launchSession ? launchSession : null;
        if (s == null) {
            reply.fail(active != null ? "no jcprofile session is recording in it (a Profile of the program's own is; "
                    + "the program writes that one itself)" : "no jcprofile session is recording in it");
            return;
        }
        // Live threads are copied between two of their hooks; calls open now are closed in the copy only.
        ProfileData data = TotalsToProfile.convert(s.snapshot(), 1e-9);
        if (data.size() == 0) {
            reply.fail("no calls recorded yet; " + o.output + " not written");
            return;
        }
        try {
            ProfileFiles.write(data, o.output, o.output.toString());
        } catch (ProfileException e) {
            reply.fail("cannot write the profile: " + e.getMessage());
            return;
        }
        for (String line : s.whatTheHeapLeftOut()) reply.line(line);
        reply.line("wrote " + o.output + " (" + System.getProperty(PROPERTY) + "; it goes on recording)");
    }

    /**
     * Retransforms the classes the transformer wants: to instrument them ({@code instrument}), or, once it is
     * removed, to give them their original bytecode back. Returns how many classes the JVM retransformed.
     */
    private static int retransform(Instrumentation inst, Transformer t, boolean instrument) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) continue;
            if (t.wanted(c.getName().replace('.', '/'))) classes.add(c);
        }
        if (classes.isEmpty()) return 0;
        try {
            // One call for all: several times faster than one by one on a program with many classes.
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            return classes.size();
        } catch (Throwable batchFailed) {
            // One class spoiled the batch: each on its own (a retransformation starts from the original bytes, so
            // doing one twice is harmless), naming the ones that fail.
        }
        Set<String> failed = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable e) {
                names.add(c.getName() + " ");
                failed.add(c.getName() + (instrument ? " left uninstrumented: the JVM would not retransform it ("
                        : " could not be given its original bytecode back; its hooks record nothing now (") + e + ")");
            }
        }
        synchronized (warnings) {
            // One line a class: what the transformer said of the bytes the JVM then refused (another agent's before
            // it, say) is not the reason.
            warnings.removeIf(w -> names.stream().anyMatch(w::startsWith));
        }
        failed.forEach(AttachSession::warn);
        return classes.size() - failed.size();
    }

    private static void warn(String w) {
        synchronized (warnings) {
            if (warnings.size() < MAX_WARNINGS) warnings.add(w);
            else warningsDropped++;
        }
    }

    private static void drainWarnings(Control.Reply reply) {
        synchronized (warnings) {
            warnings.forEach(reply::line);
            if (warningsDropped > 0) reply.line("(and " + warningsDropped + " more warnings)");
            warnings.clear();
            warningsDropped = 0;
        }
    }

    private static java.util.function.Predicate<Thread> threadFilter(Options o) {
        if (o.threads == null) return null;
        return thread -> o.threads.matcher(thread.getName()).find();
    }
}
