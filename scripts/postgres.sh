#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL cluster for tests (its own data directory, its own port
# on 127.0.0.1, trust authentication, fsync off: never for data that matters).
#
#   scripts/postgres.sh install              install Debian's postgresql package when no server
#                                            binaries are found (root only)
#   scripts/postgres.sh start [port] [dir]   initdb + start; prints the JDBC URL
#                                            (jdbc:postgresql://127.0.0.1:<port>/tarn?user=tarn)
#                                            as the only line on stdout once it accepts connections
#   scripts/postgres.sh stop  [port] [dir]   stop the cluster started with that dir and delete its
#                                            data (port ignored)
#
#   port  TCP port on 127.0.0.1; 0 or empty (default) picks a free one
#   dir   working folder (default: target/postgres); holds postgres.pid (the postmaster's pid), url,
#         cluster.path (the folder of the data directory and the server log, postgres.log)
#
# As root the server runs as the unprivileged user `postgres` (initdb refuses root), with its data
# under a private folder in ${TMPDIR:-/tmp}; otherwise as the current user, under dir.
#
# Environment:
#   POSTGRES_BIN        folder of initdb / pg_ctl (default: the newest /usr/lib/postgresql/*/bin,
#                       else from PATH)
#   POSTGRES_WATCH_PID  if set, the cluster is stopped when that process exits (for test fixtures)
#   POSTGRES_DURABLE    if 1, PostgreSQL's durable defaults (fsync, synchronous_commit,
#                       full_page_writes on), for benchmarks at equal durability with Tarn's RocksDB
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
port="${2:-0}"
dir="${3:-$here/target/postgres}"

die() { echo "postgres.sh: $*" >&2; exit 1; }
# shellcheck source=lib.sh
. "$here/scripts/lib.sh"

bindir() {
  if [ -n "${POSTGRES_BIN:-}" ]; then echo "$POSTGRES_BIN"; return; fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
  local initdb; initdb="$(command -v initdb 2>/dev/null || true)"
  if [ -n "$initdb" ]; then dirname "$(readlink -f "$initdb")"; fi
}

install() {
  if [ -n "$(bindir)" ]; then
    echo "postgres.sh: PostgreSQL found in $(bindir)" >&2
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed and this is not root: install Debian's postgresql package"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || die "apt-get install postgresql failed"
  [ -n "$(bindir)" ] || die "postgresql installed but no initdb found"
  echo "postgres.sh: installed PostgreSQL in $(bindir)" >&2
}

# as_server CMD...: runs CMD as the user the server runs as
as_server() {
  if [ "$(id -u)" = 0 ]; then
    local ru c
    ru="$(command -v runuser 2>/dev/null || true)"
    for c in /usr/sbin/runuser /sbin/runuser; do
      [ -n "$ru" ] || { [ -x "$c" ] && ru="$c"; } || true
    done
    [ -n "$ru" ] || die "runuser (util-linux) is needed to run PostgreSQL as the user postgres"
    "$ru" -u postgres -- "$@"
  else
    "$@"
  fi
}

# fail_start MESSAGE: removes what a failed start left, then dies
fail_start() {
  stop
  die "$@"
}

running_pid() { pid_from "$dir/postgres.pid"; }

start() {
  if pid="$(running_pid)"; then
    die "already running (pid $pid) with dir $dir; $(cat "$dir/url" 2>/dev/null)"
  fi
  local bin; bin="$(bindir)"
  [ -n "$bin" ] || die "no PostgreSQL server binaries (initdb) found: run 'scripts/postgres.sh install' as root"
  [ -n "$port" ] && [ "$port" != 0 ] || port="$(free_port)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local cluster
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the user 'postgres' (made by Debian's postgresql package)"
    cluster="$(mktemp -d "${TMPDIR:-/tmp}/tarn-postgres.XXXXXX")"
    chown postgres: "$cluster"
  else
    cluster="$dir/cluster"
    rm -rf "$cluster"
    mkdir -p "$cluster"
  fi
  echo "$cluster" > "$dir/cluster.path"
  as_server "$bin/initdb" -D "$cluster/data" -U tarn --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$cluster/initdb.log" 2>&1 || { cat "$cluster/initdb.log" >&2; fail_start "initdb failed"; }
  # Throw-away settings: no durability (unless POSTGRES_DURABLE=1), room for the test pools, the
  # socket in the cluster folder.
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${POSTGRES_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  as_server "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/postgres.log" -w -t 120 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$cluster -c max_connections=300 $durability -c shared_buffers=128MB" \
    start >/dev/null || { tail -n 30 "$cluster/postgres.log" >&2; fail_start "the server did not start"; }
  local pid; pid="$(head -n 1 "$cluster/data/postmaster.pid")"
  echo "$pid" > "$dir/postgres.pid"
  as_server "$bin/createdb" -h 127.0.0.1 -p "$port" -U tarn tarn || fail_start "createdb tarn failed"
  local url="jdbc:postgresql://127.0.0.1:$port/tarn?user=tarn"
  echo "$url" > "$dir/url"
  if [ -n "${POSTGRES_WATCH_PID:-}" ]; then
    setsid nohup bash -c "while kill -0 $POSTGRES_WATCH_PID 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 1; done; \"$0\" stop 0 \"$dir\"" \
      </dev/null >/dev/null 2>&1 &
  fi
  echo "$url"
}

stop() {
  local cluster; cluster="$(cat "$dir/cluster.path" 2>/dev/null || true)"
  local pid
  if pid="$(running_pid)"; then
    kill -INT "$pid" 2>/dev/null || true   # fast shutdown
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  # only ever delete a folder this script made
  case "$cluster" in
    "$dir/cluster"|"${TMPDIR:-/tmp}"/tarn-postgres.*) [ -d "$cluster" ] && rm -rf "$cluster" ;;
  esac
  rm -f "$dir/postgres.pid" "$dir/url" "$dir/cluster.path"
}

case "$cmd" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
