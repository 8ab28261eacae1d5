package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Hooks find a thread's state by the thread's id ({@code Hooks.BY_ID}, in front of the thread-local): two threads
 * whose ids share a slot, calling in turn, each keep their own figures; a dead thread's state leaves the cache when
 * the session folds it; a stopped session's states leave it at once. A thread the session does not record is
 * cached too, until it ends or a recorded thread needs its slot.
 */
class StateByThreadIdTest {
    private static final int ROUNDS = 2_000;
    private Session session;

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    private static int id(String name) {
        return Registry.method("byid.java", 1, name, name + "/0");
    }

    private static void call(int id) {
        Hooks.exit(Hooks.enter(id), id);
    }

    private static int slot(Thread t) {
        return (int) t.getId() & (Hooks.BY_ID.length - 1);
    }

    @Test
    void theTestsRunTheHooksAsTheAgentDoes() {
        // surefire's argLine opens java.lang, as the agent does: without it every lookup takes the thread-local and
        // the tests below would not reach the cache.
        session = new Session(Session.TIMER_WALL, null, t -> true, 1_000_000L, false);
        Hooks.start(session);
        call(id("probe"));
        assertSame(Thread.currentThread(), Hooks.BY_ID[slot(Thread.currentThread())].thread);
    }

    @ParameterizedTest
    @ValueSource(ints = {Session.TIMER_WALL, Session.TIMER_SAMPLED})
    void twoThreadsSharingASlotKeepTheirOwnFigures(int timer) throws Exception {
        session = new Session(timer, null, t -> t.getName().startsWith("byid-"), 1_000_000L, false);
        session.keepThreadsApart();
        Hooks.start(session);
        int mine = id("mine"), theirs = id("theirs");
        Exchanger<Boolean> turn = new Exchanger<>();
        // Thread ids are handed out as threads are made: make threads until one shares the first one's slot.
        Thread first = new Thread(() -> takeTurns(mine, turn, true), "byid-first");
        Thread second;
        do {
            second = new Thread(() -> takeTurns(theirs, turn, false), "byid-second");
        } while (slot(second) != slot(first));
        first.start();
        second.start();
        first.join();
        second.join();

        List<Session.ThreadFigures> all = session.snapshotByThread();
        assertEquals(2, all.size());
        Session.Totals a = all.get(0).totals(), b = all.get(1).totals();
        assertEquals("byid-first", all.get(0).name);
        assertEquals(ROUNDS, a.functions().get(mine).calls);
        assertNull(a.functions().get(theirs), "the other thread's calls in this thread's tables");
        assertEquals(ROUNDS, b.functions().get(theirs).calls);
        assertNull(b.functions().get(mine), "the other thread's calls in this thread's tables");
    }

    /** Calls {@code id} ROUNDS times, the other thread calling between any two of these calls. */
    private static void takeTurns(int id, Exchanger<Boolean> turn, boolean startsFirst) {
        try {
            for (int i = 0; i < ROUNDS; i++) {
                if (!startsFirst) turn.exchange(true);
                call(id);
                if (startsFirst) turn.exchange(true);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDeadThreadsStateLeavesTheCacheWhenFoldedAndAStoppedSessionsAtOnce() throws Exception {
        session = new Session(Session.TIMER_SAMPLED, null, t -> true, 1_000_000L, false);
        Hooks.start(session);
        Thread t = new Thread(() -> call(id("once")), "byid-ends");
        t.start();
        t.join();
        ThreadState held = Hooks.BY_ID[slot(t)];
        assertSame(t, held.thread);
        // The session's reaper finds the thread ended and folds its tables (every 50 ms).
        for (int waited = 0; Hooks.BY_ID[slot(t)] == held && waited < 10_000; waited += 10) Thread.sleep(10);
        assertSame(null, Hooks.BY_ID[slot(t)].thread, "a folded thread's state kept alive by the cache");
        assertEquals(1, session.snapshot().functions().get(id("once")).calls);

        call(id("here"));
        assertSame(Thread.currentThread(), Hooks.BY_ID[slot(Thread.currentThread())].thread);
        Hooks.stop(session);
        for (ThreadState s : Hooks.BY_ID) assertSame(null, s.thread, "a stopped session's state kept alive by the cache");
        session = null;
    }

    @Test
    void anUnrecordedThreadIsCachedUntilItEnds() throws Exception {
        session = new Session(Session.TIMER_WALL, null, t -> !t.getName().equals("byid-unrecorded"), 1_000_000L, false);
        Hooks.start(session);
        int skipped = id("skipped");
        CountDownLatch called = new CountDownLatch(1), done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            for (int i = 0; i < 3; i++) call(skipped);
            called.countDown();
            await(done);
        }, "byid-unrecorded");
        t.start();
        called.await();
        ThreadState held = Hooks.BY_ID[slot(t)];
        assertSame(t, held.thread, "an unrecorded thread's hooks go to the thread-local every time");
        assertEquals(false, held.recording);
        assertEquals(0, held.frame.length + held.frTimes.length + held.eInts.length + held.eLongs.length
                + held.fInts.length + held.fLongs.length, "an unrecorded thread's state has tables");
        done.countDown();
        t.join();
        // The session's reaper empties a dead thread's slot (every 50 ms), recorded or not.
        for (int waited = 0; Hooks.BY_ID[slot(t)] == held && waited < 10_000; waited += 10) Thread.sleep(10);
        assertSame(null, Hooks.BY_ID[slot(t)].thread, "an ended unrecorded thread kept alive by the cache");
        assertNull(session.snapshot().functions().get(skipped), "an unrecorded thread's calls in the profile");
    }

    @Test
    void aRecordedThreadTakesTheSlotOfAnUnrecordedOne() throws Exception {
        session = new Session(Session.TIMER_WALL, null, t -> t.getName().equals("byid-recorded"), 1_000_000L, false);
        Hooks.start(session);
        int skipped = id("skipped"), kept = id("kept");
        CountDownLatch unrecordedCalled = new CountDownLatch(1), recordedCalled = new CountDownLatch(1);
        CountDownLatch unrecordedGoesOn = new CountDownLatch(1), recordedEnds = new CountDownLatch(1);
        Thread unrecorded = new Thread(() -> {
            call(skipped);
            unrecordedCalled.countDown();
            await(unrecordedGoesOn);
            call(skipped); // finds the slot taken by a recorded thread, and leaves it
        }, "byid-unrecorded");
        Thread recorded;
        do {
            recorded = new Thread(() -> {
                for (int i = 0; i < 3; i++) call(kept);
                recordedCalled.countDown();
                await(recordedEnds);
            }, "byid-recorded");
        } while (slot(recorded) != slot(unrecorded));
        unrecorded.start();
        unrecordedCalled.await();
        assertSame(unrecorded, Hooks.BY_ID[slot(unrecorded)].thread);
        recorded.start();
        recordedCalled.await();
        assertSame(recorded, Hooks.BY_ID[slot(recorded)].thread, "a recorded thread left out of the cache by an unrecorded one");
        unrecordedGoesOn.countDown();
        unrecorded.join();
        assertSame(recorded, Hooks.BY_ID[slot(recorded)].thread, "an unrecorded thread took a recorded one's slot");
        recordedEnds.countDown();
        recorded.join();
        assertEquals(3, session.snapshot().functions().get(kept).calls);
        assertNull(session.snapshot().functions().get(skipped));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
