#!/usr/bin/env python3
"""Real third-party workloads under each profiler: the slowdown against the unprofiled run, whole processes.

usage: bench/workload.py [--runs N] [--workload h2|ecj]... [--h2-scale S] [--modes wall,cpu,...] [--once MODES]
       (after mvn -q package -DskipTests; JFR's method timing needs JDK 25: JAVA_HOME=/usr/lib/jvm/temurin-25-...)

Workloads, all code that nobody of this project wrote, from Maven Central (bench/workloads/pom.xml):
  h2   the H2 database (com.h2database:h2) running bench.workloads.H2Workload, a fixed SQL workload in memory
       (tables, batched inserts, indexed queries, joins, aggregates, updates); the profilers see org.h2.**.
  ecj  the Eclipse compiler (org.eclipse.jdt:ecj) compiling the sources of commons-lang3 (its sources jar,
       unpacked), without writing classes; the profilers see org.eclipse.jdt.**.
Each is run plain, under jcprofile in every timer mode the built agent accepts (wall, cpu, sampled once it
exists), under async-profiler sampling CPU time (tools.profiler:async-profiler, its libasyncProfiler.so,
event=cpu with perf_events, else itimer, said in the output), and on JDK 25 and later under JFR's method
timing (jdk.MethodTiming) of every class of the workload's own jar (JFR's filter takes class names, not
packages). One run of each configuration per round, N rounds (the modes of --once, by default cpu, only in the
first round: they are tens of times slower); medians; every run's output is checked against the plain run's. Prints the top functions of one profile of each tool, to show that each recorded real work.
"""
import argparse
import collections
import os
import subprocess
import sys
import tempfile
import zipfile

import benchlib

TARGET = os.path.join(benchlib.WORKLOADS, "target")


def class_names(jar, prefix):
    """Every class of the jar under the package prefix (org/h2/), dotted, for JFR's filter."""
    with zipfile.ZipFile(jar) as z:
        return [n[:-6].replace("/", ".") for n in z.namelist()
                if n.startswith(prefix) and n.endswith(".class") and not n.endswith(("module-info.class", "package-info.class"))]


def workloads(tmp, h2_scale):
    """name -> (program arguments after the JVM options, the package to profile, the jar of that package)."""
    lib = os.path.join(TARGET, "lib")
    h2 = os.path.join(lib, "h2.jar")
    ecj = os.path.join(TARGET, "tools", "ecj.jar")
    src = os.path.join(tmp, "commons-lang3-src")
    with zipfile.ZipFile(os.path.join(TARGET, "tools", "commons-lang3-sources.jar")) as z:
        z.extractall(src, [n for n in z.namelist() if n.endswith(".java")])
    return {
        "h2": (["-cp", os.path.join(TARGET, "classes") + os.pathsep + h2, "bench.workloads.H2Workload", str(h2_scale)],
               "org.h2", h2),
        "ecj": (["-jar", ecj, "-d", "none", "-source", "8", "-target", "8", "-encoding", "UTF-8", "-nowarn",
                 "-proceedOnError", src], "org.eclipse.jdt", ecj),
    }


def async_profiler_lib(tmp):
    """libasyncProfiler.so for linux-x64, out of the async-profiler jar that Maven copied."""
    with zipfile.ZipFile(os.path.join(TARGET, "tools", "async-profiler.jar")) as z:
        z.extract("linux-x64/libasyncProfiler.so", tmp)
    return os.path.join(tmp, "linux-x64", "libasyncProfiler.so")


