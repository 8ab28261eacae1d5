package bench.jcprofile;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost the profiler adds to a call, against the floor of exact timing: two {@code System.nanoTime()} reads.
 * {@code fib} makes fib(n + 1) * 2 - 1 calls; run once plain and once under the agent (the fork's JVM arguments
 * differ, see bench/overhead.sh), the difference per call is the overhead. {@code twoNanoTimes} is the floor,
 * measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallOverhead {
    @Param("20")
    public int n;

    static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /** fib(n): 21,891 calls for n = 20. */
    @Benchmark
    public int fib() {
        return fib(n);
    }

    /** Two clock reads, what an exact profiler must at least pay per call. */
    @Benchmark
    public long twoNanoTimes() {
        return System.nanoTime() + System.nanoTime();
    }
}
