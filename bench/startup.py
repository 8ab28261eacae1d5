#!/usr/bin/env python3
"""The agent's start-up cost: a hello world run plain and under the agent, whole processes, interleaved.

usage: bench/startup.py [--runs N] [--jdk HOME]...   (after mvn -q package -DskipTests)

For each JDK (default: JAVA_HOME's or the java on PATH), runs `java -cp bench/workloads/target/classes Hello`
plain and with -javaagent:target/jcprofile.jar=o=FILE,quiet in every timer mode the built agent accepts (wall,
cpu, sampled once it exists), one of each per round, N rounds, and prints the medians and what the agent adds.
The agent instruments with its defaults (every class outside the JDK) and writes its profile at exit, as a
user's first run would.
"""
import argparse
import os
import sys
import tempfile

import benchlib


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--jdk", action="append", help="a JDK home; repeatable (default: JAVA_HOME, else PATH)")
    p.add_argument("--no-build", action="store_true", help="bench/workloads is built already")
    a = p.parse_args()
    benchlib.need_jar()
    if not a.no_build:
        benchlib.build_workloads()
    classes = os.path.join(benchlib.WORKLOADS, "target", "classes")
    for home in a.jdk or [None]:
        java = benchlib.java_of(home)
        version = benchlib.jdk_version(java)
        modes = benchlib.accepted_modes(java)
        with tempfile.TemporaryDirectory() as tmp:
            configs = {"plain": [java, "-cp", classes, "Hello"]}
            for m in modes:
                configs["agent, timer=" + m] = [java, "-javaagent:%s=o=%s,timer=%s,quiet" % (
                    benchlib.JAR, os.path.join(tmp, m + ".prof"), m), "-cp", classes, "Hello"]
            times = {c: [] for c in configs}
            for cmd in configs.values():  # one run each first: the page cache, the JIT's files
                benchlib.timed(cmd)
            for _ in range(a.runs):
                for name, cmd in configs.items():
                    elapsed, out, _ = benchlib.timed(cmd)
                    if out != "Hello, world\n":
                        sys.exit("%s printed %r" % (name, out))
                    times[name].append(elapsed)
            # A sampling mode may catch nothing in so short a run; the others must have written their profile.
            unwritten = [m for m in modes if not os.path.exists(os.path.join(tmp, m + ".prof"))]
        plain = benchlib.median(times["plain"])
        print("start-up, JDK %s (%s): hello world, medians of %d interleaved runs" % (version, java, a.runs))
        print("    plain %.1f ms" % (plain * 1e3))
        for name in list(configs)[1:]:
            t = benchlib.median(times[name])
            print("    %s %.1f ms: adds %.1f ms (x%.2f)" % (name, t * 1e3, (t - plain) * 1e3, t / plain))
        for m in unwritten:
            print("    note: timer=%s wrote no profile (it recorded nothing in this run)" % m)
        print("    all runs (ms): " + "; ".join("%s %s" % (name, " ".join("%.0f" % (t * 1e3) for t in ts))
                                          for name, ts in times.items()))
        print("    " + benchlib.load_note())


if __name__ == "__main__":
    main()
