package com.example.hostile;

import java.util.function.Supplier;

/**
 * Never loaded by name: Generated defines a hidden class from its bytes. (No lambda in it: a lambda's class would
 * name its hidden host, which no loader can find.)
 */
public class HiddenTemplate implements Supplier<String> {
    static int count(int n) {
        int c = 0;
        for (int i = 0; i < n; i++) c += i;
        return c;
    }

    @Override
    public String get() {
        return "hidden says " + count(10);
    }
}
