package dev.jcprofile.format;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The id read from /proc is the one ProcessHandle gives, and ProcessHandle answers where /proc does not. */
class ProcessIdTest {
    @Test
    void procGivesTheIdProcessHandleGives() {
        assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Paths.get("/proc/self/status")), "no /proc here");
        assertEquals(ProcessHandle.current().pid(), ProcessId.fromProc());
    }

    @Test
    void currentIsProcessHandlesId() {
        assertEquals(ProcessHandle.current().pid(), ProcessId.current());
        assertEquals(ProcessId.current(), ProcessId.current());
    }
}
