package dev.jcprofile.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * bin/jcprofile starts this check's JVM only when its own quick look (jvm_args_plain, in the shell) finds an
     * argument it cannot vouch for, or a -jar file that is not there. So every argument list this check refuses
     * must fail the quick look too; and the JVM's own options, each of this class's lists, must pass it, or the
     * quick look saves nothing. Each case is run through the script's own function, with /bin/sh.
     */
    @Test
    void theLaunchersQuickLookStartsThisCheckWheneverItWouldSaySomething(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "x");
        List<List<String>> wellFormed = new ArrayList<>();
        for (String o : set("WITH_VALUE")) {
            wellFormed.add(List.of(o, "value", "Main"));
            if (o.startsWith("--")) wellFormed.add(List.of(o + "=value", "Main"));
        }
        for (String o : set("ALONE")) wellFormed.add(List.of(o, "Main"));
        for (String o : set("ASSERTIONS")) wellFormed.add(List.of(o, "Main"));
        for (String o : set("EQUALS_VALUE")) wellFormed.add(List.of(o + "=value", "Main"));
        for (String o : set("PREFIXES")) wellFormed.add(List.of(o + "x", "Main"));
        wellFormed.add(List.of("@args.txt", "-Xmx1g", "-jar", jar.toString(), "--timr"));
        wellFormed.add(List.of("-p", "mods", "-m", "app/com.example.Main", "-o"));
        wellFormed.add(List.of("--module=app/com.example.Main", "--sort"));
        wellFormed.add(List.of("-", "x"));
        wellFormed.add(List.of("Main.java", "--bogus"));
        List<List<String>> refused = List.of(List.of("--timr", "wall", "Main"), List.of("-output", "x", "Main"),
                List.of("-Xmx1g", "--timer", "cpu", "Main"), List.of("-ea", "--include=a.**", "Main"),
                List.of("--add-opens=x", "-bogus", "-jar", jar.toString()), List.of("-XX:+UseSerialGC", "-o", "x.prof", "Main"));
        List<List<String>> all = new ArrayList<>(wellFormed);
        all.addAll(refused);
        all.add(List.of("-jar", dir.resolve("missing.jar").toString()));
        all.add(List.of("-jar"));
        List<Boolean> plain = quickLook(all);
        for (int i = 0; i < all.size(); i++) {
            List<String> args = all.get(i);
            String problem = Preflight.javaArgsProblem(OURS, args);
            if (i < wellFormed.size()) {
                assertNull(problem, args.toString());
                assertTrue(plain.get(i), "the quick look refuses " + args);
            } else {
                assertTrue(!plain.get(i), "the quick look passes " + args + ", which needs this check (" + problem + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Collection<String> set(String name) throws ReflectiveOperationException {
        Field f = Preflight.class.getDeclaredField(name);
        f.setAccessible(true);
        return (Collection<String>) f.get(null);
    }

    /** Runs bin/jcprofile's jvm_args_plain on each argument list, in one shell: whether each passes. */
    private static List<Boolean> quickLook(List<List<String>> cases) throws IOException, InterruptedException {
        String script = Files.readString(Paths.get("..", "bin", "jcprofile"));
        Matcher function = Pattern.compile("(?ms)^jvm_args_plain\\(\\) \\{$.*?^\\}$").matcher(script);
        assertTrue(function.find(), "no jvm_args_plain in bin/jcprofile");
        StringBuilder sh = new StringBuilder(function.group()).append('\n');
        for (List<String> args : cases) {
            sh.append("jvm_args_plain");
            for (String a : args) sh.append(" '").append(a).append('\'');
            sh.append("; echo $?\n");
        }
        Process p = new ProcessBuilder("/bin/sh", "-c", sh.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<Boolean> plain = new ArrayList<>();
        for (String line : out.split("\n")) plain.add(line.equals("0"));
        assertEquals(cases.size(), plain.size(), out);
        return plain;
    }
}
