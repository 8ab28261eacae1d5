"""What the whole-program benchmarks share: the JVM to run, the profiler's modes, timing processes, medians."""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.path.join(ROOT, "target", "jcprofile.jar")
WORKLOADS = os.path.join(HERE, "workloads")
JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64"

# The modes to try, in this order; the built jar tells which it accepts (see accepted_modes).
CANDIDATE_MODES = ("wall", "cpu", "sampled", "sampled-cpu")


def java_of(home):
    """The java launcher of a JDK home; None or "" means JAVA_HOME's, else the one on PATH."""
    home = home or os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else "java"


def jdk_version(java):
    """The runtime's version string, as `java -version` prints it (17.0.15, 25.0.1)."""
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, check=True).stdout
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("java.runtime.version = "):
            return line.split("=", 1)[1].strip()
    return "unknown"


def jdk_feature(java):
    v = jdk_version(java)
    try:
        return int(v.split(".")[0].split("+")[0].split("-")[0])
    except ValueError:
        return 0


def need_jar():
    if not os.path.exists(JAR):
        sys.exit("%s is missing: build it first with mvn -q package -DskipTests" % JAR)


def accepted_modes(java, wanted=None):
    """The timer modes that the built agent accepts: it rejects an unknown timer (with cli=true, which must
    come last) with a one-line error and exit code 2, before the program runs."""
    modes = []
    for mode in (wanted or CANDIDATE_MODES):
        run = subprocess.run([java, "-javaagent:%s=timer=%s,quiet,cli=true" % (JAR, mode), "-version"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode == 0:
            modes.append(mode)
        elif wanted:
            sys.exit("the agent rejects timer=%s: %s" % (mode, run.stderr.strip()))
    return modes


def build_workloads():
    """Builds bench/workloads (Maven copies H2, ecj, the sources ecj compiles, ASM and async-profiler)."""
    run = subprocess.run(["mvn", "-q", "-B", "-ntp", "-f", os.path.join(WORKLOADS, "pom.xml"), "package"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0:
        sys.exit("building bench/workloads failed:\n" + run.stdout)


def timed(cmd, cwd=None, env=None):
    """Runs a whole process; returns (seconds from start to exit, stdout, stderr). Fails on a non-zero exit."""
    start = time.perf_counter()
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit("failed (exit %d): %s\n%s" % (run.returncode, " ".join(cmd), run.stderr.decode(errors="replace")[-3000:]))
    return elapsed, run.stdout.decode(errors="replace"), run.stderr.decode(errors="replace")


def median(xs):
    return statistics.median(xs)


def load_note():
    """The machine's load average now, to print beside the figures."""
    try:
        with open("/proc/loadavg") as f:
            one, five, fifteen = f.read().split()[:3]
        return "load average %s, %s, %s on %d cores" % (one, five, fifteen, os.cpu_count() or 0)
    except OSError:
        return "load average unknown"
