/**
 * A workload with known costs, for bench/accuracy.sh: spin() runs a fixed arithmetic loop (no calls inside,
 * so the profiler cannot change its speed), and work() makes many calls of tiny(), which does almost nothing
 * (so its true cost is next to nil and anything the profile shows for it is the profiler's own cost).
 * Run without the profiler it prints the truth, measured by the clock around each piece; the script then
 * compares each mode's profile with it.
 *
 * usage: java Accuracy ROUNDS SPINS_PER_ROUND TINY_CALLS_PER_ROUND
 */
public class Accuracy {
    static long sink;

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int spins = Integer.parseInt(args[1]);
        int tinyCalls = Integer.parseInt(args[2]);
        // No warm-up apart: the profile covers the whole run, so the truth must too.
        long[] truth = new long[3];
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) run(spins, tinyCalls, truth);
        long total = System.nanoTime() - t0;
        System.out.printf("truth spin %.6f%n", truth[0] / 1e9);
        System.out.printf("truth tinyLoop %.6f%n", truth[1] / 1e9);
        System.out.printf("truth run %.6f%n", total / 1e9);
        System.out.println("sink " + sink);
    }

    /** One round: spins, then the tiny calls; adds their durations to truth[0] and truth[1]. */
    static void run(int spins, int tinyCalls, long[] truth) {
        for (int i = 0; i < spins; i++) {
            long t0 = System.nanoTime();
            spin(2_000_000);
            truth[0] += System.nanoTime() - t0;
        }
        long t0 = System.nanoTime();
        tinyLoop(tinyCalls);
        truth[1] += System.nanoTime() - t0;
    }

    /** A fixed amount of arithmetic: about a millisecond, the same with or without the profiler. */
    static void spin(int n) {
        long x = sink;
        for (int i = 0; i < n; i++) x = x * 6364136223846793005L + i;
        sink = x;
    }

    static void tinyLoop(int calls) {
        for (int i = 0; i < calls; i++) tiny(i);
    }

    static void tiny(int i) {
        sink += i;
    }
}
