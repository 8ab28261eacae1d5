package dev.jcprofile.e2e;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The programs the tests profile: sources under {@code src/test/programs/NAME}, compiled at test time into
 * {@code target/e2e/programs/NAME}, once per test run.
 */
final class Programs {
    private Programs() {}

    /** Compiles {@code src/test/programs/NAME} for Java 17 (plus {@code options}); returns the class directory. */
    static Path compile(String name, String... options) {
        return compile(name, List.of(name), options);
    }

    /** Compiles the sources of several program directories together into {@code target/e2e/programs/OUT}. */
    static Path compile(String out, List<String> sourceDirs, String... options) {
        return E2E.once("javac " + out, () -> {
            Path dest = fresh(out);
            List<String> args = new ArrayList<>(List.of("-d", dest.toString(), "-encoding", "UTF-8"));
            if (!Arrays.asList(options).contains("--release")) args.addAll(List.of("--release", "17"));
            args.addAll(Arrays.asList(options));
            args.addAll(sources(sourceDirs));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = javac.run(null, log, log, args.toArray(new String[0]));
            if (rc != 0) throw new AssertionError("javac " + args + " failed:\n" + log.toString(StandardCharsets.UTF_8));
            return dest;
        });
    }

    /** Compiles sources made by the test ({@code relative path -> text}) into {@code target/e2e/programs/NAME}. */
    static Path compileGenerated(String name, Map<String, String> sources) {
        return E2E.once("javac generated " + name, () -> {
            Path src = fresh(name + "-src");
            List<String> args = new ArrayList<>(List.of("-d", fresh(name).toString(), "-encoding", "UTF-8", "--release", "17"));
            try {
                for (Map.Entry<String, String> e : sources.entrySet()) {
                    Path file = src.resolve(e.getKey());
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                    args.add(file.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = ToolProvider.getSystemJavaCompiler().run(null, log, log, args.toArray(new String[0]));
            if (rc != 0) throw new AssertionError("javac " + args + " failed:\n" + log.toString(StandardCharsets.UTF_8));
            return E2E.work("programs").resolve(name);
        });
    }

    /** Compiles with another JDK's javac, for programs that need a newer release than the tests run on. */
    static Path compileWith(Jdk jdk, String name, String... options) {
        return E2E.once("javac " + jdk + " " + name, () -> {
            Path dest = fresh(name + "-" + jdk.feature);
            List<String> args = new ArrayList<>(List.of(jdk.javac().toString(), "-d", dest.toString(), "-encoding", "UTF-8"));
            args.addAll(Arrays.asList(options));
            args.addAll(sources(List.of(name)));
            Proc.of(args).jdk(jdk).run().expectExit(0);
            return dest;
        });
    }

    /** A jar of a class directory whose manifest names {@code mainClass}, for {@code java -jar}. */
    static Path jar(Path classes, String mainClass) {
        return jar(classes, Map.of(Attributes.Name.MAIN_CLASS.toString(), mainClass));
    }

    /** A jar of a class directory with these manifest attributes (an agent's Premain-Class, say). */
    static Path jar(Path classes, Map<String, String> attributes) {
        return E2E.once("jar " + classes, () -> {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            attributes.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
            Path jar = classes.resolveSibling(classes.getFileName() + ".jar");
            try (OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = new JarOutputStream(file, manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return jar;
        });
    }

    /** The source file of a program, to find line numbers in. */
    static Path source(String name, String relative) {
        return E2E.PROGRAMS.resolve(name).resolve(relative);
    }

    /** The 1-based number of the only line of a program's source that contains {@code text}. */
    static int lineOf(String name, String relative, String text) {
        try {
            List<String> lines = Files.readAllLines(source(name, relative), StandardCharsets.UTF_8);
            int found = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    if (found >= 0) throw new AssertionError("'" + text + "' is on more than one line of " + relative);
                    found = i + 1;
                }
            }
            if (found < 0) throw new AssertionError("'" + text + "' is not in " + relative);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> sources(List<String> dirs) {
        List<String> files = new ArrayList<>();
        for (String dir : dirs) {
            try (Stream<Path> walk = Files.walk(E2E.PROGRAMS.resolve(dir))) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> files.add(p.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (files.isEmpty()) throw new AssertionError("no sources in " + dirs);
        return files;
    }

    private static Path fresh(String name) {
        Path dest = E2E.work("programs").resolve(name);
        try {
            if (Files.exists(dest)) {
                try (Stream<Path> walk = Files.walk(dest)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(p);
                }
            }
            return Files.createDirectories(dest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
