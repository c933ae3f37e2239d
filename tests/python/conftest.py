"""Shared fixtures for the Python suites: real Tarn servers started from target/tarn.jar.

Fixtures
  tarn_server      (session) a server on a free port, local blockstore, temp data dir
  s3_tarn_server   (session) the same with blockstore.type=s3 against S3Proxy (bucket storage-bucket)
  client           (session) a bravado SwaggerClient built exactly like the seed page's
  repo             a fresh repository (unique id, default branch main) on tarn_server
  http             a requests.Session with basic auth whose relative URLs go to tarn_server
  tarn_factory     (session) start extra servers: tarn_factory.start(name, **options)

Servers are stopped at the end of the session; when any test failed, the tail of every server's log
is printed in the terminal summary.

Tests never talk to a stranger: before a server starts, its port must be free (else PortTakenError,
naming the port and, when ss or /proc tell, the process holding it); once started, the instance id it
prints (`... instance <uuid>`) must be what `/_health` answers in `X-Tarn-Instance`, on 127.0.0.1 and
on localhost (else StrangerError); and before every test each running server must still be alive
(and, on a fixed port, still be the one answering there).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Optional

import pytest
import requests

# bravado and requests honour *_proxy variables; every test talks to this machine only.
os.environ["NO_PROXY"] = "localhost,127.0.0.1"
os.environ["no_proxy"] = "localhost,127.0.0.1"

REPO_ROOT = Path(__file__).resolve().parents[2]
JAR = REPO_ROOT / "target" / "tarn.jar"

# Installation credentials of the default test server (the shape of lakeFS keys: AKIAJ + 14 + Q).
TEST_ACCESS_KEY_ID = "AKIAJTARNTESTKEY0001Q"
TEST_SECRET_ACCESS_KEY = "tarnTestSecretKey0000000000000000000000x"
TEST_USER = "tester"
TEST_ENCRYPT_KEY = "tarn-test-encryption-secret-not-for-production"

S3_BUCKET = "storage-bucket"
S3_ACCESS_KEY_ID = "tarn-test-s3proxy"
S3_SECRET_ACCESS_KEY = "s3proxy-credential-for-tests"

START_TIMEOUT_S = float(os.environ.get("TARN_TEST_START_TIMEOUT", "180"))
# what a Tarn process prints once at start ("... instance <uuid>") and answers in /_health's header
INSTANCE_LINE = re.compile(r"\binstance ([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b")
INSTANCE_HEADER = "X-Tarn-Instance"
LOG_TAIL_LINES = 80

_build_lock = threading.Lock()
_jar_built = False
_jar_error: Optional[str] = None
_java_home: Optional[str] = None


# ----------------------------------------------------------------------------------------------
# helpers

def java_home() -> str:
    """JAVA_HOME of a JDK >= 21, chosen by scripts/java-home.sh (the same one ./tarn uses)."""
    global _java_home
    if _java_home is None:
        out = subprocess.run(
            ["bash", "-c", '. scripts/java-home.sh >&2 && printf %s "$JAVA_HOME"'],
            cwd=REPO_ROOT, capture_output=True, text=True)
        if out.returncode != 0 or not out.stdout:
            raise RuntimeError("no JDK 21+ found by scripts/java-home.sh: " + out.stderr)
        _java_home = out.stdout
    return _java_home


def ensure_jar() -> Path:
    """Builds target/tarn.jar once per session if missing or stale (`./tarn --help` does that)."""
    global _jar_built, _jar_error
    with _build_lock:
        if _jar_error is not None:  # tried once this session: do not rebuild for every test
            raise RuntimeError(_jar_error)
        if not _jar_built:
            out = subprocess.run(["./tarn", "--help"], cwd=REPO_ROOT, capture_output=True,
                                 text=True, stdin=subprocess.DEVNULL)
            if out.returncode != 0 or not JAR.is_file():
                _jar_error = ("building/starting target/tarn.jar with `./tarn --help` failed "
                              f"(exit {out.returncode}):\n{out.stdout[-4000:]}\n{out.stderr[-4000:]}")
                raise RuntimeError(_jar_error)
            _jar_built = True
    return JAR


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:port (connections in TIME_WAIT don't count: the
    server binds with SO_REUSEADDR as well)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def loopback_addresses() -> list:
    """127.0.0.1, ::1 and whatever `localhost` resolves to: where a client of localhost:PORT may land."""
    out = ["127.0.0.1", "::1"]
    try:
        for info in socket.getaddrinfo("localhost", None, type=socket.SOCK_STREAM):
            if info[4][0] not in out:
                out.append(info[4][0])
    except OSError:
        pass
    return out


def answering_addresses(port: int) -> list:
    """The loopback addresses on which something accepts a TCP connection on port."""
    found = []
    for host in loopback_addresses():
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.settimeout(0.5)
                if s.connect_ex((host, port)) == 0:
                    found.append(host)
        except OSError:
            pass
    return found


def port_holder(port: int) -> str:
    """Who listens on port, from `ss -ltnp` or else /proc; '' when neither tells."""
    try:
        out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True,
                             timeout=5, stdin=subprocess.DEVNULL)
        lines = [" ".join(line.split()) for line in out.stdout.splitlines() if line.strip()]
        if out.returncode == 0 and lines:
            described = []
            for line in lines:
                fields = line.split(" ")
                local = fields[3] if len(fields) > 3 else "?"
                users = re.findall(r'\("([^"]*)",pid=(\d+)', line)
                who = ", ".join(f"pid {pid} ({cmd})" for cmd, pid in users) or "a process ss cannot name"
                described.append(f"{who} listening on {local}")
            return "; ".join(described)
    except (OSError, subprocess.SubprocessError):
        pass
    return _proc_port_holder(port)


def _proc_port_holder(port: int) -> str:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f, None)
                for row in f:
                    cols = row.split()
                    if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(cols[9])
        except OSError:
            pass
    if not inodes:
        return ""
    holders = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
                    holders.append(f"pid {pid} ({cmd[:200]})")
                    break
        except OSError:
            continue
    return ", ".join(holders) or "a process this user cannot see"


class PortTakenError(RuntimeError):
    """The port a server was to start on is in use: nothing was started."""


class StrangerError(RuntimeError):
    """What answers on a server's port is not the process this fixture started."""


