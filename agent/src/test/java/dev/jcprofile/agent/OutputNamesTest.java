package dev.jcprofile.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The tokens of an output name, filled in from a JVM's values. */
class OutputNamesTest {
    private static final OutputNames.Context JVM = new OutputNames.Context() {
        public String pid() { return "4242"; }
        public String start() { return "20261205-131415"; }
        public String host() { return "build-7"; }
        public String env(String name) { return Map.of("POD", "web-1", "EMPTY", "").get(name); }
    };

    private static String expand(String name) throws Options.BadOption {
        return OutputNames.expand(name, JVM);
    }

    private static String error(String name) {
        return assertThrows(Options.BadOption.class, () -> expand(name)).getMessage();
    }

    @Test
    void tokens() throws Exception {
        assertEquals("tests.prof", expand("tests.prof"));
        assertEquals("tests-4242.prof", expand("tests-%p.prof"));
        assertEquals("20261205-131415-build-7.prof", expand("%t-%h.prof"));
        assertEquals("/out/web-1/app-4242.prof", expand("/out/%{POD}/app-%p.prof"));
        assertEquals("a-.prof", expand("a-%{EMPTY}.prof"), "a variable set to nothing is nothing");
        assertEquals("100%-4242%p", expand("100%%-%p%%p"));
    }

    @Test
    void eachThreadsTokenIsLeftForTheDump() throws Exception {
        assertEquals("run-4242-%T.prof", expand("run-%p-%T.prof"));
    }

    @Test
    void mistakes() {
        assertEquals("output name 'x-%q.prof': unknown token %q (valid: %p process id, %t start time, %h host name, "
                + "%{NAME} environment variable, %% a %)", error("x-%q.prof"));
        assertEquals("output name 'x-%{NOPE}.prof': environment variable NOPE is not set", error("x-%{NOPE}.prof"));
        assertEquals("output name 'x-%{POD.prof': %{ must be followed by an environment variable's name and }", error("x-%{POD.prof"));
        assertEquals("output name 'x-%{}.prof': %{ must be followed by an environment variable's name and }", error("x-%{}.prof"));
        assertEquals("output name 'x%': ends with a lone % (write %% for a percent sign)", error("x%"));
    }

    @Test
    void theAgentsOptionExpandsBeforeResolving() throws Exception {
        // A % in the working directory's own name is not a token.
        Options o = Options.parse("o=p-%p.prof", Paths.get("/tmp/100%q"), JVM);
        assertEquals(Paths.get("/tmp/100%q/p-4242.prof"), o.output);
    }
}
