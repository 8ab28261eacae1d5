package dev.jcprofile.agent;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The agent's entry points. They do one thing before anything else: put the runtime (the hooks that
 * instrumented code calls) on the bootstrap class path, where classes of every loader can see them. This class
 * names no runtime class, so nothing of the runtime is loaded before it is in place; {@link AgentStartup} does the
 * rest.
 */
public final class Agent {
    private Agent() {}

    /** Set once the runtime is on the bootstrap path: a second agent in the same JVM must not start. */
    static final String INSTALLED = "jcprofile.installed";

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static synchronized void start(String args, Instrumentation inst) {
        try {
            if (System.getProperty(INSTALLED) != null) {
                System.err.println("jcprofile: a profiler is already attached to this JVM; this one does nothing");
                return;
            }
            if (!installRuntime(inst)) return;
            System.setProperty(INSTALLED, "true");
            AgentStartup.start(args, inst);
        } catch (Throwable t) {
            // The program runs on unprofiled rather than not at all.
            System.err.println("jcprofile: not profiling: " + t);
        }
    }

    private static boolean installRuntime(Instrumentation inst) throws Exception {
        try {
            // Already there when jcprofile-runtime.jar sits beside this jar (its Boot-Class-Path).
            Class.forName("dev.jcprofile.runtime.Hooks", false, null);
            return true;
        } catch (ClassNotFoundException absent) {
            // extract it from this jar
        }
        Path jar;
        try (InputStream in = Agent.class.getResourceAsStream("/META-INF/jcprofile/runtime.jar")) {
            if (in == null) {
                System.err.println("jcprofile: not profiling: the runtime is missing from the jar (rebuild it with mvn package)");
                return false;
            }
            jar = Files.createTempFile("jcprofile-runtime-", ".jar");
            jar.toFile().deleteOnExit();
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            System.err.println("jcprofile: not profiling: cannot write the runtime to the temporary directory: " + e);
            return false;
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        return true;
    }
}
