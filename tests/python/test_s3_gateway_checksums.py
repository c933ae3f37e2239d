"""The checksums S3 clients send are kept with the object and answered back, as S3 does.

boto3 at its defaults sends a CRC32 with every PutObject and UploadPart, sets ChecksumMode=ENABLED on
GetObject and checks the body against the checksum answered; its transfer manager creates multipart
uploads with a CRC32 and names the parts' CRC32s in the completion. lakeFS drops the checksum (its
users are told to turn checksums off); Tarn keeps it: FULL_OBJECT for a PutObject, COMPOSITE
(`<checksum of the parts' checksums>-N`) or FULL_OBJECT for a multipart upload.
"""
from __future__ import annotations

import base64
import hashlib
import zlib

import pytest
from botocore.exceptions import ClientError

from s3_util import s3_client


@pytest.fixture(scope="module")
def s3(tarn_server):
    return s3_client(tarn_server)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def crc32(data: bytes) -> str:
    return b64(zlib.crc32(data).to_bytes(4, "big"))


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def test_put_object_keeps_boto3s_default_crc32(s3, repo):
    data = b"checked by crc32 " * 1000
    put = s3.put_object(Bucket=repo, Key="main/sum/put.bin", Body=data)
    assert put["ChecksumCRC32"] == crc32(data)
    # boto3's default GetObject asks for the checksum and checks the body against it
    got = s3.get_object(Bucket=repo, Key="main/sum/put.bin")
    assert got["Body"].read() == data
    assert got["ChecksumCRC32"] == crc32(data)
    assert got["ChecksumType"] == "FULL_OBJECT"
    head = s3.head_object(Bucket=repo, Key="main/sum/put.bin", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == crc32(data)
    # not asked: not answered; a range: none (the checksum is of the whole object)
    assert "ChecksumCRC32" not in s3.head_object(Bucket=repo, Key="main/sum/put.bin")
    ranged = s3.get_object(Bucket=repo, Key="main/sum/put.bin", Range="bytes=0-9", ChecksumMode="ENABLED")
    assert ranged["Body"].read() == data[:10] and "ChecksumCRC32" not in ranged
    # another algorithm that the client picks
    s3.put_object(Bucket=repo, Key="main/sum/sha.bin", Body=data, ChecksumAlgorithm="SHA256")
    assert s3.head_object(Bucket=repo, Key="main/sum/sha.bin", ChecksumMode="ENABLED")["ChecksumSHA256"] == \
        b64(hashlib.sha256(data).digest())


def test_the_checksum_survives_a_commit_and_reads_from_the_commit(s3, repo, client):
    data = b"committed with its checksum"
    s3.put_object(Bucket=repo, Key="main/sum/committed.bin", Body=data)
    commit = client.commits.commit(repository=repo, branch="main", commit={"message": "checksums"}).result()
    head = s3.head_object(Bucket=repo, Key=f"{commit['id']}/sum/committed.bin", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == crc32(data)


def test_a_wrong_checksum_is_a_bad_digest_and_writes_nothing(s3, repo):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=repo, Key="main/sum/wrong.bin", Body=b"these bytes", ChecksumCRC32=crc32(b"other bytes"))
    assert error_code(e) == "BadDigest"
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=repo, Key="main/sum/wrong.bin")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_the_transfer_manager_multipart_upload_gets_a_checksum(s3, repo, tmp_path):
    from boto3.s3.transfer import TransferConfig
    part = 5 * 1024 * 1024
    data = (bytes(range(256)) * 4096 * 11)[: 2 * part + 777]
    src = tmp_path / "mp.bin"
    src.write_bytes(data)
    config = TransferConfig(multipart_threshold=part, multipart_chunksize=part)
    s3.upload_file(str(src), repo, "main/sum/transfer.bin", Config=config)
    head = s3.head_object(Bucket=repo, Key="main/sum/transfer.bin", ChecksumMode="ENABLED")
    assert head["ETag"].endswith('-3"')
    # the transfer manager asks for a CRC32 upload: COMPOSITE, over the parts' CRC32s
    parts = [data[i:i + part] for i in range(0, len(data), part)]
    composite = b64(zlib.crc32(b"".join(zlib.crc32(p).to_bytes(4, "big") for p in parts)).to_bytes(4, "big"))
    assert head["ChecksumCRC32"] == f"{composite}-3"
    assert head["ChecksumType"] == "COMPOSITE"
    # a plain GetObject (boto3 asks for the checksum; a composite one is not a checksum of the body)
    got = s3.get_object(Bucket=repo, Key="main/sum/transfer.bin")
    assert got["Body"].read() == data and got["ChecksumCRC32"] == f"{composite}-3"
    dst = tmp_path / "back.bin"
    s3.download_file(repo, "main/sum/transfer.bin", str(dst), Config=config)
    assert dst.read_bytes() == data


