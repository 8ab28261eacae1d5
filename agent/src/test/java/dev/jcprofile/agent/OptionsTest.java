package dev.jcprofile.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of the agent string: what they accept, and the one line a mistake gets. */
class OptionsTest {
    private static Options parse(String args) throws Options.BadOption {
        return Options.parse(args, Paths.get("/tmp"));
    }

    private static String error(String args) {
        return assertThrows(Options.BadOption.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaults() throws Exception {
        Options o = parse("");
        assertEquals("wall", o.timer);
        assertTrue(o.calibrate);
        assertEquals(1_000_000, o.intervalNanos);
    }

    @Test
    void timers() throws Exception {
        assertEquals("sampled", parse("timer=sampled").timer);
        assertEquals("cpu", parse("timer=CPU").timer);
        assertEquals("option timer: 'tsc' is not a timer (valid: wall, cpu, sampled, sampled-cpu)", error("timer=tsc"));
    }

    /** One reading of times for the interval (bare: milliseconds) and attach's --duration (bare: seconds). */
    @Test
    void timesWithAndWithoutUnits() throws Exception {
        assertEquals(2_000_000, Options.duration("2"));
        assertEquals(2_000_000_000L, AttachCommand.duration("2"));
        assertEquals(500_000_000L, AttachCommand.duration("500ms"));
        assertEquals(120_000_000_000L, AttachCommand.duration("2m"));
        assertEquals(5_400_000_000_000L, AttachCommand.duration("1.5h"));
        assertEquals(250_000, Options.duration("250us"));
        assertEquals("option --duration: 'soon' is not a duration (e.g. 30s, 500ms, 2m)",
                assertThrows(AttachCommand.Failure.class, () -> AttachCommand.duration("soon")).getMessage());
        assertEquals("option --duration: '0s' is out of range",
                assertThrows(AttachCommand.Failure.class, () -> AttachCommand.duration("0s")).getMessage());
    }

    @Test
    void intervals() throws Exception {
        assertEquals(1_000_000, parse("interval=1ms").intervalNanos);
        assertEquals(500_000, parse("interval=500us").intervalNanos);
        assertEquals(10_000_000, parse("interval=0.01s").intervalNanos);
        assertEquals(2_000_000, parse("interval=2").intervalNanos, "a bare number is in milliseconds");
        assertEquals(10_000, parse("interval=10us").intervalNanos);
        assertEquals("option interval: 'soon' is not a duration (e.g. 1ms, 500us, 0.01s)", error("interval=soon"));
        assertEquals("option interval: '' is not a duration (e.g. 1ms, 500us, 0.01s)", error("interval="));
        assertEquals("option interval: '1us' is out of range (10us to 10s)", error("interval=1us"));
        assertEquals("option interval: '11s' is out of range (10us to 10s)", error("interval=11s"));
        assertEquals("option interval: '-1ms' is out of range (10us to 10s)", error("interval=-1ms"));
        assertEquals("option interval: 'NaNms' is not a duration (e.g. 1ms, 500us, 0.01s)", error("interval=NaNms"));
    }

    @Test
    void calibration() throws Exception {
        assertFalse(parse("calibrate=off").calibrate);
        assertTrue(parse("calibrate=on").calibrate);
        assertEquals("option calibrate: 'maybe' is neither on nor off", error("calibrate=maybe"));
    }

    /** A mistake ends the run only when the string came from bin/jcprofile (cli=true), wherever cli stands. */
    @Test
    void aMistakeKnowsWhetherTheCommandLineGaveIt() {
        assertTrue(assertThrows(Options.BadOption.class, () -> parse("timer=tsc,cli=true")).fromCommandLine());
        assertTrue(assertThrows(Options.BadOption.class, () -> parse("cli=true,timer=tsc")).fromCommandLine());
        assertFalse(assertThrows(Options.BadOption.class, () -> parse("timer=tsc")).fromCommandLine());
        assertFalse(assertThrows(Options.BadOption.class, () -> parse("timer=tsc,cli=false")).fromCommandLine());
        // An escaped comma is part of the file name, not a separator.
        assertFalse(assertThrows(Options.BadOption.class, () -> parse("timer=tsc,o=x\\,cli=true")).fromCommandLine());
        assertEquals("option timer: 'tsc' is not a timer (valid: wall, cpu, sampled, sampled-cpu)", error("timer=tsc,sort=nope,cli=true"));
    }

    @Test
    void jdkClassesAreNotToBeIncluded() throws Exception {
        for (String p : new String[] {"com.sun.tools.javac.**", "java.util.*", "java.lang.String", "javax.**", "jdk.internal.*", "sun.nio.ch.Util"}) {
            assertEquals("option include: '" + p + "' names JDK classes, which --include does not instrument: calls into them "
                    + "are recorded as built-ins (--jdk instruments them)", error("include=" + p));
        }
        // Patterns that may match classes of the program's are left alone.
        for (String p : new String[] {"com.**", "com.sun*", "jav*", "javafx.**", "com.example.**"}) {
            assertEquals(java.util.List.of(p), parse("include=" + p).include);
        }
        assertEquals(java.util.List.of("java.util.*"), parse("exclude=java.util.*").exclude, "excluding them does no harm");
    }
}
