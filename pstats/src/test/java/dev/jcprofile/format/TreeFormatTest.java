package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calling-context tree in a profile file: a second marshal value after the pstats dict, which Python's pstats
 * never reads and a second {@code marshal.load} does; read back exactly, merged by add, and a damaged one costing
 * the tree only.
 */
class TreeFormatTest {
    private static final FunctionKey MAIN = new FunctionKey("/src/M.java", 1, "main"),
            FIB = new FunctionKey("/src/M.java", 5, "fib"), LOG = new FunctionKey("~", 0, "<built-in method log>"),
            WIDE = new FunctionKey("~", 0, "<paths beyond the node cap>");

    private static ProfileData profile(String thread, double scale) {
        ProfileData d = new ProfileData();
        d.beginEntry(d.intern(MAIN), new Figures(1, 1, 1.0 * scale, 10.0 * scale));
        int fib = d.beginEntry(d.intern(FIB), new Figures(7, 1, 8.0 * scale, 8.0 * scale));
        d.putCaller(fib, d.intern(MAIN), new Figures(1, 1, 2.0 * scale, 8.0 * scale));
        d.putCaller(fib, d.intern(FIB), new Figures(6, 0, 6.0 * scale, 6.0 * scale));
        int log = d.beginEntry(d.intern(LOG), new Figures(1, 1, 1.0 * scale, 1.0 * scale));
        d.putCaller(log, d.intern(MAIN), new Figures(1, 1, 1.0 * scale, 1.0 * scale));
        CallTree t = new CallTree();
        int th = t.thread(thread);
        int main = t.root(th, t.function(MAIN));
        int f1 = t.child(main, t.function(FIB)), f2 = t.child(f1, t.function(FIB)), f3 = t.child(f2, t.function(FIB));
        t.add(main, 1, 1.0 * scale, 10.0 * scale);
        t.add(f1, 1, 2.0 * scale, 8.0 * scale);
        t.add(f2, 2, 3.0 * scale, 6.0 * scale);
        t.add(f3, 4, 3.0 * scale, 3.0 * scale);
        t.add(t.child(main, t.function(LOG)), 1, 1.0 * scale, 1.0 * scale);
        t.add(t.child(f3, t.function(WIDE)), 0, 0.0, 0.0);
        d.setTree(t);
        return d;
    }

