"""The scenarios of issue 5. Each one runs Tarn and its baseline on the same data in the same run
and adds rows to ctx.results; any exception fails the scenario (and the run)."""
import base64
import http.client
import json
import os
import shutil
import threading
import time
import urllib.parse
import urllib.request

from . import data, loadgen, proc
from .gitbase import GitRepo
from .services import Nginx, S3Proxy, TarnServer, presign_v4

MIB = 1024 * 1024

SIZES = {
    "small": {"commit_n": 10_000, "diff_n": (2_000, 10_000), "read_n": 1_000, "list_n": 10_000,
              "big_bytes": 64 * MIB, "wrk_seconds": 2, "warmup_seconds": 1, "cold_warmup_seconds": 10, "settle_seconds": 30, "git_refs": 1_000, "upload_targets": 50_000, "lookups": 10_000,
              "pg_commit_n": 10_000, "scale_servers": 3,
              "runs": 1, "diff_runs": 2, "gc_n": 10_000, "load_seconds": 10, "import_n": 5_000,
              "describe": "commit 10k, diff-merge 2k/10k, read 1k objects, list 10k, 64 MiB transfer, wrk 2 s, gc 10k, "
                          "load 10 s, import 5k"},
    "full": {"commit_n": 1_000_000, "diff_n": (100_000, 1_000_000), "read_n": 100_000, "list_n": 1_000_000,
             "big_bytes": 1024 * MIB, "wrk_seconds": 10, "warmup_seconds": 5, "cold_warmup_seconds": 20, "settle_seconds": 60, "git_refs": 20_000, "upload_targets": 400_000, "lookups": 100_000,
             "pg_commit_n": 100_000, "scale_servers": 3,
             "runs": 3, "diff_runs": 5, "gc_n": 1_000_000, "load_seconds": 60, "import_n": 100_000,
             "describe": "commit 1M, diff-merge 100k/1M, read 100k objects, list 1M, 1 GiB transfer, wrk 10 s, gc 1M, "
                         "load 60 s, import 100k"},
}


