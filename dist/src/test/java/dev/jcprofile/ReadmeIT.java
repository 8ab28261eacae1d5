package dev.jcprofile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README cannot rot: every command of its {@code console} blocks runs, in order, as a reader would run it
 * (from the repository's root, here a scratch directory that links to it), must succeed, and must print the
 * README's key lines. Numbers and time stamps differ from run to run, so they are masked; table rows whose
 * place in a ranking can change with timing are checked only when they show what the recipe is about.
 */
class ReadmeIT {
    /** Rows of a table that the README's story rests on. */
    private static final Pattern KEY_ROW = Pattern.compile(
            "forward|xFunc|Thread\\.sleep|'step' of|Main\\.main|Fib\\.fib|median|slow\\.py|Collections\\.sort");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\s*[\\d/]+\\s+\\d+\\.\\d{3}\\s|\\s(->|<-)\\s|^\\s{20,}\\d");
    /**
     * A row of --diff's table. Its place is the size of a change in time, which a loaded machine can change by
     * seconds (the start-up's, in the example), so none is checked here; DiffIT checks the order that the README
     * shows, with a pause ten times as long.
     */
    private static final Pattern DIFF_ROW = Pattern.compile("^\\s*(\\d+\\s+){1,2}[-+]?\\d+\\s");
    private static final Pattern RUN_DIRECTORY = Pattern.compile("(?<=^|[\\s=:])/[^\\s=:,]*/target/");
    private static final Pattern CTIME = Pattern.compile("\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}");

    @Test
    void everyConsoleCommandRunsAndPrintsItsKeyLines(@TempDir Path dir) throws Exception {
        Path root = Paths.get("").toAbsolutePath();
        if (!Files.exists(root.resolve("examples/slow-migration/target/slow-migration.jar"))) {
            run(root, "mvn -q -f examples/slow-migration/pom.xml package");
        }
        for (String link : List.of("bin", "examples", "target")) Files.createSymbolicLink(dir.resolve(link), root.resolve(link));

        List<String> lines = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8);
        int commands = 0, checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```console")) continue;
            i++;
            while (i < lines.size() && !lines.get(i).equals("```")) {
                String command = lines.get(i).substring(2);
                assertTrue(lines.get(i).startsWith("$ "), "a console block starts with a command: " + lines.get(i));
                List<String> expected = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).startsWith("$ ") && !lines.get(i).equals("```"); i++) {
                    expected.add(lines.get(i));
                }
                String actual = run(dir, command);
                commands++;
                List<String> masked = new ArrayList<>();
                for (String l : actual.split("\n", -1)) masked.add(mask(l));
                for (String want : expected) {
                    if (want.isBlank()) continue;
                    if (TABLE_ROW.matcher(want).find() && !KEY_ROW.matcher(want).find()) continue;
                    if (DIFF_ROW.matcher(want).find()) continue;
                    checked++;
                    if (!masked.contains(mask(want))) {
                        fail("README command\n  $ " + command + "\ndid not print\n  " + want + "\nIt printed:\n" + actual);
                    }
                }
            }
        }
        assertTrue(commands >= 15, "README commands run: " + commands);
        assertTrue(checked >= 60, "README lines checked: " + checked);
    }

    /**
     * Terminal colours go, numbers (signed or not) become '#', a time stamp 'DATE', the directory a command ran in
     * (before its target/) 'DIR', runs of spaces one space: what stays is the shape and the names.
     */
    private static String mask(String line) {
        String s = CTIME.matcher(line.replaceAll("\u001B\\[[0-9;]*m", "")).replaceAll("DATE"); // Maven's colours
        s = RUN_DIRECTORY.matcher(s).replaceAll("DIR/target/");
        s = s.replaceAll("\\d+", "#").replaceAll("[-+]#", "#"); // a change's sign, too, differs from run to run
        return s.replaceAll(" +", " ").strip();
    }

    private static String run(Path dir, String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finished: " + command);
        assertEquals(0, p.exitValue(), "README command failed: $ " + command + "\n" + out);
        return out;
    }
}
