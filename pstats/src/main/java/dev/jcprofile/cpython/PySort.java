package dev.jcprofile.cpython;

/**
 * CPython 3.11's {@code list.sort} (Objects/listobject.c: timsort with powersort's merge order), step for step.
 *
 * <p>For a consistent order any stable sort gives the same result, but pstats compares times with {@code <} and
 * {@code >}, so a NaN time makes its order inconsistent; then only the same sequence of comparisons gives the
 * same result. Java's own TimSort also throws on such orders ("Comparison method violates its general contract").
 */
public final class PySort {
    private PySort() {}

    /** Python's {@code a < b} for the elements of the array being sorted. */
    @FunctionalInterface
    public interface Less {
        boolean lt(int a, int b);
    }

    private static final int MIN_GALLOP = 7;

    /** Sorts {@code a} in place, stably, as {@code list.sort} sorts by {@code lt}. */
    public static void sort(int[] a, Less lt) {
        new State(a, lt).sort();
    }

    private static final class State {
        final int[] a;
        final Less lt;
        int minGallop = MIN_GALLOP;
        int[] tmp = new int[0];
        // Pending runs: start, length, power.
        final int[] runBase = new int[85], runLen = new int[85], runPower = new int[85];
        int n;

        State(int[] a, Less lt) {
            this.a = a;
            this.lt = lt;
        }

        void sort() {
            int nremaining = a.length;
            if (nremaining < 2) return;
            int minrun = minrun(nremaining);
            int lo = 0;
            do {
                int hi = lo + nremaining;
                boolean[] descending = new boolean[1];
                int count = countRun(lo, hi, descending);
                if (descending[0]) reverse(lo, lo + count);
                if (count < minrun) {
                    int force = Math.min(nremaining, minrun);
                    binarySort(lo, lo + force, lo + count);
                    count = force;
                }
                foundNewRun(count);
                runBase[n] = lo;
                runLen[n] = count;
                n++;
                lo += count;
                nremaining -= count;
            } while (nremaining > 0);
            while (n > 1) {
                int i = n - 2;
                if (i > 0 && runLen[i - 1] < runLen[i + 1]) i--;
                mergeAt(i);
            }
        }

        private static int minrun(int n) {
            int r = 0;
            while (n >= 64) {
                r |= n & 1;
                n >>= 1;
            }
            return n + r;
        }

        private int countRun(int lo, int hi, boolean[] descending) {
            descending[0] = false;
            lo++;
            if (lo == hi) return 1;
            int count = 2;
            if (lt.lt(a[lo], a[lo - 1])) {
                descending[0] = true;
                for (lo = lo + 1; lo < hi; lo++, count++) {
                    if (!lt.lt(a[lo], a[lo - 1])) break;
                }
            } else {
                for (lo = lo + 1; lo < hi; lo++, count++) {
                    if (lt.lt(a[lo], a[lo - 1])) break;
                }
            }
            return count;
        }

        private void reverse(int lo, int hi) {
            for (hi--; lo < hi; lo++, hi--) {
                int t = a[lo];
                a[lo] = a[hi];
                a[hi] = t;
            }
        }

        private void binarySort(int lo, int hi, int start) {
            if (lo == start) start++;
            for (; start < hi; start++) {
                int l = lo, r = start;
                int pivot = a[r];
                do {
                    int p = l + ((r - l) >> 1);
                    if (lt.lt(pivot, a[p])) r = p;
                    else l = p + 1;
                } while (l < r);
                System.arraycopy(a, l, a, l + 1, start - l);
                a[l] = pivot;
            }
        }

        private void foundNewRun(int n2) {
            if (n == 0) return;
            int s1 = runBase[n - 1], n1 = runLen[n - 1];
            int power = powerloop(s1, n1, n2, a.length);
            while (n > 1 && runPower[n - 2] > power) mergeAt(n - 2);
            runPower[n - 1] = power;
        }

        private static int powerloop(long s1, long n1, long n2, long len) {
            int result = 0;
            long x = 2 * s1 + n1, y = x + n1 + n2;
            while (true) {
                result++;
                if (x >= len) {
                    x -= len;
                    y -= len;
                } else if (y >= len) {
                    break;
                }
                x <<= 1;
                y <<= 1;
            }
            return result;
        }

