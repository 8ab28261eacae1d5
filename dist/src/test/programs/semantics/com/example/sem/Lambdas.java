package com.example.sem;

import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/** Lambdas and method references; in a class of their own so that javac's lambda numbering is known. */
class Lambdas {
    static void run() {
        Supplier<String> supplier = () -> "x";
        supplier.get();
        supplier.get();
        IntUnaryOperator square = Lambdas::square;
        square.applyAsInt(3);
        IntUnaryOperator earlier = Scenarios::referenced; // a class instrumented before this one
        earlier.applyAsInt(4);
        IntUnaryOperator later = LaterHelper::twice; // a class instrumented after this one
        later.applyAsInt(5);
        List.of(1, 2, 3).forEach(Lambdas::consume);
    }

    static int square(int x) {
        return x * x;
    }

    static void consume(int x) {}
}

/** Loaded only when the method reference to it is first used. */
class LaterHelper {
    static int twice(int x) {
        return 2 * x;
    }
}
