#!/usr/bin/env bash
# The timers' cost per call by the program thread's own CPU clock (steadier than the wall clock on a busy
# machine): a recursive fib(22) under each timer, instrumenting only the benchmark's class, the best round of
# many; BASE=DIR (a checkout built with mvn package) runs its jar alternately with this one's. See
# docs/performance.md.
#
# usage: bench/cputimers.sh     (after `mvn -q package -DskipTests`; JAVA_HOME picks the JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -d "$out" bench/cputimers/FibCpu.java
echo "JDK $("$java" -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "plain: $("$java" -cp "$out" FibCpu 22 30)"
for round in 1 2 3; do
  for timer in wall sampled sampled-cpu cpu; do
    for jar in ${BASE:+$BASE/target/jcprofile.jar} target/jcprofile.jar; do
      rounds=30; [ "$timer" = cpu ] && rounds=6
      echo "$round $jar $timer: $("$java" "-javaagent:$jar=o=$out/x.prof,include=FibCpu,quiet,timer=$timer" -cp "$out" FibCpu 22 $rounds 2>&1)"
    done
  done
done