        private void mergeAt(int i) {
            int ssa = runBase[i], na = runLen[i], ssb = runBase[i + 1], nb = runLen[i + 1];
            runLen[i] = na + nb;
            if (i == n - 3) {
                runBase[i + 1] = runBase[i + 2];
                runLen[i + 1] = runLen[i + 2];
                runPower[i + 1] = runPower[i + 2];
            }
            n--;
            int k = gallopRight(a[ssb], a, ssa, na, 0);
            ssa += k;
            na -= k;
            if (na == 0) return;
            nb = gallopLeft(a[ssa + na - 1], a, ssb, nb, nb - 1);
            if (nb <= 0) return;
            if (na <= nb) mergeLo(ssa, na, ssb, nb);
            else mergeHi(ssa, na, ssb, nb);
        }

        /** The index in arr[base, base+len) where key belongs, left of equal elements. */
        private int gallopLeft(int key, int[] arr, int base, int len, int hint) {
            int lastofs = 0, ofs = 1;
            if (lt.lt(arr[base + hint], key)) {
                int maxofs = len - hint;
                while (ofs < maxofs) {
                    if (lt.lt(arr[base + hint + ofs], key)) {
                        lastofs = ofs;
                        ofs = (ofs << 1) + 1;
                    } else {
                        break;
                    }
                }
                if (ofs > maxofs) ofs = maxofs;
                lastofs += hint;
                ofs += hint;
            } else {
                int maxofs = hint + 1;
                while (ofs < maxofs) {
                    if (lt.lt(arr[base + hint - ofs], key)) break;
                    lastofs = ofs;
                    ofs = (ofs << 1) + 1;
                }
                if (ofs > maxofs) ofs = maxofs;
                int k = lastofs;
                lastofs = hint - ofs;
                ofs = hint - k;
            }
            lastofs++;
            while (lastofs < ofs) {
                int m = lastofs + ((ofs - lastofs) >> 1);
                if (lt.lt(arr[base + m], key)) lastofs = m + 1;
                else ofs = m;
            }
            return ofs;
        }

        /** The index in arr[base, base+len) where key belongs, right of equal elements. */
        private int gallopRight(int key, int[] arr, int base, int len, int hint) {
            int lastofs = 0, ofs = 1;
            if (lt.lt(key, arr[base + hint])) {
                int maxofs = hint + 1;
                while (ofs < maxofs) {
                    if (lt.lt(key, arr[base + hint - ofs])) {
                        lastofs = ofs;
                        ofs = (ofs << 1) + 1;
                    } else {
                        break;
                    }
                }
                if (ofs > maxofs) ofs = maxofs;
                int k = lastofs;
                lastofs = hint - ofs;
                ofs = hint - k;
            } else {
                int maxofs = len - hint;
                while (ofs < maxofs) {
                    if (lt.lt(key, arr[base + hint + ofs])) break;
                    lastofs = ofs;
                    ofs = (ofs << 1) + 1;
                }
                if (ofs > maxofs) ofs = maxofs;
                lastofs += hint;
                ofs += hint;
            }
            lastofs++;
            while (lastofs < ofs) {
                int m = lastofs + ((ofs - lastofs) >> 1);
                if (lt.lt(key, arr[base + m])) ofs = m;
                else lastofs = m + 1;
            }
            return ofs;
        }

        private int[] tmp(int size) {
            if (tmp.length < size) tmp = new int[Math.max(size, tmp.length * 2)];
            return tmp;
        }