def check_port_free(port: int, what: str) -> None:
    """Raises PortTakenError naming the port and its holder unless nothing listens on it."""
    bindable = port_is_free(port)
    answering = answering_addresses(port)
    if bindable and not answering:
        return
    how = []
    if not bindable:
        how.append(f"127.0.0.1:{port} cannot be bound")
    if answering:
        how.append("something accepts connections on " + ", ".join(answering))
    holder = port_holder(port) or "an unknown process (neither ss nor /proc named it)"
    raise PortTakenError(
        f"port {port} is already in use ({'; '.join(how)}): held by {holder}. Not starting {what}: "
        f"its tests would talk to that process instead. Stop it, or wait until whatever uses port "
        f"{port} is done, and retry.")


def read_instance_id(log: Path, offset: int = 0) -> Optional[str]:
    """The instance id a Tarn process printed in its log after byte `offset` (where that process's
    output starts: a restarted server appends to the same log), or None (not yet)."""
    try:
        with open(log, "rb") as f:
            f.seek(offset)
            m = INSTANCE_LINE.search(f.read().decode("utf-8", "replace"))
    except OSError:
        return None
    return m.group(1).lower() if m else None


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            data = f.read().decode("utf-8", "replace")
        return "\n".join(data.splitlines()[-lines:])
    except OSError as e:
        return f"(no log: {e})"


