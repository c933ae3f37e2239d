#!/usr/bin/env bash
# Starts or stops S3Proxy (org.gaul:s3proxy 4.1.0), a real S3-compatible server storing objects as
# plain files, for tests. It runs as its own JVM (its dependencies clash with Tarn's).
#
#   scripts/s3proxy.sh start [port] [dir]   start it; prints the endpoint (http://127.0.0.1:<port>)
#                                           as the only line on stdout once it answers requests
#   scripts/s3proxy.sh stop  [port] [dir]   stop the instance started with that dir (port ignored)
#   scripts/s3proxy.sh install              only resolve (download) S3Proxy's classpath
#   scripts/s3proxy.sh run [--port P] [--data DIR] [--auth none|aws-v2-or-v4]
#                                           run it in the foreground (exec; for supervisors, e.g.
#                                           under taskset); P defaults to 8081, DIR to
#                                           target/s3proxy/data; --auth none accepts unsigned requests
#
#   port  TCP port on 127.0.0.1; 0 or empty (default) picks a free one
#   dir   working folder (default: target/s3proxy); holds data/ (one sub-folder per bucket),
#         s3proxy.pid, s3proxy.log, s3proxy.conf and endpoint
#
# Environment:
#   S3PROXY_IDENTITY / S3PROXY_CREDENTIAL  access key id / secret key clients must sign with
#                                          (default tarn-test / tarn-test-secret; SigV2 or SigV4)
#   S3PROXY_BUCKETS     buckets to create at start, space-separated (default: storage-bucket)
#   S3PROXY_WATCH_PID   if set, S3Proxy is stopped when that process exits (for test fixtures)
#   S3PROXY_JAVA_OPTS   extra JVM options (default: -Xmx256m -XX:+UseSerialGC)
#   S3PROXY_LOG_LEVEL   level of S3Proxy's own log lines in s3proxy.log (default: info; others: warn)
#
# The first start resolves S3Proxy's classpath with tools/s3proxy/pom.xml (downloads from Maven
# Central once; cached in tools/s3proxy/target/classpath.txt).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
port="${2:-0}"
dir="${3:-$here/target/s3proxy}"
identity="${S3PROXY_IDENTITY:-tarn-test}"
credential="${S3PROXY_CREDENTIAL:-tarn-test-secret}"

die() { echo "s3proxy.sh: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$here/scripts/lib.sh"

classpath() {
  local out="$here/tools/s3proxy/target/classpath.txt"
  if [ ! -s "$out" ] || [ "$here/tools/s3proxy/pom.xml" -nt "$out" ]; then
    mkdir -p "$(dirname "$out")"
    local mvn=("$here/mvnw" -q -B -ntp -f "$here/tools/s3proxy/pom.xml" dependency:build-classpath
               "-Dmdep.outputFile=$out")
    "${mvn[@]}" -o >/dev/null 2>&1 || "${mvn[@]}" >&2 || die "cannot resolve the S3Proxy classpath"
  fi
  cat "$out"
}

# answers URL: true once something serves HTTP there (curl if present, else a TCP connect)
answers() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 2 "$1/"
  else
    local hostport="${1#http://}"
    (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null
  fi
}

running_pid() { pid_from "$dir/s3proxy.pid"; }

# write_config CONF_DIR ENDPOINT AUTH DATA_DIR: writes s3proxy.conf and logback.xml into CONF_DIR
write_config() {
  local conf_dir="$1" endpoint="$2" auth="$3" data="$4"
  mkdir -p "$conf_dir" "$data"
  for bucket in ${S3PROXY_BUCKETS-storage-bucket}; do mkdir -p "$data/$bucket"; done
  {
    echo "s3proxy.endpoint=$endpoint"
    echo "s3proxy.authorization=$auth"
    if [ "$auth" != none ]; then
      echo "s3proxy.identity=$identity"
      echo "s3proxy.credential=$credential"
    fi
    echo "jclouds.provider=filesystem"
    echo "jclouds.filesystem.basedir=$data"
  } > "$conf_dir/s3proxy.conf"
  cat > "$conf_dir/logback.xml" <<LOGBACK
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.gaul.s3proxy" level="${S3PROXY_LOG_LEVEL:-info}"/>
  <root level="warn"><appender-ref ref="out"/></root>
</configuration>
LOGBACK
}

start() {
  if pid="$(running_pid)"; then
    die "already running (pid $pid) with dir $dir; endpoint $(cat "$dir/endpoint" 2>/dev/null)"
  fi
  # shellcheck source=scripts/java-home.sh
  . "$here/scripts/java-home.sh"
  local cp; cp="$(classpath)"
  [ -n "$port" ] && [ "$port" != 0 ] || port="$(free_port)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local endpoint="http://127.0.0.1:$port"
  write_config "$dir" "$endpoint" aws-v2-or-v4 "$dir/data"
  # shellcheck disable=SC2086
  setsid nohup "$JAVA_HOME/bin/java" ${S3PROXY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC} \
    "-Dlogback.configurationFile=$dir/logback.xml" -cp "$cp" \
    org.gaul.s3proxy.Main --properties "$dir/s3proxy.conf" </dev/null >"$dir/s3proxy.log" 2>&1 &
  local pid=$!
  echo "$pid" > "$dir/s3proxy.pid"
  if [ -n "${S3PROXY_WATCH_PID:-}" ]; then
    local watched="$S3PROXY_WATCH_PID"
    setsid nohup bash -c "while kill -0 $watched 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 1; done; kill $pid 2>/dev/null" \
      </dev/null >/dev/null 2>&1 &
  fi
  local i
  for i in $(seq 1 1200); do
    if answers "$endpoint"; then
      echo "$endpoint" > "$dir/endpoint"
      echo "$endpoint"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$dir/s3proxy.log" >&2; die "S3Proxy exited during start-up"; }
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  tail -n 30 "$dir/s3proxy.log" >&2
  die "S3Proxy did not answer on $endpoint within 2 minutes"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$dir/s3proxy.pid" "$dir/endpoint"
    return 0
  fi
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/s3proxy.pid" "$dir/endpoint"
}

run() {
  local run_port=8081 data="$here/target/s3proxy/data" auth=aws-v2-or-v4
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) run_port="$2"; shift 2 ;;
      --data) data="$2"; shift 2 ;;
      --auth) auth="$2"; shift 2 ;;
      *) die "run: unknown option $1" ;;
    esac
  done
  case "$auth" in none|aws-v2|aws-v4|aws-v2-or-v4) ;; *) die "run: --auth must be none or aws-v2-or-v4" ;; esac
  # shellcheck source=scripts/java-home.sh
  . "$here/scripts/java-home.sh"
  local cp; cp="$(classpath)"
  mkdir -p "$data"
  data="$(cd "$data" && pwd)"
  local conf_dir; conf_dir="$(mktemp -d "${TMPDIR:-/tmp}/s3proxy-run.XXXXXX")"
  write_config "$conf_dir" "http://127.0.0.1:$run_port" "$auth" "$data"
  echo "s3proxy.sh: serving $data on http://127.0.0.1:$run_port (auth $auth)" >&2
  # shellcheck disable=SC2086
  exec "$JAVA_HOME/bin/java" ${S3PROXY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC} \
    "-Dlogback.configurationFile=$conf_dir/logback.xml" -cp "$cp" \
    org.gaul.s3proxy.Main --properties "$conf_dir/s3proxy.conf"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  install) classpath >/dev/null && echo "s3proxy.sh: classpath ready" >&2 ;;
  run) shift; run "$@" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
