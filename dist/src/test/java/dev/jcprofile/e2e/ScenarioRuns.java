package dev.jcprofile.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The semantics program ({@code src/test/programs/semantics}) profiled once per JDK and option set; many tests
 * ask questions of each run. NoDebug is compiled apart, with {@code javac -g:none}.
 */
final class ScenarioRuns {
    private ScenarioRuns() {}

    static final String MAIN = "com.example.sem.Scenarios";

    static Path noDebugClasses() {
        return Programs.compile("semantics-nodebug", "-g:none");
    }

    static Path classes() {
        return Programs.compile("semantics", "-cp", noDebugClasses().toString());
    }

    static String classPath() {
        return classes() + ":" + noDebugClasses();
    }

    /** The profile of a run with these launcher options; the run itself must have ended as without the profiler. */
    static Prof profile(Jdk jdk, String... options) {
        return run(jdk, options).prof;
    }

    /** What the program printed in that run: figures the profile must agree with. */
    static String stdout(Jdk jdk, String... options) {
        return run(jdk, options).result.stdout();
    }

    private static Run run(Jdk jdk, String... options) {
        return E2E.once(List.of("scenarios", jdk, Arrays.asList(options)), () -> {
            Path dir = E2E.tempDir("scenarios");
            Path out = dir.resolve("scenarios.prof");
            List<String> opts = new ArrayList<>(List.of("-o", out.toString()));
            opts.addAll(Arrays.asList(options));
            Proc.Result r = E2E.jcprofile(jdk, opts, "-cp", classPath(), MAIN).dir(dir).run().expectExit(0);
            // The cpu timer says once at start-up what its clock reads cost; nothing else may be on stderr.
            String stderr = r.stderr().replaceFirst("^jcprofile: timer cpu reads the thread's CPU clock at every call[^\n]*\n", "");
            if (!r.stdout().endsWith("done\n") || !stderr.isEmpty()) throw new AssertionError("unexpected output: " + r);
            return new Run(r, Prof.read(out));
        });
    }

    private static final class Run {
        final Proc.Result result;
        final Prof prof;

        Run(Proc.Result result, Prof prof) {
            this.result = result;
            this.prof = prof;
        }
    }
}
