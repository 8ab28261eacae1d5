package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A snapshot closes open calls at a clock read while the tables were as copied. Were the clock read after the
 * copy was accepted, a call that returned in between would be closed late, with time nobody spent in it, and a
 * later snapshot would give less (times going back). Here the snapshot's first clock read itself lets the writer
 * return from f at 10 and idle until 100.
 */
class SnapshotClockLagTest {
    private Session session;

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    @Test
    void openCallReturnedBeforeTheSnapshotReadsItsClockGetsOnlyItsOwnTime() throws Exception {
        int f = Registry.method("SnapshotClockLagTest.java", 1, "f", "f/0");
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1), returned = new CountDownLatch(1);
        AtomicBoolean lagOnce = new AtomicBoolean(true);
        long[] time = {0};
        Thread[] writer = new Thread[1];
        LongSupplier clock = () -> {
            // The snapshot's read, once: the writer returns from f at 10, then idles (unrecorded) until 100.
            if (Thread.currentThread() != writer[0] && lagOnce.getAndSet(false)) {
                release.countDown();
                try {
                    returned.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }
            synchronized (time) {
                return time[0];
            }
        };
        writer[0] = new Thread(() -> {
            int token = Hooks.enter(f);
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            synchronized (time) {
                time[0] = 10;
            }
            Hooks.exit(token, f);
            synchronized (time) {
                time[0] = 100;
            }
            returned.countDown();
        });
        session = new Session(Session.TIMER_CUSTOM, clock, t -> t == writer[0]);
        Hooks.start(session);
        writer[0].start();
        entered.await();
        long first = session.snapshot().functions().get(f).inclusiveTicks;
        writer[0].join();
        long after = session.snapshot().functions().get(f).inclusiveTicks;
        assertEquals(10, after);
        // f ran from 0 to 10: no snapshot may give it more.
        assertEquals(10, first, "f's inclusive time in the snapshot taken while it returned");
    }
}
