#!/usr/bin/env bash
# Fuzzes the profile reader, the reports and the browser's command parser for a while (see docs/reliability.md):
# the fuzzer of the test suite's FuzzTest, on a new seed (or --seed S), for --seconds N (default 600). It prints
# how many inputs it ran; a failing input is saved under target/fuzz-found/ and the exit status is 1. Keep what it
# finds under dist/src/test/resources/fuzz/found/ once fixed: every test run replays it.
#
# usage: tools/fuzz.sh [--seconds N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp package -DskipTests
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The fuzzer is a test class of the dist module (the seeds and the golden scripts are among its test resources);
# it drives the pstats core, whose test helpers it shares, and the browser, both in the jar.
exec "$java" -Xmx1g -cp target/test-classes:pstats/target/test-classes:target/jcprofile.jar dev.jcprofile.format.Fuzzer "$@"
