package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The profiler's own work on a thread (Hooks.beginOwnWork/endOwnWork, around a class's transformation) is no
 * call's time, and the program's code it calls is not recorded: driven in process under a clock that only the
 * test moves, so every figure is exact.
 */
class OwnWorkTest {
    /** A clock that moves only when told. */
    private static final class FakeClock implements LongSupplier {
        long now;

        @Override
        public long getAsLong() {
            return now;
        }

        void advance(long ticks) {
            now += ticks;
        }
    }

    /** The calling thread's hooks, as instrumented code calls them. */
    private static final class Calls {
        private final ArrayDeque<int[]> calls = new ArrayDeque<>(); // {id, token}

        void enter(int id) {
            calls.push(new int[] {id, Hooks.enter(id)});
        }

        void exit() {
            int[] call = calls.pop();
            Hooks.exit(call[1], call[0]);
        }
    }

    /** Functions by name, each followed by the edges it calls. */
    private static String dump(Session.Totals t) {
        StringBuilder out = new StringBuilder();
        TreeMap<String, Integer> fns = new TreeMap<>();
        for (int f : t.functions().keySet()) fns.put(Registry.name(f), f);
        fns.forEach((name, f) -> {
            out.append(name).append(": ").append(figures(t.functions().get(f))).append('\n');
            TreeMap<String, Session.Counts> callees = new TreeMap<>();
            t.edges().forEach((k, c) -> {
                if (Session.Totals.caller(k) == f) callees.put(Registry.name(Session.Totals.callee(k)), c);
            });
            callees.forEach((callee, c) -> out.append("  ").append(name).append("->").append(callee).append(": ")
                    .append(figures(c)).append('\n'));
        });
        return out.toString();
    }

    private static String figures(Session.Counts c) {
        return "calls=" + c.calls + " rec=" + c.recursiveCalls + " tt=" + c.inclusiveTicks + " it=" + c.ownTicks;
    }

    private final FakeClock clock = new FakeClock();
    private final Calls calls = new Calls();
    private Session session;

    private static int id(String name) {
        return Registry.method("OwnWorkTest.java", 1, name, name + "/0");
    }

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    private void start() {
        Thread me = Thread.currentThread();
        session = new Session(Session.TIMER_CUSTOM, clock, t -> t == me);
        Hooks.start(session);
    }

    @Test
    void ownWorkIsLeftOutOfTheOpenCalls() {
        start();
        int main = id("main"), load = id("load"), getResource = id("getResource");
        calls.enter(main);
        clock.advance(2);
        calls.enter(load);
        clock.advance(3);
        ThreadState paused = Hooks.beginOwnWork();
        clock.advance(100);
        // The work calls the program's code (a class loader's getResourceAsStream): not the program's call.
        calls.enter(getResource);
        clock.advance(50);
        calls.exit();
        // A class loaded while one is being transformed: nested work, part of the same.
        ThreadState nested = Hooks.beginOwnWork();
        clock.advance(7);
        Hooks.endOwnWork(nested);
        clock.advance(1);
        Hooks.endOwnWork(paused);
        clock.advance(4);
        calls.exit();
        clock.advance(1);
        calls.exit();
        assertEquals("""
                load: calls=1 rec=0 tt=7 it=7
                main: calls=1 rec=0 tt=10 it=3
                  main->load: calls=1 rec=0 tt=7 it=7
                """, dump(session.snapshot()));
    }

    @Test
    void recordingResumesAfterTheWork() {
        start();
        int main = id("main"), after = id("after");
        calls.enter(main);
        Hooks.endOwnWork(Hooks.beginOwnWork());
        calls.enter(after);
        clock.advance(5);
        calls.exit();
        calls.exit();
        assertEquals("""
                after: calls=1 rec=0 tt=5 it=5
                main: calls=1 rec=0 tt=5 it=0
                  main->after: calls=1 rec=0 tt=5 it=5
                """, dump(session.snapshot()));
    }
}
