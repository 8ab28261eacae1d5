package com.example.words;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SplitTest {
    @Test
    void wordsAreRunsOfLetters() {
        assertEquals(List.of("the", "cat", "sat"), Words.split("The cat, sat."));
    }

    @Test
    void apostrophesInsideWordsBelongToThem() {
        assertEquals(List.of("don't", "stop", "it's", "late"), Words.split("Don't stop -- it's 'late'"));
    }

    @Test
    void nothingToSplit() {
        assertEquals(List.of(), Words.split(" 42, !? "));
    }
}
