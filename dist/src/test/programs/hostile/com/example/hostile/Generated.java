package com.example.hostile;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Classes the compiler or the JVM generates, or that use what they generate: proxies, lambdas and method
 * references, records (whose toString, equals and hashCode are bootstrapped), enums (values, valueOf, switch
 * maps), sealed types with pattern matching, nest mates reaching each other's private members, and hidden
 * classes defined at run time.
 */
class Generated {
    interface Greeter {
        String greet(String name);

        default String twice(String name) {
            return greet(name) + " " + greet(name);
        }
    }

    record Point(int x, int y) {
        Point {
            if (x < 0) throw new IllegalArgumentException("negative x");
        }

        int sum() {
            return x + y;
        }
    }

    enum Op implements IntBinaryOperator {
        ADD {
            @Override
            public int applyAsInt(int a, int b) {
                return a + b;
            }
        },
        MUL {
            @Override
            public int applyAsInt(int a, int b) {
                return a * b;
            }
        };
    }

    sealed interface Shape permits Circle, Square, Rect {}

    record Circle(int r) implements Shape {}

    record Square(int side) implements Shape {}

    static final class Rect implements Shape {
        final int w, h;

        Rect(int w, int h) {
            this.w = w;
            this.h = h;
        }
    }

    static int area(Shape s) {
        if (s instanceof Circle c) return 3 * c.r() * c.r();
        if (s instanceof Square q) return q.side() * q.side();
        if (s instanceof Rect r) return r.w * r.h;
        throw new AssertionError(s);
    }

    private int secret = 41;

    private int reveal() {
        return ++secret;
    }

    /** A nest mate: reads and calls its host's private members directly (no accessor methods since Java 11). */
    class Mate {
        private int seen;

        int peek() {
            seen = reveal() + secret;
            return seen;
        }
    }

    static String describe(Op op) {
        switch (op) {
            case ADD:
                return "plus";
            case MUL:
                return "times";
            default:
                return "?";
        }
    }

    static String fromHandler(String method, Object[] args) {
        return method + "(" + args[0] + ")";
    }

    static void run() throws Throwable {
        InvocationHandler handler = (proxy, method, args) -> fromHandler(method.getName(), args);
        Greeter g = (Greeter) Proxy.newProxyInstance(Generated.class.getClassLoader(), new Class<?>[] {Greeter.class}, handler);
        System.out.println("proxy: " + g.greet("a") + ", " + g.twice("b"));

        Function<Integer, Integer> square = x -> x * x;
        Supplier<Point> origin = () -> new Point(0, 0);
        Function<Point, Integer> sum = Point::sum;
        System.out.println("lambdas: " + square.apply(7) + " " + origin.get() + " " + sum.apply(new Point(2, 3))
                + " " + List.of(3, 1, 2).stream().map(square).sorted().collect(Collectors.toList()));

        Point p = new Point(1, 2);
        System.out.println("records: " + p + " " + p.equals(new Point(1, 2)) + " " + (p.hashCode() == new Point(1, 2).hashCode()));
        try {
            new Point(-1, 0);
        } catch (IllegalArgumentException e) {
            System.out.println("records: " + e.getMessage());
        }

        StringBuilder enums = new StringBuilder("enums:");
        for (Op op : Op.values()) enums.append(' ').append(op).append('=').append(op.applyAsInt(6, 7)).append(' ').append(describe(op));
        System.out.println(enums + " " + Op.valueOf("MUL").ordinal());

        int areas = 0;
        for (Shape s : new Shape[] {new Circle(2), new Square(3), new Rect(2, 5)}) areas += area(s);
        System.out.println("sealed: " + areas + " " + Shape.class.isSealed() + " " + Shape.class.getPermittedSubclasses().length);

        Generated host = new Generated();
        Mate mate = host.new Mate();
        System.out.println("nest mates: " + mate.peek() + " " + mate.peek() + " " + Generated.class.isNestmateOf(Mate.class));

        System.out.println("hidden: " + hidden());
    }

    /** A hidden class made from the bytes of HiddenTemplate, called through its interface. */
    static String hidden() throws Throwable {
        byte[] bytes;
        try (InputStream in = Generated.class.getResourceAsStream("HiddenTemplate.class")) {
            bytes = in.readAllBytes();
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
        Class<?> c = lookup.lookupClass();
        @SuppressWarnings("unchecked")
        Supplier<String> s = (Supplier<String>) c.getDeclaredConstructor().newInstance();
        return s.get() + " " + c.isHidden() + " " + c.getName().startsWith("com.example.hostile.HiddenTemplate/");
    }
}
