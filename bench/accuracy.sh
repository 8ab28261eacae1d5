#!/usr/bin/env bash
# How close each timer's tottime and cumtime come to the truth, on a workload with known costs
# (bench/accuracy/Accuracy.java): spin() is a fixed arithmetic loop, whose time the profiler cannot change;
# tinyLoop() makes many calls of tiny(), whose true cost is next to nil. The truth is the program's own clock
# readings in a run without the profiler; each mode's profile is then read with python3's pstats.
# See docs/performance.md.
#
# usage: bench/accuracy.sh [ROUNDS SPINS TINY_CALLS]   (default 10 20 2000000; after mvn -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/jcprofile.jar ] || { echo "accuracy.sh: build first: mvn -q package -DskipTests" >&2; exit 2; }
rounds=${1:-10} spins=${2:-20} tiny=${3:-2000000}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$javac" -d "$out/classes" bench/accuracy/Accuracy.java
args=(-cp "$out/classes" Accuracy "$rounds" "$spins" "$tiny")
"$java" "${args[@]}" > "$out/plain.txt"
bin/jcprofile -q -o "$out/exact.prof" "${args[@]}" > "$out/exact.txt"
bin/jcprofile -q --calibrate off -o "$out/uncalibrated.prof" "${args[@]}" > "$out/uncalibrated.txt"
bin/jcprofile -q --timer sampled -o "$out/sampled.prof" "${args[@]}" > "$out/sampled.txt"
python3 - "$out" "$rounds" "$spins" "$tiny" <<'PY'
import pstats, sys
out, rounds, spins, tiny = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def truth(name):
    return {l.split()[1]: float(l.split()[2]) for l in open(out + "/" + name + ".txt") if l.startswith("truth ")}
plain = truth("plain")
modes = [("exact", "exact (calibrated)"), ("uncalibrated", "exact, --calibrate off"), ("sampled", "sampled")]
profiles = {}
for m, _ in modes:
    s = pstats.Stats(out + "/" + m + ".prof").stats
    profiles[m] = {k[2]: v for k, v in s.items()}
calls = rounds * tiny
print("Accuracy: %d rounds of %d spin() calls and %d tiny() calls; seconds" % (rounds, spins, tiny))
print("| figure | truth (run without profiler) | " + " | ".join(t for _, t in modes) + " |")
print("|---|---|" + "---|" * len(modes))
def row(label, fn, col, t):
    cells = ["%.3f (%+.1f%%)" % (profiles[m][fn][col], (profiles[m][fn][col] - t) / t * 100) for m, _ in modes]
    print("| %s | %.3f | %s |" % (label, t, " | ".join(cells)))
row("spin() tottime", "Accuracy.spin", 2, plain["spin"])
row("run() cumtime", "Accuracy.run", 3, plain["spin"] + plain["tinyLoop"])
# tiny() costs next to nothing: what a profile shows for it is the profiler's own cost, per call.
cells = ["%.1f ns" % ((profiles[m]["Accuracy.tinyLoop"][3] - plain["tinyLoop"]) / calls * 1e9) for m, _ in modes]
print("| tinyLoop() cumtime beyond the truth, per tiny() call | %.1f ns | %s |" % (plain["tinyLoop"] / calls * 1e9, " | ".join(cells)))
cells = ["%.1f ns" % (profiles[m]["Accuracy.tiny"][2] / calls * 1e9) for m, _ in modes]
print("| tiny() tottime per call | (inside the above) | %s |" % " | ".join(cells))
for m, title in modes:
    print("%s: the program's own clock saw tinyLoop take %.3f s (%.3f s without the profiler)" % (
        title, truth(m)["tinyLoop"], plain["tinyLoop"]))
PY
