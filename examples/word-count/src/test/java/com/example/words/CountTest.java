package com.example.words;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CountTest {
    @Test
    void countsIgnoreCase() {
        assertEquals(Map.of("a", 3, "b", 1), Words.count("a A b a"));
    }
}
