package dev.jcprofile.agent;

import dev.jcprofile.runtime.Registry;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AdviceAdapter;

import java.util.HashSet;
import java.util.Set;

/**
 * Adds the hooks to one method (see {@code dev.jcprofile.runtime.Hooks} for the shape in Java terms):
 * <ul>
 * <li>at entry, {@code s = Hooks.enter(ID); token = s.token}; in a constructor this comes before the
 *     {@code super(...)} call, so the arguments it evaluates are the constructor's own calls;</li>
 * <li>before each return, {@code Hooks.exit(s, token)};</li>
 * <li>a catch-all handler over the whole body, last in the exception table so the method's own handlers come
 *     first: {@code Hooks.exit(s, token); athrow}. A constructor gets two: one over the code before
 *     {@code super(...)}, whose frame still holds {@code uninitializedThis} (a handler there may only rethrow),
 *     and one over the code after it;</li>
 * <li>around each call into code that is not instrumented, {@code Hooks.enterBuiltin(s, BUILTIN_ID)} before and
 *     {@code Hooks.resume(s, token)} after;</li>
 * <li>at the start of each of the method's own exception handlers, {@code Hooks.resume(s, token)}: whatever the
 *     exception unwound is closed there.</li>
 * </ul>
 * Everything it emits goes straight to the next visitor with final local indices; only the method's own
 * instructions pass through {@link AdviceAdapter}, which finds the {@code super(...)} call.
 */
final class MethodInstrumenter extends AdviceAdapter {
    private static final String HOOKS = "dev/jcprofile/runtime/Hooks";
    private static final String STATE = "dev/jcprofile/runtime/ThreadState";
    private static final String STATE_DESC = "L" + STATE + ";";

    private final int id;
    private final boolean constructor;
    private final boolean frames;
    private final Options options;
    private int state = -1, token = -1;
    private final Label beforeSuper = new Label(), body = new Label();
    private boolean entered;
    private Label initCall; // in a constructor: the last <init> call seen before super(...) was found
    private final Set<Label> handlers = new HashSet<>();
    private boolean pendingHandler;

    MethodInstrumenter(MethodVisitor next, int access, String name, String desc, int id, boolean frames,
                       Options options) {
        super(ClassInstrumenter.API, next, access, name, desc);
        this.id = id;
        this.constructor = name.equals("<init>");
        this.frames = frames;
        this.options = options;
    }

    @Override
    public void visitCode() {
        super.visitCode(); // for a plain method, AdviceAdapter calls onMethodEnter from here
        if (constructor) {
            emitEnter();
            mv.visitLabel(beforeSuper);
        }
    }

    @Override
    protected void onMethodEnter() {
        if (!constructor) emitEnter();
        entered = true;
        mv.visitLabel(body);
    }

