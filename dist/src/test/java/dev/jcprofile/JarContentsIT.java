package dev.jcprofile;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * target/jcprofile.jar is also a -javaagent in applications that may carry their own JLine or ASM: every class in it
 * lives under dev/jcprofile, nothing refers to a library by its original package, and no resource would be found
 * by an application's copy of a library.
 */
class JarContentsIT {
    private static final String[] ORIGINAL_PACKAGES = {"org/jline/", "org/objectweb/asm/"};

    @Test
    void everyClassIsTheProjectsOrRelocatedIntoIt() throws Exception {
        List<String> strays = new ArrayList<>();
        List<String> references = new ArrayList<>();
        try (JarFile jar = new JarFile(Paths.get("target/jcprofile.jar").toFile())) {
            assertNotNull(jar.getEntry("dev/jcprofile/shaded/jline/reader/LineReader.class"), "JLine relocated");
            assertNotNull(jar.getEntry("dev/jcprofile/shaded/asm/ClassVisitor.class"), "ASM relocated");
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()) continue;
                boolean projects = name.startsWith("dev/jcprofile/");
                boolean metadata = name.startsWith("META-INF/") && !name.startsWith("META-INF/versions/")
                        && !name.startsWith("META-INF/services/") && !name.startsWith("META-INF/jline/");
                if (!projects && !metadata) strays.add(name);
                if (name.endsWith(".class")) {
                    String bytes;
                    try (InputStream in = jar.getInputStream(entry)) {
                        bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    }
                    for (String original : ORIGINAL_PACKAGES) {
                        if (bytes.contains(original)) references.add(name + " -> " + original);
                    }
                }
            }
        }
        assertEquals(List.of(), strays, "entries outside dev/jcprofile and plain metadata");
        assertEquals(List.of(), references, "classes naming a library by its original package");
    }

    /**
     * The hooks reach the bootstrap loader with HotSpot's own annotation (the build's JitAnnotations step), the only
     * one it honours; the build step itself is not shipped.
     */
    @Test
    void theRuntimeCarriesHotSpotsInliningAnnotations() throws Exception {
        try (JarFile jar = new JarFile(Paths.get("target/jcprofile-runtime.jar").toFile())) {
            String hooks;
            try (InputStream in = jar.getInputStream(jar.getEntry("dev/jcprofile/runtime/Hooks.class"))) {
                hooks = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertTrue(hooks.contains("Ljdk/internal/vm/annotation/DontInline;"), "DontInline on the rare paths");
            assertFalse(hooks.contains("Ldev/jcprofile/runtime/NeverInline;"), "the project's own name left");
        }
        try (JarFile jar = new JarFile(Paths.get("target/jcprofile.jar").toFile())) {
            assertNull(jar.getEntry("dev/jcprofile/build/JitAnnotations.class"), "the build step shipped");
        }
    }
}
