"""Malformed input sent with a plain HTTP client (raw sockets and requests, never bravado).

Every case must get a 4xx answer whose body is JSON `{"message": "..."}` (no stack trace), the server
must stay up (/_health is 200 after each case), and nothing may be written: the repositories, the
test repository's branches and every branch's uncommitted changes are the same before and after.
"""
import base64
import json
import socket
import threading
import uuid
from pathlib import Path

import pytest

from conftest import TarnServer

# ---- raw HTTP --------------------------------------------------------------------------------


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def __repr__(self):
        return f"RawResponse({self.status}, {self.headers}, {self.body[:300]!r})"


def parse_response(data: bytes) -> RawResponse:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        raise AssertionError(f"no complete HTTP response head in {data[:500]!r}")
    lines = head.decode("iso-8859-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        body = out
    elif "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return RawResponse(status, headers, body)


def auth_header(server: TarnServer) -> str:
    token = base64.b64encode(f"{server.access_key_id}:{server.secret_access_key}".encode()).decode()
    return f"Authorization: Basic {token}\r\n"


def raw_exchange(server: TarnServer, head: str, body_parts=(), half_close=True,
                 timeout=60) -> RawResponse:
    """Sends a request head and body parts on one connection while reading the answer at the same
    time (a server may answer and close before everything was sent), then half-closes the
    connection and reads until the server closes it."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    received = bytearray()
    reader_error = []

    def read():
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                received.extend(chunk)
        except OSError as e:  # reset after the answer: keep what was read
            reader_error.append(e)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        sock.sendall(head.encode("iso-8859-1") if isinstance(head, str) else head)
        for part in body_parts:
            sock.sendall(part)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the server answered and closed early; what it said is read below
    reader.join(timeout)
    sock.close()
    assert not reader.is_alive(), "the server neither answered nor closed the connection"
    assert received, f"no answer at all (reader error: {reader_error})"
    return parse_response(bytes(received))


def request_head(server, method, target, headers=(), auth=True, content_length=None):
    lines = [f"{method} {target} HTTP/1.1", f"Host: localhost:{server.port}", "Connection: close"]
    lines += list(headers)
    if content_length is not None:
        lines.append(f"Content-Length: {content_length}")
    head = "\r\n".join(lines) + "\r\n"
    if auth:
        head += auth_header(server)
    return head + "\r\n"


# ---- what must hold after every case ---------------------------------------------------------


def all_pages(http, url, params=None):
    items, after = [], None
    for _ in range(1000):
        p = dict(params or {}, amount=1000)
        if after is not None:
            p["after"] = after
        r = http.get(url, params=p)
        assert r.status_code == 200, (url, r.status_code, r.text)
        page = r.json()
        items += page["results"]
        if not page["pagination"]["has_more"]:
            return items
        after = page["pagination"]["next_offset"]
    raise AssertionError(f"{url}: more than 1000 pages")


def snapshot(http, repo_id):
    repos = sorted(r["id"] for r in all_pages(http, "/api/v0/repositories"))
    branches = all_pages(http, f"/api/v0/repositories/{repo_id}/branches")
    staged = {b: all_pages(http, f"/api/v0/repositories/{repo_id}/branches/{b}/diff") for b in branches}
    return {"repositories": repos, "branches": branches, "uncommitted": staged}


def assert_json_4xx(status, headers, body: bytes, what=""):
    assert 400 <= status < 500, f"{what}: expected a 4xx, got {status}: {body[:500]!r}"
    ctype = headers.get("content-type", "")
    assert ctype.startswith("application/json"), f"{what}: {status} with Content-Type {ctype!r}: {body[:300]!r}"
    try:
        doc = json.loads(body)
    except ValueError:
        raise AssertionError(f"{what}: {status} body is not JSON: {body[:300]!r}")
    assert isinstance(doc, dict) and isinstance(doc.get("message"), str) and doc["message"], \
        f"{what}: body is not {{\"message\": ...}}: {doc!r}"
    text = body.decode("utf-8", "replace")
    assert ".java:" not in text and "\tat " not in text and "Exception" not in text, \
        f"{what}: the answer leaks internals: {text[:500]}"


@pytest.fixture(scope="module")
def target_repo(tarn_server):
    """A repository with main (one committed object), `dev`, and `staged` (an uncommitted object):
    the targets of the rejected writes."""
    repo_id = "malformed-" + uuid.uuid4().hex[:8]
    with tarn_server.session() as http:
        r = http.post("/api/v0/repositories", json={
            "id": repo_id, "storage_namespace": tarn_server.namespace(repo_id), "default_branch": "main"})
        assert r.status_code == 201, r.text
        r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/objects",
                      params={"path": "existing.txt"}, files={"content": ("content", b"hello\n")})
        assert r.status_code == 201, r.text
        r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/commits", json={"message": "first"})
        assert r.status_code == 201, r.text
        r = http.post(f"/api/v0/repositories/{repo_id}/branches", json={"name": "dev", "source": "main"})
        assert r.status_code == 201, r.text
        r = http.post(f"/api/v0/repositories/{repo_id}/branches", json={"name": "staged", "source": "main"})
        assert r.status_code == 201, r.text
        r = http.post(f"/api/v0/repositories/{repo_id}/branches/staged/objects",
                      params={"path": "pending.txt"}, files={"content": ("content", b"not committed\n")})
        assert r.status_code == 201, r.text
    return repo_id


@pytest.fixture
def unchanged(tarn_server, target_repo, http):
    """Checks after the test that the server is healthy and nothing was written."""
    before = snapshot(http, target_repo)
    yield
    assert tarn_server.alive(), "the server process died"
    assert tarn_server.healthy(), "/_health is not 200 after the malformed request"
    with tarn_server.session() as fresh:
        after = snapshot(fresh, target_repo)
    assert after == before, "something was written by a rejected request"


# ---- JSON bodies -----------------------------------------------------------------------------

def post_raw_json(http, url, data: bytes, content_type="application/json"):
    return http.post(url, data=data, headers={"Content-Type": content_type})


BROKEN_JSON = [
    b'{"id": "broken-json", "storage_namespace": "local://broken-json"',
    b'{"id": "broken-json", "storage_namespace": }',
    b'{"id": \'single-quotes\'}',
    b"{id: broken-json}",
    b'{"id": "broken-json",, "storage_namespace": "local://x"}',
    b"",
    b"   ",
    b'{"id": "bad-utf8-\xff\xfe", "storage_namespace": "local://bad-utf8"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"id": "trailing-garbage", "storage_namespace": "local://tg"} xyz',
]


@pytest.mark.parametrize("body", BROKEN_JSON, ids=lambda b: repr(b[:30]))
def test_broken_json_in_create_repository(http, unchanged, body):
    r = post_raw_json(http, "/api/v0/repositories", body)
    assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, repr(body[:40]))


WRONG_TYPES_REPOSITORY = [
    [],
    "a string",
    42,
    None,
    {"id": 123, "storage_namespace": "local://wrong-types"},
    {"id": "wrong-types-ns", "storage_namespace": 5},
    {"id": "wrong-types-ns2", "storage_namespace": ["local://x"]},
    {"id": "wrong-types-br", "storage_namespace": "local://wrong-types-br", "default_branch": {"a": 1}},
    {"id": ["wrong-types-arr"], "storage_namespace": "local://wrong-types-arr"},
    {"id": True, "storage_namespace": "local://wrong-types-bool"},
]


@pytest.mark.parametrize("doc", WRONG_TYPES_REPOSITORY, ids=lambda d: json.dumps(d)[:40])
def test_wrong_json_types_in_create_repository(http, unchanged, doc):
    r = post_raw_json(http, "/api/v0/repositories", json.dumps(doc).encode())
    assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, json.dumps(doc))


WRONG_TYPES_BRANCH = [
    {"name": 5, "source": "main"},
    {"name": "wrong-source", "source": ["main"]},
    {"name": None, "source": "main"},
    {"name": {"x": 1}, "source": "main"},
    ["wrong", "main"],
]


@pytest.mark.parametrize("doc", WRONG_TYPES_BRANCH, ids=lambda d: json.dumps(d)[:40])
def test_wrong_json_types_in_create_branch(http, target_repo, unchanged, doc):
    r = post_raw_json(http, f"/api/v0/repositories/{target_repo}/branches", json.dumps(doc).encode())
    assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, json.dumps(doc))


WRONG_TYPES_COMMIT = [
    {"message": 7},
    {"message": ["a"]},
    {"message": "metadata values must be strings", "metadata": {"k": 1}},
    {"message": "metadata must be an object", "metadata": ["k", "v"]},
    "just a string",
]


@pytest.mark.parametrize("doc", WRONG_TYPES_COMMIT, ids=lambda d: json.dumps(d)[:40])
def test_wrong_json_types_in_commit(http, target_repo, unchanged, doc):
    # `staged` has an uncommitted object: a commit that went through would empty its diff
    r = post_raw_json(http, f"/api/v0/repositories/{target_repo}/branches/staged/commits",
                      json.dumps(doc).encode())
    assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, json.dumps(doc))


# ---- multipart uploads -----------------------------------------------------------------------

BOUNDARY = "tarnboundary" + "0123456789abcdef"


def multipart(parts, boundary=BOUNDARY, close=True) -> bytes:
    out = b""
    for name, data in parts:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{name}\"\r\n\r\n").encode() + data + b"\r\n"
    if close:
        out += f"--{boundary}--\r\n".encode()
    return out


MULTIPART_CASES = {
    "part named file, not content": (f"multipart/form-data; boundary={BOUNDARY}",
                                     multipart([("file", b"some bytes")])),
    "no parts at all": (f"multipart/form-data; boundary={BOUNDARY}", multipart([])),
    "empty body": (f"multipart/form-data; boundary={BOUNDARY}", b""),
    "no boundary parameter": ("multipart/form-data", multipart([("content", b"x")])),
    "boundary never closed": (f"multipart/form-data; boundary={BOUNDARY}",
                              multipart([("content", b"unterminated")], close=False)),
    "not multipart at all (json)": ("application/json", b'{"content": "x"}'),
    "no content type": (None, b"raw bytes"),
    "garbage instead of parts": (f"multipart/form-data; boundary={BOUNDARY}", b"\x00\x01garbage" * 100),
}


@pytest.mark.parametrize("case", list(MULTIPART_CASES))
def test_upload_with_malformed_multipart(http, target_repo, unchanged, case):
    ctype, body = MULTIPART_CASES[case]
    headers = {"Content-Type": ctype} if ctype else {}
    r = http.post(f"/api/v0/repositories/{target_repo}/branches/dev/objects",
                  params={"path": f"malformed/{case.replace(' ', '-')}"}, data=body, headers=headers)
    assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, case)


# ---- bodies cut short ------------------------------------------------------------------------

def test_json_body_cut_short(tarn_server, unchanged):
    body = json.dumps({"id": "cut-short", "storage_namespace": tarn_server.namespace("cut-short"),
                       "default_branch": "main"}).encode()
    head = request_head(tarn_server, "POST", "/api/v0/repositories",
                        ["Content-Type: application/json"], content_length=len(body) + 100)
    resp = raw_exchange(tarn_server, head, [body])
    assert_json_4xx(resp.status, resp.headers, resp.body, "JSON body shorter than Content-Length")


def test_multipart_body_cut_short(tarn_server, target_repo, unchanged):
    content = b"0123456789abcdef" * 65536  # 1 MiB
    body = multipart([("content", content)])
    sent = body[:len(body) // 2]
    head = request_head(tarn_server, "POST",
                        f"/api/v0/repositories/{target_repo}/branches/dev/objects?path=cut%2Fshort.bin",
                        [f"Content-Type: multipart/form-data; boundary={BOUNDARY}"],
                        content_length=len(body))
    resp = raw_exchange(tarn_server, head, [sent])
    assert_json_4xx(resp.status, resp.headers, resp.body, "multipart body shorter than Content-Length")


def test_chunked_body_cut_short(tarn_server, target_repo, unchanged):
    part = multipart([("content", b"x" * 100_000)])
    chunk = part[:60_000]
    head = request_head(tarn_server, "POST",
                        f"/api/v0/repositories/{target_repo}/branches/dev/objects?path=cut%2Fchunked.bin",
                        [f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
                         "Transfer-Encoding: chunked"])
    resp = raw_exchange(tarn_server, head, [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"])
    assert_json_4xx(resp.status, resp.headers, resp.body, "chunked body without its last chunk")


def test_upload_connection_closed_midway(tarn_server, target_repo, unchanged):
    """The client goes away for good: there is no one to answer, but nothing may be written."""
    body = multipart([("content", b"y" * (4 << 20))])
    head = request_head(tarn_server, "POST",
                        f"/api/v0/repositories/{target_repo}/branches/dev/objects?path=cut%2Fgone.bin",
                        [f"Content-Type: multipart/form-data; boundary={BOUNDARY}"],
                        content_length=len(body))
    sock = socket.create_connection(("127.0.0.1", tarn_server.port), timeout=30)
    sock.sendall(head.encode() + body[:len(body) // 2])
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()  # RST
    # `unchanged` checks the branch after the server noticed; give it a moment through a request
    with tarn_server.session() as s:
        r = s.get(f"/api/v0/repositories/{target_repo}/refs/dev/objects/stat", params={"path": "cut/gone.bin"})
        assert r.status_code == 404, r.text


# ---- headers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/api/v0/repositories", "/_health", "/swagger.json"])
def test_ten_megabyte_header(tarn_server, unchanged, target):
    big = "X-Big: " + "a" * (10 * 1024 * 1024) + "\r\n"
    head = f"GET {target} HTTP/1.1\r\nHost: localhost:{tarn_server.port}\r\nConnection: close\r\n"
    head += auth_header(tarn_server)
    payload = (head + big + "\r\n").encode()
    resp = raw_exchange(tarn_server, payload[:1024], [payload[i:i + 65536] for i in range(1024, len(payload), 65536)])
    assert_json_4xx(resp.status, resp.headers, resp.body, "10 MB header")
    assert resp.status == 431, resp


def test_many_headers(tarn_server, unchanged):
    headers = [f"X-H{i}: {'v' * 100}" for i in range(20000)]
    head = request_head(tarn_server, "GET", "/api/v0/repositories", headers)
    resp = raw_exchange(tarn_server, head)
    assert_json_4xx(resp.status, resp.headers, resp.body, "20,000 headers")


# ---- paths with .., NUL and bad encodings ----------------------------------------------------

def path_cases(repo):
    return [
        ("GET", "/api/v0/repositories/../../../../etc/passwd"),
        ("GET", "/api/v0/repositories/%2e%2e/branches"),
        ("GET", "/api/v0/repositories/..%2f..%2f..%2fetc%2fpasswd"),
        ("GET", "/api/v0/repositories/%2e%2e%2f%2e%2e%2fetc/branches"),
        ("GET", f"/api/v0/repositories/{repo}/branches/..%2f..%2fmain"),
        ("GET", f"/api/v0/repositories/{repo}/refs/..%2fmain/objects?path=existing.txt"),
        ("GET", f"/api/v0/repositories/{repo}/refs/main/../../../../../etc/passwd"),
        ("GET", "/api/v0/repositories/te%00st"),
        ("GET", f"/api/v0/repositories/{repo}%00/branches"),
        ("GET", f"/api/v0/repositories/{repo}/branches/main%00"),
        ("GET", f"/api/v0/repositories/{repo}/refs/main/objects?path=existing.txt%00"),
        ("GET", f"/api/v0/repositories/{repo}/refs/main/objects/stat?path=%00"),
        ("GET", "/api/v0/repositories/%zz"),
        ("GET", f"/api/v0/repositories/{repo}/refs/main/objects?path=%zz"),
        ("GET", "/api/v0/repositories/%ff%fe"),
        ("DELETE", f"/api/v0/repositories/{repo}/branches/dev/objects?path=existing.txt%00"),
        ("DELETE", f"/api/v0/repositories/{repo}%00"),
        ("DELETE", f"/api/v0/repositories/{repo}/branches/dev%00"),
        ("DELETE", f"/api/v0/repositories/{repo}/branches/..%2fdev"),
    ]


@pytest.mark.parametrize("index", range(19))
def test_dot_dot_nul_and_bad_encoding_in_paths(tarn_server, target_repo, unchanged, index):
    method, target = path_cases(target_repo)[index]
    resp = raw_exchange(tarn_server, request_head(tarn_server, method, target, content_length=0))
    assert_json_4xx(resp.status, resp.headers, resp.body, f"{method} {target}")
    assert b"root:" not in resp.body


def upload_target(repo, branch, path_query):
    return f"/api/v0/repositories/{repo}/branches/{branch}/objects?path={path_query}"


UPLOAD_PATH_CASES = [
    ("dev", "nul%00byte.txt"),
    ("dev", "%00"),
    ("dev", "a%00%2F..%2F..%2Fetc%2Fpasswd"),
    ("dev", "%zz"),
    ("dev", "%ff%fe"),
    ("dev", ""),
    ("dev%00", "x.txt"),
    ("..%2fdev", "x.txt"),
    ("%2e%2e", "x.txt"),
]


@pytest.mark.parametrize("branch,path_query", UPLOAD_PATH_CASES)
def test_upload_with_bad_path_or_branch(tarn_server, target_repo, unchanged, branch, path_query):
    body = multipart([("content", b"must not be written")])
    head = request_head(tarn_server, "POST", upload_target(target_repo, branch, path_query),
                        [f"Content-Type: multipart/form-data; boundary={BOUNDARY}"],
                        content_length=len(body))
    resp = raw_exchange(tarn_server, head, [body])
    assert_json_4xx(resp.status, resp.headers, resp.body, f"upload {branch} {path_query}")


@pytest.mark.parametrize("doc", [
    {"name": "nul\u0000branch", "source": "main"},
    {"name": "..", "source": "main"},
    {"name": "../../escape", "source": "main"},
    {"name": "ok-name", "source": "main\u0000"},
    {"name": "ok-name2", "source": "../main"},
])
def test_create_branch_with_dot_dot_or_nul(http, target_repo, unchanged, doc):
    r = http.post(f"/api/v0/repositories/{target_repo}/branches", json=doc)
    assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, json.dumps(doc))


@pytest.mark.parametrize("doc", [
    {"id": "nul\u0000repo", "storage_namespace": "local://nul-repo"},
    {"id": "..", "storage_namespace": "local://dotdot-repo"},
    {"id": "../escape", "storage_namespace": "local://escape-repo"},
    {"id": "nul-namespace", "storage_namespace": "local://nul\u0000namespace"},
])
def test_create_repository_with_dot_dot_or_nul(http, unchanged, doc):
    r = http.post("/api/v0/repositories", json=doc)
    assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, json.dumps(doc))


def test_dot_dot_in_object_path_stays_inside_the_repository(tarn_server, http, tmp_path):
    """`..` inside an object path is an ordinary key (as in S3 and lakeFS), never a file-system
    path: if the server accepts it, the object is stored in the repository under exactly that key
    and nothing appears outside the server's blockstore."""
    repo_id = "dotdot-" + uuid.uuid4().hex[:8]
    r = http.post("/api/v0/repositories", json={"id": repo_id, "default_branch": "main",
                                                "storage_namespace": tarn_server.namespace(repo_id)})
    assert r.status_code == 201, r.text
    key = "../../../../../../tmp/tarn-escape-" + uuid.uuid4().hex
    marker = b"dot-dot payload " + uuid.uuid4().hex.encode()
    r = http.post(f"/api/v0/repositories/{repo_id}/branches/main/objects", params={"path": key},
                  files={"content": ("content", marker)})
    if 400 <= r.status_code < 500:
        assert_json_4xx(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content, key)
    else:
        assert r.status_code == 201, r.text
        assert r.json()["path"] == key
        r = http.get(f"/api/v0/repositories/{repo_id}/refs/main/objects", params={"path": key})
        assert r.status_code == 200 and r.content == marker
    escaped = Path("/tmp") / key.rsplit("/", 1)[1]
    assert not escaped.exists(), f"the object's bytes escaped to {escaped}"
