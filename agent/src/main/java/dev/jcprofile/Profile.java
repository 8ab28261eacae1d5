package dev.jcprofile;

import dev.jcprofile.agent.ApiSession;
import dev.jcprofile.agent.SelfAttach;
import dev.jcprofile.format.ProfileData;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * A profiler under program control, as Python's {@code cProfile.Profile}:
 *
 * <pre>{@code
 * try (Profile p = new Profile()) {
 *     p.enable();
 *     work();
 * }                                 // close() disables
 * new Stats(p).sortStats("cumulative").printStats(10);
 * }</pre>
 *
 * It records the thread that enables it ({@link #recordAllThreads()} records every thread). Enabling and
 * disabling again adds to the same figures. Without {@code -javaagent:jcprofile.jar} on the command line, the
 * first {@link #enable()} attaches the agent to the running JVM (which instruments the classes loaded so far
 * and takes a moment); where that is impossible it throws an {@link IllegalStateException} saying how to add it.
 * Only one Profile can be enabled at a time.
 */
public final class Profile implements AutoCloseable, StatsSource {
    private final LongSupplier timer;
    private final double secondsPerTick;
    private boolean allThreads;
    private boolean tree;
    private ApiSession session;

    /** A profile of wall-clock time ({@code System.nanoTime}). */
    public Profile() {
        this.timer = null;
        this.secondsPerTick = 1e-9;
    }

    /**
     * A profile measured by {@code timer}, whose ticks last {@code secondsPerTick} seconds, as
     * {@code cProfile.Profile(timer, timeunit)}. The timer may be the program's own code: its calls are not
     * recorded.
     */
    public Profile(LongSupplier timer, double secondsPerTick) {
        if (timer == null) throw new NullPointerException("timer");
        if (!(secondsPerTick > 0) || Double.isInfinite(secondsPerTick)) {
            throw new IllegalArgumentException("secondsPerTick must be a positive number, not " + secondsPerTick);
        }
        this.timer = timer;
        this.secondsPerTick = secondsPerTick;
    }

    /** Records every thread, not only the one that enables the profile. Call before {@link #enable()}. */
    public Profile recordAllThreads() {
        this.allThreads = true;
        return this;
    }

    /**
     * Records the calling-context tree too (as {@code jcprofile --tree}): stored after the table by
     * {@link #dumpStats}, on {@link #createStats}'s {@code tree()}. Call before {@link #enable()}.
     */
    public Profile recordTree() {
        this.tree = true;
        return this;
    }

    /** Starts recording (again). */
    public synchronized void enable() {
        if (session != null && session.recording()) return;
        SelfAttach.ensureAgent();
        session = ApiSession.start(timer, secondsPerTick, allThreads, tree, session);
    }

    /** Stops recording; calls still in progress are counted up to now. */
    public synchronized void disable() {
        if (session != null) session.stop();
    }

    /** Disables the profile: {@code try (Profile p = new Profile()) { p.enable(); ... }}. */
    @Override
    public void close() {
        disable();
    }

    /** Runs {@code fn} with the profile enabled, as {@code cProfile.Profile.runcall}. */
    public <T> T runcall(Callable<T> fn) throws Exception {
        enable();
        try {
            return fn.call();
        } finally {
            disable();
        }
    }

    /** Runs {@code fn} with the profile enabled. */
    public void runcall(Runnable fn) {
        enable();
        try {
            fn.run();
        } finally {
            disable();
        }
    }

    /** The figures recorded so far, as the pstats dict ({@code cProfile.Profile.create_stats}): a snapshot. */
    @Override
    public synchronized ProfileData createStats() {
        return session == null ? new ProfileData() : session.profile();
    }

    /** Writes the figures as a pstats file, atomically. */
    public void dumpStats(Path file) throws ProfileException {
        ProfileData data = createStats();
        if (data.size() == 0) throw new ProfileException(file.toString(), "nothing was recorded");
        new Stats(data).dumpStats(file);
    }

    /** Prints the table as {@code cProfile.Profile.print_stats(sort)}: directories stripped, sorted by {@code sort}. */
    public void printStats(String sort) {
        new Stats(createStats()).stripDirs().sortStats(sort).printStats();
    }

    /** {@link #printStats(String)} sorted by standard name, cProfile's default. */
    public void printStats() {
        printStats("stdname");
    }
}
