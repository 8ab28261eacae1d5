package dev.jcprofile.report;

/** A stable sort of int indices by a comparator of indices: no boxing, for tables of a hundred thousand rows. */
public final class IndexSort {
    private IndexSort() {}

    public interface Comparator {
        int compare(int a, int b);
    }

    private static final int RUN = 32;

    /** Sorts {@code a} stably (equal elements keep their order, as Python's {@code list.sort}). */
    public static void sort(int[] a, Comparator c) {
        int n = a.length;
        for (int lo = 0; lo < n; lo += RUN) insertion(a, lo, Math.min(lo + RUN, n), c);
        if (n <= RUN) return;
        int[] src = a, dst = new int[n];
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
                merge(src, dst, lo, mid, hi, c);
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) System.arraycopy(src, 0, a, 0, n);
    }

    private static void insertion(int[] a, int lo, int hi, Comparator c) {
        for (int i = lo + 1; i < hi; i++) {
            int x = a[i];
            int j = i - 1;
            while (j >= lo && c.compare(a[j], x) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private static void merge(int[] src, int[] dst, int lo, int mid, int hi, Comparator c) {
        if (mid >= hi || c.compare(src[mid - 1], src[mid]) <= 0) {
            System.arraycopy(src, lo, dst, lo, hi - lo); // already in order
            return;
        }
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) dst[k++] = c.compare(src[j], src[i]) < 0 ? src[j++] : src[i++];
        while (i < mid) dst[k++] = src[i++];
        while (j < hi) dst[k++] = src[j++];
    }
}
