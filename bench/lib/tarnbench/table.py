"""The `table` scenario: every row of the performance table that compared Tarn with lakeFS v1.84
(upload, staging, commits, diff, merge, branch creation, stat, get, list, large transfers, memory,
start-up), with that comparison's workload: the server pinned to one core, N objects in a repository,
the same HTTP calls through the classic API.

Each measured run starts the server on a fresh, empty data folder and goes through every row. With
`BENCH_BEFORE_JAR=PATH` (an earlier build of tarn.jar; `BENCH_BEFORE_LABEL` names it) the runs alternate between that build and the
build under test (before, now, now, before, ...), so both see the same machine, and the table shows
now / before for every row. The lakeFS figures of that comparison (the better of its two lakeFS
columns, measured at N = 20,000 and 100,000) are quoted in the target column, never measured here.
"""
import http.client
import json
import os
import time
import urllib.parse

from . import data, jfr, loadgen, proc
from .stats import fmt
from .scenarios import MIB, _upload, curl, fresh_dir, list_all, settle, targets
from .services import TarnServer

SIZES = {"small": {"n": 2_000, "big_n": 10_000, "big_bytes": 64 * MIB},
         "full": {"n": 20_000, "big_n": 100_000, "big_bytes": 1024 * MIB}}

# (metric, unit, higher is better, the better lakeFS figure of the comparison or None)
ROWS = {
    "upload": ("upload 4 KiB, 16 connections", "req/s", True, 5_162),
    "upload_p99": ("upload 4 KiB p99, 16 connections", "ms", False, 10.6),
    "stage": ("stage {n} tiny objects (uploads, 16 connections)", "obj/s", True, 4_720),
    "commit_n": ("commit of {n} staged objects", "ms", False, 60),
    "commit_big": ("commit of {big_n} staged objects", "ms", False, 343),
    "commit_10": ("commit of 10 changes on {n}", "ms", False, 57.3),
    "diff_10": ("diff, 10 changes over {n}", "ms", False, 23.5),
    "merge_10": ("merge, 10 + 10 changes over {n}", "ms", False, 50.8),
    "merge_big": ("merge, 10 + 10 changes over {big_n}", "ms", False, 284),
    "branch_seq": ("createBranch, sequential", "req/s", True, 5_309),
    "branch_seq_p99": ("createBranch p99, sequential", "ms", False, 0.27),
    "branch_16": ("createBranch, 16 connections", "req/s", True, 9_294),
    "stat": ("statObject, 32 connections", "req/s", True, 6_247),
    "get": ("getObject 4 KiB, 32 connections", "req/s", True, 5_356),
    "list": ("list all {n} at a commit, pages of 1,000", "entries/s", True, 189_405),
    "upload_big": ("upload {bytes}", "MB/s", True, 378),
    "download_big": ("download {bytes}", "MB/s", True, 2_759),
    "rss_idle": ("RSS idle (1 s after start)", "MiB", False, 118),
    "rss_peak": ("RSS peak (whole run)", "MiB", False, 1_199),
    "ready": ("ready after start (first /_health answer)", "s", False, 0.27),
}


class Build:
    """A tarn.jar to measure, and its figures per row (one per measured run)."""

    def __init__(self, label, jar, sync=None):
        self.label, self.jar, self.sync = label, jar, sync  # sync None: as the run says (--no-sync)
        self.slug = "".join(c if c.isalnum() else "-" for c in label)
        self.figures = {key: [] for key in ROWS}


class BuildServer(TarnServer):
    """The Tarn server of one build on an empty data folder, started as TarnServer starts one (same
    configuration, pinned to the server core) with the JVM flags ./tarn adds (its JVM defaults and the
    start-up cache of the jar, scripts/startup-cache.sh), polling /_health every 5 ms so that
    `ready_seconds` (process start to the first answer) is exact to a few milliseconds."""

    def __init__(self, ctx, data, build):
        super().__init__(ctx, data, jar=build.jar, poll=0.005, log_name=f"table-{build.slug}",
                         launcher_flags=True)
        self.build = build
        self.name = f"Tarn {build.label}"

    def start(self):
        if self.build.sync is None:
            return super().start()
        saved, self.ctx.sync = self.ctx.sync, self.build.sync
        try:
            return super().start()
        finally:
            self.ctx.sync = saved


def _connect(server):
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)


def _progress(ctx, server, run, what):
    """Prints the phase; with --profile, the first run of the build under test also cuts the server's
    recording of the phase before into table-<phase>.jfr (summarised at the end of bench/run)."""
    print(f"bench:    table: {server.build.label} run {run + 1}: {what or 'done'}", flush=True)
    if ctx.profile_dir and server.build.label == "now" and run == 0:
        if getattr(server, "phase", None):
            rec = os.path.join(ctx.profile_dir, f"table-{server.phase.replace(' ', '-')}.jfr")
            if jfr.cut(ctx.java_home, proc.main_process(server.pid), rec):
                ctx.recordings.append(rec)
        server.phase = what


