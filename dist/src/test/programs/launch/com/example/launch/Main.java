package com.example.launch;

/** Shows what reached it: arguments, a system property, the heap limit, its module. */
public class Main {
    static String describe(String[] args) {
        return String.join("|", args);
    }

    public static void main(String[] args) {
        for (String a : args) {
            // Moves the working directory the program sees; the profile's relative path must not follow it.
            if (a.startsWith("--user.dir=")) System.setProperty("user.dir", a.substring("--user.dir=".length()));
        }
        System.out.println("args=" + describe(args));
        System.out.println("foo=" + System.getProperty("foo"));
        System.out.println("heap<=64MiB=" + (Runtime.getRuntime().maxMemory() <= 64L * 1024 * 1024));
        System.out.println("module=" + Main.class.getModule().getName());
    }
}
