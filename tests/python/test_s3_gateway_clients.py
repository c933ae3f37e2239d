"""More S3 clients at their defaults against the gateway, each on a real server:

- boto3 1.35.36 (before botocore's default checksums), pyarrow's S3FileSystem and pandas through s3fs,
  run from their own venv (.venv-s3clients, made by scripts/test-all.sh from
  tests/python/requirements-s3clients.txt) by the scripts in tests/python/s3clients/;
- s3cmd 2.4.0 (PyPI, in the same venv), rclone (Debian), the AWS CLI v2 (Debian's awscli).

Each also meets a wrong secret, an unknown repository, an unknown key and a write to a tag.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from s3_util import AWS_CLI_V2, aws_cli, s3_client

ROOT = Path(__file__).resolve().parents[2]
CLIENTS_VENV = ROOT / ".venv-s3clients"
SCRIPTS = Path(__file__).resolve().parent / "s3clients"
WRONG_SECRET = "wrong-secret-wrong-secret-wrong-secret00"


def clients_python() -> Path:
    python = CLIENTS_VENV / "bin" / "python"
    assert python.exists(), f"{python} is missing: scripts/test-all.sh makes it from tests/python/requirements-s3clients.txt"
    return python


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.startswith("RCLONE_")}
    env.update(NO_PROXY="localhost,127.0.0.1", no_proxy="localhost,127.0.0.1", HOME=extra.pop("HOME", env.get("HOME", "/")))
    env.update(extra)
    return env


def run_script(server, name: str, **env) -> dict:
    out = subprocess.run([str(clients_python()), str(SCRIPTS / name)], capture_output=True, text=True, timeout=600,
                         stdin=subprocess.DEVNULL,
                         env=clean_env(TARN_ENDPOINT=server.url, TARN_KEY=server.access_key_id,
                                       TARN_SECRET=server.secret_access_key, **env))
    assert out.returncode == 0, f"{name} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}"
    return json.loads(out.stdout)


@pytest.fixture
def tag(client, repo):
    client.tags.createTag(repository=repo, tag={"id": "v1", "ref": "main"}).result()
    return "v1"


def staged(client, repo) -> list:
    return [c["path"] for c in client.branches.diffBranch(repository=repo, branch="main").result()["results"]]


# ---- boto3 1.35 ---------------------------------------------------------------------------

def test_boto3_1_35_at_its_defaults(tarn_server, client, repo, tag):
    out = run_script(tarn_server, "old_boto3.py", TARN_REPO=repo, TARN_TAG=tag)
    assert out["boto3"] == "1.35.36"
    assert out["get"] == "0123456789" and out["metadata"] == {"owner": "old"}
    assert out["range"] == "234" and out["copy"] == "0123456789"
    keys = [f"main/old/many/{i}.txt" for i in range(7)]
    assert out["list_v2_pages"] == [keys[0:3], keys[3:6], keys[6:7]]
    assert out["list_v1_pages"] == [keys[0:3], keys[3:6], keys[6:7]]
    assert out["deleted"] == keys[0:3]
    assert out["multipart_same"] and out["multipart_etag"].endswith('-3"')
    assert out["presigned_get"] == "0123456789" and out["presigned_put"] == "put by curl"
    assert out["wrong_secret"] == "SignatureDoesNotMatch"
    assert out["no_bucket"] == "NoSuchBucket" and out["no_key"] == "NoSuchKey"
    assert out["write_to_tag"] == "AccessDenied"
    # what the old client wrote reads the same with the newest boto3 (which checks the checksums it asks for)
    new = s3_client(tarn_server)
    assert new.get_object(Bucket=repo, Key="main/old/big.bin")["Body"].read() == bytes(range(256)) * (4096 * 11)
    assert "main/old/x.txt" not in staged(client, repo) and not any(p.startswith("v1/") for p in staged(client, repo))


# ---- pyarrow and pandas -------------------------------------------------------------------

def test_pyarrow_dataset_and_pandas_through_s3fs(tarn_server, client, repo):
    written = run_script(tarn_server, "parquet.py", TARN_REPO=repo, TARN_STEP="write")["written"]
    assert f"{repo}/main/tables/frame.parquet" in written
    assert {f"{repo}/main/tables/events/{y}" for y in (2024, 2025, 2026)} <= set(written)
    assert sum(1 for p in written if p.endswith(".parquet")) == 4
    commit = client.commits.commit(repository=repo, branch="main", commit={"message": "tables"}).result()
    # the branch moves on; the commit still has the first version
    new = s3_client(tarn_server)
    new.delete_object(Bucket=repo, Key="main/tables/frame.parquet")
    out = run_script(tarn_server, "parquet.py", TARN_REPO=repo, TARN_STEP="read", TARN_REF=commit["id"])
    assert out["rows"] == [[2024, 1, "a"], [2024, 2, "b"], [2025, 3, "c"], [2025, 4, "d"], [2026, 5, "e"]]
    assert out["frame"] == {"x": [1, 2, 3], "y": ["p", "q", "r"]}


# ---- s3cmd --------------------------------------------------------------------------------

def s3cmd(server, tmp_path, *args, secret=None, check=True):
    host = server.url.split("://", 1)[1]
    cfg = tmp_path / ("s3cfg-wrong" if secret else "s3cfg")
    cfg.write_text("[default]\n"
                   f"access_key = {server.access_key_id}\nsecret_key = {secret or server.secret_access_key}\n"
                   f"host_base = {host}\nhost_bucket = {host}\nuse_https = False\nbucket_location = us-east-1\n")
    out = subprocess.run([str(CLIENTS_VENV / "bin" / "s3cmd"), "-c", str(cfg), *args], capture_output=True,
                         text=True, timeout=300, stdin=subprocess.DEVNULL, env=clean_env(HOME=str(tmp_path)))
    if check:
        assert out.returncode == 0, f"s3cmd {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}"
    return out


def test_s3cmd_put_get_ls_sync(tarn_server, client, repo, tag, tmp_path):
    clients_python()
    src = tmp_path / "one.txt"
    src.write_text("from s3cmd\n")
    s3cmd(tarn_server, tmp_path, "put", str(src), f"s3://{repo}/main/s3cmd/one.txt")
    s3cmd(tarn_server, tmp_path, "get", f"s3://{repo}/main/s3cmd/one.txt", str(tmp_path / "back.txt"))
    assert (tmp_path / "back.txt").read_text() == "from s3cmd\n"
    up = tmp_path / "up"
    up.mkdir()
    (up / "big.bin").write_bytes(bytes(range(256)) * (4096 * 17))  # 17 MiB: over s3cmd's 15 MiB multipart chunk
    for i in range(20):
        (up / f"f{i:02d}.txt").write_text(f"file {i}\n")
    s3cmd(tarn_server, tmp_path, "sync", f"{up}/", f"s3://{repo}/main/s3cmd/synced/")
    listed = s3cmd(tarn_server, tmp_path, "ls", f"s3://{repo}/main/s3cmd/synced/").stdout
    assert sum(1 for line in listed.splitlines() if "s3://" in line) == 21
    down = tmp_path / "down"
    down.mkdir()
    s3cmd(tarn_server, tmp_path, "sync", f"s3://{repo}/main/s3cmd/synced/", f"{down}/")
    assert sorted(p.name for p in down.iterdir()) == sorted(p.name for p in up.iterdir())
    assert (down / "big.bin").read_bytes() == (up / "big.bin").read_bytes()
    again = s3cmd(tarn_server, tmp_path, "sync", f"{up}/", f"s3://{repo}/main/s3cmd/synced/").stdout
    assert "upload:" not in again
    # errors
    out = s3cmd(tarn_server, tmp_path, "ls", f"s3://{repo}/main/", secret=WRONG_SECRET, check=False)
    assert out.returncode != 0 and "SignatureDoesNotMatch" in out.stderr
    out = s3cmd(tarn_server, tmp_path, "ls", "s3://no-such-repo/main/", check=False)
    assert out.returncode != 0 and "NoSuchBucket" in out.stderr
    out = s3cmd(tarn_server, tmp_path, "get", f"s3://{repo}/main/s3cmd/none", str(tmp_path / "none"), check=False)
    assert out.returncode != 0 and "does not exist" in out.stderr
    out = s3cmd(tarn_server, tmp_path, "put", str(src), f"s3://{repo}/{tag}/s3cmd/x.txt", check=False)
    assert out.returncode != 0 and "AccessDenied" in out.stderr
    assert not any(p.endswith("x.txt") for p in staged(client, repo))


# ---- rclone -------------------------------------------------------------------------------

def rclone(server, *args, secret=None, check=True):
    env = clean_env(RCLONE_CONFIG_TARN_TYPE="s3", RCLONE_CONFIG_TARN_PROVIDER="Other",
                    RCLONE_CONFIG_TARN_ACCESS_KEY_ID=server.access_key_id,
                    RCLONE_CONFIG_TARN_SECRET_ACCESS_KEY=secret or server.secret_access_key,
                    RCLONE_CONFIG_TARN_ENDPOINT=server.url, RCLONE_CONFIG_TARN_REGION="us-east-1",
                    RCLONE_CONFIG="/dev/null")
    out = subprocess.run(["rclone", "--retries", "1", "--low-level-retries", "1", *args], capture_output=True,
                         text=True, timeout=300, stdin=subprocess.DEVNULL, env=env)
    if check:
        assert out.returncode == 0, f"rclone {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}"
    return out


def test_rclone_copy_sync_ls_check(tarn_server, client, repo, tag, tmp_path):
    up = tmp_path / "up"
    (up / "sub").mkdir(parents=True)
    for i in range(30):
        (up / "sub" / f"f{i:02d}.txt").write_text(f"rclone file {i}\n")
    (up / "big.bin").write_bytes(bytes(range(256)) * (4096 * 12))  # 12 MiB
    rclone(tarn_server, "copy", str(up), f"tarn:{repo}/main/rc")
    listed = rclone(tarn_server, "ls", f"tarn:{repo}/main/rc").stdout
    assert len(listed.splitlines()) == 31 and "sub/f07.txt" in listed
    rclone(tarn_server, "check", str(up), f"tarn:{repo}/main/rc")
    # a large file in parts: rclone's multipart upload (its cutoff lowered from 200 MiB to keep the test small)
    rclone(tarn_server, "copyto", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", str(up / "big.bin"),
           f"tarn:{repo}/main/rc/big-mp.bin")
    head = s3_client(tarn_server).head_object(Bucket=repo, Key="main/rc/big-mp.bin")
    assert head["ETag"].endswith('-3"') and head["ContentLength"] == 12 * 1024 * 1024
    down = tmp_path / "down"
    rclone(tarn_server, "sync", f"tarn:{repo}/main/rc", str(down))
    assert (down / "big-mp.bin").read_bytes() == (up / "big.bin").read_bytes()
    # sync deletes what is gone
    (up / "sub" / "f00.txt").unlink()
    (up / "big.bin").write_bytes(b"changed")
    rclone(tarn_server, "sync", str(up), f"tarn:{repo}/main/rc")
    rclone(tarn_server, "check", str(up), f"tarn:{repo}/main/rc")
    assert s3_client(tarn_server).get_object(Bucket=repo, Key="main/rc/big.bin")["Body"].read() == b"changed"
    # errors
    out = rclone(tarn_server, "ls", f"tarn:{repo}/main", secret=WRONG_SECRET, check=False)
    assert out.returncode != 0 and "SignatureDoesNotMatch" in out.stderr
    out = rclone(tarn_server, "ls", "tarn:no-such-repo/main", check=False)
    assert out.returncode != 0 and ("NoSuchBucket" in out.stderr or "directory not found" in out.stderr)
    # an unknown key: rclone finds nothing to copy (exit 9 with --error-on-no-transfer)
    out = rclone(tarn_server, "copyto", "--error-on-no-transfer", f"tarn:{repo}/main/rc/none", str(tmp_path / "none"),
                 check=False)
    assert out.returncode == 9 and not (tmp_path / "none").exists()
    out = rclone(tarn_server, "copyto", str(up / "big.bin"), f"tarn:{repo}/{tag}/rc/x.bin", check=False)
    assert out.returncode != 0 and "AccessDenied" in out.stderr
    assert not any(p.endswith("x.bin") for p in staged(client, repo))


# ---- AWS CLI v2 ---------------------------------------------------------------------------

def aws2(server, *args, **kwargs):
    return aws_cli(server, *args, binary=AWS_CLI_V2, **kwargs)


def test_aws_cli_v2_cp_sync_rm_and_s3api(tarn_server, client, repo, tag, tmp_path):
    assert aws2(tarn_server, "--version").stdout.startswith("aws-cli/2.")
    up = tmp_path / "up"
    up.mkdir()
    big = up / "big.bin"
    big.write_bytes(bytes(range(256)) * (4096 * 10))  # 10 MiB: over the CLI's 8 MiB multipart threshold
    for i in range(300):
        (up / f"f{i:04d}.txt").write_text(f"file {i}\n")
    aws2(tarn_server, "s3", "cp", str(big), f"s3://{repo}/main/v2/one/big.bin")
    aws2(tarn_server, "s3", "cp", f"s3://{repo}/main/v2/one/big.bin", str(tmp_path / "big-back.bin"))
    assert (tmp_path / "big-back.bin").read_bytes() == big.read_bytes()
    aws2(tarn_server, "s3", "sync", str(up), f"s3://{repo}/main/v2/synced/")
    down = tmp_path / "down"
    aws2(tarn_server, "s3", "sync", f"s3://{repo}/main/v2/synced/", str(down))
    assert len(list(down.iterdir())) == 301 and (down / "big.bin").read_bytes() == big.read_bytes()
    assert aws2(tarn_server, "s3", "sync", str(up), f"s3://{repo}/main/v2/synced/").stdout.strip() == ""
    assert aws2(tarn_server, "s3", "sync", f"s3://{repo}/main/v2/synced/", str(down)).stdout.strip() == ""
    assert "PRE synced/" in aws2(tarn_server, "s3", "ls", f"s3://{repo}/main/v2/").stdout
    head = json.loads(aws2(tarn_server, "s3api", "head-object", "--bucket", repo, "--key", "main/v2/one/big.bin").stdout)
    assert head["ContentLength"] == big.stat().st_size and head["ETag"].endswith('-2"')
    listed = json.loads(aws2(tarn_server, "s3api", "list-objects-v2", "--bucket", repo, "--prefix", "main/v2/synced/",
                             "--max-items", "5").stdout)
    assert len(listed["Contents"]) == 5 and "NextToken" in listed
    aws2(tarn_server, "s3", "rm", "--recursive", f"s3://{repo}/main/v2/")
    assert aws2(tarn_server, "s3", "ls", f"s3://{repo}/main/v2/", check=False).stdout.strip() == ""
    # errors
    out = aws2(tarn_server, "s3", "ls", f"s3://{repo}/", secret=WRONG_SECRET, check=False)
    assert out.returncode != 0 and "SignatureDoesNotMatch" in out.stderr
    out = aws2(tarn_server, "s3", "ls", "s3://no-such-repo/", check=False)
    assert out.returncode != 0 and "NoSuchBucket" in out.stderr
    out = aws2(tarn_server, "s3api", "get-object", "--bucket", repo, "--key", "main/none", "/dev/null", check=False)
    assert out.returncode != 0 and "NoSuchKey" in out.stderr
    out = aws2(tarn_server, "s3", "cp", str(big), f"s3://{repo}/{tag}/v2/x.bin", check=False)
    assert out.returncode != 0 and "AccessDenied" in out.stderr
    assert staged(client, repo) == []
