package dev.jcprofile.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The calls that instrumented code makes. This is the hot path: every method call of the profiled program runs
 * {@link #enter} and {@link #exit}, so its rules are strict, and the JIT assumptions it rests on are these:
 *
 * <ul>
 * <li><b>The hooks are called, not inlined, and the caller keeps one int.</b> Instrumenting must not shorten the
 *     recursion a thread's stack holds (a program that completes without the profiler completes with it). What
 *     a compiled frame keeps across its calls is what makes it bigger: {@code enter} returns an {@code int} token
 *     (the index of the frame it pushed) that the method keeps in a local for its other hooks, which take the
 *     function id again as a constant and find the thread's state again themselves, and all four hooks are
 *     {@link NeverInline} (HotSpot's {@code DontInline}, honoured here on the bootstrap loader), so none of their
 *     registers is live across the method's own calls. A one-line recursion compiled by C2 keeps 67 % of its
 *     plain depth so; with a {@code long} token 50 %, with the state kept as well or the hooks inlined 33 to 50 %
 *     (bench/frame_shapes.sh, docs/reliability.md). Kept out of line, the hooks also leave small methods small
 *     enough for C2 to inline them into their callers ({@code InlineSmallCode}), and an exception from a hook
 *     unwinds no frame of the program's.</li>
 * <li><b>A lookup of the thread's state in each hook.</b> {@code enter} and {@code exit}, and at a call into
 *     the JDK {@code enterBuiltin} and {@code resume}, each find the thread's {@link ThreadState} in
 *     {@link #BY_ID}, a table indexed by the thread's id (three dependent loads once compiled: the id, the slot,
 *     the state's thread to check it), and through the {@link ThreadLocal} behind it only when the slot is
 *     another live thread's or no session is active (a thread the session does not record is cached too, and
 *     gives its slot up to a recorded one). {@code exit} knows the state is
 *     the one {@code enter} pushed into when the token indexes a frame of the same function ({@code ownFrame});
 *     a method entered before a session started has none there. What a call rarely needs (a thread's first
 *     call, a new edge, a deeper stack) and exact mode's closing of a call are out of line again, so the common
 *     path of each hook is short.</li>
 * <li><b>No allocation after warm-up.</b> A thread allocates its tables on its first call and grows them only when
 *     it calls a function or an edge it has never called before; afterwards a call touches only primitive arrays.
 *     No boxing, no strings, no lambdas.</li>
 * <li><b>No locks, no shared writes.</b> A thread writes only its own tables, so two threads never contend for a
 *     cache line. The only shared reads are {@link #epoch} (volatile: a plain load on x86 and AArch64 with
 *     acquire semantics), which changes when a session starts or stops, the timer kind, set when one starts,
 *     and, when exact mode closes a call, {@link #callCost}, set once by calibration. Each hook that changes
 *     the figures brackets the change with {@code beginWrite}/{@code endWrite}, a per-thread sequence count
 *     written with an opaque and a release store (plain stores on x86), so that a dump copies a thread's tables
 *     between two of its hooks, never halfway through one.</li>
 * <li><b>Nothing is thrown.</b> The hooks do arithmetic on arrays sized beforehand; their only calls (the
 *     thread-local lookup, the clock, the rare paths kept out of line, and while interpreted the VarHandle store
 *     that shows a new frame) come before a figure changes or between two whole changes (a call turned out
 *     direct is taken back before the new one is pushed; a call is closed whole before the loop that closes
 *     more), so a StackOverflowError raised by one of them leaves the tables consistent. {@code exit} takes the
 *     frame index that {@code enter} gave, so a frame left open by such an error is closed by the next exit
 *     below it, never mismatched, and an exit repeated by the method's handler after such an error closes
 *     nothing more.</li>
 * <li><b>Raw ticks.</b> Times stay in timer ticks ({@code System.nanoTime} by default); seconds appear only at
 *     the dump.</li>
 * <li><b>One path, several timers.</b> The timer kind is one static read per hook, and it changes only when a
 *     session starts, so its branches always go the same way and cost nothing once predicted. Exact timers read
 *     the clock in {@code now}, and closing a call takes the calibrated cost of the hooks within it out of its
 *     time (see {@link Calibration}); the sampled timer reads no clock at all: a call is counted as it opens, closing it
 *     is one store, and the {@link Sampler} thread puts the times in from the stacks it reads.</li>
 * </ul>
 *
 * The bytecode each instrumented method gets, in Java terms (instrumented code never names {@link ThreadState}, so
 * a class loader written by the program never has to resolve it):
 * <pre>
 *   int token = Hooks.enter(ID);
 *   try { ...body; at each call into uninstrumented code (the JDK, excluded classes): Hooks.enterBuiltin(BUILTIN_ID); call; Hooks.resume(token, ID);
 *         at each catch handler of the body: Hooks.resume(token, ID);
 *         before each return: Hooks.exit(token, ID); }
 *   catch (Throwable t) { Hooks.exit(token, ID); throw t; }
 * </pre>
 */
public final class Hooks {
    private Hooks() {}

    /** Incremented whenever a session starts or stops; a thread whose state is of another epoch rebinds. */
    static volatile int epoch;
    private static volatile Session active;
    /** The active session's timer kind, copied here so the hot path reads one static. */
    private static int timer;
    /**
     * Half the profiler's measured cost per call, in timer ticks: the cost of one clock-reading hook, which
     * closing a call takes out of its time once for itself and twice for every call made within it
     * ({@link ThreadState#popTop}). Set by {@link Calibration} once it has measured; 0 until then and when
     * calibration is off.
     */
    static volatile long callCost;

    private static final ThreadState NONE = new ThreadState(null, null, -1, false);
    /** Each thread's state: the truth, which {@link #BY_ID} caches. */
    private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<>() {
        @Override
        protected ThreadState initialValue() {
            return NONE;
        }
    };

    /**
     * The thread's own id ({@code Thread.tid}), read as a field: {@code Thread.getId()} may be overridden by the
     * program, whose code a hook must never run. Null where java.lang is not open to this module (the agent opens
     * it at start, {@code AgentStartup.openToTheRuntime}): then every lookup goes through {@link #STATE}.
     */
    private static final VarHandle THREAD_ID = threadIdHandle();

    /**
     * A cache in front of {@link #STATE}, by thread id modulo its size: a slot holds the state of one thread, which
     * it keeps while that thread lives and is recorded in the session that made the state; a thread whose slot
     * another holds keeps going through {@link #STATE}. A slot is written only by the thread whose state it
     * receives (and emptied by the fold of a dead thread and by {@link #stop}), so a thread that finds its own
     * thread in the slot's state finds the state it stored itself. ThreadLocal.get costs a map, its table, the
     * entry and its referent, each a dependent load, on every call (what this saves on H2: docs/performance.md).
     */
    static final ThreadState[] BY_ID = new ThreadState[4096];

    static {
        // An empty slot holds NONE, whose thread is no thread: one compare tells both a miss and an empty slot (a
        // null check would be a branch that C2, never having seen it taken, compiles as a trap into the caller).
        Arrays.fill(BY_ID, NONE);
    }

    private static VarHandle threadIdHandle() {
        try {
            return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup()).findVarHandle(Thread.class, "tid", long.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Links the thread id's VarHandle call site, which a hook must not do (see {@link #prepare}). */
    private static void linkThreadIds() {
        if (THREAD_ID != null) slotOf(Thread.currentThread());
    }

    private static int slotOf(Thread t) {
        return (int) (long) THREAD_ID.get(t) & (BY_ID.length - 1);
    }

    /** The calling thread's state: {@link #BY_ID}'s slot when it holds this thread's, else the thread-local. */
    static ThreadState state() {
        Thread t = Thread.currentThread();
        if (THREAD_ID != null) {
            ThreadState s = BY_ID[slotOf(t)];
            if (s.thread == t) return s;
        }
        return stateNotCached(t);
    }

    @NeverInline
    private static ThreadState stateNotCached(Thread t) {
        ThreadState s = STATE.get();
        // A thread the active session does not record (its thread filter, the profiler's own) is cached too: its
        // hooks then find at once that there is nothing to do, where a thread-local lookup in each of them cost
        // it twice its unprofiled time again (docs/performance.md). Only while a session is active, whose reaper
        // empties the slots of dead threads (forgetDeadThreads).
        if (s.thread == t && (s.recording || s.session != null && s.epoch == epoch)) cache(t, s);
        return s;
    }

    /**
     * Puts {@code s}, the calling thread {@code t}'s state, in its slot unless the slot holds the state of another
     * thread that is alive and of the session now active, recorded or, when {@code s} is not, unrecorded (that
     * thread keeps it: two threads taking one slot in turn would each miss every other call; a recorded thread's
     * hooks have more to lose by a miss).
     */
    private static void cache(Thread t, ThreadState s) {
        if (THREAD_ID == null) return;
        int i = slotOf(t);
        ThreadState held = BY_ID[i];
        if (held.thread == null || held.thread == t || held.epoch != epoch || s.recording && !held.recording
                || !held.thread.isAlive()) {
            BY_ID[i] = s;
            // A session stopping meanwhile may have emptied the table before this store landed (stop): the state
            // would stay cached, its session's tables with it, until this thread's next call. Taken back out.
            VarHandle.fullFence();
            if (s.epoch != epoch && BY_ID[i] == s) BY_ID[i] = NONE;
        }
    }

    /** Empties the calling thread {@code t}'s slot if it holds a state of {@code t}'s. */
    private static void uncache(Thread t) {
        if (THREAD_ID == null) return;
        int i = slotOf(t);
        if (BY_ID[i].thread == t) BY_ID[i] = NONE;
    }

    /**
     * A dead thread's state leaves the cache (Session's fold, Calibration's end), which would otherwise keep its
     * tables alive. Unrecorded threads' states leave by {@link #forgetDeadThreads}.
     */
    static void forget(ThreadState s) {
        if (THREAD_ID == null || s.thread == null) return;
        int i = slotOf(s.thread);
        if (BY_ID[i] == s) BY_ID[i] = NONE; // a thread taking the slot meanwhile just finds it again next call
    }

    /**
     * Empties the slots of threads that have ended, which would otherwise keep their states and the dead Thread
     * objects while the session lasts: the reaper's work, every few tens of milliseconds (a recorded thread's
     * slot is emptied by its fold too; emptying one twice is harmless, and a live thread whose slot is emptied by
     * a race finds its state again through the thread-local).
     */
    static void forgetDeadThreads() {
        for (int i = 0; i < BY_ID.length; i++) {
            ThreadState s = BY_ID[i];
            if (s.thread != null && !s.thread.isAlive() && BY_ID[i] == s) BY_ID[i] = NONE;
        }
    }

    /**
     * Loads and links, before any class of the program is instrumented, all that the hooks and a thread's first
     * call in {@code session} ({@link #rebind}) would otherwise load or link on the program's threads: the
     * VarHandles (linking one loads classes of java.lang.invoke), the classes registration creates, the clocks.
     * Instrumented code may run while a class is being loaded (in another agent's transformer, say): a hook that
     * loaded a class there could need the class being loaded (a ClassCircularityError, which the JVM then gives
     * every later use of that call site, JVMS 5.4.3) or wait for a lock the loading thread holds (a deadlock).
     */
    public static void prepare(Session session) {
        linkThreadIds();
        ThreadState.linkVarHandles();
        Session.linkVarHandles();
        PathTable.Budget.link();
        Clocks.isVirtual(Thread.currentThread());
        if (session.timer == Session.TIMER_CPU || session.timer == Session.TIMER_SAMPLED_CPU) Clocks.currentThreadCpu();
        // What rebind makes and tests, once, on a state no thread uses.
        if (new ThreadState(session, Thread.currentThread(), -1, false).recording || Thread.currentThread() instanceof ProfilerThread) {
            throw new AssertionError();
        }
        session.prepare();
    }

    /** Starts recording into {@code session}; any session active before is stopped. */
    public static synchronized void start(Session session) {
        timer = session.timer;
        callCost = 0;
        active = session;
        epoch++;
        linkThreadIds();
        ThreadState.linkVarHandles();
        Session.linkVarHandles();
        PathTable.Budget.link();
        // The CPU clock's first reading loads the management classes: here, not in a hook.
        if (session.timer == Session.TIMER_CPU || session.timer == Session.TIMER_SAMPLED_CPU) Clocks.currentThreadCpu();
        if (Session.isSampled(session.timer)) Sampler.start(session);
        if (session.calibrate) Calibration.start(session);
    }

    /** Stops recording. Calls in progress are closed by {@link Session#snapshot}. */
    public static synchronized void stop(Session session) {
        if (active == session) {
            active = null;
            epoch++;
            // The session's states go: each thread makes a new one at its next call, and a dead one keeps none.
            Arrays.fill(BY_ID, NONE);
        }
        session.close();
    }

    public static Session active() {
        return active;
    }

    // ------------------------------------------------------------------ the hot path

    /**
     * A call of function {@code id} begins. Returns the token to hand to the other hooks with the same id: the
     * index of the frame it pushed, or -1 when it pushed none (the thread not recording).
     */
    @NeverInline
    public static int enter(int id) {
        ThreadState s = state();
        if (s.epoch != epoch) s = rebind();
        int sp = s.sp;
        if (!s.recording) return -1;
        // Opening a call needs no sequence count: it changes no figure a dump reports, only the stack and the
        // recursion levels, which a copy takes from the stack (ThreadState's copy); the frame is written before
        // the stack pointer that shows it. Sampled mode counts as it opens, with stores that a copy sees in any
        // order to the same effect (ThreadState's pushCounted).
        boolean sampled = timer >= Session.TIMER_SAMPLED; // sampled or sampled-cpu (Session.isSampled)
        try {
            long caller = s.top();
            if (ThreadState.kindOf(caller) != ThreadState.METHOD) {
                calledFromBuiltin(s, id, caller, sampled);
                sp = s.sp;
                caller = s.top();
            }
            if (sp == s.frame.length) s.growFrames();
            int slot = s.edgeSlot(ThreadState.funcOf(caller), id);
            if (sampled) s.pushCounted(id, slot, ThreadState.METHOD, caller);
            else s.push(id, slot, now(s), ThreadState.METHOD);
            return sp;
        } catch (OutOfMemoryError noRoom) {
            stopRecording(s);
            return -1;
        }
    }

    /** A call of {@code id} with a built-in on top of the stack, {@code builtin}. */
    @NeverInline
    private static void calledFromBuiltin(ThreadState s, int id, long builtin, boolean sampled) {
        if (ThreadState.kindOf(builtin) == ThreadState.FRESH_BUILTIN && sameSignature(id, ThreadState.funcOf(builtin))) {
            // A call through a JDK type that runs the program's own override (Runnable.run on its Runnable) or
            // lambda: the method was called directly, not by the built-in.
            if (sampled) s.cancelTopCounted();
            else s.cancelTop();
        } else {
            // A callback: the built-in is the caller.
            int i = s.sp - 1;
            s.frame[i] = ThreadState.frameWord(ThreadState.funcOf(builtin), ThreadState.edgeOf(builtin), ThreadState.BUILTIN);
        }
    }

    /** A call into code that is not instrumented (the JDK) begins. */
    @NeverInline
    public static void enterBuiltin(int id) {
        ThreadState s = state();
        if (!s.recording && (s.epoch == epoch || (s = rebound(s)) == null)) return;
        try {
            if (s.sp == s.frame.length) s.growFrames();
            long caller = s.top();
            int slot = s.edgeSlot(ThreadState.funcOf(caller), id);
            if (timer >= Session.TIMER_SAMPLED) {
                s.pushCounted(id, slot, ThreadState.FRESH_BUILTIN, caller);
                return;
            }
            s.push(id, slot, now(s), ThreadState.FRESH_BUILTIN);
        } catch (OutOfMemoryError noRoom) {
            stopRecording(s);
        }
    }

    /**
     * A table of the thread could not grow: the heap has no room (an OutOfMemoryError that our allocation caused
     * and the program, which allocated nothing there, must not see). Every table is as it was before the growth
     * (ThreadState's newEdge): the thread's calls still open are closed now, as cProfile's disable() closes them,
     * and the thread is recorded no more in this session; the dump says so.
     */
    @NeverInline
    private static void stopRecording(ThreadState s) {
        try {
            s.stopForGood();
            if (s.sp > 0) close(s, 0);
            if (s.session != null) s.session.threadStopped();
        } catch (Throwable ignored) {
            // recording is off already: whatever else failed, the program goes on unprofiled on this thread
        }
    }

    /**
     * The method {@code id}, whose {@code enter} gave {@code token}, has the top of the stack again: a built-in it
     * called returned, or one of its catch handlers caught an exception. Closes whatever it had open above itself.
     */
    @NeverInline
    public static void resume(int token, int id) {
        closeAbove(token, id, token + 1);
    }

    /** The method {@code id}, whose {@code enter} gave {@code token}, returns or throws. */
    @NeverInline
    public static void exit(int token, int id) {
        closeAbove(token, id, token);
    }

    /** Closes the calls open above {@code depth} when the method's frame is the token's, else as {@link #closeEnteredBefore}. */
    private static void closeAbove(int token, int id, int depth) {
        ThreadState s = state();
        if (ownFrame(s, token, id)) {
            if (s.sp > depth) close(s, depth);
        } else if (s.recording || s.epoch != epoch) {
            closeEnteredBefore(s); // an unrecorded thread of the session now active has nothing to close
        }
    }

    /**
     * Whether {@code token} is the frame that method {@code id} pushed in {@code s}, the thread's state now. The
     * frame holds the method's word from its {@code enter} on: open while the method runs, and still there once
     * closed, when the method's catch-all handler exits again (something thrown after the exit before a return: a
     * StackOverflowError inside it, an asynchronous exception at the return), since nothing is pushed in between;
     * that second exit then closes nothing. A token whose frame holds another function's word was given by
     * another state, the one the thread had before a session started or stopped, or by none.
     */
    private static boolean ownFrame(ThreadState s, int token, int id) {
        long[] frame = s.frame;
        return s.recording && token >= 0 && token < frame.length && ThreadState.funcOf(frame[token]) == id;
    }

    /**
     * The exit or resume of a method that has no frame in the thread's state now: the thread did not record it,
     * or the method was entered before the session now recording (the one that enabled a Profile, say).
     * Everything on this state's stack was then pushed after the method, so for it the stack's bottom is depth 0.
     */
    @NeverInline
    private static void closeEnteredBefore(ThreadState s) {
        if (!s.recording && (s = rebound(s)) == null) return;
        if (s.sp > 0) close(s, 0);
    }

    /**
     * Closes the open calls above {@code depth}, with their times. In sampled mode they were counted when they
     * opened: closing them is one store, which a dump copying the tables meanwhile sees either way.
     */
    private static void close(ThreadState s, int depth) {
        if (timer >= Session.TIMER_SAMPLED) {
            s.sp = depth;
            return;
        }
        closeTimed(s, depth);
    }

    @NeverInline
    private static void closeTimed(ThreadState s, int depth) {
        long t = now(s);
        s.beginWrite();
        s.popTop(t);
        if (s.sp > depth) s.popTo(depth, t); // an exception through several frames, a built-in left open
        s.endWrite();
    }

    /** The clock for the hook running now. Sampled mode reads none: its times come from samples. */
    private static long now(ThreadState s) {
        int kind = timer;
        if (kind == Session.TIMER_WALL) return System.nanoTime();
        return slowNow(s, kind);
    }

    @NeverInline
    private static long slowNow(ThreadState s, int kind) {
        if (kind == Session.TIMER_CPU) return Clocks.currentThreadCpu();
        // A custom timer may be the program's own code: its calls are not recorded.
        s.recording = false;
        try {
            return s.session.customTimer.getAsLong();
        } catch (Throwable t) {
            return 0;
        } finally {
            s.recording = s.mayRecord();
        }
    }

    /** Whether method {@code a} implements built-in {@code b}: overrides it, or is a lambda of its interface. */
    private static boolean sameSignature(int a, int b) {
        int[] sig = Registry.signatures;
        if (a >= sig.length || b >= sig.length) return false;
        if (sig[a] == sig[b]) return true;
        int[] lambda = Registry.lambdaSignatures;
        return a < lambda.length && lambda[a] == sig[b];
    }

    /**
     * The thread's state for the session now recording, when the state {@code found} that a hook found does not
     * record: null if the thread does not record now either.
     */
    @NeverInline
    private static ThreadState rebound(ThreadState found) {
        if (found.epoch == epoch) return null;
        ThreadState s = STATE.get();
        if (s.epoch != epoch) s = rebind();
        return s.recording ? s : null;
    }

    // ------------------------------------------------------------------ the profiler's own work

    /**
     * The profiler's own work begins on the calling thread: a class being transformed while this thread loads it.
     * Until {@link #endOwnWork}, no call is recorded on the thread, and the time that passes is kept out of every
     * figure: exact timers move the open calls' start times forward by it, the sampler leaves it out of the
     * thread's samples (see ThreadState's pauses). Not a hot path: a class load costs far more.
     *
     * @return the state to hand to {@link #endOwnWork}
     */
    public static ThreadState beginOwnWork() {
        ThreadState s = STATE.get();
        if (s.epoch != epoch) s = rebind();
        s.beginPause();
        return s;
    }

    /** The work {@link #beginOwnWork} began on this thread is done. */
    public static void endOwnWork(ThreadState s) {
        s.endPause();
    }

    /**
     * Makes {@code s} the calling thread's state: {@link Calibration}'s private session, whose measure must run the
     * path the program's threads run (the cache), and which {@link #forget}s it when done.
     */
    static void bindPrivate(ThreadState s) {
        STATE.set(s);
        cache(s.thread, s);
    }

    /** A thread's first call in a new session (or after one ended): its state for the session now active. */
    @NeverInline
    private static ThreadState rebind() {
        try {
            return bind();
        } catch (Throwable err) {
            // No room for the thread's tables (OutOfMemoryError), or no stack left to make them: the thread goes
            // unrecorded, and the dump says how often; the program never sees our error.
            Session session = active;
            if (session != null) session.threadNotRecorded();
            return NONE;
        }
    }

    private static ThreadState bind() {
        int e = epoch;
        Session session = active;
        Thread t = Thread.currentThread();
        ThreadState s = new ThreadState(session, t, e, false);
        // Bound, not recording, before the thread filter and the registration run: they may call instrumented JDK
        // code (--jdk), whose hooks then find this state instead of rebinding again; registration starts it.
        STATE.set(s);
        // A state of an earlier session may still be cached for this thread (put back between a stop's clearing
        // and the session's close): every hook would find it first and rebind again.
        uncache(t);
        // The profiler's own threads (the sampler, the calibration) are never recorded.
        if (session != null && !(t instanceof ProfilerThread) && session.accepts(t)) {
            if (session.timer == Session.TIMER_CPU || session.timer == Session.TIMER_SAMPLED_CPU) {
                // The JDK measures no CPU time for a virtual thread: its calls are counted apart, to be said so.
                s.virtual = Clocks.isVirtual(t);
                // sampled-cpu: the CPU the thread used before its first call is in no call.
                if (session.timer == Session.TIMER_SAMPLED_CPU && !s.virtual) s.lastCpu = Clocks.currentThreadCpu();
            }
            session.register(s);
            if (s.recording) cache(t, s);
        }
        // An unrecorded thread's state is cached at its next hook (stateNotCached): the reaper must run to empty
        // its slot once it ends.
        if (session != null && !s.recording) session.ensureReaper();
        return s;
    }
}