def test_composite_sha256_multipart_with_low_level_calls(s3, repo):
    key = "main/sum/sha-mp.bin"
    up = s3.create_multipart_upload(Bucket=repo, Key=key, ChecksumAlgorithm="SHA256")
    assert up["ChecksumAlgorithm"] == "SHA256" and up["ChecksumType"] == "COMPOSITE"
    uid = up["UploadId"]
    bodies = [b"a" * (5 * 1024 * 1024), b"the last part"]
    parts = []
    for n, body in enumerate(bodies, start=1):
        r = s3.upload_part(Bucket=repo, Key=key, UploadId=uid, PartNumber=n, Body=body, ChecksumAlgorithm="SHA256")
        assert r["ChecksumSHA256"] == b64(hashlib.sha256(body).digest())
        parts.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumSHA256": r["ChecksumSHA256"]})
    listed = s3.list_parts(Bucket=repo, Key=key, UploadId=uid)
    assert listed["ChecksumAlgorithm"] == "SHA256"
    assert [p["ChecksumSHA256"] for p in listed["Parts"]] == [p["ChecksumSHA256"] for p in parts]
    uploads = s3.list_multipart_uploads(Bucket=repo, Prefix=key)["Uploads"]
    assert [(u["UploadId"], u["ChecksumAlgorithm"]) for u in uploads] == [(uid, "SHA256")]
    done = s3.complete_multipart_upload(Bucket=repo, Key=key, UploadId=uid, MultipartUpload={"Parts": parts})
    expected = b64(hashlib.sha256(b"".join(hashlib.sha256(b).digest() for b in bodies)).digest()) + "-2"
    assert done["ChecksumSHA256"] == expected and done["ChecksumType"] == "COMPOSITE"
    got = s3.get_object(Bucket=repo, Key=key, ChecksumMode="ENABLED")
    assert got["Body"].read() == b"".join(bodies)
    assert got["ChecksumSHA256"] == expected


def test_full_object_crc32_multipart_and_its_checks(s3, repo):
    key = "main/sum/full.bin"
    bodies = [b"x" * (5 * 1024 * 1024), b"y" * 1000]
    whole = b"".join(bodies)

    def upload():
        up = s3.create_multipart_upload(Bucket=repo, Key=key, ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
        assert up["ChecksumType"] == "FULL_OBJECT"
        parts = []
        for n, body in enumerate(bodies, start=1):
            r = s3.upload_part(Bucket=repo, Key=key, UploadId=up["UploadId"], PartNumber=n, Body=body)
            parts.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
        return up["UploadId"], parts

    uid, parts = upload()
    # the whole object's CRC32 given with the completion must be the one its parts make
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=repo, Key=key, UploadId=uid, MultipartUpload={"Parts": parts},
                                     ChecksumCRC32=crc32(b"not the object"), ChecksumType="FULL_OBJECT")
    assert error_code(e) == "BadDigest"
    # a part's checksum in the completion must be the one it was uploaded with
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=repo, Key=key, UploadId=uid, MultipartUpload={
            "Parts": [parts[0], dict(parts[1], ChecksumCRC32=crc32(b"forged"))]})
    assert error_code(e) == "InvalidPart"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=repo, Key=key)
    done = s3.complete_multipart_upload(Bucket=repo, Key=key, UploadId=uid, MultipartUpload={"Parts": parts},
                                        ChecksumCRC32=crc32(whole), ChecksumType="FULL_OBJECT")
    assert done["ChecksumCRC32"] == crc32(whole) and done["ChecksumType"] == "FULL_OBJECT"
    # boto3 checks the body it reads against the full-object checksum
    got = s3.get_object(Bucket=repo, Key=key)
    assert got["Body"].read() == whole and got["ChecksumCRC32"] == crc32(whole)


