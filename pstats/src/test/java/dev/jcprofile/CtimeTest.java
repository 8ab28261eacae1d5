package dev.jcprofile;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The header's time stamp, formatted by hand, against python3's {@code time.ctime} in several time zones. */
class CtimeTest {
    @Test
    void matchesPythonsCtime() throws Exception {
        Random random = new Random(7);
        List<Long> seconds = new ArrayList<>(List.of(0L, -1L, 951782399L, 951868800L, 1709251199L, 4102444800L, 253402300799L));
        for (int i = 0; i < 400; i++) seconds.add(random.nextLong() % 8_000_000_000L);
        StringBuilder script = new StringBuilder("import time\n");
        for (long s : seconds) script.append("print(time.ctime(").append(s).append("))\n");
        TimeZone saved = TimeZone.getDefault();
        try {
            for (String zone : List.of("UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/Dublin")) {
                // python3 takes the zone from TZ; the test JVM's default zone is set to the same.
                ProcessBuilder withTz = new ProcessBuilder("python3", "-c", script.toString());
                withTz.environment().put("TZ", zone);
                Process q = withTz.redirectErrorStream(true).start();
                String[] expected = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
                assertEquals(0, q.waitFor(), String.join("\n", expected));
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                for (int i = 0; i < seconds.size(); i++) {
                    assertEquals(expected[i], Stats.ctime(seconds.get(i) * 1000 + 999), zone + " at " + seconds.get(i));
                }
            }
        } finally {
            TimeZone.setDefault(saved);
        }
    }
}
