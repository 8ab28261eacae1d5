package com.example.jdk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * 240 tasks submitted to a pool of 4 threads, their results summed, the pool shut down; the tasks as many times
 * as the argument says (for timing runs).
 */
public class Pool {
    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<Future<Long>> results = new ArrayList<>();
        for (int i = 0; i < 240 * rounds; i++) {
            int n = i % 240;
            results.add(pool.submit(() -> task(n)));
        }
        long sum = 0;
        for (Future<Long> f : results) sum += f.get();
        pool.shutdown();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) throw new IllegalStateException("pool did not stop");
        System.out.println("sum " + sum);
    }

    static long task(int n) {
        long s = 0;
        for (int i = 0; i <= n; i++) s += i;
        return s;
    }
}
