#!/usr/bin/env bash
# Fuzzes the profile reader, the reports and the browser's command parser for a while (see docs/reliability.md):
# the fuzzer of the test suite's FuzzTest, on a new seed (or --seed S), for --seconds N (default 600). It prints
# how many inputs it ran; a failing input is saved under target/fuzz-found/ and the exit status is 1. Keep what it
# finds under src/test/resources/fuzz/found/ once fixed: every test run replays it.
#
# usage: tools/fuzz.sh [--seconds N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp test-compile
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The fuzzer needs no library: the project's classes and its test classes (the seeds are among the latter).
exec "$java" -Xmx1g -cp target/test-classes:target/classes dev.jcprofile.format.Fuzzer "$@"