def stop_process(proc: Optional[subprocess.Popen], grace: float = 30) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# ----------------------------------------------------------------------------------------------
# S3Proxy (an S3-compatible server on local disk), started with scripts/s3proxy.sh

class S3Proxy:
    """S3Proxy in its own JVM on a free port, files under a temp dir, bucket `storage-bucket`.

    Started and stopped with scripts/s3proxy.sh (start prints the endpoint once it answers; the
    instance also stops by itself when this test process exits).
    """

    def __init__(self, base_dir: Path):
        self.dir = base_dir / "s3proxy"
        self.data_dir = self.dir / "data"  # one folder per bucket
        self.log = self.dir / "s3proxy.log"
        self.endpoint = ""
        self.access_key_id = S3_ACCESS_KEY_ID
        self.secret_access_key = S3_SECRET_ACCESS_KEY
        self.log_tail = ""
        self._started = False

    def _script(self, *args) -> subprocess.CompletedProcess:
        env = dict(os.environ, JAVA_HOME=java_home(), S3PROXY_IDENTITY=self.access_key_id,
                   S3PROXY_CREDENTIAL=self.secret_access_key, S3PROXY_BUCKETS=S3_BUCKET,
                   S3PROXY_WATCH_PID=str(os.getpid()))
        return subprocess.run(["bash", str(REPO_ROOT / "scripts" / "s3proxy.sh"), *args, "0",
                               str(self.dir)], cwd=REPO_ROOT, env=env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=900)

    def start(self) -> "S3Proxy":
        if not (REPO_ROOT / "scripts" / "s3proxy.sh").is_file():
            raise RuntimeError("scripts/s3proxy.sh is missing: cannot start S3Proxy")
        self.dir.mkdir(parents=True, exist_ok=True)
        out = self._script("start")
        self._started = out.returncode == 0
        endpoint = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
        if out.returncode != 0 or not endpoint.startswith("http://"):
            raise RuntimeError(f"scripts/s3proxy.sh start failed (exit {out.returncode}):\n"
                               f"{out.stdout[-2000:]}\n{out.stderr[-4000:]}\nlog tail:\n{tail(self.log)}")
        self.endpoint = endpoint
        if not (self.data_dir / S3_BUCKET).is_dir():
            raise RuntimeError(f"S3Proxy started without the bucket folder {self.data_dir / S3_BUCKET}")
        return self

    def stop(self) -> None:
        if self._started:
            out = self._script("stop")
            if out.returncode != 0:
                print(f"scripts/s3proxy.sh stop failed: {out.stderr[-2000:]}")
            self._started = False
        self.log_tail = tail(self.log)


# ----------------------------------------------------------------------------------------------
# Tarn server

