package dev.jcprofile.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** The session's timer, read off the hot path (dumps, closing other threads' calls). */
final class Clocks {
    private Clocks() {}

    private static volatile ThreadMXBean threads;

    /** The time of {@code thread}'s clock now, in the session's ticks. */
    static long now(Session session, Thread thread) {
        switch (session.timer) {
            case Session.TIMER_CPU: {
                long t = bean().getThreadCpuTime(thread.getId());
                return t >= 0 ? t : 0;
            }
            case Session.TIMER_CUSTOM:
                return session.customTimer.getAsLong();
            default:
                return System.nanoTime();
        }
    }

    static long currentThreadCpu() {
        return bean().getCurrentThreadCpuTime();
    }

    private static ThreadMXBean bean() {
        ThreadMXBean b = threads;
        if (b == null) {
            b = ManagementFactory.getThreadMXBean();
            if (b.isThreadCpuTimeSupported() && !b.isThreadCpuTimeEnabled()) b.setThreadCpuTimeEnabled(true);
            threads = b;
        }
        return b;
    }

    /** {@code thread}'s CPU time now, read from another thread; -1 when unknown (ended, or virtual). */
    static long threadCpu(Thread thread) {
        return bean().getThreadCpuTime(thread.getId());
    }

    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // before JDK 21: no virtual threads
        }
    }

    /** Thread.isVirtual (JDK 21), false before. */
    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) return false;
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    private static volatile VarHandle carrier;
    private static volatile boolean carrierLooked;

    /**
     * The handle on {@code java.lang.VirtualThread.carrierThread}: the platform thread a virtual thread is mounted
     * on, or null while it is not. Readable only once the agent has opened java.lang to the runtime; null if not.
     */
    static VarHandle carrierHandle() {
        if (!carrierLooked) {
            try {
                Class<?> vt = Class.forName("java.lang.VirtualThread");
                carrier = MethodHandles.privateLookupIn(vt, MethodHandles.lookup()).findVarHandle(vt, "carrierThread", Thread.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                carrier = null; // JDK 17, or java.lang not opened to us
            }
            carrierLooked = true;
        }
        return carrier;
    }

    /** Whether sampled-cpu can charge a carrier's CPU to the virtual thread mounted on it (false before JDK 21). */
    static boolean carriersReadable() {
        return carrierHandle() != null;
    }
}