        /** Merges a[pa, pa+na) and a[pb, pb+nb), na <= nb, the first copied aside. */
        private void mergeLo(int pa, int na, int pb, int nb) {
            int[] t = tmp(na);
            System.arraycopy(a, pa, t, 0, na);
            int dest = pa, sa = 0, sb = pb;
            a[dest++] = a[sb++];
            nb--;
            if (nb == 0) {
                System.arraycopy(t, sa, a, dest, na);
                return;
            }
            if (na == 1) {
                copyB(t, sa, sb, nb, dest);
                return;
            }
            int mg = minGallop;
            outer:
            while (true) {
                int acount = 0, bcount = 0;
                while (true) {
                    if (lt.lt(a[sb], t[sa])) {
                        a[dest++] = a[sb++];
                        bcount++;
                        acount = 0;
                        nb--;
                        if (nb == 0) break outer;
                        if (bcount >= mg) break;
                    } else {
                        a[dest++] = t[sa++];
                        acount++;
                        bcount = 0;
                        na--;
                        if (na == 1) {
                            copyB(t, sa, sb, nb, dest);
                            return;
                        }
                        if (acount >= mg) break;
                    }
                }
                mg++;
                do {
                    mg -= mg > 1 ? 1 : 0;
                    minGallop = mg;
                    int k = gallopRight(a[sb], t, sa, na, 0);
                    acount = k;
                    if (k != 0) {
                        System.arraycopy(t, sa, a, dest, k);
                        dest += k;
                        sa += k;
                        na -= k;
                        if (na == 1) {
                            copyB(t, sa, sb, nb, dest);
                            return;
                        }
                        if (na == 0) break outer;
                    }
                    a[dest++] = a[sb++];
                    nb--;
                    if (nb == 0) break outer;
                    k = gallopLeft(t[sa], a, sb, nb, 0);
                    bcount = k;
                    if (k != 0) {
                        System.arraycopy(a, sb, a, dest, k);
                        dest += k;
                        sb += k;
                        nb -= k;
                        if (nb == 0) break outer;
                    }
                    a[dest++] = t[sa++];
                    na--;
                    if (na == 1) {
                        copyB(t, sa, sb, nb, dest);
                        return;
                    }
                } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
                mg++;
                minGallop = mg;
            }
            if (na > 0) System.arraycopy(t, sa, a, dest, na);
        }

        private void copyB(int[] t, int sa, int sb, int nb, int dest) {
            System.arraycopy(a, sb, a, dest, nb);
            a[dest + nb] = t[sa];
        }

        /** Merges a[pa, pa+na) and a[pb, pb+nb), na >= nb, the second copied aside, from the right. */
        private void mergeHi(int pa, int na, int pb, int nb) {
            int[] t = tmp(nb);
            System.arraycopy(a, pb, t, 0, nb);
            int dest = pb + nb - 1, sb = nb - 1, sa = pa + na - 1;
            int basea = pa;
            a[dest--] = a[sa--];
            na--;
            if (na == 0) {
                System.arraycopy(t, 0, a, dest - (nb - 1), nb);
                return;
            }
            if (nb == 1) {
                copyA(t, sa, sb, na, dest);
                return;
            }
            int mg = minGallop;
            outer:
            while (true) {
                int acount = 0, bcount = 0;
                while (true) {
                    if (lt.lt(t[sb], a[sa])) {
                        a[dest--] = a[sa--];
                        acount++;
                        bcount = 0;
                        na--;
                        if (na == 0) break outer;
                        if (acount >= mg) break;
                    } else {
                        a[dest--] = t[sb--];
                        bcount++;
                        acount = 0;
                        nb--;
                        if (nb == 1) {
                            copyA(t, sa, sb, na, dest);
                            return;
                        }
                        if (bcount >= mg) break;
                    }
                }
                mg++;
                do {
                    mg -= mg > 1 ? 1 : 0;
                    minGallop = mg;
                    int k = gallopRight(t[sb], a, basea, na, na - 1);
                    k = na - k;
                    acount = k;
                    if (k != 0) {
                        dest -= k;
                        sa -= k;
                        System.arraycopy(a, sa + 1, a, dest + 1, k);
                        na -= k;
                        if (na == 0) break outer;
                    }
                    a[dest--] = t[sb--];
                    nb--;
                    if (nb == 1) {
                        copyA(t, sa, sb, na, dest);
                        return;
                    }
                    k = gallopLeft(a[sa], t, 0, nb, nb - 1);
                    k = nb - k;
                    bcount = k;
                    if (k != 0) {
                        dest -= k;
                        sb -= k;
                        System.arraycopy(t, sb + 1, a, dest + 1, k);
                        nb -= k;
                        if (nb == 1) {
                            copyA(t, sa, sb, na, dest);
                            return;
                        }
                        if (nb == 0) break outer;
                    }
                    a[dest--] = a[sa--];
                    na--;
                    if (na == 0) break outer;
                } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
                mg++;
                minGallop = mg;
            }
            if (nb > 0) System.arraycopy(t, 0, a, dest - (nb - 1), nb);
        }

        private void copyA(int[] t, int sa, int sb, int na, int dest) {
            dest -= na;
            sa -= na;
            System.arraycopy(a, sa + 1, a, dest + 1, na);
            a[dest] = t[sb];
        }
    }
}
