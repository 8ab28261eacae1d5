package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import dev.jcprofile.Stats;
import dev.jcprofile.browser.Browser;
import dev.jcprofile.cpython.SortKeys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A structure-aware fuzzer of the profile reader and the browser. Profiles: real profiles (src/test/resources/fuzz/
 * seeds: cProfile and profile files of every marshal version, hand-made ones, one written by the agent, and
 * marshal values of every type to graft from) mutated as marshal data, with {@link MarshalSpans} telling where each
 * value, type code, size and reference is: a type code changed, a reference flag set or cleared, a size that lies, a
 * reference out of range or to a container still being read, a value grafted from another file, repeated, removed,
 * nested thousands deep, numbers and texts replaced by awkward ones, the data cut at a value's edge; and sometimes
 * plain byte edits or random bytes. Each input must read as a profile or fail with one one-line ProfileException,
 * allocating in proportion to its size; what reads must print every report and read back once written. The
 * browser: command lines made from its grammar (counts, fractions, regular expressions, sort keys, files to read or
 * add, good and damaged) and from the golden scripts' lines, edited; no command may throw.
 *
 * <p>Input {@code i} of a run with seed {@code s} is made from {@code new Random(s * 1_000_003 + i)}, so a failure is
 * replayed by its seed and index. Every input runs on a worker thread with a deadline of {@link #DEADLINE_SECONDS}:
 * generous, since an input takes milliseconds; an input past it has looped. {@code tools/fuzz.sh --seconds N}
 * runs it for a while; FuzzTest runs a short, fixed part of it in the test suite.
 */
public final class Fuzzer {
    static final String LABEL = "fuzzed.prof";
    static final long DEADLINE_SECONDS = 60;

    private static final Path RESOURCES = resources();
    static final Path SEEDS = RESOURCES.resolve("fuzz/seeds");
    /** Inputs that once failed, kept as regression cases (FuzzTest replays them). */
    static final Path FOUND = RESOURCES.resolve("fuzz/found");
    private static final Path GOLDEN_SCRIPTS = RESOURCES.resolve("golden/scripts");

    private final List<byte[]> seeds = new ArrayList<>();
    private final List<List<MarshalSpans.Span>> seedSpans = new ArrayList<>();
    private final List<String> scriptLines = new ArrayList<>();
    /** Files the browser's read and add commands name: the seeds, damaged copies, a directory, a missing file. */
    private final List<String> files = new ArrayList<>();
    private final Path work;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true); // an input past its deadline leaves it running; it must not keep the JVM alive
        return t;
    });

    long profiles, read, rejected, scripts, commands;

    Fuzzer(Path work) throws IOException {
        this.work = work;
        try (Stream<Path> s = Files.list(SEEDS)) {
            for (Path p : s.sorted().collect(Collectors.toList())) {
                byte[] b = Files.readAllBytes(p);
                seeds.add(b);
                seedSpans.add(MarshalSpans.index(b));
                files.add(p.toString());
            }
        }
        try (Stream<Path> s = Files.list(GOLDEN_SCRIPTS)) {
            for (Path p : s.sorted().collect(Collectors.toList())) scriptLines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
        }
        Random r = new Random(7);
        for (int i = 0; i < 40; i++) {
            Path p = work.resolve("damaged-" + i + ".prof");
            Files.write(p, mutate(seeds.get(r.nextInt(seeds.size())), r));
            files.add(p.toString());
        }
        files.add(Files.createDirectories(work.resolve("a-directory.prof")).toString());
        files.add(work.resolve("missing.prof").toString());
    }

    private static Path resources() {
        try {
            return Paths.get(Fuzzer.class.getResource("/fuzz/seeds").toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ running inputs

    /** A failure: what was given and what went wrong. */
    static final class Failure extends AssertionError {
        private static final long serialVersionUID = 1L;
        final byte[] input;
        final boolean script;

        Failure(String what, byte[] input, boolean script, Throwable cause) {
            super(what + ": " + cause, cause);
            this.input = input;
            this.script = script;
        }
    }

    /** Input {@code index} of the run with {@code seed}: a profile (most) or a browser script. */
    void runInput(long seed, long index) {
        Random r = new Random(seed * 1_000_003L + index);
        if (r.nextInt(5) == 0) {
            List<String> script = script(r);
            byte[] text = String.join("\n", script).getBytes(StandardCharsets.UTF_8);
            onWorker(() -> runScript(script), "seed " + seed + " input " + index + " (script)", text, true);
        } else {
            byte[] bytes = r.nextInt(40) == 0 ? randomBytes(r) : mutate(seeds.get(r.nextInt(seeds.size())), r);
            onWorker(() -> runProfile(bytes), "seed " + seed + " input " + index + " (profile)", bytes, false);
        }
    }

    void onWorker(Runnable task, String what, byte[] input, boolean script) {
        Future<?> f = worker.submit(task);
        try {
            f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Failure(what + " still running after " + DEADLINE_SECONDS + " s", input, script, e);
        } catch (ExecutionException e) {
            throw new Failure(what, input, script, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(what, input, script, e);
        }
    }

    void close() {
        worker.shutdownNow();
    }

    /** Reads a profile; whatever reads must print, combine and write back. */
    void runProfile(byte[] bytes) {
        profiles++;
        long before = BadInput.allocatedBytes();
        ProfileData d;
        try {
            d = ProfileFiles.parse(bytes, LABEL);
        } catch (ProfileException e) {
            checkOneLine(e);
            rejected++;
            return;
        }
        long used = BadInput.allocatedBytes() - before;
        if (before >= 0 && used > 64L * bytes.length + (16 << 20)) {
            throw new AssertionError("allocated " + used + " bytes to read " + bytes.length);
        }
        read++;
        // Written back, it reads back, with the same functions.
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try {
            ProfileFiles.write(d, written);
            ProfileData again = ProfileFiles.parse(written.toByteArray(), "rewritten.prof");
            if (again.size() != d.size()) throw new AssertionError("rewritten with " + again.size() + " functions, not " + d.size());
        } catch (IOException e) {
            throw new AssertionError("a profile that read cannot be written and read back: " + e, e);
        }
        PrintStream sink = sink();
        Stats s = new Stats(d).stream(sink);
        s.printStats().sortStats("cumulative", "name").printStats(5, "a|b|<", 0.5).printCallers().printCallees(".")
                .reverseOrder().printStats(3);
        s.rows();
        s.sortStats("pcalls", "file", "line", "stdname", "nfl", "time").printCallees(2);
        Stats doubled = new Stats(d).stream(sink).add(new Stats(d));
        doubled.stripDirs().sortStats("calls").printStats().printCallers(1);
    }

    /** Runs browser commands; none may throw. */
    void runScript(List<String> lines) {
        scripts++;
        Browser b = new Browser(sink());
        for (String line : lines) {
            commands++;
            if (b.onecmd(line)) break;
        }
    }

    private static PrintStream sink() {
        return new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    }

    /** The form every rejection must have: {@code LABEL: problem}, one line, from the reader's own checks. */
    static void checkOneLine(ProfileException e) {
        String m = e.getMessage();
        if (!m.equals(e.file() + ": " + e.problem()) || !e.file().equals(LABEL) || m.contains("\n") || m.contains("\r")
                || e.problem().isBlank() || e.problem().contains(ProfileFiles.LAST_RESORT)) {
            throw new AssertionError("not a one-line message from the reader's own checks: " + m, e);
        }
    }

    // ------------------------------------------------------------------ profiles

    private static final String TYPE_CODES = "0NFTS.iIlfgxyuatAzZsR()[{<>cr?";
    private static final int[] INTERESTING_INTS = {-1, 0, 1, 2, 3, 4, 5, 127, 128, 255, 256, 1999, 2000, 2001, 0x7fff,
        0x8000, 0xffff, 0x10000, 1 << 20, 0x7ffffff0, 0x7fffffff, 0x80000000, -2};
    private static final long[] INTERESTING_DOUBLES = {Double.doubleToLongBits(Double.NaN), 0x7ff8000000000001L,
        Double.doubleToLongBits(Double.POSITIVE_INFINITY), Double.doubleToLongBits(Double.NEGATIVE_INFINITY),
        Double.doubleToLongBits(-0.0), Double.doubleToLongBits(Double.MIN_VALUE), Double.doubleToLongBits(Double.MAX_VALUE),
        Double.doubleToLongBits(1e300), Double.doubleToLongBits(-1.5), Double.doubleToLongBits(9.007199254740993e15)};
    private static final String[] FLOAT_TEXTS = {"nan", "inf", "-inf", "1e999", "-0", "abc", "", "1_0", "0x10",
        "1e-400", "9" .repeat(300), " 1", "1.5e+308", "+nan"};
    private static final byte[][] TEXTS = {{}, {(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf0, (byte) 0x9d, (byte) 0x92, (byte) 0xb3}, {0}, {'\n'}, {'\r', '\n'}, {(byte) 0xe2, (byte) 0x80, (byte) 0xa8},
        "~".getBytes(StandardCharsets.UTF_8), "<built-in method x>".getBytes(StandardCharsets.UTF_8),
        "{method 'a' of 'b' objects}".getBytes(StandardCharsets.UTF_8), "profile:0(x)".getBytes(StandardCharsets.UTF_8),
        "a".repeat(5000).getBytes(StandardCharsets.UTF_8), "(.*)".getBytes(StandardCharsets.UTF_8),
        "\u00e9\u4e2d".getBytes(StandardCharsets.UTF_8), {(byte) 0xe9}};

    /**
     * Half the time, one edit that keeps the data well formed (so that it reads, and the reports meet strange
     * figures and names); else one to three marshal-aware edits, sometimes up to eight.
     */
    byte[] mutate(byte[] seed, Random r) {
        if (r.nextBoolean()) {
            byte[] g = gentle(seed, r);
            if (g != null) return g;
        }
        byte[] b = seed;
        int edits = 1 + r.nextInt(r.nextInt(4) == 0 ? 8 : 3);
        for (int i = 0; i < edits; i++) b = mutateOnce(b, r);
        return b;
    }

    private byte[] mutateOnce(byte[] b, Random r) {
        int seed = indexOfSeed(b);
        List<MarshalSpans.Span> spans = seed >= 0 ? seedSpans.get(seed) : MarshalSpans.index(b);
        if (spans.isEmpty() || r.nextInt(12) == 0) return byteEdit(b, r);
        MarshalSpans.Span s = spans.get(r.nextInt(spans.size()));
        switch (r.nextInt(13)) {
            case 0: { // another type code, the reference flag kept or not
                byte[] c = b.clone();
                c[s.start] = (byte) (TYPE_CODES.charAt(r.nextInt(TYPE_CODES.length())) | (r.nextBoolean() ? s.code & 0x80 : 0));
                return c;
            }
            case 1: { // the reference flag set or cleared: every later reference shifts
                byte[] c = b.clone();
                c[s.start] ^= (byte) 0x80;
                return c;
            }
            case 2: { // a size or count that lies
                if (s.sizeWidth == 0) return byteEdit(b, r);
                byte[] c = b.clone();
                long actual = s.sizeWidth == 1 ? c[s.sizeAt] & 0xff : i32(c, s.sizeAt);
                long[] choices = {actual - 1, actual + 1, actual * 2, 0, INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)]};
                long v = choices[r.nextInt(choices.length)];
                if (s.sizeWidth == 1) c[s.sizeAt] = (byte) v;
                else putI32(c, s.sizeAt, (int) v);
                return c;
            }
            case 3: { // a reference: out of range, to itself, to a container still open, or a value made one
                int k = pickRef(s, r);
                if (s.refAt >= 0) {
                    byte[] c = b.clone();
                    putI32(c, s.refAt, k);
                    return c;
                }
                byte[] ref = new byte[5];
                ref[0] = 'r';
                putI32(ref, 1, k);
                return splice(b, s.start, s.end - s.start, ref);
            }
            case 4: { // a value grafted from another file
                int d = r.nextInt(seeds.size());
                List<MarshalSpans.Span> donor = seedSpans.get(d);
                if (donor.isEmpty()) return byteEdit(b, r);
                MarshalSpans.Span g = donor.get(r.nextInt(donor.size()));
                if (g.end - g.start > 20_000) return byteEdit(b, r);
                return splice(b, s.start, s.end - s.start, Arrays.copyOfRange(seeds.get(d), g.start, g.end));
            }
            case 5: // a value repeated: one item too many in its container
                if (s.end - s.start > 20_000) return byteEdit(b, r);
                return splice(b, s.end, 0, Arrays.copyOfRange(b, s.start, s.end));
            case 6: // a value removed: one item too few
                return splice(b, s.start, s.end - s.start, new byte[0]);
            case 7: { // a value nested in one-item tuples or lists, around marshal's depth limit of 2000
                int[] depths = {1, 2, 50, 1998, 1999, 2000, 2001, 4000};
                int depth = depths[r.nextInt(depths.length)];
                boolean list = r.nextBoolean();
                byte[] wrap = new byte[depth * (list ? 5 : 2)];
                for (int i = 0; i < depth; i++) {
                    if (list) {
                        wrap[i * 5] = '[';
                        putI32(wrap, i * 5 + 1, 1);
                    } else {
                        wrap[i * 2] = ')';
                        wrap[i * 2 + 1] = 1;
                    }
                }
                return splice(b, s.start, 0, wrap);
            }
            case 8: { // an awkward number
                int t = s.type();
                byte[] c = b.clone();
                if (t == 'i' && s.payloadAt >= 0) {
                    putI32(c, s.payloadAt, INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)]);
                } else if ((t == 'g' || t == 'I') && s.payloadAt >= 0) {
                    long v = INTERESTING_DOUBLES[r.nextInt(INTERESTING_DOUBLES.length)];
                    for (int i = 0; i < 8; i++) c[s.payloadAt + i] = (byte) (v >>> (8 * i));
                } else if (t == 'f' && s.payloadAt >= 0) {
                    byte[] text = FLOAT_TEXTS[r.nextInt(FLOAT_TEXTS.length)].getBytes(StandardCharsets.US_ASCII);
                    byte[] f = new byte[2 + text.length];
                    f[0] = (byte) s.code;
                    f[1] = (byte) text.length;
                    System.arraycopy(text, 0, f, 2, text.length);
                    return splice(b, s.start, s.end - s.start, f);
                } else if (t == 'l' && s.sizeAt >= 0) {
                    // A long of many digits, or with a digit of 15 bits or more, or a zero top digit.
                    int n = new int[] {1, 2, 3, 5, 100, 3000}[r.nextInt(6)] * (r.nextBoolean() ? 1 : -1);
                    byte[] l = new byte[5 + 2 * Math.abs(n)];
                    l[0] = (byte) s.code;
                    putI32(l, 1, n);
                    for (int i = 0; i < Math.abs(n); i++) {
                        int digit = r.nextInt(4) == 0 ? 0x7fff + r.nextInt(2) : r.nextInt(0x8000);
                        l[5 + 2 * i] = (byte) digit;
                        l[6 + 2 * i] = (byte) (digit >> 8);
                    }
                    if (r.nextBoolean()) l[l.length - 1] = l[l.length - 2] = 0;
                    return splice(b, s.start, s.end - s.start, l);
                } else {
                    // a number where another value was
                    byte[] i = new byte[5];
                    i[0] = 'i';
                    putI32(i, 1, INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)]);
                    return splice(b, s.start, s.end - s.start, i);
                }
                return c;
            }
            case 9: { // an awkward text, with its size right or not
                byte[] text = TEXTS[r.nextInt(TEXTS.length)];
                int t = s.type();
                boolean shortSize = t == 'z' || t == 'Z';
                if (s.payloadAt < 0 || !"stuaAzZ".contains(String.valueOf((char) t)) || (shortSize && text.length > 255)) {
                    byte[] u = new byte[5 + text.length];
                    u[0] = 'u';
                    putI32(u, 1, text.length);
                    System.arraycopy(text, 0, u, 5, text.length);
                    return splice(b, s.start, s.end - s.start, u);
                }
                byte[] c = splice(b, s.payloadAt, s.end - s.payloadAt, text);
                if (r.nextInt(4) != 0) {
                    if (shortSize) c[s.sizeAt] = (byte) text.length;
                    else putI32(c, s.sizeAt, text.length);
                }
                return c;
            }
            case 10: { // cut short at a value's edge, or inside it
                int[] at = {s.start, s.end, s.start + 1, (s.start + s.end) / 2};
                return Arrays.copyOf(b, Math.min(b.length, at[r.nextInt(at.length)]));
            }
            case 11: { // two values of the same depth swapped (a key where a value was, and so on)
                List<MarshalSpans.Span> same = new ArrayList<>();
                for (MarshalSpans.Span o : spans) if (o.depth == s.depth && (o.end <= s.start || o.start >= s.end)) same.add(o);
                if (same.isEmpty()) return byteEdit(b, r);
                MarshalSpans.Span o = same.get(r.nextInt(same.size()));
                MarshalSpans.Span first = o.start < s.start ? o : s, second = o.start < s.start ? s : o;
                ByteArrayOutputStream c = new ByteArrayOutputStream();
                c.write(b, 0, first.start);
                c.write(b, second.start, second.end - second.start);
                c.write(b, first.end, second.start - first.end);
                c.write(b, first.start, first.end - first.start);
                c.write(b, second.end, b.length - second.end);
                return c.toByteArray();
            }
            default: { // something after the value: trailing bytes, a second value
                byte[] tail = new byte[1 + r.nextInt(16)];
                r.nextBytes(tail);
                return splice(b, b.length, 0, r.nextBoolean() ? tail : Arrays.copyOfRange(b, s.start, Math.min(s.end, s.start + 4096)));
            }
        }
    }

    /** An edit that keeps the marshal data well formed, or null when the chosen value allows none. */
    private byte[] gentle(byte[] b, Random r) {
        int seed = indexOfSeed(b);
        List<MarshalSpans.Span> spans = seed >= 0 ? seedSpans.get(seed) : MarshalSpans.index(b);
        if (spans.isEmpty()) return null;
        MarshalSpans.Span s = spans.get(r.nextInt(spans.size()));
        int t = s.type();
        if (t == 'i' && s.payloadAt >= 0) {
            byte[] c = b.clone();
            putI32(c, s.payloadAt, INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)]);
            return c;
        }
        if (t == 'g' && s.payloadAt >= 0) {
            byte[] c = b.clone();
            long v = INTERESTING_DOUBLES[r.nextInt(INTERESTING_DOUBLES.length)];
            for (int i = 0; i < 8; i++) c[s.payloadAt + i] = (byte) (v >>> (8 * i));
            return c;
        }
        if ("uaAt".indexOf(t) >= 0 && s.payloadAt >= 0) {
            byte[] text = TEXTS[r.nextInt(TEXTS.length)];
            if (t != 'u' && t != 't') text = "a".repeat(r.nextInt(3) == 0 ? 3000 : r.nextInt(40)).getBytes(StandardCharsets.US_ASCII);
            byte[] c = splice(b, s.payloadAt, s.end - s.payloadAt, text);
            putI32(c, s.sizeAt, text.length);
            return c;
        }
        // A value of the same type from any seed: another key, another callers dict, another count.
        int d = r.nextInt(seeds.size());
        for (MarshalSpans.Span g : seedSpans.get(d)) {
            if (g.code == s.code && r.nextInt(4) == 0 && g.end - g.start < 20_000
                    && (!s.container || s.sizeWidth == 0 || sizeOf(seeds.get(d), g) == sizeOf(b, s))) {
                return splice(b, s.start, s.end - s.start, Arrays.copyOfRange(seeds.get(d), g.start, g.end));
            }
        }
        return null;
    }

    private static long sizeOf(byte[] b, MarshalSpans.Span s) {
        return s.sizeWidth == 1 ? b[s.sizeAt] & 0xff : i32(b, s.sizeAt);
    }

    private int indexOfSeed(byte[] b) {
        for (int i = 0; i < seeds.size(); i++) if (seeds.get(i) == b) return i;
        return -1;
    }

    /** A reference index worth trying for a value that took {@code s.refsBefore} slots before it. */
    private static int pickRef(MarshalSpans.Span s, Random r) {
        int n = s.refsBefore;
        int[] choices = {0, n - 1, n, n + 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, n > 0 ? r.nextInt(n) : 0,
            s.slot >= 0 ? s.slot : n};
        return choices[r.nextInt(choices.length)];
    }

    private static final int[] INTERESTING_BYTES = {0, 1, 3, 4, 5, 0x7f, 0x80, 0xff, '0', 'r', 'R', '(', ')', '[', '{',
        '<', '>', 'c', 's', 't', 'u', 'z', 'l', 'i', 'g', 'f', 0xa9, 0xe9, 0xfa, 0xfb, 0xe3};

    /** Edits that know nothing of marshal: a byte set, a 32-bit field set, bytes inserted, removed or repeated. */
    static byte[] byteEdit(byte[] original, Random r) {
        byte[] b = original;
        if (b.length < 8) return randomBytes(r);
        int at = r.nextInt(b.length);
        switch (r.nextInt(6)) {
            case 0:
                b = b.clone();
                b[at] = (byte) r.nextInt(256);
                return b;
            case 1:
                b = b.clone();
                b[at] = (byte) INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
                return b;
            case 2: {
                b = b.clone();
                int v = INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
                for (int k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (byte) (v >> (8 * k));
                return b;
            }
            case 3: {
                byte[] ins = new byte[1 + r.nextInt(8)];
                r.nextBytes(ins);
                return splice(b, at, 0, ins);
            }
            case 4:
                return splice(b, at, Math.min(1 + r.nextInt(16), b.length - at), new byte[0]);
            default: {
                int len = Math.min(1 + r.nextInt(64), b.length - at);
                return splice(b, at, 0, Arrays.copyOfRange(b, at, at + len));
            }
        }
    }

    /** Random bytes, half of them starting as a profile does so that the reader gets past the first byte. */
    static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(600)];
        r.nextBytes(b);
        if (b.length > 0 && r.nextBoolean()) b[0] = (byte) (r.nextBoolean() ? '{' : 0xfb);
        return b;
    }

    private static int i32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void putI32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    // ------------------------------------------------------------------ browser commands

    private static final String[] COMMANDS = {"stats", "callers", "callees", "sort", "read", "add", "strip", "reverse",
        "help", "quit", "EOF", "?", "!", "sta", "STATS", "stats2", "", "  ", "callees_", "h", "tree", "diff"};

    /** A browser session: usually a profile read first, then up to 20 commands. */
    List<String> script(Random r) {
        List<String> lines = new ArrayList<>();
        if (r.nextInt(4) != 0) lines.add("read " + files.get(r.nextInt(files.size())));
        int n = 1 + r.nextInt(20);
        for (int i = 0; i < n; i++) lines.add(command(r));
        return lines;
    }

    String command(Random r) {
        switch (r.nextInt(10)) {
            case 0:
                return scriptLines.get(r.nextInt(scriptLines.size()));
            case 1:
                return editText(scriptLines.get(r.nextInt(scriptLines.size())), r);
            case 2:
                return randomText(r, 1 + r.nextInt(r.nextInt(10) == 0 ? 10_000 : 40));
            default:
                break;
        }
        String cmd = COMMANDS[r.nextInt(COMMANDS.length)];
        StringBuilder line = new StringBuilder(cmd);
        String base = cmd.toLowerCase(java.util.Locale.ROOT);
        int args = r.nextInt(5);
        for (int i = 0; i < args; i++) {
            line.append(r.nextInt(8) == 0 ? "\t" : " ");
            if (base.startsWith("sort")) line.append(sortKey(r));
            else if (base.equals("read") || base.equals("add") || base.equals("diff")) line.append(fileName(r));
            else if (base.equals("help") || base.equals("?")) line.append(COMMANDS[r.nextInt(COMMANDS.length)]);
            else line.append(restriction(r));
        }
        if (r.nextInt(20) == 0) line.append('\r');
        return line.toString();
    }

    private String sortKey(Random r) {
        List<String> words = new java.util.ArrayList<>(SortKeys.DEFAULTS.keySet()); // in sorted order
        String k = words.get(r.nextInt(words.size()));
        switch (r.nextInt(5)) {
            case 0: return k.substring(0, 1 + r.nextInt(k.length()));
            case 1: return k.toUpperCase(java.util.Locale.ROOT);
            case 2: return new String[] {"-1", "0", "1", "2", "3", "x", "", "time time"}[r.nextInt(8)];
            default: return k;
        }
    }

    private String fileName(Random r) {
        switch (r.nextInt(8)) {
            case 0: return "no/such/file.prof";
            case 1: return "a".repeat(300) + ".prof"; // longer than a file name may be
            case 2: return "with\u0000nul.prof";
            case 3: return randomText(r, 1 + r.nextInt(20));
            default: return files.get(r.nextInt(files.size()));
        }
    }

    private static final String[] NUMBERS = {"0", "1", "5", "-1", "-0", "100000000000000000000", "9".repeat(5000),
        "9".repeat(4301), "1_000", "0x10", "0b1", "0o7", "007", "\u0663", "\uff15", "0.5", "1.0", "1.5", "-0.1", ".5",
        "5.", "1e-400", "1e400", "1e3", "nan", "-inf", "inf", "infinity", "NaN", "1_0.0_1", "0.99999999999999999",
        "+3", "1__0", "_1", "1e", "0.0"};

    private String restriction(Random r) {
        if (r.nextInt(3) == 0) return NUMBERS[r.nextInt(NUMBERS.length)];
        return regex(r, 0, false);
    }

    private static final String[] ATOMS = {"a", "b", "e", "fib", "main", ".", "\\.", "_", ":", "\\(", "\\)", "\\d", "\\w",
        "\\s", "\\b", "\\B", "\\A", "\\Z", "[a-z]", "[^0-9]", "[\\w.]", "^", "$", "(?i)", "(?s)", "(?m)", "(?x) a",
        "(?a)", "(?u)", "(?L)", "\\1", "(?P=n)", "\\u0041", "\\U0001d4b3", "\\x41", "\\N{LATIN SMALL LETTER A}", "\u00e9",
        "{", "}", "<", ">", "~", "'", "\\", "(", ")", "[", "]", "*", "+", "?", "|", "(?<", "(?P<1>a)", "[z-a]", "x{3,1}",
        "x{99999999999}", "(?#comment)", "(?=a)", "(?!a)", "(?<=ab)", "(?<!a)", "(?(1)a|b)", "\\Q", "\\p{L}", "[[:alpha:]]",
        "\\g<1>", "(?>a)", "a++", "\\0", "\\400", "[\\d-z]", "(?-i:a)", "(?i-i:a)", "\\z"};

    /**
     * A Python regular expression, valid or not. Repetition is never nested (a group under a quantifier holds no
     * quantifier of its own): nested repetition takes exponential time in pstats's re as in java.util.regex, which
     * is no fault of the browser.
     */
    private String regex(Random r, int depth, boolean underRepeat) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String atom;
            int pick = r.nextInt(10);
            if (pick == 0 && depth < 4) {
                boolean repeat = !underRepeat && r.nextBoolean();
                String[] opens = {"(", "(?:", "(?P<n>", "(?P<n" + depth + ">", "(?="};
                atom = opens[r.nextInt(opens.length)] + regex(r, depth + 1, underRepeat || repeat) + ")";
                if (repeat) atom += quantifier(r);
            } else if (pick == 1 && depth < 4) {
                atom = regex(r, depth + 1, underRepeat) + "|" + regex(r, depth + 1, underRepeat);
            } else if (pick == 2 && r.nextInt(50) == 0) {
                int deep = new int[] {100, 1000, 5000}[r.nextInt(3)];
                atom = "(".repeat(deep) + "a" + ")".repeat(r.nextInt(10) == 0 ? deep - 1 : deep);
            } else {
                atom = ATOMS[r.nextInt(ATOMS.length)];
                if (!underRepeat && r.nextInt(3) == 0) atom += quantifier(r);
            }
            b.append(atom);
        }
        return b.toString();
    }

    private static String quantifier(Random r) {
        return new String[] {"*", "+", "?", "{2}", "{1,3}", "*?", "+?", "{,2}", "{0}"}[r.nextInt(9)];
    }

    private static String editText(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
            switch (r.nextInt(3)) {
                case 0: b.insert(at, randomText(r, 1 + r.nextInt(3))); break;
                case 1: if (at < b.length()) b.deleteCharAt(at); break;
                default: if (at < b.length()) b.insert(at, b.substring(at, Math.min(b.length(), at + 1 + r.nextInt(10))));
            }
        }
        return b.toString();
    }

    private static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            int c;
            if (kind < 6) c = 0x20 + r.nextInt(0x5f);
            else if (kind < 7) c = r.nextInt(0x20);
            else if (kind < 8) c = 0xa0 + r.nextInt(0x2000);
            else if (kind < 9) c = 0xd800 + r.nextInt(0x800); // lone surrogates
            else c = 0x10000 + r.nextInt(0x10000);
            if (c == '\n') c = ' ';
            b.appendCodePoint(c);
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ the long run

    /** Replays what {@link #FOUND} holds: {@code .prof} files as profiles, {@code .txt} files as browser scripts. */
    int replayFound() throws IOException {
        int n = 0;
        try (Stream<Path> s = Files.list(FOUND)) {
            for (Path p : s.sorted().collect(Collectors.toList())) {
                String name = p.getFileName().toString();
                if (name.endsWith(".prof")) {
                    byte[] bytes = Files.readAllBytes(p);
                    onWorker(() -> runProfile(bytes), name, bytes, false);
                    n++;
                } else if (name.endsWith(".txt")) {
                    String text = Files.readString(p, StandardCharsets.UTF_8).replace("{seeds}", SEEDS.toString());
                    List<String> lines = Arrays.asList(text.split("\n", -1));
                    onWorker(() -> runScript(lines), name, text.getBytes(StandardCharsets.UTF_8), true);
                    n++;
                }
            }
        }
        return n;
    }

    /** Saves a failing input under target/fuzz-found, named by its digest; returns the path. */
    static Path save(Failure f) {
        try {
            Path dir = Files.createDirectories(Paths.get("target", "fuzz-found"));
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(f.input)).substring(0, 16);
            return Files.write(dir.resolve(digest + (f.script ? ".txt" : ".prof")), f.input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Fuzzer [--seconds N] [--seed S]}: runs until the time is up or an input fails. */
    public static void main(String[] args) throws Exception {
        long seconds = 60, seed = System.nanoTime() & 0xffffffffL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds": seconds = Long.parseLong(args[++i]); break;
                case "--seed": seed = Long.parseLong(args[++i]); break;
                default:
                    System.err.println("usage: Fuzzer [--seconds N] [--seed S]");
                    System.exit(2);
            }
        }
        Path work = Files.createTempDirectory("jcprofile-fuzz-");
        Fuzzer f = new Fuzzer(work);
        long start = System.nanoTime(), deadline = start + seconds * 1_000_000_000L, next = start + 10_000_000_000L;
        long index = 0;
        int status = 0;
        try {
            int replayed = f.replayFound();
            System.out.println("fuzz: seed " + seed + "; " + replayed + " earlier findings replayed");
            for (; System.nanoTime() < deadline; index++) {
                f.runInput(seed, index);
                if (System.nanoTime() > next) {
                    next += 10_000_000_000L;
                    System.out.println("fuzz: " + f.summary(index + 1, start));
                }
            }
        } catch (Failure e) {
            status = 1;
            System.out.println("fuzz: FAILED at " + e.getMessage());
            e.getCause().printStackTrace(System.out);
            System.out.println("fuzz: input saved to " + save(e) + " (replay: --seed " + seed + ", input " + index + ")");
        } finally {
            f.close();
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(p);
            }
        }
        System.out.println("fuzz: " + f.summary(index, start) + (status == 0 ? "; no failure" : ""));
        System.exit(status);
    }

    String summary(long inputs, long start) {
        return String.format("%d inputs in %.0f s: %d profiles (%d read, %d rejected), %d browser scripts of %d commands",
                inputs, (System.nanoTime() - start) / 1e9, profiles, read, rejected, scripts, commands);
    }
}
