package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A session that keeps threads apart (for {@code %T}): each thread's figures alone, whether the thread is still
 * alive, ended but not yet found so, or found ended and trimmed; tables grown far past their first sizes; and
 * the merged snapshot the sum of the threads'.
 */
class ThreadsApartTest {
    private static final int DISTINCT = 300;
    private Session session;

    private static int id(String name) {
        return Registry.method("apart.java", 1, name, name + "/0");
    }

    private static void call(int id, Runnable body) {
        int token = Hooks.enter(id);
        body.run();
        Hooks.exit(token, id);
    }

    /** Thread k: {@code k + 1} calls of work, each calling leaf; thread 0 also calls DISTINCT functions once each. */
    private static void body(int k) {
        int root = id("root"), work = id("work"), leaf = id("leaf");
        call(root, () -> {
            for (int i = 0; i <= k; i++) call(work, () -> call(leaf, () -> {}));
            if (k == 0) for (int i = 0; i < DISTINCT; i++) call(id("d" + i), () -> call(leaf, () -> {}));
        });
    }

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    @ParameterizedTest
    @ValueSource(ints = {Session.TIMER_WALL, Session.TIMER_SAMPLED})
    void eachThreadsFiguresAlone(int timer) throws Exception {
        session = new Session(timer, null, t -> t.getName().startsWith("apart-"), 1_000_000L, false);
        session.keepThreadsApart();
        Hooks.start(session);
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            int me = k;
            threads.add(new Thread(() -> body(me), "apart-" + k));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        String justEnded = describe();
        // The reaper (every 50 ms) finds them ended and keeps their trimmed figures: the same figures.
        Thread.sleep(300);
        assertEquals(justEnded, describe());
        Hooks.stop(session);
        assertEquals(justEnded, describe());

        List<Session.ThreadFigures> all = session.snapshotByThread();
        assertEquals(3, all.size());
        for (int k = 0; k < 3; k++) {
            Session.ThreadFigures f = all.get(k);
            assertEquals("apart-" + k, f.name);
            assertEquals(threads.get(k).getId(), f.id);
            Map<Integer, Session.Counts> fns = f.totals().functions();
            assertEquals(k + 1, fns.get(id("work")).calls);
            assertEquals(k + 1 + (k == 0 ? DISTINCT : 0), fns.get(id("leaf")).calls);
            assertEquals(k == 0 ? 3 + DISTINCT : 3, fns.size());
            assertEquals(k == 0 ? 2 + DISTINCT * 2 : 2, f.totals().edges().size(), "edges, the root's left out");
        }
        // Merged: the sum.
        Map<Integer, Session.Counts> merged = session.snapshot().functions();
        assertEquals(6, merged.get(id("work")).calls);
        assertEquals(6 + DISTINCT, merged.get(id("leaf")).calls);
    }

    /** Every thread's name, id and function calls, in a stable text. */
    private String describe() {
        StringBuilder b = new StringBuilder();
        for (Session.ThreadFigures f : session.snapshotByThread()) {
            Map<Integer, Long> calls = new TreeMap<>();
            f.totals().functions().forEach((id, c) -> calls.put(id, c.calls));
            Map<Long, Long> edges = new TreeMap<>();
            f.totals().edges().forEach((key, c) -> edges.put(key, c.calls * 1000 + c.recursiveCalls));
            b.append(f.name).append(' ').append(f.id).append(' ').append(calls).append(' ').append(edges).append('\n');
        }
        return b.toString();
    }
}
