package com.example.jdk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pattern.matcher a known number of times from two call sites: 1,200 from words, 300 from numbers; as many times
 * more as the argument says (for timing runs).
 */
public class Regex {
    private static final Pattern WORD = Pattern.compile("[a-z]+(\\d*)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int words = 0, numbers = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 1200; i++) {
                if (words(WORD, "word" + i)) words++;
            }
            for (int i = 0; i < 300; i++) {
                if (numbers(NUMBER, Integer.toString(i - 150))) numbers++;
            }
        }
        System.out.println("words " + words + ", numbers " + numbers);
    }

    static boolean words(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.matches() && m.group(1).length() > 0;
    }

    static boolean numbers(Pattern p, String s) {
        return p.matcher(s).matches();
    }
}
