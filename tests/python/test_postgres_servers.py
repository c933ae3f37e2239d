"""Two Tarn servers on one PostgreSQL (metadata) and one S3Proxy (data): what one server writes,
commits or merges, the other reads, commits and merges on, and the caches of docs/caches.md that are
said to stay correct do (namespaces, staging-token hints, content-addressed ranges and trees), every
acknowledged change of a branch is seen by the next read through the other server, and users,
groups and keys made on one server work on the other, whose caches see a change within their bound.

PostgreSQL comes from TARN_TEST_POSTGRES_URL (scripts/test-all.sh starts a throw-away cluster and
sets it); without it the module starts one with scripts/postgres.sh, and when that fails it is skipped,
or fails under CI=true. Each test module run gets its own schema."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid

import pytest

from conftest import REPO_ROOT, unique_repo_id

API = "/api/v0"


def _start_cluster(tmp_dir) -> str:
    out = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "postgres.sh"), "start", "0", str(tmp_dir)],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
                         env=dict(os.environ, POSTGRES_WATCH_PID=str(os.getpid())))
    if out.returncode != 0 or not out.stdout.strip():
        raise RuntimeError(f"scripts/postgres.sh start failed: {out.stderr[-2000:]}")
    return out.stdout.strip().splitlines()[-1]


def _psql(url: str, sql: str) -> None:
    m = re.match(r"jdbc:postgresql://([^:/?]+)(?::(\d+))?/([^?]+)(?:\?(.*))?$", url)
    if not m:
        raise RuntimeError(f"cannot use {url!r} with psql: need a jdbc:postgresql://host:port/db?user=... URL")
    host, port, db, query = m.group(1), m.group(2) or "5432", m.group(3), m.group(4) or ""
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    psql = shutil.which("psql")
    if psql is None:
        raise RuntimeError("psql is not installed (Debian's postgresql-client)")
    env = dict(os.environ)
    if "password" in params:
        env["PGPASSWORD"] = params["password"]
    out = subprocess.run([psql, "-h", host, "-p", port, "-U", params.get("user", "postgres"), "-d", db,
                          "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
                         capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr[-2000:]}")


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory) -> str:
    url = os.environ.get("TARN_TEST_POSTGRES_URL", "").strip()
    started = None
    try:
        if not url:
            started = tmp_path_factory.mktemp("postgres")
            url = _start_cluster(started)
        schema = "tarn_py_" + uuid.uuid4().hex[:10]
        _psql(url, f"CREATE SCHEMA {schema}")
    except RuntimeError as e:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is needed here (CI=true): {e}")
        pytest.skip(f"PostgreSQL is not available: {e}")
    yield url + ("&" if "?" in url else "?") + f"currentSchema={schema}"
    if started is not None:
        subprocess.run(["bash", str(REPO_ROOT / "scripts" / "postgres.sh"), "stop", "0", str(started)],
                       capture_output=True, stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture(scope="module")
def two_servers(tarn_factory, postgres_url):
    config = {"database.type": "postgres", "database.postgres.connection_string": postgres_url,
              "database.postgres.max_open_connections": "10"}
    a = tarn_factory.start("pg-a", blockstore="s3", config=config)
    b = tarn_factory.start("pg-b", blockstore="s3", config=config)
    yield a, b
    tarn_factory.stop(a)
    tarn_factory.stop(b)


def _upload(http, repo, branch, path, data: bytes):
    r = http.post(f"{API}/repositories/{repo}/branches/{branch}/objects", params={"path": path},
                  files={"content": ("content", data)})
    assert r.status_code == 201, r.text
    return r.json()


def _read(http, repo, ref, path):
    r = http.get(f"{API}/repositories/{repo}/refs/{ref}/objects", params={"path": path})
    return r.status_code, r.content


def _commit(http, repo, branch, message):
    r = http.post(f"{API}/repositories/{repo}/branches/{branch}/commits", json={"message": message})
    assert r.status_code == 201, r.text
    return r.json()


def _head(http, repo, branch):
    r = http.get(f"{API}/repositories/{repo}/branches/{branch}")
    assert r.status_code == 200, r.text
    return r.json()


def _log(http, repo, branch):
    r = http.get(f"{API}/repositories/{repo}/branches/{branch}/commits", params={"amount": 1000})
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["results"]]


def _paths(http, repo, ref):
    r = http.get(f"{API}/repositories/{repo}/refs/{ref}/objects/ls", params={"amount": 1000, "delimiter": ""})
    assert r.status_code == 200, r.text
    return [o["path"] for o in r.json()["results"]]


def _create_repo(server, http, repo, namespace=None):
    r = http.post(f"{API}/repositories", json={
        "id": repo, "default_branch": "main", "storage_namespace": namespace or server.namespace(repo)})
    assert r.status_code == 201, r.text


def test_what_one_server_writes_the_other_reads_commits_and_merges(two_servers):
    a, b = two_servers
    repo = unique_repo_id("pg")
    with a.session() as ha, b.session() as hb:
        _create_repo(a, ha, repo)
        assert hb.get(f"{API}/repositories/{repo}").status_code == 200
        _upload(ha, repo, "main", "data/one.txt", b"one")
        _upload(ha, repo, "main", "data/two.txt", b"two")
        # staged on a, visible on b; committed through b
        assert _read(hb, repo, "main", "data/one.txt") == (200, b"one")
        c1 = _commit(hb, repo, "main", "first, through b")
        assert _head(ha, repo, "main") == c1["id"]
        assert _log(ha, repo, "main")[0] == c1["id"]
        assert _read(ha, repo, "main:HEAD", "data/two.txt") == (200, b"two")

        # a branch made on a, written on b, committed on a, merged on b, read on a
        r = ha.post(f"{API}/repositories/{repo}/branches", json={"name": "dev", "source": "main"})
        assert r.status_code == 201, r.text
        assert "dev" in hb.get(f"{API}/repositories/{repo}/branches").json()["results"]
        _upload(hb, repo, "dev", "data/three.txt", b"three")
        hb.delete(f"{API}/repositories/{repo}/branches/dev/objects", params={"path": "data/one.txt"})
        c2 = _commit(ha, repo, "dev", "dev work, through a")
        assert c2["parents"] == [c1["id"]]
        r = hb.post(f"{API}/repositories/{repo}/refs/dev/merge/main", json={})
        assert r.status_code == 200, r.text
        merge = r.json()["reference"]
        assert _head(ha, repo, "main") == merge
        assert _paths(ha, repo, "main") == ["data/three.txt", "data/two.txt"]
        assert _read(ha, repo, "main", "data/three.txt") == (200, b"three")
        assert _read(ha, repo, "main", "data/one.txt")[0] == 404

        # both servers list the same branches, commits and objects
        for ref in ("main", "dev"):
            assert _log(ha, repo, ref) == _log(hb, repo, ref)
            assert _paths(ha, repo, ref) == _paths(hb, repo, ref)
        assert (ha.get(f"{API}/repositories/{repo}/branches").json()["results"]
                == hb.get(f"{API}/repositories/{repo}/branches").json()["results"])


def test_a_commit_on_the_other_server_does_not_strand_staged_writes(two_servers):
    """tarn.staging.tokens: a's hint of main's staging token goes stale when b commits; a's next
    writes must land in the new token, and b's next commit must take them."""
    a, b = two_servers
    repo = unique_repo_id("pg-hint")
    with a.session() as ha, b.session() as hb:
        _create_repo(a, ha, repo)
        for round_ in range(5):
            _upload(ha, repo, "main", f"r{round_}/a.txt", f"a{round_}".encode())  # a caches the token
            c = _commit(hb, repo, "main", f"round {round_}")                   # b seals it
            assert _read(ha, repo, c["id"], f"r{round_}/a.txt") == (200, f"a{round_}".encode())
            _upload(ha, repo, "main", f"r{round_}/late.txt", b"late")         # stale hint on a
            diff = hb.get(f"{API}/repositories/{repo}/branches/main/diff").json()["results"]
            assert [d["path"] for d in diff] == [f"r{round_}/late.txt"]
        last = _commit(hb, repo, "main", "the late ones")
        assert sorted(_paths(ha, repo, last["id"])) == sorted(
            [f"r{i}/a.txt" for i in range(5)] + [f"r{i}/late.txt" for i in range(5)])


