package com.example.api;

import dev.jcprofile.Profile;
import dev.jcprofile.Stats;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The Profile API, as a program uses it, started without -javaagent. */
public class ApiMain {
    static int leaf(int x) {
        return x + 1;
    }

    static void outer() {
        for (int i = 0; i < 3; i++) leaf(i);
    }

    static void unrecorded() {}

    static long ticks;

    /** A custom timer that is the program's own code and calls more of it. */
    static long clock() {
        helper();
        return ticks++;
    }

    static void helper() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("whole")) {
            // Under bin/jcprofile the whole program is already being profiled.
            try {
                new Profile().enable();
                System.out.println("enable: no exception");
            } catch (IllegalStateException e) {
                System.out.println("enable: " + e.getMessage());
            }
            return;
        }
        Path dir = Paths.get(args[1]);
        unrecorded();
        Profile p = new Profile();
        p.enable();
        outer();
        try {
            new Profile().enable();
            System.out.println("second enable: no exception");
        } catch (IllegalStateException e) {
            System.out.println("second enable: " + e.getMessage());
        }
        p.disable();
        unrecorded();
        p.dumpStats(dir.resolve("api.prof"));

        Profile closed = new Profile();
        try (closed) {
            closed.enable();
            outer();
        }
        unrecorded();
        closed.dumpStats(dir.resolve("closed.prof"));
        System.out.println("--- stats");
        new Stats(closed).sortStats("calls").printStats();
        System.out.println("--- end");

        Profile timed = new Profile(ApiMain::clock, 1.0);
        timed.enable();
        outer();
        timed.disable();
        timed.dumpStats(dir.resolve("timed.prof"));

        Profile tree = new Profile(ApiMain::clock, 1.0).recordTree();
        tree.enable();
        outer();
        tree.disable();
        tree.dumpStats(dir.resolve("tree.prof"));
    }
}