    private static byte[] bytes(ProfileData d) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProfileFiles.write(d, out);
        return out.toByteArray();
    }

    /** Every node as "thread path: calls own total". */
    static List<String> nodes(CallTree t) {
        String[] out = new String[t.size()];
        for (int n = 0; n < t.size(); n++) out[n] = t.threadName(t.thread(n)) + " " + path(t, n) + ": " + t.calls(n)
                + " " + t.ownTime(n) + " " + t.totalTime(n);
        Arrays.sort(out);
        return Arrays.asList(out);
    }

    private static String path(CallTree t, int n) {
        String name = t.key(n).file() + ":" + t.key(n).line() + "(" + t.key(n).name() + ")";
        return t.parent(n) == CallTree.ROOT ? name : path(t, t.parent(n)) + "/" + name;
    }

    @Test
    void theTreeReadsBackExactly() throws Exception {
        ProfileData d = profile("main", 0.1);
        ProfileData back = ProfileFiles.parse(bytes(d), "p");
        assertNotNull(back.tree());
        assertEquals(nodes(d.tree()), nodes(back.tree()));
        assertEquals(6, back.tree().size());
        // The table is the same as without the tree.
        ProfileData without = profile("main", 0.1);
        without.setTree(null);
        byte[] plain = bytes(without);
        byte[] full = bytes(d);
        assertArrayEquals(plain, Arrays.copyOf(full, plain.length));
        assertNull(ProfileFiles.parse(plain, "p").tree());
    }

    @Test
    void dataAfterTheTableThatIsNoTreeIsIgnoredAsPythonIgnoresIt() throws Exception {
        ProfileData d = profile("main", 1);
        d.setTree(null);
        byte[] plain = bytes(d);
        byte[] trailing = Arrays.copyOf(plain, plain.length + 5);
        trailing[plain.length] = 'N';
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertNull(ProfileFiles.parse(trailing, "p").tree());
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedTreeCostsTheTreeOnlyWithOneLine() throws Exception {
        byte[] full = bytes(profile("main", 1));
        ProfileData d = profile("main", 1);
        d.setTree(null);
        int table = bytes(d).length;
        for (int cut : new int[] {table + 40, full.length - 3}) {
            byte[] damaged = Arrays.copyOf(full, cut);
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ProfileData back;
            try {
                back = ProfileFiles.parse(damaged, "cut.prof");
            } finally {
                System.setErr(err);
            }
            assertNull(back.tree());
            assertEquals(3, back.size());
            String line = captured.toString(StandardCharsets.UTF_8);
            assertTrue(line.startsWith("cut.prof: the call tree after the statistics is damaged (")
                    && line.endsWith("); the statistics are read without it\n") && line.indexOf('\n') == line.length() - 1, line);
        }
    }

    @Test
    void aTreeOfANewerVersionIsSaidSo() throws Exception {
        byte[] full = bytes(profile("main", 1));
        String s = new String(full, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("version") + "version".length();
        assertEquals('i', full[at]);
        full[at + 1] = 2;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertNull(ProfileFiles.parse(full, "new.prof").tree());
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("version 2, newer than this jcprofile reads (1)"));
    }

    @Test
    void pythonReadsTheTableWithPstatsAndTheTreeWithASecondLoad(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.prof");
        Files.write(file, bytes(profile("main", 0.5)));
        String script = "import marshal, pstats, sys, io\n"
                + "s = pstats.Stats(sys.argv[1], stream=io.StringIO())\n"
                + "with open(sys.argv[1], 'rb') as f:\n"
                + "    table = marshal.load(f)\n"
                + "    tree = marshal.load(f)\n"
                + "print(len(s.stats), sorted(tree))\n"
                + "print(tree['format'], tree['version'], tree['threads'], tree['functions'])\n"
                + "print(tree['parent'], tree['function'], tree['thread'], tree['calls'], tree['tottime'], tree['cumtime'])\n";
        PythonTool.Result r = PythonTool.run(List.of(PythonTool.PYTHON, "-c", script, file.toString()), null, dir);
        assertEquals("", r.stderr);
        assertEquals("3 ['calls', 'cumtime', 'format', 'function', 'functions', 'parent', 'thread', 'threads', 'tottime', 'version']\n"
                + "jcprofile call tree 1 ['main'] [('/src/M.java', 1, 'main'), ('/src/M.java', 5, 'fib'), ('~', 0, '<built-in method log>'), ('~', 0, '<paths beyond the node cap>')]\n"
                + "[-1, 0, 1, 2, 0, 3] [0, 1, 1, 1, 2, 3] [0, 0, 0, 0, 0, 0] [1, 1, 2, 4, 1, 0] [0.5, 1.0, 1.5, 1.5, 0.5, 0.0] [5.0, 4.0, 3.0, 1.5, 0.5, 0.0]\n",
                new String(r.stdout, StandardCharsets.UTF_8));
    }

    @Test
    void addMergesTreesPathByPathAndDumpWritesTheSum(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.prof"), b = dir.resolve("b.prof"), sum = dir.resolve("sum.prof");
        Files.write(a, bytes(profile("main", 1)));
        Files.write(b, bytes(profile("worker", 2)));
        Files.write(dir.resolve("c.prof"), bytes(profile("main", 3)));
        new Stats(a.toString()).add(b.toString(), dir.resolve("c.prof").toString()).dumpStats(sum);
        CallTree t = ProfileFiles.read(sum, "sum").tree();
        List<String> main = new java.util.ArrayList<>(List.of("main /src/M.java:1(main): 2 4.0 40.0", "main /src/M.java:1(main)//src/M.java:5(fib): 2 8.0 32.0",
                "main /src/M.java:1(main)//src/M.java:5(fib)//src/M.java:5(fib): 4 12.0 24.0",
                "main /src/M.java:1(main)//src/M.java:5(fib)//src/M.java:5(fib)//src/M.java:5(fib): 8 12.0 12.0",
                "main /src/M.java:1(main)//src/M.java:5(fib)//src/M.java:5(fib)//src/M.java:5(fib)/~:0(<paths beyond the node cap>): 0 0.0 0.0",
                "main /src/M.java:1(main)/~:0(<built-in method log>): 2 4.0 4.0"));
        java.util.Collections.sort(main);
        assertEquals(main, nodes(t).subList(0, 6));
        assertEquals(12, t.size());
        assertEquals(2, t.threadCount());
    }

    @Test
    void stripKeepsTheTreeWithTheTablesNames() throws ProfileException {
        ProfileData stripped = ProfileOps.stripDirs(profile("main", 1));
        assertEquals(new FunctionKey("M.java", 1, "main"), stripped.tree().key(0));
        assertEquals(6, stripped.tree().size());
    }
}
