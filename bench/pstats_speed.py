#!/usr/bin/env python3
"""jpstats against python3 -m pstats, end to end, side by side in one run.

usage: bench/pstats_speed.py [--runs N] [--big-functions N] [--big-edges N] [--shape skewed|uniform]

Makes two profiles with make_big_profile.py (a big one, by default 100,000 functions and 1,000,000 caller
edges, about 42 MB, and a small one of 300 functions), then times whole processes from start to exit on
`sort cumtime` + `stats 1000`, alternating the two tools run by run so that both see the same machine.
Checks that both print the same bytes. Prints medians, the ratio, and each tool's peak memory.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = "sort cumtime\nstats 1000\n"


def timed(cmd):
    start = time.perf_counter()
    run = subprocess.run(cmd, input=SCRIPT.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start, run.stdout


def peak_rss_mb(cmd):
    """Peak resident memory of one run, by GNU time when the machine has it."""
    if not os.path.exists("/usr/bin/time"):
        return float("nan")
    run = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, input=SCRIPT.encode(), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, check=True)
    return int(run.stderr.decode().strip().splitlines()[-1]) / 1024


def compare(name, profile, runs):
    tools = {"python3 -m pstats": [sys.executable, "-m", "pstats", profile],
             "bin/jpstats": [os.path.join(ROOT, "bin", "jpstats"), profile]}
    times = {t: [] for t in tools}
    outputs = {}
    timed(tools["bin/jpstats"])  # one run each to fill the page cache
    timed(tools["python3 -m pstats"])
    for _ in range(runs):
        for tool, cmd in tools.items():
            elapsed, out = timed(cmd)
            times[tool].append(elapsed)
            outputs[tool] = out
    same = outputs["bin/jpstats"] == outputs["python3 -m pstats"]
    py, jv = statistics.median(times["python3 -m pstats"]), statistics.median(times["bin/jpstats"])
    print("%s (%s, %.1f MB): python3 -m pstats %.3f s, bin/jpstats %.3f s: jpstats takes %.2f of python's time;"
          " output identical: %s" % (name, os.path.basename(profile), os.path.getsize(profile) / 1e6, py, jv, jv / py,
                                     "yes" if same else "NO"))
    print("    medians of %d runs each; all runs (s): python %s; jpstats %s" % (
        runs, " ".join("%.3f" % t for t in times["python3 -m pstats"]), " ".join("%.3f" % t for t in times["bin/jpstats"])))
    print("    peak memory: python3 -m pstats %.0f MB, bin/jpstats %.0f MB" % (
        peak_rss_mb(tools["python3 -m pstats"]), peak_rss_mb(tools["bin/jpstats"])))
    return same


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--big-functions", type=int, default=100_000)
    p.add_argument("--big-edges", type=int, default=1_000_000)
    p.add_argument("--shape", choices=["skewed", "uniform"], default="skewed",
                   help="how the big profile's callers are drawn (make_big_profile.py's SHAPE)")
    a = p.parse_args()
    if not os.path.exists(os.path.join(ROOT, "target", "jcprofile.jar")):
        sys.exit("target/jcprofile.jar is missing: run mvn -q package -DskipTests first")
    with tempfile.TemporaryDirectory() as tmp:
        big, small = os.path.join(tmp, "big.prof"), os.path.join(tmp, "small.prof")
        gen = os.path.join(HERE, "make_big_profile.py")
        print("making the profiles...", file=sys.stderr)
        subprocess.run([sys.executable, gen, big, str(a.big_functions), str(a.big_edges), "1", a.shape], check=True)
        subprocess.run([sys.executable, gen, small, "300", "1500"], check=True)
        ok = compare("big profile (%s callers)" % a.shape, big, a.runs) & compare("small profile", small, a.runs * 4)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
