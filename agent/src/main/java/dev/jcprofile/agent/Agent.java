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
        if (args != null && args.startsWith(Control.PREFIX)) {
            // jcprofile attach, detach or dump: answered in a file, never on the program's own output.
            Control.run(args, inst);
            return;
        }
        start(args, inst);
    }

    private static synchronized void start(String args, Instrumentation inst) {
        try {
            if (System.getProperty(INSTALLED) != null) {
                System.err.println("jcprofile: a profiler is already attached to this JVM; this one does nothing");
                return;
            }
            if (!installRuntime(inst, null)) return;
            System.setProperty(INSTALLED, "true");
            AgentStartup.start(args, inst);
        } catch (Throwable t) {
            // The program runs on unprofiled rather than not at all.
            System.err.println("jcprofile: not profiling: " + t);
        }
    }

    /**
     * Puts the runtime on the bootstrap path unless it is there already (a session attached before, or the
     * Boot-Class-Path of a launch): the JVM cannot take classes off that path, and a second copy would be a second
     * set of hooks. Failures go to {@code reply} when a jcprofile command asked, else to standard error.
     */
    static boolean installRuntime(Instrumentation inst, Control.Reply reply) throws Exception {
        try {
            // Already there when jcprofile-runtime.jar sits beside this jar (its Boot-Class-Path).
            Class.forName("dev.jcprofile.runtime.Hooks", false, null);
            return true;
        } catch (ClassNotFoundException absent) {
            // append the copy beside this jar, or extract it from this jar
        }
        if (reply != null) {
            // A jcprofile command: the Boot-Class-Path is not read (see AttachCommand's control jar).
            Path beside = besideThisJar("jcprofile-runtime.jar");
            if (beside != null) {
                inst.appendToBootstrapClassLoaderSearch(new JarFile(beside.toFile()));
                return true;
            }
        }
        Path jar;
        try (InputStream in = Agent.class.getResourceAsStream("/META-INF/jcprofile/runtime.jar")) {
            if (in == null) {
                String m = "the runtime is missing from the jar (rebuild it with mvn package)";
                if (reply != null) reply.fail(m);
                else System.err.println("jcprofile: not profiling: " + m);
                return false;
            }
            jar = Files.createTempFile("jcprofile-runtime-", ".jar");
            jar.toFile().deleteOnExit();
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            String m = "cannot write the runtime to the temporary directory: " + e;
            if (reply != null) reply.fail(m);
            else System.err.println("jcprofile: not profiling: " + m);
            return false;
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        return true;
    }

    /** A file beside the jar this class came from, or null. */
    static Path besideThisJar(String name) {
        try {
            Path jar = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path p = jar.resolveSibling(name);
            return Files.isRegularFile(jar) && Files.isRegularFile(p) ? p : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
