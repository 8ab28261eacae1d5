package com.example.churn;

import dev.jcprofile.Profile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Many threads, short and long, started and ended while the profile is taken; the first argument picks the case. */
public class Churn {
    static int unit(int x) {
        return x + 1;
    }

    static void work(int n) {
        for (int i = 0; i < n; i++) unit(i);
    }

    static int rec(int n) {
        return n == 0 ? 0 : 1 + rec(n - 1);
    }

    static void fail(int i) {
        throw new IllegalStateException("task " + i);
    }

    static void afterFailure() {}

    /** What each of the 64 threads does once the barrier lets them all go together. */
    static void task(int i) {
        work(5000);
        for (int k = 0; k < 100; k++) rec(10);
        for (int k = 0; k < 50; k++) {
            try {
                fail(k);
            } catch (IllegalStateException e) {
                afterFailure();
            }
        }
    }

    static void sixtyFour() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(64);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            int me = t;
            threads.add(new Thread(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                task(me);
            }, "sixty-four-" + t));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        System.out.println("64 threads done");
    }

    static void shortTask() {
        work(10);
    }

    /**
     * {@code count} short threads, {@code wave} at a time, platform or virtual; after each quarter, the live
     * instances of the profiler's per-thread state, counted by a heap histogram: it must not grow with the
     * threads that have finished.
     */
    static void many(int count, int wave, boolean virtual) throws Exception {
        ExecutorService virtualThreads = virtual
                ? (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null) : null;
        List<Thread> running = new ArrayList<>();
        for (int started = 0; started < count; ) {
            if (virtual) {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < wave; i++) futures.add(virtualThreads.submit(Churn::shortTask));
                for (java.util.concurrent.Future<?> f : futures) f.get();
            } else {
                for (int i = 0; i < wave; i++) {
                    Thread t = new Thread(Churn::shortTask);
                    t.start();
                    running.add(t);
                }
                for (Thread t : running) t.join();
                running.clear();
            }
            int quarter = count / 4;
            started += wave;
            if (started / quarter > (started - wave) / quarter) System.err.println("after " + started + " threads: " + threadStates());
        }
        if (virtual) virtualThreads.shutdown();
        System.out.println(count + (virtual ? " virtual" : " platform") + " threads done");
    }

    /** Live ThreadState instances, from {@code jcmd PID GC.class_histogram} (which collects garbage first). */
    static String threadStates() throws Exception {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        long instances = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[3].equals("dev.jcprofile.runtime.ThreadState")) instances = Long.parseLong(f[1]);
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException("jcmd failed");
        return instances + " ThreadState";
    }

    /** Starts short threads, one after another, a few at a time, until told to stop; counts those started. */
    static final class Churner extends Thread {
        final AtomicInteger started = new AtomicInteger();
        volatile boolean stop;

        Churner() {
            super("churner");
            setDaemon(true);
        }

        @Override
        public void run() {
            List<Thread> batch = new ArrayList<>();
            while (!stop) {
                for (int i = 0; i < 8; i++) {
                    Thread t = new Thread(() -> work(100), "short");
                    t.setDaemon(true);
                    started.incrementAndGet();
                    t.start();
                    batch.add(t);
                }
                for (Thread t : batch) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch.clear();
            }
        }
    }

    /** Profile API dumps while threads start and end; the last, after they all ended, must be exact. */
    static void dumpsDuringChurn(Path dir, int dumps) throws Exception {
        Profile profile = new Profile().recordAllThreads();
        profile.enable();
        Churner churner = new Churner();
        churner.start();
        for (int i = 0; i < dumps; i++) {
            while (churner.started.get() < 40 * (i + 1)) Thread.sleep(1);
            profile.dumpStats(dir.resolve("dump-" + i + ".prof"));
        }
        churner.stop = true;
        churner.join();
        profile.disable();
        profile.dumpStats(dir.resolve("final.prof"));
        Files.writeString(dir.resolve("started.txt"), Integer.toString(churner.started.get()));
        System.out.println(dumps + " dumps taken while threads started and ended");
    }

    /** The JVM exits (and the agent writes the profile) while a daemon thread keeps starting threads. */
    static void exitDuringChurn() throws Exception {
        Churner churner = new Churner();
        churner.start();
        while (churner.started.get() < 2000) Thread.sleep(1);
        System.out.println("exiting while threads start and end");
    }

    /** The program's own shutdown hooks: they run, print, call its code and take their time, whatever the profiler does. */
    static void hooks(String end) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            work(1000);
            System.out.println("hook 1 ran");
        }, "hook-1"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            System.out.println("hook 2 ran after its sleep");
        }, "hook-2"));
        if (end.equals("halt")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("hook 3 halts");
                System.out.flush();
                Runtime.getRuntime().halt(5);
            }, "hook-3"));
        }
        work(10);
        System.out.println("main ends: " + end);
        if (end.equals("exit")) System.exit(7);
        if (end.equals("throw")) throw new IllegalStateException("main fails");
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "sixty-four":
                sixtyFour();
                break;
            case "many":
                many(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3].equals("virtual"));
                break;
            case "dumps":
                dumpsDuringChurn(Paths.get(args[1]), Integer.parseInt(args[2]));
                break;
            case "exit-churn":
                exitDuringChurn();
                break;
            case "hooks":
                hooks(args[1]);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }
}
