package dev.jcprofile.browser;

import dev.jcprofile.cpython.SortKeys;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Tab completion for the interactive browser: command names first, as Python's {@code cmd} completes them; sort
 * keys after {@code sort} (pstats's {@code complete_sort}); commands after {@code help}; file names after
 * {@code read}, {@code add} and {@code diff}.
 */
final class Completion implements Completer {

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates.addAll(candidates(line));
    }

    /** Every candidate for the word at the cursor; the line reader keeps those that the typed prefix matches. */
    static List<Candidate> candidates(ParsedLine line) {
        List<Candidate> out = new ArrayList<>();
        if (line.wordIndex() == 0) {
            for (String command : Browser.COMMANDS) out.add(new Candidate(command));
            return out;
        }
        switch (line.words().get(0)) {
            case "sort":
                for (Map.Entry<String, SortKeys.Key> e : SortKeys.DEFAULTS.entrySet()) {
                    out.add(new Candidate(e.getKey(), e.getKey(), null, e.getValue().description, null, null, true));
                }
                break;
            case "help":
                if (line.wordIndex() == 1) {
                    for (String command : Browser.COMMANDS) out.add(new Candidate(command));
                }
                break;
            case "read":
            case "add":
            case "diff":
                files(line.word().substring(0, line.wordCursor()), out);
                break;
            default:
                break;
        }
        return out;
    }

    /**
     * Entries of the directory that {@code typed} names up to its last slash, as that directory part plus the entry
     * name; directories end in a slash and leave the word open. Names starting with a dot only when the typed name
     * does.
     */
    static void files(String typed, List<Candidate> out) {
        int slash = typed.lastIndexOf('/');
        String dirPart = typed.substring(0, slash + 1);
        String namePart = typed.substring(slash + 1);
        Path dir = Paths.get(dirPart.isEmpty() ? "." : dirPart);
        List<Candidate> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(namePart) || (name.startsWith(".") && !namePart.startsWith("."))) continue;
                boolean isDir = Files.isDirectory(entry);
                String shown = isDir ? name + "/" : name;
                found.add(new Candidate(dirPart + shown, shown, null, null, null, null, !isDir));
            }
        } catch (IOException | SecurityException e) {
            return; // nothing to offer from a directory that cannot be listed
        }
        Collections.sort(found);
        out.addAll(found);
    }

    /**
     * Splits lines the way the browser reads them: the command is the leading word; the argument of {@code read},
     * {@code add} and {@code diff} is one file name, spaces included, and other arguments are words between
     * whitespace. No quoting, escapes or line continuations, which the browser does not have either.
     */
    static final class LineParser implements Parser {
        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            int n = line.length();
            int start = 0;
            while (start < n && Character.isWhitespace(line.charAt(start))) start++;
            int end = start;
            while (end < n && !Character.isWhitespace(line.charAt(end))) end++;
            String command = line.substring(start, end);
            List<int[]> spans = new ArrayList<>();
            if (end > start) spans.add(new int[] {start, end});
            if (command.equals("read") || command.equals("add") || command.equals("diff")) {
                int arg = end;
                while (arg < n && Character.isWhitespace(line.charAt(arg))) arg++;
                if (arg < n) spans.add(new int[] {arg, n});
            } else {
                int i = end;
                while (i < n) {
                    while (i < n && Character.isWhitespace(line.charAt(i))) i++;
                    int j = i;
                    while (j < n && !Character.isWhitespace(line.charAt(j))) j++;
                    if (j > i) spans.add(new int[] {i, j});
                    i = j;
                }
            }
            // The word at the cursor: the span holding it (its end included), else an empty word at the cursor.
            int index = -1;
            for (int k = 0; k < spans.size(); k++) {
                if (spans.get(k)[0] <= cursor && cursor <= spans.get(k)[1]) {
                    index = k;
                    break;
                }
            }
            if (index < 0) {
                index = 0;
                while (index < spans.size() && spans.get(index)[1] < cursor) index++;
                spans.add(index, new int[] {cursor, cursor});
            }
            List<String> words = new ArrayList<>();
            for (int[] s : spans) words.add(line.substring(s[0], s[1]));
            int[] at = spans.get(index);
            return new Line(line, cursor, words, index, cursor - at[0], at[1] - at[0]);
        }

        @Override
        public boolean isEscapeChar(char ch) {
            return false;
        }
    }

    /** A parsed line whose words are the raw text: completions go in as they are. */
    static final class Line implements CompletingParsedLine {
        private final String line;
        private final int cursor;
        private final List<String> words;
        private final int wordIndex;
        private final int wordCursor;
        private final int wordLength;

        Line(String line, int cursor, List<String> words, int wordIndex, int wordCursor, int wordLength) {
            this.line = line;
            this.cursor = cursor;
            this.words = Collections.unmodifiableList(words);
            this.wordIndex = wordIndex;
            this.wordCursor = wordCursor;
            this.wordLength = wordLength;
        }

        @Override public String word() { return words.get(wordIndex); }
        @Override public int wordCursor() { return wordCursor; }
        @Override public int wordIndex() { return wordIndex; }
        @Override public List<String> words() { return words; }
        @Override public String line() { return line; }
        @Override public int cursor() { return cursor; }
        @Override public CharSequence escape(CharSequence candidate, boolean complete) { return candidate; }
        @Override public int rawWordCursor() { return wordCursor; }
        @Override public int rawWordLength() { return wordLength; }
    }
}
