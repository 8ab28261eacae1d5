package dev.jcprofile.agent;

import dev.jcprofile.runtime.Registry;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AdviceAdapter;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Adds the hooks to one method (see {@code dev.jcprofile.runtime.Hooks} for the shape in Java terms):
 * <ul>
 * <li>at entry, {@code token = Hooks.enter(ID)}; in a constructor this comes before the {@code super(...)} call,
 *     so the arguments it evaluates are the constructor's own calls;</li>
 * <li>before each return, {@code Hooks.exit(token, ID)};</li>
 * <li>a catch-all handler over the whole body, last in the exception table so the method's own handlers come
 *     first: {@code Hooks.exit(token, ID); athrow}. A constructor gets two: one over the code before
 *     {@code super(...)}, whose frame still holds {@code uninitializedThis} (a handler there may only rethrow),
 *     and one over the code after it;</li>
 * <li>around each call into code that is not instrumented, {@code Hooks.enterBuiltin(BUILTIN_ID)} before and
 *     {@code Hooks.resume(token, ID)} after;</li>
 * <li>at the start of each of the method's own exception handlers, {@code Hooks.resume(token, ID)}: whatever the
 *     exception unwound is closed there.</li>
 * </ul>
 * The token is the one value the method keeps for its hooks, an {@code int} (what a compiled frame keeps across its
 * calls is what limits the recursion a stack holds, see Hooks); the id is a constant. The method's own local
 * variables keep their slots: {@code token} takes the slot after the last one it uses, and every stack map frame
 * gets it there. Renumbering the method's locals (as ASM's
 * {@code LocalVariablesSorter} does) would show: the JVM's helpful NullPointerException messages name a local of
 * a class compiled without {@code -g} by its slot ({@code "<local4>" is null}). In a constructor, the method's
 * instructions also go to an {@link AdviceAdapter} that emits nothing: it finds the {@code super(...)} call.
 */
final class MethodInstrumenter extends MethodVisitor {
    private static final String HOOKS = "dev/jcprofile/runtime/Hooks";

    private final int id;
    private final boolean constructor;
    private final boolean frames;
    private final Options options;
    /** The slot of {@code token}: after the method's own locals. */
    private final int token;
    private final Label beforeSuper = new Label(), body = new Label();
    private boolean entered;
    private Label initCall; // in a constructor: the last <init> call seen before super(...) was found
    private final Set<Label> handlers = new HashSet<>();
    private boolean pendingHandler;
    /** In a constructor, until super(...) is found: follows the stack to find it. */
    private AdviceAdapter superFinder;

    private final Hierarchy.Calls calls;

    MethodInstrumenter(MethodVisitor next, int access, String name, String desc, int id, boolean frames,
                       Options options, int maxLocals, Hierarchy.Calls calls) {
        super(ClassInstrumenter.API, next);
        this.calls = calls;
        this.id = id;
        this.constructor = name.equals("<init>");
        this.frames = frames;
        this.options = options;
        this.token = maxLocals;
        if (constructor) {
            superFinder = new AdviceAdapter(ClassInstrumenter.API, null, access, name, desc) {
                @Override
                protected void onMethodEnter() {
                    superCalled();
                }
            };
        }
    }

    @Override
    public void visitCode() {
        super.visitCode();
        emitEnter();
        if (constructor) {
            mv.visitLabel(beforeSuper);
            superFinder.visitCode();
        } else {
            entered = true;
            mv.visitLabel(body);
        }
    }

    /** The constructor's super(...) or this(...) call has just been written: its body starts here. */
    private void superCalled() {
        entered = true;
        superFinder = null;
        mv.visitLabel(body);
    }

