package dev.jcprofile.format;

import dev.jcprofile.ProfileException;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** How every bad file must fail: one {@link ProfileException} whose message is one line, {@code LABEL: problem}. */
final class BadInput {
    private BadInput() {}

    static final String LABEL = "bad.prof";

    /** A small thread stack: the reader's own depth limit, not the stack's size, must stop deep nesting. */
    static final long SMALL_STACK = 256 * 1024;

    /** Parses bytes that are not a usable profile and returns the problem, checking the message's form. */
    static String problem(byte[] bytes) {
        try {
            ProfileData d = ProfileFiles.parse(bytes, LABEL);
            fail("read as a profile of " + d.size() + " functions");
            return null;
        } catch (ProfileException e) {
            return checkOneLine(e);
        }
    }

    static String checkOneLine(ProfileException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith(e.file() + ": "), m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        assertEquals(e.file() + ": " + e.problem(), m);
        assertFalse(e.problem().isBlank(), m);
        // The reader's own checks must catch everything: the last-resort catch of StackOverflowError and
        // OutOfMemoryError in ProfileFiles.parse is not an answer.
        assertFalse(e.problem().contains(ProfileFiles.LAST_RESORT), m);
        return e.problem();
    }

    /** Parses in a thread with a small stack; returns the problem, or null if the bytes read as a profile. */
    static String problemOnSmallStack(byte[] bytes) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                ProfileFiles.parse(bytes, LABEL);
                result.set("parsed");
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", SMALL_STACK);
        t.start();
        t.join();
        Object r = result.get();
        assertNotNull(r);
        if (r instanceof ProfileException) return checkOneLine((ProfileException) r);
        if (r instanceof Throwable) throw new AssertionError("not a ProfileException", (Throwable) r);
        return null;
    }

    /** Runs the reader on its own thread with a small stack; returns what it threw (or null) or its result. */
    static Object onSmallStack(java.util.function.Supplier<Object> read) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(read.get());
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", SMALL_STACK);
        t.start();
        t.join();
        return result.get();
    }

    /** Bytes this thread allocated so far (HotSpot's per-thread counter), or -1 where the JVM does not count. */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        if (b instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean s = (com.sun.management.ThreadMXBean) b;
            if (s.isThreadAllocatedMemorySupported() && s.isThreadAllocatedMemoryEnabled()) {
                return s.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
        }
        return -1;
    }
}
