#!/usr/bin/env python3
"""How deep a recursion completes with and without the profiler (docs/reliability.md, "Stack depth").

Runs dist/src/test/programs/depth (static int down(int n) { return n == 0 ? 0 : 1 + down(n - 1); }) in fresh JVMs
and finds, within 1 %, the deepest recursion that completes: without the profiler, under -javaagent with each
jar given, and under bin/jcprofile. Two tables:
  depths: the main thread in each state (interpreted, cold, warm), and a thread created with a 1 MB stack;
  frames: bytes a level in each kind of code, from the depths on a 1 MB and a 2 MB stack (the difference holds
          1 MB of frames of that kind alone; the fixed part of the stack cancels out).
Cold is the recursion as the program's first work, so its depth is a race with the JIT: run it a few times.

usage: bench/stack_depth.py [--jar NAME=PATH ...] [--cold-runs N] [--no-frames]
       (the java of JAVA_HOME, else the one on PATH; default jar: target/jcprofile.jar, after mvn -q package -DskipTests)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAM = os.path.join(ROOT, "dist", "src", "test", "programs", "depth")
MAIN = "com.example.depth.Depth"

STATES = {  # name: (JVM options, program mode)
    "interpreted": (["-Xint"], "cold"),
    "cold": ([], "cold"),
    "warm": (["-Xbatch"], "warm"),
}
FRAMES = {  # kind of code: (JVM options, program mode)
    "interpreted": (["-Xint"], "cold"),
    "C1, tier 1": (["-XX:TieredStopAtLevel=1", "-Xbatch"], "warm"),
    "C1, tier 3 (full profiling)": (["-XX:TieredStopAtLevel=3", "-Xbatch"], "warm"),
    "C2": (["-Xbatch"], "warm"),
}


def limit(completes):
    """The deepest n for which completes(n), within 1 %: doubling from 1,000, then halving the gap."""
    lo, hi = 1000, 2000
    if not completes(lo):
        return 0
    while completes(hi):
        lo, hi = hi, hi * 2
        if hi > 20_000_000:
            return lo
    while hi - lo > lo // 100:
        mid = (lo + hi) // 2
        if completes(mid):
            lo = mid
        else:
            hi = mid
    return lo


def runner(command, classes, jvm, mode, thread_stack=None):
    """A function of n: whether the program completes down(n) when started by command."""
    def completes(n):
        args = command + jvm + ["-cp", classes, MAIN, mode, str(n)] + ([str(thread_stack)] if thread_stack else [])
        run = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if run.returncode == 0 and run.stdout == "%d\n" % n:
            return True
        if run.returncode == 1 and run.stdout == "StackOverflowError\n":
            return False
        sys.exit("unexpected result of %s (exit %d): %s %s" % (" ".join(args), run.returncode, run.stdout, run.stderr[-2000:]))
    return completes


def measure(work):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jar", action="append", default=[], metavar="NAME=PATH",
                        help="an agent jar to measure under -javaagent (repeatable; default: target/jcprofile.jar)")
    parser.add_argument("--cold-runs", type=int, default=3, help="searches of the cold state (a race with the JIT)")
    parser.add_argument("--no-frames", action="store_true", help="leave out the bytes a level")
    args = parser.parse_args()
    jars = [j.split("=", 1) for j in args.jar] or [["agent", os.path.join(ROOT, "target", "jcprofile.jar")]]
    for name, path in jars:
        if not os.path.isfile(path):
            sys.exit("no agent jar %s: %s (build it: mvn -q package -DskipTests)" % (name, path))
    classes = os.path.join(work, "classes")
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else "java"
    javac = os.path.join(home, "bin", "javac") if home else "javac"
    subprocess.run([javac, "-d", classes, os.path.join(PROGRAM, "com", "example", "depth", "Depth.java")], check=True)
    profile = os.path.join(work, "depth.prof")
    version = subprocess.run([java, "-version"], stderr=subprocess.PIPE, text=True).stderr.splitlines()[0]
    print("bench/stack_depth.py, %s" % version)

    plain = [java]
    agents = [(name, [java, "-javaagent:%s=o=%s,quiet" % (path, profile)]) for name, path in jars]
    launcher = os.path.join(ROOT, "bin", "jcprofile")  # runs the java of JAVA_HOME too

    def ratio(n, base):
        return "%d (%d %%)" % (n, 100 * n // base) if base else str(n)

    print("\nDepths, main thread (cold: %d searches)" % args.cold_runs)
    print("| state | without | %s | bin/jcprofile |" % " | ".join("-javaagent " + n for n, _ in agents))
    for state, (jvm, mode) in STATES.items():
        runs = args.cold_runs if state == "cold" else 1
        base = [limit(runner(plain, classes, jvm, mode)) for _ in range(runs)]
        cells = []
        for _, command in agents:
            got = [limit(runner(command, classes, jvm, mode)) for _ in range(runs)]
            cells.append(", ".join(ratio(g, b) for g, b in zip(got, base)))
        via_launcher = limit(runner([launcher, "-o", profile, "--quiet"], classes, jvm, mode))
        print("| %s | %s | %s | %d |" % (state, ", ".join(map(str, base)), " | ".join(cells), via_launcher), flush=True)

    print("\nDepths, a thread created with a 1 MB stack")
    print("| state | without | %s |" % " | ".join("-javaagent " + n for n, _ in agents))
    for state, (jvm, mode) in STATES.items():
        base = limit(runner(plain, classes, jvm, mode, 1 << 20))
        cells = [ratio(limit(runner(command, classes, jvm, mode, 1 << 20)), base) for _, command in agents]
        print("| %s | %d | %s |" % (state, base, " | ".join(cells)), flush=True)

    if args.no_frames:
        return
    print("\nBytes a level (1 MB over the depths' difference between -Xss2m and -Xss1m)")
    print("| code | without | %s |" % " | ".join("-javaagent " + n for n, _ in agents))
    for kind, (jvm, mode) in FRAMES.items():
        cells = []
        for command in [plain] + [c for _, c in agents]:
            small = limit(runner(command, classes, ["-Xss1m"] + jvm, mode))
            large = limit(runner(command, classes, ["-Xss2m"] + jvm, mode))
            cells.append("%.0f" % ((1 << 20) / (large - small)) if large > small else "?")
        print("| %s | %s |" % (kind, " | ".join(cells)), flush=True)


def main():
    work = tempfile.mkdtemp(prefix="stack-depth-")
    try:
        measure(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
