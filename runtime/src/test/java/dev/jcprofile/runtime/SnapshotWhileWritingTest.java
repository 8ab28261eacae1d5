package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots taken while a thread writes its tables: each one is a state the tables were in between two hooks
 * (the thread's sequence count), never halfway through one, and the last one, after the thread is done, is exact.
 */
class SnapshotWhileWritingTest {
    private Session session;

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    @Test
    void everySnapshotIsConsistentAndTheLastIsExact() throws Exception {
        int outer = Registry.method("writer.py", 1, "outer", "outer/0");
        int inner = Registry.method("writer.py", 2, "inner", "inner/0");
        AtomicLong clock = new AtomicLong(); // one clock for all threads, always moving forward
        Thread[] writerThread = new Thread[1];
        session = new Session(Session.TIMER_CUSTOM, clock::incrementAndGet, t -> t == writerThread[0]);
        Hooks.start(session);

        AtomicLong done = new AtomicLong(-1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        writerThread[0] = new Thread(() -> {
            long n = 0;
            while (!stop.get()) {
                int token = Hooks.enter(outer);
                for (int i = 0; i < 2; i++) Hooks.exit(Hooks.enter(inner), inner);
                Hooks.exit(token, outer);
                n++;
            }
            done.set(n);
        }, "writer");
        writerThread[0].start();

        long lastOuter = 0;
        int seenWriting = 0;
        long giveUp = System.nanoTime() + 120_000_000_000L; // only against a hang: no duration is asserted
        while (seenWriting < 300 && System.nanoTime() < giveUp) {
            Session.Totals t = session.snapshot();
            Session.Counts o = t.functions().get(outer), i = t.functions().get(inner);
            if (o == null) continue; // the writer has not made its first call yet
            seenWriting++;
            Session.Counts edge = t.edges().get(Session.Totals.edgeKey(outer, inner));
            // A call still open counts as made; inner runs twice in every outer call.
            assertTrue(o.calls >= lastOuter, "outer's calls went back from " + lastOuter + " to " + o.calls);
            lastOuter = o.calls;
            long innerCalls = i == null ? 0 : i.calls;
            assertTrue(innerCalls <= 2 * o.calls && innerCalls >= 2 * (o.calls - 1),
                    "inner " + innerCalls + " in " + o.calls + " outer calls");
            assertEquals(innerCalls, edge == null ? 0 : edge.calls, "inner's only caller is outer");
            assertEquals(0, o.recursiveCalls);
            assertTrue(0 <= o.ownTicks && o.ownTicks <= o.inclusiveTicks, o.ownTicks + " of " + o.inclusiveTicks);
            if (i != null) assertTrue(0 <= i.ownTicks && i.ownTicks == i.inclusiveTicks, i.ownTicks + " " + i.inclusiveTicks);
        }
        stop.set(true);
        writerThread[0].join();
        assertEquals(300, seenWriting, "snapshots that saw the writer at work");

        Session.Totals last = session.snapshot();
        long n = done.get();
        Session.Counts o = last.functions().get(outer), i = last.functions().get(inner);
        Session.Counts edge = last.edges().get(Session.Totals.edgeKey(outer, inner));
        assertEquals(n, o.calls);
        assertEquals(2 * n, i.calls);
        assertEquals(2 * n, edge.calls);
        // With nothing open, outer's time is its own time plus inner's, tick for tick.
        assertEquals(o.inclusiveTicks, o.ownTicks + i.inclusiveTicks);
        assertEquals(i.inclusiveTicks, edge.inclusiveTicks);
        assertEquals(i.ownTicks, edge.ownTicks);
    }
}