def test_a_repository_recreated_on_the_other_server_is_seen_with_its_new_namespace(two_servers):
    """tarn.namespaces: a caches the repository's namespace; b deletes the repository and creates
    it again on another namespace; a must read and write the new one."""
    a, b = two_servers
    repo = unique_repo_id("pg-ns")
    with a.session() as ha, b.session() as hb:
        _create_repo(a, ha, repo)
        _upload(ha, repo, "main", "old.txt", b"old")
        _commit(ha, repo, "main", "old")
        assert _read(ha, repo, "main", "old.txt") == (200, b"old")
        assert hb.delete(f"{API}/repositories/{repo}").status_code == 204
        assert ha.get(f"{API}/repositories/{repo}").status_code == 404
        _create_repo(b, hb, repo, namespace=b.namespace(repo) + "-again")
        r = ha.get(f"{API}/repositories/{repo}")
        assert r.status_code == 200 and r.json()["storage_namespace"].endswith("-again"), r.text
        assert _read(ha, repo, "main", "old.txt")[0] == 404
        _upload(ha, repo, "main", "new.txt", b"new")
        c = _commit(ha, repo, "main", "new")
        assert _read(hb, repo, c["id"], "new.txt") == (200, b"new")
        assert _paths(hb, repo, "main") == ["new.txt"]


