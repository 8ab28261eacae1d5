package dev.jcprofile.browser;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The test JVM talks to Maven through pipes, so neither check may see a terminal. */
class TtyTest {
    @Test
    void pipesAreNoTerminal() {
        assertFalse(Tty.consoleIsTerminal());
        assertFalse(Tty.stdinAndStdoutAreTerminals());
    }
}
