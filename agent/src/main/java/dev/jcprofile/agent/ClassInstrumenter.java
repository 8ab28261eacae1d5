package dev.jcprofile.agent;

import dev.jcprofile.runtime.Registry;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Instruments one class file: every method with code gets the hooks of {@link MethodInstrumenter}. Frames are
 * not recomputed (that would need the class hierarchy, and loading classes from a transformer is how agents
 * deadlock or see the wrong loader): the existing frames are kept, expanded, with the new local (the token) added, and
 * the one frame each added handler needs is written by hand.
 */
final class ClassInstrumenter {
    static final int API = Opcodes.ASM9;

    /**
     * The JDK's mark on a method that HotSpot may replace by its own code (an intrinsic): instrumented, its
     * hooks would run only while it is interpreted, so its calls stay built-ins.
     */
    static final String INTRINSIC = "Ljdk/internal/vm/annotation/IntrinsicCandidate;";

    private final Options options;

    /** Prefix of a native method renamed behind its wrapper (JVMTI SetNativeMethodPrefix links it still). */
    static final String NATIVE_PREFIX = "$jcprofile$";

    private final boolean wrapNatives;
    private final Hierarchy hierarchy;
    private final ClassLoader loader;

    /**
     * @param wrapNatives give native methods a Java wrapper that records them as built-ins; only when the class
     *                    is first loaded (a retransformation may not add methods) and the JVM supports prefixes
     */
    ClassInstrumenter(Options options, boolean wrapNatives, Hierarchy hierarchy, ClassLoader loader) {
        this.options = options;
        this.wrapNatives = wrapNatives;
        this.hierarchy = hierarchy;
        this.loader = loader;
    }

    /** Methods left as they were because instrumenting them would pass the JVM's 64 KB limit. */
    final Set<String> tooLarge = new HashSet<>();

