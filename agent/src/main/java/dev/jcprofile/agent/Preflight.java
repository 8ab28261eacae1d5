package dev.jcprofile.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The check {@code bin/jcprofile} makes of its command line before {@code java} sees it, in a JVM of its own: the
 * launcher of the program's JVM opens a {@code -jar} file and rejects an option it does not know before any agent
 * runs, so a mistake of ours would otherwise be reported as something else, or after the run. Prints nothing when
 * all is well; else one line, and exits with status 2. The script starts it only when its own look at the
 * arguments ({@code jvm_args_plain}, the same lists as below: PreflightTest holds them alike) finds one it cannot
 * vouch for, or a {@code -jar} file that is not there; otherwise the agent's own check at start-up says the same.
 *
 * <p>Arguments: jcprofile's own options (space-separated, for suggestions), the agent string, then the JVM's
 * arguments up to the program (none after {@code --}, which hands them to {@code java} unchecked).
 */
public final class Preflight {
    private Preflight() {}

    /** The launcher's options that take the next argument as their value (JDK 17 to 25, {@code java --help}). */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--enable-native-access", "--limit-modules", "--add-reads",
            "--add-exports", "--add-opens", "--patch-module", "--source", "-d", "--describe-module");
    /** Options the launcher takes as they are. */
    private static final Set<String> ALONE = Set.of("-version", "--version", "-showversion", "--show-version",
            "-fullversion", "--full-version", "-?", "-h", "-help", "--help", "-X", "--help-extra", "--dry-run",
            "--validate-modules", "--list-modules", "--show-module-resolution", "--enable-preview", "--disable-@files",
            "-disable-@files", "-esa", "-dsa", "-enablesystemassertions", "-disablesystemassertions",
            "-server", "-client", "-zero", "-dcevm", "-minimal");
    /** Options that carry their value after {@code =} only. */
    private static final Set<String> EQUALS_VALUE = Set.of("--illegal-access", "--illegal-native-access",
            "--sun-misc-unsafe-memory-access", "--finalization", "--enable-final-field-mutation");
    /** Families of options: the JVM's {@code -X}, {@code -XX:}, system properties, agents. */
    private static final List<String> PREFIXES = List.of("-D", "-X", "-javaagent:", "-agentlib:", "-agentpath:",
            "-splash:", "-verbose:", "-ea:", "-da:", "-enableassertions:", "-disableassertions:");
    private static final Set<String> ASSERTIONS = Set.of("-ea", "-da", "-enableassertions", "-disableassertions", "-verbose");

    /** The real host and environment (the program's JVM has the same), not the pid and start time, yet unknown. */
    private static final OutputNames.Context UNKNOWN_HERE = new OutputNames.Context() {
        public String pid() { return "%p"; }
        public String start() { return "%t"; }
        public String host() { return OutputNames.hostName(); }
        public String env(String name) { return System.getenv(name); }
    };

    public static void main(String[] args) {
        String problem = problem(Arrays.asList(args[0].split(" ")), args[1],
                Arrays.asList(args).subList(2, args.length));
        if (problem != null) {
            System.err.println("jcprofile: " + problem);
            System.exit(2);
        }
    }

    static String problem(List<String> ours, String agentArgs, List<String> javaArgs) {
        Options options;
        try {
            // The tokens this JVM cannot know stay as they are: the directory is what is checked.
            options = Options.parse(agentArgs, Paths.get("").toAbsolutePath(), UNKNOWN_HERE);
        } catch (Options.BadOption e) {
            return e.getMessage();
        }
        if (options.output != null) {
            String unwritable = unwritable(options.output);
            if (unwritable != null) return "cannot write the profile: " + unwritable;
        }
        return javaArgsProblem(ours, javaArgs);
    }

    /** Whether a file can be made beside the output: the directory is there, is one, and takes new files. */
    private static String unwritable(Path output) {
        try {
            OutputClaim.check(output);
            // Not Files.createTempFile, whose SecureRandom takes longer to start than the rest of the check.
            Path probe = output.resolveSibling(".jcprofile-check-" + dev.jcprofile.format.ProcessId.current() + ".tmp");
            Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(probe);
            return null;
        } catch (OutputClaim.Unwritable e) {
            return e.getMessage();
        } catch (IOException e) {
            return OutputClaim.unwritable(output, e).getMessage();
        }
    }

    /**
     * An argument before the program that is neither the JVM's nor in its place: one of ours after a JVM option,
     * or a mistyped option, answered with the closest of ours.
     */
    static String javaArgsProblem(List<String> ours, List<String> javaArgs) {
        String firstJvm = null;
        for (int i = 0; i < javaArgs.size(); i++) {
            String a = javaArgs.get(i);
            if (a.startsWith("@")) continue; // an argument file, which java reads
            if (!a.startsWith("-") || a.equals("-")) return null; // the main class or source file: the program's
            String key = a.startsWith("--") && a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
            if (key.equals("-jar") || key.equals("-m") || key.equals("--module")) return null;
            if (WITH_VALUE.contains(key)) {
                if (key.equals(a)) i++;
            } else if (!ALONE.contains(a) && !EQUALS_VALUE.contains(key) && !ASSERTIONS.contains(a)
                    && !startsWithAny(a, PREFIXES)) {
                if (ours.contains(key) && firstJvm != null) {
                    return key + " is an option of jcprofile: put it before the JVM's " + firstJvm + " (see jcprofile --help)";
                }
                return a + " is an option of neither jcprofile nor java: did you mean " + closest(key, ours)
                        + "? (see jcprofile --help)";
            }
            if (firstJvm == null) firstJvm = a;
        }
        return null;
    }

    private static boolean startsWithAny(String a, List<String> prefixes) {
        for (String p : prefixes) {
            if (a.startsWith(p)) return true;
        }
        return false;
    }

    /** The option of ours fewest edits away (Levenshtein distance), the first such in the order given. */
    static String closest(String word, List<String> ours) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String o : ours) {
            int d = distance(word, o);
            if (d < bestDistance) {
                best = o;
                bestDistance = d;
            }
        }
        return best;
    }

    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) row[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }
}
