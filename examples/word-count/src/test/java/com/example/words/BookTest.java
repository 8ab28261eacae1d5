package com.example.words;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A book-sized text: where the tests spend their time. */
class BookTest {
    static String book(int words, int vocabulary) {
        Random random = new Random(42);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(word(random.nextInt(vocabulary))).append(i % 12 == 11 ? ".\n" : " ");
        }
        return b.toString();
    }

    /** A word of letters for each number: a, b, ..., z, ba, bb, ... */
    static String word(int n) {
        StringBuilder w = new StringBuilder();
        do {
            w.insert(0, (char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return w.toString();
    }

    @Test
    void theTopOfABook() {
        Map<String, Integer> counts = Words.count(book(200_000, 5_000));
        assertEquals(5_000, counts.size());
        List<String> top = Words.top(counts, 50);
        assertEquals(50, top.size());
        for (int i = 1; i < top.size(); i++) {
            assertEquals(true, counts.get(top.get(i - 1)) >= counts.get(top.get(i)));
        }
    }
}
