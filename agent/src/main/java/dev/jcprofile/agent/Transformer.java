package dev.jcprofile.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instruments every class outside the JDK and the profiler, in every class loader. A class that cannot be
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
        this.hierarchy = new Hierarchy(options);
    }

    /** The JDK's own packages, which run uninstrumented and appear as built-ins. */
    static boolean isJdk(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
    }

    boolean wanted(String internalName) {
        return internalName != null && !isJdk(internalName) && !internalName.startsWith("dev/jcprofile/")
                && !internalName.contains("$$Lambda") && options.selected(internalName);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefining,
                            ProtectionDomain domain, byte[] classFile) {
        if (!wanted(className)) return null;
        try {
            ClassInstrumenter ci = new ClassInstrumenter(options, wrapNatives && redefining == null && inst.isNativeMethodPrefixSupported(),
                    hierarchy, loader);
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
