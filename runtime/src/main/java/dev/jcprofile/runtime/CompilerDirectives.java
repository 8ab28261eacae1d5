package dev.jcprofile.runtime;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Keeps HotSpot's C2 off the instrumenter: the agent's classes and its shaded ASM, which run only while classes
 * load. On a program that loads many classes C2 spent as much of its time compiling ASM as the program's own code
 * (ecj on Commons Lang: 4.3 s of the 9.6 s C2 took, 3 s of it on {@code ClassReader.readCode}, 5 KB of bytecode
 * compiled five times), CPU that the program's own threads and compilations then went without; C1's code
 * instruments as fast (docs/performance.md, "The JIT's time on the instrumenter"). The hooks are not touched: they run
 * the program's every call, and C2 must compile them.
 *
 * <p>Done as {@code jcmd PID Compiler.directives_add FILE} does it, through the JVM's diagnostic command, reached
 * in-process (jdk.management's {@code DiagnosticCommandImpl}, whose package the agent opens to this module): a few
 * milliseconds, most of them loading a few classes of java.management. Once per JVM: a directive stays until the
 * JVM ends, and a later attach must not stack a second one. Anything that fails leaves the JIT as it was.
 */
public final class CompilerDirectives {
    private CompilerDirectives() {}

    /** The directive, in the JSON-like syntax of HotSpot's compiler directives. */
    static final String INSTRUMENTER_WITHOUT_C2 =
            "[{ match: [\"dev/jcprofile/shaded/asm/*.*\", \"dev/jcprofile/agent/*.*\"], c2: { Exclude: true } }]";

    private static boolean started;

    /**
     * Adds the directive, once per JVM: now, on the calling thread, or on a thread of the profiler's own (where
     * the caller must not load classes: the transformer under {@code --jdk}, whose classes loaded meanwhile would
     * go uninstrumented).
     */
    public static void keepC2OffTheInstrumenter(boolean inBackground) {
        synchronized (CompilerDirectives.class) {
            if (started) return;
            started = true;
        }
        if (inBackground) new ProfilerThread(CompilerDirectives::add, "jcprofile-jit").start();
        else add();
    }

    /** Adds the directive now; false when the JVM would not (no jdk.management, its package not opened, no file). */
    static boolean add() {
        Path file = null;
        try {
            Optional<Module> management = ModuleLayer.boot().findModule("jdk.management");
            if (management.isEmpty()) return false;
            // The command's native method lives in a library that this class's initializer loads.
            Class<?> provider = Class.forName(management.get(), "com.sun.management.internal.PlatformMBeanProviderImpl");
            Class<?> commands = Class.forName(management.get(), "com.sun.management.internal.DiagnosticCommandImpl");
            if (provider == null || commands == null) return false;
            Class.forName(provider.getName(), true, provider.getClassLoader());
            Method mbean = commands.getDeclaredMethod("getDiagnosticCommandMBean");
            mbean.setAccessible(true);
            Method execute = commands.getDeclaredMethod("executeDiagnosticCommand", String.class);
            execute.setAccessible(true);
            // The command reads a file. Named by this thread's clock, created new (never an existing file or link).
            file = Paths.get(System.getProperty("java.io.tmpdir"), "jcprofile-jit-" + System.nanoTime() + ".json");
            Files.write(file, INSTRUMENTER_WITHOUT_C2.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            String said = (String) execute.invoke(mbean.invoke(null), "Compiler.directives_add " + file);
            return said != null && said.startsWith("1 compiler directives added");
        } catch (Throwable e) {
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Throwable ignored) {
                    // a file of a few bytes left in the temporary directory
                }
            }
        }
    }
}
