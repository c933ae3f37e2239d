"""Helpers of the S3 gateway suites: boto3 clients at their defaults, and the AWS CLI v1 from the venv."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import boto3
from botocore.config import Config


def s3_client(server, secret: str | None = None, access_key: str | None = None, **config):
    """A boto3 S3 client at its defaults (checksums, signature version, addressing), pointed at server."""
    return boto3.session.Session().client(
        "s3", endpoint_url=server.url, region_name="us-east-1",
        aws_access_key_id=access_key or server.access_key_id,
        aws_secret_access_key=secret or server.secret_access_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, **config))


AWS_CLI_V2 = "/usr/bin/aws"  # Debian's awscli package (v2)


def aws_cli(server, *args, secret: str | None = None, check: bool = True, cwd=None,
            binary: str | None = None) -> subprocess.CompletedProcess:
    """`aws --endpoint-url <server> ...` with the AWS CLI v1 installed in this venv (credentials in env vars),
    or the CLI at `binary` (AWS_CLI_V2)."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID=server.access_key_id,
               AWS_SECRET_ACCESS_KEY=secret or server.secret_access_key, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_MAX_ATTEMPTS="1",
               NO_PROXY="localhost,127.0.0.1")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        env.pop(name, None)
    aws = binary or Path(sys.executable).with_name("aws")
    out = subprocess.run([str(aws), "--endpoint-url", server.url, *args], env=env, capture_output=True, text=True,
                         timeout=300, stdin=subprocess.DEVNULL, cwd=cwd)
    if check and out.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out
