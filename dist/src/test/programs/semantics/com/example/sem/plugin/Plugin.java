package com.example.sem.plugin;

/** Loaded by the program's own class loader (Loaders.ChildFirst), not by the JDK's. */
public class Plugin {
    public static long run() {
        return System.nanoTime() > 0 ? work() : 0;
    }

    static long work() {
        return 1;
    }
}