def test_each_acknowledged_change_of_a_branch_is_read_at_once_through_the_other_server(two_servers):
    """No server answers a read of a branch from memory alone (docs/caches.md, "No cache of branch
    heads"): once one server has acknowledged a change of a branch, the next read through the other
    sees it, even right after that server read the same branch and path (its hints warm)."""
    a, b = two_servers
    repo = unique_repo_id("pg-lin")
    with a.session() as ha, b.session() as hb:
        _create_repo(a, ha, repo)

        def read_at_a(ref, path):
            first = _read(ha, repo, ref, path)
            stat = ha.get(f"{API}/repositories/{repo}/refs/{ref}/objects/stat", params={"path": path})
            assert stat.status_code == first[0], stat.text
            return first

        # staged overwrites through b, each read through a right after its acknowledgement
        _upload(hb, repo, "main", "x.txt", b"v1")
        for _ in range(3):
            assert read_at_a("main", "x.txt") == (200, b"v1")
        for i in range(2, 6):
            _upload(hb, repo, "main", "x.txt", f"v{i}".encode())
            assert read_at_a("main", "x.txt") == (200, f"v{i}".encode())
        c1 = _commit(hb, repo, "main", "v5")
        assert read_at_a("main", "x.txt") == (200, b"v5")
        assert _head(ha, repo, "main") == c1["id"]

        # a deletion staged through b, then reset away through b
        r = hb.delete(f"{API}/repositories/{repo}/branches/main/objects", params={"path": "x.txt"})
        assert r.status_code == 204, r.text
        assert read_at_a("main", "x.txt")[0] == 404
        assert read_at_a(c1["id"], "x.txt") == (200, b"v5")
        r = hb.put(f"{API}/repositories/{repo}/branches/main", json={"type": "reset"})
        assert r.status_code == 204, r.text
        assert read_at_a("main", "x.txt") == (200, b"v5")

        # a branch created, deleted and created again from another commit, all through b
        _upload(hb, repo, "main", "y.txt", b"y")
        c2 = _commit(hb, repo, "main", "y")
        r = hb.post(f"{API}/repositories/{repo}/branches", json={"name": "dev", "source": c1["id"]})
        assert r.status_code == 201, r.text
        for _ in range(3):
            assert read_at_a("dev", "y.txt")[0] == 404
            assert read_at_a("dev", "x.txt") == (200, b"v5")
        assert hb.delete(f"{API}/repositories/{repo}/branches/dev").status_code == 204
        assert read_at_a("dev", "x.txt")[0] == 404
        r = hb.post(f"{API}/repositories/{repo}/branches", json={"name": "dev", "source": "main"})
        assert r.status_code == 201, r.text
        assert read_at_a("dev", "y.txt") == (200, b"y")
        assert _head(ha, repo, "dev") == c2["id"]

        # createBranch through a of a name that b has just created, then deleted
        r = hb.post(f"{API}/repositories/{repo}/branches", json={"name": "feat", "source": "main"})
        assert r.status_code == 201, r.text
        r = ha.post(f"{API}/repositories/{repo}/branches", json={"name": "feat", "source": c1["id"]})
        assert r.status_code == 409, r.text
        assert hb.delete(f"{API}/repositories/{repo}/branches/feat").status_code == 204
        r = ha.post(f"{API}/repositories/{repo}/branches", json={"name": "feat", "source": c1["id"]})
        assert r.status_code == 201, r.text
        assert _head(hb, repo, "feat") == c1["id"]
        assert _read(hb, repo, "feat", "y.txt")[0] == 404


