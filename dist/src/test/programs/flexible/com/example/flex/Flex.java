package com.example.flex;

/** Constructors with statements before super(...) and this(...) (JDK 25's flexible constructor bodies). */
public class Flex {
    static class Base {
        final int v;

        Base(int v) {
            this.v = v;
        }
    }

    static int check(int x) {
        if (x < 0) throw new IllegalArgumentException("negative");
        return x;
    }

    static int fallback() {
        return 7;
    }

    static void after() {}

    static class Child extends Base {
        final String label;

        Child(int x) {
            int y;
            try {
                y = check(x); // Child(int) starts here
            } catch (IllegalArgumentException e) {
                y = fallback();
            }
            for (int i = 0; i < 2; i++) y += check(i);
            label = "c" + y;
            super(y);
        }

        Child(String s) {
            if (s.isEmpty()) throw new IllegalStateException("empty"); // Child(String) starts here
            this(s.length());
        }
    }

    class Member {
        final int w;

        Member() {
            w = fallback(); // Member() starts here
            super();
        }
    }

    public static void main(String[] args) {
        System.out.println(new Child(3).v + " " + new Child(-1).v + " " + new Child("abcd").label);
        try {
            new Child("");
        } catch (IllegalStateException e) {
            after();
        }
        System.out.println(new Flex().new Member().w);
    }
}
