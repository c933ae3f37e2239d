"""Three Tarn servers on one PostgreSQL (metadata) and one S3Proxy (data), each on its own port, with
clients spread over all three (issue 12's multi-server test).

1. Concurrent uploads, commits and merges through all three servers, on one branch (`main`, written
   and committed through every server) and on several (`b0`, `b1`, and `all`, into which the others
   are merged). Afterwards every acknowledged upload is in exactly one commit of its branch or still
   staged there, no acknowledged commit or merge is missing from its branch's first-parent history
   (a commit made on a stale parent would drop it), and every server lists the same branches, commits
   and objects.
2. The same load while one server after another is killed with SIGKILL, KILLS times, and restarted
   on the same port: the other two answer every request meanwhile (no 5xx, no broken connection),
   the restarted one serves what was acknowledged before, and at the end nothing acknowledged is lost.

Bodies are a few bytes and every loop is bounded: the module runs in well under two minutes on two
cores. PostgreSQL comes from TARN_TEST_POSTGRES_URL as in test_postgres_servers.py (same fixture).
"""
from __future__ import annotations

import collections
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import free_port, unique_repo_id
from test_postgres_servers import postgres_url  # noqa: F401  (the module-scoped PostgreSQL fixture)

API = "/api/v0"
WRITE_BRANCHES = ("main", "b0", "b1")   # uploaded to and committed
MERGE_INTO = "all"                      # only merged into
KILLS = int(os.environ.get("TARN_TEST_KILLS", "30"))
TIMEOUT = 30
# JVM options of the three servers: C1 only and the serial collector start a JVM faster on two cores
JAVA_OPTS = ["-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def _log_errors(server, lines=40) -> str:
    """The ERROR/WARN lines of a server's log and what follows them (stack traces), for a failure message."""
    try:
        text = server.log.read_text(errors="replace").splitlines()
    except OSError as e:
        return f"(no log: {e})"
    out = []
    for n, line in enumerate(text):
        if " ERROR " in line or " WARN " in line:
            out.extend(text[n:n + 12])
    return "\n".join(out[-lines:])


@pytest.fixture(scope="module")
def three_servers(tarn_factory, postgres_url):  # noqa: F811
    config = {"database.type": "postgres", "database.postgres.connection_string": postgres_url,
              "database.postgres.max_open_connections": "10"}
    tarn_factory.s3proxy()
    with ThreadPoolExecutor(3) as pool:
        servers = list(pool.map(lambda i: tarn_factory.start(f"pg3-{i}", blockstore="s3", config=config,
                                                             port=free_port(), java_opts=JAVA_OPTS),
                                range(3)))
    yield servers
    for s in servers:
        tarn_factory.stop(s)


class Ledger:
    """What the clients were told: acknowledged uploads and commits, and what went wrong where.

    A failed request (broken connection or 5xx) is an error unless its server was killed while it ran
    (its epoch changed, or it was down when the request started)."""

    def __init__(self, n_servers: int):
        self.lock = threading.Lock()
        self.uploads = {}                              # (branch, path) -> body
        self.commits = collections.defaultdict(list)   # branch -> acknowledged commit / merge ids
        self.errors = []
        self.tolerated = 0
        self.epoch = [0] * n_servers
        self.down = [False] * n_servers
        self.served = [0] * n_servers                  # answers below 500

    def call(self, i, fn):
        """fn() -> Response; None when the request failed on a server being killed."""
        with self.lock:
            epoch, was_down = self.epoch[i], self.down[i]
        try:
            r = fn()
        except requests.RequestException as e:
            r, failure = None, repr(e)
        else:
            failure = None if r.status_code < 500 else f"HTTP {r.status_code}: {r.text[:300]}"
        with self.lock:
            if failure is None:
                self.served[i] += 1
                return r
            if was_down or self.down[i] or self.epoch[i] != epoch:
                self.tolerated += 1
            else:
                self.errors.append(f"server {i}: {failure}")
        return None


def _sessions(servers):
    return [s.session() for s in servers]


def _writer(servers, ledger, repo, branch, wid, ops, stop, pace):
    hs = _sessions(servers)
    for k in range(ops):
        if stop.is_set():
            return
        i = (wid + k) % len(servers)
        path = f"{branch}/w{wid}/{k:04d}"
        body = f"{wid}:{k}:{random.random()}".encode()
        r = ledger.call(i, lambda: hs[i].post(f"{API}/repositories/{repo}/branches/{branch}/objects",
                                              params={"path": path}, files={"content": ("content", body)},
                                              timeout=TIMEOUT))
        if r is not None:
            assert r.status_code == 201, (r.status_code, r.text)
            with ledger.lock:
                ledger.uploads[(branch, path)] = body
        time.sleep(pace)


def _committer(servers, ledger, repo, cid, rounds, stop, pace):
    hs = _sessions(servers)
    for k in range(rounds):
        if stop.is_set():
            return
        i = (cid + k) % len(servers)
        branch = WRITE_BRANCHES[(cid + k) % len(WRITE_BRANCHES)]
        r = ledger.call(i, lambda: hs[i].post(f"{API}/repositories/{repo}/branches/{branch}/commits",
                                              json={"message": f"c{cid}.{k}"}, timeout=TIMEOUT))
        if r is not None:
            if r.status_code == 201:
                with ledger.lock:
                    ledger.commits[branch].append(r.json()["id"])
            else:
                assert r.status_code == 400 and "no changes" in r.text, (r.status_code, r.text)
        time.sleep(pace * 2.5)


def _merger(servers, ledger, repo, rounds, stop, pace):
    hs = _sessions(servers)
    for k in range(rounds):
        if stop.is_set():
            return
        i = k % len(servers)
        source = WRITE_BRANCHES[k % len(WRITE_BRANCHES)]
        r = ledger.call(i, lambda: hs[i].post(f"{API}/repositories/{repo}/refs/{source}/merge/{MERGE_INTO}",
                                              json={}, timeout=TIMEOUT))
        if r is not None:
            if r.status_code == 200:
                with ledger.lock:
                    ledger.commits[MERGE_INTO].append(r.json()["reference"])
            else:  # nothing new on the source, or another merge moved `all` first
                assert r.status_code in (400, 409, 412), (r.status_code, r.text)
        time.sleep(pace * 2.5)


def _run_load(servers, ledger, repo, writes_per_writer, commit_rounds, merge_rounds, stop, pace=0.02):
    threads = []
    wid = 0
    for branch in WRITE_BRANCHES:
        for _ in range(2):
            threads.append(threading.Thread(target=_writer, daemon=True,
                                            args=(servers, ledger, repo, branch, wid, writes_per_writer, stop, pace)))
            wid += 1
    for cid in range(3):
        threads.append(threading.Thread(target=_committer, daemon=True,
                                        args=(servers, ledger, repo, cid, commit_rounds, stop, pace)))
    threads.append(threading.Thread(target=_merger, daemon=True, args=(servers, ledger, repo, merge_rounds, stop, pace)))
    for t in threads:
        t.start()
    return threads


# ---- reading the state back --------------------------------------------------------------------

def _pages(h, url, params=None):
    out, after = [], ""
    for _ in range(1000):
        r = h.get(url, params=dict(params or {}, amount=1000, after=after), timeout=TIMEOUT)
        assert r.status_code == 200, (url, r.status_code, r.text)
        page = r.json()
        out.extend(page["results"])
        if not page["pagination"]["has_more"]:
            return out
        after = page["pagination"]["next_offset"]
    raise AssertionError(f"{url}: pagination does not end")


def _state(h, repo):
    """Branch heads, each branch's log and objects (staged view), as one server lists them."""
    branches = {}
    for name in _pages(h, f"{API}/repositories/{repo}/branches"):
        r = h.get(f"{API}/repositories/{repo}/branches/{name}", timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        branches[name] = r.json()  # the head commit id
    logs = {b: [(c["id"], tuple(c["parents"])) for c in _pages(h, f"{API}/repositories/{repo}/branches/{b}/commits")]
            for b in branches}
    objects = {b: sorted(o["path"] for o in _pages(h, f"{API}/repositories/{repo}/refs/{b}/objects/ls",
                                                    {"delimiter": ""}))
               for b in branches}
    return branches, logs, objects


def _verify(servers, ledger, repo):
    hs = _sessions(servers)
    states = [_state(h, repo) for h in hs]
    for i in (1, 2):
        assert states[i][0] == states[0][0], f"server {i} lists other branch heads than server 0"
        assert states[i][1] == states[0][1], f"server {i} lists other commits than server 0"
        assert states[i][2] == states[0][2], f"server {i} lists other objects than server 0"
    branches, logs, objects = states[0]
    h = hs[0]
    for branch in (*WRITE_BRANCHES, MERGE_INTO):
        parents = dict(logs[branch])
        chain, cur = [], branches[branch]
        while cur:
            chain.append(cur)
            ps = parents[cur]
            cur = ps[0] if ps else None
        missing = set(ledger.commits[branch]) - set(chain)
        assert not missing, f"{branch}: acknowledged commits not in its first-parent history (stale parent?): {missing}"
        if branch == MERGE_INTO:
            continue
        # every acknowledged upload: in exactly one commit of its branch, or still staged
        seen = collections.Counter()
        for c in chain:
            ps = parents[c]
            if len(ps) != 1:
                continue
            # refs/{left}/diff/{right}: what left changed relative to right (lakeFS 2020's order)
            for d in _pages(h, f"{API}/repositories/{repo}/refs/{c}/diff/{ps[0]}"):
                seen[d["path"]] += 1
        for d in _pages(h, f"{API}/repositories/{repo}/branches/{branch}/diff"):
            seen[d["path"]] += 1
        mine = {p: body for (b, p), body in ledger.uploads.items() if b == branch}
        wrong = {p: seen[p] for p in mine if seen[p] != 1}
        assert not wrong, f"{branch}: acknowledged uploads not in exactly one commit or staged: {wrong}"
        assert set(mine) <= set(objects[branch])
        for p in random.sample(sorted(mine), min(20, len(mine))):
            r = h.get(f"{API}/repositories/{repo}/refs/{branch}/objects", params={"path": p}, timeout=TIMEOUT)
            assert (r.status_code, r.content) == (200, mine[p]), p
    return states[0]


def _create(servers, repo):
    h = servers[0].session()
    r = h.post(f"{API}/repositories", json={"id": repo, "default_branch": "main",
                                            "storage_namespace": servers[0].namespace(repo)})
    assert r.status_code == 201, r.text
    for i, b in enumerate(("b0", "b1", MERGE_INTO)):
        r = servers[(i + 1) % 3].session().post(f"{API}/repositories/{repo}/branches",
                                                json={"name": b, "source": "main"})
        assert r.status_code == 201, r.text


def test_three_servers_concurrent_uploads_commits_and_merges(three_servers):
    repo = unique_repo_id("pg3")
    _create(three_servers, repo)
    ledger = Ledger(3)
    stop = threading.Event()
    threads = _run_load(three_servers, ledger, repo, writes_per_writer=25, commit_rounds=12,
                        merge_rounds=9, stop=stop)
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "the load did not finish"
    assert not ledger.errors, (ledger.errors[:10], [_log_errors(s) for s in three_servers])
    assert ledger.tolerated == 0
    assert len(ledger.uploads) == 6 * 25
    assert sum(len(v) for b, v in ledger.commits.items() if b != MERGE_INTO) > 3
    assert ledger.commits[MERGE_INTO], "no merge succeeded"
    _verify(three_servers, ledger, repo)


def test_kill_9_one_server_again_and_again(three_servers):
    servers = three_servers
    repo = unique_repo_id("pg3-kill")
    _create(servers, repo)
    ledger = Ledger(3)
    stop = threading.Event()
    threads = _run_load(servers, ledger, repo, writes_per_writer=100_000, commit_rounds=100_000,
                        merge_rounds=100_000, stop=stop, pace=0.3)
    check = servers[0].session()
    restarts = []
    try:
        for n in range(KILLS):
            victim = n % 3
            others = [i for i in range(3) if i != victim]
            time.sleep(random.uniform(0.1, 0.4))  # in the middle of uploads and commits
            with ledger.lock:
                served_before = list(ledger.served)
                ledger.down[victim] = True
                ledger.epoch[victim] += 1
            s = servers[victim]
            s.proc.kill()
            s.proc.wait(30)
            t0 = time.monotonic()
            s.start()  # the same port; waits until it answers with its new instance id
            restarts.append(time.monotonic() - t0)
            with ledger.lock:
                ledger.down[victim] = False
                ledger.epoch[victim] += 1
                served_during = [ledger.served[i] - served_before[i] for i in others]
                sample = random.sample(sorted(ledger.uploads.items()), min(3, len(ledger.uploads)))
                errors = list(ledger.errors)
            assert not errors, (f"kill {n}: the servers that were not killed failed: {errors[:5]}\n"
                                + "\n".join(_log_errors(servers[i]) for i in others))
            assert all(x > 0 for x in served_during), f"kill {n}: servers {others} served {served_during}"
            # the restarted server serves what was acknowledged before
            with s.session() as h:
                for (branch, path), body in sample:
                    r = h.get(f"{API}/repositories/{repo}/refs/{branch}/objects", params={"path": path},
                              timeout=TIMEOUT)
                    assert (r.status_code, r.content) == (200, body), (n, branch, path, r.status_code)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert not ledger.errors, ledger.errors[:10]
    print(f"\n{KILLS} kills: restarts took {min(restarts):.1f}..{max(restarts):.1f} s "
          f"(mean {sum(restarts) / len(restarts):.1f}); {len(ledger.uploads)} uploads and "
          f"{sum(len(v) for v in ledger.commits.values())} commits/merges acknowledged, "
          f"{ledger.tolerated} requests lost with a killed server")
    for s in servers:
        s.check()
    _verify(servers, ledger, repo)
    check.close()