def _check(status, body, expect, what):
    if status not in expect:
        raise RuntimeError(f"{what} answered {status}: {body[:300]!r}")
    return body


def _wrk(ctx, script, server, args, connections):
    """A warm-up run, at full size rounds of 2 s until the server's CPU per request settles (the JIT compiler of a
    fresh server is at work for tens of seconds: a statObject answered 5,890 requests/s after 5 s of
    warm-up and 23,102 after 25 s), then one measured run of bench/lua/<script>.lua; `args` maps
    "warm", "warm1", ..., "run" to its arguments."""
    loadgen.wrk(ctx, script, server.base_url, args("warm"), connections=connections,
                duration=ctx.size["warmup_seconds"], server_pid=server.pid)
    if ctx.size_name == "full":  # small size: the scenario is kept working, its figures are not the point
        settle(ctx, script, server, args, connections, None)
    return loadgen.wrk(ctx, script, server.base_url, args("run"), connections=connections,
                       duration=ctx.size["wrk_seconds"], server_pid=server.pid)


def _stage(ctx, server, repo, branch, prefix, count, size=16):
    """Uploads `count` new objects of `size` bytes with wrk at 16 connections (bench/lua/stage.lua: until
    every target has been answered); returns (objects/s, the paths)."""
    paths = [f"{prefix}/o{i:07d}.bin" for i in range(count)]
    t = targets(ctx, f"stage-{repo}-{branch}", (
        f"/api/v0/repositories/{repo}/branches/{branch}/objects?path={p}" for p in paths))
    res = proc.run(["wrk", "-t", "1", "-c", "16", "-d", "900s", "--timeout", "10s",
                    "-s", loadgen.script(ctx.workdir, "stage"), server.base_url, "--", t, server.auth, str(size)],
                   cpus=ctx.client_cpus, timeout=960, check=False)
    line = next((l for l in res["stdout"].splitlines() if l.startswith("BENCH_STAGED ")), None)
    if line is None:
        raise RuntimeError(f"staging {count} objects on {repo}/{branch} did not finish:\n{res['stdout'][-2000:]}")
    staged, seconds = line.split()[1:3]
    # uploads sent a second time may still be in flight when the script ends wrk: let the server finish
    # them before the commit that follows, so that the commit is timed alone
    time.sleep(1)
    return int(staged) / float(seconds), paths


def _listed(server, repo, ref, prefix, limit):
    """Up to `limit` paths under `prefix` at `ref`, listed in pages of 1,000."""
    conn = _connect(server)
    out, after = [], ""
    while len(out) < limit:
        q = urllib.parse.urlencode({"prefix": prefix, "amount": 1000, "after": after})
        status, body = server.request("GET", f"/api/v0/repositories/{repo}/refs/{ref}/objects/ls?{q}", conn=conn)
        page = json.loads(_check(status, body, (200,), "listObjects"))
        out += [r["path"] for r in page["results"]]
        if not page["pagination"]["has_more"]:
            break
        after = page["pagination"]["next_offset"]
    conn.close()
    if not out:
        raise RuntimeError(f"no objects under {prefix} at {ref}")
    return out[:limit]


def _timed(server, conn, method, path, body, expect, what):
    t0 = time.perf_counter()
    status, out = server.request(method, path, body=body, conn=conn)
    ms = (time.perf_counter() - t0) * 1000
    _check(status, out, expect, what)
    return ms, out


def _commit(server, conn, repo, branch, message):
    ms, out = _timed(server, conn, "POST", f"/api/v0/repositories/{repo}/branches/{branch}/commits",
                     {"message": message}, (201,), f"commit on {repo}/{branch}")
    return ms, json.loads(out)["id"]


def _branch(server, conn, repo, name, source):
    status, out = server.request("POST", f"/api/v0/repositories/{repo}/branches",
                                 {"name": name, "source": source}, conn=conn)
    _check(status, out, (201,), f"createBranch {name}")


def _merge_10_10(server, conn, repo, paths, tag):
    """Two branches from main, 10 changes on each (no conflicts), each committed; merges the first into
    the second and returns the merge's milliseconds."""
    src, dst = f"merge-src-{tag}", f"merge-dst-{tag}"
    for b, pick in ((src, 0), (dst, 1)):
        _branch(server, conn, repo, b, "main")
        for i in range(10):
            _upload(server, conn, repo, b, paths[2 * i + pick], f"{b} {i}".encode())
        _commit(server, conn, repo, b, f"10 changes on {b}")
    ms, _ = _timed(server, conn, "POST", f"/api/v0/repositories/{repo}/refs/{src}/merge/{dst}", {},
                   (200, 201), f"merge {src} into {dst}")
    return ms


