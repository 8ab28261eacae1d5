#!/usr/bin/env python3
"""The agent's start-up cost: a hello world run plain and under the agent, whole processes, interleaved.

usage: bench/startup.py [--runs N] [--jdk HOME]...   (after mvn -q package -DskipTests)

For each JDK (default: JAVA_HOME's or the java on PATH), runs `java -cp bench/workloads/target/classes Hello`
plain, through bin/jcprofile -q -o FILE --timer MODE and with -javaagent:target/jcprofile.jar=o=FILE,quiet, in
every timer mode the built agent accepts, one of each per round, N rounds, and prints the medians and what the
profiler adds. bench/workload.py's hello workload is this measurement.
The agent instruments with its defaults (every class outside the JDK) and writes its profile at exit, as a
user's first run would.
"""
import argparse
import collections
import os
import sys
import tempfile

import benchlib


def measure(java, version, modes, runs, tmp):
    """A hello world plain, through bin/jcprofile and through -javaagent in each timer mode, interleaved; prints
    the medians and what each adds. bin/jcprofile runs JAVA_HOME's java: this one's home is given to it."""
    classes = os.path.join(benchlib.WORKLOADS, "target", "classes")
    env = dict(os.environ)
    if os.path.isabs(java):
        env["JAVA_HOME"] = os.path.dirname(os.path.dirname(java))
    configs = collections.OrderedDict(plain=[java, "-cp", classes, "Hello"])
    for m in modes:
        configs["bin/jcprofile --timer " + m] = [os.path.join(benchlib.ROOT, "bin", "jcprofile"), "-q", "-o",
                                                 os.path.join(tmp, "hello-launcher-%s.prof" % m), "--timer", m,
                                                 "-cp", classes, "Hello"]
    for m in modes:
        configs["-javaagent timer=" + m] = [java, "-javaagent:%s=o=%s,timer=%s,quiet" % (
            benchlib.JAR, os.path.join(tmp, "hello-agent-%s.prof" % m), m), "-cp", classes, "Hello"]
    times = {c: [] for c in configs}
    for cmd in configs.values():  # one run each first: the page cache, bin/jcprofile's first-use files
        benchlib.timed(cmd, env=env)
    for _ in range(runs):
        for name, cmd in configs.items():
            elapsed, out, _ = benchlib.timed(cmd, env=env)
            if out != "Hello, world\n":
                sys.exit("hello %s printed %r" % (name, out))
            times[name].append(elapsed)
    # A sampling mode may catch nothing in so short a run; the others must have written their profile.
    unwritten = [m for m in modes if not os.path.exists(os.path.join(tmp, "hello-agent-%s.prof" % m))]
    plain = benchlib.median(times["plain"])
    print("hello, JDK %s (%s): a hello world, medians of %d interleaved runs, whole processes (start to exit,"
          " profile written)" % (version, java, runs))
    print("    %-40s %7.1f ms" % ("plain", plain * 1e3))
    for name in list(configs)[1:]:
        t = benchlib.median(times[name])
        print("    %-40s %7.1f ms  adds %6.1f ms  x%.2f" % (name, t * 1e3, (t - plain) * 1e3, t / plain))
    for m in unwritten:
        print("    note: timer=%s wrote no profile (it recorded nothing in this run)" % m)
    print("    all runs (ms): " + "; ".join("%s %s" % (c, " ".join("%.0f" % (t * 1e3) for t in ts))
                                      for c, ts in times.items()))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--jdk", action="append", help="a JDK home; repeatable (default: JAVA_HOME, else PATH)")
    p.add_argument("--no-build", action="store_true", help="bench/workloads is built already")
    a = p.parse_args()
    benchlib.need_jar()
    if not a.no_build:
        benchlib.build_workloads()
    for home in a.jdk or [None]:
        java = benchlib.java_of(home)
        with tempfile.TemporaryDirectory() as tmp:
            measure(java, benchlib.jdk_version(java), benchlib.accepted_modes(java), a.runs, tmp)
        print("    " + benchlib.load_note())


if __name__ == "__main__":
    main()
