package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bytecode that javac never writes: the standard libraries of Kotlin, Scala and Groovy (test dependencies of this
 * project, from Maven Central) and the classes Groovy compiles at run time, all instrumented (the profiler's
 * default takes every class outside the JDK) and verified with -Xverify:all. The program must print what it prints
 * without the profiler, and the profile must show each library's own functions.
 */
@Execution(ExecutionMode.CONCURRENT)
class JvmLanguagesIT {
    /** The jar a class of the test class path comes from: Maven put the libraries there. */
    private static String jarOf(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String libraries() {
        return String.join(":", jarOf(kotlin.Unit.class), jarOf(scala.Option.class), jarOf(groovy.lang.GroovyShell.class));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void kotlinScalaAndGroovyRunAsWithoutTheProfiler(Jdk jdk) {
        String cp = Programs.compile("languages", "-cp", libraries()) + ":" + libraries();
        Path dir = E2E.tempDir("languages");
        Path out = dir.resolve("languages.prof");
        String[] args = {"-cp", cp, "com.example.lang.Languages"};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(0);
        assertTrue(plain.stdout().contains("\ngroovy: 2584 1275 bad amount -1 no fly on ada"), plain.toString());
        assertArrayEquals(plain.out, profiled.out, "stdout\n" + plain + "\n" + profiled);
        // No class was left uninstrumented (that would be a warning), and nothing else was said.
        assertArrayEquals(plain.err, profiled.err, "stderr\n" + plain + "\n" + profiled);

        Prof p = Prof.read(out);
        assertEquals(Map.of("Languages.kotlin", "1"), p.fn("CollectionsKt___CollectionsKt.windowed").callers());
        assertEquals("kotlin/collections/_Collections.kt", p.fn("CollectionsKt___CollectionsKt.windowed").key.file());
        assertEquals(Map.of("Languages.scala", "1"), p.fn("AbstractSeq.sortWith").callers());
        assertEquals(Map.of("List.foldLeft", "1"), p.fn("LinearSeqOps.foldLeft$").callers());
        // The script's class, compiled by Groovy at run time: one call from the script, fifty from a closure.
        Prof.Fn deposit = p.fn("Account.deposit");
        assertEquals("Script1.groovy", deposit.key.file());
        assertEquals("51", deposit.calls());
        assertTrue(p.fns("Script1$_run_closure1.doCall").stream().anyMatch(f -> f.nc > 1000), "fib(18) recursed");
        for (String prefix : List.of("kotlin/", "scala/", "groovy/", "org/codehaus/groovy/")) {
            assertTrue(p.functions().stream().filter(f -> f.key.file().startsWith(prefix)).count() > 20, prefix);
        }
        p.checkConsistent();
    }
}
