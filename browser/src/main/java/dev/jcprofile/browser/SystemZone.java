package dev.jcprofile.browser;

import java.io.File;
import java.io.IOException;
import java.util.Date;
import java.util.TimeZone;

/**
 * The local time of the jpstats command, as Python's {@code time.ctime} takes it (C's localtime): when that is
 * UTC for certain (TZ unset, /etc/localtime UTC's zone file: the usual case on servers and in containers) and
 * nothing chose another zone for this JVM (user.timezone), the default TimeZone becomes a fixed UTC one. That
 * spares opening the JDK's zone database, a few milliseconds, a tenth of a small session. Any other case is
 * left to TimeZone.
 */
final class SystemZone {
    private SystemZone() {}

    /** The zone files of tzdata whose offset has always been 0, linked from /etc/localtime. */
    private static final String[] UTC_FILES = {"/zoneinfo/UTC", "/zoneinfo/Etc/UTC", "/zoneinfo/UCT",
            "/zoneinfo/Etc/UCT", "/zoneinfo/Universal", "/zoneinfo/Etc/Universal", "/zoneinfo/Zulu",
            "/zoneinfo/Etc/Zulu"};

    static void adopt() {
        String property = System.getProperty("user.timezone");
        if (System.getenv("TZ") != null || (property != null && !property.isEmpty())) return;
        try {
            String zone = new File("/etc/localtime").getCanonicalPath();
            for (String name : UTC_FILES) {
                if (zone.endsWith(name)) {
                    TimeZone.setDefault(new Utc());
                    return;
                }
            }
        } catch (IOException | SecurityException e) {
            // TimeZone decides
        }
    }

    /** UTC, without the zone database. */
    static final class Utc extends TimeZone {
        Utc() {
            setID("UTC");
        }

        @Override public int getOffset(long date) { return 0; }
        @Override public int getOffset(int era, int year, int month, int day, int dayOfWeek, int millis) { return 0; }
        @Override public void setRawOffset(int offsetMillis) { throw new UnsupportedOperationException(); }
        @Override public int getRawOffset() { return 0; }
        @Override public boolean useDaylightTime() { return false; }
        @Override public boolean inDaylightTime(Date date) { return false; }
    }
}
