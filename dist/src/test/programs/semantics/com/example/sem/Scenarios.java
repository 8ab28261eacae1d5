package com.example.sem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every case of the recorder's counting rules, one method per case with names of its own, so that each test
 * asks the profile about one of them. SemanticsIT holds the expected figures.
 */
public class Scenarios {
    public static void main(String[] args) throws Exception {
        recursion();
        mutual();
        exceptions();
        constructors();
        statics();
        Lambdas.run();
        nested();
        overloads();
        synchronizedMethods();
        stackOverflow();
        builtins();
        inherited();
        Loaders.run();
        natives();
        Names.run();
        NoDebug.run();
        System.out.println("done");
    }

    // ------------------------------------------------------------------ recursion

    static void recursion() {
        System.out.println("fact " + fact(12));
    }

    static long fact(int n) {
        return n <= 1 ? 1 : n * fact(n - 1);
    }

    static void mutual() {
        System.out.println("even " + isEven(9));
    }

    static boolean isEven(int n) {
        return n == 0 || isOdd(n - 1);
    }

    static boolean isOdd(int n) {
        return n != 0 && isEven(n - 1);
    }

    // ------------------------------------------------------------------ exceptions

    static void exceptions() {
        for (int i = 0; i < 3; i++) {
            try {
                level1();
            } catch (IllegalStateException e) {
                afterCatch();
            }
        }
        middle();
        afterMiddle();
        try {
            Integer.parseInt("not a number");
        } catch (NumberFormatException e) {
            afterBuiltinThrow();
        }
        try {
            withFinally();
        } catch (IllegalStateException e) {
            afterFinally();
        }
        try {
            List.of(1, 2).forEach(x -> throwFromCallback(x));
        } catch (IllegalArgumentException e) {
            afterCallbackThrow();
        }
    }

    static void level1() {
        level2();
    }

    static void level2() {
        level3();
    }

    static void level3() {
        throw new IllegalStateException("thrown three frames down");
    }

    static void afterCatch() {}

    /** Catches an exception of its callee and goes on: later calls belong to it, not to the thrower. */
    static void middle() {
        try {
            level1();
        } catch (IllegalStateException e) {
            afterCatchInMiddle();
        }
        afterCatchInMiddle();
    }

    static void afterCatchInMiddle() {}

    static void afterMiddle() {}

    static void afterBuiltinThrow() {}

    static void withFinally() {
        try {
            level3();
        } finally {
            inFinally();
        }
    }

    static void inFinally() {}

    static void afterFinally() {}

    static void throwFromCallback(int x) {
        throw new IllegalArgumentException("from a callback " + x);
    }

    static void afterCallbackThrow() {}

    // ------------------------------------------------------------------ constructors

    static class Base {
        final int v;

        Base(int v) {
            this.v = v;
        }
    }

    static class ArgChild extends Base {
        ArgChild(int x) {
            super(computeArg(x));
        }
    }

    static int computeArg(int x) {
        return x + 1;
    }

    /** Called only through a method reference in Lambdas. */
    static int referenced(int x) {
        return x - 1;
    }

    static class ThrowingBase {
        ThrowingBase() {
            throw new IllegalArgumentException("no");
        }
    }

    static class FailingChild extends ThrowingBase {
        FailingChild() {
            super();
        }
    }

    /** Its super constructor is the JDK's, and throws. */
    static class BuiltinFailChild extends ArrayList<Object> {
        BuiltinFailChild() {
            super(-1);
        }
    }

    static void constructors() {
        new ArgChild(1);
        new ArgChild(2);
        try {
            new FailingChild();
        } catch (IllegalArgumentException e) {
            afterFailedCtor();
        }
        try {
            new BuiltinFailChild();
        } catch (IllegalArgumentException e) {
            afterBuiltinFailedCtor();
        }
        afterConstructors();
    }

    static void afterFailedCtor() {}

    static void afterBuiltinFailedCtor() {}

