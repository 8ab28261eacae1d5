#!/usr/bin/env python3
"""Counts the paths the profiler's hooks take on real workloads: which calls hit the last edge or the edge cache,
which go out of line to the hash table, how many calls come back from the JDK, which pushes are recursive.

usage: bench/hook_paths.py [--workload h2|ecj]... [--timer sampled|wall]... [--h2-scale S]

The counters would cost the hot path, so they are not in the product: this script copies HEAD's sources into a
temporary git worktree, applies bench/hook_paths.patch (a plain increment on each path, printed at exit), builds
that agent there and runs the workloads of bench/workload.py under it. Counts only, no times: a loaded machine
gives the same figures. The patch follows Hooks and ThreadState; when they change, `git apply` says where it no
longer fits, and the patch is made again from a worktree edited by hand (git diff > bench/hook_paths.patch).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import benchlib
import workload

PATCH = os.path.join(benchlib.HERE, "hook_paths.patch")


def build_counting_agent(tmp):
    """HEAD in a worktree under tmp, the patch applied, the agent built there; returns its jar."""
    tree = os.path.join(tmp, "counting")
    subprocess.run(["git", "-C", benchlib.ROOT, "worktree", "add", "--detach", "-q", tree, "HEAD"], check=True)
    try:
        subprocess.run(["git", "-C", tree, "apply", PATCH], check=True)
    except subprocess.CalledProcessError:
        sys.exit("bench/hook_paths.patch no longer applies to HEAD: make it again (see this script's docstring)")
    print("building the counting agent in %s ..." % tree, file=sys.stderr, flush=True)
    subprocess.run(["mvn", "-o", "-q", "-B", "package", "-DskipTests"], cwd=tree, check=True,
                   stdout=subprocess.DEVNULL)
    return tree, os.path.join(tree, "target", "jcprofile.jar")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workload", action="append", choices=["h2", "ecj"], help="repeatable (default: both)")
    p.add_argument("--timer", action="append", choices=["sampled", "wall"], help="repeatable (default: both)")
    p.add_argument("--h2-scale", type=float, default=1, help="size of the H2 workload (default 1)")
    a = p.parse_args()
    benchlib.build_workloads()
    java = benchlib.java_of(None)
    print("bench/hook_paths.py %s, JDK %s (%s), HEAD %s" % (
        " ".join(sys.argv[1:]), benchlib.jdk_version(java), java,
        subprocess.run(["git", "-C", benchlib.ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                       text=True, check=True).stdout.strip()))
    with tempfile.TemporaryDirectory() as tmp:
        tree, jar = build_counting_agent(tmp)
        try:
            programs = workload.workloads(tmp, a.h2_scale)
            for name in a.workload or ["h2", "ecj"]:
                args, package, _ = programs[name]
                for timer in a.timer or ["sampled", "wall"]:
                    agent = "-javaagent:%s=o=%s,timer=%s,include=%s.**,quiet" % (
                        jar, os.path.join(tmp, name + ".prof"), timer, package)
                    run = subprocess.run([java, agent] + args, cwd=tmp, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, text=True)
                    lines = run.stderr.splitlines()
                    if run.returncode != 0 or "jcprofile hook paths:" not in lines:
                        sys.exit("%s under timer=%s failed (exit %d):\n%s" % (name, timer, run.returncode, run.stderr))
                    print("%s, timer=%s (include=%s.**):" % (name, timer, package))
                    for line in lines[lines.index("jcprofile hook paths:") + 1:]:
                        print("  " + line)
                    sys.stdout.flush()
        finally:
            subprocess.run(["git", "-C", benchlib.ROOT, "worktree", "remove", "--force", tree], check=False)


if __name__ == "__main__":
    main()
