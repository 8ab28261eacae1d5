package dev.jcprofile.suites;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.FunctionStats;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The published test suites of real libraries, run by the JUnit Platform console launcher with and without the
 * agent. Their class paths are what maven-dependency-plugin copies into third-party-suites/target/NAME (see third-party-suites/pom.xml);
 * each run gets its own directory with the launcher's XML reports, its output and, under the agent, the profile.
 *
 * <p>Used by ThirdPartySuiteIT (a part of Commons Lang, in every build) and by tools/third-party-suites.sh (all
 * suites, whole), through {@link #main}.
 */
public final class ThirdPartySuites {
    private ThirdPartySuites() {}

    /**
     * One suite: where its jars are, what the launcher selects, the JVM options the library's own build gives
     * its tests, and the library whose code the profile must hold.
     *
     * @param dir       the directory under third-party-suites/target with its class path
     * @param library   prefix of the library's jar name (the code under test, not its tests)
     * @param testsJar  prefix of the jar whose classes are scanned for tests, or null when {@code selection} names
     *                  the test classes
     */
    public record Suite(String name, String dir, String library, String testsJar, List<String> jvmArgs,
                        List<String> selection) {}

    /** What Commons Lang's POM gives its tests on Java 9 and later (LANG-1265, LANG-1667). */
    private static final List<String> LANG_JVM_ARGS = List.of("-Xmx1G",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED", "--add-opens", "java.base/java.time=ALL-UNNAMED",
            "--add-opens", "java.base/java.time.chrono=ALL-UNNAMED");

    /** Commons Lang's whole suite, as its Surefire configuration selects it: classes named *Test, no nested ones. */
    public static Suite commonsLang3() {
        return new Suite("commons-lang3", "commons-lang3", "commons-lang3-", "commons-lang3-", LANG_JVM_ARGS,
                List.of("--include-classname", ".*Test", "--exclude-classname", ".*\\$.*"));
    }

    /**
     * The part of Commons Lang's suite that the build runs: the test classes of the top-level package
     * org.apache.commons.lang3 (StringUtils, ArrayUtils, ClassUtils, ...; no subpackage), less
     * ClassUtilsOssFuzzTest, which replays fuzzer inputs for about ten seconds (a minute under the agent) and would
     * double the time. The subpackages (time alone is 50,000 date-parsing cases) are left to the full run.
     */
    public static Suite commonsLang3Core() {
        return new Suite("commons-lang3-core", "commons-lang3", "commons-lang3-", "commons-lang3-", LANG_JVM_ARGS,
                List.of("--include-classname", "org\\.apache\\.commons\\.lang3\\.[^.]*Test",
                        "--exclude-classname", ".*\\$.*|.*\\.ClassUtilsOssFuzzTest"));
    }

    /** Commons Collections' whole suite, as its Surefire configuration selects it. */
    public static Suite commonsCollections4() {
        return new Suite("commons-collections4", "commons-collections4", "commons-collections4-", "commons-collections4-",
                List.of(), List.of("--include-classname", ".*Test",
                        "--exclude-classname", ".*\\$.*|.*\\.Abstract[^.]*|.*\\.BulkTest|.*\\.TestUtils"));
    }

    /**
     * Commons Collections' suite less its packages map and multimap, whose tests take 12 of the suite's 14
     * minutes (an hour and more under the agent): about 40 s of tests without the agent.
     */
    public static Suite commonsCollections4NoMaps() {
        return new Suite("commons-collections4-no-maps", "commons-collections4", "commons-collections4-",
                "commons-collections4-", List.of(), List.of("--include-classname", ".*Test", "--exclude-classname",
                        ".*\\$.*|.*\\.Abstract[^.]*|.*\\.BulkTest|.*\\.TestUtils|org\\.apache\\.commons\\.collections4\\.(map|multimap)\\..*"));
    }

    /**
     * guava-testlib's published JUnit 3 suites: its collection testers (thousands of generated tests) run against
     * the JDK's lists, maps, queues and sets. The code that runs them, guava-testlib's, is what is profiled.
     */
    public static Suite guavaTestlib() {
        List<String> selection = new ArrayList<>();
        for (String kind : List.of("Lists", "Maps", "Queues", "Sets")) {
            selection.add("--select-class");
            selection.add("com.google.common.collect.testing.TestsFor" + kind + "InJavaUtil");
        }
        return new Suite("guava-testlib", "guava-testlib", "guava-testlib-", null, List.of(), selection);
    }

    public static final Map<String, Suite> SUITES = Stream.of(commonsLang3(), commonsLang3Core(), commonsCollections4(),
            commonsCollections4NoMaps(), guavaTestlib()).collect(Collectors.toMap(Suite::name, s -> s, (a, b) -> a, LinkedHashMap::new));

    /** A JDK to run on: its java command and feature release. */
    public record Java(Path java, int feature) {}

    /** What one run of a suite left. {@code outcomes}: test unique id to passed, failed, error or skipped. */
    public record Run(Path dir, int exit, Map<String, String> outcomes, long millis, Path profile,
                      List<String> agentLines) {
        public long count(String outcome) {
            return outcomes.values().stream().filter(outcome::equals).count();
        }

        /** The launcher's output, for a failure message. */
        public String output() {
            return read(dir.resolve("stdout.txt")) + read(dir.resolve("stderr.txt"));
        }
    }

    /** Where the suites' class paths are: the third-party-suites module's target/. */
    public static Path jarsRoot(Path project) {
        return project.resolve("third-party-suites/target");
    }

    /** The suite's class path: the tests, the library, then the rest in name order. */
    static List<Path> classPath(Path jarsRoot, Suite suite) {
        Path dir = jarsRoot.resolve(suite.dir());
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toCollection(ArrayList::new));
        } catch (IOException e) {
            throw new IllegalStateException(dir + " is missing: run mvn dependency:copy@" + suite.dir() + " first");
        }
        List<Path> cp = new ArrayList<>();
        if (suite.testsJar() != null) cp.add(take(jars, suite.testsJar(), true, dir));
        cp.add(take(jars, suite.library(), false, dir));
        cp.addAll(jars);
        return cp;
    }

    private static Path take(List<Path> jars, String prefix, boolean tests, Path dir) {
        for (Path jar : jars) {
            String n = jar.getFileName().toString();
            // The library's own jar: its name then its version, as in commons-lang3-3.20.0.jar.
            if (n.startsWith(prefix) && Character.isDigit(n.charAt(prefix.length())) && n.endsWith("-tests.jar") == tests) {
                jars.remove(jar);
                return jar;
            }
        }
        throw new IllegalStateException("no " + prefix + "*" + (tests ? "-tests" : "") + ".jar in " + dir);
    }

    /**
     * Runs the suite once: {@code java -Xverify:all [-javaagent:...] -cp CP ConsoleLauncher execute ...} in a fresh
     * {@code dir}. The tests jar's resources are laid out under src/test/resources there, as in the library's own
     * checkout: some tests read them by that path (Commons Lang's testLang708, Commons Collections' serialized
     * forms). {@code agent}: the agent jar, or null for the run without the profiler.
     */
    public static Run run(Suite suite, Java jdk, Path jarsRoot, Path agent, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(suite, jdk, jarsRoot, agent, "", dir, timeoutSeconds);
    }

    /** As {@link #run(Suite, Java, Path, Path, Path, long)}, with more agent options ({@code jdk=java.util.**}). */
    public static Run run(Suite suite, Java jdk, Path jarsRoot, Path agent, String agentOptions, Path dir,
                          long timeoutSeconds) throws IOException, InterruptedException {
        List<Path> cp = classPath(jarsRoot, suite);
        deleteTree(dir); // a report left by an earlier run would count as this run's
        Files.createDirectories(dir);
        if (suite.testsJar() != null) extractResources(cp.get(0), dir.resolve("src/test/resources"));
        Path profile = agent != null ? dir.resolve("suite.prof") : null;
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.add("-Xverify:all");
        // Commons Parent's setting on 21 and later, where Mockito's inline mock maker attaches itself.
        if (jdk.feature() >= 21) cmd.add("-XX:+EnableDynamicAgentLoading");
        cmd.addAll(suite.jvmArgs());
        if (agent != null) cmd.add("-javaagent:" + agent + "=o=" + profile + (agentOptions.isEmpty() ? "" : "," + agentOptions));
        cmd.add("-cp");
        cmd.add(cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.addAll(List.of("org.junit.platform.console.ConsoleLauncher", "execute", "--disable-banner",
                "--disable-ansi-colors", "--details=summary", "--reports-dir", dir.resolve("reports").toString()));
        if (suite.testsJar() != null) {
            cmd.add("--scan-class-path");
            cmd.add(cp.get(0).toString());
        }
        cmd.addAll(suite.selection());
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // Options that the JVM picks up from the environment would change both runs' command lines.
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(suite.name() + " still running after " + timeoutSeconds + " s, killed; see " + dir);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<String> agentLines = read(dir.resolve("stderr.txt")).lines().filter(l -> l.startsWith("jcprofile:")).toList();
        return new Run(dir, p.exitValue(), outcomes(dir.resolve("reports")), millis, profile, agentLines);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static void extractResources(Path jar, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.endsWith(".class") || name.startsWith("META-INF/")) continue;
                Path target = into.resolve(name).normalize();
                if (!target.startsWith(into)) continue; // an entry naming ../ stays inside
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Each test's outcome, from the launcher's legacy XML reports: every testcase names its JUnit Platform
     * unique id in its system-out ({@code unique-id: [engine:...]/[class:...]/[method:...]}), which tells apart
     * what the report's names do not (the invocations of a parameterized test, a method of a nested class).
     */
    public static Map<String, String> outcomes(Path reports) throws IOException {
        Map<String, String> outcomes = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(reports)) {
            files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return outcomes;
        }
        XMLInputFactory factory = XMLInputFactory.newFactory();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                XMLStreamReader x = factory.createXMLStreamReader(in);
                String name = null, outcome = null;
                StringBuilder out = null;
                while (x.hasNext()) {
                    int ev = x.next();
                    if (ev == XMLStreamConstants.START_ELEMENT) {
                        switch (x.getLocalName()) {
                            case "testcase" -> {
                                name = x.getAttributeValue(null, "classname") + "#" + x.getAttributeValue(null, "name");
                                outcome = "passed";
                            }
                            case "failure" -> outcome = name != null ? "failed" : outcome;
                            case "error" -> outcome = name != null ? "error" : outcome;
                            case "skipped" -> outcome = name != null ? "skipped" : outcome;
                            case "system-out" -> out = name != null ? new StringBuilder() : null;
                            default -> { }
                        }
                    } else if ((ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) && out != null) {
                        out.append(x.getText());
                    } else if (ev == XMLStreamConstants.END_ELEMENT) {
                        if (x.getLocalName().equals("system-out") && out != null) {
                            int at = out.indexOf("unique-id: ");
                            if (at >= 0) {
                                int end = out.indexOf("\n", at);
                                name = out.substring(at + "unique-id: ".length(), end < 0 ? out.length() : end).trim();
                            }
                            out = null;
                        } else if (x.getLocalName().equals("testcase")) {
                            if (outcomes.put(name, outcome) != null) {
                                throw new IllegalStateException(file + ": test " + name + " reported twice");
                            }
                            name = null;
                        }
                    }
                }
            } catch (XMLStreamException e) {
                throw new IOException(file + ": not a test report: " + e.getMessage());
            }
        }
        return outcomes;
    }

    /** The tests whose outcome differs between two runs: id, then both outcomes ("absent" where missing). */
    public static List<String> differences(Map<String, String> a, Map<String, String> b) {
        Set<String> ids = new TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        List<String> diff = new ArrayList<>();
        for (String id : ids) {
            String x = a.getOrDefault(id, "absent"), y = b.getOrDefault(id, "absent");
            if (!x.equals(y)) diff.add(id + ": " + x + " without the agent, " + y + " with it");
        }
        return diff;
    }

    /**
     * What the profile holds, read by the project's own reader: its functions, the library's among them that were
     * called (those whose file is one of the library jar's sources, not its tests'), and all calls.
     */
    public record Profiled(long bytes, int functions, int libraryFunctionsCalled, long calls, Map<String, Long> libraryCalls) {}

    public static Profiled profiled(Path profile, Path jarsRoot, Suite suite) throws IOException, ProfileException {
        Path libraryJar = classPath(jarsRoot, suite).get(suite.testsJar() != null ? 1 : 0);
        Set<String> sources = sourceFiles(libraryJar);
        Stats stats = new Stats(profile.toString());
        Map<String, Long> libraryCalls = new TreeMap<>();
        int functions = 0;
        for (FunctionStats row : stats.rows()) {
            functions++;
            if (row.figures().calls() > 0 && sources.contains(row.key().file())) {
                libraryCalls.put(row.key().file() + ":" + row.key().line() + "(" + row.key().name() + ")", row.figures().calls());
            }
        }
        return new Profiled(Files.size(profile), functions, libraryCalls.size(), stats.totalCalls(), libraryCalls);
    }

    /** The source files of a jar's classes as the profile names them: org/apache/commons/lang3/StringUtils.java. */
    static Set<String> sourceFiles(Path jar) throws IOException {
        Set<String> files = new HashSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) continue;
                int end = n.indexOf('$');
                files.add(n.substring(0, end >= 0 ? end : n.length() - ".class".length()) + ".java");
            }
        }
        return files;
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ the full runs (tools/third-party-suites.sh)

    /**
     * {@code ThirdPartySuites PROJECT OUT JDK=JAVA... -- SUITE...}: runs each suite on each JDK without and with
     * the agent, prints the figures, and exits 1 when an outcome differs or the profile lacks the library.
     */
    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        int dash = a.indexOf("--");
        if (args.length < 4 || dash < 3 || dash == a.size() - 1) {
            System.err.println("usage: ThirdPartySuites PROJECT OUT FEATURE=JAVA... -- SUITE... (suites: "
                    + String.join(", ", SUITES.keySet()) + ")");
            System.exit(2);
        }
        Path project = Paths.get(a.get(0)).toAbsolutePath();
        Path out = Paths.get(a.get(1)).toAbsolutePath();
        List<Java> jdks = new ArrayList<>();
        for (String j : a.subList(2, dash)) {
            int eq = j.indexOf('=');
            if (eq < 0 || !j.substring(0, eq).matches("\\d+")) {
                System.err.println("ThirdPartySuites: '" + j + "' is not FEATURE=JAVA (as 17=/usr/bin/java)");
                System.exit(2);
            }
            jdks.add(new Java(Paths.get(j.substring(eq + 1)), Integer.parseInt(j.substring(0, eq))));
        }
        List<Suite> suites = new ArrayList<>();
        for (String n : a.subList(dash + 1, a.size())) {
            Suite s = SUITES.get(n);
            if (s == null) {
                System.err.println("ThirdPartySuites: no suite '" + n + "' (suites: " + String.join(", ", SUITES.keySet()) + ")");
                System.exit(2);
            }
            suites.add(s);
        }
        Path agent = project.resolve("target/jcprofile.jar");
        boolean ok = true;
        List<String> table = new ArrayList<>();
        table.add(String.format("%-20s %-6s %-7s %8s %8s %6s %6s %7s %9s %5s", "suite", "JDK", "agent", "tests",
                "passed", "failed", "error", "skipped", "time (s)", "exit"));
        List<String> notes = new ArrayList<>();
        for (Suite suite : suites) {
            for (Java java : jdks) {
                Path base = out.resolve(suite.name() + "-jdk" + java.feature());
                System.out.println("== " + suite.name() + " on JDK " + java.feature() + " (" + java.java() + ")");
                Run plain = run(suite, java, jarsRoot(project), null, base.resolve("plain"), 4 * 3600);
                System.out.println("   without the agent: " + summary(plain));
                Run profiled = run(suite, java, jarsRoot(project), agent, base.resolve("agent"), 4 * 3600);
                System.out.println("   with the agent:    " + summary(profiled));
                table.add(row(suite, java, "no", plain));
                table.add(row(suite, java, "yes", profiled));
                List<String> diff = differences(plain.outcomes(), profiled.outcomes());
                boolean same = diff.isEmpty() && plain.exit() == profiled.exit() && !plain.outcomes().isEmpty();
                String note = String.format("%s JDK %d: outcomes %s (%d tests compared); time x%.2f", suite.name(),
                        java.feature(), same ? "EQUAL" : "DIFFER", plain.outcomes().size(),
                        profiled.millis() / (double) Math.max(1, plain.millis()));
                if (plain.outcomes().isEmpty()) note += "; NO TESTS RAN";
                // A run killed from outside (exit 128 + signal) leaves no reports: every test differs, say why.
                for (Run r : List.of(plain, profiled)) {
                    if (r.exit() > 128) note += "; a run was killed by signal " + (r.exit() - 128) + ", see " + r.dir();
                }
                for (String d : diff.subList(0, Math.min(diff.size(), 50))) System.out.println("   DIFFERENT: " + d);
                if (diff.size() > 50) System.out.println("   ... " + diff.size() + " differences in all");
                if (!profiled.agentLines().isEmpty()) {
                    System.out.println("   the agent said: " + String.join(" | ", profiled.agentLines()));
                }
                Profiled p = Files.isRegularFile(profiled.profile()) ? profiled(profiled.profile(), jarsRoot(project), suite) : null;
                if (p == null || p.libraryFunctionsCalled() == 0) {
                    note += "; the profile holds no function of the library";
                    ok = false;
                } else {
                    note += String.format("; profile %.1f MB, %d functions, %d of them the library's with calls,"
                            + " %d calls in all", p.bytes() / 1e6, p.functions(), p.libraryFunctionsCalled(), p.calls());
                }
                ok &= same;
                notes.add(note);
                System.out.println("   " + note);
            }
        }
        System.out.println();
        table.forEach(System.out::println);
        System.out.println();
        notes.forEach(System.out::println);
        System.exit(ok ? 0 : 1);
    }

    private static String summary(Run r) {
        return String.format("%d tests: %d passed, %d failed, %d error, %d skipped; exit %d; %.1f s", r.outcomes().size(),
                r.count("passed"), r.count("failed"), r.count("error"), r.count("skipped"), r.exit(), r.millis() / 1000.0);
    }

    private static String row(Suite suite, Java java, String agent, Run r) {
        return String.format("%-20s %-6d %-7s %8d %8d %6d %6d %7d %9.1f %5d", suite.name(), java.feature(), agent,
                r.outcomes().size(), r.count("passed"), r.count("failed"), r.count("error"), r.count("skipped"),
                r.millis() / 1000.0, r.exit());
    }
}
