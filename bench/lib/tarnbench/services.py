"""Servers under test, each started on a free loopback port, pinned to the server core, and stopped
at the end: nginx (plain files), S3Proxy (filesystem backend, no auth) and the Tarn server."""
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import socket
import subprocess
import time
import urllib.parse

from . import proc


_next_port = None


def free_port():
    """A free port: any (the kernel's pick), or the next free one of BENCH_PORTS=LOW-HIGH when set."""
    global _next_port
    wanted = os.environ.get("BENCH_PORTS")
    if not wanted:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    low, high = (int(x) for x in wanted.split("-"))
    port = _next_port or low
    while port <= high:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                port += 1
                continue
        _next_port = port + 1
        return port
    raise RuntimeError(f"no free port in BENCH_PORTS={wanted}")


def wait_http(port, path, timeout=90, proc_handle=None, log=None, interval=0.1):
    """Polls http://127.0.0.1:port/path every `interval` s until it answers below 500."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc_handle is not None and proc_handle.poll() is not None:
            tail = open(log).read()[-4000:] if log and os.path.exists(log) else ""
            raise RuntimeError(f"server exited with {proc_handle.returncode} while starting:\n{tail}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            c.close()
            if r.status < 500:
                return
            last = f"status {r.status}"
        except OSError as e:
            last = str(e)
        time.sleep(interval)
    raise RuntimeError(f"nothing answered on port {port}{path} within {timeout}s ({last})")


class Service:
    name = "service"
    process = None
    port = None

    @property
    def pid(self):
        return self.process.pid if self.process else None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        proc.terminate(self.process)
        self.process = None


class Nginx(Service):
    """nginx with one worker serving `root` read-only, access log off, sendfile on."""
    name = "nginx"

    def __init__(self, ctx, root):
        self.ctx, self.root = ctx, root

    def start(self):
        d = os.path.join(self.ctx.workdir, "nginx")
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        self.port = free_port()
        conf = os.path.join(d, "nginx.conf")
        user = "user root;\n" if os.geteuid() == 0 else ""
        with open(conf, "w") as f:
            f.write(f"""{user}worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 120;
  default_type application/octet-stream;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.root};
    location / {{ }}
  }}
}}
""")
        log = os.path.join(d, "stderr.log")
        self.process = subprocess.Popen(["taskset", "-c", self.ctx.server_cpus, "nginx", "-c", conf, "-p", d],
                                        stdout=open(log, "w"), stderr=subprocess.STDOUT)
        wait_http(self.port, "/", 20, self.process, log)
        return self


class S3Proxy(Service):
    """S3Proxy (filesystem backend under the work folder), started through the project's
    scripts/s3proxy.sh with the same JVM options as the Tarn server. Clients reach it through
    presigned (SigV2 query string) URLs, so every request is authenticated as S3 clients' are."""
    name = "S3Proxy"
    identity, credential = "bench", "bench-secret"

    def __init__(self, ctx, buckets):
        self.ctx, self.buckets = ctx, buckets

    def start(self):
        self.dir = os.path.join(self.ctx.workdir, "s3proxy")
        os.makedirs(self.dir, exist_ok=True)
        env = dict(os.environ, S3PROXY_IDENTITY=self.identity, S3PROXY_CREDENTIAL=self.credential,
                   S3PROXY_BUCKETS=" ".join(self.buckets), S3PROXY_LOG_LEVEL="warn",
                   S3PROXY_JAVA_OPTS=" ".join(self.ctx.server_java_opts))
        res = proc.run(["taskset", "-c", self.ctx.server_cpus, "bash", self.ctx.s3proxy_script, "start",
                        str(free_port()) if os.environ.get("BENCH_PORTS") else "0", self.dir], env=env, timeout=600)
        endpoint = res["stdout"].strip().splitlines()[-1]
        self.port = int(endpoint.rsplit(":", 1)[1])
        with open(os.path.join(self.dir, "s3proxy.pid")) as f:
            self._pid = int(f.read().strip())
        return self

    @property
    def pid(self):
        return getattr(self, "_pid", None)

    def stop(self):
        if getattr(self, "_pid", None):
            proc.run(["bash", self.ctx.s3proxy_script, "stop", "0", self.dir], check=False, timeout=60)
            self._pid = None

    def presign(self, method, bucket, key, content_type="", expires=None):
        """A SigV2 query-string-signed target for `method` on bucket/key (key already URL-safe)."""
        expires = expires or int(time.time()) + 7 * 24 * 3600
        resource = f"/{bucket}/{key}"
        sts = f"{method}\n\n{content_type}\n{expires}\n{resource}"
        sig = base64.b64encode(hmac.new(self.credential.encode(), sts.encode(), hashlib.sha1).digest()).decode()
        return (f"{resource}?AWSAccessKeyId={self.identity}&Expires={expires}"
                f"&Signature={urllib.parse.quote(sig, safe='')}")