def async_profiler_event(java, lib, tmp):
    """cpu (perf_events) when the kernel lets async-profiler use them here, else itimer."""
    out = os.path.join(tmp, "probe.collapsed")
    run = subprocess.run([java, "-agentpath:%s=start,event=cpu,interval=1ms,collapsed,file=%s" % (lib, out), "-version"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = run.stdout.lower()
    if run.returncode != 0 or "perf" in text or "warn" in text or "error" in text:
        return "itimer", run.stdout.strip().splitlines()[:3]
    return "cpu", []


def top_pstats(profile, n):
    """The profile's first rows by own time, as bin/jpstats prints them."""
    run = subprocess.run([os.path.join(benchlib.ROOT, "bin", "jpstats"), profile], input="sort tottime\nstats %d\n" % n,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = [l for l in run.stdout.splitlines() if l.strip() and "% " not in l and not l.startswith(("Welcome", "Goodbye"))]
    return [l for l in lines if not l.lstrip().startswith(("Ordered by", "List reduced"))]


def top_collapsed(path, n, prefix):
    """async-profiler's collapsed stacks: the frames with the most samples on top of the stack (own time)."""
    own, total = collections.Counter(), 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            own[stack.rsplit(";", 1)[-1]] += int(count)
            total += int(count)
    rows = ["%d samples in all" % total]
    mine = [(k, v) for k, v in own.most_common() if k.replace("/", ".").startswith(prefix)][:n]
    rows += ["%7d  %5.1f%%  %s" % (v, 100.0 * v / max(total, 1), k) for k, v in mine]
    return rows


def top_jfr(java, recording, n):
    jfr = os.path.join(os.path.dirname(java), "jfr")
    run = subprocess.run([jfr, "view", "--width", "160", "method-timing", recording], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    return [l for l in run.stdout.splitlines() if l.strip()][:n + 3]


def program_output(stdout):
    """What the program printed, without the tools' own lines (async-profiler's, JFR's start-up log)."""
    return "".join(l for l in stdout.splitlines(True) if l.strip() != "Profiling started" and "][jfr" not in l)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--workload", action="append", choices=["h2", "ecj"], help="repeatable (default: both)")
    p.add_argument("--h2-scale", type=float, default=1, help="size of the H2 workload (default 1: 20,500 rows)")
    p.add_argument("--modes", help="jcprofile timer modes, comma-separated (default: all the agent accepts)")
    p.add_argument("--once", default="cpu",
                   help="jcprofile modes run in the first round only, being much slower (default: cpu, which reads"
                        " the thread's CPU clock, a system call, twice a call); '' for none")
    p.add_argument("--no-build", action="store_true", help="bench/workloads is built already")
    p.add_argument("--top", type=int, default=8, help="rows of each tool's top functions to print")
    a = p.parse_args()
    benchlib.need_jar()
    if not a.no_build:
        benchlib.build_workloads()
    java = benchlib.java_of(None)
    version, feature = benchlib.jdk_version(java), benchlib.jdk_feature(java)
    modes = benchlib.accepted_modes(java, a.modes.split(",") if a.modes else None)
    with tempfile.TemporaryDirectory() as tmp:
        lib = async_profiler_lib(tmp)
        with zipfile.ZipFile(os.path.join(TARGET, "tools", "async-profiler.jar")) as z:
            props = z.read("META-INF/maven/tools.profiler/async-profiler/pom.properties").decode()
            ap_version = dict(l.split("=", 1) for l in props.splitlines() if "=" in l).get("version", "?")
        event, why = async_profiler_event(java, lib, tmp)
        all_workloads = workloads(tmp, a.h2_scale)
        for name in a.workload or ["h2", "ecj"]:
            args, package, jar = all_workloads[name]
            out = lambda suffix: os.path.join(tmp, "%s-%s" % (name, suffix))
            configs = collections.OrderedDict()
            configs["plain"] = [java] + args
            for m in modes:
                configs["jcprofile timer=" + m] = [java, "-javaagent:%s=o=%s,timer=%s,include=%s.**,quiet" % (
                    benchlib.JAR, out(m + ".prof"), m, package)] + args
            configs["async-profiler %s 1 ms" % event] = [java, "-agentpath:%s=start,event=%s,interval=1ms,collapsed,file=%s" % (
                lib, event, out("async.collapsed"))] + args
            if feature >= 25:
                classes = class_names(jar, package.replace(".", "/") + "/")
                configs["JFR method timing"] = [java, "-XX:StartFlightRecording:method-timing=%s,filename=%s" % (
                    ";".join(classes), out("method-timing.jfr"))] + args
            once = {"jcprofile timer=" + m for m in a.once.split(",") if m}
            times = {c: [] for c in configs}
            expected = None
            for round in range(a.runs):
                for config, cmd in configs.items():
                    if round > 0 and config in once:
                        continue
                    elapsed, stdout, _ = benchlib.timed(cmd, cwd=tmp)
                    stdout = program_output(stdout)
                    if expected is None:
                        expected = stdout
                    elif stdout != expected:
                        sys.exit("%s %s printed something else than the plain run:\n%s" % (name, config, stdout[-2000:]))
                    times[config].append(elapsed)
            plain = benchlib.median(times["plain"])
            print("%s, JDK %s: medians of %d interleaved runs, whole processes (start to exit, profile written)" % (
                name, version, a.runs))
            for config in configs:
                t = benchlib.median(times[config])
                print("    %-28s %7.2f s  x%.2f%s" % (config, t, t / plain, "  (1 run)" if len(times[config]) == 1 < a.runs else ""))
            print("    all runs (s): " + "; ".join("%s %s" % (c, " ".join("%.2f" % t for t in ts)) for c, ts in times.items()))
            if event == "cpu":
                print("    async-profiler %s: event=cpu through perf_events, interval 1 ms, collapsed stacks written at exit" % ap_version)
            else:
                print("    async-profiler %s: perf_events not available here, so event=itimer: %s" % (ap_version, " / ".join(why)))
            if feature >= 25:
                print("    JFR: -XX:StartFlightRecording:method-timing=<every class of %s, ';'-separated>,filename=... "
                      "(the default settings plus jdk.MethodTiming)" % os.path.basename(jar))
            if modes:
                print("    jcprofile, timer=%s, top functions by own time:" % modes[0])
                for line in top_pstats(out(modes[0] + ".prof"), a.top):
                    print("        " + line)
            print("    async-profiler, top frames of %s by own samples:" % package)
            for line in top_collapsed(out("async.collapsed"), a.top, package):
                print("        " + line)
            if feature >= 25:
                print("    JFR method timing (%d classes of %s), jfr view method-timing:" % (len(classes), os.path.basename(jar)))
                for line in top_jfr(java, out("method-timing.jfr"), a.top):
                    print("        " + line)
            print("    " + benchlib.load_note())
            sys.stdout.flush()


if __name__ == "__main__":
    main()
