package com.example.timing;

import java.util.ArrayList;
import java.util.List;

/**
 * A program whose call counts are the same on every run and whose slow functions run for known wall-clock
 * times (they sleep), for comparing the timers: exact and sampled counts must agree call for call, and the
 * times of the slow functions must agree with what the program measures itself (printed as "name seconds").
 *
 * usage: Timing [tiny-calls]
 */
public class Timing {
    static long sink;

    public static void main(String[] args) throws Exception {
        int tinyCalls = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        awaitCalibration();
        long t0 = System.nanoTime();
        slow();
        long t1 = System.nanoTime();
        medium();
        long t2 = System.nanoTime();
        tinyLoop(tinyCalls);
        long t3 = System.nanoTime();
        mixed();
        long t4 = System.nanoTime();
        System.out.println("slow " + (t1 - t0) / 1e9);
        System.out.println("medium " + (t2 - t1) / 1e9);
        System.out.println("tinyLoop " + (t3 - t2) / 1e9);
        System.out.println("mixed " + (t4 - t3) / 1e9);
        System.out.println("sink " + sink);
    }

    /** 6 naps of 40 ms, through a recursive helper: 240 ms. */
    static void slow() throws InterruptedException {
        for (int i = 0; i < 3; i++) napTwice(2);
    }

    static void napTwice(int depth) throws InterruptedException {
        if (depth > 1) {
            napTwice(depth - 1);
            return;
        }
        nap(40);
        nap(40);
    }

    static void nap(int millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** 12 naps of 10 ms and some arithmetic: about 120 ms. */
    static void medium() throws InterruptedException {
        for (int i = 0; i < 12; i++) {
            nap(10);
            arithmetic(10_000);
        }
    }

    static void arithmetic(int n) {
        long x = sink;
        for (int i = 0; i < n; i++) x = x * 31 + i;
        sink = x;
    }

    /** Many calls of a method that does almost nothing: what the profiler's own cost would inflate. */
    static void tinyLoop(int calls) {
        for (int i = 0; i < calls; i++) tiny(i);
    }

    static void tiny(int i) {
        sink += i;
    }

    /** Callbacks through the JDK, exceptions through frames, a second thread: every kind of call, counted. */
    static void mixed() throws Exception {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < 50; i++) list.add(i);
        list.forEach(Timing::visit);
        for (int i = 0; i < 20; i++) {
            try {
                thrower(5);
            } catch (IllegalStateException expected) {
                sink++;
            }
        }
        Thread worker = new Thread(() -> {
            for (int i = 0; i < 1000; i++) tiny(i);
        }, "timing-worker");
        worker.start();
        worker.join();
        nap(30);
    }

    static void visit(Integer i) {
        sink += i;
    }

    static void thrower(int depth) {
        if (depth == 0) throw new IllegalStateException("deep");
        thrower(depth - 1);
    }

    /**
     * Waits (up to a minute) for the profiler's calibration to finish, so that every measured call is
     * corrected: a test hook, seen from outside as the profiler's thread by name. Without the profiler, or with
     * calibration off, there is no such thread and this returns at once.
     */
    static void awaitCalibration() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean running = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("jcprofile-calibration")) running = true;
            }
            if (!running) return;
            Thread.sleep(20);
        }
    }
}
