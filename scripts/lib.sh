# Shell functions shared by the helper scripts (postgres.sh, s3proxy.sh); sourced, not run.
# The sourcing script defines die MESSAGE (print and exit).

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free port found"
}

# pid_from PIDFILE: prints the pid in PIDFILE when that process is alive; fails otherwise
pid_from() {
  [ -f "$1" ] || return 1
  local pid; pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}
