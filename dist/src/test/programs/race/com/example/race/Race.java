package com.example.race;

/** Threads calling as fast as they can when the JVM exits, more of them than there are cores. */
public class Race {
    static volatile int spins;

    static void spinUnit() {
        spins++;
    }

    static void spin() {
        while (true) spinUnit();
    }

    /** A loop of calls into the JDK only: no instrumented call in it. */
    static long builtinLoop() {
        long s = 0;
        for (int i = 0; ; i++) {
            s += Math.abs(i - 5);
            if (i == Integer.MAX_VALUE) return s;
        }
    }

    public static void main(String[] args) throws Exception {
        for (int t = 0; t < 3; t++) {
            Thread thread = new Thread(Race::spin, "spin-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(Race::builtinLoop, "loop-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(300);
    }
}
