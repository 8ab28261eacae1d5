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
        List.of(1, 2, 3).forEach(Lambdas::consume);
    }

    static int square(int x) {
        return x * x;
    }

    static void consume(int x) {}
}
