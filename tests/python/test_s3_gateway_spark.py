"""Spark (PyPI's pyspark 3.5, Hadoop 3.3.4 client jars) with hadoop-aws's s3a:// against the gateway.

pyspark runs from its own venv (.venv-spark) on a JDK 17 with hadoop-aws and the AWS SDK modules it
needs in tools/spark/target/jars: scripts/spark.sh makes all three (scripts/test-all.sh runs it and
this file in a section of its own). The job (s3clients/spark_job.py) writes a partitioned Parquet
table and a CSV with Spark's default committer, which renames every task's files out of _temporary/
(copy + delete through the gateway); the test commits through the API, moves the branch on, and the
job reads the data back at the commit id; then it meets a wrong secret, an unknown repository, an
unknown path and a write to a tag.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import unique_repo_id
from s3_util import s3_client
from test_front_door import request_count, samples

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "s3clients" / "spark_job.py"


def spark_setup() -> dict:
    """What scripts/spark.sh made: the venv's python, the JDK and the jars (a failed assertion when missing)."""
    out = subprocess.run(["bash", str(ROOT / "scripts" / "spark.sh"), "env"], capture_output=True, text=True,
                         timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, f"scripts/spark.sh env failed: run scripts/spark.sh install\n{out.stderr}"
    return dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)


def spark_env(server, setup, **tarn) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("SPARK_")
           and k not in ("PYSPARK_PYTHON", "PYTHONPATH", "JAVA_HOME", "HADOOP_CONF_DIR")}
    env.update(JAVA_HOME=setup["JAVA_HOME"], PYSPARK_PYTHON=setup["PYTHON"], TARN_SPARK_JARS=setup["JARS"],
               TARN_ENDPOINT=server.url, TARN_KEY=server.access_key_id, TARN_SECRET=server.secret_access_key,
               NO_PROXY="localhost,127.0.0.1", no_proxy="localhost,127.0.0.1")
    env.update({f"TARN_{k.upper()}": v for k, v in tarn.items()})
    return env


class SparkJob:
    """spark_job.py as a child process that answers a line of JSON for each step."""

    def __init__(self, server, setup, log: Path, **env):
        self.log = log
        self.stderr = log.open("w")
        self.proc = subprocess.Popen([setup["PYTHON"], str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True, env=spark_env(server, setup, **env))

    def next(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=60)
            raise AssertionError(f"the Spark job ended ({self.proc.returncode}) without an answer:\n"
                                 + self.log.read_text()[-6000:])
        return json.loads(line)

    def send(self, obj) -> None:
        self.proc.stdin.write(json.dumps(obj) + "\n")
        self.proc.stdin.flush()

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=120)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.stderr.close()


def staged(client, repo) -> list:
    return sorted(c["path"] for c in client.branches.diffBranch(repository=repo, branch="main", amount=1000)
                  .result()["results"])


def staged_in(client, repo_id) -> list:
    return client.branches.diffBranch(repository=repo_id, branch="main").result()["results"]


def test_spark_s3a_parquet_and_csv_commit_and_read_at_the_commit(tarn_server, client, repo, tmp_path):
    setup = spark_setup()
    other = unique_repo_id("spark")
    client.repositories.createRepository(repository={"id": other, "storage_namespace": tarn_server.namespace(other),
                                                     "default_branch": "main"}).result()
    client.tags.createTag(repository=repo, tag={"id": "v0", "ref": "main"}).result()
    before = samples(tarn_server)
    job = SparkJob(tarn_server, setup, tmp_path / "spark.log", repo=repo, wrong_secret_repo=other, tag="v0")
    try:
        written = job.next()
        after = samples(tarn_server)
        assert written["step"] == "written"
        assert written["spark"].startswith("3.5.") and written["hadoop"] == "3.3.4"
        assert written["rows"] == [[2024, 1, "a"], [2024, 2, "b"], [2025, 3, "c"], [2025, 4, "d"], [2026, 5, "e"]]
        assert written["csv"] == [[1, "one"], [2, "two"], [3, "three"]]
        files = written["files"]
        # the committer renamed the task files into place and removed its _temporary/ tree
        assert "spark/events/_SUCCESS" in files and "spark/csv/_SUCCESS" in files
        assert not any("_temporary" in f for f in files), files
        parquet = [f for f in files if f.endswith(".parquet")]
        assert {f.split("/")[2] for f in parquet} == {"year=2024", "year=2025", "year=2026"}
        assert len([f for f in files if f.startswith("spark/csv/part-") and f.endswith(".csv")]) == 1
        # the job commit renamed each task file: a CopyObject, then its source deleted
        data_files = [f for f in files if "/part-" in f]
        copies = request_count(after, "s3", "CopyObject", 200) - request_count(before, "s3", "CopyObject", 200)
        deletes = sum(request_count(after, "s3", op, st) - request_count(before, "s3", op, st)
                      for op, st in (("DeleteObjects", 200), ("DeleteObject", 204)))
        assert copies >= len(data_files) and deletes >= 1, (copies, deletes, data_files)
        # what the branch holds is what s3a listed: nothing left over from the rename
        paths = staged(client, repo)
        assert not any("_temporary" in p for p in paths), paths
        assert set(files) <= set(paths)

        commit = client.commits.commit(repository=repo, branch="main",
                                       commit={"message": "spark tables"}).result()
        # the branch moves on after the commit: the 2026 partition goes
        s3 = s3_client(tarn_server)
        gone = [f"main/{f}" for f in files if f.startswith("spark/events/year=2026/")]
        assert gone
        s3.delete_objects(Bucket=repo, Delete={"Objects": [{"Key": k} for k in gone]})
        job.send({"ref": commit["id"]})
        read = job.next()
        assert read["step"] == "read"
        assert read["rows"] == written["rows"]
        assert read["csv"] == written["csv"]
        assert read["count_2025"] == 2
        assert read["branch_rows"] == [[2024, 1, "a"], [2024, 2, "b"], [2025, 3, "c"], [2025, 4, "d"]]

        errors = job.next()
        assert errors["step"] == "errors"
        # s3a's first request is a HEAD (no body to carry the code): a 403 it reports as access denied
        assert "java.nio.file.AccessDeniedException" in errors["wrong_secret"]
        assert "Status Code: 403" in errors["wrong_secret"], errors["wrong_secret"]
        assert staged_in(client, other) == []
        # an unknown repository: its keys do not exist (s3a 3.3 does not probe buckets by default)
        assert "PATH_NOT_FOUND" in errors["no_bucket"] or "does not exist" in errors["no_bucket"], errors["no_bucket"]
        assert "PATH_NOT_FOUND" in errors["no_key"] or "does not exist" in errors["no_key"], errors["no_key"]
        assert "AccessDenied" in errors["write_to_tag"] and "Status Code: 403" in errors["write_to_tag"], \
            errors["write_to_tag"]
        assert not any("tagged" in p for p in staged(client, repo))
    finally:
        rc = job.close()
    assert rc == 0, (tmp_path / "spark.log").read_text()[-6000:]
