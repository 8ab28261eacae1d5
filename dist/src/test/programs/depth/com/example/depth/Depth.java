package com.example.depth;

/**
 * A plain recursion as deep as asked: prints its result, or "StackOverflowError" and exits 1. Arguments: MODE N
 * [STACK], where MODE is cold (the recursion is the program's first work), warm (after 30,000 shallow ones, so
 * that the method is compiled) and STACK, when given, runs it on a thread created with that stack size in bytes
 * instead of the main thread.
 */
public class Depth {
    static int down(int n) {
        return n == 0 ? 0 : 1 + down(n - 1);
    }

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("warm")) {
            int sum = 0;
            for (int i = 0; i < 30_000; i++) sum += down(100);
            if (sum != 3_000_000) throw new AssertionError(sum);
        }
        int n = Integer.parseInt(args[1]);
        int[] result = {-1};
        Runnable deep = () -> {
            try {
                result[0] = down(n);
            } catch (StackOverflowError e) {
                result[0] = -2;
            }
        };
        if (args.length > 2) {
            Thread t = new Thread(null, deep, "deep", Long.parseLong(args[2]));
            t.start();
            t.join();
        } else {
            deep.run();
        }
        if (result[0] == -2) {
            System.out.println("StackOverflowError");
            System.exit(1);
        }
        System.out.println(result[0]);
    }
}
