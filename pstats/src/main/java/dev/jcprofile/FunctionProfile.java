package dev.jcprofile;

/**
 * One function's row as pstats's {@code get_stats_profile} gives it: times rounded to the printed three decimals,
 * a per-call figure of -1 where the call count is zero.
 */
public record FunctionProfile(String ncalls, double tottime, double percallTottime, double cumtime,
                              double percallCumtime, String fileName, long lineNumber) {}