def fresh_dir(ctx, name):
    d = os.path.join(ctx.workdir, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


# ---- 1. commit ----

def commit(ctx):
    n = ctx.size["commit_n"]
    tarn_file, git_file, _ = data.entries(ctx.workdir, n)
    k = ctx.size["lookups"]
    lookups = data.lookups(ctx.workdir, n, k)
    t_stage, t_commit, t_rss, g_stage, g_commit, g_rss, g_write_tree = [], [], [], [], [], [], []
    t_stat_c, t_stat_b, t_stat_p50, t_stat_p99, g_stat = [], [], [], [], []
    for r in range(ctx.runs):
        d = fresh_dir(ctx, "commit-data")
        out = ctx.harness("commit", "--data", d, "--entries", tarn_file, "--lookups", lookups)
        t_stat_c.append(out["stat_commit"]["mean_us"])
        t_stat_p99.append(out["stat_commit"]["p99_us"])
        t_stat_p50.append(out["stat_commit"]["p50_us"])
        t_stat_b.append(out["stat_branch"]["mean_us"])
        t_stage.append(out["stage_per_second"])
        t_commit.append(out["commit_seconds"])
        t_rss.append(out["peak_rss_bytes"] / MIB)
        shutil.rmtree(d, ignore_errors=True)

        shutil.rmtree(os.path.join(ctx.workdir, "git-commit"), ignore_errors=True)
        g = GitRepo(ctx.workdir, "git-commit")
        s = g.stage(git_file)
        w = g.write_tree()
        c = g.commit_tree(w["tree"], f"bench: {n} entries")
        g_stage.append(n / s["wall"])
        g_commit.append(w["wall"] + c["wall"])
        g_write_tree.append(w["wall"])
        g_rss.append(max(s["maxrss"], w["maxrss"]) / MIB)
        g_stat.append(git_lookups(ctx, g, w["tree"], lookups, k))
        shutil.rmtree(g.dir, ignore_errors=True)
    R = ctx.results
    R.add("commit", f"staging {n:,} entries", "entries/s", t_stage, "git update-index --index-info", g_stage,
          higher_is_better=True)
    R.add("commit", f"commit of {n:,} staged entries", "s", t_commit, "git write-tree + commit-tree", g_commit,
          higher_is_better=False, target="< 20 s at 1M; ≤ 3x git write-tree")
    R.add("commit", "commit vs git write-tree alone", "s", t_commit, "git write-tree", g_write_tree,
          higher_is_better=False, target="≤ 3x")
    R.add("commit", f"stat of a random committed entry ({k:,} lookups, in-process, commit id)", "µs", t_stat_c,
          "git cat-file --batch-check <tree>:<path>", g_stat, higher_is_better=False, target="< 50 µs (engine design)")
    R.add("commit", "stat p50 (commit id)", "µs", t_stat_p50, None, None, higher_is_better=False)
    R.add("commit", "stat p99 (commit id)", "µs", t_stat_p99, None, None, higher_is_better=False)
    R.add("commit", "stat of a random entry on the branch (staging + committed)", "µs", t_stat_b,
          "git cat-file --batch-check <tree>:<path>", g_stat, higher_is_better=False)
    ctx.memory["commit"] = (t_rss, "git (max of update-index, write-tree)", g_rss)
    if "postgres" in ctx.kvs:
        pn = min(n, ctx.size["pg_commit_n"])
        pg_file, _, _ = data.entries(ctx.workdir, pn)
        figures = {"rocksdb": ([], []), "postgres": ([], [])}
        for r in range(ctx.runs):
            for kv in ("rocksdb", "postgres"):
                d = fresh_dir(ctx, "commit-data")
                out = ctx.harness("commit", "--data", d, "--entries", pg_file, "--repo", f"bench-commit-{kv}-{r}",
                                  kv=kv)
                figures[kv][0].append(out["stage_per_second"])
                figures[kv][1].append(out["commit_seconds"])
                shutil.rmtree(d, ignore_errors=True)
        R.add("commit", f"staging {pn:,} entries on PostgreSQL (one thread)", "entries/s", figures["postgres"][0],
              "Tarn on RocksDB", figures["rocksdb"][0], higher_is_better=True, target="≥ 0.33x (within 3x)")
        R.add("commit", f"commit of {pn:,} staged entries on PostgreSQL", "s", figures["postgres"][1],
              "Tarn on RocksDB", figures["rocksdb"][1], higher_is_better=False, target="≤ 3x")


def git_lookups(ctx, g, tree, lookups, k):
    """µs per path lookup of `git cat-file --batch-check` over <tree>:<path> lines (one process; the
    blobs do not exist, so it answers "missing" after resolving the path through the trees)."""
    probe = open(lookups).readline().strip()
    g.run("rev-parse", f"{tree}:{probe}")  # the path resolves (fails the scenario otherwise)
    batch = os.path.join(ctx.workdir, "git-lookups.txt")
    with open(lookups) as src, open(batch, "w") as out:
        for line in src:
            out.write(f"{tree}:{line}")
    res = g.run("cat-file", "--batch-check=%(objectname)", stdin=batch)
    if len(res["stdout"].splitlines()) != k:
        raise RuntimeError(f"git cat-file answered {len(res['stdout'].splitlines())} lines for {k} lookups")
    return res["wall"] * 1e6 / k


# ---- 2. diff-merge ----

def diff_merge(ctx):
    k = 10
    runs = ctx.size["diff_runs"]
    medians = {}
    for n in ctx.size["diff_n"]:
        tarn_file, git_file, _ = data.entries(ctx.workdir, n)
        changes = data.change_sets(ctx.workdir, n, runs, k)
        d = fresh_dir(ctx, "diff-data")
        out = ctx.harness("diffmerge", "--data", d, "--entries", tarn_file, "--changes", changes,
                          "--runs", str(runs))
        shutil.rmtree(d, ignore_errors=True)
        for i, (dc, mc) in enumerate(zip(out["diff_changes"], out["merge_changes"])):
            if dc != k or mc != k:
                raise RuntimeError(f"run {i} at {n:,}: diff found {dc} changes and merge applied {mc}, expected {k}")

        shutil.rmtree(os.path.join(ctx.workdir, "git-diff"), ignore_errors=True)
        g = GitRepo(ctx.workdir, "git-diff")
        g.stage(git_file)
        base = g.write_tree()["tree"]
        base_c = g.commit_tree(base, "base")["commit"]
        g_diff, g_merge = [], []
        for r in range(runs):
            trees = {}
            for side in ("src", "dst"):
                g.read_tree(base)
                g.stage(os.path.join(changes, f"r{r}-{side}.git"))
                t = g.write_tree()["tree"]
                trees[side] = g.commit_tree(t, f"{side} {r}", base_c)["commit"], t
            dt = g.run("diff-tree", "-r", base, trees["src"][1])
            if len(dt["stdout"].splitlines()) != k:
                raise RuntimeError(f"git diff-tree found {len(dt['stdout'].splitlines())} changes, expected {k}")
            g_diff.append(dt["wall"] * 1000)
            mt = g.run("merge-tree", "--write-tree", trees["dst"][0], trees["src"][0])
            g_merge.append(mt["wall"] * 1000)
        shutil.rmtree(g.dir, ignore_errors=True)
        R = ctx.results
        R.add("diff-merge", f"diff, {k} changes in {n:,}", "ms", out["diff_ms"], "git diff-tree -r", g_diff,
              higher_is_better=False, target="< 50 ms at 1M")
        R.add("diff-merge", f"merge, {k}+{k} changes in {n:,}", "ms", out["merge_ms"], "git merge-tree --write-tree",
              g_merge, higher_is_better=False, target="< 50 ms at 1M")
        R.add("diff-merge", f"commit of {k} changes on {n:,}", "ms", out["commit_k_ms"], None, None,
              higher_is_better=False)
        medians[n] = (out["diff_ms"], out["merge_ms"], g_diff, g_merge)
    small, big = ctx.size["diff_n"]
    from .stats import summarize
    med = lambda v: summarize(v)["median"]
    R = ctx.results
    R.add("diff-merge", f"diff time {big:,} / {small:,}", "x", med(medians[big][0]) / med(medians[small][0]),
          "git diff-tree, same ratio", med(medians[big][2]) / med(medians[small][2]), higher_is_better=False,
          target="≤ 1.5x")
    R.add("diff-merge", f"merge time {big:,} / {small:,}", "x", med(medians[big][1]) / med(medians[small][1]),
          "git merge-tree, same ratio", med(medians[big][3]) / med(medians[small][3]), higher_is_better=False,
          target="≤ 1.5x")
    R.notes.append("diff-merge: Tarn times are measured inside the JVM; git times are wall times of the "
                   "git process, including its start (~1–2 ms).")


def _upload(tarn, conn, repo, branch, path, content):
    """One classic multipart upload (the form field `content`, as the 2020 clients send it)."""
    body, content_type = data.multipart_form(content)
    conn.request("POST", f"/api/v0/repositories/{repo}/branches/{branch}/objects?path={urllib.parse.quote(path)}",
                 body=body, headers={"Authorization": tarn.auth, "Content-Type": content_type})
    r = conn.getresponse()
    out = r.read()
    if r.status != 201:
        raise RuntimeError(f"upload of {path} answered {r.status}: {out[:300]!r}")


def _call(tarn, conn, method, path, body, expect):
    status, out = tarn.request(method, path, body=body, conn=conn)
    if status not in expect:
        raise RuntimeError(f"{method} {path} answered {status}: {out[:300]!r}")
    return json.loads(out) if out else None


def diff_merge_api(ctx):
    """diffRefs and merge of k + k changes over the seeded read repository (its N objects), through
    /api/v0 and /api/v1 alternately on the same server: what the HTTP contract adds to the engine's
    diff and merge (the engine's own times are the diff-merge scenario's)."""
    lake = ctx.lake()
    tarn = lake.tarn_server()
    repo, k, n = "bench-read", 10, lake.read_n
    conn = http.client.HTTPConnection("127.0.0.1", tarn.port, timeout=120)
    stamp = int(time.time()) % 100000
    paths = lake.paths()
    main = _call(tarn, conn, "GET", f"/api/v0/repositories/{repo}/branches/main", None, (200,))
    base = main["commit_id"] if isinstance(main, dict) else main
    times = {("diff", "v0"): [], ("diff", "v1"): [], ("merge", "v0"): [], ("merge", "v1"): []}
    for r in range(ctx.size["diff_runs"] * 2):
        for api in (("v0", "v1") if r % 2 == 0 else ("v1", "v0")):
            src, dst = f"dm{stamp}r{r}{api}src", f"dm{stamp}r{r}{api}dst"
            for b, pick in ((src, 0), (dst, 1)):
                _call(tarn, conn, "POST", f"/api/v0/repositories/{repo}/branches", {"name": b, "source": "main"},
                      (201,))
                for i in range(k):
                    # src changes even-numbered existing paths, dst odd-numbered ones: no conflicts
                    path = paths[(2 * (r * k + i) + pick) % len(paths)]
                    _upload(tarn, conn, repo, b, path, f"{b} {i}".encode())
                _call(tarn, conn, "POST", f"/api/v0/repositories/{repo}/branches/{b}/commits",
                      {"message": f"{k} changes", "metadata": {}}, (201,))
            t0 = time.perf_counter()
            if api == "v0":
                d = _call(tarn, conn, "GET", f"/api/v0/repositories/{repo}/refs/{src}/diff/{base}?amount=1000",
                          None, (200,))
            else:
                d = _call(tarn, conn, "GET", f"/api/v1/repositories/{repo}/refs/{base}/diff/{src}?amount=1000",
                          None, (200,))
            times[("diff", api)].append((time.perf_counter() - t0) * 1000)
            if len(d["results"]) != k:
                raise RuntimeError(f"diffRefs /api/{api} found {len(d['results'])} changes, expected {k}")
            t0 = time.perf_counter()
            _call(tarn, conn, "POST", f"/api/{api}/repositories/{repo}/refs/{src}/merge/{dst}", {}, (200, 201))
            times[("merge", api)].append((time.perf_counter() - t0) * 1000)
            diff_after = _call(tarn, conn, "GET", f"/api/v0/repositories/{repo}/refs/{dst}/diff/{base}?amount=1000",
                               None, (200,))
            if len(diff_after["results"]) != 2 * k:
                raise RuntimeError(f"after the merge /api/{api} {dst} differs from main in "
                                   f"{len(diff_after['results'])} paths, expected {2 * k}")
            for b in (src, dst):
                _call(tarn, conn, "DELETE", f"/api/v0/repositories/{repo}/branches/{b}", None, (204,))
    conn.close()
    R = ctx.results
    R.add("diff-merge", f"diffRefs /api/v1, {k} changes over {n:,} (HTTP)", "ms", times[("diff", "v1")],
          "diffRefs /api/v0", times[("diff", "v0")], higher_is_better=False, target="≤ 1.1x (≤ 10% over /api/v0)")
    R.add("diff-merge", f"merge /api/v1, {k}+{k} changes over {n:,} (HTTP)", "ms", times[("merge", "v1")],
          "merge /api/v0", times[("merge", "v0")], higher_is_better=False, target="≤ 1.1x (≤ 10% over /api/v0)")


# ---- shared fixture of the HTTP scenarios: seeded data, Tarn server, nginx, S3Proxy ----

class Lake:
    """Seeds once (harness `seed`: repositories bench-read, bench-list, bench-write, bench-branch and
    the same read objects as plain files), then starts the servers on demand."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.read_n, self.list_n = ctx.size["read_n"], ctx.size["list_n"]
        read_tarn, _, self.read_paths = data.entries(ctx.workdir, self.read_n)
        list_tarn, self.list_git, _ = data.entries(ctx.workdir, self.list_n)
        self.data = fresh_dir(ctx, "tarn-data")
        self.files = fresh_dir(ctx, "files")
        self.seed = ctx.harness("seed", "--data", self.data, "--read", read_tarn, "--files", self.files,
                                "--list", list_tarn)
        self.tarn = None
        self.s3 = None
        self.nginx = None
        self.pg_data = None
        self.pg_seed = None
        self.pg_servers = []

    def tarn_server(self):
        if self.tarn is None:
            self.tarn = TarnServer(self.ctx, self.data).start()
            self.ctx.services.append(self.tarn)
            time.sleep(1)
        return self.tarn

    def seed_postgres(self):
        """The same read, write and branch repositories with their metadata in PostgreSQL (list: one
        entry; the list scenario stays on RocksDB), in a data folder of their own."""
        if self.pg_seed is None:
            read_tarn, _, _ = data.entries(self.ctx.workdir, self.read_n)
            one_tarn, _, _ = data.entries(self.ctx.workdir, 1)
            self.pg_data = fresh_dir(self.ctx, "tarn-data-pg")
            self.pg_seed = self.ctx.harness("seed", "--data", self.pg_data, "--read", read_tarn,
                                            "--files", fresh_dir(self.ctx, "files-pg"), "--list", one_tarn,
                                            kv="postgres")
        return self.pg_seed

    def postgres_servers(self, n):
        """n Tarn servers on the PostgreSQL-seeded data (one PostgreSQL, one block store folder)."""
        self.seed_postgres()
        while len(self.pg_servers) < n:
            t = TarnServer(self.ctx, self.pg_data, "postgres", tag=f"#{len(self.pg_servers) + 1}").start()
            self.ctx.services.append(t)
            self.pg_servers.append(t)
        time.sleep(1)
        return self.pg_servers[:n]

    def nginx_server(self):
        if self.nginx is None:
            self.nginx = Nginx(self.ctx, self.files).start()
            self.ctx.services.append(self.nginx)
        return self.nginx

    def s3proxy(self):
        if self.s3 is None:
            self.s3 = S3Proxy(self.ctx, ["bench-read", "bench-write"]).start()
            self.ctx.services.append(self.s3)
            t0 = time.perf_counter()
            put_files(self.s3, "bench-read", self.files, self.read_paths)
            self.s3_seed_seconds = time.perf_counter() - t0
        return self.s3

    def paths(self):
        with open(self.read_paths) as f:
            return [l.rstrip("\n") for l in f if l.strip()]


def targets(ctx, name, lines):
    """Writes request targets (one per line) for a wrk script; returns the file."""
    path = os.path.join(ctx.workdir, f"targets-{name}.txt")
    with open(path, "w") as f:
        for line in lines:
            f.write(line + "\n")
    return path


def put_files(s3, bucket, root, paths_file, threads=16):
    """PUTs every listed file into S3Proxy through presigned URLs, from `threads` keep-alive connections."""
    with open(paths_file) as f:
        paths = [l.rstrip("\n") for l in f if l.strip()]
    errors = []

    def worker(part):
        c = http.client.HTTPConnection("127.0.0.1", s3.port, timeout=60)
        for p in part:
            with open(os.path.join(root, p), "rb") as fh:
                body = fh.read()
            c.request("PUT", s3.presign("PUT", bucket, urllib.parse.quote(p), "application/octet-stream"),
                      body=body, headers={"Content-Type": "application/octet-stream"})
            r = c.getresponse()
            out = r.read()
            if r.status != 200:
                errors.append(f"{p}: {r.status} {out[:300]!r}")
                return
        c.close()

    ts = [threading.Thread(target=worker, args=(paths[i::threads],)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise RuntimeError(f"seeding S3Proxy failed: {errors[:3]}")


def wrk_runs(ctx, name, service, args, connections, label):
    """Warm-up (discarded), then ctx.runs measured wrk runs against one service. `args` is a list, or a
    function of the run's label ("warm", "r0", "r1", ...) returning one."""
    make = args if callable(args) else (lambda _label: args)
    # A server's first runs warm up for longer (cold_warmup_seconds): its JIT compiler is still at work
    # for many seconds on a busy machine (C2 took 40% of the server's CPU over the 10 s after a 25 s
    # warm-up, load average 17-25), and a fresh server measured beside a warm one (Tarn on PostgreSQL
    # against Tarn on RocksDB) would pay for it in its figures.
    warmup = ctx.size["warmup_seconds"]
    if not getattr(service, "jit_warm", True):
        warmup = ctx.size["cold_warmup_seconds"]
        service.jit_warm = True
    warm_up(ctx, name, service, make, connections, warmup)
    db_pid = ctx.postgres().pid if getattr(service, "kv", None) == "postgres" else None
    if getattr(service, "kv", None) and "postgres" in ctx.kvs:
        settle(ctx, name, service, make, connections, db_pid)
    runs = [loadgen.wrk(ctx, name, service.base_url, make(f"r{i}"), connections=connections,
                        duration=ctx.size["wrk_seconds"], server_pid=service.pid, db_pid=db_pid)
            for i in range(ctx.runs)]
    ctx.results.add_cpu(ctx.current, label, service.name, runs)
    return runs


def settle(ctx, name, service, make, connections, db_pid):
    """With --kv postgres, where a fresh server is measured against a warm one: more warm-up rounds
    of 2 s until the server's CPU per request stops falling (two rounds in a row none more than 10%
    below the lowest so far), at most settle_seconds. Every new kind of request (a random path of a
    commit's tree, a branch's staged entries) is new code for the JIT compiler, which on a busy
    machine needs tens of seconds: a fresh server's createBranch cost 1,724, 764, 535, 159 and 145 µs
    of Tarn's CPU per request in five 8 s runs one after the other (load average ~20)."""
    spent, best, flat, k = 0, None, 0, 0
    while spent < ctx.size["settle_seconds"] and flat < 2:
        k += 1
        r = loadgen.wrk(ctx, name, service.base_url, make(f"warm{k}"), connections=connections, duration=2,
                        server_pid=service.pid, db_pid=db_pid, allow_none=True)
        spent += 2
        cost = cpu_per_request([r])
        if not cost:
            continue
        if best is not None and cost[0] >= 0.9 * best:
            flat += 1
        else:
            flat = 0
        best = cost[0] if best is None else min(best, cost[0])


def warm_up(ctx, name, service, make, connections, seconds=None):
    """A warm-up run (discarded). A cold server on a busy machine may answer nothing within a short
    warm-up (a server on PostgreSQL opens its pool's connections and plans its first statements, a
    synced write waits for a busy disk): warm up again, up to 5 times."""
    for attempt in range(5):
        warm = loadgen.wrk(ctx, name, service.base_url, make("warm" if attempt == 0 else f"warm{attempt}"),
                           connections=connections, duration=seconds or ctx.size["warmup_seconds"], server_pid=service.pid,
                           allow_none=True)
        if warm["requests"]:
            return
    raise RuntimeError(f"wrk {name} against {service.base_url}: 5 warm-up runs completed no request")


def paired_runs(ctx, name, service, args_a, args_b, connections, label_a, label_b):
    """Two variants against one service, measured alternately after a warm-up of each (see
    alternating_runs), so that neither gets a warmer JVM or a quieter machine: (runs of a, runs of b)."""
    a, b = alternating_runs(ctx, name, service, [args_a, args_b], connections, [label_a, label_b], pairs=1)
    return a, b


def col(runs, key):
    return [r[key] for r in runs]


def cpu_per_request(runs):
    """CPU time per answered request in µs, of the server and (for Tarn on PostgreSQL) the cluster:
    a figure that moves far less with the load of a shared machine than requests/s."""
    return [(r["server_cpu"] + (r.get("db_cpu") or 0.0)) / r["rps"] * 1e6 for r in runs
            if r.get("server_cpu") is not None and r["rps"]]


# ---- 3. read ----

def read(ctx):
    lake = ctx.lake()
    tarn, nginx, s3 = lake.tarn_server(), lake.nginx_server(), lake.s3proxy()
    api = f"/api/v0/repositories/bench-read/refs/{lake.seed['read_commit']}/objects"
    paths = [urllib.parse.quote(p) for p in lake.paths()]
    t_get = targets(ctx, "tarn-get", (f"{api}?path={p}" for p in paths))
    t_stat = targets(ctx, "tarn-stat", (f"{api}/stat?path={p}" for p in paths))
    # the current API (lakeFS's /api/v1) on the same objects: same engine, its own contract
    api1 = api.replace("/api/v0/", "/api/v1/", 1)
    t_get1 = targets(ctx, "tarn-get-v1", (f"{api1}?path={p}" for p in paths))
    t_stat1 = targets(ctx, "tarn-stat-v1", (f"{api1}/stat?path={p}" for p in paths))
    n_get = targets(ctx, "nginx-get", (f"/{p}" for p in paths))
    s_get = targets(ctx, "s3-get", (s3.presign("GET", "bench-read", p) for p in paths))
    c = 64
    # /api/v0 and /api/v1 alternately, so both see the same state of the (shared) machine
    tg, tg1 = paired_runs(ctx, "read", tarn, ["GET", t_get, tarn.auth], ["GET", t_get1, tarn.auth], c,
                          "getObject", "getObject /api/v1")
    ts, ts1 = paired_runs(ctx, "read", tarn, ["GET", t_stat, tarn.auth], ["GET", t_stat1, tarn.auth], c,
                          "statObject", "statObject /api/v1")
    R = ctx.results
    n = f"{lake.read_n:,} objects, c={c}"
    # recorded before the baselines run, so a failing baseline does not lose them
    R.add("read", f"getObject /api/v1 ({n})", "req/s", col(tg1, "rps"), "getObject /api/v0", col(tg, "rps"),
          higher_is_better=True, target="≥ 0.9x /api/v0")
    R.add("read", f"statObject /api/v1 ({n})", "req/s", col(ts1, "rps"), "statObject /api/v0", col(ts, "rps"),
          higher_is_better=True, target="≥ 0.9x /api/v0")
    R.add("read", "getObject /api/v1 p99", "ms", col(tg1, "p99_ms"), "getObject /api/v0", col(tg, "p99_ms"),
          higher_is_better=False)
    ng = wrk_runs(ctx, "read", nginx, ["GET", n_get, "-"], c, "GET file")
    nh = wrk_runs(ctx, "read", nginx, ["GET", n_get, "-", "If-None-Match: *"], c, "conditional GET (304)")
    def s3_baseline(args, label):
        """S3Proxy's runs, or None when S3Proxy answered nothing within wrk's timeout (on a loaded machine
        it stalls now and then, as in gateway): its rows then have no baseline and say so."""
        try:
            return wrk_runs(ctx, "read", s3, args, c, label)
        except RuntimeError as e:
            ctx.results.notes.append(f"read: S3Proxy {label}: {str(e).splitlines()[0]}")
            return None

    sg = s3_baseline(["GET", s_get, "-"], "GetObject")
    sh = s3_baseline(["GET", s_get, "-", "If-None-Match: *"], "conditional GetObject (304)")
    # access control: the same reads by a user whose access comes only through a group policy (Viewers:
    # FSReadAll), against the admin's in the same run: both warmed up, then measured runs alternating
    # (at least 3 pairs, ABBA order), so that a slower moment of a shared machine hits both alike
    viewer = viewer_auth(tarn)
    tv, ta = alternating_runs(ctx, "read", tarn, [["GET", t_get, viewer], ["GET", t_get, tarn.auth]], c,
                              ["getObject (Viewers user)", "getObject (admin, alternating)"])
    R.add("read", f"getObject 4 KiB ({n})", "req/s", col(tg, "rps"), "nginx GET", col(ng, "rps"),
          higher_is_better=True, target="≥ 0.5x nginx")
    R.add("read", f"getObject 4 KiB ({n})", "req/s", col(tg, "rps"), "S3Proxy GetObject", sg and col(sg, "rps"),
          higher_is_better=True, target="> 1x S3Proxy")
    R.add("read", "getObject p50", "ms", col(tg, "p50_ms"), "nginx GET", col(ng, "p50_ms"), higher_is_better=False)
    R.add("read", "getObject p99", "ms", col(tg, "p99_ms"), "nginx GET", col(ng, "p99_ms"), higher_is_better=False)
    R.add("read", "getObject p99", "ms", col(tg, "p99_ms"), "S3Proxy GetObject", sg and col(sg, "p99_ms"),
          higher_is_better=False)
    R.add("read", f"statObject ({n})", "req/s", col(ts, "rps"), "nginx stat (GET If-None-Match: * → 304)", col(nh, "rps"),
          higher_is_better=True, target="≥ 0.5x nginx")
    R.add("read", f"statObject ({n})", "req/s", col(ts, "rps"), "S3Proxy stat (GetObject If-None-Match: * → 304)", sh and col(sh, "rps"),
          higher_is_better=True, target="> 1x S3Proxy")
    R.add("read", "statObject p50", "ms", col(ts, "p50_ms"), "nginx stat (GET If-None-Match: * → 304)", col(nh, "p50_ms"), higher_is_better=False)
    R.add("read", "statObject p99", "ms", col(ts, "p99_ms"), "S3Proxy stat (GetObject If-None-Match: * → 304)", sh and col(sh, "p99_ms"),
          higher_is_better=False)
    if "postgres" in ctx.kvs:
        pg = lake.postgres_servers(1)[0]
        pg_api = f"/api/v0/repositories/bench-read/refs/{lake.pg_seed['read_commit']}/objects"
        pg_get = targets(ctx, "tarn-pg-get", (f"{pg_api}?path={p}" for p in paths))
        pg_stat = targets(ctx, "tarn-pg-stat", (f"{pg_api}/stat?path={p}" for p in paths))
        pg_branch = targets(ctx, "tarn-pg-stat-branch",
                            (f"/api/v0/repositories/bench-read/refs/main/objects/stat?path={p}" for p in paths))
        rk_branch = targets(ctx, "tarn-stat-branch",
                            (f"/api/v0/repositories/bench-read/refs/main/objects/stat?path={p}" for p in paths))
        pgg = wrk_runs(ctx, "read", pg, ["GET", pg_get, pg.auth], c, "getObject")
        pgs = wrk_runs(ctx, "read", pg, ["GET", pg_stat, pg.auth], c, "statObject")
        pgb = wrk_runs(ctx, "read", pg, ["GET", pg_branch, pg.auth], c, "statObject on the branch")
        tb = wrk_runs(ctx, "read", tarn, ["GET", rk_branch, tarn.auth], c, "statObject on the branch")
        base = "Tarn on RocksDB"
        R.add("read", f"getObject 4 KiB on PostgreSQL ({n})", "req/s", col(pgg, "rps"), base, col(tg, "rps"),
              higher_is_better=True, target="≥ 0.67x (within 1.5x)")
        R.add("read", f"statObject on PostgreSQL ({n})", "req/s", col(pgs, "rps"), base, col(ts, "rps"),
              higher_is_better=True, target="≥ 0.67x (within 1.5x)")
        R.add("read", f"statObject at the branch on PostgreSQL ({n})", "req/s", col(pgb, "rps"), base, col(tb, "rps"),
              higher_is_better=True, target="≥ 0.67x (within 1.5x)")
        R.add("read", "statObject p99 on PostgreSQL", "ms", col(pgs, "p99_ms"), base, col(ts, "p99_ms"),
              higher_is_better=False)
        for what, pruns, rruns in (("getObject", pgg, tg), ("statObject", pgs, ts),
                                   ("statObject at the branch", pgb, tb)):
            R.add("read", f"{what} on PostgreSQL: CPU per request (Tarn + PostgreSQL)", "µs",
                  cpu_per_request(pruns), base, cpu_per_request(rruns), higher_is_better=False,
                  target="≤ 1.5x", note="the server core's work per request, robust to load")
    R.add("read", f"getObject by a Viewers user ({n})", "req/s", col(tv, "rps"), "the same by the admin",
          col(ta, "rps"), higher_is_better=True, target="≥ 0.95x admin",
          note="access through a group policy; runs alternate with the admin's, same server")
    R.add("read", "getObject p99 by a Viewers user", "ms", col(tv, "p99_ms"), "the same by the admin",
          col(ta, "p99_ms"), higher_is_better=False)


def alternating_runs(ctx, name, service, arg_lists, connections, labels, pairs=3):
    """Like wrk_runs for several request kinds at once: a warm-up of each, then max(ctx.runs, pairs)
    rounds of one measured run of each kind, the order reversed every other round. Each entry of
    `arg_lists` is a list, or a function of the run's label ("warm", "r0", ...) returning one."""
    makes = [a if callable(a) else (lambda _label, a=a: a) for a in arg_lists]
    for make in makes:
        warm_up(ctx, name, service, make, connections)
    out = [[] for _ in arg_lists]
    for round_ in range(max(ctx.runs, pairs)):
        order = list(range(len(arg_lists)))
        if round_ % 2:
            order.reverse()  # A B, B A, A B, ...: neither kind always runs first
        for i in order:
            out[i].append(loadgen.wrk(ctx, name, service.base_url, makes[i](f"r{round_}"), connections=connections,
                                      duration=ctx.size["wrk_seconds"], server_pid=service.pid))
    for label, runs in zip(labels, out):
        ctx.results.add_cpu(ctx.current, label, service.name, runs)
    return out


def viewer_auth(tarn):
    """Basic auth of a user in group Viewers (made once per server, through the classic auth API)."""
    user = "bench-viewer"
    status, body = tarn.request("POST", "/api/v0/auth/users", {"id": user})
    if status not in (201, 409):
        raise RuntimeError(f"createUser answered {status}: {body[:300]!r}")
    status, body = tarn.request("PUT", f"/api/v0/auth/groups/Viewers/members/{user}")
    if status != 201:
        raise RuntimeError(f"addGroupMembership answered {status}: {body[:300]!r}")
    status, body = tarn.request("POST", f"/api/v0/auth/users/{user}/credentials")
    if status != 201:
        raise RuntimeError(f"createCredentials answered {status}: {body[:300]!r}")
    key = json.loads(body)
    return "Basic " + base64.b64encode(f"{key['access_key_id']}:{key['access_secret_key']}".encode()).decode()


# ---- 4. write ----

def write(ctx):
    lake = ctx.lake()
    tarn, s3 = lake.tarn_server(), lake.s3proxy()
    c = 32
    count = ctx.size["upload_targets"]

    def runs_against(service, style, make_target, auth, c=c):
        def one(duration, tag):
            f = targets(ctx, f"upload-{service.name.replace(' ', '-').replace('#', '')}", (make_target(f"w/c{c}-{tag}/o{i:07d}.bin") for i in range(count)))
            return loadgen.wrk(ctx, "upload", service.base_url, [style, f, auth], connections=c,
                               duration=duration, server_pid=service.pid)
        one(ctx.size["warmup_seconds"], "warm")
        runs = [one(ctx.size["wrk_seconds"], f"r{r}-{int(time.time())}") for r in range(ctx.runs)]
        ctx.results.add_cpu(ctx.current, f"upload 4 KiB ({style}, c={c})", service.name, runs)
        return runs

    api = "/api/v0/repositories/bench-write/branches/main/objects"
    api1 = "/api/v1/repositories/bench-write/branches/main/objects"
    # /api/v0 and /api/v1 alternately (fresh paths for every run of each)
    stamp = int(time.time())
    variants = {"v0": (api, []), "v1": (api1, [])}
    for tag in ["warm"] + [f"r{r}" for r in range(ctx.runs)]:
        for key, (base, out) in variants.items():
            f = targets(ctx, f"upload-tarn-{key}", (f"{base}?path=w/c{c}-{key}-{tag}-{stamp}/o{i:07d}.bin"
                                                    for i in range(count)))
            run = loadgen.wrk(ctx, "upload", tarn.base_url, ["multipart", f, tarn.auth], connections=c,
                              duration=ctx.size["warmup_seconds" if tag == "warm" else "wrk_seconds"],
                              server_pid=tarn.pid)
            if tag != "warm":
                out.append(run)
    tw, tw1 = variants["v0"][1], variants["v1"][1]
    ctx.results.add_cpu(ctx.current, f"upload 4 KiB (multipart, c={c})", tarn.name, tw)
    ctx.results.add_cpu(ctx.current, f"upload 4 KiB (multipart /api/v1, c={c})", tarn.name, tw1)
    tw16 = runs_against(tarn, "multipart", lambda p: f"{api}?path={p}", tarn.auth, c=16)
    sw = runs_against(s3, "put", lambda p: s3.presign("PUT", "bench-write", p, "application/octet-stream"), "-")
    R = ctx.results
    R.add("write", "uploadObject 4 KiB, c=16", "req/s", col(tw16, "rps"), None, None, higher_is_better=True,
          note=f"Tarn sync {'on' if ctx.sync else 'off'}")
    R.add("write", "uploadObject p99, c=16", "ms", col(tw16, "p99_ms"), None, None, higher_is_better=False)
    R.add("write", f"uploadObject 4 KiB, c={c}", "req/s", col(tw, "rps"), "S3Proxy PutObject", col(sw, "rps"),
          higher_is_better=True)
    R.add("write", f"uploadObject /api/v1 4 KiB, c={c}", "req/s", col(tw1, "rps"), "uploadObject /api/v0",
          col(tw, "rps"), higher_is_better=True, target="≥ 0.9x /api/v0")
    R.add("write", "uploadObject /api/v1 p99", "ms", col(tw1, "p99_ms"), "uploadObject /api/v0", col(tw, "p99_ms"),
          higher_is_better=False)
    R.add("write", "uploadObject p50", "ms", col(tw, "p50_ms"), "S3Proxy PutObject", col(sw, "p50_ms"),
          higher_is_better=False)
    R.add("write", "uploadObject p99", "ms", col(tw, "p99_ms"), "S3Proxy PutObject", col(sw, "p99_ms"),
          higher_is_better=False)
    if "postgres" in ctx.kvs:
        pg = lake.postgres_servers(1)[0]
        pw16 = runs_against(pg, "multipart", lambda p: f"{api}?path={p}", pg.auth, c=16)
        R.add("write", "uploadObject 4 KiB on PostgreSQL, c=16", "req/s", col(pw16, "rps"), "Tarn on RocksDB",
              col(tw16, "rps"), higher_is_better=True, target="≥ 0.33x (within 3x)")
        R.add("write", "uploadObject p99 on PostgreSQL, c=16", "ms", col(pw16, "p99_ms"), "Tarn on RocksDB",
              col(tw16, "p99_ms"), higher_is_better=False)
        R.add("write", "uploadObject on PostgreSQL: CPU per request (Tarn + PostgreSQL), c=16", "µs",
              cpu_per_request(pw16), "Tarn on RocksDB", cpu_per_request(tw16), higher_is_better=False,
              target="≤ 3x", note="the server core's work per request, robust to load")
    big_transfer(ctx, lake, tarn, s3)


def curl(ctx, *args):
    return proc.run(["curl", "-sS", "-f", "--noproxy", "*", "-o", "/dev/null"] + list(args), cpus=ctx.client_cpus)


def big_transfer(ctx, lake, tarn, s3):
    size = ctx.size["big_bytes"]
    src = data.big_file(ctx.workdir, size)
    mb = size / 1e6
    t_up, t_down, s_up, s_down, dd_w, dd_ws, dd_r, peaks, idles, s_peaks, s_idles = ([] for _ in range(11))
    key_id, secret = tarn.key_id, tarn.secret
    curl_cpu = {}
    for r in range(ctx.runs):
        path = f"big/{r}-{int(time.time())}.bin"
        os.sync()  # every transfer starts with no dirty pages of an earlier one
        url = f"{tarn.base_url}/api/v0/repositories/bench-write/branches/main/objects?path={urllib.parse.quote(path)}"
        with proc.PeakRss(tarn.pid) as m:
            up = curl(ctx, "-u", f"{key_id}:{secret}", "-F", f"content=@{src};type=application/octet-stream", url)
        t_up.append(mb / up["wall"])
        curl_cpu.setdefault("Tarn upload", []).append(up)
        peaks.append(m.peak / MIB)
        idles.append(m.idle / MIB)
        down = curl(ctx, "-u", f"{key_id}:{secret}",
                    f"{tarn.base_url}/api/v0/repositories/bench-write/refs/main/objects?path={urllib.parse.quote(path)}")
        t_down.append(mb / down["wall"])
        curl_cpu.setdefault("Tarn download", []).append(down)

        os.sync()
        with proc.PeakRss(s3.pid) as sm:
            sup = curl(ctx, "-T", src, "-H", "Content-Type: application/octet-stream",
                       s3.base_url + s3.presign("PUT", "bench-write", path, "application/octet-stream"))
        s_peaks.append(sm.peak / MIB)
        s_idles.append(sm.idle / MIB)
        s_up.append(mb / sup["wall"])
        curl_cpu.setdefault("S3Proxy upload", []).append(sup)
        sdown = curl(ctx, s3.base_url + s3.presign("GET", "bench-write", path))
        s_down.append(mb / sdown["wall"])
        curl_cpu.setdefault("S3Proxy download", []).append(sdown)

        dst = os.path.join(ctx.workdir, "dd.bin")
        os.sync()
        w = proc.run(["dd", f"if={src}", f"of={dst}", "bs=1M"], cpus=ctx.client_cpus)
        dd_w.append(mb / w["wall"])
        os.remove(dst)
        os.sync()
        ws = proc.run(["dd", f"if={src}", f"of={dst}", "bs=1M", "conv=fsync"], cpus=ctx.client_cpus)
        dd_ws.append(mb / ws["wall"])
        rd = proc.run(["dd", f"if={dst}", "of=/dev/null", "bs=1M"], cpus=ctx.client_cpus)
        dd_r.append(mb / rd["wall"])
        os.remove(dst)
    R = ctx.results
    label = f"{size // MIB} MiB"
    for what, runs in curl_cpu.items():
        R.add_client_cpu(ctx.current, f"{label} {what.split()[1]} (curl)", what.split()[0],
                         [r["cpu"] / r["wall"] for r in runs])
    R.add("write", f"upload {label}", "MB/s", t_up, "dd write (page cache)", dd_w, higher_is_better=True,
          target="≥ 0.7x dd")
    R.add("write", f"upload {label}", "MB/s", t_up, "dd write + fsync", dd_ws, higher_is_better=True,
          target="≥ 0.7x dd")
    R.add("write", f"upload {label}", "MB/s", t_up, "S3Proxy PutObject", s_up, higher_is_better=True)
    R.add("write", f"download {label}", "MB/s", t_down, "dd read", dd_r, higher_is_better=True, target="≥ 0.7x dd")
    R.add("write", f"download {label}", "MB/s", t_down, "S3Proxy GetObject", s_down, higher_is_better=True)
    ctx.memory["upload"] = (peaks, idles, s_peaks, s_idles, label, tarn.start_rss / MIB)
    ctx.results.notes.append(f"write: {label} transfers with curl (multipart POST to Tarn, PUT to S3Proxy) pinned "
                             "to the client core; dd copies the same file on the same disk (bs=1M).")


# ---- 5. branch ----

def branch(ctx):
    lake = ctx.lake()
    tarn = lake.tarn_server()
    c = 64
    stamp = int(time.time()) % 100000
    # /api/v0 and /api/v1 alternately: every run adds branches to the same repository, so runs of one
    # API after all of the other's would meet a larger repository
    runs, v1 = alternating_runs(
        ctx, "branch", tarn,
        [lambda label: ["/api/v0/repositories/bench-branch/branches", f"{stamp}{label}", "main", tarn.auth],
         lambda label: ["/api/v1/repositories/bench-branch/branches", f"v1{stamp}{label}", "main", tarn.auth]],
        c, ["createBranch", "createBranch /api/v1"], pairs=1)
    # baseline: git creating branches through one update-ref --stdin, one transaction per ref
    n = ctx.size["git_refs"]
    g_rate = []
    for r in range(ctx.runs):
        shutil.rmtree(os.path.join(ctx.workdir, "git-refs"), ignore_errors=True)
        g = GitRepo(ctx.workdir, "git-refs")
        t = g.write_tree()["tree"]
        head = g.commit_tree(t, "base")["commit"]
        script = os.path.join(ctx.workdir, "refs.txt")
        with open(script, "w") as f:
            for i in range(n):
                f.write(f"start\ncreate refs/heads/b{i} {head}\ncommit\n")
        res = g.run("update-ref", "--stdin", stdin=script)
        g_rate.append(n / res["wall"])
        shutil.rmtree(g.dir, ignore_errors=True)
    R = ctx.results
    R.add("branch", f"createBranch, c={c}", "req/s", col(runs, "rps"),
          f"git update-ref --stdin ({n:,} refs, 1 txn each)", g_rate, higher_is_better=True, target="> 5,000/s")
    R.add("branch", "createBranch p99", "ms", col(runs, "p99_ms"), None, None, higher_is_better=False,
          target="< 30 ms")
    R.add("branch", "createBranch p50", "ms", col(runs, "p50_ms"), None, None, higher_is_better=False)
    R.add("branch", f"createBranch /api/v1, c={c}", "req/s", col(v1, "rps"), "createBranch /api/v0", col(runs, "rps"),
          higher_is_better=True, target="≥ 0.9x (≤ 10% over /api/v0)")
    R.add("branch", "createBranch /api/v1 p99", "ms", col(v1, "p99_ms"), "createBranch /api/v0", col(runs, "p99_ms"),
          higher_is_better=False)
    if "postgres" in ctx.kvs:
        pg = lake.postgres_servers(1)[0]
        pruns = wrk_runs(ctx, "branch", pg,
                         lambda label: ["/api/v0/repositories/bench-branch/branches", f"pg{stamp}{label}", "main",
                                        pg.auth], c, "createBranch")
        R.add("branch", f"createBranch on PostgreSQL, c={c}", "req/s", col(pruns, "rps"), "Tarn on RocksDB",
              col(runs, "rps"), higher_is_better=True, target="≥ 0.33x (within 3x)")
        R.add("branch", "createBranch p99 on PostgreSQL", "ms", col(pruns, "p99_ms"), "Tarn on RocksDB",
              col(runs, "p99_ms"), higher_is_better=False)
        R.add("branch", "createBranch on PostgreSQL: CPU per request (Tarn + PostgreSQL)", "µs",
              cpu_per_request(pruns), "Tarn on RocksDB", cpu_per_request(runs), higher_is_better=False,
              target="≤ 3x", note="the server core's work per request, robust to load")


# ---- 6. list ----

def list_all(ctx, tarn, commit_id, expected, base="/api/v0", repo="bench-list"):
    """Lists every entry of a commit in pages of 1,000 over one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", tarn.port, timeout=120)
    after, count, pages = None, 0, 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    while True:
        q = urllib.parse.urlencode({"amount": 1000, "delimiter": "", **({"after": after} if after else {})})
        status, body = tarn.request("GET", f"{base}/repositories/{repo}/refs/{commit_id}/objects/ls?{q}",
                                    conn=conn)
        if status != 200:
            raise RuntimeError(f"listObjects answered {status}: {body[:300]!r}")
        page = json.loads(body)
        count += len(page["results"])
        pages += 1
        if not page["pagination"]["has_more"]:
            break
        after = page["pagination"]["next_offset"]
    wall = time.perf_counter() - t0
    conn.close()
    if count != expected:
        raise RuntimeError(f"listed {count} entries, expected {expected}")
    return count / wall, (time.process_time() - cpu0) / wall


def list_(ctx):
    lake = ctx.lake()
    tarn = lake.tarn_server()
    n = lake.list_n
    t_rate, peaks, idles, client_cpu, v1_rate, t_cpu, v1_cpu = [], [], [], [], [], [], []
    # one listing through each API first, not measured: the server's first ones are still being
    # compiled (its CPU then is mostly the JIT's)
    list_all(ctx, tarn, lake.seed["list_commit"], n)
    list_all(ctx, tarn, lake.seed["list_commit"], n, base="/api/v1")

    def v0():
        cpu0 = proc.cpu_seconds(tarn.pid)
        with proc.PeakRss(tarn.pid) as m:
            rate, cpu = list_all(ctx, tarn, lake.seed["list_commit"], n)
        t_cpu.append((proc.cpu_seconds(tarn.pid) - cpu0) / n * 1e6)
        t_rate.append(rate)
        client_cpu.append(cpu)
        peaks.append(m.peak / MIB)
        idles.append(m.idle / MIB)

    def v1():
        # the current API on the same commit
        cpu0 = proc.cpu_seconds(tarn.pid)
        v1_rate.append(list_all(ctx, tarn, lake.seed["list_commit"], n, base="/api/v1")[0])
        v1_cpu.append((proc.cpu_seconds(tarn.pid) - cpu0) / n * 1e6)

    for r in range(ctx.runs):
        for run in ((v0, v1) if r % 2 == 0 else (v1, v0)):  # alternately first (same state of the machine)
            run()
    ctx.results.add("list", f"listObjects /api/v1 of {n:,} entries, pages of 1,000", "entries/s", v1_rate,
                    "listObjects /api/v0", t_rate, higher_is_better=True, target="≥ 0.9x (≤ 10% over /api/v0)")
    # the entries/s of one sequential client include its own parsing of pages that are twice as large
    # through /api/v1 (physical address, content type, metadata); the server's CPU per entry does not
    ctx.results.add("list", f"listObjects /api/v1 of {n:,} entries: server CPU per entry", "µs", v1_cpu,
                    "listObjects /api/v0", t_cpu, higher_is_better=False, target="≤ 1.1x /api/v0")
    shutil.rmtree(os.path.join(ctx.workdir, "git-list"), ignore_errors=True)
    g = GitRepo(ctx.workdir, "git-list")
    g.stage(lake.list_git)
    tree = g.write_tree()["tree"]
    g_rate, g_rss = [], []
    for r in range(ctx.runs):
        res = g.run("ls-tree", "-r", "--full-tree", tree, stdout=open(os.devnull, "w"))
        g_rate.append(n / res["wall"])
        g_rss.append(res["maxrss"] / MIB)
    shutil.rmtree(g.dir, ignore_errors=True)
    R = ctx.results
    R.add("list", f"listObjects {n:,} entries, pages of 1,000", "entries/s", t_rate, "git ls-tree -r", g_rate,
          higher_is_better=True)
    R.notes.append(f"list: one Python client, sequential pages over one keep-alive connection (client CPU "
                   f"{sorted(client_cpu)[len(client_cpu) // 2]:.2f} of a core, JSON parsing included).")
    ctx.memory["list"] = (peaks, idles, g_rss)


# ---- 7. memory ----

def memory(ctx):
    """Peak RSS during 1 (in-process engine), 4 (large upload, Tarn server) and 6 (list, Tarn server).
    Runs those scenarios first if this invocation has not."""
    for key, fn in (("commit", commit), ("upload", write), ("list", list_)):
        if key not in ctx.memory:
            fn(ctx)
    R = ctx.results
    t_rss, g_name, g_rss = ctx.memory["commit"]
    R.add("memory", f"peak RSS, commit of {ctx.size['commit_n']:,} (in-process engine JVM)", "MiB", t_rss,
          g_name, g_rss, higher_is_better=False)
    peaks, idles, s_peaks, s_idles, label, start_rss = ctx.memory["upload"]
    R.add("memory", f"server peak RSS during {label} upload", "MiB", peaks, "S3Proxy peak RSS, same upload",
          s_peaks, higher_is_better=False)
    R.add("memory", f"server peak RSS during {label} upload", "MiB", peaks, "Tarn server idle RSS before", idles,
          higher_is_better=False)
    R.add("memory", f"server peak RSS during {label} upload", "MiB", peaks, "Tarn server RSS 1 s after start",
          start_rss, higher_is_better=False, target="peak − start ≤ 100 MiB")
    R.add("memory", f"server RSS growth during {label} upload (peak − idle)", "MiB",
          [p - i for p, i in zip(peaks, idles)], "S3Proxy RSS growth, same upload",
          [p - i for p, i in zip(s_peaks, s_idles)], higher_is_better=False)
    lp, li, g_rss = ctx.memory["list"]
    R.add("memory", f"server peak RSS during list of {ctx.size['list_n']:,}", "MiB", lp, "Tarn server idle RSS before",
          li, higher_is_better=False)
    R.add("memory", f"server peak RSS during list of {ctx.size['list_n']:,}", "MiB", lp, "git ls-tree -r max RSS",
          g_rss, higher_is_better=False)


# ---- scale: 1, 2, 3 servers on one PostgreSQL ----

def scale(ctx):
    """The same mix (statObject by commit id at c=16 and uploads at c=8, per server) against 1, 2 and
    3 Tarn servers on one PostgreSQL and one block store folder. Servers and PostgreSQL share the
    server core and every wrk the client core, so the figure to read is throughput per core used."""
    if "postgres" not in ctx.kvs:
        ctx.results.notes.append("scale: skipped (needs --kv rocksdb,postgres)")
        return
    lake = ctx.lake()
    pg = ctx.postgres()
    seed = lake.seed_postgres()
    paths = [urllib.parse.quote(p) for p in lake.paths()]
    api = f"/api/v0/repositories/bench-read/refs/{seed['read_commit']}/objects"
    t_stat = targets(ctx, "scale-stat", (f"{api}/stat?path={p}" for p in paths))
    upload_api = "/api/v0/repositories/bench-write/branches/main/objects"
    R = ctx.results
    one_core = None
    for n in range(1, ctx.size["scale_servers"] + 1):
        servers = lake.postgres_servers(n)
        for t in servers:  # warm-up of the new servers (discarded)
            loadgen.wrk(ctx, "read", t.base_url, ["GET", t_stat, t.auth], connections=16,
                        duration=ctx.size["warmup_seconds"])
        rates, ups, cpus, p99s = [], [], [], []
        for r in range(ctx.runs):
            results, errors = [], []
            pids = [t.pid for t in servers] + [pg.pid]
            cpu0 = [proc.cpu_seconds(p) or 0.0 for p in pids]
            t0 = time.perf_counter()

            def go(fn):
                try:
                    results.append(fn())
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append(e)
            threads = []
            for i, t in enumerate(servers):
                f = targets(ctx, f"scale-up-{n}-{r}-{i}",
                            (f"{upload_api}?path=scale/n{n}/r{r}/s{i}/o{k:07d}.bin" for k in range(ctx.size["upload_targets"] // 4)))
                threads.append(threading.Thread(target=go, args=(lambda t=t: ("read", loadgen.wrk(
                    ctx, "read", t.base_url, ["GET", t_stat, t.auth], connections=16,
                    duration=ctx.size["wrk_seconds"])),)))
                threads.append(threading.Thread(target=go, args=(lambda t=t, f=f: ("upload", loadgen.wrk(
                    ctx, "upload", t.base_url, ["multipart", f, t.auth], connections=8,
                    duration=ctx.size["wrk_seconds"])),)))
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            wall = time.perf_counter() - t0
            if errors:
                raise errors[0]
            cpu1 = [proc.cpu_seconds(p) or 0.0 for p in pids]
            rates.append(sum(x["rps"] for kind, x in results if kind == "read"))
            ups.append(sum(x["rps"] for kind, x in results if kind == "upload"))
            p99s.append(max(x["p99_ms"] for _, x in results))
            cpus.append(sum(b - a for a, b in zip(cpu0, cpu1)) / wall)
        total = [a + b for a, b in zip(rates, ups)]
        per_core = [t / c if c else 0.0 for t, c in zip(total, cpus)]
        if one_core is None:
            one_core = per_core
        R.add("scale", f"{n} server(s): stat + upload mix", "req/s", total, None, None, higher_is_better=True,
              note=f"stat {sorted(rates)[len(rates) // 2]:,.0f}/s + upload {sorted(ups)[len(ups) // 2]:,.0f}/s")
        R.add("scale", f"{n} server(s): requests per core-second (servers + PostgreSQL)", "req/core-s", per_core,
              "1 server", one_core, higher_is_better=True)
        R.add("scale", f"{n} server(s): CPU used (servers + PostgreSQL)", "cores", cpus, None, None,
              higher_is_better=False)
        R.add("scale", f"{n} server(s): worst p99 of the mix", "ms", p99s, None, None, higher_is_better=False)


# ---- 8. gateway ----

def gateway(ctx):
    """The S3 gateway with SigV4 (presigned targets, as S3 clients presign: the signature is checked on every
    request) against the same operations through the classic API on the same server, and S3Proxy serving
    the same objects with wrk as well (SigV2 presigned targets, as in the read scenario: S3Proxy 4.1 refused
    the SigV4 presigned PUTs that Tarn takes). HeadObject is measured as a conditional GetObject answered 304 (wrk cannot read
    HEAD answers), the classic statObject as its counterpart. Each gateway operation's runs alternate with its
    classic counterpart's (gateway, classic, classic, gateway, ...)."""
    lake = ctx.lake()
    tarn, s3 = lake.tarn_server(), lake.s3proxy()
    commit_id = lake.seed["read_commit"]
    paths = [urllib.parse.quote(p) for p in lake.paths()]
    t_host = f"127.0.0.1:{tarn.port}"

    def v4(service, method, path, query=None):
        return presign_v4(method, t_host, path, tarn.key_id, tarn.secret, query)

    def s3_list(prefix):
        # SigV2 leaves list-type, max-keys and prefix out of what it signs
        return s3.presign("GET", "bench-read", "") + "&list-type=2&max-keys=100&prefix=" + urllib.parse.quote(prefix)

    api = f"/api/v0/repositories/bench-read/refs/{commit_id}/objects"
    g_get = targets(ctx, "gw-get", (v4(tarn, "GET", f"/bench-read/{commit_id}/{p}") for p in paths))
    s_get = targets(ctx, "gw-s3-get", (s3.presign("GET", "bench-read", p) for p in paths))
    c_get = targets(ctx, "gw-classic-get", (f"{api}?path={p}" for p in paths))
    c_stat = targets(ctx, "gw-classic-stat", (f"{api}/stat?path={p}" for p in paths))
    prefixes = [f"data/t{k}/" for k in range(10)]
    g_list = targets(ctx, "gw-list", (v4(tarn, "GET", "/bench-read", {"list-type": "2", "max-keys": "100",
                                                                      "prefix": f"{commit_id}/{p}"}) for p in prefixes))
    s_list = targets(ctx, "gw-s3-list", (s3_list(p) for p in prefixes))
    # no delimiter, as the ListObjectsV2 above: 100 objects a page (the classic default "/" would answer the
    # much smaller common prefixes data/tK/pNNN/ instead)
    c_list = targets(ctx, "gw-classic-list", (f"{api}/ls?prefix={urllib.parse.quote(p)}&amount=100&delimiter="
                                              for p in prefixes))
    failed = []

    def baseline(run, label):
        """S3Proxy's runs, or None when S3Proxy answered nothing within wrk's timeout (on a loaded machine it
        stalls now and then): the baseline is then missing from its rows, which say so; Tarn's runs must pass."""
        try:
            return run()
        except RuntimeError as e:
            failed.append(f"{label}: {str(e).splitlines()[0]}")
            return None

    c = 64
    # the server was just started: warm both paths up (JIT) before either is measured
    for warm in (["GET", g_get, "-"], ["GET", c_get, tarn.auth], ["GET", g_get, "-"], ["GET", c_get, tarn.auth]):
        loadgen.wrk(ctx, "read", tarn.base_url, warm, connections=c, duration=ctx.size["warmup_seconds"] * 2,
                    server_pid=tarn.pid)
    # the gateway and the classic API alternately (gateway, classic, classic, gateway, ...), so that a change of
    # the shared machine's load does not fall on one side of the comparison
    gg, cg = paired_runs(ctx, "read", tarn, ["GET", g_get, "-"], ["GET", c_get, tarn.auth], c,
                         "gateway GetObject (SigV4)", "classic getObject")
    sg = baseline(lambda: wrk_runs(ctx, "read", s3, ["GET", s_get, "-"], c, "GetObject (SigV2)"), "GetObject")
    gh, ch = paired_runs(ctx, "read", tarn, ["GET", g_get, "-", "If-None-Match: *"], ["GET", c_stat, tarn.auth], c,
                         "gateway conditional GetObject (304)", "classic statObject")
    sh = baseline(lambda: wrk_runs(ctx, "read", s3, ["GET", s_get, "-", "If-None-Match: *"], c,
                                   "conditional GetObject (304, SigV2)"), "conditional GetObject")
    # listings at fewer connections: S3Proxy's file store walks its folder for every listing, and at 64
    # connections its answers take longer than wrk's 2 s timeout
    cl_ = 4
    gl, cl = paired_runs(ctx, "read", tarn, ["GET", g_list, "-"], ["GET", c_list, tarn.auth], cl_,
                         "gateway ListObjectsV2 (SigV4)", "classic listObjects")
    sl = baseline(lambda: wrk_runs(ctx, "read", s3, ["GET", s_list, "-"], cl_, "ListObjectsV2 (SigV2)"),
                  "ListObjectsV2")

    cu = 32
    count = ctx.size["upload_targets"]

    def upload_run(service, style, make_target, auth, duration, tag):
        f = targets(ctx, f"gw-upload-{service.name}-{style}",
                    (make_target(f"gw/{tag}/o{i:07d}.bin") for i in range(count)))
        return loadgen.wrk(ctx, "upload", service.base_url, [style, f, auth], connections=cu,
                           duration=duration, server_pid=service.pid)

    def uploads(service, style, make_target, auth, label):
        upload_run(service, style, make_target, auth, ctx.size["warmup_seconds"], "warm")
        runs = [upload_run(service, style, make_target, auth, ctx.size["wrk_seconds"], f"r{r}-{int(time.time())}")
                for r in range(ctx.runs)]
        ctx.results.add_cpu(ctx.current, label, service.name, runs)
        return runs

    write_api = "/api/v0/repositories/bench-write/branches/main/objects"
    # PutObject and the classic uploadObject alternately too (fresh paths for every run of each)
    kinds = [("put", lambda p: v4(tarn, "PUT", f"/bench-write/main/{p}"), "-", "gateway PutObject (SigV4)"),
             ("multipart", lambda p: f"{write_api}?path={p}", tarn.auth, "classic uploadObject")]
    for style, make_target, auth, _label in kinds:
        upload_run(tarn, style, make_target, auth, ctx.size["warmup_seconds"], "warm")
    gp, cp = [], []
    for r in range(ctx.runs):
        for k in ((0, 1) if r % 2 == 0 else (1, 0)):
            style, make_target, auth, _label = kinds[k]
            (gp, cp)[k].append(upload_run(tarn, style, make_target, auth, ctx.size["wrk_seconds"],
                                          f"r{r}-{int(time.time())}"))
    for (_style, _make, _auth, label), runs in zip(kinds, (gp, cp)):
        ctx.results.add_cpu(ctx.current, label, tarn.name, runs)
    sp = baseline(lambda: uploads(s3, "put", lambda p: s3.presign("PUT", "bench-write", p, "application/octet-stream"),
                                  "-", "PutObject (SigV2)"), "PutObject")

    R = ctx.results
    for op, g, cls, cname, s3runs, sname in (
            ("GetObject 4 KiB", gg, cg, "classic getObject", sg, "S3Proxy GetObject (SigV2)"),
            ("HeadObject (conditional GET → 304)", gh, ch, "classic statObject", sh,
             "S3Proxy conditional GetObject (SigV2)"),
            ("ListObjectsV2, 100 keys a page", gl, cl, "classic listObjects, amount 100", sl,
             "S3Proxy ListObjectsV2 (SigV2)")):
        n = f"{lake.read_n:,} objects, c={cl_ if 'List' in op else c}"
        R.add("gateway", f"gateway {op} ({n})", "req/s", col(g, "rps"), cname, col(cls, "rps"),
              higher_is_better=True, target="within 15% of /api/v0")
        R.add("gateway", f"gateway {op} ({n})", "req/s", col(g, "rps"), sname,
              col(s3runs, "rps") if s3runs else None, higher_is_better=True,
              target="≥ 1.5x S3Proxy" if op.startswith("Get") else None,
              note=None if s3runs else "S3Proxy answered nothing in this run")
        R.add("gateway", f"gateway {op} p99", "ms", col(g, "p99_ms"), cname, col(cls, "p99_ms"),
              higher_is_better=False)
    R.add("gateway", f"gateway PutObject 4 KiB (c={cu})", "req/s", col(gp, "rps"), "classic uploadObject",
          col(cp, "rps"), higher_is_better=True, target="within 15% of /api/v0",
          note=f"Tarn sync {'on' if ctx.sync else 'off'}")
    R.add("gateway", f"gateway PutObject 4 KiB (c={cu})", "req/s", col(gp, "rps"), "S3Proxy PutObject (SigV2)",
          col(sp, "rps") if sp else None, higher_is_better=True, target="≥ 1x S3Proxy",
          note=None if sp else "S3Proxy answered nothing in this run")
    R.add("gateway", "gateway PutObject p99", "ms", col(gp, "p99_ms"), "classic uploadObject", col(cp, "p99_ms"),
          higher_is_better=False)
    if failed:
        print("bench: gateway: S3Proxy baseline runs without an answer: " + "; ".join(failed))


# ---- load: the latency tail under a mixed load ----

HTTP_DURATION = "tarn_http_request_duration_seconds"
LOAD_OPERATIONS = ("uploadObject", "statObject", "listObjects")


def request_histograms(service):
    """The server's own request-duration histogram (GET /metrics), per operation: {operation: {le: count}}
    summed over statuses and surfaces, le in seconds (inf for +Inf)."""
    with urllib.request.urlopen(f"{service.base_url}/metrics", timeout=30) as r:
        text = r.read().decode()
    out = {}
    for line in text.splitlines():
        if not line.startswith(HTTP_DURATION + "_bucket{"):
            continue
        labels, value = line[len(HTTP_DURATION + "_bucket{"):].rsplit("}", 1)
        fields = dict(kv.split("=", 1) for kv in labels.rstrip(",").split(",") if "=" in kv)
        op = fields.get("operation", "").strip('"')
        le = fields.get("le", "").strip('"')
        bucket = out.setdefault(op, {})
        edge = float("inf") if le == "+Inf" else float(le)
        bucket[edge] = bucket.get(edge, 0) + float(value)
    return out


def histogram_quantile(buckets, q):
    """Prometheus's histogram_quantile on cumulative buckets {le: count}: linear inside the bucket, in ms."""
    edges = sorted(buckets)
    total = buckets[edges[-1]] if edges else 0
    if total <= 0:
        return None
    rank, lower, below = q * total, 0.0, 0.0
    for edge in edges:
        count = buckets[edge]
        if count >= rank:
            if edge == float("inf"):
                return lower * 1000
            inside = count - below
            return (lower + (edge - lower) * ((rank - below) / inside if inside else 1.0)) * 1000
        lower, below = edge, count
    return lower * 1000


def load(ctx):
    """64 connections of mixed uploads, stats and listings (bench/lua/mixed.lua: a quarter uploads of
    4 KiB to fresh paths, half statObject of random committed objects, a quarter listObjects of 100 entries
    under a random prefix), for load_seconds after a warm-up: the clients' p50/p99/max against the server's
    own time for the same requests (its request-duration histogram, from the first byte of a request to
    the last of its answer; read from /metrics before and after the run). The gap between the two is where
    requests wait outside Tarn's handlers, or in the load generator on the same cores."""
    lake = ctx.lake()
    tarn = lake.tarn_server()
    commit_id = lake.seed["read_commit"]
    api = f"/api/v0/repositories/bench-read/refs/{commit_id}/objects"
    paths = [urllib.parse.quote(p) for p in lake.paths()]
    t_stat = targets(ctx, "load-stat", (f"{api}/stat?path={p}" for p in paths))
    t_list = targets(ctx, "load-list", (f"{api}/ls?prefix={urllib.parse.quote(f'data/t{k}/')}&amount=100"
                                        for k in range(10)))
    upload_api = "/api/v0/repositories/bench-write/branches/main/objects"
    c = 64

    def run(tag, seconds):
        stamp = int(time.time())
        t_up = targets(ctx, "load-upload", (f"{upload_api}?path=load/{tag}-{stamp}/o{i:07d}.bin"
                                            for i in range(ctx.size["upload_targets"])))
        before = request_histograms(tarn)
        out = loadgen.wrk(ctx, "mixed", tarn.base_url, [t_stat, t_list, t_up, tarn.auth], connections=c,
                          duration=seconds, server_pid=tarn.pid)
        after = request_histograms(tarn)
        server = {}
        merged = {}
        for op in LOAD_OPERATIONS:
            delta = {le: after.get(op, {}).get(le, 0) - before.get(op, {}).get(le, 0) for le in after.get(op, {})}
            server[op] = {"count": delta.get(float("inf"), 0), "p50_ms": histogram_quantile(delta, 0.5),
                          "p99_ms": histogram_quantile(delta, 0.99)}
            for le, v in delta.items():
                merged[le] = merged.get(le, 0) + v
        server["all"] = {"count": merged.get(float("inf"), 0), "p50_ms": histogram_quantile(merged, 0.5),
                         "p99_ms": histogram_quantile(merged, 0.99)}
        out["server"] = server
        return out

    run("warm", ctx.size["warmup_seconds"] * 3)
    runs = [run(f"r{r}", ctx.size["load_seconds"]) for r in range(ctx.runs)]
    ctx.results.add_cpu(ctx.current, f"mixed uploads, stats, listings (c={c})", tarn.name, runs)
    served = [r["server"]["all"]["count"] for r in runs]
    for r in runs:
        if r["server"]["all"]["count"] < 0.9 * r["requests"]:
            raise RuntimeError(f"load: the server recorded {r['server']['all']['count']:.0f} of the "
                               f"{r['requests']} requests wrk made")
    R = ctx.results
    name = f"mixed uploads 1/4, stats 1/2, listings 1/4 (c={c}, {ctx.size['load_seconds']} s)"
    R.add("load", name, "req/s", col(runs, "rps"), None, None, higher_is_better=True,
          note=f"Tarn sync {'on' if ctx.sync else 'off'}; {sum(served) / len(served):.0f} requests recorded by the server")
    server_p50 = [r["server"]["all"]["p50_ms"] for r in runs]
    server_p99 = [r["server"]["all"]["p99_ms"] for r in runs]
    R.add("load", "client p50", "ms", col(runs, "p50_ms"), "server's own p50", server_p50, higher_is_better=False,
          note="server figures interpolated in its histogram buckets (1, 5, 10, 25, 50, 100 ms ...)")
    R.add("load", "client p99", "ms", col(runs, "p99_ms"), "server's own p99", server_p99, higher_is_better=False)
    R.add("load", "client p99", "ms", col(runs, "p99_ms"), "client p50", col(runs, "p50_ms"),
          higher_is_better=False, target="≤ 10x p50")
    R.add("load", "client max", "ms", col(runs, "max_ms"), "client p99", col(runs, "p99_ms"), higher_is_better=False)
    for op in LOAD_OPERATIONS:
        R.add("load", f"server's own p99, {op}", "ms", [r["server"][op]["p99_ms"] for r in runs],
              f"server's own p50, {op}", [r["server"][op]["p50_ms"] for r in runs], higher_is_better=False)


# ---- 9. gc ----

def gc(ctx):
    """Garbage collection in-process: N objects over 100 commits on 10 branches, 20% of them overwritten
    (unreachable with 0-day retention); mark and sweep times, objects/s, peak heap and RSS. Baseline: a
    bare walk of the same namespace folder. BENCH_GC_OBJECTS overrides N (e.g. a reduced full run)."""
    n = int(os.environ.get("BENCH_GC_OBJECTS", ctx.size["gc_n"]))
    mark, sweep, mark_rate, sweep_rate, heap, rss, walk, listed = [], [], [], [], [], [], [], []
    out = None
    for r in range(1 if n > 100_000 else ctx.runs):
        d = fresh_dir(ctx, "gc-data")
        out = ctx.harness("gc", "--data", d, "--objects", str(n), "--commits", "100", "--branches", "10",
                          "--garbage", "20", "--chunk", str(max(1_000, min(200_000, n // 5))))
        if out["deleted"] < out["unreachable"]:
            raise RuntimeError(f"gc deleted {out['deleted']} of {out['unreachable']} unreachable objects")
        mark.append(out["mark_seconds"])
        sweep.append(out["sweep_seconds"])
        mark_rate.append(out["mark_objects_per_second"])
        sweep_rate.append(out["sweep_objects_per_second"])
        heap.append(out["heap_peak_bytes"] / MIB)
        rss.append(out["peak_rss_bytes"] / MIB)
        walk.append(out["walk_seconds"])
        listed.append(out["listed"])
        shutil.rmtree(d, ignore_errors=True)
    R = ctx.results
    label = f"{out['objects']:,} objects, {out['unreachable']:,} unreachable, 100 commits on 10 branches"
    R.add("gc", f"mark ({label})", "s", mark, None, None, higher_is_better=False, target="< 60 s at 1M")
    R.add("gc", "sweep: list + delete", "s", sweep, "bare walk of the same folder (count files)", walk,
          higher_is_better=False)
    R.add("gc", "mark: keys marked per second", "keys/s", mark_rate, None, None, higher_is_better=True)
    R.add("gc", "sweep: keys listed per second", "keys/s", sweep_rate, None, None, higher_is_better=True)
    R.add("gc", "peak heap during the collection", "MiB", heap, None, None, higher_is_better=False,
          target="bounded (spill chunk, not the object count)")
    R.add("gc", "peak RSS of the JVM during the collection", "MiB", rss, None, None, higher_is_better=False)
    R.notes.append(f"gc: in-process, RocksDB + local block store without sync; spill chunk "
                   f"{max(1_000, min(200_000, n // 5)):,} keys, {out['spill_runs']} sorted runs; grace 0, "
                   f"0-day retention (heads only); {out['ranges_read']} ranges and {out['trees_read']} trees read.")


# ---- import ----

def upload_all(tarn, repo, paths, body, connections=16):
    """Uploads every path through /api/v1 uploadObject (multipart), from `connections` keep-alive
    connections in threads (the driver pinned to the client core meanwhile); returns the seconds."""
    form, content_type = data.multipart_form(body, boundary="tarnbenchimport", filename="o.bin")
    headers = {"Authorization": tarn.auth, "Content-Type": content_type}
    errors = []

    def worker(part):
        conn = http.client.HTTPConnection("127.0.0.1", tarn.port, timeout=120)
        try:
            for path in part:
                conn.request("POST", f"/api/v1/repositories/{repo}/branches/main/objects?"
                             + urllib.parse.urlencode({"path": path}), body=form, headers=headers)
                r = conn.getresponse()
                out = r.read()
                if r.status != 201:
                    raise RuntimeError(f"uploadObject answered {r.status}: {out[:300]!r}")
        except Exception as e:  # noqa: BLE001 - reported below, the run fails
            errors.append(e)
        finally:
            conn.close()

    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {int(c) for c in tarn.ctx.client_cpus.split(",")})
    try:
        threads = [threading.Thread(target=worker, args=(paths[i::connections],)) for i in range(connections)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0
    finally:
        os.sched_setaffinity(0, before)
    if errors:
        raise errors[0]
    return seconds


def import_(ctx):
    """Zero-copy import of N objects of a local:// prefix into a branch (importStart, then importStatus
    until it completes) against uploading the same N objects through /api/v1, on the same server."""
    lake = ctx.lake()
    tarn = lake.tarn_server()
    n = ctx.size["import_n"]
    body = os.urandom(1024)
    paths = [f"t{i % 10}/p{(i // 10) % 100:03d}/part-{i:07d}.parquet" for i in range(n)]
    imported, uploaded, import_cpu, upload_cpu = [], [], [], []
    for r in range(ctx.runs):
        stamp = f"{int(time.time())}-{r}"
        # the source: N files of the server's block store folder, outside every repository's namespace
        folder = os.path.join(lake.data, "blocks", "bench-import-source", stamp)
        for p in paths:
            os.makedirs(os.path.join(folder, os.path.dirname(p)), exist_ok=True)
            with open(os.path.join(folder, p), "wb") as f:
                f.write(body)
        for repo in (f"bench-imp-{stamp}", f"bench-upl-{stamp}"):
            status, out = tarn.request("POST", "/api/v1/repositories",
                                       {"name": repo, "storage_namespace": f"local://{repo}"})
            if status != 201:
                raise RuntimeError(f"createRepository answered {status}: {out[:300]!r}")
        repo = f"bench-imp-{stamp}"
        cpu0 = proc.cpu_seconds(tarn.pid)
        t0 = time.perf_counter()
        status, out = tarn.request("POST", f"/api/v1/repositories/{repo}/branches/main/import", {
            "paths": [{"type": "common_prefix", "path": f"local://bench-import-source/{stamp}/", "destination": ""}],
            "commit": {"message": "bench import"}})
        if status != 202:
            raise RuntimeError(f"importStart answered {status}: {out[:300]!r}")
        import_id = json.loads(out)["id"]
        conn = http.client.HTTPConnection("127.0.0.1", tarn.port, timeout=120)
        while True:
            status, out = tarn.request("GET", f"/api/v1/repositories/{repo}/branches/main/import?id={import_id}",
                                       conn=conn)
            st = json.loads(out)
            if status != 200 or st.get("error"):
                raise RuntimeError(f"importStatus answered {status}: {out[:300]!r}")
            if st["completed"]:
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - t0
        conn.close()
        if st["ingested_objects"] != n:
            raise RuntimeError(f"imported {st['ingested_objects']} objects, expected {n}")
        imported.append(seconds)
        import_cpu.append(proc.cpu_seconds(tarn.pid) - cpu0)
        cpu0 = proc.cpu_seconds(tarn.pid)
        uploaded.append(upload_all(tarn, f"bench-upl-{stamp}", paths, body))
        upload_cpu.append(proc.cpu_seconds(tarn.pid) - cpu0)
        shutil.rmtree(folder, ignore_errors=True)
    R = ctx.results
    R.add("import", f"importStart of {n:,} objects (1 KiB, local:// prefix) until importStatus completes", "s",
          imported, f"uploadObject /api/v1 of the same {n:,} objects, 16 connections", uploaded,
          higher_is_better=False, target="< 1x (an import takes less time than uploading)")
    R.add("import", "import rate", "objects/s", [n / s for s in imported], "upload rate", [n / s for s in uploaded],
          higher_is_better=True)
    R.add("import", "server CPU for the import", "s", import_cpu, "server CPU for the uploads", upload_cpu,
          higher_is_better=False)
    R.notes.append("import: zero-copy (entries point at the source files; nothing is copied), status polled every "
                   "20 ms; the uploads come from the driver's threads pinned to the client core, 1 KiB each.")


def table_(ctx):
    from .table import table
    table(ctx)


ALL = {"commit": commit, "diff-merge": diff_merge, "diff-merge-api": diff_merge_api, "read": read, "write": write,
       "branch": branch, "list": list_, "memory": memory, "gateway": gateway, "gc": gc, "import": import_,
       "scale": scale, "load": load, "table": table_}
