#!/usr/bin/env bash
# Every figure of docs/performance.md in one run: builds the project, then runs each benchmark on JDK 17 (JAVA_HOME,
# else the java on PATH) and, where the document has JDK 25 figures, on JDK 25 ($JDK25, by default
# /usr/lib/jvm/temurin-25-jdk-amd64; skipped if absent). Prints each section's command, its figures, the JDK, the
# date and the machine's load. It took 29 minutes on the project's 2-core machine at load average 10 to 22
# (other builds running), less on a quiet one. QUICK=1 makes a short run to check the scripts (few runs, short
# JMH iterations: its figures are not to be published).
#
# usage: bench/run-all.sh 2>&1 | tee run-all.txt
set -euo pipefail
cd "$(dirname "$0")/.."
jdk17=${JAVA_HOME:-}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$jdk25/bin/java" ] || { echo "run-all: no JDK 25 at $jdk25 (set JDK25): its sections are skipped" >&2; jdk25=; }
if [ -n "${QUICK:-}" ]; then
  pstats_runs=1; startup_runs=3; workload_runs=1; h2_scale=0.2; dumps=2; export JMH_ARGS="-wi 1 -i 1 -w 1 -r 1"
else
  pstats_runs=5; startup_runs=20; workload_runs=5; h2_scale=1; dumps=5; unset JMH_ARGS
fi

section() {
  echo
  echo "=== $1"
  echo "    $(date '+%Y-%m-%d %H:%M:%S %Z'); $(uptime | sed 's/.*load average/load average/'); $(nproc) cores"
}
# Runs a command with JAVA_HOME set to the given JDK home (empty: the caller's JAVA_HOME or PATH).
with_jdk() {
  local home=$1; shift
  echo "    \$ ${home:+JAVA_HOME=$home }$*"
  if [ -n "$home" ]; then JAVA_HOME=$home "$@"; else "$@"; fi
}

start=$(date +%s)
echo "jcprofile benchmarks: $(git log -1 --format='%h %s' 2>/dev/null | cut -c1-100)"
echo "started $(date '+%Y-%m-%d %H:%M:%S %Z') on $(uname -n), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mvn -q -B -ntp package -DskipTests >"$log" 2>&1 || { cat "$log" >&2; exit 1; }

section "jpstats against python3 -m pstats (JDK 17, then JDK 25)"
with_jdk "$jdk17" python3 bench/pstats_speed.py --runs "$pstats_runs"
[ -z "$jdk25" ] || with_jdk "$jdk25" python3 bench/pstats_speed.py --runs "$pstats_runs"

section "The recorder's cost per call, exact mode (JDK 17, then JDK 25)"
with_jdk "$jdk17" bench/overhead.sh
[ -z "$jdk25" ] || with_jdk "$jdk25" bench/overhead.sh

section "Accuracy: each timer against a workload of known costs (JDK 17)"
with_jdk "$jdk17" bench/accuracy.sh

section "Two threads against one (JDK 17)"
with_jdk "$jdk17" bench/threads.sh

section "Start-up on a hello world (JDK 17 and 25)"
with_jdk "$jdk17" python3 bench/startup.py --runs "$startup_runs" --jdk "${jdk17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}" ${jdk25:+--jdk "$jdk25"}

section "Writing a profile of 100,000 functions (JDK 17, then JDK 25)"
with_jdk "$jdk17" bench/dump.sh 1000 100 "$dumps"
[ -z "$jdk25" ] || with_jdk "$jdk25" bench/dump.sh 1000 100 "$dumps"

section "Third-party workloads: H2 and ecj under each profiler (JDK 25, for JFR's method timing)"
with_jdk "${jdk25:-$jdk17}" python3 bench/workload.py --runs "$workload_runs" --h2-scale "$h2_scale" 

echo
echo "done $(date '+%Y-%m-%d %H:%M:%S %Z') in $(( ($(date +%s) - start) / 60 )) min"
