package dev.jcprofile.runtime;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directive that keeps C2 off the instrumenter reaches the JVM's directives stack, as jcmd would show it. */
class CompilerDirectivesTest {
    private static String directives() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint", null, null);
    }

    private static void removeTop() throws Exception {
        ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesRemove", null, null);
    }

    @Test
    void theInstrumenterGoesWithoutC2AndNothingElseDoes() throws Exception {
        assertFalse(directives().contains("dev/jcprofile/shaded/asm"), directives());
        // surefire's argLine opens jdk.management's internals to this module, as the agent does
        assertTrue(CompilerDirectives.add());
        try {
            String now = directives();
            // HotSpot prints each directive's patterns and, per compiler, its options: C2's excluded, C1's not.
            assertTrue(now.contains("dev/jcprofile/shaded/asm/*.*") && now.contains("dev/jcprofile/agent/*.*"), now);
            int c1 = now.indexOf("c1 directives:", now.indexOf("dev/jcprofile/agent")), c2 = now.indexOf("c2 directives:", c1);
            assertTrue(c1 >= 0 && c2 > c1, now);
            assertTrue(now.substring(c2).contains("Exclude:true"), now);
            assertFalse(now.substring(c1, c2).contains("Exclude:true"), now);
        } finally {
            removeTop();
        }
    }
}
