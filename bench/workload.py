#!/usr/bin/env python3
"""Real third-party workloads under each profiler: the slowdown against the unprofiled run, whole processes.

usage: bench/workload.py [--quick] [--runs N] [--workload h2|ecj|http|build|hello|jpstats]... [--h2-scale S] [--modes wall,cpu,...]
                         [--once MODES] [--variant MODE:JVM-FLAGS]... [--requests N] [--concurrency C]
       (after mvn -q package -DskipTests; JFR's method timing needs JDK 25: JAVA_HOME=/usr/lib/jvm/temurin-25-...)

Workloads, all code that nobody of this project wrote, from Maven Central (bench/workloads/pom.xml):
  h2   the H2 database (com.h2database:h2) running bench.workloads.H2Workload, a fixed SQL workload in memory
       (tables, batched inserts, indexed queries, joins, aggregates, updates); the profilers see org.h2.**.
  ecj  the Eclipse compiler (org.eclipse.jdt:ecj) compiling the sources of commons-lang3 (its sources jar,
       unpacked), without writing classes; the profilers see org.eclipse.jdt.**.
  http an Undertow server (io.undertow:undertow-core, on XNIO) whose pages each run an indexed join on an in-memory
       H2 database (bench.workloads.HttpWorkload), driven from 127.0.0.1 by this script: --requests requests at
       --concurrency connections (keep-alive), twice: a warm-up pass, then the measured pass whose throughput and
       latency percentiles are printed; the profilers see io.undertow.**, org.xnio.**, org.h2.**. The client is
       Python threads on the same machine: its own cost is the same in every configuration, and caps the plain
       server's throughput, so the ratios are, if anything, kinder than the server's own.
  build a start-up-heavy program: Maven (the mvn on the PATH, -o -q compile) building a one-class project from
       scratch, which loads some thousands of classes (Maven, Plexus, Sisu, Guice, Aether, the plugins) and runs
       each briefly; the agent is given through MAVEN_OPTS and instruments every class outside the JDK, as it
       does by default. Each configuration runs twice in a row, the first run and the second, to show whatever
       a second run saves (the OS's file cache; the agent keeps nothing between runs).
  hello the start-up cost: a hello world (bench/workloads' Hello) plain, through bin/jcprofile in each timer mode
       (the launcher's own flags included) and through -javaagent; 4 x --runs interleaved runs, each a whole
       process, after one of each; what each adds to the plain run, in milliseconds.
  jpstats bin/jpstats against python3 -m pstats (bench/pstats_speed.py's comparison) on two profiles of 100,000
       functions and 1,000,000 caller edges (make_big_profile.py), callers skewed and spread uniformly:
       `sort cumtime` + `stats 1000`, the tools alternated run by run, --runs runs each, the output compared.
Each is run plain, under jcprofile in every timer mode the built agent accepts (wall, cpu, sampled once it
exists), under async-profiler sampling CPU time (tools.profiler:async-profiler, its libasyncProfiler.so,
event=cpu with perf_events, else itimer, said in the output), and on JDK 25 and later under JFR's method
timing (jdk.MethodTiming) of every class of the workload's own jar (JFR's filter takes class names, not
packages; not for http and build, whose classes come from many jars). --variant adds a jcprofile configuration
with extra JVM flags (e.g. sampled:-XX:InlineSmallCode=4000), to measure an idea against its baseline in one run. One run of each configuration per round, N rounds (the modes of --once, by default cpu, only in the
first round: they are tens of times slower); medians; every run's output is checked against the plain run's. Prints the top functions of one profile of each tool, to show that each recorded real work.
"""
import argparse
import collections
import http.client
import shutil
import threading
import time
import zlib
import os
import subprocess
import sys
import tempfile
import zipfile

import benchlib
import pstats_speed
import startup

TARGET = os.path.join(benchlib.WORKLOADS, "target")
ALL_WORKLOADS = ["h2", "ecj", "http", "build", "hello", "jpstats"]


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


BUILD_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>hello</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
    </plugins>
  </build>
