"""wrk runs: builds the script (common.lua + scenario script), pins wrk to its core, parses the
summary line and measures wrk's own CPU use and the server's."""
import json
import os

from . import proc

LUA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "lua")


def script(workdir, name):
    """bench/lua/common.lua followed by bench/lua/<name>.lua, written to the work folder."""
    path = os.path.join(workdir, f"wrk-{name}.lua")
    with open(os.path.join(LUA_DIR, "common.lua")) as a, open(os.path.join(LUA_DIR, f"{name}.lua")) as b, \
            open(path, "w") as out:
        out.write(a.read() + "\n" + b.read())
    return path


def wrk(ctx, name, base_url, args, *, connections, duration, server_pid=None, max_error_ratio=0.0,
        allow_none=False, db_pid=None):
    """One wrk run. Returns requests/s, latency percentiles (ms), errors, and the CPU used by wrk
    and by the server (as a fraction of one core over the run; with db_pid, the CPU of that process
    tree too, as db_cpu: a PostgreSQL cluster's postmaster and backends). A run that completes no request
    fails, unless allow_none (a warm-up of a cold server on a busy machine)."""
    cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
           "-s", script(ctx.workdir, name), base_url, "--"] + [str(a) for a in args]
    server_cpu0 = proc.cpu_seconds(server_pid) if server_pid else None
    db_cpu0 = proc.cpu_seconds(db_pid) if db_pid else None
    res = proc.run(cmd, cpus=ctx.client_cpus, timeout=duration + 60)
    server_cpu1 = proc.cpu_seconds(server_pid) if server_pid else None
    db_cpu1 = proc.cpu_seconds(db_pid) if db_pid else None
    line = next((l for l in res["stdout"].splitlines() if l.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{res['stdout'][-2000:]}\n{res['stderr'][-2000:]}")
    s = json.loads(line[len("BENCH_JSON "):])
    seconds = s["duration_us"] / 1e6
    errors = s["err_connect"] + s["err_read"] + s["err_write"] + s["err_status"] + s["err_timeout"]
    out = {
        "requests": s["requests"],
        "rps": s["requests"] / seconds if seconds else 0.0,
        "p50_ms": s["p50_us"] / 1000, "p90_ms": s["p90_us"] / 1000, "p99_ms": s["p99_us"] / 1000,
        "max_ms": s["max_us"] / 1000,
        "errors": errors, "status_errors": s["err_status"],
        "mb_per_s": s["bytes"] / seconds / 1e6 if seconds else 0.0,
        "wrk_cpu": res["cpu"] / res["wall"],
        "server_cpu": ((server_cpu1 - server_cpu0) / res["wall"]) if server_cpu0 is not None and server_cpu1 is not None else None,
        "db_cpu": ((db_cpu1 - db_cpu0) / res["wall"]) if db_cpu0 is not None and db_cpu1 is not None else None,
    }
    if s["requests"] == 0 and allow_none:
        return out
    if s["requests"] == 0:
        raise RuntimeError(f"wrk {name} against {base_url} completed no request")
    if errors > max_error_ratio * s["requests"]:
        raise RuntimeError(f"wrk {name} against {base_url}: {errors} errors in {s['requests']} requests "
                           f"({s['err_status']} non-2xx/3xx, {s['err_timeout']} timeouts, "
                           f"{s['err_connect']} connect, {s['err_read']} read, {s['err_write']} write)")
    return out