def one_run(ctx, build, sizes, run):
    """Every row once on a fresh server of `build`."""
    folder = fresh_dir(ctx, f"table-{build.slug}-{run}")
    # the run before left its unsynced writes (a build without sync: up to 2 GiB) in the page cache;
    # written back during this run's first rows, they held its synced uploads up (upload p99 356 ms
    # instead of 22-28 ms, 2026-12-02): each run starts with the disk's write-back done
    os.sync()
    server = BuildServer(ctx, folder, build).start()
    ctx.services.append(server)
    try:
        f = build.figures
        f["ready"].append(server.ready_seconds)
        f["rss_idle"].append(server.start_rss / MIB)
        # a connection per phase: the server closes connections left idle while wrk runs
        conn = _connect(server)
        n, big_n = sizes["n"], sizes["big_n"]
        for repo in ("table", "table-big"):
            status, out = server.request("POST", "/api/v0/repositories", {
                "id": repo, "storage_namespace": f"local://table/{repo}", "default_branch": "main"}, conn=conn)
            _check(status, out, (201,), f"createRepository {repo}")
        _branch(server, conn, "table", "w", "main")

        _progress(ctx, server, run, "uploads of 4 KiB")
        # uploads of 4 KiB at 16 connections, on branch w (their objects are the getObject targets)
        count = 400_000 if ctx.size_name == "full" else 50_000

        def uploads(tag):
            return ["multipart", targets(ctx, "table-upload", (
                f"/api/v0/repositories/table/branches/w/objects?path=w/{tag}/o{i:07d}.bin" for i in range(count))),
                server.auth]

        up = _wrk(ctx, "upload", server, uploads, 16)
        f["upload"].append(up["rps"])
        f["upload_p99"].append(up["p99_ms"])
        conn.close()
        conn = _connect(server)
        _, w_commit = _commit(server, conn, "table", "w", "4 KiB uploads")

        _progress(ctx, server, run, "stage and commit")
        # N tiny objects staged on main, then committed
        rate, paths = _stage(ctx, server, "table", "main", "n", n)
        f["stage"].append(rate)
        conn.close()
        conn = _connect(server)
        ms, n_commit = _commit(server, conn, "table", "main", f"{n} staged objects")
        f["commit_n"].append(ms)

        _progress(ctx, server, run, "reads")
        # reads at 32 connections: stat of the N tiny objects, get of 4 KiB ones, by commit id
        stat_t = targets(ctx, "table-stat", (f"/api/v0/repositories/table/refs/{n_commit}/objects/stat?path="
                                             f"{urllib.parse.quote(p)}" for p in paths))
        # the 4 KiB objects as listed at their commit (wrk may drop a request it generated, so the
        # uploaded paths are not exactly the first ones of the targets)
        get_paths = _listed(server, "table", w_commit, "w/run/", min(n, 5_000))
        get_t = targets(ctx, "table-get", (f"/api/v0/repositories/table/refs/{w_commit}/objects?path="
                                           f"{urllib.parse.quote(p)}" for p in get_paths))
        f["stat"].append(_wrk(ctx, "read", server, lambda _t: ["GET", stat_t, server.auth], 32)["rps"])
        f["get"].append(_wrk(ctx, "read", server, lambda _t: ["GET", get_t, server.auth], 32)["rps"])

        # listing of the N objects at the commit, pages of 1,000
        f["list"].append(list_all(ctx, server, n_commit, n, repo="table")[0])

        conn.close()
        conn = _connect(server)
        _progress(ctx, server, run, "commit diff merge")
        # 10 changes on N: commit, diff against the previous commit, then a 10 + 10 merge
        for i in range(10):
            _upload(server, conn, "table", "main", paths[i * 7 % n], f"change {i}".encode())
        ms, c10 = _commit(server, conn, "table", "main", "10 changes")
        f["commit_10"].append(ms)
        diffs = []
        for _ in range(5):
            ms, out = _timed(server, conn, "GET", f"/api/v0/repositories/table/refs/{c10}/diff/{n_commit}?amount=1000",
                             None, (200,), "diffRefs")
            diffs.append(ms)
            if len(json.loads(out)["results"]) != 10:
                raise RuntimeError(f"diffRefs found {len(json.loads(out)['results'])} changes, expected 10")
        f["diff_10"].append(sorted(diffs)[len(diffs) // 2])
        f["merge_10"].append(_merge_10_10(server, conn, "table", paths[100:], f"n{run}"))

        _progress(ctx, server, run, "branch creation")
        # branch creation: one connection, then 16
        def branches(connections):
            return lambda tag: ["/api/v0/repositories/table/branches", f"{tag}{connections}r{run}", "main", server.auth]

        seq = _wrk(ctx, "branch", server, branches(1), 1)
        f["branch_seq"].append(seq["rps"])
        f["branch_seq_p99"].append(seq["p99_ms"])
        f["branch_16"].append(_wrk(ctx, "branch", server, branches(16), 16)["rps"])

        _progress(ctx, server, run, "the large repository")
        # BIG staged objects in a repository of their own, committed, then a 10 + 10 merge there
        _, big_paths = _stage(ctx, server, "table-big", "main", "big", big_n)
        conn.close()
        conn = _connect(server)
        ms, _ = _commit(server, conn, "table-big", "main", f"{big_n} staged objects")
        f["commit_big"].append(ms)
        f["merge_big"].append(_merge_10_10(server, conn, "table-big", big_paths[1000:], f"big{run}"))

        _progress(ctx, server, run, "large transfer")
        # one large object up and down (curl on the client core)
        size = sizes["big_bytes"]
        src = data.big_file(ctx.workdir, size)
        os.sync()
        url = f"{server.base_url}/api/v0/repositories/table/branches/main/objects?path=big/{run}.bin"
        up = curl(ctx, "-u", f"{server.key_id}:{server.secret}", "-F",
                  f"content=@{src};type=application/octet-stream", url)
        f["upload_big"].append(size / 1e6 / up["wall"])
        down = curl(ctx, "-u", f"{server.key_id}:{server.secret}",
                    f"{server.base_url}/api/v0/repositories/table/refs/main/objects?path=big/{run}.bin")
        f["download_big"].append(size / 1e6 / down["wall"])

        _progress(ctx, server, run, None)
        hwm = proc.status_kib(proc.main_process(server.pid), "VmHWM")
        f["rss_peak"].append((hwm or 0) / 1024)
        conn.close()
    finally:
        server.stop()
        ctx.services.remove(server)


def table(ctx):
    sizes = SIZES[ctx.size_name]
    now = Build("now", ctx.jar)
    before_jar = os.environ.get("BENCH_BEFORE_JAR")
    builds = [now]
    before = None
    if before_jar:
        if not os.path.isfile(before_jar):
            raise RuntimeError(f"BENCH_BEFORE_JAR={before_jar} is not a file")
        before = Build(os.environ.get("BENCH_BEFORE_LABEL", "before"), os.path.abspath(before_jar))
        builds = [before, now]
    # BENCH_NOW_NOSYNC=1: the build under test also without sync, as a build of its own taking its turn
    # (the comparison at equal durability with a build or a server that does not sync)
    nosync = None
    if os.environ.get("BENCH_NOW_NOSYNC", "").lower() in ("1", "on", "true") and ctx.sync:
        nosync = Build("now, no sync", ctx.jar, sync=False)
        builds.append(nosync)
    for run in range(ctx.runs):
        order = builds if run % 2 == 0 else list(reversed(builds))
        for build in order:
            one_run(ctx, build, sizes, run)
    R = ctx.results
    n, big_n, big = sizes["n"], sizes["big_n"], sizes["big_bytes"]
    for key, (metric, unit, higher, lakefs) in ROWS.items():
        metric = metric.format(n=f"{n:,}", big_n=f"{big_n:,}",
                               bytes=f"{big // MIB} MiB" if big < 1024 * MIB else f"{big // (1024 * MIB)} GiB")
        if lakefs is None:
            target = None
        else:
            goal = lakefs * 2 if higher else lakefs / 2
            target = f"lakeFS {fmt(lakefs)}; 2x: {'≥' if higher else '≤'} {fmt(goal)}"
        R.add("table", metric, unit, now.figures[key],
              f"Tarn {before.label}" if before else None,
              before.figures[key] if before else None, higher_is_better=higher, target=target)
        if nosync:
            R.add("table, no sync", metric, unit, nosync.figures[key],
                  f"Tarn {before.label}" if before else None,
                  before.figures[key] if before else None, higher_is_better=higher, target=target)
    R.notes.append(
        f"table: the rows of the lakeFS comparison, N = {n:,} and {big_n:,}, every run on a fresh server with an "
        f"empty data folder, pinned to CPU {ctx.server_cpus}; the lakeFS figures in the target column are the "
        "better of its two columns in that comparison (lakeFS v1.84, N = 20,000 and 100,000, no sync), quoted, "
        "not measured here" + (f"; before = {before.label}, runs alternating with the build under test" if before else "")
        + ("; \"table, no sync\" is the build under test with database.local.sync_writes and "
           "blockstore.local.sync off (BENCH_NOW_NOSYNC=1), taking its turn with the others" if nosync else "") + ".")
