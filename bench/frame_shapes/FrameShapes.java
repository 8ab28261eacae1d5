/**
 * How deep a one-line recursion gets on a 1 MB stack once C2 has compiled it, in the shapes an instrumented method
 * could take (docs/reliability.md, "Stack depth"). The hooks here are a stand-in for the runtime's: the state found
 * by thread id, a frame pushed and a count on entry, the frame popped on exit; what differs between the shapes is
 * what the method keeps in its frame across its own call:
 * <ul>
 * <li>{@code plain}: the method alone;</li>
 * <li>{@code kept}: the state and the token in two locals, handed to the exit hook (the agent's shape before);</li>
 * <li>{@code token}: the token alone, an int; the exit hook finds the state again (the agent's shape);</li>
 * <li>{@code long}: the same with a long token (one that would carry the state's epoch too);</li>
 * <li>{@code none}: nothing; the exit hook finds the state again and closes the top frame if it is the method's;</li>
 * <li>{@code pass}: the int token, the method's return value handed through the exit hook and returned by it, so
 * that the value is not kept across the exit's call.</li>
 * </ul>
 * Usage: {@code java -Xbatch -Xss1m FrameShapes SHAPE} (bench/frame_shapes.sh runs every shape, with the hooks inlined
 * and kept out of line). Prints the deepest recursion that completed, within 1 %, after a warm-up that gets the
 * method compiled by C2 (with -Xbatch the warm-up waits for each compilation).
 */
public class FrameShapes {
    static final class State {
        Thread thread;
        int sp;
        int token;
        final int[] frames = new int[1 << 21];
        final long[] counts = new long[16];
    }

    static final State[] BY_ID = new State[4096];
    static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);
    static final int ID = 3;

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19's
    static State state() {
        Thread t = Thread.currentThread();
        State s = BY_ID[(int) t.getId() & (BY_ID.length - 1)];
        return s != null && s.thread == t ? s : stateNotCached(t);
    }

    @SuppressWarnings("deprecation")
    static State stateNotCached(Thread t) {
        State s = STATE.get();
        s.thread = t;
        BY_ID[(int) t.getId() & (BY_ID.length - 1)] = s;
        return s;
    }

    static int push(State s, int id) {
        int sp = s.sp;
        s.frames[sp] = id;
        s.counts[id]++;
        s.sp = sp + 1;
        return sp;
    }

    static State enterKept(int id) {
        State s = state();
        s.token = push(s, id);
        return s;
    }

    static int token(State s) {
        return s.token;
    }

    static void exitKept(State s, int token) {
        if (s.sp > token) s.sp = token;
    }

    static int enterToken(int id) {
        return push(state(), id);
    }

    static void exitToken(int token) {
        State s = state();
        if (s.sp > token) s.sp = token;
    }

    static long enterLong(int id) {
        return (long) ID << 32 | push(state(), id);
    }

    static void exitLong(long token) {
        State s = state();
        if (s.sp > (int) token) s.sp = (int) token;
    }

    static void enterNone(int id) {
        push(state(), id);
    }

    static void exitNone(int id) {
        State s = state();
        int top = s.sp - 1;
        if (top >= 0 && s.frames[top] == id) s.sp = top;
    }

    static int exitPass(int r, int token) {
        State s = state();
        if (s.sp > token) s.sp = token;
        return r;
    }

    static int passDown(int n) {
        int token = enterToken(ID);
        try {
            return exitPass(n == 0 ? 0 : 1 + passDown(n - 1), token);
        } catch (Throwable t) {
            exitToken(token);
            throw t;
        }
    }

    static int plainDown(int n) {
        return n == 0 ? 0 : 1 + plainDown(n - 1);
    }

    static int keptDown(int n) {
        State s = enterKept(ID);
        int token = token(s);
        try {
            int r = n == 0 ? 0 : 1 + keptDown(n - 1);
            exitKept(s, token);
            return r;
        } catch (Throwable t) {
            exitKept(s, token);
            throw t;
        }
    }

    static int tokenDown(int n) {
        int token = enterToken(ID);
        try {
            int r = n == 0 ? 0 : 1 + tokenDown(n - 1);
            exitToken(token);
            return r;
        } catch (Throwable t) {
            exitToken(token);
            throw t;
        }
    }

    static int longDown(int n) {
        long token = enterLong(ID);
        try {
            int r = n == 0 ? 0 : 1 + longDown(n - 1);
            exitLong(token);
            return r;
        } catch (Throwable t) {
            exitLong(token);
            throw t;
        }
    }

    static int noneDown(int n) {
        enterNone(ID);
        try {
            int r = n == 0 ? 0 : 1 + noneDown(n - 1);
            exitNone(ID);
            return r;
        } catch (Throwable t) {
            exitNone(ID);
            throw t;
        }
    }

    static int run(String shape, int n) {
        switch (shape) {
            case "plain": return plainDown(n);
            case "kept": return keptDown(n);
            case "token": return tokenDown(n);
            case "long": return longDown(n);
            case "none": return noneDown(n);
            case "pass": return passDown(n);
            default: throw new IllegalArgumentException("FrameShapes: unknown shape " + shape + " (plain, kept, token, long, none, pass)");
        }
    }

    public static void main(String[] args) {
        String shape = args.length == 1 ? args[0] : "";
        run(shape, 1);
        for (int i = 0; i < 30_000; i++) run(shape, 50);
        int fits = 1_000, overflows = 1_000_000;
        while (overflows - fits > fits / 100) {
            int depth = (fits + overflows) >>> 1;
            try {
                run(shape, depth);
                fits = depth;
            } catch (StackOverflowError e) {
                overflows = depth;
            }
            state().sp = 0; // the frames an overflow left open
        }
        System.out.println(fits);
    }
}
