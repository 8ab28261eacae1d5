#!/usr/bin/env python3
"""The baseline of bench/dump.sh: cProfile writing a profile of the same shape (CLASSES modules of METHODS
functions, the same calls), timed the same way: create_stats (the pstats dict) and marshal.dump (the file), which
together are cProfile.Profile.dump_stats.

usage: bench/dump_python.py [CLASSES [METHODS [DUMPS]]]
"""
import cProfile
import marshal
import os
import statistics
import sys
import tempfile
import time


def module_source(methods):
    """m0 calls m1 .. m(METHODS-1) with depth 1; mj(d) calls m(j+1)(d-1) while d > 0 (as DumpBench's classes)."""
    lines = ["def m0():", "    s = 0"]
    lines += ["    s += m%d(1)" % j for j in range(1, methods)]
    lines += ["    return s"]
    for j in range(1, methods):
        lines.append("def m%d(d):" % j)
        if j + 1 < methods:
            lines.append("    if d > 0: return m%d(d - 1)" % (j + 1))
        lines.append("    return %d" % j)
    return "\n".join(lines) + "\n"


def main():
    classes = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    methods = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    dumps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    src = module_source(methods)
    entries = []
    for k in range(classes):
        namespace = {}
        exec(compile(src, "/bench/generated/C%d.py" % k, "exec"), namespace)
        entries.append(namespace["m0"])

    def root():
        return sum(m0() for m0 in entries)

    p = cProfile.Profile()
    p.enable()
    result = root()
    p.disable()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(dumps):
            path = os.path.join(tmp, "profile%d.prof" % i)
            a = time.perf_counter()
            p.create_stats()
            b = time.perf_counter()
            with open(path, "wb") as f:
                marshal.dump(p.stats, f)
            c = time.perf_counter()
            times.append(((b - a) * 1e3, (c - b) * 1e3, (c - a) * 1e3))
            size = os.path.getsize(path)
    edges = sum(len(v[4]) for v in p.stats.values())
    print("    profile of {:,} functions and {:,} caller edges, {:.1f} MB (checksum {})".format(
        len(p.stats), edges, size / 1e6, result))
    first = times[0]
    print("    first dump: %.0f ms = %.0f ms to build the pstats dict + %.0f ms to write the file" % (first[2], first[0], first[1]))
    if dumps > 1:
        med = [statistics.median(t[col] for t in times[1:]) for col in range(3)]
        print("    later dumps, median of %d: %.0f ms = %.0f + %.0f ms" % (dumps - 1, med[2], med[0], med[1]))
    print("    all dumps (ms): " + " ".join("%.0f" % t[2] for t in times))


if __name__ == "__main__":
    main()
