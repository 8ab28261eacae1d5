#!/usr/bin/env bash
# What --jdk costs: each program of dist/src/test/programs/jdk (regex, a stream pipeline, an executor) and javac
# compiling the pstats module's sources through ToolProvider, run without the profiler, under it with the JDK as
# built-ins (the default), and under it with --jdk; best wall-clock time of ROUNDS interleaved runs each, all in
# this one run. JDK: JAVA_HOME's, else the java on PATH.
# usage: bench/jdk.sh            (ROUNDS=5 by default; the project built first: mvn -q install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
rounds=${ROUNDS:-5}
work=target/bench-jdk
rm -rf "$work"; mkdir -p "$work/classes"
"$javac" -d "$work/classes" --release 17 dist/src/test/programs/jdk/com/example/jdk/*.java
sources=$(find pstats/src/main/java -name '*.java' | sort)
agent=target/jcprofile.jar

best() { # best of the times (ms) given
  printf '%s\n' "$@" | sort -n | head -1
}
ms() { # runs "$@", prints its wall-clock time in ms
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

echo "bench/jdk.sh: $("$java" -version 2>&1 | head -1), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), best of $rounds"
printf '%-34s %10s %12s %12s %9s %9s\n' workload "plain ms" "agent ms" "--jdk ms" "agent x" "--jdk x"
row() { # name, pattern, java args...
  local name=$1 pattern=$2; shift 2
  local plain=() agentd=() jdk=()
  for _ in $(seq "$rounds"); do
    plain+=("$(ms "$java" "$@")")
    agentd+=("$(ms "$java" "-javaagent:$agent=o=$work/a.prof" "$@")")
    jdk+=("$(ms "$java" "-javaagent:$agent=o=$work/j.prof,quiet=true,jdk=$pattern" "$@")")
  done
  local p a j
  p=$(best "${plain[@]}"); a=$(best "${agentd[@]}"); j=$(best "${jdk[@]}")
  printf '%-34s %10d %12d %12d %9.2f %9.2f\n' "$name" "$p" "$a" "$j" "$(echo "$a/$p" | bc -l)" "$(echo "$j/$p" | bc -l)"
}
row "regex x200 (java.util.regex.*)" 'java.util.regex.*' -cp "$work/classes" com.example.jdk.Regex 200
row "streams x500 (java.util.stream.**)" 'java.util.stream.**' -cp "$work/classes" com.example.jdk.Streams 500
row "executor x100 (java.util.concurrent.**)" 'java.util.concurrent.**' -cp "$work/classes" com.example.jdk.Pool 100
# shellcheck disable=SC2086
row "javac, $(echo $sources | wc -w) files (jdk.compiler)" jdk.compiler -cp "$work/classes" com.example.jdk.Compile -d "$work/out" --release 17 $sources