def test_multipart_checksum_settings_that_s3_refuses(s3, repo):
    for kwargs in ({"ChecksumAlgorithm": "SHA1", "ChecksumType": "FULL_OBJECT"},
                   {"ChecksumAlgorithm": "CRC64NVME", "ChecksumType": "COMPOSITE"}):
        with pytest.raises(ClientError) as e:
            s3.create_multipart_upload(Bucket=repo, Key="main/sum/refused.bin", **kwargs)
        assert error_code(e) == "InvalidRequest", kwargs
    uid = s3.create_multipart_upload(Bucket=repo, Key="main/sum/refused.bin", ChecksumAlgorithm="SHA1")["UploadId"]
    # boto3's default part checksum is a CRC32: the upload was created for SHA1
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=repo, Key="main/sum/refused.bin", UploadId=uid, PartNumber=1, Body=b"x")
    assert error_code(e) == "InvalidRequest"
    assert s3.list_parts(Bucket=repo, Key="main/sum/refused.bin", UploadId=uid).get("Parts", []) == []
    s3.abort_multipart_upload(Bucket=repo, Key="main/sum/refused.bin", UploadId=uid)


# ---- CRC64NVME (S3's default checksum now; the newest SDKs send it when asked, boto3 needs awscrt for it) ----

def _crc64nvme_table() -> list:
    poly = 0x9A6C9329AC4BC9B5  # the NVMe polynomial, reflected
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC64 = _crc64nvme_table()


def crc64nvme(data: bytes) -> str:
    """Base64 of CRC-64/NVME (reflected, all-ones initial value and final xor), as S3 gives it."""
    c = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        c = _CRC64[(c ^ byte) & 0xFF] ^ (c >> 8)
    return b64((c ^ 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big"))


def test_the_crc64nvme_of_this_file_is_the_standard_one():
    assert base64.b64decode(crc64nvme(b"123456789")).hex() == "ae8b14860a799888"  # the CRC's check value


def test_crc64nvme_in_a_header_and_in_a_trailer_is_checked_kept_and_answered(tarn_server, s3, repo, client):
    import datetime
    from test_s3_gateway import aws_chunked_trailer, s3_error, sigv4_request
    now = datetime.datetime.now(datetime.timezone.utc)
    data = b"crc64nvme " * 3000
    sdk = {"x-amz-sdk-checksum-algorithm": "CRC64NVME"}
    # a plain body with its checksum in a header (what the SDKs send for a signed payload)
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/nvme/header.bin", "", now,
                      {**sdk, "x-amz-checksum-crc64nvme": crc64nvme(data)}, data,
                      payload=hashlib.sha256(data).hexdigest())
    assert r.status_code == 200, r.text
    assert r.headers["x-amz-checksum-crc64nvme"] == crc64nvme(data)
    assert r.headers["x-amz-checksum-type"] == "FULL_OBJECT"
    # aws-chunked with the checksum in the trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER, the SDKs' default form)
    chunked = {**sdk, "content-encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-crc64nvme",
               "x-amz-decoded-content-length": str(len(data))}
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/nvme/trailer.bin", "", now, chunked,
                      aws_chunked_trailer(data, 4096, f"x-amz-checksum-crc64nvme:{crc64nvme(data)}"),
                      payload="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert r.status_code == 200, r.text
    for key in ("header.bin", "trailer.bin"):
        got = sigv4_request(tarn_server, "GET", f"/{repo}/main/nvme/{key}", "", now, {"x-amz-checksum-mode": "ENABLED"})
        assert got.status_code == 200 and got.content == data
        assert got.headers["x-amz-checksum-crc64nvme"] == crc64nvme(data)
        assert got.headers["x-amz-checksum-type"] == "FULL_OBJECT"
        # without checksum mode, none is answered
        plain = sigv4_request(tarn_server, "GET", f"/{repo}/main/nvme/{key}", "", now)
        assert "x-amz-checksum-crc64nvme" not in plain.headers
    # wrong values: BadDigest, nothing written
    wrong = crc64nvme(b"something else")
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/nvme/bad-header.bin", "", now,
                      {**sdk, "x-amz-checksum-crc64nvme": wrong}, data, payload=hashlib.sha256(data).hexdigest())
    assert r.status_code == 400 and s3_error(r)["Code"] == "BadDigest", r.text
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/nvme/bad-trailer.bin", "", now, chunked,
                      aws_chunked_trailer(data, 4096, f"x-amz-checksum-crc64nvme:{wrong}"),
                      payload="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert r.status_code == 400 and s3_error(r)["Code"] == "BadDigest", r.text
    staged = sorted(c["path"] for c in client.branches.diffBranch(repository=repo, branch="main").result()["results"])
    assert staged == ["nvme/header.bin", "nvme/trailer.bin"]
