package dev.jcprofile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The modules' boundaries are the build's, not a convention (docs/architecture.md): a class of the runtime or of
 * the pstats core that names a class of a module above it does not compile. Each case builds a copy of the
 * reactor with one such class added; the copy without it compiles.
 */
class BoundariesIT {
    private static final Path WORK = Cmd.ROOT.resolve("target/it-boundaries");

    @Test
    void theReactorAsItIsCompiles() throws Exception {
        Path copy = copy("as-it-is");
        Cmd.Result r = Maven.mvn(copy, "-q", "compile");
        assertEquals(0, r.exit(), r.toString());
    }

    @ParameterizedTest(name = "{0} cannot use {2}")
    @CsvSource({
        "runtime, dev.jcprofile.runtime, dev.jcprofile.agent.Options",
        "runtime, dev.jcprofile.runtime, dev.jcprofile.format.ProfileData",
        "pstats,  dev.jcprofile.format,  dev.jcprofile.agent.Options",
        "pstats,  dev.jcprofile,         dev.jcprofile.agent.AgentStartup",
        "pstats,  dev.jcprofile.format,  dev.jcprofile.browser.Browser",
        "browser, dev.jcprofile.browser, dev.jcprofile.agent.Options",
    })
    void aClassNamingAModuleAboveDoesNotCompile(String module, String pkg, String intruder) throws Exception {
        Path copy = copy(module + "-" + intruder);
        Path file = copy.resolve(module + "/src/main/java/" + pkg.replace('.', '/') + "/Intruder.java");
        Files.writeString(file, "package " + pkg + ";\n\nimport " + intruder + ";\n\nclass Intruder {\n    "
                + intruder.substring(intruder.lastIndexOf('.') + 1) + " field;\n}\n");
        Cmd.Result r = Maven.mvn(copy, "-q", "-pl", module, "-am", "compile");
        assertNotEquals(0, r.exit(), r.toString());
        String missing = "package " + intruder.substring(0, intruder.lastIndexOf('.')) + " does not exist";
        assertTrue(r.out().contains("Intruder.java:[3,") && r.out().contains(missing), r.toString());
    }

    private static Path copy(String name) throws Exception {
        Path copy = WORK.resolve(name);
        Maven.deleteTree(copy);
        Maven.copyReactor(copy);
        return copy;
    }
}
