"""Block storage seen through a running server (issue 3, "How it is checked").

- uploads of 0 bytes, 1 byte and 2 GiB to a server whose heap is capped at 256 MiB: statObject
  and a streamed download give the right MD5 and size
- a client that disconnects halfway through an upload leaves no entry: statObject 404, and neither
  listObjects nor diffBranch shows it
- storage namespaces with `..`, absolute paths and other escapes are refused with 400
- a second repository on the namespace of another one is refused with 409, and so is one whose
  namespace lies inside another repository's or holds another's, also when one of them is spelled
  through a link inside the local root
- after uploads and a commit, every file and folder under the metadata folder (RocksDB's) and the
  block store root is owner-only, on a server started without the launcher's umask
The small uploads, the disconnect and the 409 run on the local and the S3 (S3Proxy) blockstore.
"""
import hashlib
import os
import socket
import time
import uuid
from pathlib import Path

import pytest

from conftest import GeneratedContent, MultipartStream, unique_repo_id

GIB = 1 << 30
HEAP = "-Xmx256m"


@pytest.fixture(scope="module")
def small_heap_server(tarn_factory):
    # ./tarn run with TARN_JAVA_OPTS=-Xmx256m, as a user would cap the heap
    server = tarn_factory.start("heap256", java_opts=[HEAP], launcher=True)
    yield server
    tarn_factory.stop(server)


@pytest.fixture(params=["local", "s3"])
def server(request, small_heap_server):
    if request.param == "local":
        return small_heap_server
    return request.getfixturevalue("s3_tarn_server")


def create_repo(server, http, repo_id=None, namespace=None):
    repo_id = repo_id or unique_repo_id("store")
    r = http.post("/api/v0/repositories", json={
        "id": repo_id, "default_branch": "main",
        "storage_namespace": namespace or server.namespace(repo_id)})
    assert r.status_code == 201, r.text
    return repo_id


def stat(http, repo_id, ref, path):
    return http.get(f"/api/v0/repositories/{repo_id}/refs/{ref}/objects/stat", params={"path": path})


def streamed_download(http, repo_id, ref, path):
    md5, size = hashlib.md5(), 0
    with http.get(f"/api/v0/repositories/{repo_id}/refs/{ref}/objects", params={"path": path},
                  stream=True) as r:
        assert r.status_code == 200, r.text
        length = r.headers.get("Content-Length")
        for chunk in r.iter_content(1 << 20):
            md5.update(chunk)
            size += len(chunk)
    if length is not None:
        assert int(length) == size
    return md5.hexdigest(), size


def upload_generated(http, repo_id, branch, path, size, seed=0):
    content = GeneratedContent(size, seed)
    body = MultipartStream(content.chunks(), size)
    r = http.post(f"/api/v0/repositories/{repo_id}/branches/{branch}/objects", params={"path": path},
                  data=body, headers=body.headers(), timeout=1800)
    return r, content


def check_object(http, repo_id, path, size, md5):
    r = stat(http, repo_id, "main", path)
    assert r.status_code == 200, r.text
    st = r.json()
    assert st["size_bytes"] == size and st["checksum"] == md5, st
    assert (md5, size) == streamed_download(http, repo_id, "main", path)


# ---- small objects, both blockstores --------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1])
def test_tiny_upload(server, size):
    with server.session() as http:
        repo_id = create_repo(server, http)
        data = b"" if size == 0 else b"\x00"
        r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/objects",
                      params={"path": f"tiny/{size}.bin"}, files={"content": ("content", data)})
        assert r.status_code == 201, r.text
        md5 = hashlib.md5(data).hexdigest()
        assert r.json()["checksum"] == md5 and r.json()["size_bytes"] == size, r.json()
        check_object(http, repo_id, f"tiny/{size}.bin", size, md5)
        # and after a commit, from the committed tree
        r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/commits", json={"message": "tiny"})
        assert r.status_code == 201, r.text
        check_object(http, repo_id, f"tiny/{size}.bin", size, md5)


# ---- 2 GiB with a 256 MiB heap --------------------------------------------------------------

def test_two_gib_upload_with_256_mib_heap(small_heap_server):
    server = small_heap_server
    assert HEAP in server.java_opts
    size = 2 * GIB
    with server.session() as http:
        repo_id = create_repo(server, http)
        t0 = time.monotonic()
        r, content = upload_generated(http, repo_id, "main", "big/two-gib.bin", size, seed=2)
        upload_s = time.monotonic() - t0
        assert r.status_code == 201, r.text
        md5 = content.md5()
        assert r.json()["size_bytes"] == size and r.json()["checksum"] == md5, r.json()
        t0 = time.monotonic()
        check_object(http, repo_id, "big/two-gib.bin", size, md5)
        download_s = time.monotonic() - t0
    print(f"2 GiB: upload {upload_s:.1f}s ({size / upload_s / 2**20:.0f} MiB/s), "
          f"stat + download {download_s:.1f}s")
    assert server.alive() and server.healthy()
    log = server.log.read_text(errors="replace")
    assert "OutOfMemoryError" not in log