class TarnServer:
    """One `java -jar target/tarn.jar run` process with its own temp data dir.

    Options: port (default: a free one), blockstore ('local' | 's3' | 'mem'), s3 (an S3Proxy for
    blockstore 's3'), access_key_id / secret_access_key / user_name (installation credentials),
    java_opts (a list, e.g. ['-Xmx256m']), launcher (start with `./tarn run` and TARN_JAVA_OPTS
    instead of `java -jar target/tarn.jar run`), config (extra {'key.name': value} settings, passed as
    TARN_* environment variables), installation (False: no installation.* settings, the server starts
    uninitialized), args (extra arguments after `run`, e.g. ['--quickstart']), wrapper (a command the
    server runs under, e.g. ['strace', '-f', ...]: the process started is the wrapper's).
    run_cli(*args) runs another tarn command (e.g. `superuser`) with this server's settings.
    """

    def __init__(self, name: str, base_dir: Path, port: Optional[int] = None,
                 blockstore: str = "local", s3: Optional[S3Proxy] = None,
                 access_key_id: str = TEST_ACCESS_KEY_ID,
                 secret_access_key: str = TEST_SECRET_ACCESS_KEY,
                 user_name: str = TEST_USER, java_opts: Optional[list] = None,
                 launcher: bool = False,
                 config: Optional[dict] = None,
                 installation: bool = True,
                 args: Optional[list] = None,
                 wrapper: Optional[list] = None):
        self.name = name
        self.data_dir = base_dir / name
        n = 1
        while self.data_dir.exists():
            n += 1
            self.data_dir = base_dir / f"{name}-{n}"
        self.data_dir.mkdir(parents=True)
        self.log = self.data_dir / "server.log"
        self.fixed_port = port is not None
        self.port = port if port is not None else free_port()
        self.instance_id: Optional[str] = None
        self.url = f"http://localhost:{self.port}"
        self.auth_host = f"localhost:{self.port}"
        self.blockstore = blockstore
        self.s3 = s3
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.user_name = user_name
        self.java_opts = list(java_opts or [])
        self.launcher = launcher
        self.config = dict(config or {})
        self.installation = installation
        self.args = list(args or [])
        self.wrapper = list(wrapper or [])
        self.proc: Optional[subprocess.Popen] = None
        self.log_offset = 0
        self.log_tail = ""
        self.ns_prefix = "repos"

    # -- configuration ---------------------------------------------------------------------
    def settings(self) -> dict:
        s = {
            "listen_address": f"127.0.0.1:{self.port}",
            "database.type": "local",
            "database.local.path": str(self.data_dir / "metadata"),
            "blockstore.type": self.blockstore,
            "committed.local_cache.dir": str(self.data_dir / "cache"),
            "auth.encrypt.secret_key": TEST_ENCRYPT_KEY,
        }
        if self.installation:
            s.update({
                "installation.user_name": self.user_name,
                "installation.access_key_id": self.access_key_id,
                "installation.secret_access_key": self.secret_access_key,
            })
        if self.blockstore == "local":
            s["blockstore.local.path"] = str(self.data_dir / "blocks")
        if self.blockstore == "s3":
            if self.s3 is None:
                raise ValueError("blockstore s3 needs an S3Proxy")
            s.update({
                "blockstore.s3.endpoint": self.s3.endpoint,
                "blockstore.s3.region": "us-east-1",
                "blockstore.s3.force_path_style": "true",
                "blockstore.s3.credentials.access_key_id": self.s3.access_key_id,
                "blockstore.s3.credentials.secret_access_key": self.s3.secret_access_key,
            })
        s.update(self.config)
        return s

    @staticmethod
    def env_name(key: str) -> str:
        return "TARN_" + key.upper().replace(".", "_").replace("-", "_")

    def namespace(self, repo_id: str) -> str:
        """A storage namespace for a new repository, valid for this server's blockstore."""
        if self.blockstore == "local":
            return f"local://{self.ns_prefix}/{repo_id}"
        if self.blockstore == "s3":
            return f"s3://{S3_BUCKET}/{self.name}/{self.ns_prefix}/{repo_id}"
        if self.blockstore == "mem":
            return f"mem://{self.name}-{repo_id}"
        raise ValueError(self.blockstore)

    # -- life cycle ------------------------------------------------------------------------
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TARN_", "LAKEFS_"))}
        env["JAVA_HOME"] = java_home()
        env["HOME"] = str(self.data_dir)
        for k, v in self.settings().items():
            env[self.env_name(k)] = str(v)
        return env

    def run_cli(self, *args, timeout: float = 300) -> subprocess.CompletedProcess:
        """`java -jar target/tarn.jar ARGS...` with this server's settings (text output)."""
        jar = ensure_jar()
        cmd = [str(Path(java_home()) / "bin" / "java"), *self.java_opts, f"-Duser.home={self.data_dir}",
               "-jar", str(jar), *args]
        return subprocess.run(cmd, cwd=self.data_dir, env=self.env(), capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=timeout)

    def start(self) -> "TarnServer":
        jar = ensure_jar()
        check_port_free(self.port, f"the tarn server {self.name!r}")
        env = self.env()
        # anything that would default to ~/tarn lands in this server's temp dir
        java_opts = [*self.java_opts, f"-Duser.home={self.data_dir}"]
        if self.launcher:
            # the user's command: ./tarn run, JVM options through TARN_JAVA_OPTS (it execs java)
            env["TARN_JAVA_OPTS"] = " ".join(java_opts)
            cmd = [str(REPO_ROOT / "tarn"), "run", *self.args]
        else:
            cmd = [str(Path(java_home()) / "bin" / "java"), *java_opts, "-jar", str(jar), "run", *self.args]
        cmd = [*self.wrapper, *cmd]
        with open(self.log, "ab") as log:
            self.log_offset = log.tell()
            if self.launcher:
                log.write(f"$ TARN_JAVA_OPTS='{env['TARN_JAVA_OPTS']}' ".encode())
            log.write(("$ " + " ".join(cmd) + "\n").encode())
            log.flush()
            self.proc = subprocess.Popen(cmd, cwd=self.data_dir, env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT)
        try:
            self._wait_ready()
        except Exception:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        """Waits until the process has printed its instance id and /_health answers with it."""
        what = f"tarn server {self.name!r} (pid {self.proc.pid})"
        deadline = time.monotonic() + timeout
        last, foreign = None, None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                printed = read_instance_id(self.log, self.log_offset)
                note = ""
                if foreign is not None and foreign.lower() != printed:
                    note = (f"; meanwhile port {self.port} answered /_health with {INSTANCE_HEADER} {foreign!r}: "
                            f"another process holds it ({port_holder(self.port) or 'holder unknown'})")
                raise RuntimeError(f"{what} exited with code {self.proc.returncode} before it was ready"
                                   f"{note}; log tail ({self.log}):\n{tail(self.log)}")
            instance = read_instance_id(self.log, self.log_offset)
            try:
                r = requests.get(f"http://127.0.0.1:{self.port}/_health", timeout=2)
                last = f"HTTP {r.status_code}, {INSTANCE_HEADER} {r.headers.get(INSTANCE_HEADER)!r}"
                if r.status_code == 200 and instance is None:
                    # ours prints its id right after it starts listening: this may be ours or a stranger
                    foreign = r.headers.get(INSTANCE_HEADER, "(none)")
                if r.status_code == 200 and instance is not None:
                    self.instance_id = instance
                    self.verify_identity()
                    return
            except requests.RequestException as e:
                last = repr(e)
            time.sleep(0.2)
        raise RuntimeError(f"{what} not ready after {timeout:.0f}s on port {self.port} (instance id printed: "
                           f"{read_instance_id(self.log, self.log_offset)}; last /_health: {last}); log tail ({self.log}):\n"
                           f"{tail(self.log)}")

    def identity_problem(self) -> Optional[str]:
        """None when /_health on 127.0.0.1 and on localhost (the URL tests use) answers with this
        process's instance id; otherwise what answered instead."""
        for base in (f"http://127.0.0.1:{self.port}", self.url):
            try:
                r = requests.get(f"{base}/_health", timeout=10)
            except requests.RequestException as e:
                return f"{base}/_health failed: {e!r}"
            got = r.headers.get(INSTANCE_HEADER)
            if r.status_code != 200 or got is None or got.lower() != self.instance_id:
                return f"{base}/_health answered HTTP {r.status_code} with {INSTANCE_HEADER} {got!r}"
        return None

    def verify_identity(self) -> None:
        """Raises StrangerError unless this server is what answers on its port."""
        problem = self.identity_problem()
        if problem is not None:
            raise StrangerError(
                f"port {self.port} is not answered by the tarn server {self.name!r} started here (pid "
                f"{self.proc.pid}, instance {self.instance_id}, {'alive' if self.alive() else 'exited'}): "
                f"{problem}. Another process answers there ({port_holder(self.port) or 'holder unknown'}); "
                f"its answers must not be taken for this server's.")

    def check(self) -> None:
        """Fails clearly when the process has exited, or (fixed port) no longer answers its port."""
        if not self.alive():
            raise RuntimeError(f"tarn server {self.name!r} (pid {self.proc.pid if self.proc else None}) has exited"
                               f" with code {self.proc.returncode if self.proc else None}; log tail ({self.log}):\n"
                               f"{tail(self.log)}")
        if self.fixed_port:
            self.verify_identity()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def healthy(self) -> bool:
        """/_health answers 200 with this process's instance id."""
        return self.alive() and self.instance_id is not None and self.identity_problem() is None

    def stop(self) -> None:
        stop_process(self.proc)
        self.log_tail = tail(self.log)

    def session(self) -> "ApiSession":
        return ApiSession(self.url, (self.access_key_id, self.secret_access_key))

    def bravado_client(self):
        from bravado.client import SwaggerClient
        from bravado.requests_client import RequestsClient
        http_client = RequestsClient()
        http_client.set_basic_auth(self.auth_host, self.access_key_id, self.secret_access_key)
        return SwaggerClient.from_url(f"{self.url}/swagger.json", http_client=http_client,
                                      config={"validate_swagger_spec": False})

    def __repr__(self) -> str:
        return f"TarnServer({self.name!r}, {self.url}, blockstore={self.blockstore})"


