"""The scenarios of issue 5. Each one runs Tarn and its baseline on the same data in the same run
and adds rows to ctx.results; any exception fails the scenario (and the run)."""
import http.client
import json
import os
import shutil
import threading
import time
import urllib.parse

from . import data, loadgen, proc
from .gitbase import GitRepo
from .services import Nginx, S3Proxy, TarnServer

MIB = 1024 * 1024

SIZES = {
    "small": {"commit_n": 10_000, "diff_n": (2_000, 10_000), "read_n": 1_000, "list_n": 10_000,
              "big_bytes": 64 * MIB, "wrk_seconds": 2, "warmup_seconds": 1, "git_refs": 1_000, "upload_targets": 50_000, "lookups": 10_000,
              "runs": 1, "diff_runs": 2, "gc_n": 10_000,
              "describe": "commit 10k, diff-merge 2k/10k, read 1k objects, list 10k, 64 MiB transfer, wrk 2 s, gc 10k"},
    "full": {"commit_n": 1_000_000, "diff_n": (100_000, 1_000_000), "read_n": 100_000, "list_n": 1_000_000,
             "big_bytes": 1024 * MIB, "wrk_seconds": 10, "warmup_seconds": 5, "git_refs": 20_000, "upload_targets": 400_000, "lookups": 100_000,
             "runs": 3, "diff_runs": 5, "gc_n": 1_000_000,
             "describe": "commit 1M, diff-merge 100k/1M, read 100k objects, list 1M, 1 GiB transfer, wrk 10 s, gc 1M"},
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

    def tarn_server(self):
        if self.tarn is None:
            self.tarn = TarnServer(self.ctx, self.data).start()
            self.ctx.services.append(self.tarn)
            time.sleep(1)
        return self.tarn

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
    loadgen.wrk(ctx, name, service.base_url, make("warm"), connections=connections,
                duration=ctx.size["warmup_seconds"], server_pid=service.pid)
    runs = [loadgen.wrk(ctx, name, service.base_url, make(f"r{i}"), connections=connections,
                        duration=ctx.size["wrk_seconds"], server_pid=service.pid) for i in range(ctx.runs)]
    ctx.results.add_cpu(ctx.current, label, service.name, runs)
    return runs


def col(runs, key):
    return [r[key] for r in runs]


# ---- 3. read ----

def read(ctx):
    lake = ctx.lake()
    tarn, nginx, s3 = lake.tarn_server(), lake.nginx_server(), lake.s3proxy()
    api = f"/api/v0/repositories/bench-read/refs/{lake.seed['read_commit']}/objects"
    paths = [urllib.parse.quote(p) for p in lake.paths()]
    t_get = targets(ctx, "tarn-get", (f"{api}?path={p}" for p in paths))
    t_stat = targets(ctx, "tarn-stat", (f"{api}/stat?path={p}" for p in paths))
    n_get = targets(ctx, "nginx-get", (f"/{p}" for p in paths))
    s_get = targets(ctx, "s3-get", (s3.presign("GET", "bench-read", p) for p in paths))
    c = 64
    tg = wrk_runs(ctx, "read", tarn, ["GET", t_get, tarn.auth], c, "getObject")
    ts = wrk_runs(ctx, "read", tarn, ["GET", t_stat, tarn.auth], c, "statObject")
    ng = wrk_runs(ctx, "read", nginx, ["GET", n_get, "-"], c, "GET file")
    nh = wrk_runs(ctx, "read", nginx, ["GET", n_get, "-", "If-None-Match: *"], c, "conditional GET (304)")
    sg = wrk_runs(ctx, "read", s3, ["GET", s_get, "-"], c, "GetObject")
    sh = wrk_runs(ctx, "read", s3, ["GET", s_get, "-", "If-None-Match: *"], c, "conditional GetObject (304)")
    R = ctx.results
    n = f"{lake.read_n:,} objects, c={c}"
    R.add("read", f"getObject 4 KiB ({n})", "req/s", col(tg, "rps"), "nginx GET", col(ng, "rps"),
          higher_is_better=True, target="≥ 0.5x nginx")
    R.add("read", f"getObject 4 KiB ({n})", "req/s", col(tg, "rps"), "S3Proxy GetObject", col(sg, "rps"),
          higher_is_better=True, target="> 1x S3Proxy")
    R.add("read", "getObject p50", "ms", col(tg, "p50_ms"), "nginx GET", col(ng, "p50_ms"), higher_is_better=False)
    R.add("read", "getObject p99", "ms", col(tg, "p99_ms"), "nginx GET", col(ng, "p99_ms"), higher_is_better=False)
    R.add("read", "getObject p99", "ms", col(tg, "p99_ms"), "S3Proxy GetObject", col(sg, "p99_ms"),
          higher_is_better=False)
    R.add("read", f"statObject ({n})", "req/s", col(ts, "rps"), "nginx stat (GET If-None-Match: * → 304)", col(nh, "rps"),
          higher_is_better=True, target="≥ 0.5x nginx")
    R.add("read", f"statObject ({n})", "req/s", col(ts, "rps"), "S3Proxy stat (GetObject If-None-Match: * → 304)", col(sh, "rps"),
          higher_is_better=True, target="> 1x S3Proxy")
    R.add("read", "statObject p50", "ms", col(ts, "p50_ms"), "nginx stat (GET If-None-Match: * → 304)", col(nh, "p50_ms"), higher_is_better=False)
    R.add("read", "statObject p99", "ms", col(ts, "p99_ms"), "S3Proxy stat (GetObject If-None-Match: * → 304)", col(sh, "p99_ms"),
          higher_is_better=False)


# ---- 4. write ----

def write(ctx):
    lake = ctx.lake()
    tarn, s3 = lake.tarn_server(), lake.s3proxy()
    c = 32
    count = ctx.size["upload_targets"]

    def runs_against(service, style, make_target, auth, c=c):
        def one(duration, tag):
            f = targets(ctx, f"upload-{service.name}", (make_target(f"w/c{c}-{tag}/o{i:07d}.bin") for i in range(count)))
            return loadgen.wrk(ctx, "upload", service.base_url, [style, f, auth], connections=c,
                               duration=duration, server_pid=service.pid)
        one(ctx.size["warmup_seconds"], "warm")
        runs = [one(ctx.size["wrk_seconds"], f"r{r}-{int(time.time())}") for r in range(ctx.runs)]
        ctx.results.add_cpu(ctx.current, f"upload 4 KiB ({style}, c={c})", service.name, runs)
        return runs

    api = "/api/v0/repositories/bench-write/branches/main/objects"
    tw = runs_against(tarn, "multipart", lambda p: f"{api}?path={p}", tarn.auth)
    tw16 = runs_against(tarn, "multipart", lambda p: f"{api}?path={p}", tarn.auth, c=16)
    sw = runs_against(s3, "put", lambda p: s3.presign("PUT", "bench-write", p, "application/octet-stream"), "-")
    R = ctx.results
    R.add("write", "uploadObject 4 KiB, c=16", "req/s", col(tw16, "rps"), None, None, higher_is_better=True,
          note=f"Tarn sync {'on' if ctx.sync else 'off'}")
    R.add("write", "uploadObject p99, c=16", "ms", col(tw16, "p99_ms"), None, None, higher_is_better=False)
    R.add("write", f"uploadObject 4 KiB, c={c}", "req/s", col(tw, "rps"), "S3Proxy PutObject", col(sw, "rps"),
          higher_is_better=True)
    R.add("write", "uploadObject p50", "ms", col(tw, "p50_ms"), "S3Proxy PutObject", col(sw, "p50_ms"),
          higher_is_better=False)
    R.add("write", "uploadObject p99", "ms", col(tw, "p99_ms"), "S3Proxy PutObject", col(sw, "p99_ms"),
          higher_is_better=False)
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
    runs = wrk_runs(ctx, "branch", tarn,
                    lambda label: ["/api/v0/repositories/bench-branch/branches", f"{stamp}{label}", "main", tarn.auth],
                    c, "createBranch")
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


# ---- 6. list ----

def list_all(ctx, tarn, commit_id, expected):
    """Lists every entry of a commit in pages of 1,000 over one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", tarn.port, timeout=120)
    after, count, pages = None, 0, 0
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    while True:
        q = urllib.parse.urlencode({"amount": 1000, "delimiter": "", **({"after": after} if after else {})})
        status, body = tarn.request("GET", f"/api/v0/repositories/bench-list/refs/{commit_id}/objects/ls?{q}",
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
    t_rate, peaks, idles, client_cpu = [], [], [], []
    for r in range(ctx.runs):
        with proc.PeakRss(tarn.pid) as m:
            rate, cpu = list_all(ctx, tarn, lake.seed["list_commit"], n)
        t_rate.append(rate)
        client_cpu.append(cpu)
        peaks.append(m.peak / MIB)
        idles.append(m.idle / MIB)
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


# ---- 8. gc ----

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


ALL = {"commit": commit, "diff-merge": diff_merge, "read": read, "write": write, "branch": branch,
       "list": list_, "memory": memory, "gc": gc}
