"""bench/run's driver: parses the command line, runs the scenarios, writes the results."""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

from . import jfr, proc, report, scenarios, sysinfo
from .services import Postgres

BENCH_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROOT = os.path.dirname(BENCH_DIR)


TARN_KEY_ID, TARN_SECRET = "AKIABENCH0000000001", "bench-secret-key-0123456789"


class Context:
    def __init__(self, opts):
        self.size_name = opts.size
        self.size = scenarios.SIZES[opts.size]
        self.runs = opts.runs or self.size["runs"]
        self.java_home = os.environ["JAVA_HOME"]
        self.java = os.path.join(self.java_home, "bin", "java")
        self.jar = os.path.join(ROOT, "target", "tarn.jar")
        self.classes = os.path.join(ROOT, "target", "bench-classes")
        self.tarn_credentials = (TARN_KEY_ID, TARN_SECRET)
        self.s3proxy_script = os.path.join(ROOT, "scripts", "s3proxy.sh")
        base = opts.workdir or os.environ.get("TMPDIR") or "/tmp"
        os.makedirs(base, exist_ok=True)
        self.workdir = tempfile.mkdtemp(prefix="tarn-bench-", dir=base)
        cores = os.cpu_count() or 1
        # one core for the server under test, the other for the load generator
        self.server_cpus, self.client_cpus = ("0", "1") if cores >= 2 else ("0", "0")
        self.engine_java_opts = os.environ.get("BENCH_ENGINE_JAVA_OPTS", "-Xmx2g --enable-native-access=ALL-UNNAMED").split()
        self.server_java_opts = os.environ.get("BENCH_SERVER_JAVA_OPTS", "-Xmx1g --enable-native-access=ALL-UNNAMED").split()
        # --no-sync (or BENCH_TARN_SYNC=off): Tarn without database.local.sync_writes / blockstore.local.sync
        self.sync = not opts.no_sync and os.environ.get("BENCH_TARN_SYNC", "on").lower() not in ("off", "false", "0")
        # --kv rocksdb,postgres: the server scenarios also run Tarn on PostgreSQL (scripts/postgres.sh,
        # durable settings when Tarn syncs), beside Tarn on RocksDB
        self.kvs = [k.strip() for k in (opts.kv or "rocksdb").split(",") if k.strip()]
        unknown = [k for k in self.kvs if k not in ("rocksdb", "postgres")]
        if unknown or "rocksdb" not in self.kvs:
            raise SystemExit(f"bench/run: --kv takes rocksdb and optionally postgres (got {opts.kv!r})")
        self._postgres = None
        self.profile_dir = None
        self.recordings = []
        self.results = report.Results()
        self.memory = {}
        self.services = []
        self.current = None
        self._lake = None

    def lake(self):
        if self._lake is None:
            self._lake = scenarios.Lake(self)
        return self._lake

    def postgres(self):
        """The PostgreSQL of --kv postgres, started on first use (stopped by close)."""
        if self._postgres is None:
            self._postgres = Postgres(self).start()
            self.services.append(self._postgres)
        return self._postgres

    def harness(self, *args, kv="rocksdb"):
        """Runs one in-process engine subcommand of bench/java (unpinned: both cores), its metadata in
        RocksDB or (kv="postgres") in the PostgreSQL of --kv postgres."""
        opts = list(self.engine_java_opts) + [f"-Dtarn.bench.sync={str(self.sync).lower()}"]
        if kv == "postgres":
            opts.append(f"-Dtarn.bench.postgres={self.postgres().url}")
        if self.profile_dir:
            rec = os.path.join(self.profile_dir, f"engine-{args[0]}-{len(self.recordings) + 1}.jfr")
            self.recordings.append(rec)
            opts.append(jfr.flag(rec))
        cmd = [self.java] + opts + ["-cp", f"{self.classes}:{self.jar}",
                                                     "io.tarn.bench.Harness"] + list(args)
        res = proc.run(cmd)
        line = next((l for l in res["stdout"].splitlines() if l.startswith("BENCH_JSON ")), None)
        if line is None:
            raise RuntimeError(f"harness {args[0]} printed no result:\n{res['stdout'][-2000:]}\n{res['stderr'][-3000:]}")
        out = json.loads(line[len("BENCH_JSON "):])
        out["_cpu_seconds"] = res["cpu"]
        out["_wall_seconds"] = res["wall"]
        return out

    def tarn_server_command(self, data, port, kv="rocksdb"):
        """`java -jar target/tarn.jar run` on the seeded data folder, configured by environment."""
        env = dict(os.environ)
        env.update({
            "TARN_LISTEN_ADDRESS": f"127.0.0.1:{port}",
            "TARN_DATABASE_TYPE": "local",
            "TARN_DATABASE_LOCAL_PATH": os.path.join(data, "kv"),
            "TARN_BLOCKSTORE_TYPE": "local",
            "TARN_BLOCKSTORE_LOCAL_PATH": os.path.join(data, "blocks"),
            "TARN_COMMITTED_LOCAL_CACHE_DIR": os.path.join(data, "cache"),
            "TARN_AUTH_ENCRYPT_SECRET_KEY": "bench-encryption-key-0123456789",
            "TARN_INSTALLATION_USER_NAME": "bench",
            "TARN_INSTALLATION_ACCESS_KEY_ID": TARN_KEY_ID,
            "TARN_INSTALLATION_SECRET_ACCESS_KEY": TARN_SECRET,
            "TARN_DATABASE_LOCAL_SYNC_WRITES": str(self.sync).lower(),
            "TARN_BLOCKSTORE_LOCAL_SYNC": str(self.sync).lower(),
        })
        if kv == "postgres":
            env["TARN_DATABASE_TYPE"] = "postgres"
            env["TARN_DATABASE_POSTGRES_CONNECTION_STRING"] = self.postgres().url
        opts = list(self.server_java_opts)
        if self.profile_dir:
            opts.append(jfr.SERVER_FLAG)
        return [self.java] + opts + ["-jar", self.jar, "run"], env

    def launcher_jvm_flags(self, jar, opts):
        """The flags ./tarn adds to `opts` for `jar` (scripts/startup-cache.sh): its JVM defaults and the
        JVM's start-up cache, made first by its training run when missing."""
        out = subprocess.run(["bash", os.path.join(ROOT, "scripts", "startup-cache.sh"), jar, *opts],
                             env=dict(os.environ, JAVA_HOME=self.java_home), capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=900)
        if out.stderr.strip():
            print("bench:    " + out.stderr.strip().replace("\n", "\nbench:    "), flush=True)
        return out.stdout.split() if out.returncode == 0 else []

    def after_scenario(self, name):
        """With --profile: saves the Tarn server's recording of this scenario and starts a new one."""
        tarn = self._lake.tarn if self._lake else None
        if self.profile_dir and tarn is not None and tarn.pid:
            rec = os.path.join(self.profile_dir, f"server-{name}.jfr")
            if jfr.cut(self.java_home, proc.main_process(tarn.pid), rec):
                self.recordings.append(rec)

    def close(self, keep):
        for s in reversed(self.services):
            try:
                s.stop()
            except Exception:  # noqa: BLE001 - best effort at shutdown
                traceback.print_exc()
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def main(argv):
    p = argparse.ArgumentParser(prog="bench/run", description="Tarn benchmark suite")
    p.add_argument("scenarios", nargs="*", help=f"any of {', '.join(scenarios.ALL)} (default: all)")
    p.add_argument("--size", choices=sorted(scenarios.SIZES), default="small")
    p.add_argument("--runs", type=int, help="measured runs per figure (default: 1 small, 3 full)")
    p.add_argument("--workdir", help="where the temporary data goes (default: $TMPDIR or /tmp)")
    p.add_argument("--out", default=os.path.join(BENCH_DIR, "results"))
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--kv", default="rocksdb",
                   help="rocksdb (default) or rocksdb,postgres: also run the server scenarios with Tarn on "
                        "PostgreSQL, and enable the scale scenario")
    p.add_argument("--no-sync", action="store_true",
                   help="run Tarn with database.local.sync_writes=false and blockstore.local.sync=false "
                        "(also BENCH_TARN_SYNC=off); results get the suffix -nosync")
    p.add_argument("--profile", action="store_true",
                   help="record the engine harness and the Tarn server with JFR; summaries go next to the results")
    opts = p.parse_args(argv)
    names = opts.scenarios or list(scenarios.ALL)
    unknown = [n for n in names if n not in scenarios.ALL]
    if unknown:
        p.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(scenarios.ALL)}")

    ctx = Context(opts)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%MZ") + ("" if ctx.sync else "-nosync")
    if opts.profile:
        ctx.profile_dir = os.path.join(opts.out, "profiles", f"{stamp}-{opts.size}")
        os.makedirs(ctx.profile_dir, exist_ok=True)
    info = sysinfo.collect(ctx.java_home, ctx.workdir)
    params = {"size": opts.size, "describe": ctx.size["describe"], "runs": ctx.runs, "scenarios": names,
              "sizes": ctx.size,
              "cpus_note": (f"server under test (Tarn, nginx, S3Proxy) pinned to CPU {ctx.server_cpus} and the "
                            f"client (wrk -t1, curl, dd) to CPU {ctx.client_cpus} with taskset; in-process "
                            f"engine runs and git are not pinned (both cores)"),
              "tarn_sync": ctx.sync, "kv": ctx.kvs,
              "engine_java_opts": ctx.engine_java_opts, "server_java_opts": ctx.server_java_opts}
    print(f"bench: {opts.size} size, scenarios {' '.join(names)}; Tarn sync {'on' if ctx.sync else 'off'};"
          f" work folder {ctx.workdir}", flush=True)
    try:
        for name in names:
            ctx.current = name
            t0 = datetime.datetime.now()
            print(f"bench: == {name}", flush=True)
            try:
                scenarios.ALL[name](ctx)
                ctx.after_scenario(name)
                print(f"bench:    {name} done in {(datetime.datetime.now() - t0).total_seconds():.0f} s", flush=True)
            except Exception:  # noqa: BLE001 - reported and fails the run
                err = traceback.format_exc().replace(ROOT + os.sep, "")  # no paths of this machine in results
                ctx.results.errors[name] = err
                print(f"bench:    {name} FAILED:\n{err}", file=sys.stderr, flush=True)
    finally:
        ctx.close(opts.keep)
    info["loadavg_at_end"] = open("/proc/loadavg").read().split()[:3]
    info["finished"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for rec in ctx.recordings:
        if os.path.exists(rec):
            jfr.summarize(ctx.java_home, rec)
            ctx.results.notes.append(f"profile: {os.path.relpath(rec, opts.out)} (summary: .jfr.txt)")
    md, base = report.write(opts.out, stamp, info, ctx.results, params)
    print()
    print(md)
    print(f"bench: wrote {base}.md and {base}.json")
    if ctx.results.errors:
        print(f"bench: {len(ctx.results.errors)} scenario(s) failed: {', '.join(ctx.results.errors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
