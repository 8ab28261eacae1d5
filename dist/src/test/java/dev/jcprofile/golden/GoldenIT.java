package dev.jcprofile.golden;

import dev.jcprofile.browser.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The golden battery: for every profile set and command script, {@code python3 -m pstats FILES < script} and jpstats
 * must print the same bytes. The whole cross product runs in-process through {@link Main#run} (a JVM start per case
 * would cost minutes); a subset, covering every script and several files on the command line, runs the real
 * bin/jpstats. The expected side is always python3, run now on the same files.
 */
class GoldenIT {
    private static ExecutorService pool;
    private static final Map<String, Future<Python.Result>> PYTHON = new ConcurrentHashMap<>();

    @BeforeAll
    static void startPython() {
        Corpus.ensure();
        // ctime header lines are local time: the same zone as python3's TZ.
        TimeZone.setDefault(TimeZone.getTimeZone(Python.TZ));
        // python3 runs in the background (two at a time, one per core) while the Java side is checked.
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "python3");
            t.setDaemon(true);
            return t;
        });
        cases().forEach(a -> python((String) a.get()[0], (String) a.get()[1]));
    }

    @AfterAll
    static void stopPython() {
        if (pool != null) pool.shutdownNow();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String set : Corpus.profileSets().keySet()) {
            for (String script : Corpus.scripts()) {
                if (!Corpus.skipped(set, script)) cases.add(Arguments.of(set, script));
            }
        }
        return cases.stream();
    }

    /** Each script once, on profile sets taken in turn, and the multi-file sets on several scripts. */
    static Stream<Arguments> processCases() {
        List<String> sets = new ArrayList<>(Corpus.profileSets().keySet());
        List<Arguments> cases = new ArrayList<>();
        int i = 0;
        for (String script : Corpus.scripts()) {
            for (int tries = 0; tries < sets.size(); tries++, i++) {
                String set = sets.get(i % sets.size());
                if (!Corpus.skipped(set, script)) {
                    cases.add(Arguments.of(set, script));
                    i++;
                    break;
                }
            }
        }
        for (String script : List.of("basic", "add", "strip", "sort_multi")) {
            for (String set : List.of("parts", "mixed")) {
                if (!Corpus.skipped(set, script)) cases.add(Arguments.of(set, script));
            }
        }
        return cases.stream().distinct();
    }

    private static Future<Python.Result> python(String set, String script) {
        return PYTHON.computeIfAbsent(set + " < " + script, k -> pool.submit(() -> {
            List<String> args = new ArrayList<>(List.of("-m", "pstats"));
            args.addAll(Corpus.profileSets().get(set));
            return Python.run(args, Corpus.script(script));
        }));
    }

    private static String expected(String set, String script) throws InterruptedException, ExecutionException {
        Python.Result r = python(set, script).get();
        assertFalse(r.exit != 0 || r.err.contains("Traceback"),
                "python3 failed on " + set + " < " + script + " (a crash in pstats itself belongs in skip.txt):\n" + r.err);
        return r.text();
    }

    @ParameterizedTest(name = "{0} < {1}")
    @MethodSource("cases")
    void inProcess(String set, String script) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(Corpus.script(script))) {
            Main.run(Corpus.profileSets().get(set).toArray(new String[0]), in, out);
        }
        Corpus.assertSameOutput(expected(set, script), bytes.toString(StandardCharsets.UTF_8), set + " < " + script);
    }

    @ParameterizedTest(name = "{0} < {1}")
    @MethodSource("processCases")
    void jpstatsProcess(String set, String script) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Python.ROOT.resolve("bin/jpstats").toString()));
        cmd.addAll(Corpus.profileSets().get(set));
        // The JDK that runs the tests runs jpstats too.
        Python.Result r = Python.exec(cmd, Corpus.script(script), Map.of("JAVA_HOME", System.getProperty("java.home")));
        assertEquals("", r.err, "jpstats wrote to standard error");
        assertEquals(0, r.exit, "jpstats exit status");
        Corpus.assertSameOutput(expected(set, script), r.text(), "bin/jpstats " + set + " < " + script);
    }
}
