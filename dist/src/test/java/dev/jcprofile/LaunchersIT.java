package dev.jcprofile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.jcprofile.Cmd.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/jcprofile and bin/jpstats as a stranger installs them: linked into a directory of their own (whose name has
 * spaces), through a chain of links, through a relative link, with the bin directory itself linked, found by name
 * in PATH; always started from some other working directory.
 */
class LaunchersIT {
    private static final List<String> SCRIPTS = List.of("jcprofile", "jpstats");
    /** The project's version, passed on by the build (pom.xml). */
    private static final String VERSION = System.getProperty("jcprofile.version");

    @TempDir
    Path tmp;
    /** Where the user is when starting the scripts: neither the project nor a link directory. */
    private Path work;
    /** Label, and the directory that holds a jcprofile and a jpstats that lead to bin/. */
    private final Map<String, Path> ways = new LinkedHashMap<>();

    @AfterEach
    void unlink() throws IOException {
        Cmd.deleteLinks(tmp);
    }

    @BeforeEach
    void links() throws IOException {
        work = Files.createDirectories(tmp.resolve("work dir"));
        Path bin = ROOT.resolve("bin");
        Path spaced = Files.createDirectories(tmp.resolve("my tools/bin dir"));
        Path chain = Files.createDirectories(tmp.resolve("chain"));
        Path relative = Files.createDirectories(tmp.resolve("relative links"));
        for (String s : SCRIPTS) {
            Files.createSymbolicLink(spaced.resolve(s), bin.resolve(s));
            Files.createSymbolicLink(chain.resolve(s), spaced.resolve(s));
            Files.createSymbolicLink(relative.resolve(s), relative.relativize(bin.resolve(s)));
        }
        Path linkedBin = Files.createSymbolicLink(tmp.resolve("linked bin"), bin);
        ways.put("a link in a directory with spaces", spaced);
        ways.put("a link to that link", chain);
        ways.put("a relative link", relative);
        ways.put("a link to the bin directory", linkedBin);
        ways.put("the scripts themselves", bin);
    }

    @Test
    void helpThroughEveryLink() throws Exception {
        for (Map.Entry<String, Path> way : ways.entrySet()) {
            for (String s : SCRIPTS) {
                Cmd.Result r = Cmd.of(way.getValue().resolve(s).toString(), "--help").in(work).run();
                assertEquals(0, r.exit(), way.getKey() + ":\n" + r);
                assertTrue(r.out().startsWith("usage: " + s), way.getKey() + ":\n" + r);
            }
        }
    }

    /** The jar is found (--version reads the version from it) whichever way the script was reached. */
    @Test
    void jarFoundThroughEveryLink() throws Exception {
        for (Map.Entry<String, Path> way : ways.entrySet()) {
            for (String s : SCRIPTS) {
                Cmd.Result r = Cmd.of(way.getValue().resolve(s).toString(), "--version").in(work).run();
                assertEquals(0, r.exit(), way.getKey() + ":\n" + r);
                assertEquals(version(s), r.out(), way.getKey() + ":\n" + r);
                assertEquals("", r.err(), way.getKey() + ":\n" + r);
            }
        }
    }

    /** What --version prints: the build's version, which the scripts do not spell out themselves. */
    static String version(String script) throws IOException {
        assertTrue(VERSION != null && !VERSION.isEmpty(), "the build passes jcprofile.version");
        assertTrue(!Files.readString(ROOT.resolve("bin").resolve(script)).contains(VERSION),
                "bin/" + script + " must take the version from the jar, not state it");
        return (script.equals("jcprofile") ? "jcprofile " : "jpstats (jcprofile) ") + VERSION + "\n";
    }

