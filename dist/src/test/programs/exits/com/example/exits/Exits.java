package com.example.exits;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Ends in the way its first argument names; the profiler must not change any of it. */
public class Exits {
    static int work(int n) {
        int s = 0;
        for (int i = 0; i < n; i++) s += square(i);
        return s;
    }

    static int square(int i) {
        return i * i;
    }

    static void tick() throws InterruptedException {
        Thread.sleep(20);
    }

    static class Parser {
        final int value;

        Parser(String text) {
            this.value = parse(text);
        }

        static int parse(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("cannot parse '" + text + "'",
                        e);
            }
        }
    }

    /** Fails on a local variable: compiled without -g, the JVM's message names it by its slot. */
    static int measure(String prefix, int n) {
        long total = n * 2L;
        String found = lookup(n);
        return found.length() + (int) total;
    }

    static String lookup(int n) {
        return n > 100 ? "big" : null;
    }

    static void fail(String text) {
        Runnable r = () -> new Parser(text);
        r.run();
    }

    public static void main(String[] args) throws Exception {
        System.out.println("start " + args[0]);
        System.err.println("to stderr");
        System.out.println("work " + work(100));
        switch (args[0]) {
            case "normal":
                System.out.println("end");
                break;
            case "exit":
                System.out.println("exiting");
                System.exit(3);
                break;
            case "throw":
                fail("12x");
                break;
            case "npe":
                System.out.println(measure("m", 3));
                break;
            case "halt":
                System.out.println("halting");
                System.out.flush();
                Runtime.getRuntime().halt(4);
                break;
            case "loop":
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
                System.out.println("ready");
                while (true) tick();
            case "watch":
                watch(Paths.get(args[1]));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    /**
     * Watches the profile file while the profiler writes it at exit, from a shutdown hook of its own, and prints
     * every distinct content it saw (as size and digest) on standard error: a reader must only ever see the old
     * file or the complete new one.
     */
    static void watch(Path file) throws Exception {
        byte[] before = Files.readAllBytes(file);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<String> seen = new ArrayList<>();
            byte[] last = before;
            long stableSince = 0;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                byte[] now;
                try {
                    now = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    now = null;
                } catch (Exception e) {
                    now = ("error " + e).getBytes();
                }
                String d = digest(now);
                if (!seen.contains(d)) seen.add(d);
                if (now != null && !Arrays.equals(now, before) && Arrays.equals(now, last)) {
                    if (stableSince == 0) stableSince = System.nanoTime();
                    else if (System.nanoTime() - stableSince > 200_000_000L) break;
                } else {
                    stableSince = 0;
                }
                last = now;
            }
            for (String d : seen) System.err.println("seen " + d);
        }));
        System.out.println("watching");
    }

    static String digest(byte[] bytes) {
        if (bytes == null) return "missing";
        try {
            return bytes.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