AUTH_CACHE_TTL_S = 20  # AuthService.CACHE_TTL and AuthDirectory.CACHE_TTL (docs/auth.md)


def test_users_groups_and_keys_are_shared_and_changes_reach_the_other_server_within_the_bound(two_servers):
    import requests

    a, b = two_servers
    user = f"pg-user-{uuid.uuid4().hex[:8]}"
    with a.session() as ha:
        assert ha.post(f"{API}/auth/users", json={"id": user}).status_code == 201
        assert ha.put(f"{API}/auth/groups/Viewers/members/{user}").status_code == 201
        key = ha.post(f"{API}/auth/users/{user}/credentials").json()
    on_b = requests.Session()
    on_b.auth = (key["access_key_id"], key["access_secret_key"])
    # a key and a group made on one server work on the other, with the group's policies
    assert on_b.get(f"{b.url}{API}/repositories").status_code == 200
    assert on_b.post(f"{b.url}{API}/auth/users", json={"id": user + "-x"}).status_code == 401
    # changes made on a: b may remember the old state, for at most the cache TTL
    with a.session() as ha:
        mine = (key["access_key_id"], key["access_secret_key"])
        assert ha.get(f"{API}/repositories", auth=mine).status_code == 200  # now remembered on a too
        assert ha.delete(f"{API}/auth/groups/Viewers/members/{user}").status_code == 204
        assert ha.get(f"{API}/repositories", auth=mine).status_code == 401  # at once on the server that changed it
    time.sleep(AUTH_CACHE_TTL_S + 1)
    assert on_b.get(f"{b.url}{API}/repositories").status_code == 401
    with a.session() as ha:
        assert ha.put(f"{API}/auth/users/{user}/policies/FSReadAll").status_code == 201
        assert ha.delete(f"{API}/auth/users/{user}/credentials/{key['access_key_id']}").status_code == 204
    time.sleep(AUTH_CACHE_TTL_S + 1)
    r = on_b.get(f"{b.url}{API}/repositories")
    assert r.status_code == 401 and "wrong access key or secret" in r.json()["message"], r.text


def test_gc_run_beside_running_servers_deletes_only_garbage(two_servers):
    """`tarn gc run` on the shared PostgreSQL store while both servers run: the overwritten upload is
    deleted, everything staged or committed still reads back on both servers, and writes go on."""
    a, b = two_servers
    repo = unique_repo_id("pggc")
    with a.session() as ha, b.session() as hb:
        _create_repo(a, ha, repo)
        _upload(ha, repo, "main", "kept/committed.txt", b"committed")
        _upload(ha, repo, "main", "kept/overwritten.txt", b"v1")
        _upload(hb, repo, "main", "kept/overwritten.txt", b"v2!")
        _commit(ha, repo, "main", "first")
        _upload(hb, repo, "main", "kept/staged.txt", b"staged")
        dry = a.run_cli("gc", "run", "--repository", repo, "--dry-run", "--gc.grace=1ms")
        assert dry.returncode == 0, dry.stderr
        assert "would delete 1 objects (2 bytes)" in dry.stdout, dry.stdout
        assert _read(hb, repo, "main", "kept/overwritten.txt") == (200, b"v2!")
        run = a.run_cli("gc", "run", "--repository", repo, "--gc.grace=1ms")
        assert run.returncode == 0, run.stderr
        assert "deleted 1 objects (2 bytes)" in run.stdout, run.stdout
        assert "_tarn/gc/" in run.stdout
        for h in (ha, hb):
            assert _read(h, repo, "main", "kept/committed.txt") == (200, b"committed")
            assert _read(h, repo, "main", "kept/overwritten.txt") == (200, b"v2!")
            assert _read(h, repo, "main", "kept/staged.txt") == (200, b"staged")
        _upload(ha, repo, "main", "after.txt", b"after")
        _commit(hb, repo, "main", "after gc")
        assert _read(ha, repo, "main:HEAD", "kept/staged.txt") == (200, b"staged")
        again = a.run_cli("gc", "run", "--repository", repo, "--gc.grace=1ms")
        assert again.returncode == 0, again.stderr
        assert "deleted 0 objects" in again.stdout, again.stdout
        missing = a.run_cli("gc", "run", "--repository", "no-such-repo", "--gc.grace=1ms")
        assert missing.returncode == 1
        assert missing.stderr.strip() == "tarn: repository not found: no-such-repo"
