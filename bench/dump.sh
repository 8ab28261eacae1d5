#!/usr/bin/env bash
# The time to write a profile of 100,000 functions: bench.workloads.DumpBench generates 1,000 classes of 100
# methods (ASM), runs them under the Profile API and times the agent's exit path (the pstats dict built from the
# recorded tables, then the file written), first dump and later ones; then the baseline, Python's cProfile
# writing a profile of the same shape (bench/dump_python.py). See docs/performance.md.
#
# usage: bench/dump.sh [CLASSES [METHODS [DUMPS]]]   (after `mvn -q package -DskipTests`; builds bench/workloads;
#                                                    JAVA_HOME picks the JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/jcprofile.jar ] || { echo "dump.sh: build first: mvn -q package -DskipTests" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mvn -q -B -ntp -f bench/workloads/pom.xml package >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
echo "dump of a big profile, JDK $("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'):"
w=bench/workloads/target
"$java" -cp "$w/classes:$w/lib/asm.jar:target/jcprofile.jar" bench.workloads.DumpBench "${1:-1000}" "${2:-100}" plain | sed 's/^/    /'
"$java" -javaagent:target/jcprofile.jar=api -cp "$w/classes:$w/lib/asm.jar:target/jcprofile.jar" \
  bench.workloads.DumpBench "${1:-1000}" "${2:-100}" "${3:-5}" 2>&1 | sed 's/^/    /'
echo "the same with cProfile, Python $(python3 -c 'import platform; print(platform.python_version())'):"
python3 bench/dump_python.py "${1:-1000}" "${2:-100}" "${3:-5}"
