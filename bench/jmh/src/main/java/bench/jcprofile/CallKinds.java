package bench.jcprofile;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The other kinds of call, each a loop of {@link #CALLS} calls from one instrumented method so that the
 * benchmark method's own hooks weigh nothing: a call into the JDK (a built-in call site), a virtual call
 * through an interface to the program's own classes, and a call that throws.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallKinds {
    static final int CALLS = 1000;

    interface Shape {
        int area(int x);
    }

    static final class Square implements Shape {
        public int area(int x) { return x * x; }
    }

    static final class Twice implements Shape {
        public int area(int x) { return 2 * x; }
    }

    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Failure() { super(null, null, false, false); }
    }

    static final Failure FAILURE = new Failure();

    Map<String, String> map;
    String[] keys;
    Shape[] shapes;

    @Setup
    public void setup() {
        map = new HashMap<>();
        keys = new String[16];
        for (int i = 0; i < 16; i++) {
            keys[i] = "key" + i;
            map.put(keys[i], keys[i]);
        }
        shapes = new Shape[] {new Square(), new Twice()};
    }

    /**
     * HashMap.get: one built-in call site a loop pass, recorded as {method 'get' of 'java.util.Map' objects}
     * (no boxing, whose Integer.valueOf and intValue would be built-in calls of their own).
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int builtinCall() {
        int s = 0;
        Map<String, String> m = map;
        String[] k = keys;
        for (int i = 0; i < CALLS; i++) {
            if (m.get(k[i & 15]) != null) s++;
        }
        return s;
    }

    /** A bimorphic interface call into the program's own (instrumented) classes. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int virtualCall() {
        int s = 0;
        Shape[] sh = shapes;
        for (int i = 0; i < CALLS; i++) s += sh[i & 1].area(i);
        return s;
    }

    static int thrower(int i) {
        if ((i & 1) == 0) throw FAILURE;
        return i;
    }

    /** A call that throws every other time, caught by the caller. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int throwingCall() {
        int s = 0;
        for (int i = 0; i < CALLS; i++) {
            try {
                s += thrower(i);
            } catch (Failure e) {
                s--;
            }
        }
        return s;
    }
}
