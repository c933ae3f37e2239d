"""Acknowledged means on disk: the server runs under strace, and for each acknowledged upload and
commit the trace must show, before the response is written on the client's connection,
- every file renamed into the local block store (object data, range files, tree indexes) synced
  (fdatasync/fsync) after its last write and before its rename, and its folder synced after the rename;
- every append to the metadata store's write-ahead log synced.
The same checks run against a server started with `database.local.sync_writes=false` and
`blockstore.local.sync=false` must find the missing syncs (so the checks can fail).

Needs Debian's `strace` (scripts/test-all.sh installs it when missing).
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import time
import uuid
from base64 import b64encode
from pathlib import Path

import pytest

from conftest import unique_repo_id

SYNCS = ("fsync", "fdatasync", "sync_file_range")
WRITES = ("write", "writev", "pwrite64", "pwritev", "pwritev2", "sendto", "sendmsg")
RENAMES = ("rename", "renameat", "renameat2")
TRACED = ",".join(SYNCS + WRITES + RENAMES)

# `PID SECONDS.MICROS name(args) = result <duration>`, possibly split in "<unfinished ...>" and
# "<... name resumed>" halves when threads interleave
LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(.*)$")
CALL = re.compile(r"^(\w+)\((.*)$")
RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>(.*)$")
RESULT = re.compile(r"\)\s+=\s+(-?\d+|\?)[^<]*(?:<(\d+\.\d+)>)?\s*$")
FD_PATH = re.compile(r"^\d+<(.*?)>(?=[,)])")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def strace_binary():
    path = shutil.which("strace")
    if path is None:
        pytest.fail("strace is not installed (scripts/test-all.sh installs Debian's strace when missing)")
    return path


class Call:
    def __init__(self, pid, name, args, start):
        self.pid, self.name, self.args, self.start = pid, name, args, start
        self.end = start
        self.result = None

    @property
    def path(self):
        """The path of the first file-descriptor argument (strace -y), if any."""
        m = FD_PATH.match(self.args)
        return m.group(1) if m else None

    def finish(self, tail, ts):
        m = RESULT.search(tail)
        if m:
            self.result = m.group(1)
            if m.group(2):
                self.end = max(ts, self.start + float(m.group(2)))
            else:
                self.end = ts
        else:
            self.end = ts

    def __repr__(self):
        return f"{self.start:.6f}-{self.end:.6f} {self.pid} {self.name}({self.args[:160]}) = {self.result}"


def parse_trace(text):
    """The traced calls, in order of their start."""
    calls, pending = [], {}
    for raw in text.splitlines():
        m = LINE.match(raw)
        if not m:
            continue
        pid, ts, rest = int(m.group(1)), float(m.group(2)), m.group(3)
        r = RESUMED.match(rest)
        if r:
            call = pending.pop((pid, r.group(1)), None)
            if call is not None:
                call.args += r.group(2)
                call.finish(r.group(2), ts)
            continue
        c = CALL.match(rest)
        if not c:
            continue  # signals, exits
        call = Call(pid, c.group(1), c.group(2), ts)
        if rest.endswith("<unfinished ...>"):
            # strace writes "name(args <unfinished ...>": drop the space too, so that the resumed half
            # ") = 0 <0.000681>" joins the arguments as one call would have printed them
            call.args = call.args[: -len("<unfinished ...>")].rstrip()
            pending[(pid, call.name)] = call
        else:
            call.finish(rest, ts)
        calls.append(call)
    calls.sort(key=lambda c: c.start)
    return calls


def rename_paths(call):
    strings = STRING.findall(call.args)
    return (strings[0], strings[1]) if len(strings) >= 2 else (None, None)


def problems_before_response(calls, t_sent, client_port, blocks_root, metadata_dir, expect_under):
    """What is not on disk when the response to the request sent at `t_sent` from `client_port`
    starts being written. Returns (problems, the response call, a summary of what was checked)."""
    response = next((c for c in calls if c.start >= t_sent and c.name in WRITES and c.path
                     and f":{client_port}]" in c.path), None)
    if response is None:
        return [f"no response write on the connection from port {client_port} in the trace"], None, {}
    window = [c for c in calls if t_sent <= c.start < response.start]
    problems = []
    renames = []
    for c in window:
        if c.name not in RENAMES or c.result != "0":
            continue
        src, dst = rename_paths(c)
        if dst is None or not dst.startswith(blocks_root + "/"):
            continue
        renames.append(dst)
        writes = [w for w in calls if w.name in WRITES and w.path == src and w.start < c.start]
        last_write = max((w.end for w in writes), default=t_sent)
        synced = [s for s in calls if s.name in SYNCS and s.path == src and s.result == "0"
                  and s.start >= last_write and s.end <= c.start]
        if not synced:
            problems.append(f"{dst}: its data ({src}) was not synced between its last write and its rename")
        folder = os.path.dirname(dst)
        dir_synced = [s for s in window if s.name in SYNCS and s.path == folder and s.result == "0"
                      and s.start >= c.end and s.end <= response.start]
        if not dir_synced:
            problems.append(f"{dst}: its folder {folder} was not synced after the rename, before the response")
    for want in expect_under:
        if not any(want in r for r in renames):
            problems.append(f"no file published under '{want}' during the request (renames seen: {renames})")
    wal = [c for c in window if c.name in WRITES and c.path and c.path.startswith(metadata_dir + "/")
           and c.path.endswith(".log")]
    if not wal:
        problems.append("no write to the metadata store's write-ahead log during the request")
    for w in wal:
        synced = [s for s in calls if s.name in SYNCS and s.path == w.path and s.result == "0"
                  and s.start >= w.end and s.end <= response.start]
        if not synced:
            near = [repr(s) for s in calls if s.name in SYNCS and s.path == w.path
                    and w.start - 0.5 <= s.start <= response.end + 0.5]
            problems.append(f"write-ahead log append {w!r} not synced before the response {response!r}; "
                            f"syncs of that log near it: {near}")
    summary = {"renames": renames, "wal_writes": len(wal),
               "syncs": sum(1 for c in window if c.name in SYNCS)}
    return problems, response, summary


class Client:
    """One keep-alive HTTP connection whose local port identifies it in the trace."""

    def __init__(self, server):
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        self.conn.connect()
        self.port = self.conn.sock.getsockname()[1]
        token = b64encode(f"{server.access_key_id}:{server.secret_access_key}".encode()).decode()
        self.auth = f"Basic {token}"

    def request(self, method, path, body=b"", headers=None):
        h = {"Authorization": self.auth, "Content-Length": str(len(body))}
        h.update(headers or {})
        t_sent = time.time()
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, data, t_sent

    def close(self):
        self.conn.close()


def multipart(content):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"content\"; filename=\"content\"\r\n\r\n"
            .encode() + content + f"\r\n--{boundary}--\r\n".encode())
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def traced_server(tarn_factory, tmp_path, sync):
    trace = tmp_path / f"strace-{'sync' if sync else 'nosync'}.txt"
    wrapper = [strace_binary(), "-f", "-qq", "-ttt", "-T", "-yy", "-s", "48", "--seccomp-bpf",
               "-e", f"trace={TRACED}", "-e", "signal=none", "-o", str(trace)]
    config = {} if sync else {"database.local.sync_writes": "false", "blockstore.local.sync": "false"}
    server = tarn_factory.start("strace-sync" if sync else "strace-nosync", wrapper=wrapper, config=config,
                                java_opts=["-Xmx256m", "-XX:TieredStopAtLevel=1"])
    return server, trace


def stop_traced(tarn_factory, server):
    """Stops the server (the child of strace), then strace, which exits with it."""
    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children")
    pids = children.read_text().split() if children.exists() else []
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        server.proc.wait(60)
    except Exception:  # noqa: BLE001 - the fixture's stop kills what is left
        pass
    tarn_factory.stop(server)


def run_workload(server):
    """Creates a repository, uploads three objects and commits, each on one connection; returns the
    acknowledged requests as (what, t_sent, client port, folders that must get a published file)."""
    repo = unique_repo_id("durable")
    c = Client(server)
    acknowledged = []
    try:
        status, data, _ = c.request("POST", "/api/v0/repositories", json.dumps(
            {"id": repo, "storage_namespace": server.namespace(repo), "default_branch": "main"}).encode(),
            {"Content-Type": "application/json"})
        assert status == 201, data
        for i in range(3):
            content = hashlib.sha256(f"object {i}".encode()).digest() * 128  # 4 KiB
            body, headers = multipart(content)
            status, data, t_sent = c.request(
                "POST", f"/api/v0/repositories/{repo}/branches/main/objects?path=dir/obj-{i}.bin", body, headers)
            assert status == 201, data
            acknowledged.append((f"upload {i}", t_sent, c.port, ["/data/"]))
        status, data, t_sent = c.request("POST", f"/api/v0/repositories/{repo}/branches/main/commits",
                                         json.dumps({"message": "durable"}).encode(),
                                         {"Content-Type": "application/json"})
        assert status == 201, data
        acknowledged.append(("commit", t_sent, c.port, ["/_tarn/ranges/", "/_tarn/trees/"]))
    finally:
        c.close()
    return acknowledged


def check_trace(server, trace, acknowledged):
    calls = parse_trace(trace.read_text(errors="replace"))
    blocks_root = os.path.realpath(server.data_dir / "blocks")
    metadata_dir = os.path.realpath(server.data_dir / "metadata")
    report = {}
    for what, t_sent, port, expect in acknowledged:
        problems, response, summary = problems_before_response(calls, t_sent, port, blocks_root, metadata_dir,
                                                               expect)
        report[what] = (problems, summary)
    return report


def test_acknowledged_uploads_and_commits_are_synced_before_the_answer(tarn_factory, tmp_path):
    server, trace = traced_server(tarn_factory, tmp_path, sync=True)
    try:
        acknowledged = run_workload(server)
    finally:
        stop_traced(tarn_factory, server)
    report = check_trace(server, trace, acknowledged)
    failures = {what: problems for what, (problems, _) in report.items() if problems}
    assert not failures, json.dumps({"failures": failures, "checked": {w: s for w, (_, s) in report.items()}},
                                    indent=1)
    for what, (_, summary) in report.items():
        assert summary["syncs"] >= 3, (what, summary)  # data, folder and log at least


def test_the_check_finds_the_missing_syncs_when_sync_is_off(tarn_factory, tmp_path):
    server, trace = traced_server(tarn_factory, tmp_path, sync=False)
    try:
        acknowledged = run_workload(server)
    finally:
        stop_traced(tarn_factory, server)
    report = check_trace(server, trace, acknowledged)
    for what, (problems, summary) in report.items():
        joined = "\n".join(problems)
        assert "not synced between its last write and its rename" in joined, (what, problems, summary)
        assert "write-ahead log append" in joined, (what, problems, summary)
