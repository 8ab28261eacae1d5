package dev.jcprofile.e2e;

import dev.jcprofile.Stats;
import dev.jcprofile.format.CallTree;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --tree}: the calling-context tree recorded beside the table agrees with it, function by function, in the
 * exact and the sampled timers; Python's pstats reads the file as if the tree were not there; files add up with
 * their trees.
 */
@Execution(ExecutionMode.CONCURRENT)
class TreeIT {
    private static final String DIVE = "Scenarios.dive"; // the stack overflow scenario: deeper than the depth cap

    static Stream<Arguments> jdksAndTimers() {
        List<Arguments> all = new ArrayList<>();
        Jdk.all().forEach(jdk -> {
            for (String timer : List.of("wall", "sampled", "cpu", "sampled-cpu")) all.add(Arguments.of(jdk, timer));
        });
        return all.stream();
    }

    private static Prof profile(Jdk jdk, String timer) {
        return ScenarioRuns.profile(jdk, "--tree", "--timer", timer);
    }

    @ParameterizedTest
    @MethodSource("jdksAndTimers")
    void perFunctionTheTreeSumsToTheTable(Jdk jdk, String timer) {
        ProfileData d = profile(jdk, timer).data;
        CallTree t = d.tree();
        assertNotNull(t, "no tree in the profile");
        long[] calls = new long[t.functionCount()];
        double[] own = new double[t.functionCount()];
        for (int n = 0; n < t.size(); n++) {
            calls[t.function(n)] += t.calls(n);
            own[t.function(n)] += t.ownTime(n);
        }
        double[] cum = t.outermostTotalTime();
        long allCalls = 0, allNodeCalls = 0;
        double allOwn = 0, allNodeOwn = 0;
        int checked = 0;
        for (int e = 0; e < d.size(); e++) {
            FunctionKey k = d.key(e);
            allCalls += d.calls(e);
            allOwn += d.ownTime(e);
            if (k.name().equals(DIVE)) continue;
            int f = functionId(t, k);
            assertTrue(f >= 0, k + " has no node");
            assertEquals(d.calls(e), calls[f], k + ": calls");
            assertEquals(d.ownTime(e), own[f], 1e-9 + 1e-9 * d.ownTime(e), k + ": own time");
            if (k.file().equals("~") && nestedInItself(t, f)) {
                // Built-ins of one name with other parameters (loadClass(String) calling loadClass(String,
                // boolean)) are one row, whose cumtime adds each one's: the tree counts the outermost call only.
                assertTrue(cum[f] <= d.cumulativeTime(e) + 1e-9, k + ": cumulative time");
            } else {
                assertEquals(d.cumulativeTime(e), cum[f], 1e-9 + 1e-9 * d.cumulativeTime(e), k + ": cumulative time");
            }
            checked++;
        }
        assertTrue(checked > 100, "only " + checked + " functions");
        for (int n = 0; n < t.size(); n++) {
            allNodeCalls += t.calls(n);
            allNodeOwn += t.ownTime(n);
        }
        // Calls past the depth cap are kept, in the one visible node under the node at the cap.
        assertEquals(allCalls, allNodeCalls);
        assertEquals(allOwn, allNodeOwn, 1e-6);
        List<Integer> deep = new ArrayList<>();
        for (int n = 0; n < t.size(); n++) if (t.key(n).name().startsWith("<calls deeper than 1024>")) deep.add(n);
        assertEquals(1, deep.size(), "one node for the calls deeper than the cap");
        int n = deep.get(0);
        assertEquals(1024, t.depth(n));
        assertEquals(new FunctionKey("~", 0, "<calls deeper than 1024>"), t.key(n));
        for (int p = t.parent(n); p != CallTree.ROOT && t.depth(p) > 20; p = t.parent(p)) assertEquals(DIVE, t.key(p).name());
        assertTrue(t.calls(n) > 1000, "calls past the cap: " + t.calls(n));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void threadsAreToldApart(Jdk jdk) {
        CallTree t = profile(jdk, "wall").data.tree();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < t.threadCount(); i++) names.add(t.threadName(i));
        assertTrue(names.contains("main") && names.contains("sync-0") && names.contains("sync-1"), names.toString());
        // Each thread's roots are its own: main's first call is Scenarios.main, a worker's is its run.
        int main = names.indexOf("main"), sync = names.indexOf("sync-0");
        boolean mainRoot = false, syncHasNoMain = true;
        for (int n = 0; n < t.size(); n++) {
            if (t.parent(n) == CallTree.ROOT && t.thread(n) == main && t.key(n).name().equals("Scenarios.main")) mainRoot = true;
            if (t.thread(n) == sync && t.key(n).name().equals("Scenarios.main")) syncHasNoMain = false;
        }
        assertTrue(mainRoot && syncHasNoMain);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void pythonReadsTheTableAsWithoutTheTree(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("tree-python");
        Path file = Files.copy(profile(jdk, "wall").file, dir.resolve("tree.prof"));
        int nodes = profile(jdk, "wall").data.tree().size();
        String script = String.join("\n",
                "import io, marshal, pstats, sys",
                "def show(path):",
                "    out = io.StringIO()",
                "    s = pstats.Stats(path, stream=out)",
                "    s.files = []",
                "    s.sort_stats('stdname').print_stats()",
                "    s.print_callers()",
                "    s.print_callees()",
                "    return out.getvalue()",
                "with open(sys.argv[1], 'rb') as f:",
                "    table = marshal.load(f)",
                "    end = f.tell()",
                "    tree = marshal.load(f)",
                "with open(sys.argv[1], 'rb') as f:",
                "    head = f.read(end)",
                "with open(sys.argv[2], 'wb') as f:",
                "    f.write(head)",
                "assert marshal.loads(head) == table",
                "print(show(sys.argv[1]) == show(sys.argv[2]), len(show(sys.argv[1])) > 1000)",
                "print(tree['format'], tree['version'], len(tree['parent']), len(tree['functions']) > 100)",
                "print(all(len(tree[k]) == len(tree['parent']) for k in ('function', 'thread', 'calls', 'tottime', 'cumtime')))",
                "");
        Proc.Result r = Proc.of("python3", "-c", script, file.toString(), dir.resolve("table-only.prof").toString())
                .dir(dir).run().expectExit(0);
        assertEquals("True True\njcprofile call tree 1 " + nodes + " True\nTrue\n", r.stdout(), r.toString());
        // The table alone is a profile without a tree.
        assertNull(ProfileFiles.read(dir.resolve("table-only.prof"), "table-only.prof").tree());
        // And jpstats prints what python3 -m pstats prints, for the file with its tree.
        String commands = "strip\nsort stdname\nstats\ncallers\ncallees\nsort cumulative\nstats 5\nquit\n";
        Proc.Result python = E2E.pythonPstats(file, commands).run().expectExit(0);
        Proc.Result java = E2E.jpstats(jdk, file, commands).run().expectExit(0);
        assertFalse(python.stderr().contains("Traceback"), python.toString());
        assertEquals(python.stdout(), java.stdout());
        assertEquals("", java.stderr(), java.toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void addingFilesMergesTheirTrees(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("tree-add");
        Path wall = profile(jdk, "wall").file, sampled = profile(jdk, "sampled").file;
        Path sum = dir.resolve("sum.prof");
        new Stats(wall.toString()).add(sampled.toString()).dumpStats(sum);
        CallTree a = ProfileFiles.read(wall, "a").tree(), b = ProfileFiles.read(sampled, "b").tree();
        CallTree s = ProfileFiles.read(sum, "sum").tree();
        assertNotNull(s);
        long ca = 0, cb = 0, cs = 0;
        for (int n = 0; n < a.size(); n++) ca += a.calls(n);
        for (int n = 0; n < b.size(); n++) cb += b.calls(n);
        for (int n = 0; n < s.size(); n++) cs += s.calls(n);
        assertEquals(ca + cb, cs);
        // Same program, same paths: merged path by path, never side by side.
        assertTrue(s.size() < a.size() + b.size() / 2, s.size() + " nodes from " + a.size() + " and " + b.size());
        // Path by path: main's path to fact has the calls of both runs.
        assertEquals(pathCalls(a, "main", "Scenarios.main", "Scenarios.recursion", "Scenarios.fact")
                + pathCalls(b, "main", "Scenarios.main", "Scenarios.recursion", "Scenarios.fact"),
                pathCalls(s, "main", "Scenarios.main", "Scenarios.recursion", "Scenarios.fact"));
        // The file with its tree is still the table Python reads.
        Proc.Result r = Proc.of("python3", "-c", "import pstats, sys; pstats.Stats(sys.argv[1]).print_stats(1)", sum.toString())
                .dir(dir).run().expectExit(0);
        assertFalse(r.stderr().contains("Traceback"), r.toString());
    }

    /**
     * Ended threads' trees are kept by thread name, each path with its calls; with {@code %T}, each thread's file
     * holds that thread's tree alone.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void endedThreadsKeepTheirTreesAndPercentTGivesEachItsOwn(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("tree-threads");
        String cp = Programs.compile("churn", "-cp", E2E.AGENT.toString()) + ":" + E2E.AGENT;
        Path whole = dir.resolve("whole.prof");
        E2E.jcprofile(jdk, List.of("--tree", "-o", whole.toString()), "-cp", cp, "com.example.churn.Churn", "sixty-four")
                .dir(dir).run().expectExit(0);
        ProfileData d = Prof.read(whole).data;
        CallTree t = d.tree();
        assertEquals(65, t.threadCount());
        long nodeCalls = 0, tableCalls = 0;
        for (int n = 0; n < t.size(); n++) nodeCalls += t.calls(n);
        for (int e = 0; e < d.size(); e++) tableCalls += d.calls(e);
        assertEquals(tableCalls, nodeCalls);
        for (int th = 0; th < t.threadCount(); th++) {
            if (t.threadName(th).equals("main")) continue;
            assertTrue(t.threadName(th).startsWith("sixty-four-"), t.threadName(th));
            long unit = 0;
            for (int n = 0; n < t.size(); n++) {
                if (t.thread(n) == th && t.key(n).name().equals("Churn.unit")) unit += t.calls(n);
            }
            assertEquals(5000, unit, t.threadName(th));
        }

        E2E.jcprofile(jdk, List.of("--tree", "-o", dir.resolve("t-%T.prof").toString()), "-cp", cp,
                "com.example.churn.Churn", "sixty-four").dir(dir).run().expectExit(0);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("t-")).sorted().collect(java.util.stream.Collectors.toList());
        }
        assertEquals(65, files.size(), files.toString());
        for (Path f : files) {
            ProfileData p = Prof.read(f).data;
            CallTree pt = p.tree();
            assertEquals(1, pt.threadCount(), f.toString());
            assertTrue(f.getFileName().toString().startsWith("t-" + pt.threadName(0) + "-"), f + " " + pt.threadName(0));
            long calls = 0, table = 0;
            for (int n = 0; n < pt.size(); n++) calls += pt.calls(n);
            for (int e = 0; e < p.size(); e++) table += p.calls(e);
            assertEquals(table, calls, f.toString());
        }
    }

    /** The calls of the node at the end of {@code names} from the thread's root (-1 if there is none). */
    private static long pathCalls(CallTree t, String thread, String... names) {
        int th = -1;
        for (int i = 0; i < t.threadCount(); i++) if (t.threadName(i).equals(thread)) th = i;
        int node = CallTree.ROOT;
        for (String name : names) {
            int found = -1;
            for (int n = 0; n < t.size() && found < 0; n++) {
                if (t.parent(n) == node && t.thread(n) == th && t.key(n).name().equals(name)) found = n;
            }
            if (found < 0) return -1;
            node = found;
        }
        return t.calls(node);
    }

    private static int functionId(CallTree t, FunctionKey k) {
        for (int f = 0; f < t.functionCount(); f++) if (t.functionKey(f).equals(k)) return f;
        return -1;
    }

    private static boolean nestedInItself(CallTree t, int f) {
        for (int n = 0; n < t.size(); n++) {
            if (t.function(n) != f) continue;
            for (int p = t.parent(n); p != CallTree.ROOT; p = t.parent(p)) if (t.function(p) == f) return true;
        }
        return false;
    }
}
