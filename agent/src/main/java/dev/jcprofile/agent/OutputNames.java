package dev.jcprofile.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The tokens of an output name, as JFR and async-profiler name their files, so that every JVM of a build or a
 * fleet started with the same options writes a file of its own: {@code %p} the process id, {@code %t} the start
 * time ({@code yyyyMMdd-HHmmss}, local time), {@code %h} the host name, {@code %{NAME}} an environment variable,
 * {@code %%} a percent sign. {@code %T} is left as it is: it stands for each thread, and is filled in when the
 * profile is written.
 */
final class OutputNames {
    private OutputNames() {}

    /** What the tokens stand for in one JVM. */
    interface Context {
        String pid();
        /** The start time, formatted. */
        String start();
        String host();
        /** The variable's value, null when it is not set. */
        String env(String name);
    }

    /**
     * This JVM's values, read now; the host name only when a name asks for it, and the start time formatted only
     * then: java.time's first use loads about 170 classes, 26 ms of a hello world's start under the agent.
     */
    static Context current() {
        String pid = Long.toString(dev.jcprofile.format.ProcessId.current());
        long startMillis = System.currentTimeMillis();
        return new Context() {
            public String pid() { return pid; }
            public String start() {
                return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.ofInstant(Instant.ofEpochMilli(startMillis), ZoneId.systemDefault()));
            }
            public String host() { return hostName(); }
            public String env(String name) { return System.getenv(name); }
        };
    }

    /**
     * The name with its tokens filled in. An unknown token, a lone {@code %} at the end or a variable that is not
     * set is a mistake of the user's: one line saying which.
     */
    static String expand(String name, Context context) throws Options.BadOption {
        if (name.indexOf('%') < 0) return name;
        StringBuilder b = new StringBuilder(name.length() + 16);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (i + 1 == name.length()) {
                throw new Options.BadOption("output name '" + name + "': ends with a lone % (write %% for a percent sign)");
            }
            char t = name.charAt(++i);
            switch (t) {
                case 'p': b.append(context.pid()); break;
                case 't': b.append(context.start()); break;
                case 'h': b.append(context.host()); break;
                case '%': b.append('%'); break;
                case 'T': b.append("%T"); break; // each thread's, when the profile is written
                case '{': {
                    int end = name.indexOf('}', i + 1);
                    String var = end < 0 ? "" : name.substring(i + 1, end);
                    if (end < 0 || !var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        throw new Options.BadOption("output name '" + name + "': %{ must be followed by an environment variable's name and }");
                    }
                    String value = context.env(var);
                    if (value == null) {
                        throw new Options.BadOption("output name '" + name + "': environment variable " + var + " is not set");
                    }
                    b.append(value);
                    i = end;
                    break;
                }
                default:
                    throw new Options.BadOption("output name '" + name + "': unknown token %" + t
                            + " (valid: %p process id, %t start time, %h host name, %{NAME} environment variable, %% a %)");
            }
        }
        return b.toString();
    }

    /**
     * The host name without a name service: the kernel's on Linux (a lookup could take seconds at start-up), else
     * what Java reports.
     */
    static String hostName() {
        try {
            String kernel = Files.readString(Paths.get("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!kernel.isEmpty()) return kernel;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