    /** The instrumented class, or null when there is nothing to instrument. */
    byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        if ((reader.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_MODULE)) != 0 && !hasCode(reader)) return null;
        Facts facts = new Facts(hierarchy);
        reader.accept(facts, ClassReader.SKIP_FRAMES);
        facts.lambdas.forEach(Registry::lambda);
        Set<String> declared = facts.firstLine.keySet();
        if (!facts.builtins.isEmpty()) {
            declared = new HashSet<>(declared);
            declared.removeAll(facts.builtins);
        }
        hierarchy.remember(loader, facts.internalName, new Hierarchy.Declared(facts.superName, facts.interfaces, declared));
        Hierarchy.Calls calls = hierarchy.of(loader);
        Set<String> skip = new HashSet<>();
        Map<String, Integer> ids = new HashMap<>(); // kept across attempts: a method is registered once
        // Each attempt that passes the limit leaves one more method as it was, however many there are: a bound on
        // the attempts would leave the whole class uninstrumented once the bound was reached.
        while (true) {
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            Visitor visitor = new Visitor(writer, facts, skip, ids, calls);
            reader.accept(visitor, ClassReader.EXPAND_FRAMES);
            if (!visitor.instrumentedAny) return null;
            try {
                return writer.toByteArray();
            } catch (MethodTooLargeException e) {
                String m = e.getMethodName() + e.getDescriptor();
                if (!skip.add(m)) throw e;
                tooLarge.add(Type.getObjectType(e.getClassName()).getClassName() + "." + e.getMethodName() + e.getDescriptor());
            }
        }
    }

    /** A method's name in {@link Registry}: {@code owner.name(descriptor)}. */
    static String member(String owner, String name, String desc) {
        return owner + "." + name + desc;
    }

    private static boolean hasCode(ClassReader reader) {
        boolean[] found = {false};
        reader.accept(new ClassVisitor(API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) found[0] = true;
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return found[0];
    }

    /** What naming needs before instrumenting: source file, each method's first line, overload clashes. */
    private static final class Facts extends ClassVisitor {
        String internalName;
        String superName;
        String[] interfaces;
        String sourceFile;
        final Map<String, Integer> firstLine = new HashMap<>(); // name+desc -> line
        final Map<String, Integer> maxLocals = new HashMap<>(); // name+desc -> the method's own local slots
        /** Program methods that lambdas and method references of this class implement: member -> interface method. */
        final Map<String, String> lambdas = new HashMap<>();
        /** A JDK class's methods that stay as they are, native and intrinsic: calls to them are built-ins. */
        final Set<String> builtins = new HashSet<>();
        private final Hierarchy hierarchy;
        private boolean jdkClass;

        Facts(Hierarchy hierarchy) {
            super(API);
            this.hierarchy = hierarchy;
        }

        @Override
        public void visit(int version, int access, String name, String sig, String superName, String[] interfaces) {
            internalName = name;
            jdkClass = Transformer.isJdk(name);
            this.superName = superName;
            this.interfaces = interfaces;
        }

        @Override
        public void visitSource(String source, String debug) {
            sourceFile = source;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
            String key = name + desc;
            if (jdkClass && (access & Opcodes.ACC_NATIVE) != 0) builtins.add(key);
            // The line of the first instruction, not the smallest line: a constructor's first instruction is on
            // its own line, while the field initializers it runs next may be on lines above it.
            return new MethodVisitor(API) {
                int first = -1;
                @Override
                public void visitLineNumber(int line, Label start) {
                    if (first < 0) first = line;
                }
                @Override
                public org.objectweb.asm.AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    if (jdkClass && annotation.equals(INTRINSIC)) builtins.add(key);
                    return null;
                }
                @Override
                public void visitMaxs(int maxStack, int locals) {
                    maxLocals.put(key, locals);
                }
                @Override
                public void visitEnd() {
                    firstLine.put(key, Math.max(first, 0));
                }
                @Override
                public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
                    // LambdaMetafactory's arguments: the interface method's type, the implementation, ...
                    if (bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory") && args.length >= 2
                            && args[0] instanceof Type && args[1] instanceof Handle) {
                        Handle impl = (Handle) args[1];
                        if (!Transformer.isJdk(impl.getOwner()) || hierarchy.instrumented(impl.getOwner())) {
                            lambdas.put(member(impl.getOwner(), impl.getName(), impl.getDesc()),
                                    name + "/" + ((Type) args[0]).getArgumentTypes().length);
                        }
                    }
                }
            };
        }

        String file() {
            int slash = internalName.lastIndexOf('/');
            String pkg = slash < 0 ? "" : internalName.substring(0, slash + 1);
            return pkg + (sourceFile != null ? sourceFile : internalName.substring(slash + 1) + ".class");
        }

        String simpleName() {
            return internalName.substring(internalName.lastIndexOf('/') + 1);
        }

        private Map<String, Integer> methodsByNameAndLine;

        /** Overloads that would share (line, name) get their parameter types in the name, so they never merge. */
        String methodName(String name, String desc) {
            int line = firstLine.getOrDefault(name + desc, 0);
            if (methodsByNameAndLine == null) {
                // Counted once per class: a class of n methods is named in O(n), not O(n^2).
                methodsByNameAndLine = new HashMap<>();
                for (Map.Entry<String, Integer> e : firstLine.entrySet()) {
                    String key = e.getKey();
                    methodsByNameAndLine.merge(key.substring(0, key.indexOf('(')) + "\0" + e.getValue(), 1, Integer::sum);
                }
            }
            if (methodsByNameAndLine.getOrDefault(name + "\0" + line, 0) > (firstLine.containsKey(name + desc) ? 1 : 0)) {
                StringBuilder b = new StringBuilder(simpleName()).append('.').append(name).append('(');
                Type[] args = Type.getArgumentTypes(desc);
                for (int i = 0; i < args.length; i++) {
                    if (i > 0) b.append(", ");
                    String c = args[i].getClassName();
                    b.append(c.substring(c.lastIndexOf('.') + 1));
                }
                return b.append(')').toString();
            }
            return simpleName() + "." + name;
        }
    }

    private final class Visitor extends ClassVisitor {
        private final Facts facts;
        private final Set<String> skip;
        private final Map<String, Integer> ids;
        private int version;
        boolean instrumentedAny;

        private final Hierarchy.Calls calls;

        Visitor(ClassVisitor next, Facts facts, Set<String> skip, Map<String, Integer> ids, Hierarchy.Calls calls) {
            super(API, next);
            this.facts = facts;
            this.skip = skip;
            this.ids = ids;
            this.calls = calls;
        }

        private boolean interfaceClass;

        @Override
        public void visit(int version, int access, String name, String sig, String superName, String[] interfaces) {
            this.version = version & 0xffff;
            this.interfaceClass = (access & Opcodes.ACC_INTERFACE) != 0;
            super.visit(version, access, name, sig, superName, interfaces);
        }

        /**
         * A native method becomes a private native of a prefixed name, and a Java method of its own name and
         * access calls it, instrumented as a built-in: pstats shows C functions as {@code {built-in method ...}},
         * and the program's code that the native code calls back shows the native method as its caller.
         */
        private MethodVisitor wrapNative(int access, String name, String desc, String sig, String[] ex) {
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            int nativeAccess = (access & ~(Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) | Opcodes.ACC_PRIVATE
                    | Opcodes.ACC_SYNTHETIC;
            MethodVisitor renamed = super.visitMethod(nativeAccess, NATIVE_PREFIX + name, desc, sig, ex);
            String dotted = facts.internalName.replace('/', '.');
            int id = Registry.builtin(isStatic ? "<built-in method " + dotted + "." + name + ">"
                    : "<method '" + name + "' of '" + dotted + "' objects>", name + "/" + Type.getArgumentTypes(desc).length);
            int wrapperAccess = access & ~(Opcodes.ACC_NATIVE | Opcodes.ACC_SYNCHRONIZED);
            // The wrapper's locals are its parameters (and this).
            int parameterSlots = (Type.getArgumentsAndReturnSizes(desc) >> 2) - (isStatic ? 1 : 0);
            MethodVisitor w = new MethodInstrumenter(super.visitMethod(wrapperAccess, name, desc, sig, ex),
                    wrapperAccess, name, desc, id, version >= Opcodes.V1_6, options, parameterSlots, calls);
            w.visitCode();
            int slot = 0;
            if (!isStatic) w.visitVarInsn(Opcodes.ALOAD, slot++);
            for (Type t : Type.getArgumentTypes(desc)) {
                w.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            w.visitMethodInsn(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL, facts.internalName,
                    NATIVE_PREFIX + name, desc, false);
            w.visitInsn(Type.getReturnType(desc).getOpcode(Opcodes.IRETURN));
            w.visitMaxs(0, 0);
            w.visitEnd();
            instrumentedAny = true;
            return renamed;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
            if ((access & Opcodes.ACC_NATIVE) != 0 && wrapNatives && options.builtins && !interfaceClass) {
                return wrapNative(access, name, desc, sig, ex);
            }
            MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE)) != 0) return mv;
            if (skip.contains(name + desc) || facts.builtins.contains(name + desc)) return mv;
            instrumentedAny = true;
            Integer id = ids.computeIfAbsent(name + desc, k -> Registry.method(facts.file(),
                    facts.firstLine.getOrDefault(name + desc, 0), facts.methodName(name, desc),
                    name + "/" + Type.getArgumentTypes(desc).length, member(facts.internalName, name, desc)));
            return new MethodInstrumenter(mv, access, name, desc, id, version >= Opcodes.V1_6, options,
                    facts.maxLocals.get(name + desc), calls);
        }
    }
}