class ApiSession(requests.Session):
    """requests.Session with basic auth whose relative URLs ('/api/v0/...') go to one server."""

    def __init__(self, base_url: str, auth: tuple):
        super().__init__()
        self.base_url = base_url
        self.auth = auth
        self.trust_env = False

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 120)
        return super().request(method, url, *args, **kwargs)


class GeneratedContent:
    """Deterministic content of any size, made on the fly (nothing held in memory or on disk):
    1 MiB pseudo-random blocks, each stamped with its index. md5/size are known after iterating."""

    BLOCK = 1 << 20

    def __init__(self, size: int, seed: int = 0):
        import hashlib
        import random
        self.size = size
        self._base = random.Random(seed).randbytes(self.BLOCK)
        self._md5 = hashlib.md5()

    def chunks(self):
        sent, index = 0, 0
        while sent < self.size:
            block = index.to_bytes(8, "big") + self._base[8:]
            block = block[:self.size - sent]
            self._md5.update(block)
            sent += len(block)
            index += 1
            yield block

    def md5(self) -> str:
        return self._md5.hexdigest()

    @staticmethod
    def expected_md5(size: int, seed: int = 0) -> str:
        g = GeneratedContent(size, seed)
        for _ in g.chunks():
            pass
        return g.md5()


class MultipartStream:
    """A multipart/form-data body with one file part, streamed with a Content-Length.

    `requests` reads `files=` into memory; pass this as `data=` instead:
        body = MultipartStream(content_chunks, size)
        http.post(url, params={"path": p}, data=body, headers=body.headers())
    Part name `content`, filename `content`, no part Content-Type: what bravado sends.
    """

    def __init__(self, chunks, size: int, name: str = "content"):
        self.boundary = uuid.uuid4().hex
        self._head = (f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                      f"filename=\"{name}\"\r\n\r\n").encode()
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._size = size
        self._parts = self._generate(iter(chunks))
        self._current, self._offset = b"", 0

    def _generate(self, chunks):
        yield self._head
        yield from chunks
        yield self._tail

    def headers(self) -> dict:
        return {"Content-Type": f"multipart/form-data; boundary={self.boundary}",
                "Content-Length": str(len(self))}

    def __len__(self) -> int:
        return len(self._head) + self._size + len(self._tail)

    def __iter__(self):
        if self._offset < len(self._current):
            yield self._current[self._offset:]
        self._current, self._offset = b"", 0
        yield from self._parts

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            return b"".join(self)
        out = []
        while n > 0:
            if self._offset >= len(self._current):
                self._current, self._offset = next(self._parts, b""), 0
                if not self._current:
                    break
            piece = self._current[self._offset:self._offset + n]
            self._offset += len(piece)
            n -= len(piece)
            out.append(piece)
        return b"".join(out)


