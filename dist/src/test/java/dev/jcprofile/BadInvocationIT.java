package dev.jcprofile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import static dev.jcprofile.Cmd.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a stranger gets wrong: each mistake is answered by one line on standard error that names it, and exit
 * status 2; never a stack trace.
 */
class BadInvocationIT {
    @TempDir
    Path tmp;
    /** A program that greets and exits with the status given as its argument. */
    private Path hello;

    @AfterEach
    void unlink() throws IOException {
        Cmd.deleteLinks(tmp);
    }

    @BeforeEach
    void program() throws IOException {
        hello = tmp.resolve("Hello.java");
        Files.writeString(hello, "public class Hello {\n"
                + "    public static void main(String[] args) {\n"
                + "        System.out.println(\"hello\");\n"
                + "        System.exit(args.length > 0 ? Integer.parseInt(args[0]) : 0);\n"
                + "    }\n"
                + "}\n");
    }

    @Test
    void noProgram() throws Exception {
        for (List<String> command : List.of(List.of("bin/jcprofile"), List.of("bin/jcprofile", "-o", "x.prof", "-s", "time"),
                List.of("bin/jcprofile", "--"))) {
            Cmd.Result r = Cmd.of(absolute(command)).in(tmp).run();
            assertTrue(oneLine(r, 2).contains("no program"), r.toString());
            assertEquals("", r.out(), r.toString());
        }
    }

    /** A wrong value stops the run before the program starts, and the line names the value. */
    @Test
    void unknownOptionValues() throws Exception {
        for (String[] option : new String[][] {{"-s", "bogus"}, {"--sort", "bogus"}, {"--timer", "nope"},
                {"--builtins", "maybe"}, {"--threads", "(unclosed"}, {"--include", "com/example"},
                {"--interval", "fast"}, {"--interval", "0.1us"}, {"--calibrate", "later"}}) {
            Cmd.Result r = Cmd.of(ROOT.resolve("bin/jcprofile").toString(), option[0], option[1], "Hello.java").in(tmp).run();
            assertTrue(oneLine(r, 2).contains("'" + option[1] + "'"), r.toString());
            assertEquals("", r.out(), "the program did not run:\n" + r);
        }
    }

    @Test
    void optionWithoutItsValue() throws Exception {
        Cmd.Result r = Cmd.of(ROOT.resolve("bin/jcprofile").toString(), "--timer").in(tmp).run();
        assertTrue(oneLine(r, 2).contains("--timer"), r.toString());
    }

    /**
     * A profile that could not be written is said before the run, not after it: the line names the file, and the
     * program does not start.
     */
    @Test
    void outputIntoAMissingDirectory() throws Exception {
        Path file = tmp.resolve("no such dir/run.prof");
        for (String given : List.of(file.toString(), tmp.relativize(file).toString())) {
            Cmd.Result r = Cmd.of(ROOT.resolve("bin/jcprofile").toString(), "-o", given, "Hello.java", "3").in(tmp).run();
            assertEquals("", r.out(), r.toString());
            assertTrue(oneLine(r, 2).contains(file.toString()), r.toString());
            assertFalse(Files.exists(file));
        }
    }