    @Test
    void byNameInPath() throws Exception {
        Path onPath = ways.get("a link to that link");
        for (String s : SCRIPTS) {
            Cmd.Result r = Cmd.shell("cd / && " + s + " --version").env("PATH", onPath + ":" + System.getenv("PATH")).run();
            assertEquals(0, r.exit(), r.toString());
            assertEquals(version(s), r.out(), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }

    /** --version asks the jar, with no unzip at hand (a JRE-only machine, a slim container). */
    @Test
    void versionNeedsNoUnzip() throws Exception {
        String path = decoys("unzip") + ":" + System.getenv("PATH");
        for (String s : SCRIPTS) {
            Cmd.Result r = Cmd.of("bin/" + s, "--version").env("PATH", path).run();
            assertEquals(0, r.exit(), r.toString());
            assertEquals(version(s), r.out(), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }

    /** JAVA_HOME, when set, is the JVM of both scripts, whatever java PATH has. */
    @Test
    void javaHomeWins() throws Exception {
        Path jdk = otherJdk();
        String path = decoys("java") + ":" + System.getenv("PATH");
        Cmd.Result run = Cmd.of(ROOT.resolve("bin/jcprofile").toString(), "-o", "where.prof", "Where.java")
                .in(whereProgram()).env("JAVA_HOME", jdk.toString()).env("PATH", path).run();
        assertEquals(0, run.exit(), run.toString());
        assertEquals(jdk.toRealPath() + "\n", run.out(), run.toString());
        Cmd.Result browse = Cmd.of(ROOT.resolve("bin/jpstats").toString(), "where.prof").in(work).input("stats Where\n")
                .env("JAVA_HOME", jdk.toString()).env("PATH", path).run();
        assertEquals(0, browse.exit(), browse.toString());
        assertTrue(browse.out().contains("Where.java:3(Where.main)"), browse.toString());
        for (String s : SCRIPTS) {
            Cmd.Result r = Cmd.of("bin/" + s, "--version").env("JAVA_HOME", jdk.toString()).env("PATH", path).run();
            assertEquals(version(s), r.out(), r.toString());
        }
    }

    /** Without JAVA_HOME, the java that PATH finds. */
    @Test
    void javaFromPath() throws Exception {
        Path jdk = otherJdk();
        Path dir = Files.createDirectories(tmp.resolve("path java"));
        Path log = tmp.resolve("java.log");
        Path wrapper = dir.resolve("java");
        Files.writeString(wrapper, "#!/bin/sh\necho run >> '" + log + "'\nexec '" + jdk.resolve("bin/java") + "' \"$@\"\n");
        assertTrue(wrapper.toFile().setExecutable(true));
        String path = dir + ":" + System.getenv("PATH");
        Cmd.Result run = Cmd.of(ROOT.resolve("bin/jcprofile").toString(), "-o", "where.prof", "Where.java")
                .in(whereProgram()).env("JAVA_HOME", null).env("PATH", path).run();
        assertEquals(0, run.exit(), run.toString());
        assertEquals(jdk.toRealPath() + "\n", run.out(), run.toString());
        // The program alone: its arguments are all the JVM's, so the script starts no check of its own.
        assertEquals(1, Files.readAllLines(log).size());
        // An argument of neither jcprofile nor java: the check's JVM runs, also the java on PATH, and stops there.
        Cmd.Result stray = Cmd.of(ROOT.resolve("bin/jcprofile").toString(), "--timr", "wall", "Where.java")
                .in(whereProgram()).env("JAVA_HOME", null).env("PATH", path).run();
        assertEquals(2, stray.exit(), stray.toString());
        assertTrue(stray.err().startsWith("jcprofile: --timr is an option of neither jcprofile nor java"), stray.toString());
        assertEquals(2, Files.readAllLines(log).size());
        Cmd.Result browse = Cmd.of(ROOT.resolve("bin/jpstats").toString(), "where.prof").in(work).input("stats Where\n")
                .env("JAVA_HOME", null).env("PATH", path).run();
        assertEquals(0, browse.exit(), browse.toString());
        assertTrue(browse.out().contains("Where.java:3(Where.main)"), browse.toString());
        assertEquals(3, Files.readAllLines(log).size(), "jpstats ran the java on PATH");
    }

    /** A program that prints the home of the JVM that runs it. */
    private Path whereProgram() throws IOException {
        Files.writeString(work.resolve("Where.java"), "public class Where {\n"
                + "    public static void main(String[] args) throws Exception {\n"
                + "        System.out.println(java.nio.file.Path.of(System.getProperty(\"java.home\")).toRealPath());\n"
                + "    }\n"
                + "}\n");
        return work;
    }

    /**
     * The JDK for the JAVA_HOME tests: -Djcprofile.test.jdk, else the JDK 25 that the project is also tested on
     * (the tests otherwise run on 17), else this JVM's own.
     */
    static Path otherJdk() {
        String chosen = System.getProperty("jcprofile.test.jdk");
        if (chosen != null) return Paths.get(chosen);
        Path jdk25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
        return Files.isExecutable(jdk25.resolve("bin/java")) ? jdk25 : Paths.get(System.getProperty("java.home"));
    }

    /** A directory for the front of PATH whose tools must not be used: each says so and fails. */
    private Path decoys(String... tools) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("decoys"));
        for (String tool : tools) {
            Path p = dir.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho \"decoy $0 was run\" >&2\nexit 97\n");
            assertTrue(p.toFile().setExecutable(true));
        }
        return dir;
    }

    /** A relative -o is the user's working directory's, and jpstats, reached another way, reads it from there. */
    @Test
    void profileAndBrowseFromAnotherDirectory() throws Exception {
        Files.writeString(work.resolve("Hello.java"), "public class Hello {\n"
                + "    public static void main(String[] args) { System.out.println(greeting()); }\n"
                + "    static String greeting() { return \"hello\"; }\n"
                + "}\n");
        Cmd.Result run = Cmd.of(ways.get("a link to that link").resolve("jcprofile").toString(),
                "-o", "hello.prof", "Hello.java").in(work).run();
        assertEquals(0, run.exit(), run.toString());
        assertEquals("hello\n", run.out(), run.toString());
        assertTrue(Files.isRegularFile(work.resolve("hello.prof")), run.toString());

        Cmd.Result browse = Cmd.of(ways.get("a relative link").resolve("jpstats").toString(), "hello.prof")
                .in(work).input("stats greeting\n").run();
        assertEquals(0, browse.exit(), browse.toString());
        assertTrue(browse.out().contains("Hello.java:3(Hello.greeting)"), browse.toString());
    }

    /**
     * jpstats keeps a class data archive of its jar; a rebuild that writes the same bytes again (mvn package does)
     * leaves the archive's key alone but changes the jar's time stamp, which the JVM checks.
     */
    @Test
    void jpstatsQuietAfterARebuild() throws Exception {
        Path jar = ROOT.resolve("target/jcprofile.jar");
        Cmd.Result first = Cmd.of("bin/jpstats", "--version").run();
        assertEquals(0, first.exit(), first.toString());
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        for (int i = 0; i < 2; i++) {
            Cmd.Result r = Cmd.of("bin/jpstats", "--version").run();
            assertEquals(0, r.exit(), r.toString());
            assertEquals(version("jpstats"), r.out(), r.toString());
            assertEquals("", r.err(), r.toString());
        }
        // The first of these made a new archive (silently), for the other to use.
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> archives = Files.list(ROOT.resolve("target/cds"))) {
            assertTrue(archives.anyMatch(a -> {
                try {
                    return a.getFileName().toString().startsWith("jpstats")
                            && Files.getLastModifiedTime(a).compareTo(built) >= 0;
                } catch (IOException e) {
                    return false;
                }
            }), "an archive newer than the jar in target/cds");
        }
    }

