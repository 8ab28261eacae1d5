package com.example.vcpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Virtual threads that burn CPU, then sleep (unmounted, using no CPU). The JDK measures no CPU time for a virtual
 * thread, so the program measures the same burn on its platform main thread, by that thread's CPU clock, and
 * prints it: what each virtual thread's burn costs. Arguments: the number of virtual threads, the burn's
 * iterations (millions), the milliseconds each virtual thread sleeps.
 */
public class VirtualCpu {
    static long sink;

    static long burn(long iterations) {
        long x = 0;
        for (long i = 0; i < iterations; i++) x += x * 31 + i;
        return x;
    }

    static void nap(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long iterations = Long.parseLong(args[1]) * 1_000_000L;
        long millis = Long.parseLong(args[2]);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        sink += burn(iterations); // compiled by now
        long c0 = bean.getCurrentThreadCpuTime();
        sink += burn(iterations);
        long platformCpu = bean.getCurrentThreadCpuTime() - c0;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                sink += burn(iterations);
                try {
                    nap(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) t.join();
        System.out.println("burnCpu " + platformCpu / 1e9);
    }
}
