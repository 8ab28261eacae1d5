package dev.jcprofile.agent;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a call that names one of the program's classes lands. {@code myMap.get(k)} on a class that extends
 * HashMap without overriding get, {@code worker.start()} on a Thread subclass, {@code foo.hashCode()} on a class
 * that does not override it: the call names the program's class, but runs the JDK's method, which is not
 * instrumented, so it must be recorded as a built-in. Answered from the class files that the class loader holds
 * (never by loading a class: a transformer that loads classes is how agents deadlock).
 */
final class Hierarchy {
    private final Options options;
    private final JdkClasses jdk;
    /** Per class loader: what each class file declares. Weak: a loader that goes away takes its entries along. */
    private final Map<ClassLoader, Map<String, Declared>> byLoader = new WeakHashMap<>();
    private final Map<String, Declared> bootstrap = new ConcurrentHashMap<>();

    Hierarchy(Options options, JdkClasses jdk) {
        this.options = options;
        this.jdk = jdk;
    }

    /** Reads one JDK class file through each kind of loader (see {@link Transformer}'s warm-up). */
    void warmUp() {
        declared(null, "java/util/ArrayList");
        declared(ClassLoader.getSystemClassLoader(), "java/util/ArrayList");
    }

    /** What one class declares: its super types and its methods (name and descriptor). */
    static final class Declared {
        final String superName;
        final String[] interfaces;
        final Set<String> methods;

        Declared(String superName, String[] interfaces, Set<String> methods) {
            this.superName = superName;
            this.interfaces = interfaces != null ? interfaces : new String[0];
            this.methods = methods;
        }

        /** Read from a class file. */
        static Declared of(byte[] classFile) {
            ClassReader reader = new ClassReader(classFile);
            Set<String> methods = new HashSet<>();
            boolean jdkClass = Transformer.isJdk(reader.getClassName());
            reader.accept(new ClassVisitor(ClassInstrumenter.API) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    // A JDK class's native methods and intrinsics stay as they are: calls to them are built-ins.
                    if (jdkClass && (access & Opcodes.ACC_NATIVE) != 0) return null;
                    methods.add(name + desc);
                    if (!jdkClass) return null;
                    return new MethodVisitor(ClassInstrumenter.API) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                            if (annotation.equals(ClassInstrumenter.INTRINSIC)) methods.remove(name + desc);
                            return null;
                        }
                    };
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new Declared(reader.getSuperName(), reader.getInterfaces(), methods);
        }
    }

    /** Whether calls into this class run instrumented code: the program's classes that the options select, the JDK's that --jdk does. */
    boolean instrumented(String internalName) {
        // Asked for the owner of every call site: remembered, since matching the patterns costs a copy of the name
        // and a pass over the patterns (a twelfth of ecj's transformation time before).
        Boolean known = instrumentedByName.get(internalName);
        if (known == null) {
            known = Transformer.isJdk(internalName) ? jdk.selected(internalName)
                    : !internalName.startsWith("dev/jcprofile/") && options.selected(internalName);
            instrumentedByName.put(internalName, known);
        }
        return known;
    }

    private final Map<String, Boolean> instrumentedByName = new ConcurrentHashMap<>();

    /** Where the calls of classes of one class loader land. */
    interface Calls {
        /** Whether a call naming {@code owner} runs instrumented code (the program's), as far as is known. */
        boolean runInstrumented(String owner, String name, String desc);
    }

    Calls of(ClassLoader loader) {
        return (owner, name, desc) -> instrumented(owner) && !inheritsUninstrumented(loader, owner, name, desc);
    }

    /** Records the class being instrumented, whose class file is at hand. */
    void remember(ClassLoader loader, String internalName, Declared declared) {
        cache(loader).put(internalName, declared);
    }

    /**
     * True when a call of {@code name desc} on {@code owner}, a class or interface of the program, certainly runs
     * code that is not instrumented: no class or interface of the program from {@code owner} up declares it. When
     * a class file cannot be read, false: the call is taken to be the program's, as before this was asked.
     */
    boolean inheritsUninstrumented(ClassLoader loader, String owner, String name, String desc) {
        return lookup(loader, owner, name + desc, new HashSet<>()) == 0;
    }

    /** 1: declared in the program's code; 0: nowhere in it; -1: not known (a class file could not be read). */
    private int lookup(ClassLoader loader, String owner, String method, Set<String> seen) {
        if (!instrumented(owner) || !seen.add(owner)) return 0;
        Declared d = declared(loader, owner);
        if (d == null) return -1;
        if (d.methods.contains(method)) return 1;
        int result = 0;
        if (d.superName != null) {
            int r = lookup(loader, d.superName, method, seen);
            if (r == 1) return 1;
            if (r < 0) result = -1;
        }
        for (String i : d.interfaces) {
            int r = lookup(loader, i, method, seen);
            if (r == 1) return 1;
            if (r < 0) result = -1;
        }
        return result;
    }

    private Map<String, Declared> cache(ClassLoader loader) {
        if (loader == null) return bootstrap;
        synchronized (byLoader) {
            return byLoader.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
    }

    private Declared declared(ClassLoader loader, String internalName) {
        Map<String, Declared> cache = cache(loader);
        Declared d = cache.get(internalName);
        if (d != null) return d == UNREADABLE ? null : d;
        String resource = internalName + ".class";
        try (InputStream in = loader != null ? loader.getResourceAsStream(resource) : ClassLoader.getSystemResourceAsStream(resource)) {
            d = in == null ? UNREADABLE : Declared.of(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            d = UNREADABLE;
        }
        // Remembered either way: a class file that is not there was searched for in every jar of the class path,
        // for each call naming the class. A class defined later without one (generated) replaces this when it is
        // instrumented (remember).
        cache.put(internalName, d);
        return d == UNREADABLE ? null : d;
    }

    /** A class whose file could not be read: calls naming it are taken to be the program's. */
    private static final Declared UNREADABLE = new Declared(null, null, Set.of());
}
