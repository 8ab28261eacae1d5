package com.example.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long-running program for jcprofile attach: worker threads doing checked, deterministic work until the file
 * DIR/stop appears, and one thread that, once DIR/descend appears, recurses DEPTH calls deep, says so (DIR/bottom),
 * and stays there until DIR/release appears. Its standard output is the same however it was profiled.
 * Usage: Service DIR WORKERS DEPTH [rates] [pool]; with "rates", DIR/rates gets, every half second, the time, the
 * rounds done and the workers' CPU time. Each worker loops in a method of its own that never returns; with "pool", as
 * in a server, each worker is instead a thread of an executor (the loop is the JDK's) running short tasks of
 * {@link #BATCH} rounds, each task submitting the next.
 */
public final class Service {
    static final AtomicLong rounds = new AtomicLong();
    static volatile boolean stopping;
    static final int BATCH = 100;

    static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    static String words(int seed) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 50; i++) counts.merge("w" + ((seed * 31 + i * 7) % 13), 1, Integer::sum);
        return counts.toString();
    }

    /** One round of work; its result is checked against the first round's. */
    static long round(int seed) {
        long h = fib(16);
        h = h * 31 + words(seed % 5).hashCode();
        return h;
    }

    /** A pool task's rounds; false if one gave a wrong result. */
    static boolean batch(int first, long[] expected) {
        boolean good = true;
        for (int i = first; i < first + BATCH; i++) {
            if (round(i % 5) != expected[i % 5]) good = false;
            rounds.incrementAndGet();
        }
        return good;
    }

    static int descend(int depth, Path dir) throws Exception {
        if (depth == 0) {
            Files.createFile(dir.resolve("bottom"));
            while (!Files.exists(dir.resolve("release"))) Thread.sleep(10);
            return 0;
        }
        return 1 + descend(depth - 1, dir);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        int workers = Integer.parseInt(args[1]);
        int depth = Integer.parseInt(args[2]);
        boolean rates = args.length > 3 && args[3].equals("rates");
        long[] expected = new long[5];
        for (int s = 0; s < 5; s++) expected[s] = round(s);
        List<Thread> threads = new ArrayList<>();
        boolean[] ok = new boolean[workers];
        boolean pool = args.length > 4 && args[4].equals("pool");
        List<java.util.concurrent.ExecutorService> pools = new ArrayList<>();
        java.util.concurrent.CountDownLatch chainsEnded = new java.util.concurrent.CountDownLatch(pool ? workers : 0);
        for (int w = 0; w < workers; w++) {
            int me = w;
            if (pool) {
                ok[me] = true;
                java.util.concurrent.ExecutorService e = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "worker-" + me);
                    threads.add(t);
                    return t;
                });
                pools.add(e);
                e.execute(new Runnable() {
                    int next;

                    @Override
                    public void run() {
                        if (!batch(next, expected)) ok[me] = false;
                        next = (next + BATCH) % 5;
                        if (!stopping) e.execute(this);
                        else chainsEnded.countDown();
                    }
                });
                continue;
            }
            Thread t = new Thread(() -> {
                boolean good = true;
                for (int i = 0; !stopping; i++) {
                    if (round(i % 5) != expected[i % 5]) good = false;
                    rounds.incrementAndGet();
                }
                ok[me] = good;
            }, "worker-" + w);
            t.start();
            threads.add(t);
        }
        int[] unwound = {-1};
        Thread deep = new Thread(() -> {
            try {
                while (!Files.exists(dir.resolve("descend")) && !stopping) Thread.sleep(10);
                if (!stopping) unwound[0] = descend(depth, dir);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "deep");
        deep.start();
        Thread rate = null;
        if (rates) {
            rate = new Thread(() -> {
                StringBuilder b = new StringBuilder();
                long t0 = System.nanoTime();
                while (!stopping) {
                    try {
                        Thread.sleep(500);
                        // The workers' CPU time too: rounds per CPU second do not depend on what else the machine runs.
                        long cpu = 0;
                        for (Thread t : threads) cpu += java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
                        b.append((System.nanoTime() - t0) / 1_000_000).append(' ').append(rounds.get()).append(' ')
                                .append(cpu).append('\n');
                        Files.writeString(dir.resolve("rates.tmp"), b);
                        Files.move(dir.resolve("rates.tmp"), dir.resolve("rates"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "rates");
            rate.setDaemon(true);
            rate.start();
        }
        System.out.println("ready");
        while (!Files.exists(dir.resolve("stop"))) Thread.sleep(20);
        stopping = true;
        // Each chain's last task sees stopping and submits no other.
        chainsEnded.await();
        for (java.util.concurrent.ExecutorService e : pools) {
            e.shutdown();
            e.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
        for (Thread t : threads) t.join();
        deep.join();
        for (int w = 0; w < workers; w++) System.out.println("worker-" + w + (ok[w] ? ": every round gave the expected result" : ": WRONG RESULT"));
        System.out.println(unwound[0] < 0 ? "deep: never descended" : "deep: unwound " + unwound[0] + " calls");
    }
}