    static void afterConstructors() {}

    // ------------------------------------------------------------------ static initializers

    static class Config {
        static final Map<String, String> VALUES = load();

        static Map<String, String> load() {
            Map<String, String> m = new HashMap<>();
            m.put("a", "1");
            return m;
        }

        static String get(String key) {
            return VALUES.get(key);
        }
    }

    static void statics() {
        Config.get("a");
        Config.get("b");
    }

    // ------------------------------------------------------------------ nested classes

    static class Inner {
        void m() {
            new Deeper().m2();
        }

        static class Deeper {
            void m2() {}
        }
    }

    static void nested() {
        new Inner().m();
        new Inner().m();
        Runnable anon = new Runnable() {
            @Override
            public void run() {
                anonWork();
            }
        };
        anon.run();
    }

    static void anonWork() {}

    // ------------------------------------------------------------------ overloads

    static int over(int x) { return x; } static String over(String s) { return s; }

    static long over(long x) {
        return x;
    }

    static void overloads() {
        over(1);
        over(2);
        over("a");
        over(3L);
    }

    // ------------------------------------------------------------------ synchronized methods

    static int counter;
    int instanceCounter;

    static synchronized void syncStatic() {
        counter++;
    }

    synchronized void syncInstance() {
        instanceCounter++;
    }

    synchronized void syncThrow() {
        throw new IllegalStateException("from a synchronized method");
    }

    static void synchronizedMethods() throws InterruptedException {
        Scenarios shared = new Scenarios();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    syncStatic();
                    shared.syncInstance();
                }
                try {
                    shared.syncThrow();
                } catch (IllegalStateException e) {
                    // the lock is released: the other threads go on
                }
            }, "sync-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) thread.join();
        System.out.println("counters " + counter + " " + shared.instanceCounter);
    }

    // ------------------------------------------------------------------ StackOverflowError

    static int diveDepth;

    static void dive() {
        diveDepth++;
        dive();
    }

    static void stackOverflow() {
        long total = 0;
        for (int i = 0; i < 3; i++) {
            diveDepth = 0;
            try {
                dive();
            } catch (StackOverflowError e) {
                total += diveDepth;
            }
            afterOverflow();
        }
        System.out.println("dives " + total);
    }

    static void afterOverflow() {}

    // ------------------------------------------------------------------ built-ins

    static class ByLength implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            return Integer.compare(a.length(), b.length());
        }
    }

    static class Task implements Runnable {
        @Override
        public void run() {
            taskWork();
        }
    }

    static void taskWork() {}

    static void builtins() throws InterruptedException {
        Thread.sleep(1);
        HashMap<String, Integer> map = new HashMap<>();
        map.put("k", 1);
        map.get("k");
        List<String> words = new ArrayList<>(List.of("ccc", "a", "bb"));
        words.sort(new ByLength());
        Runnable task = new Task();
        task.run();
        Object lock = new Object();
        synchronized (lock) {
            taskWork();
        }
    }

    // ------------------------------------------------------------------ methods inherited from the JDK

    static class Counts extends HashMap<String, Integer> {
        int total() {
            return size(); // this.size(): the call names Counts, HashMap runs it
        }
    }

    static class Worker extends Thread {
        Worker() {
            super("inherited-worker");
        }

        @Override
        public void run() {
            workerWork();
        }
    }

    static void workerWork() {}

    static void inherited() throws InterruptedException {
        Counts counts = new Counts();
        counts.put("a", 1);
        counts.get("a");
        counts.total();
        counts.hashCode();
        Worker worker = new Worker();
        worker.start();
        worker.join();
    }

    // ------------------------------------------------------------------ native methods

    /** No library implements it: a call throws UnsatisfiedLinkError. */
    static native void missingNative();

    static void natives() {
        try {
            missingNative();
        } catch (UnsatisfiedLinkError e) {
            afterNative();
        }
    }

    static void afterNative() {}
}
