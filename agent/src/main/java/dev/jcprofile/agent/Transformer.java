package dev.jcprofile.agent;

import dev.jcprofile.runtime.CompilerDirectives;
import dev.jcprofile.runtime.Hooks;
import dev.jcprofile.runtime.ThreadState;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instruments every class outside the JDK and the profiler, in every class loader, and the JDK classes that
 * {@code --jdk} selects ({@link JdkClasses}). A class that cannot be
 * instrumented is left exactly as it was, with one line on standard error: the profiler never breaks a program.
 */
final class Transformer implements ClassFileTransformer {
    private final Options options;
    private final Instrumentation inst;
    private final Module hooksModule;
    /**
     * Named modules already given their read edge to the hooks. Weak: a module refers to its class loader, and a
     * program that creates and drops module layers (a plugin system) must be able to unload them.
     */
    private final Set<Module> readersAdded = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final Map<String, Boolean> warned = new ConcurrentHashMap<>();
    private final Hierarchy hierarchy;
    private final JdkClasses jdk;
    /**
     * Off for a session attached to a running program: a native method's wrapper is a method added to its class,
     * and a class that gained a method cannot be retransformed back to its original bytecode at detach.
     */
    boolean wrapNatives = true;
    /** Where warnings go: standard error, or, for an attached session, the jcprofile command that attached it. */
    java.util.function.Consumer<String> warnings = w -> System.err.println("jcprofile: " + w);

    Transformer(Options options, Instrumentation inst, Module hooksModule) {
        this.options = options;
        this.inst = inst;
        this.hooksModule = hooksModule;
        this.jdk = new JdkClasses(options);
        this.hierarchy = new Hierarchy(options, jdk);
        if (!options.quiet) for (String w : jdk.warnings) System.err.println("jcprofile: " + w);
        if (jdk.any()) warmUp();
    }

    /**
     * Runs the transformer's paths once before it is installed, so that the JDK classes they use are loaded
     * before any of them can be instrumented: a class the transformer needs while it instruments that same class
     * would be loaded twice at once (see {@link #transform}).
     */
    private void warmUp() {
        try (java.io.InputStream in = Transformer.class.getResourceAsStream("Options.class")) {
            if (in != null) new ClassInstrumenter(options, false, hierarchy, Transformer.class.getClassLoader()).instrument(in.readAllBytes());
        } catch (Throwable ignored) {
            // only a warm-up
        }
        hierarchy.warmUp();
        wanted("java/util/ArrayList");
    }

    /** The JDK's own packages, which run uninstrumented and appear as built-ins. */
    static boolean isJdk(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
    }

    /** Whether to instrument this class: those whose calls run instrumented code ({@link Hierarchy#instrumented}). */
    boolean wanted(String internalName) {
        if (internalName == null || internalName.contains("$$Lambda")) return false;
        return hierarchy.instrumented(internalName);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefining,
                            ProtectionDomain domain, byte[] classFile) {
        if (!wanted(className)) return null;
        boolean[] busy = jdk.any() ? transforming.get() : null;
        if (busy != null && busy[0] && isJdk(className)) {
            // Loaded by the transformer's own work while it instruments another class: instrumenting it now
            // could need the very class being loaded (a ClassCircularityError the JVM would then remember).
            warn(className.replace('/', '.'), "left uninstrumented: loaded while the profiler was instrumenting a class");
            return null;
        }
        // The thread loading the class may be in the middle of the program's calls: the time spent here, and
        // whatever the instrumenting calls (a class loader's getResource, instrumented JDK code under --jdk), is
        // the profiler's, not theirs.
        ThreadState paused = Hooks.beginOwnWork();
        boolean wasBusy = busy != null && busy[0];
        if (busy != null) busy[0] = true;
        try {
            return instrument(module, loader, className, redefining, classFile);
        } finally {
            if (busy != null) busy[0] = wasBusy;
            Hooks.endOwnWork(paused);
        }
    }

    /**
     * Once this many bytes of class files have been handed to the instrumenter, C2 is kept off it
     * ({@link CompilerDirectives}: that loads some classes of java.management, a few milliseconds that a program of
     * a few classes, a hello world, need not pay), here, inside the bracket of the profiler's own work. Counted in
     * bytes, not classes, since ASM's loops turn hot with the bytecode they go through: C2 takes them up after some
     * 40,000 iterations (HotSpot's Tier4BackEdgeThreshold), and ecj's first 16 classes were already too many.
     */
    private static final int BYTES_BEFORE_THE_JIT_DIRECTIVE = 32 * 1024;
    /** Counted without a lock: two threads counting at once only move the moment a little. */
    private long bytesInstrumented;

    /** Whether this thread is inside {@link #transform}, under {@code --jdk}. */
    private final ThreadLocal<boolean[]> transforming = ThreadLocal.withInitial(() -> new boolean[1]);

    private byte[] instrument(Module module, ClassLoader loader, String className, Class<?> redefining, byte[] classFile) {
        try {
            // A JDK class keeps its native methods: their wrappers would rename methods the JVM links by name.
            boolean wrap = wrapNatives && redefining == null && inst.isNativeMethodPrefixSupported() && !isJdk(className);
            if (bytesInstrumented < BYTES_BEFORE_THE_JIT_DIRECTIVE && (bytesInstrumented += classFile.length) >= BYTES_BEFORE_THE_JIT_DIRECTIVE) {
                CompilerDirectives.keepC2OffTheInstrumenter(jdk.any());
            }
            ClassInstrumenter ci = new ClassInstrumenter(options, wrap, hierarchy, loader);
            byte[] out = ci.instrument(classFile);
            for (String m : ci.tooLarge) warn(m, "left uninstrumented: instrumenting it would pass the JVM's 64 KB method size limit");
            if (out == null) return null;
            if (module != null && module.isNamed() && readersAdded.add(module)) {
                // A class in a named module may only call the hooks once its module reads theirs.
                inst.redefineModule(module, Set.of(hooksModule), Map.of(), Map.of(), Set.of(), Map.of());
            }
            return out;
        } catch (Throwable t) {
            warn(className.replace('/', '.'), "left uninstrumented: " + t);
            return null;
        }
    }

    private void warn(String what, String why) {
        if (options.quiet || warned.putIfAbsent(what, Boolean.TRUE) != null) return;
        warnings.accept(what + " " + why);
    }
}
