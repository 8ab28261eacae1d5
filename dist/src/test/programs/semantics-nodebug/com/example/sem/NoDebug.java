package com.example.sem;

/** Compiled with javac -g:none: no source file name, no line numbers. */
public class NoDebug {
    public static void run() {
        helper(1);
        helper("one");
    }

    static void helper(int x) {}

    static void helper(String s) {}
}