class TarnFactory:
    """Starts servers (and S3Proxy) on demand; everything is stopped and removed at session end."""

    def __init__(self):
        self.base_dir = Path(tempfile.mkdtemp(prefix="tarn-pytest-"))
        self.servers: list[TarnServer] = []
        self._s3: Optional[S3Proxy] = None
        self.tails: list[tuple[str, str]] = []

    def s3proxy(self) -> S3Proxy:
        if self._s3 is None:
            self._s3 = S3Proxy(self.base_dir)
            try:
                self._s3.start()
            except Exception:
                self._s3.stop()
                self.tails.append(("S3Proxy", self._s3.log_tail))
                self._s3 = None
                raise
        return self._s3

    def start(self, name: str, **options) -> TarnServer:
        if options.get("blockstore") == "s3" and "s3" not in options:
            options["s3"] = self.s3proxy()
        server = TarnServer(name, self.base_dir, **options)
        self.servers.append(server)
        try:
            server.start()
        except Exception:
            if server.log_tail:
                self.tails.append((repr(server), server.log_tail))
            self.servers.remove(server)
            raise
        return server

    def stop(self, server: TarnServer) -> None:
        server.stop()
        self.tails.append((repr(server), server.log_tail))
        if server in self.servers:
            self.servers.remove(server)
        shutil.rmtree(server.data_dir, ignore_errors=True)

    def close(self) -> None:
        for server in list(self.servers):
            self.stop(server)
        if self._s3 is not None:
            self._s3.stop()
            self.tails.append(("S3Proxy", self._s3.log_tail))
        shutil.rmtree(self.base_dir, ignore_errors=True)


