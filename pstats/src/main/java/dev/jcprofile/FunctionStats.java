package dev.jcprofile;

import dev.jcprofile.format.FunctionKey;

/**
 * One function's exact figures: {@code primitiveCalls} (cc) and {@code calls} (nc) counts, own time
 * ({@code tottime}) and cumulative time ({@code cumtime}) in seconds.
 */
public record FunctionStats(FunctionKey key, long primitiveCalls, long calls, double tottime, double cumtime) {}
