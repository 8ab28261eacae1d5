/** A one-file program, run as `java Fib.java N` (or `jcprofile Fib.java N`): the N-th Fibonacci number, slowly. */
public class Fib {
    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.println("fib(" + n + ") = " + fib(n));
    }
}
