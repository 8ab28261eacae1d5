package dev.jcprofile.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap a session holds back (HeapReserve) is held only while the session runs: a session kept after it
 * stopped (a Profile object) keeps none, whether its reaper took the reserve before the stop or got going after it.
 */
class HeapReserveTest {
    @Test
    void aStoppedSessionHoldsNoReserve() throws Exception {
        int id = Registry.method("reserve.java", 1, "short", "short/0");
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Session s = new Session(Session.TIMER_WALL, null, t -> true, 1_000_000L, false);
            s.holdHeapReserve();
            Hooks.start(s);
            Hooks.exit(Hooks.enter(id), id); // registers the thread, which starts the reaper
            Hooks.stop(s);
            sessions.add(s);
        }
        // Each reaper ends within its 50 ms tick of the close.
        long deadline = System.nanoTime() + 10_000_000_000L;
        int holding;
        do {
            Thread.sleep(20);
            holding = 0;
            for (Session s : sessions) if (s.reserve.holds()) holding++;
        } while (holding > 0 && System.nanoTime() < deadline);
        assertEquals(0, holding, "stopped sessions still holding their reserve");
    }

    @Test
    void aRunningSessionHoldsItsReserve() throws Exception {
        Session s = new Session(Session.TIMER_WALL, null, t -> true, 1_000_000L, false);
        s.holdHeapReserve();
        Hooks.start(s);
        try {
            int id = Registry.method("reserve.java", 2, "running", "running/0");
            Hooks.exit(Hooks.enter(id), id);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!s.reserve.holds() && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(s.reserve.holds(), "no reserve held while the session runs, the heap nearly empty");
        } finally {
            Hooks.stop(s);
        }
    }

    @Test
    void noReserveWhenAFlagActsOnOutOfMemoryError() {
        assertTrue(HeapReserve.noFlagActsOnOutOfMemory(new String[] {"-Xmx64m", "-XX:+UseG1GC", "-XX:OnOutOfMemoryError="}));
        for (String flag : new String[] {"-XX:+ExitOnOutOfMemoryError", "-XX:+CrashOnOutOfMemoryError",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:OnOutOfMemoryError=kill -9 %p"}) {
            assertEquals(false, HeapReserve.noFlagActsOnOutOfMemory(new String[] {"-Xmx64m", flag}), flag);
        }
        // The last setting counts, as for the JVM.
        assertTrue(HeapReserve.noFlagActsOnOutOfMemory(new String[] {"-XX:+HeapDumpOnOutOfMemoryError", "-XX:-HeapDumpOnOutOfMemoryError"}));
        assertEquals(false, HeapReserve.noFlagActsOnOutOfMemory(new String[] {"-XX:-ExitOnOutOfMemoryError", "-XX:+ExitOnOutOfMemoryError"}));
    }
}
