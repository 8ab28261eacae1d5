package dev.jcprofile;

import java.util.Map;

/** pstats's {@code StatsProfile}: the total time and each function's row, keyed by function name. */
public record StatsProfile(double totalTt, Map<String, FunctionProfile> funcProfiles) {}
