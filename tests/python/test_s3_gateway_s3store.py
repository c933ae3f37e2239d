"""The S3 gateway on a server whose block store is S3 (S3Proxy): puts, reads and multipart uploads go
to the backend's own multipart support."""
from __future__ import annotations

import hashlib
import uuid

import pytest
from botocore.exceptions import ClientError

from s3_util import s3_client


@pytest.fixture(scope="module")
def s3_repo(s3_tarn_server):
    client = s3_tarn_server.bravado_client()
    repo_id = f"s3gw-{uuid.uuid4().hex[:10]}"
    client.repositories.createRepository(repository={
        "id": repo_id, "storage_namespace": s3_tarn_server.namespace(repo_id), "default_branch": "main"}).result()
    return repo_id


def test_put_get_copy_on_an_s3_block_store(s3_tarn_server, s3_repo):
    s3 = s3_client(s3_tarn_server)
    s3.put_object(Bucket=s3_repo, Key="main/a.txt", Body=b"on s3", Metadata={"owner": "me"})
    got = s3.get_object(Bucket=s3_repo, Key="main/a.txt")
    assert got["Body"].read() == b"on s3" and got["Metadata"] == {"owner": "me"}
    assert s3.get_object(Bucket=s3_repo, Key="main/a.txt", Range="bytes=3-4")["Body"].read() == b"s3"
    s3.copy_object(Bucket=s3_repo, Key="main/b.txt", CopySource={"Bucket": s3_repo, "Key": "main/a.txt"})
    assert s3.get_object(Bucket=s3_repo, Key="main/b.txt")["Body"].read() == b"on s3"


def test_multipart_on_an_s3_block_store(s3_tarn_server, s3_repo):
    s3 = s3_client(s3_tarn_server)
    uid = s3.create_multipart_upload(Bucket=s3_repo, Key="main/mp.bin")["UploadId"]
    one = bytes(range(256)) * (5 * 4096)  # 5 MiB: S3's smallest part but the last
    two = b"tail"
    etags = []
    for n, data in enumerate((one, two), start=1):
        etags.append(s3.upload_part(Bucket=s3_repo, Key="main/mp.bin", UploadId=uid, PartNumber=n, Body=data)["ETag"])
    listed = s3.list_parts(Bucket=s3_repo, Key="main/mp.bin", UploadId=uid)["Parts"]
    assert [p["PartNumber"] for p in listed] == [1, 2]
    done = s3.complete_multipart_upload(Bucket=s3_repo, Key="main/mp.bin", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    assert done["ETag"].endswith('-2"')
    body = s3.get_object(Bucket=s3_repo, Key="main/mp.bin")["Body"].read()
    assert hashlib.md5(body).hexdigest() == hashlib.md5(one + two).hexdigest()
    aborted = s3.create_multipart_upload(Bucket=s3_repo, Key="main/gone.bin")["UploadId"]
    s3.abort_multipart_upload(Bucket=s3_repo, Key="main/gone.bin", UploadId=aborted)
    with pytest.raises(ClientError) as e:
        s3.list_parts(Bucket=s3_repo, Key="main/gone.bin", UploadId=aborted)
    assert e.value.response["Error"]["Code"] == "NoSuchUpload"


def test_a_failed_payload_check_stores_nothing_on_s3(s3_tarn_server, s3_repo):
    import datetime
    from test_s3_gateway import s3_error, sigv4_request
    s3 = s3_client(s3_tarn_server)
    now = datetime.datetime.now(datetime.timezone.utc)
    body = b"what was sent" * 1000
    r = sigv4_request(s3_tarn_server, "PUT", f"/{s3_repo}/main/mismatch.bin", "", now, body=body,
                      payload=hashlib.sha256(b"something else").hexdigest())
    assert r.status_code == 400 and s3_error(r)["Code"] == "XAmzContentSHA256Mismatch", r.text
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=s3_repo, Key="main/mismatch.bin")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
