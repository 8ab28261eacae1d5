package dev.jcprofile;

import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cProfile's semantics, proved against cProfile itself: CPython's own test input {@code profilee.py}, profiled by
 * the machine's python3 under its ticking timer, and its Java twin {@code profilee.Profilee}, profiled by a real
 * JVM with the agent under the same timer, must give the same figures for every function and every
 * caller-callee edge: counts, primitive counts, own and cumulative times.
 */
class ProfileeSemanticsIT {
    /** Python's functions and the Java methods and built-ins that stand for them. */
    private static final Map<String, String> TWINS = Map.ofEntries(
            Map.entry("testfunc", "Profilee.testfunc"),
            Map.entry("factorial", "Profilee.factorial"),
            Map.entry("mul", "Profilee.mul"),
            Map.entry("helper", "Profilee.helper"),
            Map.entry("helper1", "Profilee.helper1"),
            Map.entry("helper2_indirect", "Profilee.helper2_indirect"),
            Map.entry("helper2", "Profilee.helper2"),
            Map.entry("subhelper", "Profilee.subhelper"),
            Map.entry("__getattr__", "Profilee$C.toString"),
            Map.entry("<built-in method builtins.hasattr>", "<built-in method java.util.Objects.toString>"),
            Map.entry("<built-in method sys.exc_info>", "<built-in method java.lang.Thread.interrupted>"),
            Map.entry("<method 'append' of 'list' objects>", "<method 'add' of 'java.util.List' objects>"));

    /** What only the Python run has: runctx's exec of a "<module>", and the call to disable(). */
    private static final List<String> PYTHON_ONLY = List.of("<module>", "<built-in method builtins.exec>",
            "<method 'disable' of '_lsprof.Profiler' objects>");

    @Test
    void javaTwinOfProfileeGivesCProfilesFigures(@TempDir Path dir) throws Exception {
        Path python = dir.resolve("python.prof"), java = dir.resolve("java.prof");
        run(List.of("python3", "dist/src/test/python/profilee_reference.py", python.toString()));
        String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        run(List.of(javaBin, "-Xverify:all", "-javaagent:target/jcprofile.jar=api",
                "-cp", "target/jcprofile.jar" + File.pathSeparator + "target/test-classes",
                "profilee.Profilee", java.toString()));

        Map<String, String> expected = figures(ProfileFiles.read(python, "python.prof"), true);
        Map<String, String> actual = figures(ProfileFiles.read(java, "java.prof"), false);
        assertEquals(expected.keySet(), actual.keySet(), "the same functions and edges");
        for (String k : expected.keySet()) assertEquals(expected.get(k), actual.get(k), k);
        assertTrue(expected.size() > 25, "functions and edges compared: " + expected.size());
    }

    /** Each function's and edge's figures, named by the Python name (the Java run translated back). */
    private static Map<String, String> figures(ProfileData d, boolean python) {
        Map<String, String> javaToPython = new TreeMap<>();
        TWINS.forEach((py, jv) -> javaToPython.put(jv, py));
        Map<String, String> out = new TreeMap<>();
        for (int e = 0; e < d.size(); e++) {
            String callee = name(d.key(e), python, javaToPython);
            if (callee == null) continue;
            out.put(callee, String.format("cc=%d nc=%d tt=%s ct=%s", d.primitiveCalls(e), d.calls(e),
                    d.ownTime(e), d.cumulativeTime(e)));
            for (int i = d.callersStart(e); i < d.callersEnd(e); i++) {
                String caller = name(d.keyById(d.edgeKey(i)), python, javaToPython);
                if (caller == null) continue;
                out.put(caller + " -> " + callee, String.format("nc=%d cc=%d tt=%s ct=%s", d.edgeCalls(i),
                        d.edgePrimitiveCalls(i), d.edgeOwnTime(i), d.edgeCumulativeTime(i)));
            }
        }
        return out;
    }

    private static String name(FunctionKey k, boolean python, Map<String, String> javaToPython) {
        String n = k.name();
        if (python) {
            if (PYTHON_ONLY.contains(n)) return null;
            assertTrue(TWINS.containsKey(n), "a Python function without a Java twin: " + k);
            return n;
        }
        String py = javaToPython.get(n);
        assertTrue(py != null, "a Java function without a Python twin: " + k);
        return py;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + command);
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
    }
}
