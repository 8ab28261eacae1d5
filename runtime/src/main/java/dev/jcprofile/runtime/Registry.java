package dev.jcprofile.runtime;

import java.util.Arrays;
import java.util.HashMap;

/**
 * Function ids. The transformer registers every instrumented method (and every built-in a call site names) here
 * once, at class-transform time, and compiles the id into the method as a constant; the hot path only ever sees
 * the int. Names are kept for the dump. Registration is rare and synchronized; the hot path reads
 * {@link #signatures} and {@link #lambdaSignatures} only, through volatile array references.
 */
public final class Registry {
    private Registry() {}

    private static String[] files = new String[1024];
    private static int[] lines = new int[1024];
    private static String[] names = new String[1024];
    /** Per function id: an id for its method name and parameter count, shared by a built-in and its overriders. */
    static volatile int[] signatures = new int[1024];
    /**
     * Per function id: the signature of the functional interface method it implements as the body of a lambda or
     * the target of a method reference ({@code run/0} for {@code Runnable r = this::work}), or 0. Called through
     * that interface method, it is called directly, as an override is.
     */
    static volatile int[] lambdaSignatures = new int[1024];
    private static int count;
    private static final HashMap<String, Integer> builtinIds = new HashMap<>();
    private static final HashMap<String, Integer> signatureIds = new HashMap<>();
    /**
     * Ids of instrumented methods by everything that names them. The same class in another class loader, or
     * transformed again, gets the ids it had: a program that creates and drops class loaders by the thousand
     * (plugins, scripting engines, test frameworks) keeps one id per method, and the per-thread tables, which are
     * sized by the largest id a thread calls, stay small.
     */
    private static final HashMap<String, Integer> methodKeys = new HashMap<>();
    /** Instrumented methods by {@code owner.name(descriptor)}, for the lambdas that name them. */
    private static final HashMap<String, Integer> methodIds = new HashMap<>();
    /** Lambda signatures of methods not registered yet: their class is instrumented after the lambda's. */
    private static final HashMap<String, Integer> pendingLambdaSignatures = new HashMap<>();

    /**
     * Registers an instrumented method. {@code signature} is its name and parameter count, e.g. {@code run/0}: erasure
     * keeps both, so an override matches the JDK method it implements even where generics change the descriptor.
     */
    public static synchronized int method(String file, int line, String name, String signature) {
        return method(file, line, name, signature, null);
    }

    /** As {@link #method(String, int, String, String)}; {@code member} is {@code owner.name(descriptor)}. */
    public static synchronized int method(String file, int line, String name, String signature, String member) {
        String key = file + "\0" + line + "\0" + name + "\0" + signature + "\0" + member;
        Integer known = methodKeys.get(key);
        if (known != null) return known;
        int id = next();
        methodKeys.put(key, id);
        files[id] = file;
        lines[id] = line;
        names[id] = name;
        setSignature(id, signature);
        if (member != null) {
            Integer previous = methodIds.put(member, id);
            Integer pending = pendingLambdaSignatures.remove(member);
            if (pending != null) setLambdaSignature(id, pending);
            // The same method in another version of its class (another loader's, a redefinition): it implements
            // what it did.
            else if (previous != null && previous < lambdaSignatures.length && lambdaSignatures[previous] != 0) {
                setLambdaSignature(id, lambdaSignatures[previous]);
            }
        }
        return id;
    }

    /**
     * Says that {@code member} ({@code owner.name(descriptor)}) is the body of a lambda or the target of a method
     * reference implementing the functional interface method {@code signature} (e.g. {@code get/0}).
     */
    public static synchronized void lambda(String member, String signature) {
        int sig = signatureId(signature);
        Integer id = methodIds.get(member);
        if (id != null) setLambdaSignature(id, sig);
        else pendingLambdaSignatures.put(member, sig);
    }

    private static void setLambdaSignature(int id, int sig) {
        int[] s = lambdaSignatures;
        if (id >= s.length) s = Arrays.copyOf(s, Math.max(files.length, id + 1));
        s[id] = sig;
        lambdaSignatures = s; // publish after the write
    }

    /**
     * The id of a built-in, by its pstats name (e.g. {@code <built-in method java.lang.Thread.sleep>}); one id per
     * name, whichever call site asks. {@code signature} is as for {@link #method}.
     */
    public static synchronized int builtin(String name, String signature) {
        String key = name + "\0" + signature;
        Integer known = builtinIds.get(key);
        if (known != null) return known;
        int id = next();
        files[id] = "~";
        lines[id] = 0;
        names[id] = name;
        setSignature(id, signature);
        builtinIds.put(key, id);
        return id;
    }

    private static int signatureId(String signature) {
        Integer sig = signatureIds.get(signature);
        if (sig == null) {
            sig = signatureIds.size() + 1;
            signatureIds.put(signature, sig);
        }
        return sig;
    }

    private static void setSignature(int id, String signature) {
        int sig = signatureId(signature);
        int[] s = signatures;
        if (id >= s.length) s = Arrays.copyOf(s, files.length);
        s[id] = sig;
        signatures = s; // publish after the write
    }

    private static int next() {
        int id = count;
        if (id == files.length) {
            int cap = id * 2;
            files = Arrays.copyOf(files, cap);
            lines = Arrays.copyOf(lines, cap);
            names = Arrays.copyOf(names, cap);
        }
        count = id + 1;
        return id;
    }

    /** How many ids were given: HostileIT's program reads it (by reflection) to show that reloading a class adds none. */
    public static synchronized int count() { return count; }
    public static synchronized String file(int id) { return files[id]; }
    public static synchronized int line(int id) { return lines[id]; }
    public static synchronized String name(int id) { return names[id]; }
}
