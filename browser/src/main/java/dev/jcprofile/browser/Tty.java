package dev.jcprofile.browser;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;

/**
 * Whether standard input and standard output are both terminals, decided without loading anything that the
 * scripted browser does not need.
 */
final class Tty {
    private Tty() {}

    static boolean stdinAndStdoutAreTerminals() {
        // On JDK 22+ System.console() runs a service lookup that costs several milliseconds of start-up, so on
        // Linux /proc answers first for the usual scripted cases: a pipe, a file or /dev/null.
        return mayBeTerminal(0) && mayBeTerminal(1) && consoleIsTerminal();
    }

    /** What the JDK says: both streams are a terminal. */
    static boolean consoleIsTerminal() {
        // JDK 22 to 24 default to a console built on the JDK's own copy of JLine; the plain java.base console
        // answers the same question and loads less.
        if (System.getProperty("jdk.console") == null) System.setProperty("jdk.console", "java.base");
        Console console = System.console();
        if (console == null) return false;
        if (Runtime.version().feature() < 22) return true; // before 22, a console exists only on a terminal
        try {
            // From JDK 22 a console may exist with either stream redirected; isTerminal() tells.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static final File PROC_FDS = new File("/proc/self/fd");

    /** False when /proc shows that the descriptor is not a device; true when it may be a terminal. */
    static boolean mayBeTerminal(int fd) {
        if (!PROC_FDS.isDirectory()) return true; // not Linux: the console decides
        try {
            // java.io rather than java.nio.file: a fraction of the classes to load. A pipe or socket resolves to
            // its /proc entry itself, a file to its path, a terminal to its device.
            String target = new File(PROC_FDS, Integer.toString(fd)).getCanonicalPath();
            return target.startsWith("/dev/") && !target.equals("/dev/null");
        } catch (IOException | SecurityException e) {
            return true;
        }
    }
}
