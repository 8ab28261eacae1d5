package dev.jcprofile.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.jcprofile.e2e.Prof.builtin;
import static dev.jcprofile.e2e.Prof.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counting rules, asserted on one profiled run of the semantics program per JDK: exact call counts as
 * cProfile gives them for the same shapes of code (recursive counts as {@code n/primitive}), and callers that
 * stay right whatever the program throws.
 */
@Execution(ExecutionMode.CONCURRENT)
class SemanticsIT {
    private static final String S = "Scenarios.";

    private static Prof profile(Jdk jdk) {
        return ScenarioRuns.profile(jdk);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void recursionCountsOnePrimitiveCall(Jdk jdk) {
        Prof.Fn fact = profile(jdk).fn(S + "fact");
        assertEquals("12/1", fact.calls());
        assertEquals(Prof.callers(S + "recursion", "1", S + "fact", "11/1"), fact.callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void mutualRecursion(Jdk jdk) {
        Prof p = profile(jdk);
        // isEven(9) -> isOdd(8) -> ... -> isOdd(0): as cProfile counts the same Python functions.
        assertEquals("5/1", p.fn(S + "isEven").calls());
        assertEquals(Prof.callers(S + "mutual", "1", S + "isOdd", "4/1"), p.fn(S + "isEven").callers());
        assertEquals("5/1", p.fn(S + "isOdd").calls());
        assertEquals(Prof.callers(S + "isEven", "5/1"), p.fn(S + "isOdd").callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void caughtExceptionsCloseTheFramesTheyUnwind(Jdk jdk) {
        Prof p = profile(jdk);
        assertEquals(Prof.callers(S + "exceptions", "3", S + "middle", "1"), p.fn(S + "level1").callers());
        assertEquals(Prof.callers(S + "level1", "4"), p.fn(S + "level2").callers());
        assertEquals(Prof.callers(S + "level2", "4", S + "withFinally", "1"), p.fn(S + "level3").callers());
        // Calls after a catch belong to the catcher, never to a frame the exception left.
        assertEquals(Prof.callers(S + "exceptions", "3"), p.fn(S + "afterCatch").callers());
        assertEquals(Prof.callers(S + "middle", "2"), p.fn(S + "afterCatchInMiddle").callers());
        assertEquals(Prof.callers(S + "exceptions", "1"), p.fn(S + "afterMiddle").callers());
        assertEquals(Prof.callers(S + "withFinally", "1"), p.fn(S + "inFinally").callers());
        assertEquals(Prof.callers(S + "exceptions", "1"), p.fn(S + "afterFinally").callers());
        assertEquals("1", p.fn(S + "middle").calls());
        assertEquals("1", p.fn(S + "exceptions").calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void exceptionsFromBuiltinsAndThroughCallbacks(Jdk jdk) {
        Prof p = profile(jdk);
        assertEquals(Prof.callers(S + "exceptions", "1"), p.fn(builtin("java.lang.Integer.parseInt")).callers());
        assertEquals(Prof.callers(S + "exceptions", "1"), p.fn(S + "afterBuiltinThrow").callers());
        Prof.Fn lambda = p.fnStartingWith(S + "lambda$exceptions$");
        assertEquals(Prof.callers(method("forEach", "java.util.List"), "1"), lambda.callers());
        assertEquals(Prof.callers(lambda.key.name(), "1"), p.fn(S + "throwFromCallback").callers());
        assertEquals(Prof.callers(S + "exceptions", "1"), p.fn(S + "afterCallbackThrow").callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void constructors(Jdk jdk) {
        Prof p = profile(jdk);
        // super(computeArg(x)): the argument is the constructor's own call.
        assertEquals(Prof.callers(S + "constructors", "2"), p.fn("Scenarios$ArgChild.<init>").callers());
        assertEquals(Prof.callers("Scenarios$ArgChild.<init>", "2"), p.fn(S + "computeArg").callers());
        assertEquals(Prof.callers("Scenarios$ArgChild.<init>", "2"), p.fn("Scenarios$Base.<init>").callers());
        // A super constructor that throws, the program's and the JDK's.
        assertEquals(Prof.callers(S + "constructors", "1"), p.fn("Scenarios$FailingChild.<init>").callers());
        assertEquals(Prof.callers("Scenarios$FailingChild.<init>", "1"), p.fn("Scenarios$ThrowingBase.<init>").callers());
        assertEquals(Prof.callers(S + "constructors", "1"), p.fn("Scenarios$BuiltinFailChild.<init>").callers());
        assertEquals("1", p.fn(method("<init>", "java.util.ArrayList")).callers().get("Scenarios$BuiltinFailChild.<init>"));
        assertEquals(Prof.callers(S + "constructors", "1"), p.fn(S + "afterFailedCtor").callers());
        assertEquals(Prof.callers(S + "constructors", "1"), p.fn(S + "afterBuiltinFailedCtor").callers());
        assertEquals(Prof.callers(S + "constructors", "1"), p.fn(S + "afterConstructors").callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void staticInitializer(Jdk jdk) {
        Prof p = profile(jdk);
        // The class initializes at its first use, inside statics().
        assertEquals(Prof.callers(S + "statics", "1"), p.fn("Scenarios$Config.<clinit>").callers());
        assertEquals(Prof.callers("Scenarios$Config.<clinit>", "1"), p.fn("Scenarios$Config.load").callers());
        assertEquals(Prof.callers(S + "statics", "2"), p.fn("Scenarios$Config.get").callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void lambdasAndMethodReferences(Jdk jdk) {
        Prof p = profile(jdk);
        // Through their functional interface they are the program's own code called by the program, like a class
        // of its own implementing the interface; passed to the JDK they are called back by the built-in.
        assertEquals(Prof.callers("Lambdas.run", "2"), p.fnStartingWith("Lambdas.lambda$run$").callers());
        assertEquals(Prof.callers("Lambdas.run", "1"), p.fn("Lambdas.square").callers());
        assertEquals(Prof.callers("Lambdas.run", "1"), p.fn(S + "referenced").callers());
        assertEquals(Prof.callers("Lambdas.run", "1"), p.fn("LaterHelper.twice").callers());
        assertEquals(Prof.callers(method("forEach", "java.util.List"), "3"), p.fn("Lambdas.consume").callers());
        assertFalse(p.has(method("get", "java.util.function.Supplier")), p.names().toString());
        assertFalse(p.has(method("applyAsInt", "java.util.function.IntUnaryOperator")), p.names().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void nestedAndAnonymousClasses(Jdk jdk) {
        Prof p = profile(jdk);
        assertEquals(Prof.callers(S + "nested", "2"), p.fn("Scenarios$Inner.m").callers());
        assertEquals(Prof.callers("Scenarios$Inner.m", "2"), p.fn("Scenarios$Inner$Deeper.m2").callers());
        assertEquals(Prof.callers(S + "nested", "1"), p.fn("Scenarios$1.run").callers());
        assertEquals(Prof.callers("Scenarios$1.run", "1"), p.fn(S + "anonWork").callers());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void overloadsNeverMerge(Jdk jdk) {
        Prof p = profile(jdk);
        String file = "com/example/sem/Scenarios.java";
        int sameLine = Programs.lineOf("semantics", file, "static int over(int x)");
        // Two overloads on one line would share (file, line, name): their parameter types tell them apart.
        assertEquals(sameLine, p.fn(S + "over(int)").key.line());
        assertEquals("2", p.fn(S + "over(int)").calls());
        assertEquals(sameLine, p.fn(S + "over(String)").key.line());
        assertEquals("1", p.fn(S + "over(String)").calls());
        assertEquals(sameLine + 3, p.fn(S + "over").key.line());
        assertEquals("1", p.fn(S + "over").calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void synchronizedMethodsOnFourThreads(Jdk jdk) {
        Prof p = profile(jdk);
        assertTrue(ScenarioRuns.stdout(jdk).contains("counters 4000 4000\n"), ScenarioRuns.stdout(jdk));
        String body = p.fnStartingWith(S + "lambda$synchronizedMethods$").key.name();
        assertEquals(Prof.callers(body, "4000"), p.fn(S + "syncStatic").callers());
        assertEquals(Prof.callers(body, "4000"), p.fn(S + "syncInstance").callers());
        assertEquals(Prof.callers(body, "4"), p.fn(S + "syncThrow").callers());
        // Each thread's first frame has no recorded caller.
        assertEquals(Prof.callers(), p.fn(body).callers());
        assertEquals("4", p.fn(body).calls());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void stackOverflowCaughtLeavesConsistentCounts(Jdk jdk) {
        Prof p = profile(jdk);
        Matcher m = Pattern.compile("dives (\\d+)\n").matcher(ScenarioRuns.stdout(jdk));
        assertTrue(m.find(), ScenarioRuns.stdout(jdk));
        long dives = Long.parseLong(m.group(1));
        // Every call that entered counted once, however the overflow unwound it; each of the 3 dives is one
        // primitive call.
        Prof.Fn dive = p.fn(S + "dive");
        assertEquals(Prof.count(dives, 3), dive.calls());
        assertEquals(Prof.callers(S + "stackOverflow", "3", S + "dive", Prof.count(dives - 3, 3)), dive.callers());
        assertEquals(Prof.callers(S + "stackOverflow", "3"), p.fn(S + "afterOverflow").callers());
        assertTrue(dive.ct <= p.fn(S + "stackOverflow").ct, dive + " vs " + p.fn(S + "stackOverflow"));
    }

    // ------------------------------------------------------------------ built-ins

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void builtinNames(Jdk jdk) {
        Prof p = profile(jdk);
        assertEquals(Prof.callers(S + "builtins", "1"), p.fn(builtin("java.lang.Thread.sleep")).callers());
        // An instance method is named by the class the call site names: HashMap here, Map in Config.get.
        assertEquals(Prof.callers(S + "builtins", "1"), p.fn(method("get", "java.util.HashMap")).callers());
        assertEquals(Prof.callers("Scenarios$Config.get", "2"), p.fn(method("get", "java.util.Map")).callers());
        assertEquals("~", p.fn(builtin("java.lang.Thread.sleep")).key.file());
        assertEquals(0, p.fn(builtin("java.lang.Thread.sleep")).key.line());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void comparatorIsCalledBackBySort(Jdk jdk) {
        Prof p = profile(jdk);
        Prof.Fn compare = p.fn("Scenarios$ByLength.compare");
        assertEquals(Prof.callers(method("sort", "java.util.List"), compare.calls()), compare.callers());
        assertTrue(compare.nc >= 2, compare.toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void ownRunnableIsCalledDirectly(Jdk jdk) {
        Prof p = profile(jdk);
        assertEquals(Prof.callers(S + "builtins", "1"), p.fn("Scenarios$Task.run").callers());
        assertEquals(Prof.callers("Scenarios$Task.run", "1", S + "builtins", "1"), p.fn(S + "taskWork").callers());
        assertFalse(p.has(method("run", "java.lang.Runnable")), p.names().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void jdkMethodsInheritedByTheProgramsClassesAreBuiltins(Jdk jdk) {
        Prof p = profile(jdk);
        String counts = "com.example.sem.Scenarios$Counts", worker = "com.example.sem.Scenarios$Worker";
        // The call names the program's class (as the call site does), the JDK's code runs it.
        assertEquals(Prof.callers(S + "inherited", "1"), p.fn(method("put", counts)).callers());
        assertEquals(Prof.callers(S + "inherited", "1"), p.fn(method("get", counts)).callers());
        assertEquals(Prof.callers(S + "inherited", "1"), p.fn(method("hashCode", counts)).callers());
        assertEquals(Prof.callers("Scenarios$Counts.total", "1"), p.fn(method("size", counts)).callers());
        assertEquals(Prof.callers(S + "inherited", "1"), p.fn(method("start", worker)).callers());
        assertEquals(Prof.callers(S + "inherited", "1"), p.fn(method("join", worker)).callers());
        // Overridden, it is the program's own method.
        assertEquals(Prof.callers(), p.fn("Scenarios$Worker.run").callers());
        assertEquals(Prof.callers("Scenarios$Worker.run", "1"), p.fn(S + "workerWork").callers());
        assertFalse(p.has(method("run", worker)), p.names().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void classesOfTheProgramsOwnClassLoader(Jdk jdk) {
        Prof p = profile(jdk);
        // The loader's code runs inside the plugin's first hooks (to resolve the profiler's classes for it):
        // the plugin's calls still close, and what comes after belongs to its caller.
        assertEquals(Prof.callers(method("invoke", "java.lang.reflect.Method"), "1"), p.fn("Plugin.run").callers());
        assertEquals(Prof.callers("Plugin.run", "1"), p.fn("Plugin.work").callers());
        assertEquals(Prof.callers("Plugin.run", "1"), p.fn(builtin("java.lang.System.nanoTime")).callers());
        assertEquals(Prof.callers("Loaders.run", "1"), p.fn("Loaders.afterPlugin").callers());
        assertEquals("1", p.fn("Loaders.run").calls());
        assertTrue(p.fn("Loaders$ChildFirst.loadClass").nc >= 1, p.fn("Loaders$ChildFirst.loadClass").toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void nativeMethodOfTheProgramIsOneBuiltin(Jdk jdk) {
        Prof p = profile(jdk);
        assertEquals(Prof.callers(S + "natives", "1"), p.fn(builtin("com.example.sem.Scenarios.missingNative")).callers());
        assertEquals(Prof.callers(S + "natives", "1"), p.fn(S + "afterNative").callers());
        // The method the JVM links behind it under a prefixed name is no row of its own.
        for (String name : p.names()) assertFalse(name.contains("$jcprofile$"), name);
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void objectInitNeverAppears(Jdk jdk) {
        Prof p = profile(jdk);
        for (String name : p.names()) assertFalse(name.contains("'java.lang.Object'"), name);
        assertTrue(p.has("Scenarios$Task.<init>"), p.names().toString());
    }

    // ------------------------------------------------------------------ names

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void fileIsPackagePathAndSourceFileLineIsFirstLine(Jdk jdk) {
        Prof p = profile(jdk);
        String file = "com/example/sem/Scenarios.java";
        Prof.Fn fact = p.fn(S + "fact");
        assertEquals(file, fact.key.file());
        assertEquals(Programs.lineOf("semantics", file, "return n <= 1 ? 1 : n * fact(n - 1);"), fact.key.line());
        Prof.Fn first = p.fn("Names.firstLine");
        assertEquals("com/example/sem/Names.java", first.key.file());
        assertEquals(Programs.lineOf("semantics", "com/example/sem/Names.java", "the first line of firstLine"), first.key.line());
        // A class without a constructor of its own: the default one is on the class's line.
        assertEquals(Programs.lineOf("semantics", file, "public class Scenarios {"), p.fn("Scenarios.<init>").key.line());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void constructorsAreOnTheirOwnLineNotTheirFieldInitializers(Jdk jdk) {
        Prof p = profile(jdk);
        String file = "com/example/sem/Names.java";
        Map<Long, String> lines = new TreeMap<>();
        for (Prof.Fn f : p.fns("Names$Widget.<init>")) lines.put(f.key.line(), f.calls());
        Map<Long, String> expected = new TreeMap<>();
        expected.put((long) Programs.lineOf("semantics", file, "Widget() is here"), "1");
        expected.put((long) Programs.lineOf("semantics", file, "Widget(int) is here"), "1");
        assertEquals(expected, lines, p.names().toString());
    }

    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void classWithoutDebugInformation(Jdk jdk) {
        Prof p = profile(jdk);
        Prof.Fn run = p.fn("NoDebug.run");
        assertEquals("com/example/sem/NoDebug.class", run.key.file());
        assertEquals(0, run.key.line());
        // Every method is on line 0, so overloads carry their parameter types.
        assertEquals(Prof.callers("NoDebug.run", "1"), p.fn("NoDebug.helper(int)").callers());
        assertEquals(Prof.callers("NoDebug.run", "1"), p.fn("NoDebug.helper(String)").callers());
    }

    // ------------------------------------------------------------------ JDK 25

    /** Statements before super(...) and this(...), final in JDK 25: code that runs while {@code this} is unborn. */
    @Test
    void flexibleConstructorBodies() {
        Jdk jdk = Jdk.JDK25;
        String file = "com/example/flex/Flex.java";
        Path classes = Programs.compileWith(jdk, "flexible", "--release", "25");
        Path dir = E2E.tempDir("flexible");
        Path out = dir.resolve("flexible.prof");
        String[] args = {"-cp", classes.toString(), "com.example.flex.Flex"};
        Proc.Result plain = E2E.java(jdk, args).dir(dir).run().expectExit(0);
        Proc.Result profiled = E2E.jcprofile(jdk, List.of("-o", out.toString()), args).dir(dir).run().expectExit(0);
        assertEquals("4 8 c5\n7\n", plain.stdout(), plain.toString());
        assertEquals(plain.stdout(), profiled.stdout(), profiled.toString());
        assertEquals("", profiled.stderr(), profiled.toString());

        Prof p = Prof.read(out);
        int childInt = Programs.lineOf("flexible", file, "Child(int) starts here");
        int childString = Programs.lineOf("flexible", file, "Child(String) starts here");
        Map<Long, String> constructors = new TreeMap<>();
        for (Prof.Fn f : p.fns("Flex$Child.<init>")) constructors.put(f.key.line(), f.calls() + " " + f.callers());
        Map<Long, String> expected = new TreeMap<>();
        expected.put((long) childInt, "3 {Flex$Child.<init>=1, Flex.main=2}");
        expected.put((long) childString, "2 {Flex.main=2}");
        assertEquals(expected, constructors);
        assertEquals(Prof.callers("Flex$Child.<init>", "9"), p.fn("Flex.check").callers());
        assertEquals(Prof.callers("Flex$Child.<init>", "1", "Flex$Member.<init>", "1"), p.fn("Flex.fallback").callers());
        assertEquals(Programs.lineOf("flexible", file, "Member() starts here"), p.fn("Flex$Member.<init>").key.line());
        assertEquals(Prof.callers("Flex$Child.<init>", "3"), p.fn("Flex$Base.<init>").callers());
        // The exception thrown before this(...) closed the constructor's frame: after() is main's call.
        assertEquals(Prof.callers("Flex.main", "1"), p.fn("Flex.after").callers());
    }
}
