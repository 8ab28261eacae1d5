package com.example.jdk;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A stream pipeline: 2,000 numbers filtered (keep), 1,000 kept and mapped (square), collected and summed; as many
 * times as the argument says (for timing runs).
 */
public class Streams {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        for (int r = 0; r < rounds; r++) {
            List<Integer> squares = IntStream.range(0, 2000).boxed()
                    .filter(Streams::keep)
                    .map(Streams::square)
                    .collect(Collectors.toList());
            long sum = squares.stream().mapToLong(Integer::longValue).sum();
            if (r == 0) System.out.println(squares.size() + " squares, sum " + sum);
        }
    }

    static boolean keep(int n) {
        return n % 2 == 0;
    }

    static int square(int n) {
        return n * n;
    }
}
