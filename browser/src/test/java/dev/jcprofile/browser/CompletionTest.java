package dev.jcprofile.browser;

import org.jline.reader.Candidate;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionTest {
    private final Completion.LineParser parser = new Completion.LineParser();

    /** The line parsed for completion with the cursor at '|'. */
    private CompletingParsedLine at(String marked) {
        int cursor = marked.indexOf('|');
        return (CompletingParsedLine) parser.parse(marked.replace("|", ""), cursor, Parser.ParseContext.COMPLETE);
    }

    private static List<String> values(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::value).collect(Collectors.toList());
    }

    @Test
    void commandWordIsCompletedFromTheBrowsersCommands() {
        CompletingParsedLine line = at("  so|");
        assertEquals(0, line.wordIndex());
        assertEquals("so", line.word());
        assertEquals(2, line.wordCursor());
        assertEquals(Browser.COMMANDS, values(Completion.candidates(line)));
        assertEquals(0, at("|").wordIndex());
        assertEquals("", at("|").word());
    }

    @Test
    void sortCompletesEverySortKeyWordWithItsDescription() {
        CompletingParsedLine line = at("sort calls cu|");
        assertEquals(2, line.wordIndex());
        assertEquals("cu", line.word());
        List<Candidate> candidates = Completion.candidates(line);
        assertEquals(List.of("calls", "ncalls", "cumtime", "cumulative", "filename", "line", "module", "name",
                "nfl", "pcalls", "stdname", "time", "tottime"), values(candidates));
        assertEquals("cumulative time", candidates.get(2).descr());
        assertTrue(candidates.get(2).complete(), "a full key is followed by a space");
        // After the space a new, empty word begins.
        CompletingParsedLine next = at("sort cumtime |");
        assertEquals(2, next.wordIndex());
        assertEquals("", next.word());
        assertEquals(13, Completion.candidates(next).size());
    }

    @Test
    void helpCompletesOneTopic() {
        assertEquals(Browser.COMMANDS, values(Completion.candidates(at("help st|"))));
        assertTrue(Completion.candidates(at("help stats |")).isEmpty());
    }

    @Test
    void otherArgumentsAreNotCompleted() {
        assertTrue(Completion.candidates(at("stats fi|")).isEmpty());
        assertTrue(Completion.candidates(at("nonsense x|")).isEmpty());
    }

    @Test
    void readTakesTheRestOfTheLineAsOneFileName() {
        CompletingParsedLine line = at("read  my profile.p|");
        assertEquals(List.of("read", "my profile.p"), line.words());
        assertEquals(1, line.wordIndex());
        assertEquals(12, line.wordCursor());
        assertEquals(12, line.rawWordLength());
        // Candidates go in verbatim: the browser reads no quotes or escapes.
        assertEquals("a b\\c", line.escape("a b\\c", true).toString());
        CompletingParsedLine middle = at("add di|r/x");
        assertEquals("dir/x", middle.word());
        assertEquals(2, middle.wordCursor());
        assertEquals(5, middle.rawWordLength());
    }

    @Test
    void fileNamesComeFromTheTypedDirectory(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve("profiles"));
        Files.createFile(dir.resolve("profiles/run 1.prof"));
        Files.createFile(dir.resolve("profiles/run2.prof"));
        Files.createFile(dir.resolve("profiles/.hidden"));
        Files.createDirectory(dir.resolve("profiles/old"));
        Files.createFile(dir.resolve("profiles/other"));

        String base = dir + "/profiles/";
        List<Candidate> found = new ArrayList<>();
        Completion.files(base + "r", found);
        assertEquals(List.of(base + "run 1.prof", base + "run2.prof"), values(found));
        assertEquals("run 1.prof", found.get(0).displ());
        assertTrue(found.get(0).complete());

        found.clear();
        Completion.files(base, found);
        assertEquals(List.of(base + "old/", base + "other", base + "run 1.prof", base + "run2.prof"), values(found));
        assertFalse(found.get(0).complete(), "a directory leaves the word open for its entries");

        found.clear();
        Completion.files(base + ".", found);
        assertEquals(List.of(base + ".hidden"), values(found));

        found.clear();
        Completion.files(dir + "/missing/", found);
        assertTrue(found.isEmpty());
    }

    @Test
    void fileCompletionGoesThroughTheParsedLine(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("small.prof"));
        List<Candidate> candidates = Completion.candidates(at("read " + dir + "/sm|"));
        assertEquals(List.of(dir + "/small.prof"), values(candidates));
    }
}
