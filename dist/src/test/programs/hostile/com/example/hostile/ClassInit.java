package com.example.hostile;

/**
 * Static initializers that fail: the first use gets ExceptionInInitializerError, later uses NoClassDefFoundError,
 * with the same messages and traces as without the profiler; for a class, an enum, an interface's constant, and
 * from another thread.
 */
class ClassInit {
    static int compute(String what) {
        throw new IllegalStateException("cannot initialize " + what);
    }

    static class Broken {
        static final int VALUE = compute("Broken");

        static int get() {
            return VALUE;
        }
    }

    enum BrokenEnum {
        A, B;

        static final int WEIGHT = compute("BrokenEnum");
    }

    interface BrokenConstant {
        int VALUE = compute("BrokenConstant");
    }

    static void use(String what, Runnable r) {
        try {
            r.run();
            System.out.println(what + ": no error");
        } catch (Throwable t) {
            System.out.println(what + ":");
            t.printStackTrace(System.out);
        }
    }

    static void run() throws Exception {
        use("Broken first", () -> Broken.get());
        use("Broken again", () -> Broken.get());
        use("BrokenEnum first", () -> BrokenEnum.valueOf("A"));
        use("BrokenEnum again", () -> BrokenEnum.values());
        use("BrokenConstant first", () -> System.out.println(BrokenConstant.VALUE));
        Thread t = new Thread(() -> use("BrokenConstant in another thread", () -> System.out.println(BrokenConstant.VALUE)),
                "other");
        t.start();
        t.join();
    }
}
