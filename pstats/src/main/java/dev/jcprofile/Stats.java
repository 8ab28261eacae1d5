package dev.jcprofile;

import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;
import dev.jcprofile.format.ProfileOps;
import dev.jcprofile.cpython.PyFormat;
import dev.jcprofile.cpython.PyOut;
import dev.jcprofile.cpython.PyText;
import dev.jcprofile.cpython.PyRegex;
import dev.jcprofile.cpython.PySort;
import dev.jcprofile.cpython.SortKeys;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Java rendering of Python's {@code pstats.Stats}: load profiles, add them together, sort, strip directories and
 * print the reports, byte for byte as CPython 3.11's pstats prints them.
 *
 * <pre>{@code
 * new Stats("profile").stripDirs().sortStats("cumulative").printStats(10).printCallers("forward");
 * }</pre>
 *
 * Restrictions given to the print methods are, as in pstats, applied in order: an integer keeps that many rows, a
 * fraction in [0, 1) keeps that share, a string keeps rows whose {@code file:line(name)} matches the Python
 * regular expression.
 */
public final class Stats {

    private PrintStream stream;
    private final List<String> files = new ArrayList<>();
    private ProfileData data = new ProfileData();
    private double totalTt;
    private long totalCalls, primCalls;
    // The totals exactly when they leave a long (Python's ints do not overflow); null while they fit.
    private BigInteger bigTotalCalls, bigPrimCalls;
    private int maxNameLen;
    private final Set<FunctionKey> topLevel = new LinkedHashSet<>();
    private int[] fcnList; // null: pstats's "random listing order" (dict order)
    private String sortType = "";
    // Callees by caller key id, built on demand over calleeData. As pstats's all_callees, the index is kept when
    // profiles are added (only strip_dirs drops it), so callees then show the functions as they were before.
    private ProfileData calleeData;
    private int[] calleeStart, calleeEdge, calleeEntry;

    /** Loads the first file and adds the others, as {@code pstats.Stats(*files)}. No file: empty statistics. */
    public Stats(String... files) throws ProfileException {
        if (files.length > 0) {
            load(files[0]);
            add(Arrays.copyOfRange(files, 1, files.length));
        }
    }

    /** Statistics of what a profile recorded (the agent's {@code Profile}), as {@code pstats.Stats(profile)}. */
    public Stats(StatsSource profile) {
        this(profile.createStats());
    }

    /** Statistics over a profile already in memory, labelled with no file. */
    public Stats(ProfileData data) {
        init(data);
    }

    private void load(String file) throws ProfileException {
        // The usual case through java.io, whose start-up cost is a fraction of java.nio.file's (about 3 ms, a
        // tenth of a small session): a name in ASCII (so that no encoding question arises) read without any
        // trouble. Anything else, a failure included, takes the java.nio.file path below, whose messages stay.
        if (isAscii(file)) {
            File f = new File(file);
            byte[] bytes = ProfileFiles.readOrNull(f);
            long mtime = bytes != null ? f.lastModified() : 0;
            if (mtime != 0) { // 0: unknown (or the epoch itself), which java.nio.file tells apart
                init(ProfileFiles.parse(bytes, file));
                files.add(ctime(mtime) + "    " + file);
                return;
            }
        }
        Path path;
        try {
            path = Paths.get(file);
        } catch (InvalidPathException e) {
            if (file.indexOf('\0') >= 0) throw new ProfileException(file, "embedded null byte"); // Python's ValueError
            // A name the JVM cannot encode (non-ASCII under a C locale, say): a message, not a stack trace.
            throw new ProfileException(file, "cannot be opened: the name is not valid in this system's file name"
                    + " encoding (" + System.getProperty("sun.jnu.encoding") + "); a UTF-8 locale such as C.UTF-8 helps");
        }
        ProfileData loaded = ProfileFiles.read(path, file);
        init(loaded);
        try {
            files.add(ctime(Files.getLastModifiedTime(path).toMillis()) + "    " + file);
        } catch (IOException e) {
            files.add(file); // pstats: "in case this is not unix"
        }
    }

