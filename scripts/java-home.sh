# Sourced by ./tarn, scripts/*.sh and .ci/run: exports JAVA_HOME pointing at a JDK of 21 or newer.
# Order: $JAVA_HOME if it is new enough, the `java` on PATH, then the newest JDK under /usr/lib/jvm.
# TARN_JAVA_MAJOR is set to its feature version (e.g. 25).
tarn_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
tarn_select_jdk() {
  local candidates=() best="" best_major=0 dir major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for dir in /usr/lib/jvm/*; do [ -x "$dir/bin/javac" ] && candidates+=("$dir"); done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(tarn_java_major "$dir")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$dir"; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "tarn: no JDK 21 or newer found (set JAVA_HOME to one)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
  TARN_JAVA_MAJOR=$best_major
}
tarn_select_jdk
