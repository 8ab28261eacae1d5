package dev.jcprofile.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What bin/jcprofile's check says of the JVM's arguments before the program. */
class PreflightTest {
    private static final List<String> OURS = List.of("-o", "--output", "-s", "--sort", "--timer", "--interval",
            "--calibrate", "--threads", "--builtins", "--include", "--exclude", "-q", "--quiet", "-h", "--help", "--version");

    private static String check(String... javaArgs) {
        return Preflight.javaArgsProblem(OURS, List.of(javaArgs));
    }

    @Test
    void theJvmsOwnOptionsPass() {
        assertNull(check("-Xmx64m", "-XX:+UseSerialGC", "-Dx=--timr", "-ea", "-da:com.example...", "-esa",
                "-verbose:class", "-javaagent:other.jar=x", "-agentlib:jdwp=transport=dt_socket", "@args.txt",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--enable-preview", "--sun-misc-unsafe-memory-access=allow", "-cp", "--timr", "Main", "--timr"));
        assertNull(check("-jar", "app.jar", "--timr"), "after the program, arguments are the program's");
        assertNull(check("-p", "mods", "-m", "app/com.example.Main", "-o"));
        assertNull(check("--module=app/com.example.Main", "--sort"));
        assertNull(check("Main.java", "-x"));
    }

    @Test
    void aMistypedOptionNamesTheClosestOfOurs() {
        assertEquals("--timr is an option of neither jcprofile nor java: did you mean --timer? (see jcprofile --help)",
                check("--timr", "wall", "-jar", "app.jar"));
        assertEquals("-output is an option of neither jcprofile nor java: did you mean --output? (see jcprofile --help)",
                check("-output", "x", "Main"));
        assertEquals("--tread is an option of neither jcprofile nor java: did you mean --threads? (see jcprofile --help)",
                check("-Xmx1g", "--tread", "main", "Main"));
    }

    @Test
    void oursAfterTheJvmsIsOutOfPlace() {
        assertEquals("--timer is an option of jcprofile: put it before the JVM's -Xmx1g (see jcprofile --help)",
                check("-Xmx1g", "--timer", "cpu", "-jar", "app.jar"));
        assertEquals("--include is an option of jcprofile: put it before the JVM's -ea (see jcprofile --help)",
                check("-ea", "-Xmx1g", "--include=com.example.**", "Main"));
    }

    @Test
    void editDistance() {
        assertEquals(0, Preflight.distance("--timer", "--timer"));
        assertEquals(1, Preflight.distance("--timr", "--timer"));
        assertEquals(2, Preflight.distance("--tiemr", "--timer"));
        assertEquals(7, Preflight.distance("", "--timer"));
        assertEquals("--threads", Preflight.closest("--thread", OURS));
    }
}
