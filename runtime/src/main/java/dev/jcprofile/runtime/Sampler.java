package dev.jcprofile.runtime;

import java.lang.invoke.VarHandle;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Sampled mode's clock. The hooks keep every call count and caller edge exact but read no clock; this thread
 * wakes every interval and reads each recorded thread's stack of open calls ({@link ThreadState#sample}). Each
 * sample weighs the time that really passed since the one before, so a late wake-up (a busy machine, a
 * collector's pause) shifts where time is put but loses none of it. Under sampled-cpu it weighs instead the CPU
 * time each thread used since the sample before ({@link CpuClocks}): a thread blocked in a read, a select, a park
 * or a sleep uses none, and its stack gets nothing.
 */
final class Sampler implements Runnable {
    private final Session session;

    private Sampler(Session session) {
        this.session = session;
    }

    static void start(Session session) {
        new ProfilerThread(new Sampler(session), "jcprofile-sampler").start();
    }

    @Override
    public void run() {
        CpuClocks clocks = session.timer == Session.TIMER_SAMPLED_CPU ? new CpuClocks() : null;
        long last = System.nanoTime();
        while (!session.closed) {
            LockSupport.parkNanos(session.intervalNanos);
            long now = System.nanoTime();
            try {
                if (clocks != null) session.sampleCpu(clocks);
                else session.sample(now, now - last);
            } catch (OutOfMemoryError noRoom) {
                // A table of the sampler's could not grow (each grows whole or not at all): the sample is lost, and
                // the dump says how many; sampling goes on.
                session.sampleLost();
            }
            last = now;
        }
    }

    /**
     * sampled-cpu's clocks, read by the sampler thread only, never by the hooks: each platform thread's own CPU
     * clock ({@code ThreadMXBean.getThreadCpuTime}, a few hundred nanoseconds per thread and sample). The JDK
     * measures no CPU time for a virtual thread; the CPU its carrier (the platform thread it is mounted on) used
     * since the sample before goes to the virtual thread mounted on the carrier at the sample, as a wall-clock
     * sample puts the whole interval on the stack it finds. A virtual thread not mounted (parked, sleeping,
     * blocked in I/O) gets nothing. Without access to the carrier (JDK 17 has no virtual threads; otherwise
     * java.lang must be open to the runtime, which the agent arranges), virtual threads get no CPU time.
     */
    static final class CpuClocks {
        private final VarHandle carrierOf = Clocks.carrierHandle();
        /** Each carrier seen so far: its CPU clock at the last sample and what it used since, not yet charged. */
        private final Map<Thread, long[]> carriers = new IdentityHashMap<>();
        /** The clock the current thread's pauses are measured by, now (see ThreadState#sampleWeightCpu). */
        private long clockNow;

        /** Reads every known carrier's clock once: what each used in this interval. */
        void beginSample() {
            for (Iterator<Map.Entry<Thread, long[]>> it = carriers.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Thread, long[]> e = it.next();
                long cpu = Clocks.threadCpu(e.getKey());
                if (cpu < 0) {
                    it.remove(); // ended
                    continue;
                }
                long[] c = e.getValue();
                c[1] = cpu - c[0];
                c[0] = cpu;
            }
        }

        void endSample() {
            for (long[] c : carriers.values()) c[1] = 0; // used by no recorded thread: nobody's
        }

        /** The CPU time {@code s}'s thread used since the sample before, by its clock or its carrier's. */
        long usedSinceLastSample(ThreadState s) {
            if (s.virtual) {
                clockNow = System.nanoTime();
                Thread carrier = carrierOf == null ? null : (Thread) carrierOf.getVolatile(s.thread);
                if (carrier == null) return 0;
                long[] c = carriers.get(carrier);
                if (c == null) {
                    long cpu = Clocks.threadCpu(carrier);
                    if (cpu >= 0) carriers.put(carrier, new long[] {cpu, 0}); // first seen: from now on
                    return 0;
                }
                long used = c[1];
                c[1] = 0;
                return used;
            }
            long cpu = Clocks.threadCpu(s.thread);
            clockNow = cpu;
            if (cpu < 0) return 0;
            long last = s.lastCpu;
            s.lastCpu = cpu;
            return last < 0 ? 0 : cpu - last;
        }

        /** The clock {@link #usedSinceLastSample}'s thread measures its pauses by, as it read it. */
        long clockNow() {
            return clockNow;
        }
    }
}
