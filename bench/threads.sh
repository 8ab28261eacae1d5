#!/usr/bin/env bash
# Two threads against one: recursive fib(20) run by one thread and by two at once (JMH's TwoThreads), plain and
# under the agent in every timer mode the built jar accepts. JMH's average time is per operation and per thread,
# so a recorder that shares no writes between threads keeps the two-thread time at the one-thread time. The plain
# run gives the machine's own ratio (two cores, and whatever else runs), the baseline of the agent's.
# See docs/performance.md.
#
# usage: bench/threads.sh [MODE...]   (after `mvn -q package -DskipTests`; builds bench/jmh itself;
#                                      default: every timer mode the agent accepts: wall, cpu, sampled)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/jcprofile.jar ] || { echo "threads.sh: build first: mvn -q package -DskipTests" >&2; exit 2; }
log=$(mktemp)
mvn -q -B -ntp -f bench/jmh/pom.xml package >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
jar=bench/jmh/target/jcprofile-jmh.jar
out=$(mktemp -d)
trap 'rm -rf "$out" "$log"' EXIT
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
modes=("$@")
if [ ${#modes[@]} -eq 0 ]; then
  # The agent rejects a timer it does not know (cli=true, which must come last) with exit code 2.
  for m in wall cpu sampled; do
    if "$java" "-javaagent:$PWD/target/jcprofile.jar=timer=$m,quiet,cli=true" -version >/dev/null 2>&1; then modes+=("$m"); fi
  done
fi
"$java" -jar "$jar" 'TwoThreads' ${JMH_ARGS:-} -rf json -rff "$out/plain.json" > "$out/plain.txt"
for m in "${modes[@]}"; do
  agent="-javaagent:$PWD/target/jcprofile.jar=o=$out/$m.prof,timer=$m,include=bench.jcprofile.**,quiet"
  "$java" -jar "$jar" 'TwoThreads' -jvmArgsAppend "$agent" ${JMH_ARGS:-} -rf json -rff "$out/$m.json" > "$out/$m.txt"
done
python3 - "$out" "$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')" "${modes[@]}" <<'PY'
import json, sys
out, version, modes = sys.argv[1], sys.argv[2], sys.argv[3:]
def scores(f):
    s = {}
    for r in json.load(open(f)):
        s[r["benchmark"].rsplit(".", 1)[1]] = (float(r["primaryMetric"]["score"]), float(r["primaryMetric"]["scoreError"]), r["threads"])
    return s
print("fib(20) per operation and per thread, one thread against two at once, JDK %s:" % version)
plain = scores(out + "/plain.json")
base = plain["twoThreads"][0] / plain["oneThread"][0]
for name, f in [("plain", "plain")] + [("timer=" + m, m) for m in modes]:
    s = scores("%s/%s.json" % (out, f))
    (one, one_e, _), (two, two_e, _) = s["oneThread"], s["twoThreads"]
    ratio = two / one
    line = "    %-14s 1 thread %10.0f ± %.0f ns, 2 threads %10.0f ± %.0f ns: two / one = %.3f" % (name, one, one_e, two, two_e, ratio)
    if f != "plain":
        line += " (%.3f x the plain ratio)" % (ratio / base)
    print(line)
PY
