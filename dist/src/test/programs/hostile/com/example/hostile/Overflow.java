package com.example.hostile;

/**
 * Recursion until StackOverflowError, started at many depths, so that the overflow strikes at every point of a
 * call: in the method's own code, in the hooks the profiler added to it, in the JDK code the hooks call. Each time
 * the program catches the error and goes on.
 */
class Overflow {
    static final int STARTS = 400;
    static long dives;
    /** Overflows whose top frames are the profiler's: the hooks were running when the stack ran out. */
    static int inProfiler;

    static void dive(long a, long b) {
        dives++;
        dive(a + 1, b ^ a);
    }

    /** A frame of another size first, so that each start leaves a different amount of stack for dive. */
    static void pad(int n, long x, long y, long z) {
        if (n > 0) {
            pad(n - 1, x + 1, y, z);
        } else {
            dive(x, y + z);
        }
    }

    static void afterOverflow() {}

    static void start(int n) {
        try {
            pad(n, n, 0, 0);
        } catch (StackOverflowError e) {
            StackTraceElement[] trace = e.getStackTrace();
            for (int i = 0; i < Math.min(3, trace.length); i++) {
                if (trace[i].getClassName().startsWith("dev.jcprofile.")) {
                    inProfiler++;
                    break;
                }
            }
        }
        afterOverflow();
    }

    static void run() {
        for (int n = 0; n < STARTS; n++) start(n);
        System.out.println("overflow: " + STARTS + " overflows caught");
        System.err.println("dives " + dives + ", overflows in the profiler's code " + inProfiler);
    }
}
