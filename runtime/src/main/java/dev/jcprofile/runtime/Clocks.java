package dev.jcprofile.runtime;

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
}