    /** {@code int token = Hooks.enter(ID);} */
    private void emitEnter() {
        mv.visitLdcInsn(id);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "enter", "(I)I", false);
        mv.visitVarInsn(Opcodes.ISTORE, token);
    }

    /** {@code Hooks.exit(token, ID)} or {@code Hooks.resume(token, ID)}. */
    private void emitHook(String name) {
        mv.visitVarInsn(Opcodes.ILOAD, token);
        mv.visitLdcInsn(id);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name, "(II)V", false);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        handlers.add(handler);
        super.visitTryCatchBlock(start, end, handler, type);
        if (superFinder != null) superFinder.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLabel(Label label) {
        super.visitLabel(label);
        if (handlers.contains(label)) pendingHandler = true;
        if (superFinder != null) superFinder.visitLabel(label);
    }

    /** The method's frames, with {@code token} in its slot after the method's own locals. */
    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (type != Opcodes.F_NEW) throw new IllegalArgumentException("frames must be expanded (ClassReader.EXPAND_FRAMES)");
        Object[] locals = new Object[numLocal + token + 1];
        int n = 0, slot = 0;
        for (; n < numLocal; n++) {
            locals[n] = local[n];
            slot += local[n] == Opcodes.LONG || local[n] == Opcodes.DOUBLE ? 2 : 1;
        }
        while (slot < token) {
            locals[n++] = Opcodes.TOP;
            slot++;
        }
        locals[n++] = Opcodes.INTEGER;
        super.visitFrame(type, n, locals, numStack, stack);
    }

    /** Runs before each of the method's own instructions: resumes the method at the start of its handlers. */
    private void beforeInstruction() {
        if (pendingHandler) {
            pendingHandler = false;
            emitHook("resume");
        }
    }

    @Override
    public void visitInsn(int opcode) {
        beforeInstruction();
        // A throw is seen by the catch-all handler.
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) emitHook("exit");
        super.visitInsn(opcode);
        if (superFinder != null) superFinder.visitInsn(opcode);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
        beforeInstruction();
        int builtin = builtinId(opcode, owner, name, desc);
        if (builtin >= 0) {
            mv.visitLdcInsn(builtin);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "enterBuiltin", "(I)V", false);
        }
        if (constructor && !entered && opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
            initCall = new Label();
            mv.visitLabel(initCall);
        }
        super.visitMethodInsn(opcode, owner, name, desc, isInterface);
        // When this was super(...), the body starts right after it, before the resume of a JDK super constructor.
        if (superFinder != null) superFinder.visitMethodInsn(opcode, owner, name, desc, isInterface);
        if (builtin >= 0) emitHook("resume");
    }

    /** The built-in id for a call into code that is not instrumented, or -1 for a call into instrumented code. */
    private int builtinId(int opcode, String owner, String name, String desc) {
        if (!options.builtins || owner.startsWith("[")) return -1;
        if (owner.equals("java/lang/Object") && name.equals("<init>")) return -1; // not worth a row
        if (owner.startsWith("dev/jcprofile/")) return -1; // the profiler's own API
        if (name.startsWith(ClassInstrumenter.NATIVE_PREFIX)) return -1; // a native's wrapper is its built-in
        // A call naming the program's class runs the program's code, unless the class inherits the method from
        // the JDK (Thread.start on a Thread subclass); if an override turns up there, Hooks.enter sees it.
        if (calls.runInstrumented(owner, name, desc)) return -1;
        String dotted = owner.replace('/', '.');
        String pstatsName = opcode == Opcodes.INVOKESTATIC
                ? "<built-in method " + dotted + "." + name + ">"
                : "<method '" + name + "' of '" + dotted + "' objects>";
        return Registry.builtin(pstatsName, name + "/" + Type.getArgumentTypes(desc).length);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        Label end = new Label();
        mv.visitLabel(end);
        if (constructor && initCall != null) {
            // Over the code before super(...), where `this` is still uninitialized. Not over the call itself:
            // the verifier checks a handler against the frame after it too, and no frame fits both. An
            // exception from super(...) leaves the frame open; the caller's next hook closes it.
            Label handler = new Label();
            mv.visitTryCatchBlock(beforeSuper, initCall, handler, null);
            mv.visitLabel(handler);
            handlerFrame(Opcodes.UNINITIALIZED_THIS);
            emitHook("exit");
            mv.visitInsn(Opcodes.ATHROW);
        }
        Label handler = new Label();
        mv.visitTryCatchBlock(body, end, handler, null);
        mv.visitLabel(handler);
        handlerFrame(Opcodes.TOP);
        emitHook("exit");
        mv.visitInsn(Opcodes.ATHROW);
        super.visitMaxs(maxStack, Math.max(maxLocals, token + 1));
    }

    /** The frame of an added handler: the method's locals unknown (TOP), then ours, a Throwable on the stack. */
    private void handlerFrame(Object first) {
        if (!frames) return;
        Object[] locals = new Object[token + 1];
        Arrays.fill(locals, Opcodes.TOP);
        if (first == Opcodes.UNINITIALIZED_THIS) locals[0] = Opcodes.UNINITIALIZED_THIS;
        locals[token] = Opcodes.INTEGER;
        mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
    }

    // Every instruction passes through beforeInstruction, so a handler's resume comes before its first one; in a
    // constructor, each also goes to the finder of super(...) until it is found.
    @Override
    public void visitIntInsn(int opcode, int operand) {
        beforeInstruction();
        super.visitIntInsn(opcode, operand);
        if (superFinder != null) superFinder.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        beforeInstruction();
        super.visitVarInsn(opcode, var);
        if (superFinder != null) superFinder.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        beforeInstruction();
        super.visitTypeInsn(opcode, type);
        if (superFinder != null) superFinder.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        beforeInstruction();
        super.visitFieldInsn(opcode, owner, name, desc);
        if (superFinder != null) superFinder.visitFieldInsn(opcode, owner, name, desc);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
        beforeInstruction();
        super.visitInvokeDynamicInsn(name, desc, bsm, args);
        if (superFinder != null) superFinder.visitInvokeDynamicInsn(name, desc, bsm, args);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        beforeInstruction();
        super.visitJumpInsn(opcode, label);
        if (superFinder != null) superFinder.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        beforeInstruction();
        super.visitLdcInsn(value);
        if (superFinder != null) superFinder.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        beforeInstruction();
        super.visitIincInsn(var, increment);
        if (superFinder != null) superFinder.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        beforeInstruction();
        super.visitTableSwitchInsn(min, max, dflt, labels);
        if (superFinder != null) superFinder.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        beforeInstruction();
        super.visitLookupSwitchInsn(dflt, keys, labels);
        if (superFinder != null) superFinder.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String desc, int dims) {
        beforeInstruction();
        super.visitMultiANewArrayInsn(desc, dims);
        if (superFinder != null) superFinder.visitMultiANewArrayInsn(desc, dims);
    }
}