</project>
"""


def percentile(sorted_xs, q):
    return sorted_xs[min(len(sorted_xs) - 1, int(q * len(sorted_xs)))]


def drive(port, requests, concurrency):
    """requests GETs at concurrency keep-alive connections; returns (seconds, sorted latencies, body checksum)."""
    latencies, sums, errors = [], [], []
    per = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]

    def worker(k):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine, total = [], 0
            for i in range(per[k]):
                customer = (k * 7919 + i * 104729) % 2000
                t = time.perf_counter()
                conn.request("GET", "/orders?customer=%d" % customer)
                r = conn.getresponse()
                body = r.read()
                mine.append(time.perf_counter() - t)
                if r.status != 200:
                    raise RuntimeError("status %d" % r.status)
                total += zlib.crc32(body)
            conn.close()
            latencies.extend(mine)
            sums.append(total)
        except Exception as e:  # reported below, the run fails
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(errors[0])
    return elapsed, sorted(latencies), sum(sums)


def run_server(cmd, cwd, requests, concurrency):
    """Starts the server, two passes of requests (warm-up, measured), /quit; returns a dict of figures."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = []
    threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True).start()
    port = None
    for line in proc.stdout:
        if line.startswith("listening on "):
            port = int(line.split()[2])
            break
    if port is None:
        proc.wait()
        sys.exit("the server did not start: %s\n%s" % (" ".join(cmd), "".join(err)[-3000:]))
    up = time.perf_counter() - start
    try:
        warm, _, sum1 = drive(port, requests, concurrency)
        measured, lat, sum2 = drive(port, requests, concurrency)
    except RuntimeError as e:
        proc.kill()
        sys.exit("the client failed against %s: %s" % (" ".join(cmd), e))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/quit")
    conn.getresponse().read()
    conn.close()
    rest = proc.stdout.read()
    if proc.wait() != 0:
        sys.exit("the server failed (exit %d): %s\n%s" % (proc.returncode, " ".join(cmd), "".join(err)[-3000:]))
    return {"up": up, "warm": warm, "rps": requests / measured, "p50": percentile(lat, 0.5) * 1e3,
            "p99": percentile(lat, 0.99) * 1e3, "total": time.perf_counter() - start, "check": (sum1, sum2, rest)}


def maven_build(project, java, opts):
    """mvn -o -q compile of the one-class project from scratch, the JVM options in MAVEN_OPTS; returns seconds."""
    shutil.rmtree(os.path.join(project, "target"), ignore_errors=True)
    env = dict(os.environ)
    env["MAVEN_OPTS"] = " ".join(opts)
    home = os.path.dirname(os.path.dirname(java)) if os.path.isabs(java) else None
    if home:
        env["JAVA_HOME"] = home
    elapsed, _, _ = benchlib.timed(["mvn", "-o", "-q", "-B", "compile"], cwd=project, env=env)
    if not os.path.exists(os.path.join(project, "target", "classes", "Hello.class")):
        sys.exit("the Maven build under %s compiled nothing" % env["MAVEN_OPTS"])
    return elapsed


