package com.example.vcpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Virtual threads that burn CPU, then sleep (unmounted, using no CPU). Prints the wall time the burning took,
 * summed over the threads: an upper bound of their CPU time, which the JDK does not measure for virtual threads.
 * Arguments: the number of threads, the milliseconds each burns and sleeps.
 */
public class VirtualCpu {
    static long burn(long nanos) {
        long t0 = System.nanoTime(), x = 0;
        while (System.nanoTime() - t0 < nanos) x += x * 31 + 7;
        return x;
    }

    static void nap(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long millis = Long.parseLong(args[1]);
        long[] burnt = new long[n];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(Thread.ofVirtual().start(() -> {
                long t0 = System.nanoTime();
                burn(millis * 1_000_000L);
                burnt[k] = System.nanoTime() - t0;
                try {
                    nap(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) t.join();
        long sum = 0;
        for (long b : burnt) sum += b;
        System.out.println("burnWall " + sum / 1e9);
    }
}
