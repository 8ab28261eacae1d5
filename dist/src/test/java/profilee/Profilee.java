package profilee;

import dev.jcprofile.Profile;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Java twin of CPython's {@code Lib/test/profilee.py}, the input of its own cProfile tests: the same calls
 * and the same simulated clock, so that under a ticking timer it must give exactly the figures cProfile gives
 * for profilee.py. Python's built-ins have Java stand-ins that call back the same way:
 * {@code hasattr(C(), "foo")} is {@code Objects.toString(C_OBJECT)}, whose {@code toString} raises like
 * {@code __getattr__}; {@code lst.append(42)} is {@code LIST.add("42")}; {@code sys.exc_info()} is
 * {@code Thread.interrupted()}. Objects are made before profiling so that no constructor adds a row.
 */
public final class Profilee {
    /** Simulated time in milliseconds; only the profiled code moves it. */
    static long TICKS = 42000;

    static final class AttributeError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        AttributeError() { super("no attribute", null, false, false); }
    }

    static final AttributeError ATTRIBUTE_ERROR = new AttributeError();

    static final class C {
        @Override
        public String toString() {
            // 28 calls, 1 tick, local (profilee's __getattr__)
            TICKS += 1;
            throw ATTRIBUTE_ERROR;
        }
    }

    static final C C_OBJECT = new C();
    static final List<String> LIST = new ArrayList<>();

    static long timer() {
        return TICKS;
    }

    static void testfunc() {
        // 1 call; 1000 ticks total: 270 ticks local, 730 ticks in subfunctions
        TICKS += 99;
        helper();
        helper();
        TICKS += 171;
        factorial(14);
    }

    static long factorial(long n) {
        // 23 calls total; 170 ticks total, 150 ticks local; 3 primitive calls
        if (n > 0) {
            TICKS += n;
            return mul(n, factorial(n - 1));
        } else {
            TICKS += 11;
            return 1;
        }
    }

    static long mul(long a, long b) {
        // 20 calls; 1 tick, local
        TICKS += 1;
        return a * b;
    }

    static void helper() {
        // 2 calls; 300 ticks total: 20 ticks local, 260 ticks in subfunctions
        TICKS += 1;
        helper1();
        TICKS += 2;
        helper1();
        TICKS += 6;
        helper2();
        TICKS += 3;
        helper2();
        TICKS += 2;
        helper2();
        TICKS += 5;
        helper2_indirect();
        TICKS += 1;
    }

    static void helper1() {
        // 4 calls; 30 ticks total: 29 ticks local, 1 tick in subfunctions
        TICKS += 10;
        try {
            Objects.toString(C_OBJECT); // hasattr(C(), "foo"): the built-in calls back into C
        } catch (AttributeError e) {
            // hasattr returns False
        }
        TICKS += 19;
        LIST.add("42");
        Thread.interrupted();
    }

    static void helper2_indirect() {
        helper2();
        factorial(3);
    }

    static void helper2() {
        // 8 calls; 50 ticks local: 39 ticks local, 11 ticks in subfunctions
        TICKS += 11;
        try {
            Objects.toString(C_OBJECT); // hasattr(C(), "bar")
        } catch (AttributeError e) {
            // hasattr returns False
        }
        TICKS += 13;
        subhelper();
        TICKS += 15;
    }

    static void subhelper() {
        // 8 calls; 10 ticks total: 8 ticks local, 2 ticks in subfunctions
        TICKS += 2;
        for (int i = 0; i < 2; i++) {
            try {
                C_OBJECT.toString();
            } catch (AttributeError e) {
                TICKS += 3;
            }
        }
    }

    /** {@code Profilee OUT}: profiles testfunc under the ticking timer, as test_cprofile does, into OUT. */
    public static void main(String[] args) throws Exception {
        Profile profile = new Profile(Profilee::timer, 0.001);
        profile.runcall(Profilee::testfunc);
        profile.dumpStats(Paths.get(args[0]));
    }
}
