package dev.jcprofile.runtime;

/**
 * A little of the heap that a whole-program or attached session holds back while it runs, and lets go of once the
 * heap is exhausted, so that the end of the run still has room: the JVM's own dispatch of SIGTERM makes a new
 * Thread (jdk.internal.misc.Signal's dispatch), and with no byte left it fails ("Exception
 * java.lang.OutOfMemoryError occurred dispatching signal SIGTERM to handler") and the signal is lost, with or
 * without the profiler; the shutdown hooks, the dump among them, then never run. Let go, the reserve leaves that
 * room, unless the program takes it first. It is a sixty-fourth of the maximum heap, at least 256 KB and at most
 * 4 MB.
 * <p>
 * Checked by the session's reaper every 50 ms, once the heap is a quarter full: the heap is exhausted when the
 * reaper cannot allocate a block of 8 KB, about what the dispatch of a signal needs (the JVM collects garbage
 * before it says so), and still cannot a second later, tried every quarter of a second meanwhile (each failed try
 * costs a full collection). The fullness the JVM reports would not do (a heap of humongous arrays is exhausted
 * with a third of it counted free), nor would letting go at the first failure: a program still filling the heap
 * would take the reserve too, and leave nothing for the end. The reserve is taken again once the heap has been
 * less than half full for a second.
 * <p>
 * A failed try is an OutOfMemoryError, which the JVM may act on: with {@code -XX:+ExitOnOutOfMemoryError},
 * {@code CrashOnOutOfMemoryError}, {@code HeapDumpOnOutOfMemoryError} or {@code -XX:OnOutOfMemoryError} set, the
 * probe would end the JVM or write a heap dump where the program alone, idle in its full heap, would not. With
 * any of them among the JVM's arguments (its command line, {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}:
 * {@code jdk.internal.misc.VM.getRuntimeArguments}, which the agent exports to the runtime), or when they cannot
 * be read, there is no reserve. They are read when the reserve is first taken, at the session's start: reading
 * them through JMX would cost a tenth of a second, and loading a class later may find the heap full (where
 * java.lang.instrument prints "ASSERTION FAILED ... can't create name string" for every class loaded).
 */
final class HeapReserve {
    private static final long MIN_BYTES = 256 << 10, MAX_BYTES = 4 << 20;
    private static final int PROBE_BYTES = 8 << 10;
    private static final long EXHAUSTED_NANOS = 1_000_000_000L, RETRY_NANOS = 250_000_000L, ROOMY_NANOS = 1_000_000_000L;

    private final Runtime runtime = Runtime.getRuntime();
    private final long max = runtime.maxMemory();
    /** Let go by the closing thread too. */
    private volatile byte[] held;
    /** Whether the JVM's arguments were read, and whether they allow a reserve (see the class comment). */
    private boolean flagsRead, flagsAllow;
    /** When the probes began to fail (in a row), when one was last tried, when the heap became roomy; -1: not so. */
    private long failingSince = -1, lastProbe, roomySince = -1;
    /** Where the probe's block goes, so that the JIT cannot leave the allocation out. */
    private static volatile Object probed;

    /** Takes the reserve: on the reaper's thread; nothing if the heap has no limit or no room, or the flags forbid. */
    void take() {
        if (!flagsRead) {
            flagsRead = true;
            flagsAllow = noFlagActsOnOutOfMemory();
        }
        if (held != null || max == Long.MAX_VALUE || !flagsAllow) return;
        try {
            held = new byte[(int) Math.max(MIN_BYTES, Math.min(MAX_BYTES, max / 64))];
        } catch (OutOfMemoryError noRoom) {
            // taken again once the heap has room
        }
    }

    /** One check, at {@code now} (System.nanoTime). */
    void check(long now) {
        long used = runtime.totalMemory() - runtime.freeMemory();
        if (held == null) {
            if (used >= max / 2) {
                roomySince = -1;
            } else if (roomySince < 0) {
                roomySince = now;
            } else if (now - roomySince >= ROOMY_NANOS) {
                roomySince = -1;
                take();
            }
            return;
        }
        if (used < max / 4) {
            failingSince = -1;
            return;
        }
        if (failingSince >= 0 && now - lastProbe < RETRY_NANOS) return;
        lastProbe = now;
        if (probe()) {
            failingSince = -1;
        } else if (failingSince < 0) {
            failingSince = now;
        } else if (now - failingSince >= EXHAUSTED_NANOS) {
            held = null;
            failingSince = -1;
        }
    }

    /** Whether a block of PROBE_BYTES could be allocated. */
    private static boolean probe() {
        try {
            probed = new byte[PROBE_BYTES];
            probed = null;
            return true;
        } catch (OutOfMemoryError noRoom) {
            return false;
        }
    }

    /** Whether none of HotSpot's flags that act on an OutOfMemoryError is among the JVM's arguments; false if unreadable. */
    static boolean noFlagActsOnOutOfMemory() {
        String[] arguments;
        try {
            arguments = (String[]) Class.forName("jdk.internal.misc.VM").getMethod("getRuntimeArguments").invoke(null);
        } catch (Throwable unreadable) {
            return false;
        }
        return noFlagActsOnOutOfMemory(arguments);
    }

    /** The same, of these arguments: the last of a flag's settings counts, as for the JVM. */
    static boolean noFlagActsOnOutOfMemory(String[] arguments) {
        boolean exit = false, crash = false, dump = false, command = false;
        for (String a : arguments) {
            if (a.startsWith("-XX:OnOutOfMemoryError=")) command = a.length() > "-XX:OnOutOfMemoryError=".length();
            if (a.length() < 5 || !a.startsWith("-XX:") || a.charAt(4) != '+' && a.charAt(4) != '-') continue;
            boolean on = a.charAt(4) == '+';
            switch (a.substring(5)) {
                case "ExitOnOutOfMemoryError": exit = on; break;
                case "CrashOnOutOfMemoryError": crash = on; break;
                case "HeapDumpOnOutOfMemoryError": dump = on; break;
                default: break;
            }
        }
        return !(exit || crash || dump || command);
    }

    /** Lets go of the reserve: the session is closing, or its reaper ends. */
    void letGo() {
        held = null;
    }

    boolean holds() {
        return held != null;
    }
}
