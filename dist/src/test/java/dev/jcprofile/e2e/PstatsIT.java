package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiles the recorder writes are pstats files: Python's pstats loads them and prints what bin/jpstats prints. */
@Execution(ExecutionMode.CONCURRENT)
class PstatsIT {
    private static final String COMMANDS = "strip\nsort stdname\nstats\ncallers\ncallees\nsort cumulative\nstats 5\nquit\n";

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void pythonAndJpstatsPrintTheSame(Jdk jdk) throws Exception {
        // A copy in a directory of its own: a browser's header names the file.
        Path dir = E2E.tempDir("pstats");
        Path profile = Files.copy(ScenarioRuns.profile(jdk).file, dir.resolve("scenarios.prof"));
        Proc.Result python = E2E.pythonPstats(profile, COMMANDS).run().expectExit(0);
        Proc.Result java = E2E.jpstats(jdk, profile, COMMANDS).run().expectExit(0);
        assertFalse(python.stderr().contains("Traceback"), python.toString());
        assertEquals(python.stdout(), java.stdout());
        assertEquals("", java.stderr(), java.toString());

        // strip shows the file's base name with the method's first line.
        int line = Programs.lineOf("semantics", "com/example/sem/Scenarios.java", "return n <= 1 ? 1 : n * fact(n - 1);");
        assertTrue(java.stdout().contains("   12/1 ") && java.stdout().contains(" Scenarios.java:" + line + "(Scenarios.fact)\n"),
                java.stdout());
        assertTrue(java.stdout().contains(" {built-in method java.lang.Thread.sleep}\n"), java.stdout());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void pythonAndJpstatsPrintTheSameForABigProfile(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("pstats-big");
        Path profile = Files.copy(GrowthIT.profile(jdk).file, dir.resolve("growth.prof"));
        String commands = "sort nfl\nstats 40\ncallers valueOf\nsort calls\ncallees Main\nquit\n";
        Proc.Result python = E2E.pythonPstats(profile, commands).run().expectExit(0);
        Proc.Result java = E2E.jpstats(jdk, profile, commands).run().expectExit(0);
        assertFalse(python.stderr().contains("Traceback"), python.toString());
        assertEquals(python.stdout(), java.stdout());
        assertTrue(java.stdout().contains(" 9002 function calls in "), java.stdout());
    }
}
