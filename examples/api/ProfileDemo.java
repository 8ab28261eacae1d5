import dev.jcprofile.Profile;
import dev.jcprofile.Stats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The Java API, as cProfile's: profile one part of a program, then print and save what it did. */
public class ProfileDemo {
    static List<Integer> data(int n) {
        Random random = new Random(42);
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(random.nextInt(1000));
        return list;
    }

    static int median(List<Integer> list) {
        List<Integer> sorted = new ArrayList<>(list);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    public static void main(String[] args) throws Exception {
        List<Integer> list = data(100_000);
        Profile profile = new Profile();
        try (profile) {                                     // closing disables it
            profile.enable();
            System.out.println("median: " + median(list));
        }
        // Later, or in a test: the same reports as pstats.
        Stats stats = new Stats(profile);
        stats.stripDirs().sortStats("cumulative").printStats(5);
        stats.dumpStats(Path.of("median.prof"));            // for jpstats or python3 -m pstats
    }
}
