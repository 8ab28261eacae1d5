package dev.jcprofile.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A command that {@code jcprofile attach}, {@code detach} or {@code dump} sends into a running JVM. The JDK's
 * attach mechanism is the only way in (it admits processes of the JVM's own user): the command travels as the
 * agent string of {@code VirtualMachine.loadAgent}, {@code jcprofile-control=VERB,reply=DIR,...}, and the answer
 * goes back as a file in {@code DIR}, a directory that the command made private to its user. Nothing listens.
 * <p>
 * This class names no runtime class: a {@code dump} or {@code detach} sent to a JVM that never had the profiler
 * must not put the runtime on its bootstrap path. {@link AttachSession} does the work once it is there.
 */
final class Control {
    private Control() {}

    static final String PREFIX = "jcprofile-control=";
    /** The answer's file in the command's private directory. */
    static final String REPLY = "reply";

    /** The answer of one command: ok or not, and the lines the command prints. */
    static final class Reply {
        final Properties props = new Properties();
        private final List<String> lines = new ArrayList<>();
        private boolean failed;

        void line(String text) {
            lines.add(text);
        }

        void fail(String text) {
            failed = true;
            lines.add(text);
        }

        boolean failed() {
            return failed;
        }

        void markFailed() {
            failed = true;
        }

        /** Written to a temporary name and renamed, so that the command never reads half an answer. */
        void writeTo(Path dir, String name) throws IOException {
            props.setProperty("status", failed ? "error" : "ok");
            props.setProperty("lines", Integer.toString(lines.size()));
            for (int i = 0; i < lines.size(); i++) props.setProperty("line." + i, lines.get(i));
            Path tmp = dir.resolve(name + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, null);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Runs a command; whatever happens, the program goes on as it was and the answer says what happened. */
    static void run(String args, Instrumentation inst) {
        List<String> pairs = splitRaw(args);
        String verb = pairs.get(0).substring(PREFIX.length());
        Path dir = null;
        long client = -1;
        List<String> rest = new ArrayList<>();
        for (String p : pairs.subList(1, pairs.size())) {
            if (p.startsWith("reply=")) dir = Paths.get(unescape(p.substring(6)));
            else if (p.startsWith("client=")) client = Long.parseLong(p.substring(7));
            else rest.add(p);
        }
        if (dir == null || !Files.isDirectory(dir)) return; // not sent by jcprofile: nobody to answer
        Reply reply = new Reply();
        try {
            String options = String.join(",", rest);
            boolean runtime = runtimeInstalled();
            switch (verb) {
                case "start":
                    if (runtime || Agent.installRuntime(inst, reply)) AttachSession.start(options, inst, dir, client, reply);
                    break;
                case "stop":
                    if (runtime) AttachSession.stop(reply);
                    else reply.fail("no jcprofile session is recording in it");
                    break;
                case "dump":
                    if (runtime) AttachSession.dump(options, reply);
                    else reply.fail("no jcprofile session is recording in it");
                    break;
                default:
                    reply.fail("unknown command '" + verb + "' (is the jcprofile command of another version?)");
            }
        } catch (Throwable t) {
            reply.fail("the profiler failed in it: " + t);
        }
        try {
            reply.writeTo(dir, REPLY);
        } catch (IOException | RuntimeException e) {
            // The command reports that no answer came.
        }
    }

    private static boolean runtimeInstalled() {
        try {
            Class.forName("dev.jcprofile.runtime.Hooks", false, null);
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    /** Splits at commas not escaped by a backslash, keeping each part as written (escapes included). */
    static List<String> splitRaw(String s) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == ',') {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) c = s.charAt(++i);
            b.append(c);
        }
        return b.toString();
    }

    /** The agent-string form of a value: commas and backslashes escaped, as {@link Options#parse} reads them. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,");
    }
}
