package com.example.threads;

import java.util.ArrayList;
import java.util.List;

/** Many threads calling the same methods; their counts add up exactly. */
public class Workers {
    static int unit(int x) {
        return x + 1;
    }

    static void work(int n) {
        for (int i = 0; i < n; i++) unit(i);
    }

    static void otherUnit() {}

    static void mainUnit() {}

    static volatile int spins;

    static void spinUnit() {
        spins++;
    }

    /** Runs until the JVM exits: its calls are in flight while the profile is written. */
    static void spin() {
        while (true) spinUnit();
    }

    public static void main(String[] args) throws Exception {
        mainUnit();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) threads.add(new Thread(() -> work(5000), "worker-" + t));
        threads.add(new Thread(() -> {
            for (int i = 0; i < 1000; i++) otherUnit();
        }, "other"));
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        // Hundreds of short threads: the tables of dead threads are folded in as the program goes on.
        for (int batch = 0; batch < 10; batch++) {
            List<Thread> shortLived = new ArrayList<>();
            for (int t = 0; t < 60; t++) shortLived.add(new Thread(() -> work(10), "short-" + t));
            for (Thread t : shortLived) t.start();
            for (Thread t : shortLived) t.join();
        }
        Thread spinner = new Thread(Workers::spin, "spinner");
        spinner.setDaemon(true);
        spinner.start();
        while (spins < 1000) Thread.onSpinWait();
        System.out.println("done");
    }
}
