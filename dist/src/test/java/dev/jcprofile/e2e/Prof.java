package dev.jcprofile.e2e;

import dev.jcprofile.ProfileException;
import dev.jcprofile.format.FunctionKey;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A profile the recorder wrote, read with the project's own reader, and questions about it. */
final class Prof {
    final Path file;
    final ProfileData data;

    private Prof(Path file, ProfileData data) {
        this.file = file;
        this.data = data;
    }

    static Prof read(Path file) {
        if (!Files.isRegularFile(file)) throw new AssertionError("no profile at " + file);
        try {
            return new Prof(file, ProfileFiles.read(file, file.toString()));
        } catch (ProfileException e) {
            throw new AssertionError("unreadable profile " + file + ": " + e.getMessage(), e);
        }
    }

    /** Callers as {@link Fn#callers} gives them, from name, count, name, count... */
    static Map<String, String> callers(Object... nameAndCount) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < nameAndCount.length; i += 2) m.put((String) nameAndCount[i], (String) nameAndCount[i + 1]);
        return m;
    }

    /** pstats's name of a static JDK method: {@code <built-in method java.lang.Thread.sleep>}. */
    static String builtin(String qualifiedName) {
        return "<built-in method " + qualifiedName + ">";
    }

    /** pstats's name of an instance JDK method: {@code <method 'get' of 'java.util.HashMap' objects>}. */
    static String method(String name, String className) {
        return "<method '" + name + "' of '" + className + "' objects>";
    }

    List<Fn> functions() {
        List<Fn> all = new ArrayList<>();
        for (int e = 0; e < data.size(); e++) all.add(new Fn(e));
        return all;
    }

    List<String> names() {
        return functions().stream().map(f -> f.key.name()).sorted().collect(Collectors.toList());
    }

    boolean has(String name) {
        return functions().stream().anyMatch(f -> f.key.name().equals(name));
    }

    /** The one function of that name; fails listing what there is when there is none or more than one. */
    Fn fn(String name) {
        List<Fn> found = functions().stream().filter(f -> f.key.name().equals(name)).collect(Collectors.toList());
        if (found.size() != 1) {
            throw new AssertionError((found.isEmpty() ? "no function " : "more than one function ") + name
                    + " in " + file + "; it has:\n  " + String.join("\n  ", keys()));
        }
        return found.get(0);
    }

    /** Every function of that name (overloads on different lines share a name). */
    List<Fn> fns(String name) {
        return functions().stream().filter(f -> f.key.name().equals(name)).collect(Collectors.toList());
    }

    /** The one function whose name starts with {@code prefix}: for names a compiler numbers (lambdas). */
    Fn fnStartingWith(String prefix) {
        List<Fn> found = functions().stream().filter(f -> f.key.name().startsWith(prefix)).collect(Collectors.toList());
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " functions named " + prefix + "... in " + file + "; it has:\n  "
                    + String.join("\n  ", keys()));
        }
        return found.get(0);
    }

    List<String> keys() {
        return functions().stream().map(f -> f.key.toString()).sorted().collect(Collectors.toList());
    }

    /** pstats's way of writing a call count: {@code 12} or, with recursive calls, {@code 12/3}. */
    static String count(long nc, long cc) {
        return nc == cc ? Long.toString(nc) : nc + "/" + cc;
    }

    /**
     * What every profile must satisfy, whatever the program did: no negative count or time, own time within
     * cumulative time, primitive calls within calls, and a function's calls the sum of its calls from each caller
     * (a function with no recorded caller is a thread's first call).
     */
    void checkConsistent() {
        for (Fn f : functions()) {
            if (f.tt < 0 || f.ct < 0 || f.tt > f.ct + 1e-6 || f.cc < 0 || f.cc > f.nc) {
                throw new AssertionError("inconsistent figures in " + file + ": " + f);
            }
            if (f.callers().isEmpty()) continue;
            long fromCallers = 0;
            for (String count : f.callers().values()) fromCallers += Long.parseLong(count.split("/")[0]);
            if (fromCallers != f.nc) throw new AssertionError("calls from callers do not add up in " + file + ": " + f);
        }
    }

    final class Fn {
        final int entry;
        final FunctionKey key;
        final long nc, cc;
        final double tt, ct;

        Fn(int entry) {
            this.entry = entry;
            this.key = data.key(entry);
            this.nc = data.calls(entry);
            this.cc = data.primitiveCalls(entry);
            this.tt = data.ownTime(entry);
            this.ct = data.cumulativeTime(entry);
        }

        /** The call count as pstats prints it. */
        String calls() {
            return count(nc, cc);
        }

        /**
         * Callers by name, each with its call count as pstats prints it. Callers that share a name (constructors
         * on different lines) are told apart as {@code name@line}.
         */
        Map<String, String> callers() {
            Map<String, Integer> names = new java.util.HashMap<>();
            for (int i = data.callersStart(entry); i < data.callersEnd(entry); i++) {
                names.merge(data.keyById(data.edgeKey(i)).name(), 1, Integer::sum);
            }
            Map<String, String> callers = new TreeMap<>();
            for (int i = data.callersStart(entry); i < data.callersEnd(entry); i++) {
                FunctionKey caller = data.keyById(data.edgeKey(i));
                String label = names.get(caller.name()) > 1 ? caller.name() + "@" + caller.line() : caller.name();
                callers.put(label, count(data.edgeCalls(i), data.edgePrimitiveCalls(i)));
            }
            return callers;
        }

        /** The cumulative time of the calls from {@code caller}. */
        double cumtimeFrom(String caller) {
            for (int i = data.callersStart(entry); i < data.callersEnd(entry); i++) {
                if (data.keyById(data.edgeKey(i)).name().equals(caller)) return data.edgeCumulativeTime(i);
            }
            throw new AssertionError(key + " has no caller " + caller + "; callers: " + callers());
        }

        @Override
        public String toString() {
            return key + " " + calls() + " tt=" + tt + " ct=" + ct + " callers=" + callers();
        }
    }
}
