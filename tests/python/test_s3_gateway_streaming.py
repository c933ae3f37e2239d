"""The S3 gateway streams: objects several times larger than the server's heap go up (a signed
single PUT, a presigned PUT of unknown length, a multipart upload) and come back down intact."""
from __future__ import annotations

import hashlib

import pytest
import requests
from boto3.s3.transfer import TransferConfig

from conftest import GeneratedContent, unique_repo_id
from s3_util import s3_client

HEAP = "-Xmx96m"
SIZE = 320 * 1024 * 1024


@pytest.fixture(scope="module")
def small_heap(tarn_factory):
    server = tarn_factory.start("s3-heap96", java_opts=[HEAP])
    yield server
    tarn_factory.stop(server)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.bin"
    content = GeneratedContent(SIZE, seed=9)
    with open(path, "wb") as f:
        for chunk in content.chunks():
            f.write(chunk)
    return path, content.md5()


def streamed_md5(body) -> tuple[str, int]:
    md5, size = hashlib.md5(), 0
    for chunk in iter(lambda: body.read(1 << 20), b""):
        md5.update(chunk)
        size += len(chunk)
    return md5.hexdigest(), size


def test_objects_larger_than_the_heap_stream_both_ways(small_heap, big_file):
    path, md5 = big_file
    s3 = s3_client(small_heap)
    repo = unique_repo_id("s3stream")
    small_heap.bravado_client().repositories.createRepository(repository={
        "id": repo, "storage_namespace": small_heap.namespace(repo), "default_branch": "main"}).result()

    # a signed single PUT: the server checks the SHA-256 while it streams
    with open(path, "rb") as f:
        put = s3.put_object(Bucket=repo, Key="main/single.bin", Body=f)
    assert put["ETag"] == f'"{md5}"'
    assert streamed_md5(s3.get_object(Bucket=repo, Key="main/single.bin")["Body"]) == (md5, SIZE)

    # a presigned PUT of unknown length (chunked transfer encoding)
    url = s3.generate_presigned_url("put_object", Params={"Bucket": repo, "Key": "main/presigned.bin"})
    with requests.Session() as session:
        session.trust_env = False
        r = session.put(url, data=GeneratedContent(SIZE, seed=9).chunks(), timeout=600)
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{md5}"'

    # multipart
    s3.upload_file(str(path), repo, "main/multi.bin",
                   Config=TransferConfig(multipart_threshold=64 << 20, multipart_chunksize=64 << 20, max_concurrency=2))
    head = s3.head_object(Bucket=repo, Key="main/multi.bin")
    assert head["ContentLength"] == SIZE and head["ETag"].endswith('-5"')
    assert streamed_md5(s3.get_object(Bucket=repo, Key="main/multi.bin")["Body"]) == (md5, SIZE)
    assert small_heap.alive()
