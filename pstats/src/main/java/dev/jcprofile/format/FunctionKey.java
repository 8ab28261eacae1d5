package dev.jcprofile.format;

import dev.jcprofile.cpython.PyText;

import java.math.BigInteger;

/**
 * A function's identity in a profile, pstats's {@code (file, line, name)} triple.
 *
 * <p>Built-ins use pstats's convention {@code ('~', 0, '<built-in method x>')}. A key whose name was a code object
 * (files written by {@code python -m profile}) keeps the object's rendering as its name and says so in
 * {@link #nameIsCode()}.
 */
public final class FunctionKey implements Comparable<FunctionKey> {
    private final String file;
    private final long line;
    /** The line number when it does not fit in a long (Python's are ints of any size), else null. */
    private final BigInteger bigLine;
    private final String name;
    private final boolean nameIsCode;
    private final int hash;
    private String stdString;
    private int stdLength = -1;

    public FunctionKey(String file, long line, String name) {
        this(file, line, name, false);
    }

    FunctionKey(String file, long line, String name, boolean nameIsCode) {
        this(file, line, null, name, nameIsCode);
    }

    /** A key whose line number is an int of any size (a Long or a BigInteger). */
    public FunctionKey(String file, Number line, String name, boolean nameIsCode) {
        this(file, ProfileData.saturated(line), line instanceof BigInteger && ((BigInteger) line).bitLength() >= 64
                ? (BigInteger) line : null, name, nameIsCode);
    }

    private FunctionKey(String file, long line, BigInteger bigLine, String name, boolean nameIsCode) {
        this.file = file;
        this.line = line;
        this.bigLine = bigLine;
        this.name = name;
        this.nameIsCode = nameIsCode;
        int lineHash = bigLine == null ? Long.hashCode(line) : bigLine.hashCode();
        this.hash = (file.hashCode() * 31 + lineHash) * 31 + name.hashCode();
    }

    public String file() { return file; }
    /** The line number; one beyond a long (see {@link #exactLine()}) reads as Long.MAX_VALUE or Long.MIN_VALUE. */
    public long line() { return line; }
    /** The line number exactly: a Long, or a BigInteger when it does not fit in a long. */
    public Number exactLine() { return bigLine != null ? bigLine : (Number) line; }
    public String name() { return name; }
    public boolean nameIsCode() { return nameIsCode; }

    /** True for pstats's built-in keys, whose file is {@code "~"} and line 0. */
    public boolean isBuiltin() {
        return line == 0 && file.equals("~");
    }

    /** pstats's {@code func_std_string}: {@code file:line(name)}, or {@code {name}} for {@code <name>} built-ins. */
    public String stdString() {
        String s = stdString;
        if (s == null) {
            if (isBuiltin()) {
                s = name.length() >= 2 && name.startsWith("<") && name.endsWith(">")
                        ? "{" + name.substring(1, name.length() - 1) + "}" : name;
            } else {
                s = file + ":" + (bigLine != null ? bigLine : (Object) line) + "(" + name + ")";
            }
            stdString = s;
        }
        return s;
    }

    /** {@code len(func_std_string(key))} in code points, without building the string. */
    public int stdLength() {
        int n = stdLength;
        if (n < 0) {
            if (isBuiltin()) {
                n = PyText.length(name); // "<x>" becomes "{x}": same length
            } else {
                n = PyText.length(file) + (bigLine != null ? bigLine.toString().length() : digits(line))
                        + PyText.length(name) + 3;
            }
            stdLength = n;
        }
        return n;
    }

    /** The length of {@code "%d" % line}. */
    private static int digits(long line) {
        if (line < 0) return line == Long.MIN_VALUE ? 20 : 1 + digits(-line);
        int n = 1;
        for (long v = line; v >= 10; v /= 10) n++;
        return n;
    }

    /** pstats's {@code func_strip_path}: the file's base name as {@code os.path.basename} gives it. */
    public FunctionKey stripPath() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? this : new FunctionKey(file.substring(slash + 1), line, bigLine, name, nameIsCode);
    }

    /** Python's tuple order: file, then line, then name, strings compared by code point. */
    @Override
    public int compareTo(FunctionKey o) {
        int c = PyText.compare(file, o.file);
        if (c != 0) return c;
        c = compareLines(o);
        if (c != 0) return c;
        return PyText.compare(name, o.name);
    }

    /** This key's line number against another's, as Python compares ints. */
    public int compareLines(FunctionKey o) {
        if (bigLine == null && o.bigLine == null) return Long.compare(line, o.line);
        return ProfileData.big(exactLine()).compareTo(ProfileData.big(o.exactLine()));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof FunctionKey)) return false;
        FunctionKey k = (FunctionKey) o;
        return hash == k.hash && line == k.line && java.util.Objects.equals(bigLine, k.bigLine) && file.equals(k.file)
                && name.equals(k.name);
    }

    @Override
    public int hashCode() { return hash; }

    @Override
    public String toString() { return "(" + PyText.repr(file) + ", " + exactLine() + ", " + PyText.repr(name) + ")"; }
}
