package com.example.words;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopTest {
    @Test
    void mostFrequentFirstThenAlphabetical() {
        assertEquals(List.of("b", "a", "c"), Words.top(Words.count("c b a b a b"), 3));
    }

    @Test
    void fewerWordsThanAsked() {
        assertEquals(List.of("x"), Words.top(Words.count("x"), 5));
    }
}
