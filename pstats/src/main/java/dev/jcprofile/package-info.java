/**
 * The public API, as Python's {@code pstats} and {@code cProfile} modules offer it:
 * {@link dev.jcprofile.Stats} (load, add, sort, strip and print profiles, byte for byte as CPython 3.11's pstats)
 * with its value types, here in the pstats core module; and {@code Profile} ({@code cProfile.Profile}), which
 * the agent module adds to this package because it drives the agent. {@code Stats} reads a {@code Profile}
 * through {@link dev.jcprofile.StatsSource}, a snapshot it is handed, so the core never depends on the agent.
 */
package dev.jcprofile;
