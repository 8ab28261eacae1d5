import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU time per call of a recursive fib, by the thread's own CPU clock: the best of many rounds. */
public class FibCpu {
    static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long calls = 0;
        { long a = 0, b = 1; for (int i = 0; i <= n; i++) { long t = a + b; a = b; b = t; } calls = 2 * a - 1; }
        double best = Double.MAX_VALUE, floor = Double.MAX_VALUE;
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long c0 = bean.getCurrentThreadCpuTime();
            for (int k = 0; k < 10; k++) sink += fib(n);
            long c1 = bean.getCurrentThreadCpuTime();
            if (r >= rounds / 3) best = Math.min(best, (c1 - c0) / (10.0 * calls));
            long f0 = bean.getCurrentThreadCpuTime();
            for (int k = 0; k < 1_000_000; k++) sink += System.nanoTime() + System.nanoTime();
            long f1 = bean.getCurrentThreadCpuTime();
            floor = Math.min(floor, (f1 - f0) / 1e6);
        }
        System.out.printf("fib(%d) %d calls: best %.2f ns CPU a call; two nanoTime reads %.1f ns (%d)%n", n, calls, best, floor, sink & 1);
    }
}
