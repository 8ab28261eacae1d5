#!/usr/bin/env bash
# Runs the published test suites of real libraries (Commons Lang, Commons Collections, guava-testlib's collection
# suites) with and without the agent, each on JDK 17 and JDK 25 with -Xverify:all, and prints per run the tests
# that passed, failed, errored and were skipped, the time, whether every test's outcome is the same, and what
# the profile holds. Exits 1 when an outcome differs. See docs/reliability.md, "Third-party test suites".
#
# usage: tools/third-party-suites.sh [SUITE...]   (from anywhere; default: commons-lang3 commons-collections4
#        guava-testlib; commons-lang3-core is the part that ThirdPartySuiteIT runs in the build,
#        commons-collections4-no-maps Collections less its two slowest packages)
# JDKs: JCPROFILE_JDK17 and JCPROFILE_JDK25 (homes), else the java on the PATH and /usr/lib/jvm/temurin-25-jdk-amd64;
# JDKS="25" (or "17") runs on one of them only.
# Each run's reports, output and profile stay in target/third-party-runs/SUITE-jdkN/{plain,agent}/.
# The whole set takes hours on a 2-core machine; Commons Lang alone about an hour.
set -euo pipefail
cd "$(dirname "$0")/.."

jdk17=${JCPROFILE_JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jdk25=${JCPROFILE_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jdks=()
for feature in ${JDKS:-17 25}; do
  case "$feature" in
    17) home=$jdk17 ;;
    25) home=$jdk25 ;;
    *) echo "third-party-suites.sh: JDKS may name 17 and 25, not '$feature'" >&2; exit 2 ;;
  esac
  [ -x "$home/bin/java" ] || { echo "third-party-suites.sh: no JDK $feature at $home (set JCPROFILE_JDK$feature)" >&2; exit 2; }
  jdks+=("$feature=$home/bin/java")
done
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(commons-lang3 commons-collections4 guava-testlib)

copies=()
for s in "${suites[@]}"; do
  case "$s" in
    commons-lang3|commons-lang3-core) copies+=(dependency:copy@commons-lang3) ;;
    commons-collections4|commons-collections4-no-maps) copies+=(dependency:copy@commons-collections4) ;;
    guava-testlib) copies+=(dependency:copy@guava-testlib) ;;
    *) echo "third-party-suites.sh: no suite '$s' (suites: commons-lang3 commons-lang3-core commons-collections4 commons-collections4-no-maps guava-testlib)" >&2; exit 2 ;;
  esac
done
# The agent, the runner (a test class of the dist module) and each suite's class path (the third-party-suites
# module), all through Maven.
mvn -q -B -ntp package -DskipTests
mvn -q -B -ntp -f third-party-suites/pom.xml "${copies[@]}"

out=target/third-party-runs
mkdir -p "$out"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp target/test-classes:target/jcprofile.jar dev.jcprofile.suites.ThirdPartySuites \
  . "$out" "${jdks[@]}" -- "${suites[@]}"
