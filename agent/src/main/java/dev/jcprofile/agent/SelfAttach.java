package dev.jcprofile.agent;

import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Loads the agent into the running JVM for the {@code Profile} API when it was started without
 * {@code -javaagent}. A JVM may attach to itself only with {@code -Djdk.attach.allowAttachSelf=true}; otherwise a
 * short-lived second JVM attaches to this one, as Byte Buddy's agent installer does.
 */
public final class SelfAttach {
    private SelfAttach() {}

    /** Makes sure the agent is installed; a one-line IllegalStateException says why not and what to do. */
    public static synchronized void ensureAgent() {
        if (System.getProperty(Agent.INSTALLED) != null) return;
        Path jar = ownJar();
        String advice = "start the JVM with -javaagent:" + (jar != null ? jar : "jcprofile.jar") + "=api";
        if (jar == null) throw new IllegalStateException("cannot attach the profiler: jcprofile is not running from its jar; " + advice);
        String pid = Long.toString(ProcessHandle.current().pid());
        String failure;
        if (Boolean.getBoolean("jdk.attach.allowAttachSelf")) {
            failure = attachInProcess(pid, jar);
        } else {
            failure = attachFromHelper(pid, jar);
        }
        if (System.getProperty(Agent.INSTALLED) == null) {
            throw new IllegalStateException("cannot attach the profiler to this JVM"
                    + (failure != null ? " (" + failure + ")" : "") + "; " + advice);
        }
    }

    private static String attachInProcess(String pid, Path jar) {
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar.toString(), AgentStartup.API_MODE);
            } finally {
                vm.detach();
            }
            return null;
        } catch (Throwable t) {
            return t.toString();
        }
    }

    private static String attachFromHelper(String pid, Path jar) {
        String java = ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        try {
            Path log = Files.createTempFile("jcprofile-attach-", ".log");
            try {
                Process p = new ProcessBuilder(java, "-cp", jar.toString(), SelfAttach.class.getName(), pid, jar.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "the attaching process did not finish in 60 s";
                }
                String out = Files.readString(log, StandardCharsets.UTF_8).trim();
                return p.exitValue() == 0 ? null : out.isEmpty() ? "exit code " + p.exitValue() : out.lines().reduce((a, b) -> b).orElse(out);
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path ownJar() {
        try {
            Path p = Paths.get(SelfAttach.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The helper process: {@code SelfAttach PID JAR}. */
    public static void main(String[] args) throws Exception {
        try {
            VirtualMachine vm = VirtualMachine.attach(args[0]);
            try {
                vm.loadAgent(args[1], AgentStartup.API_MODE);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            System.err.println(e);
            System.exit(1);
        }
    }
}
