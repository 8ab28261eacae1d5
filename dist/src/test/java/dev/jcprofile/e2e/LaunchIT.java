package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every way of launching a program works under bin/jcprofile, with JVM options before it: the program sees what
 * it would see without the profiler, and its methods are in the profile.
 */
@Execution(ExecutionMode.CONCURRENT)
class LaunchIT {
    private static final String MAIN = "com.example.launch.Main";
    private static final String SOURCE = "com/example/launch/Main.java";

    enum Form {
        CLASSPATH, JAR, SOURCE_FILE, MODULE;

        /** The JAVA-ARGS that launch the program this way, after the JVM options. */
        List<String> args() {
            switch (this) {
                case CLASSPATH: return List.of("-cp", classes().toString(), MAIN);
                case JAR: return List.of("-jar", Programs.jar(classes(), MAIN).toString());
                case SOURCE_FILE: return List.of(Programs.source("launch", SOURCE).toString());
                case MODULE: return List.of("--module-path", modules().toString(), "-m", "example.launch/" + MAIN);
                default: throw new AssertionError(this);
            }
        }

        String module() {
            return this == MODULE ? "example.launch" : "null";
        }
    }

    static Path classes() {
        return Programs.compile("launch");
    }

    /** The launch program and a module-info compiled together: an exploded module, a module path of its own. */
    static Path modules() {
        return Programs.compile("launch-module", List.of("launch", "launch-module"));
    }

    static Stream<Arguments> cases() {
        return Jdk.all().flatMap(jdk -> Arrays.stream(Form.values()).map(form -> Arguments.of(jdk, form)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void programRunsAsWithoutTheProfiler(Jdk jdk, Form form) {
        Path dir = E2E.tempDir("launch");
        List<String> javaArgs = new ArrayList<>(List.of("-Xmx64m", "-Dfoo=bar"));
        javaArgs.addAll(form.args());
        javaArgs.addAll(List.of("one", "two words", "--three"));
        String[] args = javaArgs.toArray(new String[0]);

        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        assertEquals("args=one|two words|--three\nfoo=bar\nheap<=64MiB=true\nmodule=" + form.module() + "\n",
                plain.stdout(), plain.toString());

        Path out = dir.resolve("launch.prof");
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(0);
        assertArrayEquals(plain.out, profiled.out, profiled.toString());
        assertArrayEquals(plain.err, profiled.err, profiled.toString());
        // The runtime jar is on the boot class path from the start, so HotSpot keeps class data sharing quiet
        // (its warning would go to standard error).
        assertFalse(profiled.stderr().contains("Sharing is only supported"), profiled.toString());

        Prof p = Prof.read(out);
        Prof.Fn describe = p.fn("Main.describe");
        assertEquals(SOURCE, describe.key.file());
        assertEquals(Programs.lineOf("launch", SOURCE, "return String.join"), describe.key.line());
        assertEquals(Map.of("Main.main", "1"), describe.callers());
        assertEquals("1", p.fn("Main.main").calls());
    }

    /**
     * bin/jcprofile checks every argument before the program, and lets the JVM's own through, in each of their
     * forms: with a value after them or after '=', families (-X, -XX:, -D, agents), assertions, argument files.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void theJvmsOwnOptionsPassTheCheck(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("jvm-options");
        java.nio.file.Files.writeString(dir.resolve("jvm.args"), "-Dfoo=bar\n");
        String[] args = {"-Xmx64m", "-XX:+UseSerialGC", "-Xss2m", "-ea", "-da:com.example.other...", "-esa",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-modules", "java.sql", "-Dtimer=--timr", "@jvm.args", "-cp", classes().toString(), MAIN,
                "one", "two words", "--three"};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        assertEquals("args=one|two words|--three\nfoo=bar\nheap<=64MiB=true\nmodule=null\n", plain.stdout(), plain.toString());
        Path out = dir.resolve("jvm-options.prof");
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(0);
        assertArrayEquals(plain.out, profiled.out, profiled.toString());
        assertArrayEquals(plain.err, profiled.err, profiled.toString());
        assertEquals(Map.of("Main.main", "1"), Prof.read(out).fn("Main.describe").callers());
    }
}
