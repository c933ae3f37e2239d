"""boto3 1.35.x (before botocore's default checksums) against the gateway; run by test_s3_gateway_clients.py
in .venv-s3clients. Arguments come in the environment; prints one JSON document of what it saw."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import boto3
import botocore
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, repo = os.environ["TARN_ENDPOINT"], os.environ["TARN_REPO"]


def client(secret=None):
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=os.environ["TARN_KEY"],
        aws_secret_access_key=secret or os.environ["TARN_SECRET"], config=Config(retries={"max_attempts": 1}))


def code(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


s3 = client()
out = {"boto3": boto3.__version__, "botocore": botocore.__version__}
s3.put_object(Bucket=repo, Key="main/old/a.txt", Body=b"0123456789", Metadata={"owner": "old"})
got = s3.get_object(Bucket=repo, Key="main/old/a.txt")
out["get"] = got["Body"].read().decode()
out["metadata"] = got["Metadata"]
out["range"] = s3.get_object(Bucket=repo, Key="main/old/a.txt", Range="bytes=2-4")["Body"].read().decode()
s3.copy_object(Bucket=repo, Key="main/old/copy.txt", CopySource={"Bucket": repo, "Key": "main/old/a.txt"})
out["copy"] = s3.get_object(Bucket=repo, Key="main/old/copy.txt")["Body"].read().decode()
for i in range(7):
    s3.put_object(Bucket=repo, Key=f"main/old/many/{i}.txt", Body=str(i).encode())
pages = s3.get_paginator("list_objects_v2").paginate(Bucket=repo, Prefix="main/old/many/",
                                                      PaginationConfig={"PageSize": 3})
out["list_v2_pages"] = [[o["Key"] for o in p.get("Contents", [])] for p in pages]
pages = s3.get_paginator("list_objects").paginate(Bucket=repo, Prefix="main/old/many/",
                                                   PaginationConfig={"PageSize": 3})
out["list_v1_pages"] = [[o["Key"] for o in p.get("Contents", [])] for p in pages]
deleted = s3.delete_objects(Bucket=repo, Delete={"Objects": [{"Key": f"main/old/many/{i}.txt"} for i in range(3)]})
out["deleted"] = sorted(d["Key"] for d in deleted["Deleted"])
with tempfile.TemporaryDirectory() as d:
    big = os.path.join(d, "big.bin")
    with open(big, "wb") as f:
        f.write(bytes(range(256)) * (4096 * 11))  # 11 MiB: three parts of 5 MiB
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_file(big, repo, "main/old/big.bin", Config=config)
    back = os.path.join(d, "back.bin")
    s3.download_file(repo, "main/old/big.bin", back, Config=config)
    out["multipart_etag"] = s3.head_object(Bucket=repo, Key="main/old/big.bin")["ETag"]
    out["multipart_same"] = open(back, "rb").read() == open(big, "rb").read()
    out["multipart_md5"] = hashlib.md5(open(big, "rb").read()).hexdigest()
# presigned URLs (boto3's default form is SigV2 query parameters) used with curl
url = s3.generate_presigned_url("get_object", Params={"Bucket": repo, "Key": "main/old/a.txt"}, ExpiresIn=300)
out["presigned_get"] = subprocess.run(["curl", "-sf", url], capture_output=True, text=True, check=True).stdout
url = s3.generate_presigned_url("put_object", Params={"Bucket": repo, "Key": "main/old/presigned.txt"},
                                ExpiresIn=300)
# SigV2 signs the Content-Type: boto3 signed none, so curl sends none either
subprocess.run(["curl", "-sf", "-X", "PUT", "-H", "Content-Type:", "--data-binary", "put by curl", url], check=True)
out["presigned_put"] = s3.get_object(Bucket=repo, Key="main/old/presigned.txt")["Body"].read().decode()
# errors
out["wrong_secret"] = code(lambda: client("wrong-secret-wrong-secret-wrong-secret00").list_objects_v2(Bucket=repo))
out["no_bucket"] = code(lambda: s3.list_objects_v2(Bucket="no-such-repo"))
out["no_key"] = code(lambda: s3.get_object(Bucket=repo, Key="main/old/none"))
out["write_to_tag"] = code(lambda: s3.put_object(Bucket=repo, Key=os.environ["TARN_TAG"] + "/old/x.txt", Body=b"x"))
json.dump(out, sys.stdout)