class Postgres(Service):
    """A throw-away PostgreSQL cluster (scripts/postgres.sh) for Tarn's metadata, pinned to the
    server core like every server under test; with durable settings when Tarn syncs (the default), so
    that both metadata stores keep what they acknowledge."""
    name = "PostgreSQL"

    def __init__(self, ctx):
        self.ctx = ctx
        self.script = os.path.join(os.path.dirname(ctx.s3proxy_script), "postgres.sh")

    def start(self):
        self.dir = os.path.join(self.ctx.workdir, "postgres")
        os.makedirs(self.dir, exist_ok=True)
        proc.run(["bash", self.script, "install"], timeout=900)
        env = dict(os.environ, POSTGRES_DURABLE="1" if self.ctx.sync else "0")
        res = proc.run(["taskset", "-c", self.ctx.server_cpus, "bash", self.script, "start", "0", self.dir],
                       env=env, timeout=300)
        self.url = res["stdout"].strip().splitlines()[-1]
        self.port = int(self.url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
        with open(os.path.join(self.dir, "postgres.pid")) as f:
            self._pid = int(f.read().strip())
        return self

    @property
    def pid(self):
        return getattr(self, "_pid", None)

    def stop(self):
        if getattr(self, "_pid", None):
            proc.run(["bash", self.script, "stop", "0", self.dir], check=False, timeout=120)
            self._pid = None


class TarnServer(Service):
    """The Tarn server from target/tarn.jar, on the data folder the harness seeded, its metadata in
    RocksDB (under that folder) or in the PostgreSQL of --kv postgres. `jar` runs another build
    instead; `poll` is the interval of the /_health polls at start, which bounds the error of
    `ready_seconds` (process start to the first answer); `launcher_flags` adds the JVM flags ./tarn
    adds (Context.launcher_jvm_flags)."""
    name = "Tarn"

    def __init__(self, ctx, data, kv="rocksdb", tag="", jar=None, poll=0.1, log_name="tarn-server",
                 launcher_flags=False):
        self.ctx, self.data, self.kv = ctx, data, kv
        self.jar, self.poll, self.log_name, self.launcher_flags = jar, poll, log_name, launcher_flags
        self.jit_warm = False  # its first wrk runs warm up longer (scenarios.wrk_runs)
        self.auth = None
        if kv == "postgres":
            self.name = "Tarn on PostgreSQL" + (f" {tag}" if tag else "")

    def start(self):
        self.port = free_port()
        log = os.path.join(self.ctx.workdir, f"{self.log_name}-{self.kv}-{self.port}.log")
        cmd, env = self.ctx.tarn_server_command(self.data, self.port, self.kv)
        at = cmd.index("-jar")
        if self.jar:
            cmd[at + 1] = self.jar
        if self.launcher_flags:
            # started as ./tarn starts it: its JVM defaults and the JVM's start-up cache of the jar (made
            # before the clock starts, once per jar, by its training run; a jar without one starts without it)
            cmd[at:at] = self.ctx.launcher_jvm_flags(cmd[at + 1], cmd[1:at])
        t0 = time.perf_counter()
        self.process = subprocess.Popen(["taskset", "-c", self.ctx.server_cpus] + cmd, env=env,
                                        stdout=open(log, "w"), stderr=subprocess.STDOUT)
        self.log = log
        wait_http(self.port, "/_health", 120, self.process, log, interval=self.poll)
        self.ready_seconds = time.perf_counter() - t0
        self.key_id, self.secret = self.ctx.tarn_credentials
        self.auth = "Basic " + base64.b64encode(f"{self.key_id}:{self.secret}".encode()).decode()
        status, body = self.request("GET", "/api/v0/repositories?amount=10")
        if status != 200:
            raise RuntimeError(f"listRepositories with the installation credentials answered {status}: {body[:500]!r}")
        time.sleep(1)
        self.start_rss = proc.rss_bytes(proc.main_process(self.pid))
        return self

    def request(self, method, path, body=None, auth=True, conn=None):
        c = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth:
            headers["Authorization"] = self.auth
        c.request(method, path, body=data, headers=headers)
        r = c.getresponse()
        out = r.read()
        if conn is None:
            c.close()
        return r.status, out


def presign_v4(method, host, path, key_id, secret, query=None, region="us-east-1", expires=7 * 24 * 3600,
               when=None, _keys={}):
    """A SigV4 query-string-signed request target (`path` already URL-safe, `query` plain text values), as
    S3 clients presign: signed header host, payload UNSIGNED-PAYLOAD. The signing key is cached per day."""
    t = when or datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = t.strftime("%Y%m%dT%H%M%SZ"), t.strftime("%Y%m%d")
    scope = f"{day}/{region}/s3/aws4_request"
    q = dict(query or {})
    q.update({"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": f"{key_id}/{scope}",
              "X-Amz-Date": amz_date, "X-Amz-Expires": str(expires), "X-Amz-SignedHeaders": "host"})
    enc = lambda s: urllib.parse.quote(s, safe="-_.~")
    canonical_query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(q.items()))
    canonical = "\n".join([method, path, canonical_query, f"host:{host}\n", "host", "UNSIGNED-PAYLOAD"])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    cache = (secret, day, region)
    if cache not in _keys:
        k = ("AWS4" + secret).encode()
        for part in (day, region, "s3", "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        _keys[cache] = k
    sig = hmac.new(_keys[cache], sts.encode(), hashlib.sha256).hexdigest()
    return f"{path}?{canonical_query}&X-Amz-Signature={sig}"
