package dev.jcprofile;

import dev.jcprofile.format.ProfileData;

/**
 * What {@link Stats#Stats(StatsSource)} reads: anything that hands over a snapshot of its figures, as
 * {@code pstats.Stats(profile)} calls {@code profile.create_stats()} and reads the result. {@code Profile}, the
 * agent's API, is one; the snapshot belongs to the caller, so this core never reaches back into a recording.
 */
public interface StatsSource {
    /** The figures as they stand now, as a profile of their own that later recording does not change. */
    ProfileData createStats();
}
