package dev.jcprofile.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's tables in-process, against CPython's cProfile: the same calls, made through the hooks here and
 * by Python functions under {@code cProfile.Profile} there, with one clock that both advance by hand, must give
 * every function and every caller-callee edge the same figures ({@code _lsprof.c}'s callcount,
 * recursivecallcount, tt counted at the outermost call only, and own time).
 */
class CallTablesTest {
    /** The scenario in Python; the hooks below follow it call for call, tick for tick. */
    private static final String PYTHON = String.join("\n",
            "import cProfile, pstats",
            "clock = [0]",
            "def c(): clock[0] += 1",
            "def b(): clock[0] += 2; c(); clock[0] += 1",
            "def a(): clock[0] += 1; b(); clock[0] += 3; b(); c(); clock[0] += 1",
            "def f(n): clock[0] += 1; (f(n - 1) if n else None); clock[0] += 2",
            "def g(n): clock[0] += 1; (h(n - 1) if n else None); clock[0] += 1",
            "def h(n): clock[0] += 2; (g(n - 1) if n else None); clock[0] += 1",
            "def main(): a(); f(3); g(4); clock[0] += 5",
            "p = cProfile.Profile(lambda: clock[0], 1.0)",
            "p.runcall(main)",
            "p.create_stats()",
            "names = {'a', 'b', 'c', 'f', 'g', 'h', 'main'}",
            "for (_, _, name), (cc, nc, tt, ct, callers) in sorted(p.stats.items(), key=lambda kv: kv[0][2]):",
            "    if name not in names: continue",
            "    print('fn %s %d %d %d %d' % (name, nc, cc, tt, ct))",
            "    for (_, _, caller), (enc, ecc, ett, ect) in sorted(callers.items(), key=lambda kv: kv[0][2]):",
            "        print('edge %s %s %d %d %d %d' % (caller, name, enc, ecc, ett, ect))",
            "");

    private final long[] clock = {0};
    private Session session;

    private int id(String name) {
        return Registry.method("scenario.py", 1, name, name + "/0");
    }

    private void tick(long n) {
        clock[0] += n;
    }

    /** One call of {@code name} through the hooks, as instrumented code makes it. */
    private void call(String name, Runnable body) {
        int id = id(name), token = Hooks.enter(id);
        body.run();
        Hooks.exit(token, id);
    }

    private void c() { call("c", () -> tick(1)); }
    private void b() { call("b", () -> { tick(2); c(); tick(1); }); }
    private void a() { call("a", () -> { tick(1); b(); tick(3); b(); c(); tick(1); }); }
    private void f(int n) { call("f", () -> { tick(1); if (n != 0) f(n - 1); tick(2); }); }
    private void g(int n) { call("g", () -> { tick(1); if (n != 0) h(n - 1); tick(1); }); }
    private void h(int n) { call("h", () -> { tick(2); if (n != 0) g(n - 1); tick(1); }); }
    private void main() { call("main", () -> { a(); f(3); g(4); tick(5); }); }

    private void start() {
        Thread me = Thread.currentThread();
        session = new Session(Session.TIMER_CUSTOM, () -> clock[0], t -> t == me);
        Hooks.start(session);
    }

    @AfterEach
    void stop() {
        if (session != null) Hooks.stop(session);
    }

    @Test
    void functionsEdgesAndRecursionAsCProfileCountsThem() throws Exception {
        start();
        main();
        Hooks.stop(session);
        assertEquals(python(), figures(session.snapshot()));
    }

    /** Each call of a function and of an edge is counted once, whatever the recursion: a second snapshot agrees. */
    @Test
    void aSnapshotLeavesTheTablesAsTheyWere() throws Exception {
        start();
        main();
        String first = figures(session.snapshot());
        assertEquals(first, figures(session.snapshot()));
        Hooks.stop(session);
        assertEquals(python(), first);
    }

    /** Calls still open when the figures are read are closed at that moment, as cProfile's disable() closes them. */
    @Test
    void openCallsAreClosedNow() {
        start();
        int outer = Hooks.enter(id("main"));
        tick(3);
        int inner = Hooks.enter(id("b"));
        tick(4);
        c();
        tick(2); // clock 10: main opened at 0, b at 3, c ran from 7 to 8
        Map<String, String> open = lines(figures(session.snapshot()));
        assertEquals("fn main 1 1 3 10", open.get("main"));
        assertEquals("fn b 1 1 6 7", open.get("b"));
        assertEquals("fn c 1 1 1 1", open.get("c"));
        assertEquals("edge main b 1 1 6 7", open.get("main>b"));
        // The calls go on: the snapshot closed copies, not the thread's own frames.
        tick(1);
        Hooks.exit(inner, id("b"));
        Hooks.exit(outer, id("main"));
        Map<String, String> closed = lines(figures(session.snapshot()));
        assertEquals("fn main 1 1 3 11", closed.get("main"));
        assertEquals("fn b 1 1 7 8", closed.get("b"));
    }

    /** {@code fn NAME nc cc own inclusive} and {@code edge CALLER CALLEE ...}, sorted as Python prints them. */
    private static String figures(Session.Totals totals) {
        Map<String, String> rows = new TreeMap<>();
        for (Map.Entry<Integer, Session.Counts> e : totals.functions().entrySet()) {
            String name = Registry.name(e.getKey());
            Session.Counts c = e.getValue();
            rows.put(name, "fn " + name + " " + c.calls + " " + (c.calls - c.recursiveCalls) + " " + c.ownTicks + " "
                    + c.inclusiveTicks);
        }
        for (Map.Entry<Long, Session.Counts> e : totals.edges().entrySet()) {
            String caller = Registry.name(Session.Totals.caller(e.getKey()));
            String callee = Registry.name(Session.Totals.callee(e.getKey()));
            Session.Counts c = e.getValue();
            rows.put(callee + " " + caller, "edge " + caller + " " + callee + " " + c.calls + " "
                    + (c.calls - c.recursiveCalls) + " " + c.ownTicks + " " + c.inclusiveTicks);
        }
        StringBuilder b = new StringBuilder();
        for (String row : rows.values()) b.append(row).append('\n');
        return b.toString();
    }

    /** The rows by function name, and edges as {@code caller>callee}. */
    private static Map<String, String> lines(String figures) {
        Map<String, String> m = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^(fn (\\w+)|edge (\\w+) (\\w+)) .*$").matcher(figures);
        while (row.find()) m.put(row.group(2) != null ? row.group(2) : row.group(3) + ">" + row.group(4), row.group());
        return m;
    }

    /** The same scenario's figures from the machine's python3 (CPython's _lsprof), in the same text form. */
    private static String python() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", PYTHON).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            out = bytes.toString(StandardCharsets.UTF_8);
        }
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("edge g h "), "python3 ran the scenario: " + out);
        return out;
    }
}
