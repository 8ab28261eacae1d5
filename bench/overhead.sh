#!/usr/bin/env bash
# Per-call overhead of the recorder on a call-heavy benchmark (recursive fib) and on other kinds of call (a
# built-in call site, an interface call, a throwing call), against the floor of two System.nanoTime() reads
# measured in the same run, for each mode: exact (the default: wall clock, calibrated) and sampled; and, in exact
# mode, on a thread the session does not record (threads=main: JMH's worker threads are left out), whose hooks
# have nothing to do but find that out.
# See docs/performance.md.
#
# usage: bench/overhead.sh        (after `mvn -q package -DskipTests`; builds bench/jmh itself; JAVA_HOME picks
#                                  the JDK; JMH_ARGS, e.g. "-wi 1 -i 1", overrides the iterations for a quick check)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/jcprofile.jar ] || { echo "overhead.sh: build first: mvn -q package -DskipTests" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mvn -q -B -ntp -f bench/jmh/pom.xml package >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
jar=bench/jmh/target/jcprofile-jmh.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The agent instruments only the benchmark's classes, not JMH's harness. One JMH run plain, then one per mode:
# exact (the default: wall clock, calibrated) and sampled.
agent="-javaagent:$PWD/target/jcprofile.jar=o=$out/fib.prof,include=bench.jcprofile.**,quiet"
"$java" -jar "$jar" 'CallOverhead|CallKinds' ${JMH_ARGS:-} -rf json -rff "$out/plain.json" > "$out/plain.txt"
"$java" -jar "$jar" 'CallOverhead.fib|CallKinds' -jvmArgsAppend "$agent" ${JMH_ARGS:-} -rf json -rff "$out/exact.json" > "$out/exact.txt"
"$java" -jar "$jar" 'CallOverhead.fib|CallKinds' -jvmArgsAppend "$agent,timer=sampled" ${JMH_ARGS:-} -rf json -rff "$out/sampled.json" > "$out/sampled.txt"
"$java" -jar "$jar" 'CallOverhead.fib|CallKinds' -jvmArgsAppend "$agent,threads=main" ${JMH_ARGS:-} -rf json -rff "$out/unrecorded.json" > "$out/unrecorded.txt"
python3 - "$out" exact,sampled,unrecorded <<'PY'
import json, sys
out, modes = sys.argv[1], sys.argv[2].split(",")
def score(f, name):
    for r in json.load(open(f)):
        if r["benchmark"].endswith("." + name):
            return float(r["primaryMetric"]["score"]), float(r["primaryMetric"]["scoreError"]), int(r["params"]["n"]) if r.get("params") else None
plain_fib, plain_err, n = score(out + "/plain.json", "fib")
floor, floor_err, _ = score(out + "/plain.json", "twoNanoTimes")
a, b = 0, 1
for _ in range(n + 1):
    a, b = b, a + b
calls = 2 * a - 1  # calls of fib(n): 2 * fib(n + 1) - 1
print("JDK %s" % json.load(open(out + "/plain.json"))[0]["vmVersion"])
print("two System.nanoTime() reads (the floor): %.1f ± %.1f ns" % (floor, floor_err))
print("fib(%d): %d calls; plain %.0f ± %.0f ns" % (n, calls, plain_fib, plain_err))
for mode in modes:
    agent_fib, agent_err, _ = score(out + "/" + mode + ".json", "fib")
    per_call = (agent_fib - plain_fib) / calls
    label = "exact mode, a thread not recorded" if mode == "unrecorded" else mode + " mode"
    print("%s: fib %.0f ± %.0f ns, adds %.1f ns per call = %.2f x the two-read floor" % (
        label, agent_fib, agent_err, per_call, per_call / floor))
    for name, what in (("builtinCall", "a built-in call site (HashMap.get)"), ("virtualCall", "an interface call into the program"),
                       ("throwingCall", "a call that throws every other time")):
        plain, plain_e, _ = score(out + "/plain.json", name)
        agent, agent_e, _ = score(out + "/" + mode + ".json", name)
        print("  %s: plain %.1f ± %.1f ns, %s %.1f ± %.1f ns a call: adds %.1f ns = %.2f x the floor" % (
            what, plain, plain_e, mode, agent, agent_e, agent - plain, (agent - plain) / floor))
PY
