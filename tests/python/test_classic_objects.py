"""Objects through the classic API: uploads of 0 bytes and of 1 GiB (streamed from a file in both
directions, size and MD5 checked), downloads with their headers and HTTP Range, stat, listing,
delete."""
import hashlib
import os
import time
from email.utils import parsedate_to_datetime

import pytest
from bravado.exception import HTTPNotFound

from classic_util import API, EMPTY_MD5, error_message, expect, upload_bytes, upload_file

GiB = 1 << 30


def test_zero_byte_object(client, repo, tmp_path):
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with open(empty, "rb") as f:
        stats = client.objects.uploadObject(repository=repo, branch="main", path="empty/zero.bin", content=f).result()
    assert (stats.path, stats.path_type, stats.size_bytes, stats.checksum) == ("empty/zero.bin", "object", 0, EMPTY_MD5)
    assert client.objects.getObject(repository=repo, ref="main", path="empty/zero.bin").result() == b""
    stat = client.objects.statObject(repository=repo, ref="main", path="empty/zero.bin").result()
    assert stat.size_bytes == 0 and stat.checksum == EMPTY_MD5


def test_upload_through_bravado_answers_object_stats(client, repo, tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)
    src = tmp_path / "file.csv"
    src.write_bytes(data)
    before = int(time.time())
    with open(src, "rb") as f:
        stats = client.objects.uploadObject(repository=repo, branch="main", path="path/to/file.csv", content=f).result()
    assert type(stats).__name__ == "object_stats"
    assert stats.path == "path/to/file.csv" and stats.path_type == "object"
    assert stats.size_bytes == len(data) and stats.checksum == hashlib.md5(data).hexdigest()
    assert isinstance(stats.mtime, int) and before - 2 <= stats.mtime <= int(time.time()) + 2
    assert client.objects.getObject(repository=repo, ref="main", path="path/to/file.csv").result() == data
    # overwrite: the new content replaces the old
    with open(src, "rb") as f:
        f.seek(100)
        stats = client.objects.uploadObject(repository=repo, branch="main", path="path/to/file.csv", content=f).result()
    assert stats.size_bytes == len(data) - 100
    assert client.objects.getObject(repository=repo, ref="main", path="path/to/file.csv").result() == data[100:]


