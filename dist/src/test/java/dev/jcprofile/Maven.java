package dev.jcprofile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.jcprofile.Cmd.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Maven builds as another project makes them, against a throwaway local repository in target/ into which
 * jcprofile is installed by {@code mvn install}. Plugins and libraries come from the user's own local repository
 * (declared as a repository, ahead of Maven Central): the project's build has put there everything these builds
 * use, so they need no network.
 */
final class Maven {
    static final String VERSION = System.getProperty("jcprofile.version");
    static final Path BASE = ROOT.resolve("target/it-maven");
    static final Path REPOSITORY = BASE.resolve("repository");
    /** Where {@code mvn install} puts jcprofile, the directory that the README's argLine names. */
    static final Path INSTALLED = REPOSITORY.resolve("dev/jcprofile/jcprofile/" + VERSION);

    private static boolean installed;

    private Maven() {}

    /**
     * {@code mvn install} of jcprofile, once per test run, into a fresh {@link #REPOSITORY}. It builds a copy of
     * the reactor (each module's pom.xml and main sources): building this project in place would rewrite target/
     * under the running tests (and start them again).
     */
    static synchronized void install() throws Exception {
        if (installed) return;
        deleteTree(BASE);
        Path copy = BASE.resolve("jcprofile");
        copyReactor(copy);
        Cmd.Result r = mvn(copy, "install", "-DskipTests");
        assertEquals(0, r.exit(), "mvn install failed:\n" + r);
        assertTrue(Files.isRegularFile(INSTALLED.resolve("jcprofile-" + VERSION + ".jar")), r.toString());
        installed = true;
    }

    /** Copies the reactor into {@code copy}: the root pom.xml, and each module's pom.xml and main sources. */
    static void copyReactor(Path copy) throws IOException {
        Files.createDirectories(copy);
        Files.copy(ROOT.resolve("pom.xml"), copy.resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(readPom());
        while (module.find()) {
            Path dir = ROOT.resolve(module.group(1));
            Files.createDirectories(copy.resolve(module.group(1)));
            Files.copy(dir.resolve("pom.xml"), copy.resolve(module.group(1)).resolve("pom.xml"));
            for (String sources : List.of("src/main", "src/build")) {
                if (!Files.isDirectory(dir.resolve(sources))) continue;
                try (Stream<Path> files = Files.walk(dir.resolve(sources))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path to = copy.resolve(ROOT.relativize(f).toString());
                        if (Files.isDirectory(f)) Files.createDirectories(to);
                        else Files.copy(f, to);
                    }
                }
            }
        }
    }

    /** Runs Maven in the project with the throwaway repository; standard error joins the output, as on a terminal. */
    static Cmd.Result mvn(Path project, String... args) throws Exception {
        String home = System.getProperty("jcprofile.mavenHome");
        String mvn = home != null && Files.isExecutable(Paths.get(home, "bin", "mvn")) ? Paths.get(home, "bin", "mvn").toString() : "mvn";
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", mvn, "-B", "-ntp",
                "-s", settings().toString(), "-Dmaven.repo.local=" + REPOSITORY));
        command.addAll(List.of(args));
        // The JDK of these tests, so that a run on JDK 25 builds and tests on JDK 25 too.
        return Cmd.of(command).in(project).env("JAVA_HOME", System.getProperty("java.home")).run();
    }

    /** A new project directory under target/it-maven holding the given files (path, then text). */
    static Path project(String name, Map<String, String> files) throws IOException {
        Path dir = BASE.resolve(name);
        deleteTree(dir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** The POM of a project that tests with JUnit 5 under Surefire; plugin versions as this project's. */
    static String pom(String artifactId, String dependencies, String surefireConfiguration) {
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>com.example</groupId>\n"
                + "  <artifactId>" + artifactId + "</artifactId>\n"
                + "  <version>1.0</version>\n"
                + "  <properties>\n"
                + "    <maven.compiler.release>17</maven.compiler.release>\n"
                + "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n"
                + "  </properties>\n"
                + "  <dependencies>\n" + dependencies
                + "    <dependency>\n"
                + "      <groupId>org.junit.jupiter</groupId>\n"
                + "      <artifactId>junit-jupiter</artifactId>\n"
                + "      <version>" + pomProperty("junit.version") + "</version>\n"
                + "      <scope>test</scope>\n"
                + "    </dependency>\n"
                + "  </dependencies>\n"
                + "  <build>\n"
                + "    <plugins>\n"
                + plugin("maven-resources-plugin", "")
                + plugin("maven-compiler-plugin", "")
                + plugin("maven-surefire-plugin", surefireConfiguration)
                + "    </plugins>\n"
                + "  </build>\n"
                + "</project>\n";
    }

    private static String plugin(String artifactId, String configuration) {
        return "      <plugin>\n"
                + "        <groupId>org.apache.maven.plugins</groupId>\n"
                + "        <artifactId>" + artifactId + "</artifactId>\n"
                + "        <version>" + pluginVersion(artifactId) + "</version>\n"
                + (configuration.isEmpty() ? "" : "        <configuration>\n          " + configuration + "\n        </configuration>\n")
                + "      </plugin>\n";
    }

    /** The version this project's pom.xml uses for a plugin: one the user's repository surely has. */
    private static String pluginVersion(String artifactId) {
        Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(readPom());
        assertTrue(m.find(), "pom.xml names " + artifactId);
        return m.group(1);
    }

    private static String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(readPom());
        assertTrue(m.find(), "pom.xml has " + name);
        return m.group(1);
    }

    private static String readPom() {
        try {
            return Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The user's local repository first (no checksums there to check), Maven Central after it. */
    private static Path settings() throws IOException {
        String local = System.getProperty("jcprofile.localRepository", System.getProperty("user.home") + "/.m2/repository");
        String url = Paths.get(local).toUri().toString();
        String repository = "<id>user-repository</id><url>" + url + "</url>"
                + "<releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>";
        Path settings = BASE.resolve("settings.xml");
        Files.createDirectories(BASE);
        Files.writeString(settings, "<settings>\n"
                + "  <profiles>\n"
                + "    <profile>\n"
                + "      <id>user-repository</id>\n"
                + "      <repositories><repository>" + repository + "</repository></repositories>\n"
                + "      <pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>\n"
                + "    </profile>\n"
                + "  </profiles>\n"
                + "  <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>\n"
                + "</settings>\n");
        return settings;
    }

    /** One code span of the README that matches the pattern: what the tests build must be what it says. */
    static String readmeSnippet(String regex) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("`(" + regex + ")`").matcher(readme);
        assertTrue(m.find(), "README.md has a snippet matching " + regex);
        return m.group(1);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }
}
