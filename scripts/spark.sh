#!/usr/bin/env bash
# Sets up PySpark with s3a:// for the Spark test of the S3 gateway (tests/python/test_s3_gateway_spark.py).
#
#   scripts/spark.sh install   make what is missing: the venv .venv-spark from
#                              tests/python/requirements-spark.txt (pyspark from PyPI), the jars of
#                              tools/spark/pom.xml (hadoop-aws and the AWS SDK modules s3a uses, from
#                              Maven Central, into tools/spark/target/jars) and a JDK 17 (Debian's
#                              openjdk-17-jdk-headless when there is none; installing needs root)
#   scripts/spark.sh env       print PYTHON=, JAVA_HOME= and JARS= (comma-separated) for the test;
#                              fails when something is missing
#
# Spark 3.5 runs on Java 8, 11 or 17 (not on the JDK 21+ Tarn itself needs), so its JDK is chosen
# apart from scripts/java-home.sh's: TARN_SPARK_JAVA_HOME if set, else a JDK 17 under /usr/lib/jvm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv-spark"
req="$here/tests/python/requirements-spark.txt"
jars="$here/tools/spark/target/jars"
die() { echo "spark.sh: $*" >&2; exit 1; }

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
spark_jdk() {
  local dir
  for dir in ${TARN_SPARK_JAVA_HOME:-} /usr/lib/jvm/*; do
    [ -x "$dir/bin/java" ] && [ "$(java_major "$dir")" = 17 ] && { echo "$dir"; return 0; }
  done
  return 1
}
stamp_wanted() { echo "$(python3 -c 'import sys; print(sys.version)' | head -1) $(sha256sum "$req" | cut -d' ' -f1)"; }
venv_ok() { [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.tarn-stamp" 2>/dev/null)" = "$(stamp_wanted)" ]; }
jars_ok() { [ -f "$jars/.tarn-stamp" ] && [ ! "$here/tools/spark/pom.xml" -nt "$jars/.tarn-stamp" ]; }

case "${1:-}" in
  install)
    if ! spark_jdk >/dev/null; then
      [ "$(id -u)" = 0 ] || die "no JDK 17 and not root: install openjdk-17-jdk-headless"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >/dev/null \
        || die "apt-get install openjdk-17-jdk-headless failed"
      spark_jdk >/dev/null || die "openjdk-17-jdk-headless installed but no JDK 17 found"
    fi
    if ! venv_ok; then
      t0=$(date +%s)
      rm -rf "$venv"
      python3 -m venv "$venv" || die "cannot create $venv"
      "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" || die "pip install -r $req failed"
      stamp_wanted > "$venv/.tarn-stamp"
      echo "spark.sh: $venv made in $(( $(date +%s) - t0 ))s" >&2
    fi
    if ! jars_ok; then
      t0=$(date +%s)
      rm -rf "$jars"
      ( . "$here/scripts/java-home.sh" && export JAVA_HOME \
        && "$here/mvnw" -q -B -ntp -f "$here/tools/spark/pom.xml" dependency:copy-dependencies \
             "-DoutputDirectory=$jars" >&2 ) || die "cannot fetch the jars of tools/spark/pom.xml"
      touch "$jars/.tarn-stamp"
      echo "spark.sh: $(ls "$jars"/*.jar | wc -l) jars ($(du -sh "$jars" | cut -f1)) fetched in $(( $(date +%s) - t0 ))s" >&2
    fi
    ;;
  env)
    jdk="$(spark_jdk)" || die "no JDK 17 (scripts/spark.sh install)"
    venv_ok || die "$venv is missing or stale (scripts/spark.sh install)"
    jars_ok || die "$jars is missing or stale (scripts/spark.sh install)"
    echo "PYTHON=$venv/bin/python"
    echo "JAVA_HOME=$jdk"
    echo "JARS=$(ls "$jars"/*.jar | paste -sd, -)"
    ;;
  *) die "usage: scripts/spark.sh install|env" ;;
esac
