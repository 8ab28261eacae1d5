package q;

import java.util.function.IntUnaryOperator;

/** Loaded by a fresh class loader each time, called once, dropped. */
public class Plug implements IntUnaryOperator {
    static int triple(int x) {
        return x * 3;
    }

    @Override
    public int applyAsInt(int x) {
        IntUnaryOperator plusOne = y -> y + 1;
        return plusOne.applyAsInt(triple(x));
    }
}
