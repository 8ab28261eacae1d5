package dev.jcprofile.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden corpus (profiles written by python3 at test time into target/golden), the profile sets and command
 * scripts of src/test/resources/golden, and the comparison of two outputs.
 */
public final class Corpus {
    private Corpus() {}

    public static final Path DIR = Python.ROOT.resolve("target/golden");
    public static final Path RESOURCES = Python.ROOT.resolve("dist/src/test/resources/golden");
    public static final Path SCRIPTS = RESOURCES.resolve("scripts");

    private static boolean made;

    /** Writes the corpus once per JVM, afresh, with the python3 that the outputs are compared against. */
    public static synchronized void ensure() {
        if (made) return;
        Python.Result version = Python.script("import sys; print('%d.%d' % sys.version_info[:2])", "");
        assertEquals("3.11", version.text().trim(), "the golden outputs are CPython 3.11's pstats");
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> walk = Files.walk(DIR)) {
                    for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
                }
            }
            Path empty = Files.createTempFile("jcprofile-empty", ".in");
            Python.Result r = Python.run(List.of("dist/src/test/python/make_corpus.py", "target/golden"), empty);
            Files.delete(empty);
            if (r.exit != 0) fail("make_corpus.py failed:\n" + r.err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        made = true;
    }

    /** Profile set name to the files given on the command line, in profiles.txt's order. */
    public static Map<String, List<String>> profileSets() {
        Map<String, List<String>> sets = new LinkedHashMap<>();
        for (String line : lines(RESOURCES.resolve("profiles.txt"))) {
            int colon = line.indexOf(':');
            String files = line.substring(colon + 1).trim();
            sets.put(line.substring(0, colon).trim(),
                    files.isEmpty() ? List.of() : Arrays.asList(files.split("\\s+")));
        }
        return sets;
    }

    /** Script names (file names without .txt), sorted. */
    public static List<String> scripts() {
        try (Stream<Path> list = Files.list(SCRIPTS)) {
            List<String> names = new ArrayList<>();
            list.forEach(p -> names.add(p.getFileName().toString().replaceFirst("\\.txt$", "")));
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path script(String name) {
        return SCRIPTS.resolve(name + ".txt");
    }

    /** The (set, script) pairs left out of the byte-equality battery; skip.txt says why for each. */
    public static boolean skipped(String set, String script) {
        for (String[] w : skips()) {
            if (glob(w[0], set) && glob(w[1], script)) return true;
        }
        return false;
    }

    /** skip.txt's entries: set, script, kind (python-crash or limitation). */
    public static List<String[]> skips() {
        List<String[]> out = new ArrayList<>();
        for (String line : lines(RESOURCES.resolve("skip.txt"))) out.add(line.split("\\s+", 4));
        return out;
    }

    private static boolean glob(String pattern, String s) {
        return pattern.equals("*") || pattern.equals(s);
    }

    private static List<String> lines(Path file) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) out.add(line);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern ADDRESS = Pattern.compile("at 0x[0-9a-f]+");

    /**
     * Output with the one per-process part masked: a code object's {@code at 0x...} address, which differs on
     * every run of Python too.
     */
    public static String normalise(String output) {
        return ADDRESS.matcher(output).replaceAll("at 0x?");
    }

    /** What {@code help} lists in jpstats, with its own commands diff and tree (see KnownDifferencesIT). */
    static final String JPSTATS_COMMANDS = "EOF  callees  diff  quit  reverse  stats  tree\n"
            + "add  callers  help  read  sort     strip\n";
    /** What it lists in python3's pstats. */
    static final String PSTATS_COMMANDS = "EOF  add  callees  callers  help  quit  read  reverse  sort  stats  strip\n";

    /**
     * Fails with a unified-diff-like excerpt around the first differing line when the outputs differ. jpstats's
     * {@code help} listing, which names two commands more than pstats's (KnownDifferencesIT checks it), counts as
     * pstats's.
     */
    public static void assertSameOutput(String expected, String actual, String what) {
        String e = normalise(expected), a = normalise(actual).replace(JPSTATS_COMMANDS, PSTATS_COMMANDS);
        if (e.equals(a)) return;
        String[] el = e.split("\n", -1), al = a.split("\n", -1);
        int first = 0;
        while (first < el.length && first < al.length && el[first].equals(al[first])) first++;
        // The end of the differing region: the last lines that match counting from the end.
        int ee = el.length, ae = al.length;
        while (ee > first && ae > first && el[ee - 1].equals(al[ae - 1])) {
            ee--;
            ae--;
        }
        StringBuilder b = new StringBuilder(what).append(": output differs from python3's at line ")
                .append(first + 1).append('\n');
        b.append("--- python3\n+++ jpstats\n@@ -").append(first + 1).append(" +").append(first + 1).append(" @@\n");
        for (int i = Math.max(0, first - 3); i < first; i++) b.append(' ').append(show(el[i])).append('\n');
        for (int i = first; i < Math.min(ee, first + 15); i++) b.append('-').append(show(el[i])).append('\n');
        if (ee - first > 15) b.append("-... ").append(ee - first - 15).append(" more\n");
        for (int i = first; i < Math.min(ae, first + 15); i++) b.append('+').append(show(al[i])).append('\n');
        if (ae - first > 15) b.append("+... ").append(ae - first - 15).append(" more\n");
        for (int i = ee; i < Math.min(el.length, ee + 3); i++) b.append(' ').append(show(el[i])).append('\n');
        fail(b.toString());
    }

    /** A line with control characters made visible, so differences in them show. */
    private static String show(String line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