# ---- a client that goes away halfway ---------------------------------------------------------

def abandon_upload(server, repo_id, branch, path, size, reset):
    """Sends the head and half the body of a multipart upload, then closes the connection."""
    content = GeneratedContent(size, seed=7)
    body = MultipartStream(content.chunks(), size)
    target = f"/api/v0/repositories/{repo_id}/branches/{branch}/objects?path={path}"
    import base64
    token = base64.b64encode(f"{server.access_key_id}:{server.secret_access_key}".encode()).decode()
    head = (f"POST {target} HTTP/1.1\r\nHost: localhost:{server.port}\r\n"
            f"Authorization: Basic {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={body.boundary}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    sock.sendall(head)
    sent = 0
    while sent < len(body) // 2:
        chunk = body.read(1 << 20)
        sock.sendall(chunk)
        sent += len(chunk)
    if reset:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()


def listed_paths(http, repo_id, ref, delimiter=""):
    """Every object (empty delimiter: no grouping into common prefixes), or the top level."""
    paths, after = [], None
    while True:
        params = {"amount": 1000, "delimiter": delimiter}
        if after is not None:
            params["after"] = after
        r = http.get(f"/api/v0/repositories/{repo_id}/refs/{ref}/objects/ls", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        paths += [x["path"] for x in page["results"]]
        if not page["pagination"]["has_more"]:
            return paths
        after = page["pagination"]["next_offset"]


def diff_paths(http, repo_id, branch):
    r = http.get(f"/api/v0/repositories/{repo_id}/branches/{branch}/diff", params={"amount": 1000})
    assert r.status_code == 200, r.text
    return [x["path"] for x in r.json()["results"]]


@pytest.mark.parametrize("reset", [False, True], ids=["close", "reset"])
def test_disconnect_halfway_leaves_no_entry(server, reset):
    with server.session() as http:
        repo_id = create_repo(server, http)
        r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/objects",
                      params={"path": "keep/me.txt"}, files={"content": ("content", b"kept")})
        assert r.status_code == 201, r.text
        abandon_upload(server, repo_id, "main", "half/gone.bin", 64 << 20, reset)
        # the server notices the disconnect asynchronously: look for a while, it must never appear
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            assert stat(http, repo_id, "main", "half/gone.bin").status_code == 404
            time.sleep(0.5)
        for op in ["objects", "objects/underlyingProperties/"]:
            r = http.get(f"/api/v0/repositories/{repo_id}/refs/main/{op}", params={"path": "half/gone.bin"})
            assert r.status_code == 404, (op, r.status_code, r.text)
        assert listed_paths(http, repo_id, "main", delimiter="/") == ["keep/"]
        assert listed_paths(http, repo_id, "main") == ["keep/me.txt"]
        assert diff_paths(http, repo_id, "main") == ["keep/me.txt"]
        # committing now commits only the finished upload
        r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/commits", json={"message": "m"})
        assert r.status_code == 201, r.text
        assert listed_paths(http, repo_id, "main") == ["keep/me.txt"]
        assert diff_paths(http, repo_id, "main") == []
        # the same path uploads fine afterwards
        r, content = upload_generated(http, repo_id, "main", "half/gone.bin", 3 << 20, seed=8)
        assert r.status_code == 201, r.text
        check_object(http, repo_id, "half/gone.bin", 3 << 20, content.md5())
    assert server.alive() and server.healthy()


# ---- namespaces ------------------------------------------------------------------------------

LOCAL_ESCAPES = [
    "local://..",
    "local://../escape",
    "local://a/../../escape",
    "local://a/../..",
    "local://./../escape",
    "local:///etc",
    "local:///tmp/tarn-absolute",
    "local:////tmp/tarn-absolute",
    "local://a/b/../../../escape",
    "local://",
    "local://nul\u0000byte",
    "file:///etc",
    "s3://storage-bucket/not-for-a-local-server",
    "mem://not-for-a-local-server",
]


def assert_400(r, what):
    assert r.status_code == 400, f"{what}: expected 400, got {r.status_code}: {r.text[:300]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    assert isinstance(r.json().get("message"), str) and r.json()["message"], r.text


def repository_ids(http):
    r = http.get("/api/v0/repositories", params={"amount": 1000})
    assert r.status_code == 200, r.text
    return {x["id"] for x in r.json()["results"]}


@pytest.mark.parametrize("namespace", LOCAL_ESCAPES)
def test_local_namespace_escapes_are_refused(small_heap_server, namespace):
    server = small_heap_server
    with server.session() as http:
        before = repository_ids(http)
        repo_id = unique_repo_id("escape")
        r = http.post("/api/v0/repositories", json={"id": repo_id, "storage_namespace": namespace,
                                                    "default_branch": "main"})
        assert_400(r, namespace)
        assert repository_ids(http) == before
        assert http.get(f"/api/v0/repositories/{repo_id}").status_code == 404
    for p in [server.data_dir / "escape", server.data_dir.parent / "escape", Path("/tmp/tarn-absolute"),
              Path("/escape")]:
        assert not p.exists(), f"{namespace} wrote {p}"


# Odd but not escapes on Linux: `~` is no home directory, a backslash is an ordinary character and
# %2e is not decoded in a namespace. Refused, or stored inside the local root: never outside it.
LOCAL_ODD = ["local://~/escape", "local://a\\..\\..\\escape", "local://a/%2e%2e/%2e%2e/escape"]


@pytest.mark.parametrize("namespace", LOCAL_ODD)
def test_odd_local_namespaces_stay_inside_the_root(small_heap_server, namespace):
    server = small_heap_server
    with server.session() as http:
        r = http.post("/api/v0/repositories", json={"id": unique_repo_id("odd"), "default_branch": "main",
                                                    "storage_namespace": namespace})
        if r.status_code != 201:
            assert_400(r, namespace)
    for p in [Path.home() / "escape", server.data_dir / "escape", server.data_dir.parent / "escape",
              Path("/escape")]:
        assert not p.exists(), f"{namespace} wrote {p}"


def test_symlink_out_of_the_local_root_is_refused(small_heap_server, tmp_path):
    server = small_heap_server
    root = server.data_dir / "blocks"
    root.mkdir(parents=True, exist_ok=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    link = root / f"link-{uuid.uuid4().hex[:6]}"
    os.symlink(outside, link)
    with server.session() as http:
        repo_id = unique_repo_id("symlink")
        r = http.post("/api/v0/repositories", json={"id": repo_id, "default_branch": "main",
                                                    "storage_namespace": f"local://{link.name}/repo"})
        assert_400(r, "namespace through a symlink out of the root")
        assert http.get(f"/api/v0/repositories/{repo_id}").status_code == 404
    assert list(outside.iterdir()) == [], "something was written through the link"


def test_s3_namespace_problems_are_refused(s3_tarn_server):
    server = s3_tarn_server
    with server.session() as http:
        for namespace in ["local://not-for-an-s3-server", "mem://not-for-an-s3-server", "s3://",
                          "s3:///no-bucket", "s3://no-such-bucket-tarn/x"]:
            repo_id = unique_repo_id("s3bad")
            r = http.post("/api/v0/repositories", json={"id": repo_id, "default_branch": "main",
                                                        "storage_namespace": namespace})
            assert_400(r, namespace)
            assert http.get(f"/api/v0/repositories/{repo_id}").status_code == 404


def test_second_repository_on_the_same_namespace_is_409(server):
    with server.session() as http:
        first = create_repo(server, http)
        namespace = server.namespace(first)
        second = unique_repo_id("second")
        r = http.post("/api/v0/repositories", json={"id": second, "storage_namespace": namespace,
                                                    "default_branch": "main"})
        assert r.status_code == 409, r.text
        assert isinstance(r.json().get("message"), str), r.text
        assert http.get(f"/api/v0/repositories/{second}").status_code == 404
        r = http.get(f"/api/v0/repositories/{first}")
        assert r.status_code == 200 and r.json()["storage_namespace"] == namespace
        # the same namespace spelled with a trailing slash is still the same place
        r = http.post("/api/v0/repositories", json={"id": unique_repo_id("third"),
                                                    "storage_namespace": namespace + "/",
                                                    "default_branch": "main"})
        assert r.status_code in (400, 409), r.text


def test_namespace_inside_or_around_another_repositorys_is_409(server):
    """`<ns>/data` while a repository is on `<ns>`, or `<ns>` while one is on `<ns>/x/y`: refused, and
    nothing is written into the other repository's namespace."""
    with server.session() as http:
        outer = create_repo(server, http)
        outer_ns = server.namespace(outer)

        def refused(namespace, why):
            repo_id = unique_repo_id("nested")
            r = http.post("/api/v0/repositories", json={"id": repo_id, "storage_namespace": namespace,
                                                        "default_branch": "main"})
            assert r.status_code == 409, f"{why}: {r.status_code} {r.text}"
            assert outer in r.json()["message"] or "of repository" in r.json()["message"], r.text
            assert http.get(f"/api/v0/repositories/{repo_id}").status_code == 404

        refused(outer_ns + "/data", "inside another repository's namespace")
        refused(outer_ns + "/data/deeper/", "deep inside another repository's namespace")
        deep = unique_repo_id("deep")
        deep_ns = server.namespace(deep) + "/x/y"
        r = http.post("/api/v0/repositories", json={"id": deep, "storage_namespace": deep_ns,
                                                    "default_branch": "main"})
        assert r.status_code == 201, r.text
        refused(server.namespace(deep), "holding another repository's namespace")
        refused(server.namespace(deep) + "/x", "holding another repository's namespace")
        # a sibling whose name only starts the same is a different place
        sibling = unique_repo_id("sib")
        r = http.post("/api/v0/repositories", json={"id": sibling, "storage_namespace": outer_ns + "-sibling",
                                                    "default_branch": "main"})
        assert r.status_code == 201, r.text
        # the outer repository still works and holds no trace of the refused ones
        r = http.get(f"/api/v0/repositories/{outer}/refs/main/objects/ls")
        assert r.status_code == 200 and r.json()["results"] == [], r.text


def test_a_link_inside_the_local_root_is_no_way_around_the_409(small_heap_server):
    """`local://<link>/data` with <link> a link inside the root to a repository's folder is inside that
    repository's namespace; so is the link itself, and a namespace around a repository reached through
    a link is refused too."""
    server = small_heap_server
    root = server.data_dir / "blocks"
    with server.session() as http:
        outer = create_repo(server, http)
        outer_ns = server.namespace(outer)
        folder = root / outer_ns[len("local://"):]
        assert (folder / "_tarn" / "namespace.json").is_file()
        link = root / f"alias-{uuid.uuid4().hex[:6]}"
        os.symlink(folder, link)

        def refused(namespace, owner):
            repo_id = unique_repo_id("alias")
            r = http.post("/api/v0/repositories", json={"id": repo_id, "storage_namespace": namespace,
                                                        "default_branch": "main"})
            assert r.status_code == 409, f"{namespace}: {r.status_code} {r.text}"
            assert owner in r.json()["message"], r.text
            assert http.get(f"/api/v0/repositories/{repo_id}").status_code == 404

        refused(f"local://{link.name}", outer)
        refused(f"local://{link.name}/data", outer)
        # a repository reached through a link, then one on a folder around where it really is
        holder = root / f"holder-{uuid.uuid4().hex[:6]}"
        (holder / "deep").mkdir(parents=True)
        deep_link = root / f"deep-{uuid.uuid4().hex[:6]}"
        os.symlink(holder / "deep", deep_link)
        inner = create_repo(server, http, namespace=f"local://{deep_link.name}/repo")
        refused(f"local://{holder.name}", inner)
        # the link's sibling folders are still free
        create_repo(server, http, namespace=f"local://{deep_link.name}/other")


def _not_owner_only(root: Path):
    """Files and folders under root that the group or others may use (links are not followed)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [""] + dirnames + filenames:
            p = Path(dirpath) / name if name else Path(dirpath)
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue  # RocksDB removed an obsolete file meanwhile
            if not os.path.islink(p) and st.st_mode & 0o077:
                found.append(f"{p.relative_to(root)} {oct(st.st_mode & 0o777)}")
    return found


def test_metadata_and_data_files_are_owner_only(tarn_factory):
    """A server started straight with java (the test runner's umask, not the launcher's 077): after uploads and a
    commit, nothing under its metadata folder (RocksDB's write-ahead log, manifest, options, table
    files) nor under the block store root can be read by the group or others. A server of its own:
    other tests put files into the shared server's block store folder themselves (import sources)."""
    server = tarn_factory.start("owner-only")
    try:
        with server.session() as http:
            repo_id = create_repo(server, http)
            for i in range(20):
                r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/objects", params={"path": f"f/{i}"},
                              files={"content": (f"{i}", os.urandom(1000))})
                assert r.status_code == 201, r.text
            r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/commits", json={"message": "owner only"})
            assert r.status_code == 201, r.text
        metadata = server.data_dir / "metadata"
        assert any(n.endswith(".log") for n in os.listdir(metadata)), os.listdir(metadata)
        assert _not_owner_only(metadata) == []
        assert _not_owner_only(server.data_dir / "blocks") == []
    finally:
        tarn_factory.stop(server)