    /**
     * jpstats on a file that is not there: one line, then the browser goes on as python3 -m pstats does (which
     * prints it on standard output and exits 0 at the end of the commands).
     */
    @Test
    void jpstatsOnAMissingFile() throws Exception {
        Cmd.Result made = Cmd.of(ROOT.resolve("bin/jcprofile").toString(), "-o", "real.prof", "Hello.java").in(tmp).run();
        assertEquals(0, made.exit(), made.toString());
        Cmd.Result r = Cmd.of(ROOT.resolve("bin/jpstats").toString(), "missing.prof").in(tmp)
                .input("stats\nread real.prof\nstats Hello\n").run();
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err(), r.toString());
        List<String> lines = r.out().lines().toList();
        // python3's pstats browser prints an OSError's message alone.
        assertEquals("No such file or directory", lines.get(0), r.toString());
        assertEquals("Welcome to the profile statistics browser.", lines.get(1), r.toString());
        assertTrue(r.out().contains("% No statistics object is loaded.\n"), r.toString());
        assertTrue(r.out().contains("Hello.java:3(Hello.main)"), "the browser went on:\n" + r);
        assertTrue(r.out().endsWith("Goodbye.\n"), r.toString());
    }

    /** A checkout that was never built: both scripts say so, whatever they were asked. */
    @Test
    void jarMissing() throws Exception {
        Path clone = Files.createDirectories(tmp.resolve("fresh clone/bin"));
        for (String s : List.of("jcprofile", "jpstats")) {
            Files.copy(ROOT.resolve("bin").resolve(s), clone.resolve(s), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path jar = clone.resolveSibling("target/jcprofile.jar");
        for (List<String> command : List.of(List.of("jcprofile", "Hello.java"), List.of("jcprofile", "--version"),
                List.of("jcprofile", "-o", "x.prof", "-jar", "app.jar"), List.of("jpstats", "x.prof"), List.of("jpstats", "--version"))) {
            List<String> c = Stream.concat(Stream.of(clone.resolve(command.get(0)).toString()), command.stream().skip(1)).toList();
            Cmd.Result r = Cmd.of(c).in(tmp).run();
            String line = oneLine(r, 2);
            assertTrue(line.contains(jar + " is missing") && line.contains("mvn -q package -DskipTests"), r.toString());
            assertEquals("", r.out(), r.toString());
        }
    }

    @Test
    void javaHomeWithoutJava() throws Exception {
        Path notAJdk = Files.createDirectories(tmp.resolve("not a jdk"));
        for (List<String> command : List.of(List.of("bin/jcprofile", "Hello.java"), List.of("bin/jcprofile", "--version"),
                List.of("bin/jpstats", "some.prof"))) {
            Cmd.Result r = Cmd.of(absolute(command)).in(tmp).env("JAVA_HOME", notAJdk.toString()).run();
            String line = oneLine(r, 2);
            assertTrue(line.contains("JAVA_HOME is " + notAJdk + ","), r.toString());
            assertEquals("", r.out(), r.toString());
        }
    }

    @Test
    void noJavaAtAll() throws Exception {
        String path = pathWithout("java");
        for (List<String> command : List.of(List.of("bin/jcprofile", "Hello.java"), List.of("bin/jpstats", "some.prof"))) {
            Cmd.Result r = Cmd.of(absolute(command)).in(tmp).env("JAVA_HOME", null).env("PATH", path).run();
            assertTrue(oneLine(r, 2).contains("no java on PATH"), r.toString());
        }
    }

    /** The command's one line on standard error, after checking that it is one, prefixed, with this status. */
    static String oneLine(Cmd.Result r, int exit) {
        assertEquals(exit, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), "one line on standard error:\n" + r);
        String line = r.errLines().get(0);
        String script = Paths.get(r.command().get(0)).getFileName().toString();
        assertTrue(line.startsWith(script + ": "), r.toString());
        assertFalse(line.contains("Exception") || line.contains("\tat "), r.toString());
        return line;
    }

    private static List<String> absolute(List<String> command) {
        return Stream.concat(Stream.of(ROOT.resolve(command.get(0)).toString()), command.stream().skip(1)).toList();
    }

    /** A PATH with every tool of this one but the one named: a directory of links, first one of a name wins. */
    private String pathWithout(String tool) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("path without " + tool));
        for (String entry : System.getenv("PATH").split(File.pathSeparator)) {
            Path d = Paths.get(entry);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path link = dir.resolve(f.getFileName().toString());
                    if (!f.getFileName().toString().equals(tool) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, f.toAbsolutePath());
                    }
                }
            }
        }
        return dir.toString();
    }
}
