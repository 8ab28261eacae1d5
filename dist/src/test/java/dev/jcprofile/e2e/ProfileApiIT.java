package dev.jcprofile.e2e;

import dev.jcprofile.Stats;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Profile API in a JVM started without -javaagent: the first enable() attaches the agent through a helper
 * JVM, on JDK 17 as on JDK 25.
 */
@Execution(ExecutionMode.CONCURRENT)
class ProfileApiIT {
    private static final String MAIN = "com.example.api.ApiMain";

    /**
     * HotSpot prints this on standard output when the agent appends the runtime to the bootstrap class path of
     * a running JVM (class data sharing then covers only the boot loader). The jar's Boot-Class-Path cannot help
     * an agent loaded late, so the API may show it; bin/jcprofile never does (LaunchIT checks).
     */
    private static final String SHARING_NOTICE =
            "Sharing is only supported for boot loader classes because bootstrap classpath has been appended";

    private static String classes() {
        return Programs.compile("api", "-cp", E2E.AGENT.toString()).toString();
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void profileApiWithoutJavaagent(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("api");
        Proc.Result r = E2E.java(jdk, "-cp", E2E.AGENT + ":" + classes(), MAIN, "api", dir.toString())
                .dir(dir).run().expectExit(0);
        // From JDK 21 on, the JVM says on standard error that an agent was loaded into it while it ran.
        for (String line : r.stderr().lines().collect(Collectors.toList())) {
            assertTrue(line.startsWith("WARNING: "), r.toString());
        }
        String stdout = r.stdout().lines().filter(l -> !l.contains(SHARING_NOTICE))
                .map(l -> l + "\n").collect(Collectors.joining());

        Prof api = Prof.read(dir.resolve("api.prof"));
        assertEquals(Map.of("ApiMain.outer", "3"), api.fn("ApiMain.leaf").callers());
        // main was running before the agent came: its running frame is the uninstrumented one.
        assertEquals(Map.of(), api.fn("ApiMain.outer").callers());
        assertFalse(api.has("ApiMain.unrecorded"), api.names().toString());
        assertTrue(stdout.startsWith("second enable: another Profile is enabled; disable it first\n"), stdout);

        // try-with-resources disabled it: the call after the block is not recorded.
        Prof closed = Prof.read(dir.resolve("closed.prof"));
        assertEquals(List.of("ApiMain.leaf", "ApiMain.outer"), closed.names());
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        new Stats(closed.data).stream(table).sortStats("calls").printStats();
        String expected = "--- stats\n" + table.toString(StandardCharsets.UTF_8) + "--- end\n";
        String printed = stdout.substring(stdout.indexOf("--- stats\n"));
        assertEquals(expected.replaceAll("\\d+\\.\\d{3}", "T"), printed.replaceAll("\\d+\\.\\d{3}", "T"));

        // A custom timer that counts its own calls: each timer reading is one tick, so the times are exact, and
        // the timer's own calls (clock, helper) are not recorded.
        Prof timed = Prof.read(dir.resolve("timed.prof"));
        assertEquals(List.of("ApiMain.leaf", "ApiMain.outer"), timed.names());
        assertEquals(3.0, timed.fn("ApiMain.leaf").tt);
        assertEquals(3.0, timed.fn("ApiMain.leaf").ct);
        assertEquals(4.0, timed.fn("ApiMain.outer").tt);
        assertEquals(7.0, timed.fn("ApiMain.outer").ct);
        assertEquals(null, timed.data.tree());

        // recordTree(): the same figures per path, outer's one call with leaf's three under it.
        dev.jcprofile.format.CallTree tree = Prof.read(dir.resolve("tree.prof")).data.tree();
        assertEquals(2, tree.size());
        assertEquals("ApiMain.outer", tree.key(0).name());
        assertEquals(List.of(1L, 4.0, 7.0), List.of(tree.calls(0), tree.ownTime(0), tree.totalTime(0)));
        assertEquals("ApiMain.leaf", tree.key(1).name());
        assertEquals(0, tree.parent(1));
        assertEquals(List.of(3L, 3.0, 3.0), List.of(tree.calls(1), tree.ownTime(1), tree.totalTime(1)));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void profileApiUnderTheWholeProgramProfiler(Jdk jdk) {
        Path dir = E2E.tempDir("api-whole");
        Proc.Result r = E2E.jcprofile(jdk, List.of("-o", dir.resolve("whole.prof").toString()),
                "-cp", E2E.AGENT + ":" + classes(), MAIN, "whole").dir(dir).run().expectExit(0);
        assertEquals("enable: jcprofile is already profiling the whole program (-javaagent or bin/jcprofile); "
                + "a Profile cannot be enabled too\n", r.stdout());
        assertEquals("", r.stderr());
    }
}