def jpstats(runs, tmp, version):
    """The jpstats workload: pstats_speed's comparison on the two shapes of a 100,000-function profile."""
    print("jpstats, JDK %s: bin/jpstats against python3 -m pstats (%s), `sort cumtime` + `stats 1000`, whole"
          " processes, the tools alternated" % (version, sys.version.split()[0]))
    sys.stdout.flush()
    for shape in ("skewed", "uniform"):
        profile = os.path.join(tmp, "jpstats-%s.prof" % shape)
        subprocess.run([sys.executable, os.path.join(benchlib.HERE, "make_big_profile.py"), profile, "100000",
                        "1000000", "1", shape], check=True)
        if not pstats_speed.compare("    %s callers" % shape, profile, runs):
            sys.exit("jpstats printed something else than python3 -m pstats on the %s profile" % shape)
        os.remove(profile)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--quick", action="store_true",
                   help="a short smoke pass: 1 run, H2 at scale 0.2, 1,000 requests, ecj left out unless asked for")
    p.add_argument("--workload", action="append", choices=ALL_WORKLOADS,
                   help="repeatable (default: all six)")
    p.add_argument("--h2-scale", type=float, default=1, help="size of the H2 workload (default 1: 20,500 rows)")
    p.add_argument("--requests", type=int, default=10_000, help="http: requests in each pass (default 10,000)")
    p.add_argument("--concurrency", type=int, default=8, help="http: connections at once (default 8)")
    p.add_argument("--modes", help="jcprofile timer modes, comma-separated (default: all the agent accepts)")
    p.add_argument("--once", default="cpu",
                   help="jcprofile modes run in the first round only, being much slower (default: cpu, which reads"
                        " the thread's CPU clock, a system call, twice a call); '' for none")
    p.add_argument("--variant", action="append", default=[], metavar="MODE:FLAGS",
                   help="an extra jcprofile configuration: timer MODE with these JVM flags (space-separated)")
    p.add_argument("--no-build", action="store_true", help="bench/workloads is built already")
    p.add_argument("--top", type=int, default=8, help="rows of each tool's top functions to print")
    a = p.parse_args()
    if a.quick:
        a.runs, a.h2_scale, a.requests = 1, 0.2, 1000
        a.workload = a.workload or ["h2", "http", "build", "hello"]
    benchlib.need_jar()
    if not a.no_build:
        benchlib.build_workloads()
    java = benchlib.java_of(None)
    version, feature = benchlib.jdk_version(java), benchlib.jdk_feature(java)
    modes = benchlib.accepted_modes(java, a.modes.split(",") if a.modes else None)
    variants = []
    for v in a.variant:
        mode, _, flags = v.partition(":")
        benchlib.accepted_modes(java, [mode])
        variants.append((mode, flags.split()))
    print("bench/workload.py %s, JDK %s (%s), %s" % (" ".join(sys.argv[1:]), version, java, benchlib.load_note()))
    with tempfile.TemporaryDirectory() as tmp:
        lib = async_profiler_lib(tmp)
        with zipfile.ZipFile(os.path.join(TARGET, "tools", "async-profiler.jar")) as z:
            props = z.read("META-INF/maven/tools.profiler/async-profiler/pom.properties").decode()
            ap_version = dict(l.split("=", 1) for l in props.splitlines() if "=" in l).get("version", "?")
        event, why = async_profiler_event(java, lib, tmp)
        all_workloads = workloads(tmp, a.h2_scale)
        for name in a.workload or ALL_WORKLOADS:
            out = lambda suffix: os.path.join(tmp, "%s-%s" % (name, suffix))
            if name in ("hello", "jpstats"):
                if name == "hello":
                    startup.measure(java, version, modes, a.runs * 4, tmp)
                else:
                    jpstats(a.runs, tmp, version)
                print("    " + benchlib.load_note())
                sys.stdout.flush()
                continue
            if name in all_workloads:
                args, package, jar = all_workloads[name]
                include = package + ".**"
            elif name == "http":
                args = ["-cp", os.path.join(TARGET, "classes") + os.pathsep + os.path.join(TARGET, "lib", "*"),
                        "bench.workloads.HttpWorkload"]
                package, jar, include = "io.undertow", None, "io.undertow.**;org.xnio.**;org.h2.**"
            else:
                project = os.path.join(tmp, "build-project")
                os.makedirs(os.path.join(project, "src", "main", "java"), exist_ok=True)
                with open(os.path.join(project, "pom.xml"), "w") as f:
                    f.write(BUILD_POM)
                shutil.copy(os.path.join(benchlib.WORKLOADS, "src", "main", "java", "Hello.java"),
                            os.path.join(project, "src", "main", "java"))
                args, package, jar, include = [], "org.apache.maven", None, None
            configs = collections.OrderedDict()  # name -> JVM options
            configs["plain"] = []
            for m in modes:
                configs["jcprofile timer=" + m] = ["-javaagent:%s=o=%s,timer=%s,%squiet" % (
                    benchlib.JAR, out(m + ".prof"), m, "include=%s," % include if include else "")]
            for m, flags in variants:
                configs["jcprofile timer=%s %s" % (m, " ".join(flags))] = flags + ["-javaagent:%s=o=%s,timer=%s,%squiet" % (
                    benchlib.JAR, out(m + "-variant.prof"), m, "include=%s," % include if include else "")]
            configs["async-profiler %s 1 ms" % event] = ["-agentpath:%s=start,event=%s,interval=1ms,collapsed,file=%s" % (
                lib, event, out("async.collapsed"))]
            if feature >= 25 and jar:
                classes = class_names(jar, package.replace(".", "/") + "/")
                configs["JFR method timing"] = ["-XX:StartFlightRecording:method-timing=%s,filename=%s" % (
                    ";".join(classes), out("method-timing.jfr"))]
            once = {"jcprofile timer=" + m for m in a.once.split(",") if m}
            times = {c: [] for c in configs}
            expected = None
            for round in range(a.runs):
                for config, opts in configs.items():
                    if round > 0 and config in once:
                        continue
                    if name == "http":
                        r = run_server([java] + opts + args, tmp, a.requests, a.concurrency)
                        if expected is None:
                            expected = r["check"]
                        elif r["check"] != expected:
                            sys.exit("http %s: the responses differ from the plain run's" % config)
                        times[config].append(r)
                    elif name == "build":
                        times[config].append((maven_build(project, java, opts), maven_build(project, java, opts)))
                    else:
                        elapsed, stdout, _ = benchlib.timed([java] + opts + args, cwd=tmp)
                        stdout = program_output(stdout)
                        if expected is None:
                            expected = stdout
                        elif stdout != expected:
                            sys.exit("%s %s printed something else than the plain run:\n%s" % (name, config, stdout[-2000:]))
                        times[config].append(elapsed)
            note = lambda c: "  (1 run)" if len(times[c]) == 1 < a.runs else ""
            if name == "http":
                print("http, JDK %s: Undertow %s + H2, %d requests at %d connections after as many to warm up; medians"
                      " of %d interleaved runs" % (version, "2.4.4.Final", a.requests, a.concurrency, a.runs))
                med = lambda c, k: benchlib.median([r[k] for r in times[c]])
                base = {k: med("plain", k) for k in ("up", "warm", "rps", "p50", "p99", "total")}
                print("    %-40s %9s %7s %7s %7s %8s %8s" % ("", "req/s", "p50 ms", "p99 ms", "up s", "warm s", "total s"))
                for c in configs:
                    print("    %-40s %9.0f %7.2f %7.2f %7.2f %8.2f %8.2f  throughput x%.2f of plain (plain/this %.2f),"
                          " p50 x%.2f, p99 x%.2f, warm-up pass x%.2f%s" % (
                              c, med(c, "rps"), med(c, "p50"), med(c, "p99"), med(c, "up"), med(c, "warm"), med(c, "total"),
                              med(c, "rps") / base["rps"], base["rps"] / med(c, "rps"), med(c, "p50") / base["p50"],
                              med(c, "p99") / base["p99"], med(c, "warm") / base["warm"], note(c)))
                print("    all runs (req/s): " + "; ".join("%s %s" % (c, " ".join("%.0f" % r["rps"] for r in rs))
                                                      for c, rs in times.items()))
            elif name == "build":
                print("build, JDK %s: mvn -o -q compile of a one-class project from scratch (%s), first and second run"
                      " in a row; medians of %d rounds" % (version, subprocess.run(["mvn", "-v"], stdout=subprocess.PIPE,
                      text=True).stdout.splitlines()[0].replace("\x1b[1m", "").replace("\x1b[m", "").replace("\x1b[0m", ""), a.runs))
                first = benchlib.median([t[0] for t in times["plain"]])
                second = benchlib.median([t[1] for t in times["plain"]])
                for c in configs:
                    f, s2 = benchlib.median([t[0] for t in times[c]]), benchlib.median([t[1] for t in times[c]])
                    print("    %-40s first %6.2f s  x%.2f   second %6.2f s  x%.2f%s" % (c, f, f / first, s2, s2 / second, note(c)))
                print("    all runs (s, first/second): " + "; ".join("%s %s" % (c, " ".join("%.2f/%.2f" % t for t in ts))
                                                                 for c, ts in times.items()))
            else:
                plain = benchlib.median(times["plain"])
                print("%s, JDK %s: medians of %d interleaved runs, whole processes (start to exit, profile written)" % (
                    name, version, a.runs))
                for config in configs:
                    t = benchlib.median(times[config])
                    print("    %-40s %7.2f s  x%.2f%s" % (config, t, t / plain, note(config)))
                print("    all runs (s): " + "; ".join("%s %s" % (c, " ".join("%.2f" % t for t in ts)) for c, ts in times.items()))
            if event == "cpu":
                print("    async-profiler %s: event=cpu through perf_events, interval 1 ms, collapsed stacks written at exit" % ap_version)
            else:
                print("    async-profiler %s: perf_events not available here, so event=itimer: %s" % (ap_version, " / ".join(why)))
            if feature >= 25 and jar:
                print("    JFR: -XX:StartFlightRecording:method-timing=<every class of %s, ';'-separated>,filename=... "
                      "(the default settings plus jdk.MethodTiming)" % os.path.basename(jar))
            if modes:
                print("    jcprofile, timer=%s, top functions by own time:" % modes[0])
                for line in top_pstats(out(modes[0] + ".prof"), a.top):
                    print("        " + line)
            print("    async-profiler, top frames of %s by own samples:" % package)
            for line in top_collapsed(out("async.collapsed"), a.top, package):
                print("        " + line)
            if feature >= 25 and jar:
                print("    JFR method timing (%d classes of %s), jfr view method-timing:" % (len(classes), os.path.basename(jar)))
                for line in top_jfr(java, out("method-timing.jfr"), a.top):
                    print("        " + line)
            print("    " + benchlib.load_note())
            sys.stdout.flush()


if __name__ == "__main__":
    main()