    /**
     * The header's time stamp is local time as python3 has it: the system's zone when TZ is unset (bin/jpstats
     * spares UTC the JDK's zone database), else TZ's.
     */
    @Test
    void localTimeAsPythons() throws Exception {
        Files.writeString(work.resolve("w.py"), "def f():\n    return 1\n\nf()\n");
        Cmd.Result profile = Cmd.of("python3", "-m", "cProfile", "-o", "w.prof", "w.py").in(work).run();
        assertEquals(0, profile.exit(), profile.toString());
        for (String tz : Arrays.asList(null, "UTC", "Asia/Kolkata", "America/New_York")) {
            Cmd.Result python = Cmd.of("python3", "-m", "pstats", "w.prof").in(work).input("stats\n").env("TZ", tz).run();
            assertEquals(0, python.exit(), python.toString());
            Cmd.Result jpstats = Cmd.of(ROOT.resolve("bin/jpstats").toString(), "w.prof").in(work).input("stats\n")
                    .env("TZ", tz).run();
            assertEquals(python.out(), jpstats.out(), "TZ " + tz + ":\n" + jpstats);
            assertEquals("", jpstats.err(), "TZ " + tz + ":\n" + jpstats);
        }
    }

    /**
     * An exported CDPATH that holds a directory named bin: "cd bin/.." must still go to the project, not there.
     */
    @Test
    void cdpathDoesNotMislead() throws Exception {
        Path trap = tmp.resolve("cdpath");
        Files.createDirectories(trap.resolve("bin"));
        for (String s : SCRIPTS) {
            Cmd.Result r = Cmd.of("bin/" + s, "--version").env("CDPATH", trap.toString()).run();
            assertEquals(0, r.exit(), r.toString());
            assertEquals(version(s), r.out(), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }
}
