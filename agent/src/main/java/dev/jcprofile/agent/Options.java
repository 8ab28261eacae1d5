package dev.jcprofile.agent;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The profiler's options, one model for the agent string ({@code -javaagent:jcprofile.jar=o=FILE,s=cumtime}) and
 * the {@code jcprofile} command line, which passes them on as an agent string. (The Profile API takes its timer
 * directly and records with the defaults.)
 */
public final class Options {
    /** Where to write the profile; null prints the table to standard output instead. */
    public Path output;
    /** Sort key of the printed table: cProfile's default is -1, "stdname". */
    public String sort = "stdname";
    public String timer = "wall";
    /** The timers, as {@code timer=} names them. */
    public static final List<String> TIMERS = List.of("wall", "cpu", "sampled", "sampled-cpu");
    /** {@code timer=sampled} and {@code sampled-cpu}: the time between two samples of the threads' stacks. */
    public long intervalNanos = 1_000_000;
    /** Exact timers: measure the profiler's cost per call at the start and leave it out of the times. */
    public boolean calibrate = true;
    /** Thread names to record (a regular expression); null records all threads. */
    public Pattern threads;
    public boolean builtins = true;
    /** Record the calling-context tree beside the table (stored after it in the profile file). */
    public boolean tree;
    /** Class name patterns ({@code com.example.*}, {@code com.example.**}, exact names); empty: everything. */
    public final List<String> include = new ArrayList<>();
    public final List<String> exclude = new ArrayList<>();
    /** JDK classes to instrument as the program's: class name patterns as for include, or module names. */
    public final List<String> jdk = new ArrayList<>();
    public boolean quiet;
    /** Started by the jcprofile command: a wrong option ends the run instead of running unprofiled. */
    public boolean cli;
    /** What the output name's tokens ({@code %p}, {@code %t}, ...) stand for. */
    private OutputNames.Context names;

    /** Thrown for an option the user got wrong; the message is one line naming it. */
    public static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;
        private boolean fromCommandLine;

        BadOption(String message) { super(message, null, false, false); }