_factory: Optional[TarnFactory] = None


# ----------------------------------------------------------------------------------------------
# fixtures

@pytest.fixture(scope="session")
def tarn_factory():
    global _factory
    _factory = TarnFactory()
    yield _factory
    _factory.close()


@pytest.fixture(scope="session")
def tarn_server(tarn_factory) -> TarnServer:
    return tarn_factory.start("main")


@pytest.fixture(scope="session")
def s3_tarn_server(tarn_factory) -> TarnServer:
    return tarn_factory.start("s3", blockstore="s3")


@pytest.fixture(scope="session")
def client(tarn_server):
    return tarn_server.bravado_client()


def unique_repo_id(prefix: str = "repo") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def repo(tarn_server, client) -> str:
    repo_id = unique_repo_id()
    client.repositories.createRepository(repository={
        "id": repo_id,
        "storage_namespace": tarn_server.namespace(repo_id),
        "default_branch": "main",
    }).result()
    return repo_id


@pytest.fixture(autouse=True)
def servers_are_still_ours():
    """Before each test: every running server is alive, and a fixed-port one still answers its port."""
    if _factory is not None:
        for server in list(_factory.servers):
            server.check()
    yield


@pytest.fixture
def http(tarn_server):
    with tarn_server.session() as s:
        yield s


# ----------------------------------------------------------------------------------------------
# readable failures: print the server logs' tails when anything failed

def pytest_terminal_summary(terminalreporter, exitstatus, config):
    failed = terminalreporter.stats.get("failed") or terminalreporter.stats.get("error")
    if not failed or _factory is None:
        return
    for server in _factory.servers:  # still running (should not happen after teardown)
        _factory.tails.append((repr(server) + " (running)", tail(server.log)))
    for name, text in _factory.tails:
        terminalreporter.write_sep("-", f"log tail: {name}")
        terminalreporter.write_line(text or "(empty)")
