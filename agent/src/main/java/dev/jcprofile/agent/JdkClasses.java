package dev.jcprofile.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JDK classes that {@code --jdk} asks to instrument as the program's, as cProfile profiles Python's standard
 * library: a pattern is a class name pattern ({@code java.util.regex.*}, {@code java.util.**}, an exact name) or
 * the name of a module of the boot layer ({@code jdk.compiler}, {@code java.xml}), which stands for its packages.
 * <p>
 * Some classes are never instrumented, whatever the patterns: the ones the profiler itself runs on while the
 * program runs. A hook that called instrumented code would call itself (the thread-local lookup of every call,
 * the clock, the growth of a thread's tables), and the rest would put the profiler's own work in the program's
 * profile or change how the JVM loads classes. A pattern that would take any of them gets one line naming what is
 * left out.
 */
final class JdkClasses {
    /** Never instrumented: package prefixes ({@code a.b.}, the package and below) and exact classes, and why. */
    static final Map<String, String> NEVER = new LinkedHashMap<>();
    static {
        NEVER.put("java.lang.", "the hooks' ThreadLocal, Thread and System.nanoTime, the CPU clock (java.lang.management),"
                + " String and StringBuilder, invoke (VarHandles, lambdas), ref, reflect, class loading");
        NEVER.put("jdk.internal.", "Unsafe, the class loaders, the JVM's own support code");
        NEVER.put("sun.", "the class loaders, charsets, the JVM's interface to agents");
        NEVER.put("com.sun.management.", "the CPU clock");
        NEVER.put("java.util.concurrent.atomic.", "ThreadLocal's and Thread's counters");
        NEVER.put("java.util.concurrent.locks.", "the sampler's LockSupport; the locks the runtime's classes take");
        NEVER.put("java.util.Arrays", "the hooks grow a thread's tables with Arrays.copyOf");
        NEVER.put("java.util.Objects", "the hooks' VarHandle accesses check their receiver with it");
        NEVER.put("java.security.SecureClassLoader", "class loading");
        NEVER.put("java.net.URLClassLoader", "class loading");
    }

    /**
     * The modules whose code the profiler runs: the rules above apply to their classes only (jdk.compiler's own
     * jdk.internal and sun packages, say, are instrumented like the rest of it).
     */
    static final Set<String> PROFILER_MODULES = Set.of("java.base", "java.management", "jdk.management", "java.instrument");

    /** The JDK's packages (dotted) and their modules. */
    private final Map<String, String> moduleOfPackage = new java.util.HashMap<>();

    /** Class name patterns (module names expanded to their packages' {@code pkg.*}). */
    private final List<String> patterns = new ArrayList<>();
    private final Options options;
    /** One line per pattern that asks for a class that is never instrumented, or for no JDK class at all. */
    final List<String> warnings = new ArrayList<>();

    JdkClasses(Options options) {
        this.options = options;
        for (Module m : ModuleLayer.boot().modules()) {
            for (String pkg : m.getPackages()) moduleOfPackage.put(pkg, m.getName());
        }
        for (String p : options.jdk) {
            List<String> expanded = new ArrayList<>();
            Module module = ModuleLayer.boot().findModule(p).orElse(null);
            if (module != null && !p.contains("*")) {
                for (String pkg : new TreeSet<>(module.getPackages())) expanded.add(pkg + ".*");
            } else {
                expanded.add(p);
            }
            patterns.addAll(expanded);
            Set<String> leftOut = new TreeSet<>();
            boolean any = false;
            for (String e : expanded) {
                String prefix = literalPrefix(e);
                for (String never : NEVER.keySet()) {
                    if (!overlaps(e, prefix, never)) continue;
                    // A module named: only its packages that the rules take count.
                    if (module != null && module.getPackages().stream().noneMatch(pkg -> never(pkg + ".X"))) continue;
                    leftOut.add(never.endsWith(".") ? never + "**" : never);
                }
                for (String pkg : moduleOfPackage.keySet()) {
                    if (isJdk(pkg) && (prefix.startsWith(pkg + ".") || (pkg + ".").startsWith(prefix))) any = true;
                }
            }
            if (!any) {
                warnings.add("option jdk '" + p + "' names no class of the JDK (the program's own classes are"
                        + " instrumented without it)");
            } else if (!leftOut.isEmpty()) {
                warnings.add("option jdk '" + p + "' leaves out what the profiler runs on: " + String.join(", ", leftOut)
                        + " (see the README)");
            }
        }
    }

    boolean any() {
        return !patterns.isEmpty();
    }

    /** Whether a JDK class (internal name) is to be instrumented. */
    boolean selected(String internalName) {
        if (patterns.isEmpty()) return false;
        String name = internalName.replace('/', '.');
        if (never(name)) return false;
        for (String p : patterns) {
            if (Options.matches(p, name)) return !options.exclude.stream().anyMatch(x -> Options.matches(x, name));
        }
        return false;
    }

    /** Whether the class (dotted name) is one the profiler runs on. */
    boolean never(String name) {
        int dot = name.lastIndexOf('.');
        String module = moduleOfPackage.get(dot < 0 ? "" : name.substring(0, dot));
        if (module != null && !PROFILER_MODULES.contains(module)) return false;
        for (String n : NEVER.keySet()) {
            if (n.endsWith(".") ? name.startsWith(n) : name.equals(n) || name.startsWith(n + "$")) return true;
        }
        return false;
    }

    private static boolean isJdk(String dottedPackage) {
        return Transformer.isJdk(dottedPackage.replace('.', '/') + "/");
    }

    /** The pattern up to its first wildcard: every class it matches starts with it. */
    private static String literalPrefix(String pattern) {
        int star = pattern.indexOf('*');
        return star < 0 ? pattern : pattern.substring(0, star);
    }

    /** Whether a pattern may match a class that {@code never} (a package prefix or a class) covers. */
    private static boolean overlaps(String pattern, String prefix, String never) {
        boolean exact = !pattern.contains("*");
        // a.b.*: the classes of package a.b, none of its subpackages
        boolean onePackage = pattern.endsWith(".*") && pattern.indexOf('*') == pattern.length() - 1;
        if (never.endsWith(".")) return prefix.startsWith(never) || (!exact && !onePackage && never.startsWith(prefix));
        if (exact) return pattern.equals(never) || pattern.startsWith(never + "$");
        if (onePackage) return never.startsWith(prefix) && never.indexOf('.', prefix.length()) < 0;
        return never.startsWith(prefix);
    }
}
