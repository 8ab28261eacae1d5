#!/usr/bin/env python3
"""Attach/detach cycles on a running program under load, and its throughput before and after.

The program (dist/src/test/programs/service) runs WORKERS threads doing checked rounds of work and writes the
rounds done and the workers' CPU time every half second. It runs in two shapes: "loop", each worker looping in a
method of the program that never returns, and "pool", each worker a thread of a JDK executor running short tasks
(the shape of a server: the program's methods return and are entered again). A method running while its class is
retransformed goes on in its old version, which HotSpot never compiles again (see docs/reliability.md): the loop
shape shows that cost, the pool shape what a service sees. This script measures its rounds per CPU second over
2-second windows before the first attach, then runs CYCLES cycles of `jcprofile attach PID --duration 2s -o FILE` with a `jcprofile dump`
in the middle of each (timers wall, cpu and sampled in turn), checks every profile and snapshot with python3's
pstats, lets the JIT settle, and measures the rounds per second again. The program's output must be exactly what
it prints without the profiler. A twin of the program, never attached to, runs alongside and is measured in the
same windows: the machine's load moves both alike, so the attached program's throughput is compared with the
twin's, before and after. See docs/reliability.md.

usage: bench/attach_cycles.py [CYCLES [WORKERS [SHAPE]]]   (SHAPE: loop, pool or both, the default; from the
       repository's root, after mvn -q package -DskipTests; JAVA_HOME selects the JDK)
"""
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.getcwd()
JAVA_HOME = os.environ.get("JAVA_HOME")
JAVA = os.path.join(JAVA_HOME, "bin", "java") if JAVA_HOME else "java"
JAVAC = os.path.join(JAVA_HOME, "bin", "javac") if JAVA_HOME else "javac"
JCPROFILE = os.path.join(ROOT, "bin", "jcprofile")


def rounds(d):
    try:
        with open(os.path.join(d, "rates")) as f:
            lines = f.read().split("\n")
        t, n, cpu = lines[-2].split()
        return int(t), int(n), int(cpu)
    except (OSError, IndexError, ValueError):
        return None


def rate_windows(dirs, count, seconds=2.0):
    """For each window, the rounds per second of each program, from their own counts."""
    out = []
    for _ in range(count):
        a = [rounds(d) for d in dirs]
        time.sleep(seconds)
        b = [rounds(d) for d in dirs]
        # Rounds per second of the workers' CPU time: what the code costs, whatever else the machine runs.
        out.append([(y[1] - x[1]) * 1e9 / max(1, y[2] - x[2]) for x, y in zip(a, b)])
    return out


def calls_of(profile, name):
    st = pstats.Stats(profile)
    return sum(v[1] for k, v in st.stats.items() if k[2] == name)


def main():
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    shape = sys.argv[3] if len(sys.argv) > 3 else "both"
    if shape not in ("loop", "pool", "both"):
        sys.exit("attach_cycles.py: SHAPE must be loop, pool or both, not " + shape)
    for s in (["loop", "pool"] if shape == "both" else [shape]):
        run(cycles, workers, s)


def run(cycles, workers, shape):
    extra = ["pool"] if shape == "pool" else []
    with tempfile.TemporaryDirectory() as d:
        classes = os.path.join(d, "classes")
        src = os.path.join(ROOT, "dist/src/test/programs/service/com/example/service/Service.java")
        subprocess.run([JAVAC, "-d", classes, src], check=True)
        out = open(os.path.join(d, "out"), "w")
        err = open(os.path.join(d, "err"), "w")
        p = subprocess.Popen([JAVA, "-cp", classes, "com.example.service.Service", d, str(workers), "0", "rates"]
                             + extra, stdout=out, stderr=err)
        twin_dir = os.path.join(d, "twin")
        os.mkdir(twin_dir)
        twin = subprocess.Popen([JAVA, "-cp", classes, "com.example.service.Service", twin_dir, str(workers), "0",
                                 "rates"] + extra, stdout=subprocess.DEVNULL)
        while rounds(d) is None or rounds(twin_dir) is None:
            time.sleep(0.1)
        time.sleep(10)  # warm-up: the JIT compiles the rounds
        before = rate_windows([d, twin_dir], 10)
        written = 0
        timers = ["wall", "cpu", "sampled"]
        for i in range(cycles):
            prof = os.path.join(d, "cycle-%d.prof" % i)
            snap = os.path.join(d, "snap-%d.prof" % i)
            a = subprocess.Popen([JCPROFILE, "attach", str(p.pid), "--duration", "2s", "-o", prof,
                                  "--timer", timers[i % 3]], stderr=subprocess.PIPE, text=True)
            time.sleep(1.5)
            dump = subprocess.run([JCPROFILE, "dump", str(p.pid), "-o", snap], stderr=subprocess.PIPE, text=True)
            msg = a.communicate()[1]
            if a.returncode != 0 or "wrote " + prof not in msg:
                sys.exit("cycle %d: attach failed: %s" % (i, msg))
            full = calls_of(prof, "Service.round")
            if full <= 0:
                sys.exit("cycle %d: no rounds recorded" % i)
            if dump.returncode == 0:
                # The snapshot was taken during the session: never more than the whole session.
                if not 0 < calls_of(snap, "Service.round") <= full:
                    sys.exit("cycle %d: snapshot inconsistent with the session" % i)
                written += 1
            elif "no jcprofile session is recording" not in dump.stderr:
                sys.exit("cycle %d: dump failed: %s" % (i, dump.stderr))
            written += 1
        time.sleep(15)  # the JIT recompiles the methods that were instrumented
        after = rate_windows([d, twin_dir], 10)
        open(os.path.join(d, "stop"), "w").close()
        open(os.path.join(twin_dir, "stop"), "w").close()
        p.wait()
        twin.wait()
        out.close()
        err.close()
        text = open(os.path.join(d, "out")).read()
        expected = "ready\n" + "".join("worker-%d: every round gave the expected result\n" % w for w in range(workers)) \
            + "deep: never descended\n"
        jdk = subprocess.run([JAVA, "-version"], stderr=subprocess.PIPE, text=True).stderr.split("\n")[0]
        # Attached program's rounds per twin's round, per window; the median of those ratios before and after.
        rb = statistics.median(x[0] / x[1] for x in before)
        ra = statistics.median(x[0] / x[1] for x in after)
        print("%s, %s shape, %d workers: %d attach/detach cycles, %d profiles and snapshots written and read back"
              % (jdk, shape, workers, cycles, written))
        print("rounds per CPU second before the first attach: median %.0f (twin %.0f)"
              % (statistics.median(x[0] for x in before), statistics.median(x[1] for x in before)))
        print("rounds per CPU second after the last detach:   median %.0f (twin %.0f)"
              % (statistics.median(x[0] for x in after), statistics.median(x[1] for x in after)))
        print("attached/twin: %.3f before, %.3f after; after/before %.3f" % (rb, ra, ra / rb))
        print("output %s; exit code %d" % ("unchanged" if text == expected else "CHANGED:\n" + text, p.returncode))
        sys.stdout.flush()
        if text != expected or p.returncode != 0:
            sys.exit(1)


if __name__ == "__main__":
    main()