    /** True when {@code r = a + b} overflowed a long. */
    private static boolean overflows(long a, long b, long r) {
        return ((a ^ r) & (b ^ r)) < 0;
    }

    private void addToTotals(Number calls, Number primitive) {
        Number t = ProfileData.add(exactTotalCalls(), calls), p = ProfileData.add(exactPrimitiveCalls(), primitive);
        totalCalls = ProfileData.saturated(t);
        bigTotalCalls = t instanceof BigInteger ? (BigInteger) t : null;
        primCalls = ProfileData.saturated(p);
        bigPrimCalls = p instanceof BigInteger ? (BigInteger) p : null;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7f) return false;
        }
        return !s.isEmpty();
    }

    private void init(ProfileData loaded) {
        data = loaded;
        // get_top_level_stats: sums in dict order, as Python adds them.
        boolean big = data.hasBigCounts();
        for (int e = 0; e < data.size(); e++) {
            long nc = data.calls(e), cc = data.primitiveCalls(e), t = totalCalls + nc, p = primCalls + cc;
            if (big || bigTotalCalls != null || bigPrimCalls != null || overflows(totalCalls, nc, t)
                    || overflows(primCalls, cc, p)) {
                addToTotals(data.exactCalls(e), data.exactPrimitiveCalls(e));
            } else {
                totalCalls = t;
                primCalls = p;
            }
            totalTt += data.ownTime(e);
            int len = data.key(e).stdLength();
            if (len > maxNameLen) maxNameLen = len;
        }
        // pstats's top level: the functions called by ("jprofile", 0, "profiler"). Looked for by key id, so a
        // profile without that key (all of them, in practice) costs nothing here.
        int profiler = data.find(new FunctionKey("jprofile", 0, "profiler"));
        if (profiler >= 0) {
            for (int e = 0; e < data.size(); e++) {
                for (int i = data.callersStart(e); i < data.callersEnd(e); i++) {
                    if (data.edgeKey(i) == profiler) topLevel.add(data.key(e));
                }
            }
        }
    }

    private static final String[] DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    /**
     * Python's {@code time.ctime(t)}: local time as {@code "%a %b %e %H:%M:%S %Y"}, seconds floored. Done by hand:
     * java.time's formatter costs tens of milliseconds at start-up, more than the rest of a small report.
     */
    static String ctime(long epochMillis) {
        long secs = Math.floorDiv(epochMillis, 1000);
        // TimeZone is quick to load and exact since 1900; before, only java.time knows local mean time.
        long offset = secs >= -2208988800L ? java.util.TimeZone.getDefault().getOffset(secs * 1000) / 1000
                : java.time.ZoneId.systemDefault().getRules().getOffset(java.time.Instant.ofEpochSecond(secs)).getTotalSeconds();
        long local = secs + offset;
        long days = Math.floorDiv(local, 86400);
        int second = (int) Math.floorMod(local, 86400);
        // Civil date from days since 1970-01-01 (proleptic Gregorian, as C's localtime).
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(24).append(DAYS[(int) Math.floorMod(days + 4, 7)]).append(' ')
                .append(MONTHS[month - 1]).append(day < 10 ? "  " : " ").append(day).append(' ');
        twoDigits(b, second / 3600).append(':');
        twoDigits(b, second / 60 % 60).append(':');
        twoDigits(b, second % 60).append(' ');
        return b.append(year).toString();
    }

    private static StringBuilder twoDigits(StringBuilder b, int n) {
        return b.append(n < 10 ? "0" : "").append(n);
    }

    /** Where the reports go; System.out by default. */
    public Stats stream(OutputStream out) {
        this.stream = out instanceof PrintStream ? (PrintStream) out : new PyOut(out);
        return this;
    }

    private PrintStream out() {
        // System.out as it is when first needed (pstats takes sys.stdout), so that what a test runner or a
        // System.setOut captures gets the reports; UTF-8 on top of it, as pstats writes them, lone surrogates in
        // names as python3's sys.stdout writes them.
        if (stream == null) stream = new PyOut(System.out);
        return stream;
    }

    /** The profile these statistics show, as it now stands (after any add or strip). */
    public ProfileData data() { return data; }

    /** The file header lines ({@code "ctime    path"}) of the files loaded so far. */
    public List<String> files() { return Collections.unmodifiableList(files); }

    public double totalTime() { return totalTt; }
    /** The total of the call counts; beyond a long (see {@link #exactTotalCalls()}), Long.MAX_VALUE or MIN_VALUE. */
    public long totalCalls() { return totalCalls; }
    /** The total of the primitive call counts; beyond a long, see {@link #exactPrimitiveCalls()}. */
    public long primitiveCalls() { return primCalls; }
    /** The total of the call counts exactly: a Long, or a BigInteger beyond a long, as Python's int. */
    public Number exactTotalCalls() { return bigTotalCalls != null ? bigTotalCalls : (Number) totalCalls; }
    /** The total of the primitive call counts exactly: a Long, or a BigInteger beyond a long. */
    public Number exactPrimitiveCalls() { return bigPrimCalls != null ? bigPrimCalls : (Number) primCalls; }

    // ------------------------------------------------------------------ combining

    /** Adds the profiles in these files, as {@code Stats.add(*files)}. Nothing changes if any fails to load. */
    public Stats add(String... paths) throws ProfileException {
        Stats[] loaded = new Stats[paths.length];
        for (int i = 0; i < paths.length; i++) loaded[i] = new Stats(paths[i]);
        return add(loaded);
    }

    /** Adds other statistics, as {@code Stats.add(*stats)}: merged last argument first, as pstats does. */
    public Stats add(Stats... others) {
        for (int i = others.length - 1; i >= 0; i--) {
            Stats item = others[i];
            files.addAll(item.files);
            long t = totalCalls + item.totalCalls, p = primCalls + item.primCalls;
            if (bigTotalCalls != null || bigPrimCalls != null || item.bigTotalCalls != null || item.bigPrimCalls != null
                    || overflows(totalCalls, item.totalCalls, t) || overflows(primCalls, item.primCalls, p)) {
                addToTotals(item.exactTotalCalls(), item.exactPrimitiveCalls());
            } else {
                totalCalls = t;
                primCalls = p;
            }
            totalTt += item.totalTt;
            topLevel.addAll(item.topLevel);
            if (maxNameLen < item.maxNameLen) maxNameLen = item.maxNameLen;
            fcnList = null;
            data = ProfileOps.add(data, item.data);
        }
        return this;
    }

    /** Writes the profile as a pstats file (atomically: no reader sees half a file). */
    public Stats dumpStats(Path file) throws ProfileException {
        ProfileFiles.write(data, file, file.toString());
        return this;
    }

    public Stats dumpStats(String file) throws ProfileException {
        return dumpStats(Paths.get(file));
    }

    // ------------------------------------------------------------------ ordering

    /**
     * Sorts by the named keys (pstats's names or unique prefixes: calls, cumulative, cumtime, file, filename,
     * line, module, name, ncalls, nfl, pcalls, stdname, time, tottime); ties keep file order. No key: dict order.
     */
    public Stats sortStats(String... keys) {
        if (keys.length == 0) {
            fcnList = null;
            return this;
        }
        List<SortKeys.Key> chosen = new ArrayList<>();
        StringBuilder type = new StringBuilder();
        for (String word : keys) {
            SortKeys.Key k = SortKeys.lookup(word);
            if (k == null) throw new IllegalArgumentException("unknown sort key " + PyText.repr(word));
            chosen.add(k);
            if (type.length() > 0) type.append(", ");
            type.append(k.description);
        }
        int fields = 0;
        for (SortKeys.Key k : chosen) fields += k.fields.length;
        int[] field = new int[fields], direction = new int[fields];
        int f = 0;
        for (SortKeys.Key k : chosen) {
            for (int j = 0; j < k.fields.length; j++, f++) {
                field[f] = k.fields[j];
                direction[f] = k.directions[j];
            }
        }
        sortType = type.toString();
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        // list.sort's own algorithm: a NaN time makes the order inconsistent, where any other sort differs.
        PySort.sort(order, new TupleLess(data, field, direction));
        fcnList = order;
        return this;
    }

    /** pstats's legacy numbers: -1 stdname, 0 calls, 1 time, 2 cumulative. */
    public Stats sortStats(int legacyKey) {
        return sortStats(SortKeys.legacy(legacyKey));
    }

    /** pstats's TupleComp over the chosen fields, as the "less than" that list.sort asks. */
    private static final class TupleLess implements PySort.Less {
        private final ProfileData d;
        private final int[] field, direction;

        TupleLess(ProfileData d, int[] field, int[] direction) {
            this.d = d;
            this.field = field;
            this.direction = direction;
        }

        @Override
        public boolean lt(int a, int b) {
            for (int i = 0; i < field.length; i++) {
                int c = compareField(d, field[i], a, b);
                if (c != 0) return c * direction[i] < 0;
            }
            return false;
        }
    }

    private static int compareField(ProfileData d, int field, int a, int b) {
        switch (field) {
            case SortKeys.PCALLS: {
                long x = d.primitiveCalls(a);
                int c = Long.compare(x, d.primitiveCalls(b));
                // Equal longs at an extreme may stand for different counts beyond a long.
                if (c == 0 && (x == Long.MAX_VALUE || x == Long.MIN_VALUE) && d.hasBigCounts()) {
                    c = ProfileData.big(d.exactPrimitiveCalls(a)).compareTo(ProfileData.big(d.exactPrimitiveCalls(b)));
                }
                return c;
            }
            case SortKeys.CALLS: {
                long x = d.calls(a);
                int c = Long.compare(x, d.calls(b));
                if (c == 0 && (x == Long.MAX_VALUE || x == Long.MIN_VALUE) && d.hasBigCounts()) {
                    c = ProfileData.big(d.exactCalls(a)).compareTo(ProfileData.big(d.exactCalls(b)));
                }
                return c;
            }
            case SortKeys.TIME: return compareNumbers(d.ownTime(a), d.ownTime(b));
            case SortKeys.CUMULATIVE: return compareNumbers(d.cumulativeTime(a), d.cumulativeTime(b));
            case SortKeys.FILE: return PyText.compare(d.key(a).file(), d.key(b).file());
            case SortKeys.LINE: return d.key(a).compareLines(d.key(b));
            case SortKeys.NAME: return PyText.compare(d.key(a).name(), d.key(b).name());
            case SortKeys.STDNAME: return PyText.compare(d.key(a).stdString(), d.key(b).stdString());
            default: throw new IllegalStateException("sort field " + field);
        }
    }

    /** TupleComp's {@code l < r}, {@code l > r}: a NaN equals everything, as in Python. */
    private static int compareNumbers(double l, double r) {
        return l < r ? -1 : l > r ? 1 : 0;
    }

    public Stats reverseOrder() {
        if (fcnList != null) {
            for (int i = 0, j = fcnList.length - 1; i < j; i++, j--) {
                int t = fcnList[i];
                fcnList[i] = fcnList[j];
                fcnList[j] = t;
            }
        }
        return this;
    }

    /** Strips directories from file names; functions whose names then collide are added together. */
    public Stats stripDirs() {
        data = ProfileOps.stripDirs(data);
        int max = 0;
        for (int e = 0; e < data.size(); e++) max = Math.max(max, data.key(e).stdLength());
        maxNameLen = max;
        Set<FunctionKey> stripped = new LinkedHashSet<>();
        for (FunctionKey k : topLevel) stripped.add(k.stripPath());
        topLevel.clear();
        topLevel.addAll(stripped);
        fcnList = null;
        calleeData = null;
        return this;
    }

    // ------------------------------------------------------------------ typed views

    /** The functions in the current order (sorted, or file order), with their exact figures. */
    public List<FunctionStats> rows() {
        int[] order = currentOrder();
        List<FunctionStats> rows = new ArrayList<>(order.length);
        for (int e : order) {
            rows.add(new FunctionStats(data.key(e), data.figures(e)));
        }
        return rows;
    }

    /** pstats's {@code get_stats_profile}. */
    public StatsProfile statsProfile() {
        int[] order = currentOrder();
        Map<String, FunctionProfile> profiles = new LinkedHashMap<>();
        if (order.length == 0) return new StatsProfile(0, profiles);
        for (int e : order) {
            Number cc = data.exactPrimitiveCalls(e), nc = data.exactCalls(e);
            double tt = data.ownTime(e), ct = data.cumulativeTime(e);
            FunctionKey k = data.key(e);
            profiles.put(k.name(), new FunctionProfile(countText(nc, cc), rounded(tt),
                    isZero(nc) ? -1 : rounded(tt / nc.doubleValue()), rounded(ct),
                    isZero(cc) ? -1 : rounded(ct / cc.doubleValue()), k.file(), k.line()));
        }
        return new StatsProfile(rounded(totalTt), profiles);
    }

    /** pstats's {@code str(nc)}, or {@code nc/cc} when they differ; each a Long or, beyond a long, a BigInteger. */
    private static String countText(Number nc, Number cc) {
        return nc.equals(cc) ? nc.toString() : nc + "/" + cc;
    }

    private static boolean isZero(Number n) {
        return n instanceof Long && n.longValue() == 0;
    }

    private static double rounded(double x) {
        return Double.parseDouble(PyFormat.fixed3(x));
    }

    private int[] currentOrder() {
        if (fcnList != null) return fcnList.clone();
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        return order;
    }

    // ------------------------------------------------------------------ reports

    public Stats printStats(Object... restrictions) {
        PrintStream o = out();
        StringBuilder b = new StringBuilder();
        for (String f : files) b.append(f).append('\n');
        if (!files.isEmpty()) b.append('\n');
        for (FunctionKey k : topLevel) b.append("         ").append(k.name()).append('\n');
        Number total = exactTotalCalls(), primitive = exactPrimitiveCalls();
        b.append("         ").append(total).append(" function calls ");
        if (!total.equals(primitive)) b.append('(').append(primitive).append(" primitive calls) ");
        b.append("in ").append(PyFormat.fixed3(totalTt)).append(" seconds\n\n");
        o.print(b);
        PrintList list = printList(restrictions);
        if (list.rows.length > 0) {
            b.setLength(0);
            b.append("   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n");
            for (int e : list.rows) {
                line(b, e);
                if (b.length() > 1 << 16) {
                    o.print(b);
                    b.setLength(0);
                }
            }
            b.append("\n\n");
            o.print(b);
        }
        o.flush();
        return this;
    }

    /** A report line's numbers, built from the right. */
    private final byte[] lineBytes = new byte[128];

    private void line(StringBuilder b, int e) {
        long cc = data.primitiveCalls(e), nc = data.calls(e);
        double tt = data.ownTime(e), ct = data.cumulativeTime(e);
        // The numbers as ASCII bytes, then one append for them all: a report of a few hundred lines is printed
        // while the code still runs interpreted, where each append is a handful of calls. Anything unusual (a
        // negative count, a time fixed3 must decide exactly) takes the general way below.
        if ((nc == Long.MAX_VALUE || nc == Long.MIN_VALUE || cc == Long.MAX_VALUE || cc == Long.MIN_VALUE)
                && data.hasBigCounts()) {
            bigLine(b, e);
            return;
        }
        byte[] num = lineBytes;
        int end = num.length, p = end;
        num[--p] = ' ';
        p = cc == 0 ? spaces8(num, p) : PyFormat.putF8(num, p, ct / cc);
        if (p > 0) {
            num[--p] = ' ';
            p = PyFormat.putF8(num, p, ct);
        }
        if (p > 0) {
            num[--p] = ' ';
            p = nc == 0 ? spaces8(num, p) : PyFormat.putF8(num, p, tt / nc);
        }
        if (p > 0) {
            num[--p] = ' ';
            p = PyFormat.putF8(num, p, tt);
        }
        if (p > 0 && nc >= 0 && cc >= 0) {
            num[--p] = ' ';
            int countEnd = p;
            p = putDigits(num, p, nc != cc ? cc : nc);
            if (nc != cc) {
                num[--p] = '/';
                p = putDigits(num, p, nc);
            }
            while (p > countEnd - 9) num[--p] = ' ';
            b.append(new String(num, p, end - p, StandardCharsets.ISO_8859_1)).append(data.key(e).stdString()).append('\n');
            return;
        }
        String c = nc != cc ? nc + "/" + cc : Long.toString(nc);
        b.append(PyText.rjust(c, 9)).append(' ');
        PyFormat.appendF8(b, tt).append(' ');
        (nc == 0 ? b.append("        ") : PyFormat.appendF8(b, tt / nc)).append(' ');
        PyFormat.appendF8(b, ct).append(' ');
        (cc == 0 ? b.append("        ") : PyFormat.appendF8(b, ct / cc)).append(' ');
        b.append(data.key(e).stdString()).append('\n');
    }

    /** A report line with a count beyond a long: Python's int arithmetic, {@code tt/nc} dividing by the int as a float. */
    private void bigLine(StringBuilder b, int e) {
        Number cc = data.exactPrimitiveCalls(e), nc = data.exactCalls(e);
        double tt = data.ownTime(e), ct = data.cumulativeTime(e);
        b.append(PyText.rjust(countText(nc, cc), 9)).append(' ');
        PyFormat.appendF8(b, tt).append(' ');
        (isZero(nc) ? b.append("        ") : PyFormat.appendF8(b, tt / nc.doubleValue())).append(' ');
        PyFormat.appendF8(b, ct).append(' ');
        (isZero(cc) ? b.append("        ") : PyFormat.appendF8(b, ct / cc.doubleValue())).append(' ');
        b.append(data.key(e).stdString()).append('\n');
    }

    private static int spaces8(byte[] c, int p) {
        for (int i = 0; i < 8; i++) c[--p] = ' ';
        return p;
    }

    /** Writes v (not negative) in decimal ending just before p; returns where it starts. */
    private static int putDigits(byte[] c, int p, long v) {
        do {
            c[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        return p;
    }

    public Stats printCallees(Object... restrictions) {
        PrintList list = printList(restrictions);
        if (list.rows.length > 0) {
            calcCallees();
            PrintStream o = out();
            StringBuilder b = new StringBuilder();
            callHeading(b, list.width, "called...");
            ProfileData cd = calleeData;
            for (int e : list.rows) {
                int id = cd == data ? data.keyId(e) : cd.find(data.key(e));
                int from = id < 0 ? 0 : calleeStart[id], to = id < 0 ? 0 : calleeStart[id + 1];
                Integer[] edges = new Integer[to - from];
                for (int i = from; i < to; i++) edges[i - from] = i;
                Arrays.sort(edges, new Comparator<Integer>() { // not a lambda: no bootstrap at start-up
                    @Override
                    public int compare(Integer x, Integer y) {
                        return cd.key(calleeEntry[x]).compareTo(cd.key(calleeEntry[y]));
                    }
                });
                int[] keys = new int[edges.length], edgeIdx = new int[edges.length];
                for (int i = 0; i < edges.length; i++) {
                    keys[i] = cd.keyId(calleeEntry[edges[i]]);
                    edgeIdx[i] = calleeEdge[edges[i]];
                }
                callLine(b, list.width, e, cd, keys, edgeIdx, "->");
                if (b.length() > 1 << 16) {
                    o.print(b);
                    b.setLength(0);
                }
            }
            b.append("\n\n");
            o.print(b);
            o.flush();
        }
        return this;
    }

    public Stats printCallers(Object... restrictions) {
        PrintList list = printList(restrictions);
        if (list.rows.length > 0) {
            PrintStream o = out();
            StringBuilder b = new StringBuilder();
            callHeading(b, list.width, "was called by...");
            for (int e : list.rows) {
                int from = data.callersStart(e), to = data.callersEnd(e);
                Integer[] edges = new Integer[to - from];
                for (int i = from; i < to; i++) edges[i - from] = i;
                Arrays.sort(edges, new Comparator<Integer>() { // not a lambda: no bootstrap at start-up
                    @Override
                    public int compare(Integer x, Integer y) {
                        return data.keyById(data.edgeKey(x)).compareTo(data.keyById(data.edgeKey(y)));
                    }
                });
                int[] keys = new int[edges.length], edgeIdx = new int[edges.length];
                for (int i = 0; i < edges.length; i++) {
                    keys[i] = data.edgeKey(edges[i]);
                    edgeIdx[i] = edges[i];
                }
                callLine(b, list.width, e, data, keys, edgeIdx, "<-");
                if (b.length() > 1 << 16) {
                    o.print(b);
                    b.setLength(0);
                }
            }
            b.append("\n\n");
            o.print(b);
            o.flush();
        }
        return this;
    }

    /** pstats's {@code calc_callees}, as an index from caller key id to (callee entry, edge). */
    private void calcCallees() {
        if (calleeData != null) return;
        int keys = data.keyCount();
        int[] start = new int[keys + 1];
        for (int e = 0; e < data.size(); e++) {
            for (int i = data.callersStart(e); i < data.callersEnd(e); i++) start[data.edgeKey(i) + 1]++;
        }
        for (int k = 0; k < keys; k++) start[k + 1] += start[k];
        int[] fill = Arrays.copyOf(start, keys);
        int[] edge = new int[start[keys]], entry = new int[start[keys]];
        for (int e = 0; e < data.size(); e++) {
            for (int i = data.callersStart(e); i < data.callersEnd(e); i++) {
                int slot = fill[data.edgeKey(i)]++;
                edge[slot] = i;
                entry[slot] = e;
            }
        }
        calleeStart = start;
        calleeEdge = edge;
        calleeEntry = entry;
        calleeData = data;
    }

    private void callHeading(StringBuilder b, int nameSize, String title) {
        b.append(PyText.ljust("Function ", nameSize)).append(title).append('\n');
        // The sub-header only for cProfile's callers: decided by the first function that has any.
        for (int e = 0; e < data.size(); e++) {
            if (data.callersEnd(e) > data.callersStart(e)) {
                if (!data.edgeIsCount(data.callersStart(e))) {
                    b.append(" ".repeat(nameSize)).append("    ncalls  tottime  cumtime\n");
                }
                break;
            }
        }
    }

    /** One function's calls; {@code keyIds} and {@code edges} are those of {@code src}, the profile they were read from. */
    private void callLine(StringBuilder b, int nameSize, int entry, ProfileData src, int[] keyIds, int[] edges,
                          String arrow) {
        b.append(PyText.ljust(data.key(entry).stdString(), nameSize)).append(arrow).append(' ');
        if (keyIds.length == 0) {
            b.append('\n');
            return;
        }
        for (int i = 0; i < keyIds.length; i++) {
            FunctionKey key = src.keyById(keyIds[i]);
            String name = key.stdString();
            int edge = edges[i];
            if (!src.edgeIsCount(edge)) {
                long nc = src.edgeCalls(edge), cc = src.edgePrimitiveCalls(edge);
                String sub = src.hasBigCounts() ? countText(src.exactEdgeCalls(edge), src.exactEdgePrimitiveCalls(edge))
                        : nc != cc ? nc + "/" + cc : Long.toString(nc);
                if (i > 0) b.append(" ".repeat(nameSize + 1));
                b.append(PyText.rjust(sub, i == 0 ? 7 : 9)).append(' ');
                PyFormat.appendF8(b, src.edgeOwnTime(edge)).append(' ');
                PyFormat.appendF8(b, src.edgeCumulativeTime(edge)).append("  ").append(name);
            } else {
                // The profile module's shape: the count, then that function's cumulative time as it is now.
                int other = data.entryOf(key);
                if (i > 0) b.append(" ".repeat(nameSize + 3));
                b.append(name).append('(').append(src.exactEdgeCalls(edge)).append(") ");
                PyFormat.appendF8(b, other < 0 ? 0 : data.cumulativeTime(other));
            }
            b.append('\n');
        }
    }

    /**
     * The functions that {@code printStats(restrictions)} would list, in its order, having printed what it prints
     * about the order and the restrictions (nothing when none is left): for reports of another shape over the same
     * selection, such as the browser's call trees.
     */
    public List<FunctionKey> printSelection(Object... restrictions) {
        PrintList list = printList(restrictions);
        List<FunctionKey> keys = new ArrayList<>(list.rows.length);
        for (int e : list.rows) keys.add(data.key(e));
        out().flush();
        return keys;
    }

    // ------------------------------------------------------------------ restrictions

    private static final class PrintList {
        final int width;
        final int[] rows;
        PrintList(int width, int[] rows) { this.width = width; this.rows = rows; }
    }

    /** pstats's {@code get_print_list}: applies the restrictions, prints their messages, and sizes the name column. */
    private PrintList printList(Object[] restrictions) {
        int width = maxNameLen;
        int[] list;
        StringBuilder msg = new StringBuilder();
        if (fcnList != null) {
            list = fcnList.clone();
            msg.append("   Ordered by: ").append(sortType).append('\n');
        } else {
            list = currentOrder();
            msg.append("   Random listing order was used\n");
        }
        for (Object selection : restrictions) list = restrict(selection, list, msg);
        if (list.length == 0) return new PrintList(0, list);
        out().print(msg.append('\n'));
        if (list.length < data.size()) {
            width = 0;
            for (int e : list) width = Math.max(width, data.key(e).stdLength());
        }
        return new PrintList(width + 2, list);
    }

    /** pstats's {@code eval_print_amount}. */
    private int[] restrict(Object sel, int[] list, StringBuilder msg) {
        int[] reduced = list;
        String repr;
        if (sel instanceof String) {
            String pattern = (String) sel;
            repr = PyText.repr(pattern);
            Pattern rex;
            try {
                rex = PyRegex.compile(pattern);
            } catch (PyRegex.Invalid e) {
                msg.append("   <Invalid regular expression ").append(repr).append(">\n");
                return list;
            }
            int n = 0;
            int[] kept = new int[list.length];
            for (int e : list) {
                if (PyRegex.search(rex, data.key(e).stdString())) kept[n++] = e;
            }
            reduced = Arrays.copyOf(kept, n);
        } else if (sel instanceof Double || sel instanceof Float) {
            double frac = ((Number) sel).doubleValue();
            repr = PyFormat.floatRepr(frac);
            if (0.0 <= frac && frac < 1.0) reduced = Arrays.copyOf(list, (int) (list.length * frac + .5));
        } else if (sel instanceof Integer || sel instanceof Long || sel instanceof Short || sel instanceof Byte) {
            long count = ((Number) sel).longValue();
            repr = Long.toString(count);
            if (0 <= count && count < list.length) reduced = Arrays.copyOf(list, (int) count);
        } else if (sel instanceof BigInteger) {
            repr = sel.toString(); // beyond any list's length: no reduction
        } else {
            throw new IllegalArgumentException("a restriction is an int, a float or a regular expression, not "
                    + (sel == null ? "null" : sel.getClass().getSimpleName()));
        }
        if (reduced.length != list.length) {
            msg.append("   List reduced from ").append(list.length).append(" to ").append(reduced.length)
                    .append(" due to restriction <").append(repr).append(">\n");
        }
        return reduced;
    }
}
