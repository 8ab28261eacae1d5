package dev.jcprofile;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static dev.jcprofile.Cmd.ROOT;
import static dev.jcprofile.Maven.INSTALLED;
import static dev.jcprofile.Maven.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mvn install} gives {@code dev.jcprofile:jcprofile}: the shaded jar, with ASM relocated inside it and
 * absent from its POM, which another Maven project depends on to use {@code Profile} and {@code Stats}.
 */
class MavenInstallIT {
    @Test
    void installsTheShadedJarWithAPomWithoutAsm() throws Exception {
        Maven.install();
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(INSTALLED.resolve("jcprofile-" + VERSION + ".pom").toFile());
        XPath x = XPathFactory.newInstance().newXPath();
        assertEquals("dev.jcprofile:jcprofile:" + VERSION, x.evaluate("concat(/project/groupId, ':', /project/artifactId, ':', "
                + "/project/version)", pom));
        // The agent module does depend on ASM: it is the shading that takes it out.
        assertTrue(Files.readString(ROOT.resolve("agent/pom.xml")).contains("<groupId>org.ow2.asm</groupId>"));
        NodeList dependencies = (NodeList) x.evaluate("/project/dependencies/dependency", pom, XPathConstants.NODESET);
        for (int i = 0; i < dependencies.getLength(); i++) {
            String coordinates = x.evaluate("concat(groupId, ':', artifactId)", dependencies.item(i));
            assertFalse(coordinates.contains("asm"), "the installed POM lists " + coordinates);
        }

        try (JarFile jar = new JarFile(INSTALLED.resolve("jcprofile-" + VERSION + ".jar").toFile())) {
            List<String> names = Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
            assertTrue(names.contains("dev/jcprofile/shaded/asm/ClassReader.class"), "ASM relocated inside");
            assertTrue(names.contains("dev/jcprofile/shaded/asm/commons/GeneratorAdapter.class"), "asm-commons relocated inside");
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/objectweb/")), "no ASM under its own name");
            assertTrue(names.containsAll(List.of("dev/jcprofile/Profile.class", "dev/jcprofile/Stats.class",
                    "META-INF/jcprofile/runtime.jar")));
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals("dev.jcprofile.agent.Agent", manifest.getValue("Premain-Class"));
            assertEquals(VERSION, manifest.getValue("Implementation-Version"));
        }
    }

    /** A project that depends on the installed artifact, with the README's argLine for tests that use the API. */
    @Test
    void anotherProjectUsesProfileAndStats() throws Exception {
        Maven.install();
        String argLine = Maven.readmeSnippet("<argLine>[^`]*=api</argLine>");
        String dependency = "    <dependency>\n"
                + "      <groupId>dev.jcprofile</groupId>\n"
                + "      <artifactId>jcprofile</artifactId>\n"
                + "      <version>" + VERSION + "</version>\n"
                + "    </dependency>\n";
        Path project = Maven.project("api-user", Map.of(
                "pom.xml", Maven.pom("median", dependency, argLine),
                "src/main/java/com/example/Median.java", "package com.example;\n"
                        + "\n"
                        + "import java.util.ArrayList;\n"
                        + "import java.util.Collections;\n"
                        + "import java.util.List;\n"
                        + "\n"
                        + "public final class Median {\n"
                        + "    public static int median(List<Integer> list) {\n"
                        + "        List<Integer> sorted = new ArrayList<>(list);\n"
                        + "        Collections.sort(sorted);\n"
                        + "        return sorted.get(sorted.size() / 2);\n"
                        + "    }\n"
                        + "}\n",
                "src/test/java/com/example/MedianTest.java", "package com.example;\n"
                        + "\n"
                        + "import dev.jcprofile.Profile;\n"
                        + "import dev.jcprofile.Stats;\n"
                        + "import org.junit.jupiter.api.Test;\n"
                        + "\n"
                        + "import java.nio.file.Path;\n"
                        + "import java.util.List;\n"
                        + "\n"
                        + "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
                        + "import static org.junit.jupiter.api.Assertions.assertThrows;\n"
                        + "\n"
                        + "class MedianTest {\n"
                        + "    @Test\n"
                        + "    void profilesTheMedian() throws Exception {\n"
                        + "        // jcprofile brings no ASM onto its users' class path.\n"
                        + "        assertThrows(ClassNotFoundException.class, () -> Class.forName(\"org.objectweb.asm.ClassVisitor\"));\n"
                        + "        Profile profile = new Profile();\n"
                        + "        int median;\n"
                        + "        try (profile) {\n"
                        + "            profile.enable();\n"
                        + "            median = Median.median(List.of(5, 1, 4, 2, 3));\n"
                        + "        }\n"
                        + "        assertEquals(3, median);\n"
                        + "        Stats stats = new Stats(profile);\n"
                        + "        stats.stripDirs().sortStats(\"cumulative\").printStats(3);\n"
                        + "        stats.dumpStats(Path.of(\"target/median.prof\"));\n"
                        + "    }\n"
                        + "}\n"));
        Cmd.Result build = Maven.mvn(project, "test");
        assertEquals(0, build.exit(), build.toString());
        assertTrue(build.out().contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), build.toString());
        // The table that the test printed, among the test's output: printStats writes to System.out, which
        // Surefire captures, not around it.
        assertTrue(build.out().contains("   Ordered by: cumulative time\n"), build.toString());
        assertTrue(build.out().lines().anyMatch(l -> l.matches(" +1 +\\d+\\.\\d{3} .* Median\\.java:9\\(Median\\.median\\)")),
                build.toString());
        // The README's argLine: no warnings, no corrupted channel.
        assertFalse(build.out().contains("Sharing is only supported"), build.toString());
        assertFalse(build.out().contains("Corrupted channel"), build.toString());
        try (Stream<Path> reports = Files.list(project.resolve("target/surefire-reports"))) {
            assertTrue(reports.noneMatch(p -> p.toString().endsWith(".dumpstream")), "no stream dump");
        }

        Cmd.Result browse = Cmd.of(ROOT.resolve("bin/jpstats").toString(), "target/median.prof").in(project)
                .input("stats\n").run();
        assertEquals(0, browse.exit(), browse.toString());
        assertTrue(browse.out().contains("Median.java:9(Median.median)"), browse.toString());
        assertTrue(browse.out().contains("{built-in method java.util.Collections.sort}"), browse.toString());
    }
}