        /** Whether the string had {@code cli=true}, wherever it stood: the run ends instead of going on unprofiled. */
        public boolean fromCommandLine() { return fromCommandLine; }
    }

    /**
     * Parses an agent option string: {@code key=value} pairs separated by commas; a backslash escapes a comma or
     * a backslash within a value. A relative output file is resolved against {@code workingDirectory} now, so the
     * program cannot move it by changing directory.
     */
    public static Options parse(String agentArgs, Path workingDirectory) throws BadOption {
        return parse(agentArgs, workingDirectory, OutputNames.current());
    }

    /** As {@link #parse(String, Path)}, with the values the output name's tokens stand for. */
    static Options parse(String agentArgs, Path workingDirectory, OutputNames.Context names) throws BadOption {
        Options o = new Options();
        o.names = names;
        if (agentArgs == null || agentArgs.isEmpty()) return o;
        // Every pair is read before the first mistake is reported, so that the report knows whether cli was given.
        BadOption first = null;
        for (String pair : split(agentArgs)) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                o.set(key, value, workingDirectory);
            } catch (BadOption e) {
                if (first == null) first = e;
            }
        }
        if (first != null) {
            first.fromCommandLine = o.cli;
            throw first;
        }
        return o;
    }

    void set(String key, String value, Path workingDirectory) throws BadOption {
        switch (key) {
            case "o": case "output":
                if (value.isEmpty()) throw new BadOption("option " + key + " needs a file name");
                // Tokens first: a % in the working directory's own name is not one.
                output = workingDirectory.resolve(Paths.get(OutputNames.expand(value, names))).normalize();
                break;
            case "s": case "sort":
                if (dev.jcprofile.cpython.SortKeys.lookup(value) == null && !value.matches("-1|0|1|2")) {
                    throw new BadOption("option " + key + ": unknown sort key '" + value + "' (valid: "
                            + String.join(", ", dev.jcprofile.cpython.SortKeys.DEFAULTS.keySet()) + ")");
                }
                sort = value.matches("-1|0|1|2") ? dev.jcprofile.cpython.SortKeys.legacy(Integer.parseInt(value)) : value;
                break;
            case "timer":
                String t = value.toLowerCase(Locale.ROOT);
                if (!TIMERS.contains(t)) {
                    throw new BadOption("option timer: '" + value + "' is not a timer (valid: " + String.join(", ", TIMERS) + ")");
                }
                timer = t;
                break;
            case "interval":
                intervalNanos = duration(value);
                break;
            case "calibrate":
                calibrate = onOff(key, value);
                break;
            case "threads":
                try {
                    threads = Pattern.compile(value);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new BadOption("option threads: '" + value + "' is not a regular expression");
                }
                break;
            case "builtins":
                builtins = onOff(key, value);
                break;
            case "tree":
                tree = onOff(key, value);
                break;
            case "include": case "exclude":
                for (String p : value.split(";")) {
                    if (p.isEmpty()) continue;
                    if (!p.matches("[\\w.$*]+")) throw new BadOption("option " + key + ": '" + p + "' is not a class name pattern");
                    if (key.equals("include") && jdkOnly(p)) {
                        throw new BadOption("option include: '" + p + "' names JDK classes, which --include does not "
                                + "instrument: calls into them are recorded as built-ins (--jdk instruments them)");
                    }
                    (key.equals("include") ? include : exclude).add(p);
                }
                break;
            case "jdk":
                for (String p : value.split(";")) {
                    if (p.isEmpty()) continue;
                    if (!p.matches("[\\w.$*]+")) throw new BadOption("option jdk: '" + p + "' is not a class name pattern or a module name");
                    jdk.add(p);
                }
                break;
            case "quiet":
                quiet = !value.equals("false") && !value.equals("off");
                break;
            case "cli":
                cli = onOff(key, value);
                break;
            default:
                throw new BadOption("unknown option '" + key + "' (see jcprofile --help)");
        }
    }

    private static boolean onOff(String key, String value) throws BadOption {
        if (value.equals("on") || value.equals("true")) return true;
        if (value.equals("off") || value.equals("false")) return false;
        throw new BadOption("option " + key + ": '" + value + "' is neither on nor off");
    }

    /** A sampling interval: a number with a unit (us, ms, s), or milliseconds without one; 10 us to 10 s. */
    static long duration(String value) throws BadOption {
        double nanos = nanos(value, 1e6);
        if (Double.isNaN(nanos)) {
            throw new BadOption("option interval: '" + value + "' is not a duration (e.g. 1ms, 500us, 0.01s)");
        }
        if (!(nanos >= 10_000 && nanos <= 10_000_000_000.0)) {
            throw new BadOption("option interval: '" + value + "' is out of range (10us to 10s)");
        }
        return (long) nanos;
    }

    /**
     * A time as nanoseconds: a number with a unit (us, ms, s, m, h), or {@code bareUnit} nanoseconds per unit
     * without one; NaN when it is not one.
     */
    static double nanos(String value, double bareUnit) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double unit = bareUnit;
        int suffix = 0;
        if (v.endsWith("us")) { unit = 1e3; suffix = 2; }
        else if (v.endsWith("ms")) { unit = 1e6; suffix = 2; }
        else if (v.endsWith("s")) { unit = 1e9; suffix = 1; }
        else if (v.endsWith("m")) { unit = 60e9; suffix = 1; }
        else if (v.endsWith("h")) { unit = 3600e9; suffix = 1; }
        try {
            return Double.parseDouble(v.substring(0, v.length() - suffix).trim()) * unit;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else if (c == ',') {
                parts.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        parts.add(b.toString());
        return parts;
    }

    /**
     * Whether every class the pattern can match is the JDK's: the part before its first {@code *} already puts it
     * in a JDK package ({@code java.util.*}, {@code com.sun.tools.javac.**}).
     */
    static boolean jdkOnly(String pattern) {
        int star = pattern.indexOf('*');
        String fixed = (star < 0 ? pattern : pattern.substring(0, star)).replace('.', '/');
        return Transformer.isJdk(fixed);
    }

    /** Whether the class (internal name, {@code com/example/Foo}) is to be instrumented by the user's patterns. */
    boolean selected(String internalName) {
        String name = internalName.replace('/', '.');
        if (!include.isEmpty() && include.stream().noneMatch(p -> matches(p, name))) return false;
        return exclude.stream().noneMatch(p -> matches(p, name));
    }

    /** {@code a.b.*}: classes of package a.b; {@code a.b.**}: of a.b and below; else an exact class name. */
    static boolean matches(String pattern, String className) {
        if (pattern.endsWith(".**")) return className.startsWith(pattern.substring(0, pattern.length() - 2));
        if (pattern.endsWith(".*")) {
            String pkg = pattern.substring(0, pattern.length() - 1);
            return className.startsWith(pkg) && className.indexOf('.', pkg.length()) < 0;
        }
        if (pattern.contains("*")) {
            return Pattern.matches(Pattern.quote(pattern).replace("*", "\\E.*\\Q"), className);
        }
        return className.equals(pattern) || className.startsWith(pattern + "$");
    }
}
