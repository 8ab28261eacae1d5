package dev.jcprofile.agent;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;
import dev.jcprofile.runtime.Hooks;
import dev.jcprofile.runtime.Session;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The agent once the runtime is on the bootstrap path: installs the transformer and, for a whole-program
 * profile, starts the session at once and dumps it when the JVM shuts down (normal end, {@code System.exit},
 * an uncaught exception, SIGINT or SIGTERM; not {@code Runtime.halt}, which runs no shutdown hooks).
 */
public final class AgentStartup {
    private AgentStartup() {}

    /** The agent string that asks only for instrumentation, for the {@code Profile} API to drive sessions. */
    public static final String API_MODE = "api";

    static void start(String args, Instrumentation inst) {
        boolean api = API_MODE.equals(args);
        Options options;
        try {
            options = api ? new Options() : Options.parse(args, Paths.get("").toAbsolutePath());
        } catch (Options.BadOption e) {
            if (e.fromCommandLine()) {
                System.err.println("jcprofile: " + e.getMessage());
                System.exit(2);
            }
            System.err.println("jcprofile: not profiling: " + e.getMessage());
            return;
        }
        Transformer t = new Transformer(options, inst, Hooks.class.getModule());
        if (!api) {
            wholeProgram = true;
            int timer = options.timer.equals("cpu") ? Session.TIMER_CPU
                    : options.timer.equals("sampled") ? Session.TIMER_SAMPLED : Session.TIMER_WALL;
            Session session = new Session(timer, null, threadFilter(options), options.intervalNanos, options.calibrate);
            Hooks.start(session);
            AttachSession.launched(session, options); // for jcprofile dump and list
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dumpAtExit(session, options), "jcprofile-dump"));
        }
        inst.addTransformer(t, true);
        if (inst.isNativeMethodPrefixSupported()) inst.setNativeMethodPrefix(t, ClassInstrumenter.NATIVE_PREFIX);
        retransformLoaded(inst, t);
    }

    private static volatile boolean wholeProgram;

    /** True when the agent records the whole program (not driven by the Profile API). */
    static boolean wholeProgram() {
        return wholeProgram;
    }

    private static Predicate<Thread> threadFilter(Options options) {
        if (options.threads == null) return null;
        return thread -> options.threads.matcher(thread.getName()).find();
    }

    /** Classes loaded before the agent (by other agents, or before a dynamic attach) are instrumented too. */
    private static void retransformLoaded(Instrumentation inst, Transformer t) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) continue;
            if (t.wanted(c.getName().replace('.', '/'))) classes.add(c);
        }
        if (classes.isEmpty()) return;
        try {
            // One call for all: several times faster than one by one when attaching to a running program.
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            return;
        } catch (Throwable batchFailed) {
            // One class spoiled the batch: retry each on its own (a retransformation always starts from the
            // original bytes, so doing one twice is harmless) and warn about the ones that fail.
        }
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable e) {
                System.err.println("jcprofile: " + c.getName() + " left uninstrumented: " + e);
            }
        }
    }

    private static void dumpAtExit(Session session, Options options) {
        try {
            dump(session, options);
        } catch (Throwable t) {
            // The dump's classes load only now, from the agent's jar: rebuilt or removed while the program ran, it
            // no longer has them. One line, as for any other profile that cannot be written, not the stack trace
            // of a thread the program never started.
            System.err.println("jcprofile: cannot write the profile: " + t
                    + (t instanceof LinkageError ? " (was the agent's jar replaced while the program ran?)" : ""));
        }
    }

    private static void dump(Session session, Options options) {
        Hooks.stop(session);
        // Threads still running are copied between two of their hooks (see ThreadState's sequence count).
        ProfileData data = TotalsToProfile.convert(session.snapshot(), 1e-9);
        if (data.size() == 0) {
            System.err.println("jcprofile: no calls were recorded" + (options.output != null ? "; " + options.output + " not written" : ""));
            return;
        }
        if (options.output != null) {
            try {
                ProfileFiles.write(data, options.output, options.output.toString());
            } catch (ProfileException e) {
                System.err.println("jcprofile: cannot write the profile: " + e.getMessage());
            }
            return;
        }
        System.out.flush();
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        // As `python -m cProfile script` prints: stripped, sorted, no file header.
        new Stats(data).stream(out).stripDirs().sortStats(options.sort).printStats();
        out.flush();
    }

}
