package dev.jcprofile.format;

import dev.jcprofile.cpython.PyText;

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
    private final String name;
    private final boolean nameIsCode;
    private final int hash;
    private String stdString;
    private int stdLength = -1;

    public FunctionKey(String file, long line, String name) {
        this(file, line, name, false);
    }

    FunctionKey(String file, long line, String name, boolean nameIsCode) {
        this.file = file;
        this.line = line;
        this.name = name;
        this.nameIsCode = nameIsCode;
        this.hash = (file.hashCode() * 31 + Long.hashCode(line)) * 31 + name.hashCode();
    }

    public String file() { return file; }
    public long line() { return line; }
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
                s = file + ":" + line + "(" + name + ")";
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
                n = PyText.length(file) + digits(line) + PyText.length(name) + 3;
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
        return slash < 0 ? this : new FunctionKey(file.substring(slash + 1), line, name, nameIsCode);
    }

    /** Python's tuple order: file, then line, then name, strings compared by code point. */
    @Override
    public int compareTo(FunctionKey o) {
        int c = PyText.compare(file, o.file);
        if (c != 0) return c;
        c = Long.compare(line, o.line);
        if (c != 0) return c;
        return PyText.compare(name, o.name);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof FunctionKey)) return false;
        FunctionKey k = (FunctionKey) o;
        return hash == k.hash && line == k.line && file.equals(k.file) && name.equals(k.name);
    }

    @Override
    public int hashCode() { return hash; }

    @Override
    public String toString() { return "(" + PyText.repr(file) + ", " + line + ", " + PyText.repr(name) + ")"; }
}
