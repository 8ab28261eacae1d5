package com.example.waiting;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Many threads alive at once, each waiting on a latch, then let go together: {@code Waiting COUNT virtual|platform
 * [PAUSE_MS | histogram=FILE]}; the pause, with every thread waiting, leaves time for a heap histogram, and with
 * {@code histogram=FILE} the program writes one itself then ({@code jcmd PID GC.class_histogram}, which collects
 * garbage first), to FILE.
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
        if (args.length > 2 && args[2].startsWith("histogram=")) histogram(Paths.get(args[2].substring(10)));
        else if (args.length > 2) Thread.sleep(Long.parseLong(args[2]));
        go.countDown();
        for (Thread t : threads) t.join();
        System.out.println("all done");
    }

    static void histogram(Path file) throws Exception {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (p.waitFor() != 0) throw new IllegalStateException("jcmd failed");
    }
}
