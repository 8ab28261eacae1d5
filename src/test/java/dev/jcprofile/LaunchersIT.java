package dev.jcprofile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static dev.jcprofile.Cmd.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/jcprofile and bin/jpstats as a stranger runs them. */
class LaunchersIT {
    private static final List<String> SCRIPTS = List.of("jcprofile", "jpstats");
    /** The project's version, passed on by the build (pom.xml). */
    private static final String VERSION = System.getProperty("jcprofile.version");

    /** What --version prints: the build's version, which the scripts do not spell out themselves. */
    static String version(String script) throws IOException {
        assertTrue(VERSION != null && !VERSION.isEmpty(), "the build passes jcprofile.version");
        assertTrue(!Files.readString(ROOT.resolve("bin").resolve(script)).contains(VERSION),
                "bin/" + script + " must take the version from the jar, not state it");
        return (script.equals("jcprofile") ? "jcprofile " : "jpstats (jcprofile) ") + VERSION + "\n";
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
    }
}
