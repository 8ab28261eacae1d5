package com.example.virtual;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Virtual threads that sleep mid-way, so they move between carrier threads; their counts add up exactly. */
public class Virtual {
    static int unit(int x) {
        return x + 1;
    }

    static void work(int n) {
        for (int i = 0; i < n; i++) unit(i);
    }

    static void task() throws InterruptedException {
        work(25);
        Thread.sleep(1);
        work(25);
    }

    public static void main(String[] args) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 2000; i++) {
                executor.submit(() -> {
                    task();
                    return null;
                });
            }
        }
        Thread.ofVirtual().name("virtual-named").start(() -> work(7)).join();
        System.out.println("done");
    }
}
