package com.example.words;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Splits text into words and counts them. */
public final class Words {
    private Words() {}

    /** The words of a text, lower-cased: runs of letters, with apostrophes inside them. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean letter = i < text.length() && isWordChar(text, i);
            if (letter && start < 0) start = i;
            if (!letter && start >= 0) {
                words.add(normalize(text.substring(start, i)));
                start = -1;
            }
        }
        return words;
    }

    static boolean isWordChar(String text, int i) {
        char c = text.charAt(i);
        if (Character.isLetter(c)) return true;
        // An apostrophe between two letters belongs to the word: don't, it's.
        return c == '\'' && i > 0 && i + 1 < text.length()
                && Character.isLetter(text.charAt(i - 1)) && Character.isLetter(text.charAt(i + 1));
    }

    static String normalize(String word) {
        return word.toLowerCase(Locale.ROOT);
    }

    /** How often each word occurs. */
    public static Map<String, Integer> count(String text) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : split(text)) counts.merge(w, 1, Integer::sum);
        return counts;
    }

    /** The n most frequent words, the most frequent first, ties in alphabetical order. */
    public static List<String> top(Map<String, Integer> counts, int n) {
        List<String> words = new ArrayList<>(counts.keySet());
        // A selection sort: fine for the few words of a test, slow for a book.
        for (int i = 0; i < Math.min(n, words.size()); i++) {
            int best = i;
            for (int j = i + 1; j < words.size(); j++) {
                if (before(counts, words.get(j), words.get(best))) best = j;
            }
            words.set(best, words.set(i, words.get(best)));
        }
        return words.subList(0, Math.min(n, words.size()));
    }

    static boolean before(Map<String, Integer> counts, String a, String b) {
        int byCount = Integer.compare(counts.get(b), counts.get(a));
        return byCount != 0 ? byCount < 0 : a.compareTo(b) < 0;
    }
}
