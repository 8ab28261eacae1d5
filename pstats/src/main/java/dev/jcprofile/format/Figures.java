package dev.jcprofile.format;

/**
 * The four figures pstats keeps for a function, and for each caller of it in a cProfile file: {@code calls}
 * (pstats's nc), {@code primitiveCalls} (cc: the calls not made while the function was already running),
 * {@code ownTime} (tt, "tottime": time in the function itself, not in what it called) and {@code cumulativeTime}
 * (ct, "cumtime": from call to return, counted once for recursive calls), times in seconds.
 *
 * <p>In the file a function's value is {@code (cc, nc, tt, ct, callers)} and an edge's {@code (nc, cc, tt, ct)};
 * this record names them instead of ordering them.
 */
public record Figures(long calls, long primitiveCalls, double ownTime, double cumulativeTime) {}
