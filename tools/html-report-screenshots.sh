#!/usr/bin/env bash
# Regenerates docs/html-report-*.png: HtmlReportIT records the slow migration with --tree, opens its reports in
# headless Chromium (Debian's chromium and chromium-driver) and saves the pictures where JCPROFILE_SCREENSHOTS says.
# Run from a built tree (mvn -q package -DskipTests); takes the JDK 25 run's pictures (the last one written).
set -euo pipefail
cd "$(dirname "$0")/.."
JCPROFILE_SCREENSHOTS="$PWD/docs" mvn -o -q verify -pl dist -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='HtmlReportIT#theSlowMigrationsPathInARecordedTree*'
ls -l docs/html-report-*.png