def test_one_gib_streamed_both_ways(client, repo, http, tmp_path):
    src = tmp_path / "big.bin"
    md5 = hashlib.md5()
    block = os.urandom(8 << 20)
    with open(src, "wb") as f:
        for i in range(GiB // len(block)):
            chunk = i.to_bytes(8, "big") + block[8:]  # every 8 MiB block differs
            md5.update(chunk)
            f.write(chunk)
    assert src.stat().st_size == GiB
    expected_md5 = md5.hexdigest()

    r = expect(upload_file(http, repo, "main", "big/one-gib.bin", str(src)), 201)
    stats = r.json()
    assert stats["size_bytes"] == GiB and stats["checksum"] == expected_md5
    src.unlink()

    stat = client.objects.statObject(repository=repo, ref="main", path="big/one-gib.bin").result()
    assert stat.size_bytes == GiB and stat.checksum == expected_md5

    with http.get(f"{API}/repositories/{repo}/refs/main/objects", params={"path": "big/one-gib.bin"},
                  stream=True, timeout=1800) as r:
        expect(r, 200)
        assert int(r.headers["Content-Length"]) == GiB
        assert r.headers["ETag"] == f'"{expected_md5}"'
        got, size = hashlib.md5(), 0
        for chunk in r.iter_content(1 << 20):
            got.update(chunk)
            size += len(chunk)
    assert size == GiB and got.hexdigest() == expected_md5

    # a range near the end of the big object is served without reading the rest
    r = expect(http.get(f"{API}/repositories/{repo}/refs/main/objects", params={"path": "big/one-gib.bin"},
                        headers={"Range": f"bytes={GiB - 10}-"}), 206)
    assert r.headers["Content-Range"] == f"bytes {GiB - 10}-{GiB - 1}/{GiB}"
    assert r.content == block[(8 << 20) - 10:]


def test_get_object_headers(client, repo, http):
    data = b"id,value\n1,one\n2,two\n"
    stats = expect(upload_bytes(http, repo, "main", "dir/sub/report 2020.csv", data), 201).json()
    r = expect(http.get(f"{API}/repositories/{repo}/refs/main/objects", params={"path": "dir/sub/report 2020.csv"}), 200)
    assert r.content == data
    assert r.headers["Content-Type"] == "application/octet-stream"
    assert int(r.headers["Content-Length"]) == len(data)
    assert r.headers["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
    assert r.headers["Content-Disposition"] == 'attachment; filename="report 2020.csv"'
    assert r.headers["Accept-Ranges"] == "bytes"
    modified = parsedate_to_datetime(r.headers["Last-Modified"])
    assert modified.utcoffset().total_seconds() == 0 and r.headers["Last-Modified"].endswith(" GMT")
    assert int(modified.timestamp()) == stats["mtime"]


def test_get_object_with_range(client, repo, http):
    data = bytes(range(256)) * 40  # 10,240 bytes
    expect(upload_bytes(http, repo, "main", "r.bin", data), 201)
    url = f"{API}/repositories/{repo}/refs/main/objects"
    for header, first, last in [("bytes=0-0", 0, 0), ("bytes=10-19", 10, 19), ("bytes=10000-", 10000, 10239),
                                ("bytes=-100", 10140, 10239), ("bytes=10200-99999", 10200, 10239),
                                ("bytes=-999999", 0, 10239)]:
        r = expect(http.get(url, params={"path": "r.bin"}, headers={"Range": header}), 206)
        assert r.content == data[first:last + 1], header
        assert r.headers["Content-Range"] == f"bytes {first}-{last}/{len(data)}"
        assert int(r.headers["Content-Length"]) == last - first + 1
    # through bravado: the Range header parameter, bytes back
    assert client.objects.getObject(repository=repo, ref="main", path="r.bin", Range="bytes=256-259").result() \
        == bytes([0, 1, 2, 3])
    # unsatisfiable
    for header in ["bytes=10240-", "bytes=20000-20001", "bytes=-0"]:
        r = http.get(url, params={"path": "r.bin"}, headers={"Range": header})
        assert r.status_code == 416, header
        assert r.headers["Content-Range"] == f"bytes */{len(data)}", header
        error_message(r)
    # ignored (several ranges, other units, malformed): the whole object
    for header in ["bytes=0-1,5-6", "items=0-1", "bytes=5-2", "nonsense"]:
        r = expect(http.get(url, params={"path": "r.bin"}, headers={"Range": header}), 200)
        assert r.content == data, header


def test_stat_list_delete_and_underlying_properties(client, repo, http):
    for path in ("a/1.txt", "a/2.txt", "a/b/3.txt", "c.txt"):
        expect(upload_bytes(http, repo, "main", path, path.encode()), 201)
    stat = client.objects.statObject(repository=repo, ref="main", path="a/b/3.txt").result()
    assert type(stat).__name__ == "object_stats"
    assert (stat.path, stat.path_type, stat.size_bytes) == ("a/b/3.txt", "object", 9)
    assert stat.checksum == hashlib.md5(b"a/b/3.txt").hexdigest()

    listing = client.objects.listObjects(repository=repo, ref="main", prefix="a/").result()
    assert [(o.path, o.path_type) for o in listing["results"]] == [
        ("a/1.txt", "object"), ("a/2.txt", "object"), ("a/b/", "common_prefix")]

    props = client.objects.getUnderlyingProperties(repository=repo, ref="main", path="c.txt").result()
    assert type(props).__name__ == "underlying_object_properties"

    client.commits.commit(repository=repo, branch="main", commit={"message": "four files"}).result()
    client.objects.deleteObject(repository=repo, branch="main", path="a/2.txt").result()
    with pytest.raises(HTTPNotFound):
        client.objects.statObject(repository=repo, ref="main", path="a/2.txt").result()
    # still in the last commit
    assert client.objects.getObject(repository=repo, ref="main@", path="a/2.txt").result() == b"a/2.txt"
    diff = client.branches.diffBranch(repository=repo, branch="main").result()
    assert [(d.path, d.type) for d in diff["results"]] == [("a/2.txt", "removed")]
    with pytest.raises(HTTPNotFound):
        client.objects.deleteObject(repository=repo, branch="main", path="a/2.txt").result()


def test_unicode_and_odd_paths_round_trip(client, repo, http):
    for path in ["données/été.csv", "with space/and+plus&amp=eq?.txt", "a//double", "trailing.", "%41%zz"]:
        data = path.encode() * 3
        stats = expect(upload_bytes(http, repo, "main", path, data), 201).json()
        assert stats["path"] == path
        assert client.objects.getObject(repository=repo, ref="main", path=path).result() == data
        assert client.objects.statObject(repository=repo, ref="main", path=path).result().path == path


def test_objects_on_the_s3_blockstore(s3_tarn_server, tmp_path):
    """The same object paths with the data in S3 (S3Proxy): empty, multi-MiB, ranges, overwrite, delete."""
    from conftest import unique_repo_id
    client = s3_tarn_server.bravado_client()
    repo = unique_repo_id("s3obj")
    client.repositories.createRepository(repository={
        "id": repo, "storage_namespace": s3_tarn_server.namespace(repo), "default_branch": "main"}).result()
    with s3_tarn_server.session() as http:
        assert expect(upload_bytes(http, repo, "main", "empty", b""), 201).json()["checksum"] == EMPTY_MD5
        assert client.objects.getObject(repository=repo, ref="main", path="empty").result() == b""

        src = tmp_path / "data.bin"
        data = os.urandom(12 * 1024 * 1024 + 5)
        src.write_bytes(data)
        stats = expect(upload_file(http, repo, "main", "big/data.bin", str(src)), 201).json()
        assert stats["size_bytes"] == len(data) and stats["checksum"] == hashlib.md5(data).hexdigest()
        client.commits.commit(repository=repo, branch="main", commit={"message": "on s3"}).result()

        url = f"{API}/repositories/{repo}/refs/main/objects"
        r = expect(http.get(url, params={"path": "big/data.bin"}), 200)
        assert r.content == data and r.headers["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
        r = expect(http.get(url, params={"path": "big/data.bin"}, headers={"Range": "bytes=5000000-5000009"}), 206)
        assert r.content == data[5000000:5000010]
        assert r.headers["Content-Range"] == f"bytes 5000000-5000009/{len(data)}"
        r = http.get(url, params={"path": "big/data.bin"}, headers={"Range": f"bytes={len(data)}-"})
        assert r.status_code == 416

        expect(upload_bytes(http, repo, "main", "big/data.bin", b"small now"), 201)
        assert client.objects.getObject(repository=repo, ref="main", path="big/data.bin").result() == b"small now"
        assert client.objects.getObject(repository=repo, ref="main@", path="big/data.bin").result() == data
        client.objects.deleteObject(repository=repo, branch="main", path="big/data.bin").result()
        with pytest.raises(HTTPNotFound):
            client.objects.statObject(repository=repo, ref="main", path="big/data.bin").result()
