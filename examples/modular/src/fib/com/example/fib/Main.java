package com.example.fib;

/** The N-th Fibonacci number, slowly, from a named module. */
public final class Main {
    private Main() {}

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.println("fib(" + n + ") = " + fib(n));
    }
}
