package com.example.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Burns 0.3 s of its own CPU time, then sleeps 0.3 s. */
public class CpuWork {
    static final long BURN_NANOS = 300_000_000L;

    static long spin() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long start = bean.getCurrentThreadCpuTime();
        long x = 0;
        while (bean.getCurrentThreadCpuTime() - start < BURN_NANOS) {
            for (int i = 0; i < 100_000; i++) x += i ^ x;
        }
        return x;
    }

    static void nap() throws InterruptedException {
        Thread.sleep(300);
    }

    public static void main(String[] args) throws Exception {
        System.out.println("spun " + (spin() != 42));
        nap();
    }
}
