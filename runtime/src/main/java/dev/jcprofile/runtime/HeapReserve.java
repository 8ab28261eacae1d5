package dev.jcprofile.runtime;

/**
 * A little of the heap that the profiler holds back while a session runs, and lets go of once the heap is
 * exhausted, so that the end of the run still has room: the JVM's own dispatch of SIGTERM makes a new Thread
 * (jdk.internal.misc.Signal's dispatch), and with no byte left it fails ("Exception java.lang.OutOfMemoryError
 * occurred dispatching signal SIGTERM to handler") and the signal is lost, with or without the profiler; the
 * shutdown hooks, the dump among them, then never run. Let go, the reserve leaves that room, unless the program
 * takes it first: it is at most 4 MB, a sixty-fourth of the heap at most.
 * <p>
 * Checked by the session's reaper every 50 ms: the heap is exhausted when the reaper cannot allocate a block of
 * 8 KB, about what the dispatch of a signal needs (the JVM collects garbage before it says so), and still cannot a
 * second later, tried every quarter of a second meanwhile (each failed try costs a full collection). The fullness
 * the JVM reports would not do (a heap of humongous arrays is full with a third of it free), nor would letting go
 * at the first failure: a program filling the heap would take the reserve too, and leave nothing for the end. The
 * reserve is taken again once the heap has been less than half full for a second.
 */
final class HeapReserve {
    private static final long MIN_BYTES = 256 << 10, MAX_BYTES = 4 << 20;
    private static final int PROBE_BYTES = 8 << 10;
    private static final long EXHAUSTED_NANOS = 1_000_000_000L, RETRY_NANOS = 250_000_000L, ROOMY_NANOS = 1_000_000_000L;

    private final Runtime runtime = Runtime.getRuntime();
    private final long max = runtime.maxMemory();
    private volatile byte[] held; // let go by the closing thread too
    /** When the probes began to fail (in a row), when one was last tried, when the heap became roomy; -1: not so. */
    private long failingSince = -1, lastProbe, roomySince = -1;
    /** Where the probe's block goes, so that the JIT cannot leave the allocation out. */
    private static volatile Object probed;
    /** How many times the reserve was let go. */
    int released;

    /** Takes the reserve: at the session's start, on the reaper's thread; nothing if the heap has no limit or no room. */
    void take() {
        if (held != null || max == Long.MAX_VALUE) return;
        try {
            held = new byte[(int) Math.max(MIN_BYTES, Math.min(MAX_BYTES, max / 64))];
        } catch (OutOfMemoryError noRoom) {
            // taken again once the heap has room
        }
    }

    /** One check, at {@code now} (System.nanoTime). */
    void check(long now) {
        if (held == null) {
            if (max == Long.MAX_VALUE || runtime.totalMemory() - runtime.freeMemory() >= max / 2) {
                roomySince = -1;
            } else if (roomySince < 0) {
                roomySince = now;
            } else if (now - roomySince >= ROOMY_NANOS) {
                roomySince = -1;
                take();
            }
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
            released++;
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

    /** Lets go of the reserve for good: the session is closing (the reaper takes it no more once it sees that). */
    void letGo() {
        held = null;
    }

    boolean holds() {
        return held != null;
    }
}
