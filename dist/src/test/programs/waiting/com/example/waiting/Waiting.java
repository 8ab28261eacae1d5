package com.example.waiting;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Many threads alive at once, each waiting on a latch, then let go together: {@code Waiting COUNT virtual|platform
 * [PAUSE_MS]}; the pause, with every thread waiting, leaves time for a heap histogram.
 * Virtual threads are made through reflection, so that the program also compiles for JDK 17.
 */
public class Waiting {
    static int unit(int x) {
        return x + 1;
    }

    static void work(int n) {
        for (int i = 0; i < n; i++) unit(i);
    }

    static void task(int i, CountDownLatch started, CountDownLatch go) {
        started.countDown();
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        work(i % 4);
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        boolean virtual = args[1].equals("virtual");
        CountDownLatch started = new CountDownLatch(count), go = new CountDownLatch(1);
        Object builder = virtual ? Thread.class.getMethod("ofVirtual").invoke(null) : null;
        java.lang.reflect.Method unstarted = virtual
                ? Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class) : null;
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int me = i;
            Runnable r = () -> task(me, started, go);
            Thread t = virtual ? (Thread) unstarted.invoke(builder, r) : new Thread(r, "waiting-" + i);
            threads.add(t);
            t.start();
        }
        started.await();
        System.out.println(count + " " + args[1] + " threads waiting");
        if (args.length > 2) Thread.sleep(Long.parseLong(args[2]));
        go.countDown();
        for (Thread t : threads) t.join();
        System.out.println("all done");
    }
}
