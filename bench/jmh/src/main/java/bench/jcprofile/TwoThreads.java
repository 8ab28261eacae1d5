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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The same recursive fib as {@link CallOverhead}, run by one thread and by two at once. In average-time mode
 * JMH reports the time of one operation in one thread, so if the recorder shares no writes between threads the
 * two-thread figure equals the one-thread figure (on a machine with two idle cores). bench/threads.sh runs it
 * plain, which gives the machine's own ratio, and under the agent.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TwoThreads {
    @Param("20")
    public int n;

    static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @Benchmark
    @Threads(1)
    public int oneThread() {
        return fib(n);
    }

    @Benchmark
    @Threads(2)
    public int twoThreads() {
        return fib(n);
    }
}
