package dev.jcprofile.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which JDK classes {@code jdk=} selects, what it never does, and the lines it answers with. */
class JdkClassesTest {
    private static JdkClasses jdk(String args) throws Exception {
        return new JdkClasses(Options.parse(args, Paths.get("/tmp")));
    }

    @Test
    void nothingWithoutTheOption() throws Exception {
        JdkClasses j = jdk("");
        assertFalse(j.any());
        assertFalse(j.selected("java/util/regex/Pattern"));
        assertEquals(List.of(), j.warnings);
    }

    @Test
    void packagePatterns() throws Exception {
        JdkClasses j = jdk("jdk=java.util.regex.*");
        assertTrue(j.selected("java/util/regex/Pattern"));
        assertTrue(j.selected("java/util/regex/Pattern$Node"));
        assertFalse(j.selected("java/util/HashMap"));
        assertEquals(List.of(), j.warnings);
        JdkClasses below = jdk("jdk=java.util.**");
        assertTrue(below.selected("java/util/HashMap"));
        assertTrue(below.selected("java/util/stream/ReferencePipeline"));
        assertTrue(below.selected("java/util/concurrent/ThreadPoolExecutor"));
    }

    @Test
    void whatTheProfilerRunsOnIsNeverSelected() throws Exception {
        JdkClasses j = jdk("jdk=java.**;jdk.**;sun.**;com.sun.**");
        for (String never : List.of("java/lang/ThreadLocal", "java/lang/Thread", "java/lang/String", "java/lang/invoke/VarHandle",
                "java/lang/ref/Reference", "java/lang/management/ManagementFactory", "java/util/Arrays", "java/util/Objects",
                "java/util/concurrent/atomic/AtomicInteger", "java/util/concurrent/locks/LockSupport", "jdk/internal/misc/Unsafe",
                "jdk/internal/loader/ClassLoaders$AppClassLoader", "sun/management/ThreadImpl", "sun/instrument/TransformerManager",
                "com/sun/management/ThreadMXBean", "java/security/SecureClassLoader", "java/net/URLClassLoader")) {
            assertFalse(j.selected(never), never);
        }
        assertTrue(j.selected("java/util/ArrayList"));
        assertTrue(j.selected("java/util/ArraysParallelSortHelpers"), "a class whose name starts like one left out");
        assertEquals(List.of("option jdk 'java.**' leaves out what the profiler runs on: java.lang.**, java.net.URLClassLoader,"
                        + " java.security.SecureClassLoader, java.util.Arrays, java.util.Objects, java.util.concurrent.atomic.**,"
                        + " java.util.concurrent.locks.** (see the README)",
                "option jdk 'jdk.**' leaves out what the profiler runs on: jdk.internal.** (see the README)",
                "option jdk 'sun.**' leaves out what the profiler runs on: sun.** (see the README)",
                "option jdk 'com.sun.**' leaves out what the profiler runs on: com.sun.management.** (see the README)"),
                j.warnings);
    }

    @Test
    void onePackageLeavesOutOnlyWhatIsInIt() throws Exception {
        assertEquals(List.of(), jdk("jdk=java.util.concurrent.*").warnings);
        assertEquals(List.of("option jdk 'java.util.concurrent.**' leaves out what the profiler runs on:"
                + " java.util.concurrent.atomic.**, java.util.concurrent.locks.** (see the README)"),
                jdk("jdk=java.util.concurrent.**").warnings);
        assertEquals(List.of("option jdk 'java.util.Arrays' leaves out what the profiler runs on: java.util.Arrays (see the README)"),
                jdk("jdk=java.util.Arrays").warnings);
        assertEquals(List.of(), jdk("jdk=java.util.ArrayList").warnings);
    }

    @Test
    void moduleNames() throws Exception {
        JdkClasses j = jdk("jdk=jdk.compiler");
        assertTrue(j.selected("com/sun/tools/javac/main/JavaCompiler"));
        assertTrue(j.selected("com/sun/source/tree/Tree"));
        assertFalse(j.selected("java/util/HashMap"));
        // jdk.compiler's own jdk.internal package is none of the profiler's.
        assertEquals(List.of(), j.warnings);
        JdkClasses sql = jdk("jdk=java.sql");
        assertTrue(sql.selected("java/sql/DriverManager"));
        assertTrue(sql.selected("javax/sql/DataSource"));
        assertEquals(List.of("option jdk 'java.base' leaves out what the profiler runs on: java.lang.**,"
                        + " java.net.URLClassLoader, java.security.SecureClassLoader, java.util.Arrays, java.util.Objects,"
                        + " java.util.concurrent.atomic.**, java.util.concurrent.locks.**, jdk.internal.**, sun.** (see the README)"),
                jdk("jdk=java.base").warnings);
    }

    @Test
    void excludeAppliesToo() throws Exception {
        JdkClasses j = jdk("jdk=java.util.**,exclude=java.util.HashMap;java.util.stream.**");
        assertFalse(j.selected("java/util/HashMap"));
        assertFalse(j.selected("java/util/HashMap$Node"));
        assertFalse(j.selected("java/util/stream/ReferencePipeline"));
        assertTrue(j.selected("java/util/TreeMap"));
    }

    @Test
    void patternsOfNoJdkClass() throws Exception {
        assertEquals(List.of("option jdk 'com.example.**' names no class of the JDK (the program's own classes are"
                + " instrumented without it)"), jdk("jdk=com.example.**").warnings);
        assertEquals(List.of("option jdk 'java.utl.*' names no class of the JDK (the program's own classes are"
                + " instrumented without it)"), jdk("jdk=java.utl.*").warnings);
    }

    @Test
    void badPatterns() {
        Options.BadOption e = org.junit.jupiter.api.Assertions.assertThrows(Options.BadOption.class,
                () -> Options.parse("jdk=java.util.(*)", Paths.get("/tmp")));
        assertEquals("option jdk: 'java.util.(*)' is not a class name pattern or a module name", e.getMessage());
    }
}
