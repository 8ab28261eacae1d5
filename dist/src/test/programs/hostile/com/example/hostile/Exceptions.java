package com.example.hostile;

import java.util.ArrayList;
import java.util.List;

/**
 * Exceptions thrown through hundreds of instrumented frames, thousands of times, on several threads at once: some
 * from the program's code, some from the JDK's (a failing Integer.parseInt), some caught, wrapped and rethrown on
 * the way up, some passing finally blocks.
 */
class Exceptions {
    static final int DEPTH = 300, ROUNDS = 1000, THREADS = 4;

    static int down(int n, String text) {
        if (n == 0) return bottom(text);
        if (n % 100 == 50) {
            try {
                return down(n - 1, text);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("wrapped at " + n, e); // caught, wrapped, rethrown
            }
        }
        if (n % 100 == 75) {
            try {
                return down(n - 1, text);
            } finally {
                inFinally();
            }
        }
        return down(n - 1, text) + 1;
    }

    static int bottom(String text) {
        if (text.isEmpty()) throw new IllegalStateException("empty");
        return Integer.parseInt(text); // throws NumberFormatException from the JDK for "x"
    }

    static void inFinally() {}

    static void afterCatch() {}

    static int round(int i) {
        String text = i % 3 == 0 ? "" : i % 3 == 1 ? "x" : "7";
        try {
            return down(DEPTH, text);
        } catch (IllegalArgumentException e) { // NumberFormatException is one
            afterCatch();
            return -1;
        }
    }

    static void run() throws Exception {
        long[] sums = new long[THREADS];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < ROUNDS; i++) sums[me] += round(i);
            }, "thrower-" + t));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        long total = 0;
        for (long s : sums) total += s;
        System.out.println("exceptions: sum " + total);
        // One trace, printed whole: the same frames and line numbers as without the profiler.
        try {
            down(DEPTH, "");
        } catch (IllegalArgumentException e) {
            e.printStackTrace(System.out);
        }
    }
}
