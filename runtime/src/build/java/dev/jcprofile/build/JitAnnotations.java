package dev.jcprofile.build;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A build step, run by Maven after compiling (not shipped): renames the runtime's {@code NeverInline} annotation to
 * HotSpot's {@code jdk.internal.vm.annotation.DontInline}. javac cannot name that one with {@code --release}, and
 * the JVM reads it only by name, only in classes of the bootstrap loader (HotSpot's classFileParser, "privileged"
 * annotations), which the runtime is.
 * <p>
 * usage: {@code JitAnnotations <classes directory>}
 */
public final class JitAnnotations {
    private JitAnnotations() {}

    static final String RUNTIME = "dev/jcprofile/runtime/";
    static final String NEVER_INLINE = RUNTIME + "NeverInline";
    static final String DONT_INLINE = "jdk/internal/vm/annotation/DontInline";

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JitAnnotations <classes directory>");
            System.exit(2);
        }
        Path runtime = Path.of(args[0]).resolve(RUNTIME);
        List<Path> classes;
        try (Stream<Path> files = Files.list(runtime)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).sorted().collect(Collectors.toList());
        }
        boolean any = false;
        for (Path file : classes) {
            byte[] before = Files.readAllBytes(file);
            byte[] after = rename(before);
            if (after != null) Files.write(file, after);
            // Classes that javac did not compile again were renamed by an earlier build.
            any |= uses(after != null ? after : before, DONT_INLINE);
        }
        if (!any) {
            System.err.println("JitAnnotations: no class in " + runtime + " carries NeverInline");
            System.exit(1);
        }
    }

    /** Whether the class names this annotation: its descriptor is a CONSTANT_Utf8, in plain ASCII. */
    static boolean uses(byte[] classFile, String annotation) {
        return new String(classFile, StandardCharsets.ISO_8859_1).contains("L" + annotation + ";");
    }

    /** The class with the annotation renamed, or null if it has none. */
    static byte[] rename(byte[] classFile) {
        if (!uses(classFile, NEVER_INLINE)) return null;
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassRemapper(writer, new SimpleRemapper(NEVER_INLINE, DONT_INLINE)), 0);
        return writer.toByteArray();
    }
}
