package dev.jcprofile.e2e;

import dev.jcprofile.suites.ThirdPartySuites;
import dev.jcprofile.suites.ThirdPartySuites.Profiled;
import dev.jcprofile.suites.ThirdPartySuites.Run;
import dev.jcprofile.suites.ThirdPartySuites.Suite;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real library's published tests under the agent: the same tests pass, fail and are skipped as without it, and
 * the profile holds the library's code. The part of Commons Lang's suite that fits a build's time (see
 * {@link ThirdPartySuites#commonsLang3Core()}); tools/third-party-suites.sh runs the whole suites.
 */
@Execution(ExecutionMode.CONCURRENT)
class ThirdPartySuiteIT {
    /** A run takes 10 to 25 s without the agent and 35 to 50 s with it on a busy machine; ten times that is a hang. */
    private static final long TIMEOUT_SECONDS = 600;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void commonsLangHasTheSameOutcomesUnderTheAgent(Jdk jdk) throws Exception {
        E2E.requireJar();
        Suite suite = ThirdPartySuites.commonsLang3Core();
        ThirdPartySuites.Java java = new ThirdPartySuites.Java(jdk.java(), jdk.feature);
        Path jars = ThirdPartySuites.jarsRoot(E2E.ROOT);
        Path dir = E2E.tempDir("third-party-" + jdk.feature);
        Run plain = plainRun(jdk);
        Run profiled = ThirdPartySuites.run(suite, java, jars, E2E.AGENT, dir.resolve("agent"), TIMEOUT_SECONDS);

        // The suite ran: its 4,653 tests (4,935 on JDK 25, which has more locales), nearly all passing, else equal
        // outcomes would prove little.
        assertTrue(plain.outcomes().size() > 4000 && plain.count("passed") > 4000, plain.output());
        assertEquals(List.of(), ThirdPartySuites.differences(plain.outcomes(), profiled.outcomes()), profiled.output());
        assertEquals(plain.exit(), profiled.exit(), profiled.output());
        // Every class was instrumented: the agent warns of each one it leaves alone.
        assertEquals(List.of(), profiled.agentLines(), profiled.output());

        Profiled p = ThirdPartySuites.profiled(profiled.profile(), jars, suite);
        // For the build log: what the runs did and cost.
        System.out.printf("ThirdPartySuiteIT %s: %d tests, %d passed, %d skipped, the same with the agent; %.1f s"
                + " without it, %.1f s with it; %d functions of Commons Lang called%n", jdk, plain.outcomes().size(),
                plain.count("passed"), plain.count("skipped"), plain.millis() / 1e3, profiled.millis() / 1e3,
                p.libraryFunctionsCalled());
        assertTrue(p.libraryFunctionsCalled() > 1000, p.libraryFunctionsCalled() + " functions of Commons Lang called");
        assertTrue(calls(p, "(StringUtils.isBlank)") > 0 && calls(p, "(ArrayUtils.toPrimitive)") > 0
                && calls(p, "(ClassUtils.getShortClassName)") > 0, p.libraryCalls().keySet().toString());
    }

    /** The suite without the agent, once per JDK: both tests compare with it. */
    private static Run plainRun(Jdk jdk) {
        return E2E.once("commons-lang3-core plain " + jdk, () -> {
            try {
                return ThirdPartySuites.run(ThirdPartySuites.commonsLang3Core(), new ThirdPartySuites.Java(jdk.java(), jdk.feature),
                        ThirdPartySuites.jarsRoot(E2E.ROOT), null, E2E.tempDir("third-party-" + jdk.feature).resolve("plain"),
                        TIMEOUT_SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void commonsLangHasTheSameOutcomesWithJavaUtilInstrumented(Jdk jdk) throws Exception {
        E2E.requireJar();
        Suite suite = ThirdPartySuites.commonsLang3Core();
        ThirdPartySuites.Java java = new ThirdPartySuites.Java(jdk.java(), jdk.feature);
        Path jars = ThirdPartySuites.jarsRoot(E2E.ROOT);
        Path dir = E2E.tempDir("third-party-jdk-" + jdk.feature);
        Run plain = plainRun(jdk);
        Run profiled = ThirdPartySuites.run(suite, java, jars, E2E.AGENT, "jdk=java.util.**", dir.resolve("agent"), TIMEOUT_SECONDS);

        assertTrue(plain.outcomes().size() > 4000 && plain.count("passed") > 4000, plain.output());
        assertEquals(List.of(), ThirdPartySuites.differences(plain.outcomes(), profiled.outcomes()), profiled.output());
        assertEquals(plain.exit(), profiled.exit(), profiled.output());
        // One line, for what java.util.** cannot have; no class left uninstrumented.
        assertEquals(List.of("jcprofile: option jdk 'java.util.**' leaves out what the profiler runs on: java.util.Arrays, "
                + "java.util.Objects, java.util.concurrent.atomic.**, java.util.concurrent.locks.** (see the README)"),
                profiled.agentLines(), profiled.output());

        Profiled p = ThirdPartySuites.profiled(profiled.profile(), jars, suite);
        long javaUtilCalls = 0;
        for (dev.jcprofile.FunctionStats row : new dev.jcprofile.Stats(profiled.profile().toString()).rows()) {
            if (row.key().file().startsWith("java/util/")) javaUtilCalls += row.figures().calls();
        }
        System.out.printf("ThirdPartySuiteIT %s, jdk=java.util.**: %d tests, the same outcomes; %.1f s without the agent,"
                + " %.1f s with it; %d calls of java.util's code%n", jdk, plain.outcomes().size(), plain.millis() / 1e3,
                profiled.millis() / 1e3, javaUtilCalls);
        assertTrue(p.libraryFunctionsCalled() > 1000, p.libraryFunctionsCalled() + " functions of Commons Lang called");
        assertTrue(javaUtilCalls > 100_000, javaUtilCalls + " calls of java.util's code");
    }

    /** The calls of the library's function whose key ends with {@code name}; 0 when it is not in the profile. */
    private static long calls(Profiled p, String name) {
        return p.libraryCalls().entrySet().stream().filter(e -> e.getKey().endsWith(name)).mapToLong(Map.Entry::getValue).sum();
    }
}
