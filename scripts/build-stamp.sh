#!/usr/bin/env bash
# Prints the fingerprint of what target/tarn.jar is built from: every file of src/main and pom.xml,
# by path, size and modification time. ./tarn rebuilds the jar when the fingerprint it stored beside
# the jar (target/tarn.jar.sources, taken before the build started) differs from this one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
find src/main pom.xml -type f -printf '%p %s %T@\n' | LC_ALL=C sort | sha256sum | cut -d' ' -f1