    /** {@code ThreadState s = Hooks.enter(ID); int token = s.token;} */
    private void emitEnter() {
        state = newLocal(Type.getObjectType(STATE));
        token = newLocal(Type.INT_TYPE);
        mv.visitLdcInsn(id);
        mv.visitMethodInsn(INVOKESTATIC, HOOKS, "enter", "(I)" + STATE_DESC, false);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, state);
        mv.visitFieldInsn(GETFIELD, STATE, "token", "I");
        mv.visitVarInsn(ISTORE, token);
    }

    private void emitHook(String name) {
        mv.visitVarInsn(ALOAD, state);
        mv.visitVarInsn(ILOAD, token);
        mv.visitMethodInsn(INVOKESTATIC, HOOKS, name, "(" + STATE_DESC + "I)V", false);
    }

    @Override
    protected void onMethodExit(int opcode) {
        if (opcode != ATHROW) emitHook("exit"); // a throw is seen by the catch-all handler
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        handlers.add(handler);
        super.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLabel(Label label) {
        super.visitLabel(label);
        if (handlers.contains(label)) pendingHandler = true;
    }

    /** Runs before each of the method's own instructions: resumes the method at the start of its handlers. */
    private void beforeInstruction() {
        if (pendingHandler && state >= 0) {
            pendingHandler = false;
            emitHook("resume");
        }
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
        beforeInstruction();
        int builtin = builtinId(opcode, owner, name, desc);
        if (builtin >= 0 && state >= 0) {
            mv.visitVarInsn(ALOAD, state);
            mv.visitLdcInsn(builtin);
            mv.visitMethodInsn(INVOKESTATIC, HOOKS, "enterBuiltin", "(" + STATE_DESC + "I)V", false);
        }
        if (constructor && !entered && opcode == INVOKESPECIAL && name.equals("<init>")) {
            initCall = new Label();
            mv.visitLabel(initCall);
        }
        super.visitMethodInsn(opcode, owner, name, desc, isInterface);
        if (builtin >= 0 && state >= 0) emitHook("resume");
    }

    /** The built-in id for a call into code that is not instrumented, or -1 for a call into instrumented code. */
    private int builtinId(int opcode, String owner, String name, String desc) {
        if (!options.builtins || owner.startsWith("[")) return -1;
        if (owner.equals("java/lang/Object") && name.equals("<init>")) return -1; // not worth a row
        if (owner.startsWith("dev/jcprofile/")) return -1; // the profiler's own API
        if (!Transformer.isJdk(owner) && options.selected(owner)) return -1;
        String dotted = owner.replace('/', '.');
        String pstatsName = opcode == INVOKESTATIC
                ? "<built-in method " + dotted + "." + name + ">"
                : "<method '" + name + "' of '" + dotted + "' objects>";
        return Registry.builtin(pstatsName, name + "/" + Type.getArgumentTypes(desc).length);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (state >= 0) {
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
                mv.visitInsn(ATHROW);
            }
            Label handler = new Label();
            mv.visitTryCatchBlock(body, end, handler, null);
            mv.visitLabel(handler);
            handlerFrame(Opcodes.TOP);
            emitHook("exit");
            mv.visitInsn(ATHROW);
        }
        super.visitMaxs(maxStack, maxLocals);
    }

    /** The frame of an added handler: parameters unknown (TOP), then our two locals, a Throwable on the stack. */
    private void handlerFrame(Object first) {
        if (!frames) return;
        Object[] locals = new Object[token + 1];
        for (int i = 0; i < locals.length; i++) locals[i] = Opcodes.TOP;
        if (first == Opcodes.UNINITIALIZED_THIS) locals[0] = Opcodes.UNINITIALIZED_THIS;
        locals[state] = STATE;
        locals[token] = Opcodes.INTEGER;
        mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
    }

    // Every instruction passes through beforeInstruction, so a handler's resume comes before its first one.
    @Override public void visitInsn(int opcode) { beforeInstruction(); super.visitInsn(opcode); }
    @Override public void visitIntInsn(int opcode, int operand) { beforeInstruction(); super.visitIntInsn(opcode, operand); }
    @Override public void visitVarInsn(int opcode, int var) { beforeInstruction(); super.visitVarInsn(opcode, var); }
    @Override public void visitTypeInsn(int opcode, String type) { beforeInstruction(); super.visitTypeInsn(opcode, type); }
    @Override public void visitFieldInsn(int opcode, String owner, String name, String desc) {
        beforeInstruction();
        super.visitFieldInsn(opcode, owner, name, desc);
    }
    @Override public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
        beforeInstruction();
        super.visitInvokeDynamicInsn(name, desc, bsm, args);
    }
    @Override public void visitJumpInsn(int opcode, Label label) { beforeInstruction(); super.visitJumpInsn(opcode, label); }
    @Override public void visitLdcInsn(Object value) { beforeInstruction(); super.visitLdcInsn(value); }
    @Override public void visitIincInsn(int var, int increment) { beforeInstruction(); super.visitIincInsn(var, increment); }
    @Override public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        beforeInstruction();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }
    @Override public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        beforeInstruction();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }
    @Override public void visitMultiANewArrayInsn(String desc, int dims) { beforeInstruction(); super.visitMultiANewArrayInsn(desc, dims); }
}
