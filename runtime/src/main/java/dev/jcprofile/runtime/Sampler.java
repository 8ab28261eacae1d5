package dev.jcprofile.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * Sampled mode's clock. The hooks keep every call count and caller edge exact but read no clock; this thread
 * wakes every interval and reads each recorded thread's stack of open calls ({@link ThreadState#sample}). Each
 * sample weighs the time that really passed since the one before, so a late wake-up (a busy machine, a
 * collector's pause) shifts where time is put but loses none of it.
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
        long last = System.nanoTime();
        while (!session.closed) {
            LockSupport.parkNanos(session.intervalNanos);
            long now = System.nanoTime();
            session.sample(now, now - last);
            last = now;
        }
    }
}
