package dev.jcprofile.agent;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.format.ProcessId;
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
import java.util.Map;
import java.util.Set;
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
        OutputClaim claim = null;
        if (!api && options.output != null) {
            // Said now, not after an hour's run: the program has not started yet.
            try {
                claim = OutputClaim.claim(options.output, ProcessId.current());
            } catch (OutputClaim.Unwritable e) {
                if (options.cli) {
                    System.err.println("jcprofile: cannot write the profile: " + e.getMessage());
                    System.exit(2);
                }
                System.err.println("jcprofile: not profiling: cannot write the profile: " + e.getMessage());
                return;
            }
            if (claim.diverted) {
                System.err.println("jcprofile: another running JVM writes " + options.output + "; this one's profile goes to "
                        + claim.path);
            }
            options.output = claim.path;
        }
        openToTheRuntime(inst); // before the hooks' class initializes
        Transformer t = new Transformer(options, inst, Hooks.class.getModule());
        if (!api) {
            wholeProgram = true;
            int timer = timerKind(options.timer);
            Session session = new Session(timer, null, threadFilter(options), options.intervalNanos, options.calibrate);
            if (PerThreadOutput.wanted(options.output)) session.keepThreadsApart();
            if (options.tree) session.recordTree();
            session.holdHeapReserve(); // room for SIGTERM and the dump in a heap the program filled
            Hooks.start(session);
            if (!options.quiet) sayWhatTheTimerMeasures(timer);
            AttachSession.launched(session, options); // for jcprofile dump and list
            OutputClaim held = claim;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    dumpAtExit(session, options);
                } finally {
                    if (held != null) held.release();
                }
            }, "jcprofile-dump"));
        }
        inst.addTransformer(t, true);
        if (inst.isNativeMethodPrefixSupported()) inst.setNativeMethodPrefix(t, ClassInstrumenter.NATIVE_PREFIX);
        retransformLoaded(inst, t);
    }

    private static volatile boolean wholeProgram;

    static int timerKind(String timer) {
        switch (timer) {
            case "cpu": return Session.TIMER_CPU;
            case "sampled": return Session.TIMER_SAMPLED;
            case "sampled-cpu": return Session.TIMER_SAMPLED_CPU;
            default: return Session.TIMER_WALL;
        }
    }

    /** Whether the JVM has virtual threads (JDK 21 and later). */
    private static boolean virtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * Opens to the runtime's module alone (never to the program's code) java.lang, for two private fields:
     * {@code Thread.tid}, by which the hooks find a thread's state (Hooks' BY_ID: {@code getId()} may be the
     * program's override), and {@code VirtualThread.carrierThread}, by which sampled-cpu charges a carrier's CPU
     * time to the virtual thread mounted on it; and jdk.management's internals, for the JVM's diagnostic command
     * that keeps C2 off the instrumenter ({@link CompilerDirectives}). Must come before the hooks' class
     * initializes.
     */
    static void openToTheRuntime(Instrumentation inst) {
        Module runtime = Hooks.class.getModule();
        try {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(), Map.of("java.lang", Set.of(runtime)),
                    Set.of(), Map.of());
        } catch (RuntimeException e) {
            // The hooks then find each state through the thread-local alone, and virtual threads get no CPU time
            // under sampled-cpu, which start-up says.
        }
        try {
            // The JVM's arguments, read by the runtime's HeapReserve (jdk.internal.misc.VM.getRuntimeArguments).
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(runtime)), Map.of(),
                    Set.of(), Map.of());
        } catch (RuntimeException e) {
            // Then no reserve of heap is held (HeapReserve)
        }
        ModuleLayer.boot().findModule("jdk.management").ifPresent(management -> {
            try {
                inst.redefineModule(management, Set.of(), Map.of(),
                        Map.of("com.sun.management.internal", Set.of(runtime)), Set.of(), Map.of());
            } catch (RuntimeException e) {
                // C2 then compiles the instrumenter too
            }
        });
    }

    /** One line at start-up where the timer's figures need one (the cpu timer's cost; virtual threads' CPU). */
    private static void sayWhatTheTimerMeasures(int timer) {
        if (timer == Session.TIMER_CPU) {
            System.err.println("jcprofile: timer cpu reads the thread's CPU clock at every call (about " + CPU_CLOCK_COST
                    + " each, a system call): many calls run many times slower; --timer sampled-cpu measures CPU time"
                    + " at sampled's cost" + (virtualThreads() ? "; calls on virtual threads get no CPU time (the JDK"
                    + " measures none for virtual threads)" : ""));
        } else if (timer == Session.TIMER_SAMPLED_CPU && virtualThreads() && !Session.carrierCpuReadable()) {
            System.err.println("jcprofile: timer sampled-cpu: calls on virtual threads get no CPU time (the JDK measures"
                    + " none for virtual threads, and their carrier threads cannot be read)");
        }
    }

    /** The cpu timer's cost per call, as docs/performance.md measures it. */
    static final String CPU_CLOCK_COST = "1 to 3 µs";

    /** The note the table's figures need, or null: calls on virtual threads that got no CPU time. */
    static String virtualThreadNote(int timer, Session.Totals totals) {
        boolean noCpu = timer == Session.TIMER_CPU || timer == Session.TIMER_SAMPLED_CPU && !Session.carrierCpuReadable();
        if (!noCpu || totals.virtualThreadCalls == 0) return null;
        return "jcprofile: " + totals.virtualThreadCalls + " calls on virtual threads got no CPU time (the JDK measures"
                + " none for virtual threads)" + (timer == Session.TIMER_CPU ? "; --timer sampled-cpu charges them their carriers' CPU" : "");
    }

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
        // Said whatever the output: what the profile lacks, which no table header can say.
        for (String line : session.whatTheHeapLeftOut()) System.err.println("jcprofile: " + line);
        if (PerThreadOutput.wanted(options.output)) {
            PerThreadOutput.write(session, options.output);
            return;
        }
        // Threads still running are copied between two of their hooks (see ThreadState's sequence count).
        Session.Totals totals = session.snapshot();
        ProfileData data = TotalsToProfile.convert(totals, 1e-9);
        String note = virtualThreadNote(timerKind(options.timer), totals);
        if (data.size() == 0) {
            System.err.println("jcprofile: no calls were recorded" + (options.output != null ? "; " + options.output + " not written" : ""));
            return;
        }
        // Beside the table, never in it: its header stays pstats's, byte for byte.
        if (note != null && options.output != null) System.err.println(note);
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
        if (note != null) out.println(note);
        // As `python -m cProfile script` prints: stripped, sorted, no file header.
        new Stats(data).stream(out).stripDirs().sortStats(options.sort).printStats();
        out.flush();
    }

}
