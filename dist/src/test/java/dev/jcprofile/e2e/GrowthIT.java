package dev.jcprofile.e2e;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.jcprofile.e2e.Prof.builtin;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A program bigger than the recorder's first table sizes: thousands of functions, a call chain thousands deep,
 * thousands of edges into one built-in. Every table grows while the program runs; every count stays exact.
 */
@Execution(ExecutionMode.CONCURRENT)
class GrowthIT {
    private static final int DEEP = 2000, WIDE = 2500;

    private static Path classes() {
        StringBuilder deep = new StringBuilder("package com.example.gen;\n\nclass Deep {\n");
        for (int i = 0; i < DEEP; i++) {
            deep.append("    static void m").append(i).append("() {").append(i + 1 < DEEP ? " m" + (i + 1) + "();" : "").append(" }\n");
        }
        deep.append("}\n");
        StringBuilder wide = new StringBuilder("package com.example.gen;\n\nclass Wide {\n");
        for (int i = 0; i < WIDE; i++) {
            wide.append("    static Integer w").append(i).append("() { return Integer.valueOf(").append(i).append("); }\n");
        }
        wide.append("    static void all() {\n");
        for (int i = 0; i < WIDE; i++) wide.append("        w").append(i).append("();\n");
        wide.append("    }\n}\n");
        String main = "package com.example.gen;\n\npublic class Main {\n    public static void main(String[] args) {\n"
                + "        Deep.m0();\n        Deep.m0();\n        Wide.all();\n    }\n}\n";
        return Programs.compileGenerated("growth", Map.of("com/example/gen/Deep.java", deep.toString(),
                "com/example/gen/Wide.java", wide.toString(), "com/example/gen/Main.java", main));
    }

    /** The profile of the big program on {@code jdk}, made once. */
    static Prof profile(Jdk jdk) {
        return E2E.once(List.of("growth", jdk), () -> {
            Path dir = E2E.tempDir("growth");
            Path out = dir.resolve("growth.prof");
            E2E.jcprofile(jdk, List.of("-o", out.toString()), "-cp", classes().toString(), "com.example.gen.Main")
                    .dir(dir).run().expectExit(0);
            return Prof.read(out);
        });
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void everyTableGrowsAndCountsStayExact(Jdk jdk) {
        Prof p = profile(jdk);
        assertEquals(DEEP + WIDE + 3, p.functions().size(), "Deep.m*, Wide.w*, Wide.all, Main.main, Integer.valueOf");
        Map<String, Prof.Fn> byName = new TreeMap<>();
        for (Prof.Fn f : p.functions()) byName.put(f.key.name(), f);
        assertEquals(Map.of("Main.main", "2"), byName.get("Deep.m0").callers());
        for (int i = 1; i < DEEP; i++) {
            Prof.Fn m = byName.get("Deep.m" + i);
            assertEquals("2", m.calls(), "Deep.m" + i);
            assertEquals(Map.of("Deep.m" + (i - 1), "2"), m.callers(), "Deep.m" + i);
        }
        Map<String, String> valueOfCallers = new TreeMap<>();
        for (int i = 0; i < WIDE; i++) {
            Prof.Fn w = byName.get("Wide.w" + i);
            assertEquals(Map.of("Wide.all", "1"), w.callers(), "Wide.w" + i);
            valueOfCallers.put("Wide.w" + i, "1");
        }
        Prof.Fn valueOf = byName.get(builtin("java.lang.Integer.valueOf"));
        assertEquals(Prof.count(WIDE, WIDE), valueOf.calls());
        assertEquals(valueOfCallers, valueOf.callers());
    }

    /** A method that the hooks would push past the JVM's 64 KB limit, with a small one beside it. */
    private static Path hugeClasses() {
        StringBuilder huge = new StringBuilder("package com.example.gen;\n\npublic class Huge {\n"
                + "    static int small(int x) {\n        return x + 1;\n    }\n\n    static long huge() {\n        long s = 0;\n");
        // 6000 calls into the JDK: 18 KB of bytecode, more than 64 KB with a pair of hooks around each call.
        for (int i = 0; i < 6000; i++) huge.append("        s += Math.abs(").append(i - 3000).append(");\n");
        huge.append("        return s;\n    }\n\n    public static void main(String[] args) {\n"
                + "        System.out.println(huge() + small(1));\n    }\n}\n");
        return Programs.compileGenerated("huge", Map.of("com/example/gen/Huge.java", huge.toString()));
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void methodTooLargeToInstrumentIsLeftAsItWasWithOneWarning(Jdk jdk) {
        Path dir = E2E.tempDir("huge");
        String[] args = {"-cp", hugeClasses().toString(), "com.example.gen.Huge"};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        Path out = dir.resolve("huge.prof");
        Proc.Result warned = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(0);
        assertEquals(plain.stdout(), warned.stdout());
        assertEquals("jcprofile: com.example.gen.Huge.huge()J left uninstrumented: instrumenting it would pass "
                + "the JVM's 64 KB method size limit\n", warned.stderr());
        Prof p = Prof.read(out);
        // The rest of the class is profiled.
        assertEquals(Map.of("Huge.main", "1"), p.fn("Huge.small").callers());
        assertEquals(List.of(Prof.method("println", "java.io.PrintStream"), "Huge.main", "Huge.small"), p.names());

        Proc.Result quiet = E2E.jcprofile(jdk, List.of("-q", "-o", out.toString()), args).dir(dir).run().expectExit(0);
        assertEquals(plain.stdout(), quiet.stdout());
        assertEquals("", quiet.stderr());
    }
}
