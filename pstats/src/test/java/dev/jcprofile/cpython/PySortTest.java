package dev.jcprofile.cpython;

import dev.jcprofile.golden.Python;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PySort against python3's {@code sorted}: the same comparison function on lists with NaNs (an inconsistent order,
 * where only CPython's exact sequence of comparisons gives CPython's result), ties, runs, and many sizes.
 */
class PySortTest {
    @Test
    void sortsAsCPythonDoes() {
        SplittableRandom r = new SplittableRandom(7);
        List<double[]> lists = new ArrayList<>();
        int[] sizes = {0, 1, 2, 3, 10, 63, 64, 65, 100, 127, 128, 200, 500, 1000, 1500, 2047, 3001, 5000};
        for (int size : sizes) {
            for (int kind = 0; kind < 4; kind++) {
                double[] v = new double[size];
                for (int i = 0; i < size; i++) {
                    switch (kind) {
                        case 0: v[i] = r.nextInt(5); break;                                       // many ties
                        case 1: v[i] = r.nextInt(10) == 0 ? Double.NaN : r.nextInt(50); break;     // some NaN
                        case 2: v[i] = i % 97 == 0 ? Double.NaN : (i / 40) % 2 == 0 ? i : -i; break; // runs, NaN
                        default: v[i] = r.nextInt(3) == 0 ? Double.NaN : r.nextDouble(); break;
                    }
                }
                lists.add(v);
            }
        }
        StringBuilder in = new StringBuilder();
        for (double[] v : lists) {
            StringBuilder line = new StringBuilder();
            for (double x : v) line.append(line.length() > 0 ? " " : "").append(Double.isNaN(x) ? "nan" : Double.toString(x));
            in.append(line).append('\n');
        }
        // pstats's TupleComp on one field, descending (as "sort time"): l < r and l > r, NaN compares false.
        Python.Result p = Python.script(String.join("\n",
                "import sys, functools",
                "for line in sys.stdin.read().split('\\n')[:-1]:",
                "    v = [float(x) for x in line.split()]",
                "    cmp = lambda i, j: 1 if v[i] < v[j] else -1 if v[i] > v[j] else 0",
                "    print(' '.join(map(str, sorted(range(len(v)), key=functools.cmp_to_key(cmp)))))"), in.toString());
        assertEquals(0, p.exit, p.err);
        String[] expected = p.text().split("\n", -1);
        for (int k = 0; k < lists.size(); k++) {
            double[] v = lists.get(k);
            int[] order = new int[v.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            PySort.sort(order, (i, j) -> (v[i] < v[j] ? 1 : v[i] > v[j] ? -1 : 0) < 0);
            StringBuilder actual = new StringBuilder();
            for (int i : order) actual.append(actual.length() > 0 ? " " : "").append(i);
            assertEquals(expected[k], actual.toString(), "list " + k + " of size " + v.length);
        }
    }
}
