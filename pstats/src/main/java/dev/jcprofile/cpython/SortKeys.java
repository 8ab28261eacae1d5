package dev.jcprofile.cpython;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** pstats's sort keys ({@code sort_arg_dict_default}) and their unique prefixes ({@code get_sort_arg_defs}). */
public final class SortKeys {
    private SortKeys() {}

    /** Fields of pstats's sort tuple {@code (cc, nc, tt, ct, file, line, name, stdname)}. */
    public static final int PCALLS = 0, CALLS = 1, TIME = 2, CUMULATIVE = 3, FILE = 4, LINE = 5, NAME = 6, STDNAME = 7;

    /** One sort key: the fields it orders by (ascending when positive direction) and its description. */
    public static final class Key {
        public final int[] fields;
        public final int[] directions;
        public final String description;
        Key(int[] fields, int[] directions, String description) {
            this.fields = fields;
            this.directions = directions;
            this.description = description;
        }
    }

    /** The keys in pstats's order, which {@code sort} without arguments lists. */
    public static final Map<String, Key> DEFAULTS;
    private static final Map<String, Key> ABBREVIATIONS;

    static {
        Map<String, Key> d = new LinkedHashMap<>();
        d.put("calls", key("call count", CALLS, -1));
        d.put("ncalls", key("call count", CALLS, -1));
        d.put("cumtime", key("cumulative time", CUMULATIVE, -1));
        d.put("cumulative", key("cumulative time", CUMULATIVE, -1));
        d.put("filename", key("file name", FILE, 1));
        d.put("line", key("line number", LINE, 1));
        d.put("module", key("file name", FILE, 1));
        d.put("name", key("function name", NAME, 1));
        d.put("nfl", new Key(new int[] {NAME, FILE, LINE}, new int[] {1, 1, 1}, "name/file/line"));
        d.put("pcalls", key("primitive call count", PCALLS, -1));
        d.put("stdname", key("standard name", STDNAME, 1));
        d.put("time", key("internal time", TIME, -1));
        d.put("tottime", key("internal time", TIME, -1));
        DEFAULTS = Collections.unmodifiableMap(d);

        // get_sort_arg_defs, as written: each word and its prefixes, until a prefix is already taken; a taken
        // prefix is then dropped, though shorter ones that a later word never reached stay (so "cu" is cumtime).
        Map<String, Key> a = new HashMap<>();
        Set<String> bad = new HashSet<>();
        for (Map.Entry<String, Key> e : d.entrySet()) {
            String fragment = e.getKey();
            while (!fragment.isEmpty()) {
                if (a.containsKey(fragment)) {
                    bad.add(fragment);
                    break;
                }
                a.put(fragment, e.getValue());
                fragment = fragment.substring(0, fragment.length() - 1);
            }
        }
        for (String word : bad) a.remove(word);
        ABBREVIATIONS = Collections.unmodifiableMap(a);
    }

    private static Key key(String description, int field, int direction) {
        return new Key(new int[] {field}, new int[] {direction}, description);
    }

    /** The key a word names, by full name or unique prefix, or null. */
    public static Key lookup(String word) {
        return ABBREVIATIONS.get(word);
    }

    /** pstats's legacy numeric keys: -1, 0, 1, 2. */
    public static String legacy(int number) {
        switch (number) {
            case -1: return "stdname";
            case 0: return "calls";
            case 1: return "time";
            case 2: return "cumulative";
            default: throw new IllegalArgumentException("no sort key numbered " + number + " (pstats knows -1, 0, 1, 2)");
        }
    }
}
