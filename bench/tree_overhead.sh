#!/usr/bin/env bash
# What recording the calling-context tree (--tree) costs per call, in exact and sampled mode, beside the same
# modes without it and, if BASE_JAR names the agent of an earlier commit, beside that agent (to see that
# the tree's hooks cost nothing when the tree is off). Runs alternate configuration by configuration, ROUNDS
# times, on CallOverhead.fib (recursive fib(20), 21,891 calls an operation). See docs/performance.md.
#
# usage: bench/tree_overhead.sh        (after `mvn -q package -DskipTests`; JAVA_HOME picks the JDK;
#                                       BASE_JAR=/path/to/old/jcprofile.jar adds the earlier agent;
#                                       ROUNDS (default 2) and JMH_ARGS override the runs)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/jcprofile.jar ] || { echo "tree_overhead.sh: build first: mvn -q package -DskipTests" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mvn -q -B -ntp -f bench/jmh/pom.xml package >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
jar=bench/jmh/target/jcprofile-jmh.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
args=${JMH_ARGS:--f 1 -wi 4 -i 4 -w 1s -r 1s}
configs="plain exact exact-tree sampled sampled-tree"
[ -n "${BASE_JAR:-}" ] && configs="plain base-exact exact exact-tree base-sampled sampled sampled-tree"
for round in $(seq 1 "${ROUNDS:-2}"); do
  for c in $configs; do
    agentjar=$PWD/target/jcprofile.jar
    case $c in base-*) agentjar=$BASE_JAR ;; esac
    opts="o=$out/fib.prof,include=bench.jcprofile.**,quiet"
    case $c in *sampled*) opts="$opts,timer=sampled" ;; esac
    case $c in *-tree) opts="$opts,tree=true" ;; esac
    if [ "$c" = plain ]; then
      "$java" -jar "$jar" 'CallOverhead.fib' $args -rf json -rff "$out/$c-$round.json" > "$out/$c-$round.txt"
    else
      "$java" -jar "$jar" 'CallOverhead.fib' -jvmArgsAppend "-javaagent:$agentjar=$opts" $args -rf json -rff "$out/$c-$round.json" > "$out/$c-$round.txt"
    fi
  done
done
python3 - "$out" "${ROUNDS:-2}" $configs <<'PY'
import json, sys
out, rounds, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def score(f):
    r = json.load(open(f))[0]
    return float(r["primaryMetric"]["score"]), float(r["primaryMetric"]["scoreError"]), int(r["params"]["n"]), r["vmVersion"]
n = score(out + "/plain-1.json")[2]
a, b = 0, 1
for _ in range(n + 1):
    a, b = b, a + b
calls = 2 * a - 1
print("JDK %s, fib(%d): %d calls an operation" % (score(out + "/plain-1.json")[3], n, calls))
print("| round | " + " | ".join(configs) + " |")
print("|---" * (len(configs) + 1) + "|")
for r in range(1, rounds + 1):
    plain = score("%s/plain-%d.json" % (out, r))[0]
    cells = []
    for c in configs:
        s, e, _, _ = score("%s/%s-%d.json" % (out, c, r))
        cells.append("%.0f ± %.0f ns" % (s, e) if c == "plain" else "%.1f ns a call" % ((s - plain) / calls))
    print("| %d | %s |" % (r, " | ".join(cells)))
PY
