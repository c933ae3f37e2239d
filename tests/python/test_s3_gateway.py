"""The S3 gateway over a real server, with boto3 (newest, defaults) and the AWS CLI v1.

Bucket = repository, key = <ref>/<path>. Covers put/get/ranged get/head, listings v1 and v2 with
pagination, delete, delete_objects, copy, presigned GET and PUT (SigV4 and boto3's default SigV2
query), and the error paths: wrong secret, unknown access key, unknown bucket, unknown key, a write
to a tag, a bad payload hash, an expired presigned URL.
"""
from __future__ import annotations

import datetime
import urllib.parse
import hashlib
import hmac
import time
import xml.etree.ElementTree as ET

import pytest
import requests
from botocore.exceptions import ClientError

from s3_util import aws_cli, s3_client


@pytest.fixture(scope="module")
def s3(tarn_server):
    return s3_client(tarn_server)


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def status(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def raw(method, url, **kwargs):
    with requests.Session() as s:
        s.trust_env = False
        return s.request(method, url, timeout=60, **kwargs)


def s3_error(response):
    root = ET.fromstring(response.content)
    assert root.tag == "Error", response.text
    return {child.tag: child.text for child in root}


# ---- objects ------------------------------------------------------------------------------

def test_put_get_head_with_metadata(s3, repo):
    body = b"id,name\n1,ada\n"
    put = s3.put_object(Bucket=repo, Key="main/data/people.csv", Body=body, ContentType="text/csv",
                        Metadata={"owner": "Ada", "Mixed-Case": "yes"})
    assert put["ETag"] == '"' + hashlib.md5(body).hexdigest() + '"'
    got = s3.get_object(Bucket=repo, Key="main/data/people.csv")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/csv"
    assert got["ContentLength"] == len(body)
    assert got["ETag"] == put["ETag"]
    assert got["Metadata"] == {"owner": "Ada", "mixed-case": "yes"} or got["Metadata"] == {"owner": "Ada", "Mixed-Case": "yes"}
    assert abs(got["LastModified"].timestamp() - time.time()) < 600
    head = s3.head_object(Bucket=repo, Key="main/data/people.csv")
    assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]
    assert head["Metadata"]["owner"] == "Ada"


def test_metadata_comes_back_in_the_case_it_was_given(tarn_server, s3, repo):
    s3.put_object(Bucket=repo, Key="main/m.txt", Body=b"x", Metadata={"owner": "me"})
    url = s3.generate_presigned_url("get_object", Params={"Bucket": repo, "Key": "main/m.txt"})
    r = raw("GET", url)
    assert r.status_code == 200
    assert "x-amz-meta-owner" in [k for k in r.raw.headers.keys()]


def test_header_values_are_signed_as_sent(s3, repo):
    # a Content-Type that a case-insensitive header cache would hand back in another case
    s3.put_object(Bucket=repo, Key="main/charset.txt", Body=b"x", ContentType="text/plain;charset=UTF-8")
    assert s3.head_object(Bucket=repo, Key="main/charset.txt")["ContentType"] == "text/plain;charset=UTF-8"
    s3.put_object(Bucket=repo, Key="main/charset2.txt", Body=b"x", ContentType="text/plain; charset=UTF-8")


def test_virtual_host_addressing(tarn_server, s3, repo):
    s3.put_object(Bucket=repo, Key="main/vh.txt", Body=b"virtual host")
    host = f"{repo}.s3.local.lakefs.io:{tarn_server.port}"
    now = datetime.datetime.now(datetime.timezone.utc)
    r = sigv4_request(tarn_server, "GET", "/main/vh.txt", "", now, {"host": host})
    assert r.status_code == 200 and r.content == b"virtual host", r.text
    listing = sigv4_request(tarn_server, "GET", "/", "list-type=2&prefix=main%2F", now, {"host": host})
    assert listing.status_code == 200 and b"<Key>main/vh.txt</Key>" in listing.content, listing.text


def test_ranged_get(s3, repo):
    body = bytes(range(256)) * 40
    s3.put_object(Bucket=repo, Key="main/bin", Body=body)
    part = s3.get_object(Bucket=repo, Key="main/bin", Range="bytes=100-199")
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert part["ContentRange"] == f"bytes 100-199/{len(body)}"
    assert part["Body"].read() == body[100:200]
    assert s3.get_object(Bucket=repo, Key="main/bin", Range="bytes=-10")["Body"].read() == body[-10:]
    assert s3.get_object(Bucket=repo, Key="main/bin", Range=f"bytes={len(body) - 5}-")["Body"].read() == body[-5:]
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=repo, Key="main/bin", Range=f"bytes={len(body)}-")
    assert error_code(e) == "InvalidRange" and status(e) == 416


def test_conditional_get(s3, repo):
    etag = s3.put_object(Bucket=repo, Key="main/c.txt", Body=b"cond")["ETag"]
    assert s3.get_object(Bucket=repo, Key="main/c.txt", IfMatch=etag)["Body"].read() == b"cond"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=repo, Key="main/c.txt", IfMatch='"0000"')
    assert status(e) == 412 and error_code(e) == "PreconditionFailed"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=repo, Key="main/c.txt", IfNoneMatch=etag)
    assert status(e) == 304
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=repo, Key="main/c.txt", IfModifiedSince=time.time() + 3600)
    assert status(e) == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=repo, Key="main/c.txt", IfUnmodifiedSince=time.time() - 3600)
    assert status(e) == 412


def test_conditional_put_and_content_md5(s3, repo):
    import base64
    s3.put_object(Bucket=repo, Key="main/once.txt", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=repo, Key="main/once.txt", Body=b"second", IfNoneMatch="*")
    assert status(e) == 412 and error_code(e) == "PreconditionFailed"
    etag = s3.head_object(Bucket=repo, Key="main/once.txt")["ETag"]
    s3.put_object(Bucket=repo, Key="main/once.txt", Body=b"third", IfMatch=etag)
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=repo, Key="main/once.txt", Body=b"fourth", IfMatch=etag)
    assert status(e) == 412
    assert s3.get_object(Bucket=repo, Key="main/once.txt")["Body"].read() == b"third"
    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=repo, Key="main/md5.txt", Body=b"body", ContentMD5=wrong_md5)
    assert error_code(e) == "BadDigest"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=repo, Key="main/md5.txt")
    right_md5 = base64.b64encode(hashlib.md5(b"body").digest()).decode()
    s3.put_object(Bucket=repo, Key="main/md5.txt", Body=b"body", ContentMD5=right_md5)


def test_response_overrides(s3, repo):
    s3.put_object(Bucket=repo, Key="main/o.bin", Body=b"o")
    got = s3.get_object(Bucket=repo, Key="main/o.bin", ResponseContentType="text/x-override",
                        ResponseContentDisposition='attachment; filename="o.txt"', ResponseCacheControl="no-cache")
    assert got["ContentType"] == "text/x-override"
    assert got["ContentDisposition"] == 'attachment; filename="o.txt"' and got["CacheControl"] == "no-cache"


def test_listing_parameter_errors(tarn_server, s3, repo):
    s3.put_object(Bucket=repo, Key="main/l.txt", Body=b"x")
    empty = s3.list_objects_v2(Bucket=repo, Prefix="main/", MaxKeys=0)
    assert empty["KeyCount"] == 0 and not empty["IsTruncated"]
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=repo, ContinuationToken="***not a token***")
    assert error_code(e) == "InvalidArgument"
    now = datetime.datetime.now(datetime.timezone.utc)
    r = sigv4_request(tarn_server, "GET", f"/{repo}", "list-type=2&max-keys=-1", now)
    assert r.status_code == 400 and s3_error(r)["Code"] == "InvalidArgument"
    r = sigv4_request(tarn_server, "GET", f"/{repo}", "encoding-type=base64&list-type=2", now)
    assert r.status_code == 400 and s3_error(r)["Code"] == "InvalidArgument"


def test_malformed_delete_objects_and_unknown_bucket(tarn_server, s3, repo):
    now = datetime.datetime.now(datetime.timezone.utc)
    body = b"<Delete><Object><Key>main/x</Key></Object"
    r = sigv4_request(tarn_server, "POST", f"/{repo}", "delete=", now, body=body,
                      payload=hashlib.sha256(body).hexdigest())
    assert r.status_code == 400 and s3_error(r)["Code"] == "MalformedXML", r.text
    with pytest.raises(ClientError) as e:
        s3.delete_objects(Bucket="no-such-repo", Delete={"Objects": [{"Key": "main/x"}]})
    assert error_code(e) == "NoSuchBucket"


def test_a_key_ending_in_a_slash_is_an_object(s3, repo):
    s3.put_object(Bucket=repo, Key="main/dataset/", Body=b"")
    assert s3.head_object(Bucket=repo, Key="main/dataset/")["ContentLength"] == 0
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=repo, Prefix="main/")["Contents"]]
    assert "main/dataset/" in keys


def test_an_empty_marker_at_the_branch_itself_stores_nothing(client, s3, repo):
    """pyarrow's write_dataset puts a marker for every directory level, `<branch>/` first."""
    s3.put_object(Bucket=repo, Key="main/", Body=b"")
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=repo, Key="main/", Body=b"not a marker")
    assert error_code(e) == "InvalidArgument"
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=repo, Key="no-such-branch/", Body=b"")
    assert error_code(e) == "NoSuchBucket"
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []


def test_deleting_the_marker_of_the_branch_itself_deletes_nothing(client, s3, repo):
    """s3a deletes the markers of a new file's parent directories, `<branch>/` among them, in one DeleteObjects."""
    s3.put_object(Bucket=repo, Key="main/keep.txt", Body=b"k")
    s3.put_object(Bucket=repo, Key="main/dir/", Body=b"")
    out = s3.delete_objects(Bucket=repo, Delete={"Objects": [{"Key": "main/"}, {"Key": "main/dir/"}]})
    assert sorted(d["Key"] for d in out["Deleted"]) == ["main/", "main/dir/"] and "Errors" not in out
    assert s3.delete_object(Bucket=repo, Key="main/")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert [c["path"] for c in client.branches.diffBranch(repository=repo, branch="main").result()["results"]] \
        == ["keep.txt"]
    # still a write: only to a branch that exists
    client.tags.createTag(repository=repo, tag={"id": "t1", "ref": "main"}).result()
    out = s3.delete_objects(Bucket=repo, Delete={"Objects": [{"Key": "t1/"}, {"Key": "nope/"}, {"Key": "main"}]})
    assert {e["Key"]: e["Code"] for e in out["Errors"]} == {"t1/": "AccessDenied", "nope/": "NoSuchBucket",
                                                             "main": "InvalidArgument"}
    with pytest.raises(ClientError) as e:
        s3.delete_object(Bucket=repo, Key="t1/")
    assert error_code(e) == "AccessDenied"


def test_read_from_a_commit_and_a_tag(client, s3, repo):
    s3.put_object(Bucket=repo, Key="main/v.txt", Body=b"one")
    commit = client.commits.commit(repository=repo, branch="main", commit={"message": "one"}).result()
    client.tags.createTag(repository=repo, tag={"id": "v1", "ref": "main"}).result()
    s3.put_object(Bucket=repo, Key="main/v.txt", Body=b"two")
    assert s3.get_object(Bucket=repo, Key="main/v.txt")["Body"].read() == b"two"
    assert s3.get_object(Bucket=repo, Key="v1/v.txt")["Body"].read() == b"one"
    assert s3.get_object(Bucket=repo, Key=f"{commit.id}/v.txt")["Body"].read() == b"one"
    assert s3.get_object(Bucket=repo, Key="main@/v.txt")["Body"].read() == b"one"


def test_write_to_a_tag_or_commit_is_refused_and_writes_nothing(client, s3, repo):
    s3.put_object(Bucket=repo, Key="main/t.txt", Body=b"one")
    commit = client.commits.commit(repository=repo, branch="main", commit={"message": "one"}).result()
    client.tags.createTag(repository=repo, tag={"id": "v1", "ref": "main"}).result()
    for ref in ("v1", commit.id):
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket=repo, Key=f"{ref}/new.txt", Body=b"nope")
        assert error_code(e) == "AccessDenied" and status(e) == 403
        with pytest.raises(ClientError) as e:
            s3.delete_object(Bucket=repo, Key=f"{ref}/t.txt")
        assert error_code(e) == "AccessDenied"
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=repo, Key="no-such-branch/new.txt", Body=b"nope")
    assert error_code(e) == "NoSuchBucket"
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []


def test_unknown_bucket_and_key(s3, repo):
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket="no-such-repo", Key="main/x")
    assert error_code(e) == "NoSuchBucket" and status(e) == 404
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket="no-such-repo")
    assert error_code(e) == "NoSuchBucket"
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket="no-such-repo")
    assert status(e) == 404
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=repo, Key="main/missing.txt")
    assert error_code(e) == "NoSuchKey" and status(e) == 404
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=repo, Key="no-such-ref/missing.txt")
    assert error_code(e) == "NoSuchKey"
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=repo, Key="main/missing.txt")
    assert status(e) == 404


def test_wrong_secret_and_unknown_key(tarn_server, repo):
    bad = s3_client(tarn_server, secret="not-the-secret-not-the-secret-0000000000")
    with pytest.raises(ClientError) as e:
        bad.list_objects_v2(Bucket=repo)
    assert error_code(e) == "SignatureDoesNotMatch" and status(e) == 403
    with pytest.raises(ClientError) as e:
        bad.put_object(Bucket=repo, Key="main/x", Body=b"x")
    assert error_code(e) == "SignatureDoesNotMatch"
    unknown = s3_client(tarn_server, access_key="AKIAJUNKNOWNKEY00000Q")
    with pytest.raises(ClientError) as e:
        unknown.list_buckets()
    assert error_code(e) == "InvalidAccessKeyId" and status(e) == 403


def test_a_deleted_key_stops_signing_at_once(tarn_server, http, repo):
    """The secrets of signature checks are remembered (tarn.auth.secrets): deleting the key must drop it."""
    base = f"{tarn_server.url}/api/v0/auth/users/{tarn_server.user_name}/credentials"
    key = http.post(base).json()
    signer = s3_client(tarn_server, access_key=key["access_key_id"], secret=key["access_secret_key"])
    signer.put_object(Bucket=repo, Key="main/by-new-key.txt", Body=b"k")
    assert signer.get_object(Bucket=repo, Key="main/by-new-key.txt")["Body"].read() == b"k"  # now remembered
    assert http.delete(f"{base}/{key['access_key_id']}").status_code == 204
    with pytest.raises(ClientError) as e:
        signer.get_object(Bucket=repo, Key="main/by-new-key.txt")
    assert error_code(e) == "InvalidAccessKeyId" and status(e) == 403
    with pytest.raises(ClientError) as e:
        signer.put_object(Bucket=repo, Key="main/after-delete.txt", Body=b"x")
    assert error_code(e) == "InvalidAccessKeyId"


def test_anonymous_requests_are_denied(tarn_server, repo):
    r = raw("GET", f"{tarn_server.url}/{repo}/main/x", headers={"Host": "s3.local.lakefs.io"})
    assert r.status_code == 403 and s3_error(r)["Code"] == "AccessDenied"


def test_a_payload_that_is_not_what_was_signed_is_refused(tarn_server, s3, repo, client):
    def tamper(request, **kwargs):
        request.body = b"tampered!"
    s3_tamper = s3_client(tarn_server)
    s3_tamper.meta.events.register_last("before-send.s3.PutObject", lambda request, **kw: tamper(request))
    # the signature covers x-amz-content-sha256; the body then differs from the signed hash
    with pytest.raises(ClientError) as e:
        s3_tamper.put_object(Bucket=repo, Key="main/tampered.txt", Body=b"original!", ChecksumAlgorithm="SHA256")
    assert status(e) == 400
    assert error_code(e) in ("XAmzContentSHA256Mismatch", "BadDigest", "IncompleteBody")
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []


def test_delete_and_delete_objects(s3, repo):
    for i in range(5):
        s3.put_object(Bucket=repo, Key=f"main/d/{i}.txt", Body=b"x")
    s3.delete_object(Bucket=repo, Key="main/d/0.txt")
    s3.delete_object(Bucket=repo, Key="main/d/never-there.txt")  # S3: deleting a missing key succeeds
    with pytest.raises(ClientError):
        s3.head_object(Bucket=repo, Key="main/d/0.txt")
    out = s3.delete_objects(Bucket=repo, Delete={"Objects": [{"Key": "main/d/1.txt"}, {"Key": "main/d/2.txt"},
                                                             {"Key": "v9/d/3.txt"}]})
    assert sorted(d["Key"] for d in out["Deleted"]) == ["main/d/1.txt", "main/d/2.txt"]
    assert [(e["Key"], e["Code"]) for e in out["Errors"]] == [("v9/d/3.txt", "NoSuchBucket")]
    quiet = s3.delete_objects(Bucket=repo, Delete={"Objects": [{"Key": "main/d/3.txt"}], "Quiet": True})
    assert "Deleted" not in quiet and "Errors" not in quiet
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=repo, Prefix="main/d/")["Contents"]]
    assert left == ["main/d/4.txt"]


def test_copy_across_refs_and_repositories(client, tarn_server, s3, repo):
    s3.put_object(Bucket=repo, Key="main/src.txt", Body=b"copy me", Metadata={"k": "v"}, ContentType="text/plain")
    client.branches.createBranch(repository=repo, branch={"name": "dev", "source": "main"}).result()
    out = s3.copy_object(Bucket=repo, Key="dev/copied.txt", CopySource={"Bucket": repo, "Key": "main/src.txt"})
    assert out["CopyObjectResult"]["ETag"] == '"' + hashlib.md5(b"copy me").hexdigest() + '"'
    got = s3.get_object(Bucket=repo, Key="dev/copied.txt")
    assert got["Body"].read() == b"copy me" and got["Metadata"] == {"k": "v"} and got["ContentType"] == "text/plain"
    replaced = s3.copy_object(Bucket=repo, Key="main/replaced.txt", CopySource=f"{repo}/main/src.txt",
                              MetadataDirective="REPLACE", Metadata={"new": "1"}, ContentType="text/csv")
    assert replaced["CopyObjectResult"]["ETag"]
    head = s3.head_object(Bucket=repo, Key="main/replaced.txt")
    assert head["Metadata"] == {"new": "1"} and head["ContentType"] == "text/csv"
    other = f"{repo}-b"
    client.repositories.createRepository(repository={"id": other, "storage_namespace": tarn_server.namespace(other),
                                                     "default_branch": "main"}).result()
    s3.copy_object(Bucket=other, Key="main/from-other.txt", CopySource={"Bucket": repo, "Key": "main/src.txt"})
    assert s3.get_object(Bucket=other, Key="main/from-other.txt")["Body"].read() == b"copy me"
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=repo, Key="main/x.txt", CopySource={"Bucket": repo, "Key": "main/missing.txt"})
    assert error_code(e) == "NoSuchKey"


# ---- buckets and listings -----------------------------------------------------------------

def test_list_buckets_head_bucket_location_versioning(s3, repo):
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert repo in names
    assert s3.head_bucket(Bucket=repo)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_bucket_location(Bucket=repo).get("LocationConstraint") in (None, "")
    assert s3.get_bucket_versioning(Bucket=repo).get("Status") is None
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=repo)
    assert error_code(e) == "BucketAlreadyOwnedByYou"
    with pytest.raises(ClientError) as e:
        s3.get_bucket_policy(Bucket=repo)
    assert error_code(e) == "NotImplemented"


def test_tagging_and_acl_reads_answer_like_s3_without_them(s3, repo):
    s3.put_object(Bucket=repo, Key="main/t.txt", Body=b"x")
    assert s3.get_object_tagging(Bucket=repo, Key="main/t.txt")["TagSet"] == []
    acl = s3.get_object_acl(Bucket=repo, Key="main/t.txt")
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]
    assert [g["Permission"] for g in s3.get_bucket_acl(Bucket=repo)["Grants"]] == ["FULL_CONTROL"]
    with pytest.raises(ClientError) as e:
        s3.get_bucket_tagging(Bucket=repo)
    assert error_code(e) == "NoSuchTagSet"
    with pytest.raises(ClientError) as e:
        s3.get_object_tagging(Bucket=repo, Key="main/none.txt")
    assert error_code(e) == "NoSuchKey"
    with pytest.raises(ClientError) as e:
        s3.put_object_tagging(Bucket=repo, Key="main/t.txt", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    assert error_code(e) == "NotImplemented"


def test_root_listing_shows_branches(client, s3, repo):
    client.branches.createBranch(repository=repo, branch={"name": "dev", "source": "main"}).result()
    out = s3.list_objects_v2(Bucket=repo, Delimiter="/")
    assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["dev/", "main/"]
    assert "Contents" not in out


def test_recursive_listing_of_the_root_walks_every_branch(client, s3, repo):
    for k in ("main/a", "main/b/c", "main/d"):
        s3.put_object(Bucket=repo, Key=k, Body=b"x")
    client.branches.createBranch(repository=repo, branch={"name": "dev", "source": "main"}).result()
    for k in ("dev/x", "dev/y"):
        s3.put_object(Bucket=repo, Key=k, Body=b"x")
    keys = []
    for p in s3.get_paginator("list_objects_v2").paginate(Bucket=repo, PaginationConfig={"PageSize": 2}):
        keys += [o["Key"] for o in p.get("Contents", [])]
    assert keys == ["dev/x", "dev/y", "main/a", "main/b/c", "main/d"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=repo, Prefix="ma")["Contents"]] == ["main/a", "main/b/c", "main/d"]
    assert [p["Prefix"] for p in s3.list_objects_v2(Bucket=repo, Prefix="ma", Delimiter="/")["CommonPrefixes"]] == ["main/"]


def test_list_v2_with_delimiter_and_pagination(s3, repo):
    keys = [f"main/p/{i:03d}.txt" for i in range(25)] + ["main/p/sub/a.txt", "main/p/sub/b.txt", "main/top.txt"]
    for k in keys:
        s3.put_object(Bucket=repo, Key=k, Body=k.encode())
    page = s3.list_objects_v2(Bucket=repo, Prefix="main/p/", Delimiter="/", MaxKeys=10)
    assert page["IsTruncated"] and page["KeyCount"] == 10
    seen, prefixes = [], []
    paginator = s3.get_paginator("list_objects_v2")
    for p in paginator.paginate(Bucket=repo, Prefix="main/p/", Delimiter="/", PaginationConfig={"PageSize": 7}):
        seen += [o["Key"] for o in p.get("Contents", [])]
        prefixes += [c["Prefix"] for c in p.get("CommonPrefixes", [])]
    assert seen == [f"main/p/{i:03d}.txt" for i in range(25)]
    assert prefixes == ["main/p/sub/"]
    everything = []
    for p in paginator.paginate(Bucket=repo, Prefix="main/", PaginationConfig={"PageSize": 4}):
        everything += [o["Key"] for o in p.get("Contents", [])]
    assert everything == sorted(keys)
    after = s3.list_objects_v2(Bucket=repo, Prefix="main/", StartAfter="main/p/020.txt")
    assert [o["Key"] for o in after["Contents"]][:2] == ["main/p/021.txt", "main/p/022.txt"]
    first = s3.list_objects_v2(Bucket=repo, Prefix="main/p/0", MaxKeys=1)["Contents"][0]
    assert first["Size"] == len(b"main/p/000.txt") and first["StorageClass"] == "STANDARD"
    assert first["ETag"] == '"' + hashlib.md5(b"main/p/000.txt").hexdigest() + '"'


def test_list_v1_with_markers(s3, repo):
    for i in range(12):
        s3.put_object(Bucket=repo, Key=f"main/v1/{i:02d}", Body=b"x")
    seen = []
    for p in s3.get_paginator("list_objects").paginate(Bucket=repo, Prefix="main/v1/", PaginationConfig={"PageSize": 5}):
        seen += [o["Key"] for o in p.get("Contents", [])]
    assert seen == [f"main/v1/{i:02d}" for i in range(12)]
    page = s3.list_objects(Bucket=repo, Prefix="main/v1/", Marker="main/v1/09")
    assert [o["Key"] for o in page["Contents"]] == ["main/v1/10", "main/v1/11"]


def test_listing_keys_that_need_encoding(s3, repo):
    key = "main/odd names/ü & ü+plus%.txt"
    s3.put_object(Bucket=repo, Key=key, Body=b"odd")
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=repo, Prefix="main/odd names/")["Contents"]]
    assert listed == [key]
    assert s3.get_object(Bucket=repo, Key=key)["Body"].read() == b"odd"


def test_listing_an_unknown_ref_is_empty(s3, repo):
    out = s3.list_objects_v2(Bucket=repo, Prefix="no-such-ref/")
    assert out["KeyCount"] == 0 and "Contents" not in out


# ---- presigned URLs -----------------------------------------------------------------------

def test_presigned_get_default_is_sigv2_query(s3, repo):
    s3.put_object(Bucket=repo, Key="main/pre.txt", Body=b"presigned")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": repo, "Key": "main/pre.txt"}, ExpiresIn=300)
    r = raw("GET", url)
    assert r.status_code == 200, r.text
    assert r.content == b"presigned"


def test_presigned_sigv4_get_and_put(tarn_server, repo):
    s3v4 = s3_client(tarn_server, signature_version="s3v4")
    put_url = s3v4.generate_presigned_url("put_object", Params={"Bucket": repo, "Key": "main/up.bin"}, ExpiresIn=300)
    assert "X-Amz-Signature" in put_url
    r = raw("PUT", put_url, data=b"uploaded with a presigned url")
    assert r.status_code == 200, r.text
    get_url = s3v4.generate_presigned_url("get_object", Params={"Bucket": repo, "Key": "main/up.bin"}, ExpiresIn=300)
    r = raw("GET", get_url)
    assert r.status_code == 200 and r.content == b"uploaded with a presigned url"
    tampered = get_url.replace("main%2Fup.bin", "main%2Fother.bin").replace("main/up.bin", "main/other.bin")
    r = raw("GET", tampered)
    assert r.status_code == 403 and s3_error(r)["Code"] == "SignatureDoesNotMatch"


def test_presigned_sigv2_put(s3, repo):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": repo, "Key": "main/v2put.txt"}, ExpiresIn=300)
    r = raw("PUT", url, data=b"v2 put")
    assert r.status_code == 200, r.text
    assert s3.get_object(Bucket=repo, Key="main/v2put.txt")["Body"].read() == b"v2 put"


def test_expired_presigned_urls_are_denied(tarn_server, s3, repo):
    s3.put_object(Bucket=repo, Key="main/old.txt", Body=b"old")
    for client in (s3, s3_client(tarn_server, signature_version="s3v4")):
        url = client.generate_presigned_url("get_object", Params={"Bucket": repo, "Key": "main/old.txt"}, ExpiresIn=1)
        time.sleep(2.1)
        r = raw("GET", url)
        assert r.status_code == 403 and s3_error(r)["Code"] == "AccessDenied", r.text


def test_presigned_sigv4_longer_than_a_week_is_refused(tarn_server, repo):
    s3v4 = s3_client(tarn_server, signature_version="s3v4")
    url = s3v4.generate_presigned_url("get_object", Params={"Bucket": repo, "Key": "main/x"}, ExpiresIn=604801)
    r = raw("GET", url)
    assert r.status_code == 400 and s3_error(r)["Code"] == "AuthorizationQueryParametersError"


def sigv4_request(server, method: str, path: str, query: str, when: datetime.datetime, headers=None, body=b"",
                  payload: str = "UNSIGNED-PAYLOAD", secret: str | None = None) -> requests.Response:
    """A request signed by hand with SigV4 at time `when`; `headers` are signed too."""
    signed = sigv4_headers(server, method, path, query, when, headers, payload, secret)
    url = f"{server.url}{path}" + (f"?{query}" if query else "")
    return raw(method, url, headers=signed, data=body)


def sigv4_headers(server, method: str, path: str, query: str, when: datetime.datetime, headers=None,
                  payload: str = "UNSIGNED-PAYLOAD", secret: str | None = None) -> dict:
    """The headers of a request signed with SigV4 at time `when` (Authorization included)."""
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    signed = {"host": f"localhost:{server.port}", "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    signed.update({k.lower(): v for k, v in (headers or {}).items()})
    names = sorted(signed)
    canonical = "\n".join([method, path, query] + [f"{n}:{signed[n]}" for n in names]
                          + ["", ";".join(names), payload])
    scope = f"{day}/us-east-1/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + (secret or server.secret_access_key)).encode()
    for part in (day, "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    signed["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={server.access_key_id}/{scope}, "
                               f"SignedHeaders={';'.join(names)}, Signature={signature}")
    return signed


def sigv4_get(server, path: str, query: str, when: datetime.datetime) -> requests.Response:
    return sigv4_request(server, "GET", path, query, when)


def aws_chunked_trailer(data: bytes, chunk: int, trailer: str) -> bytes:
    out = b""
    for at in range(0, len(data), chunk):
        piece = data[at:at + chunk]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return out + b"0\r\n" + trailer.encode() + b"\r\n\r\n"


def test_unsigned_payload_with_a_trailing_checksum(tarn_server, s3, repo, client):
    """STREAMING-UNSIGNED-PAYLOAD-TRAILER: what boto3 and the AWS CLI send by default over HTTPS."""
    import base64
    import zlib
    data = b"trailing checksum " * 5000
    crc = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    now = datetime.datetime.now(datetime.timezone.utc)
    headers = {"content-encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-crc32",
               "x-amz-decoded-content-length": str(len(data))}
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/trailer.bin", "", now, headers,
                      aws_chunked_trailer(data, 8192, f"x-amz-checksum-crc32:{crc}"),
                      payload="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert r.status_code == 200, r.text
    assert s3.get_object(Bucket=repo, Key="main/trailer.bin")["Body"].read() == data
    wrong = base64.b64encode(zlib.crc32(b"other").to_bytes(4, "big")).decode()
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/bad-trailer.bin", "", now, headers,
                      aws_chunked_trailer(data, 8192, f"x-amz-checksum-crc32:{wrong}"),
                      payload="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert r.status_code == 400 and s3_error(r)["Code"] == "BadDigest", r.text
    with pytest.raises(ClientError):
        s3.head_object(Bucket=repo, Key="main/bad-trailer.bin")


def test_signed_payload_hash_mismatch_stages_nothing(tarn_server, repo, client):
    now = datetime.datetime.now(datetime.timezone.utc)
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/h.txt", "", now, body=b"what was sent",
                      payload=hashlib.sha256(b"what was signed").hexdigest())
    assert r.status_code == 400 and s3_error(r)["Code"] == "XAmzContentSHA256Mismatch", r.text
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []
    r = sigv4_request(tarn_server, "PUT", f"/{repo}/main/h.txt", "", now, body=b"what was signed",
                      payload=hashlib.sha256(b"what was signed").hexdigest())
    assert r.status_code == 200, r.text


def test_a_cut_upload_leaves_no_entry(tarn_server, s3, repo, client):
    import socket
    now = datetime.datetime.now(datetime.timezone.utc)
    headers = sigv4_headers(tarn_server, "PUT", f"/{repo}/main/cut.bin", "", now, {"content-length": "100000"})
    with socket.create_connection(("127.0.0.1", tarn_server.port), timeout=30) as sock:
        head = f"PUT /{repo}/main/cut.bin HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(head.encode() + b"\r\n" + b"x" * 5000)
        time.sleep(0.5)
    time.sleep(1.0)
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=repo, Key="main/cut.bin")
    assert status(e) == 404
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []


def test_sigv2_header_signatures(tarn_server, repo):
    v2 = s3_client(tarn_server, signature_version="s3")
    v2.put_object(Bucket=repo, Key="main/v2/a b+c.txt", Body=b"signed with v2", Metadata={"x": "1"})
    assert v2.get_object(Bucket=repo, Key="main/v2/a b+c.txt")["Body"].read() == b"signed with v2"
    assert [o["Key"] for o in v2.list_objects(Bucket=repo, Prefix="main/v2/")["Contents"]] == ["main/v2/a b+c.txt"]
    v2.delete_object(Bucket=repo, Key="main/v2/a b+c.txt")
    bad = s3_client(tarn_server, secret="wrong-secret-wrong-secret-wrong-secret00", signature_version="s3")
    with pytest.raises(ClientError) as e:
        bad.list_objects(Bucket=repo)
    assert error_code(e) == "SignatureDoesNotMatch"


def test_clock_skew_is_refused(tarn_server, repo):
    now = datetime.datetime.now(datetime.timezone.utc)
    ok = sigv4_get(tarn_server, f"/{repo}", "list-type=2", now - datetime.timedelta(minutes=10))
    assert ok.status_code == 200, ok.text
    for skew in (-20, 20):
        r = sigv4_get(tarn_server, f"/{repo}", "list-type=2", now + datetime.timedelta(minutes=skew))
        assert r.status_code == 403 and s3_error(r)["Code"] == "RequestTimeTooSkewed", r.text


# ---- multipart ----------------------------------------------------------------------------

def test_multipart_upload_with_the_transfer_manager(s3, repo, tmp_path):
    from boto3.s3.transfer import TransferConfig
    src = tmp_path / "big.bin"
    size = 12 * 1024 * 1024 + 123
    with open(src, "wb") as f:
        block = bytes(range(256)) * 4096
        written = 0
        while written < size:
            piece = block[:size - written]
            f.write(piece)
            written += len(piece)
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_file(str(src), repo, "main/big.bin", Config=config)
    head = s3.head_object(Bucket=repo, Key="main/big.bin")
    assert head["ContentLength"] == size
    assert head["ETag"].endswith('-3"')
    dst = tmp_path / "back.bin"
    s3.download_file(repo, "main/big.bin", str(dst), Config=config)
    assert hashlib.md5(dst.read_bytes()).hexdigest() == hashlib.md5(src.read_bytes()).hexdigest()


def test_multipart_low_level_calls(s3, repo, client):
    up = s3.create_multipart_upload(Bucket=repo, Key="main/mp.txt", ContentType="text/plain", Metadata={"m": "1"})
    uid = up["UploadId"]
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=repo).get("Uploads", [])] == [uid]
    p1 = s3.upload_part(Bucket=repo, Key="main/mp.txt", UploadId=uid, PartNumber=1, Body=b"a" * (5 * 1024 * 1024))
    s3.put_object(Bucket=repo, Key="main/src.txt", Body=b"0123456789")
    p2 = s3.upload_part_copy(Bucket=repo, Key="main/mp.txt", UploadId=uid, PartNumber=2,
                             CopySource={"Bucket": repo, "Key": "main/src.txt"}, CopySourceRange="bytes=2-5")
    parts = s3.list_parts(Bucket=repo, Key="main/mp.txt", UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, 5 * 1024 * 1024), (2, 4)]
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=repo, Key="main/mp.txt")
    assert status(e) == 404
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=repo, Key="main/mp.txt", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": '"00000000000000000000000000000000"'}]})
    assert error_code(e) == "InvalidPart"
    done = s3.complete_multipart_upload(Bucket=repo, Key="main/mp.txt", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]})
    assert done["ETag"].endswith('-2"')
    got = s3.get_object(Bucket=repo, Key="main/mp.txt")
    assert got["Body"].read() == b"a" * (5 * 1024 * 1024) + b"2345"
    assert got["ContentType"] == "text/plain" and got["Metadata"] == {"m": "1"}
    with pytest.raises(ClientError) as e:
        s3.list_parts(Bucket=repo, Key="main/mp.txt", UploadId=uid)
    assert error_code(e) == "NoSuchUpload"


def test_list_multipart_uploads_and_parts_pages(s3, repo):
    ids = {}
    for key in ("main/up/a", "main/up/b", "main/up/c"):
        ids[key] = sorted(s3.create_multipart_upload(Bucket=repo, Key=key)["UploadId"] for _ in range(2))
    expected = [(k, i) for k in sorted(ids) for i in ids[k]]
    # boto3's paginator follows NextKeyMarker / NextUploadIdMarker
    pages = list(s3.get_paginator("list_multipart_uploads").paginate(
        Bucket=repo, Prefix="main/up/", PaginationConfig={"PageSize": 4}))
    assert [len(p.get("Uploads", [])) for p in pages] == [4, 2]
    assert pages[0]["IsTruncated"] and pages[0]["NextKeyMarker"] == "main/up/b"
    assert [(u["Key"], u["UploadId"]) for p in pages for u in p.get("Uploads", [])] == expected
    # a key-marker alone starts after that key; with an upload-id-marker, after that upload of it
    after_a = s3.list_multipart_uploads(Bucket=repo, Prefix="main/up/", KeyMarker="main/up/a")["Uploads"]
    assert [(u["Key"], u["UploadId"]) for u in after_a] == expected[2:]
    within_b = s3.list_multipart_uploads(Bucket=repo, Prefix="main/up/", KeyMarker="main/up/b",
                                         UploadIdMarker=ids["main/up/b"][0])
    assert [(u["Key"], u["UploadId"]) for u in within_b["Uploads"]] == expected[3:]
    assert within_b["KeyMarker"] == "main/up/b" and within_b["UploadIdMarker"] == ids["main/up/b"][0]
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=repo, Prefix="main/up/z")
    # ListParts pages by part-number-marker
    uid = ids["main/up/a"][0]
    for n in range(1, 6):
        s3.upload_part(Bucket=repo, Key="main/up/a", UploadId=uid, PartNumber=n, Body=b"p%d" % n)
    pages = list(s3.get_paginator("list_parts").paginate(Bucket=repo, Key="main/up/a", UploadId=uid,
                                                         PaginationConfig={"PageSize": 2}))
    assert [[p["PartNumber"] for p in page.get("Parts", [])] for page in pages] == [[1, 2], [3, 4], [5]]
    for key, uids in ids.items():
        for u in uids:
            s3.abort_multipart_upload(Bucket=repo, Key=key, UploadId=u)


def test_list_multipart_uploads_with_a_delimiter(s3, client, repo):
    keys = ["main/dl/a/1", "main/dl/a/2", "main/dl/b", "main/dl/c/x/1", "main/dl/d", "main/other/e", "dev/dl/f"]
    client.branches.createBranch(repository=repo, branch={"name": "dev", "source": "main"}).result()
    ids = {k: s3.create_multipart_upload(Bucket=repo, Key=k)["UploadId"] for k in keys}
    try:
        out = s3.list_multipart_uploads(Bucket=repo, Prefix="main/dl/", Delimiter="/")
        assert out["Delimiter"] == "/" and out["Prefix"] == "main/dl/" and not out["IsTruncated"]
        assert [(u["Key"], u["UploadId"]) for u in out["Uploads"]] == [("main/dl/b", ids["main/dl/b"]),
                                                                        ("main/dl/d", ids["main/dl/d"])]
        assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["main/dl/a/", "main/dl/c/"]
        # at the bucket root: one common prefix a branch
        root = s3.list_multipart_uploads(Bucket=repo, Delimiter="/")
        assert "Uploads" not in root and [p["Prefix"] for p in root["CommonPrefixes"]] == ["dev/", "main/"]
        # a common prefix counts as one entry of a page; the paginator goes on after it
        pages = list(s3.get_paginator("list_multipart_uploads").paginate(
            Bucket=repo, Prefix="main/dl/", Delimiter="/", PaginationConfig={"PageSize": 1}))
        assert [([u["Key"] for u in p.get("Uploads", [])], [c["Prefix"] for c in p.get("CommonPrefixes", [])])
                for p in pages] == [([], ["main/dl/a/"]), (["main/dl/b"], []), ([], ["main/dl/c/"]),
                                    (["main/dl/d"], [])]
        assert pages[0]["IsTruncated"] and pages[0]["NextKeyMarker"] == "main/dl/a/"
        assert "NextUploadIdMarker" not in pages[0]
        assert pages[1]["NextKeyMarker"] == "main/dl/b" and pages[1]["NextUploadIdMarker"] == ids["main/dl/b"]
        # another delimiter, and a prefix that ends inside a name
        dashes = s3.list_multipart_uploads(Bucket=repo, Prefix="main/dl/c", Delimiter="x")
        assert "Uploads" not in dashes and [p["Prefix"] for p in dashes["CommonPrefixes"]] == ["main/dl/c/x"]
        # without a delimiter every upload is listed, as before
        flat = s3.list_multipart_uploads(Bucket=repo, Prefix="main/dl/")
        assert [u["Key"] for u in flat["Uploads"]] == sorted(k for k in keys if k.startswith("main/dl/"))
        assert "CommonPrefixes" not in flat
    finally:
        for k, u in ids.items():
            s3.abort_multipart_upload(Bucket=repo, Key=k, UploadId=u)


def test_list_multipart_uploads_url_encoding(tarn_server, s3, repo):
    keys = ["main/enc/a b+c.txt", "main/enc/dir é/x", "main/enc/plain"]
    ids = {k: s3.create_multipart_upload(Bucket=repo, Key=k)["UploadId"] for k in keys}
    try:
        out = s3.list_multipart_uploads(Bucket=repo, Prefix="main/enc/", Delimiter="/", EncodingType="url",
                                        MaxUploads=2)
        # boto3 does not decode this operation's answer: the values are as the gateway encoded them
        assert out["EncodingType"] == "url" and out["Prefix"] == "main/enc/" and out["Delimiter"] == "/"
        assert [u["Key"] for u in out["Uploads"]] == ["main/enc/a%20b%2Bc.txt"]
        assert [p["Prefix"] for p in out["CommonPrefixes"]] == ["main/enc/dir%20%C3%A9/"]
        assert out["IsTruncated"] and out["NextKeyMarker"] == "main/enc/dir%20%C3%A9/"
        assert urllib.parse.unquote(out["Uploads"][0]["Key"]) == "main/enc/a b+c.txt"
        # the next page from the decoded marker, as a client that decodes sends it
        rest = s3.list_multipart_uploads(Bucket=repo, Prefix="main/enc/", Delimiter="/", EncodingType="url",
                                         KeyMarker=urllib.parse.unquote(out["NextKeyMarker"]))
        assert rest["KeyMarker"] == "main/enc/dir%20%C3%A9/" and not rest["IsTruncated"]
        assert [(u["Key"], u["UploadId"]) for u in rest["Uploads"]] == [("main/enc/plain", ids["main/enc/plain"])]
        # without it, the keys come back as they are
        plain = s3.list_multipart_uploads(Bucket=repo, Prefix="main/enc/")
        assert "EncodingType" not in plain and [u["Key"] for u in plain["Uploads"]] == sorted(keys)
        now = datetime.datetime.now(datetime.timezone.utc)
        r = sigv4_request(tarn_server, "GET", f"/{repo}", "encoding-type=base64&uploads=", now)
        assert r.status_code == 400 and s3_error(r)["Code"] == "InvalidArgument", r.text
    finally:
        for k, u in ids.items():
            s3.abort_multipart_upload(Bucket=repo, Key=k, UploadId=u)


def test_multipart_parts_out_of_order(s3, repo):
    uid = s3.create_multipart_upload(Bucket=repo, Key="main/order.bin")["UploadId"]
    e1 = s3.upload_part(Bucket=repo, Key="main/order.bin", UploadId=uid, PartNumber=1, Body=b"a")["ETag"]
    e2 = s3.upload_part(Bucket=repo, Key="main/order.bin", UploadId=uid, PartNumber=2, Body=b"b")["ETag"]
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=repo, Key="main/order.bin", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]})
    assert error_code(e) == "InvalidPartOrder"
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=repo, Key="main/order.bin", UploadId=uid, PartNumber=10001, Body=b"c")
    assert error_code(e) == "InvalidArgument"
    s3.abort_multipart_upload(Bucket=repo, Key="main/order.bin", UploadId=uid)


def test_multipart_abort_and_errors(client, s3, repo):
    uid = s3.create_multipart_upload(Bucket=repo, Key="main/ab.txt")["UploadId"]
    s3.upload_part(Bucket=repo, Key="main/ab.txt", UploadId=uid, PartNumber=1, Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=repo, Key="main/other.txt", UploadId=uid, PartNumber=1, Body=b"x")
    assert error_code(e) == "NoSuchUpload"
    s3.abort_multipart_upload(Bucket=repo, Key="main/ab.txt", UploadId=uid)
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=repo, Key="main/ab.txt", UploadId=uid, PartNumber=2, Body=b"x")
    assert error_code(e) == "NoSuchUpload"
    with pytest.raises(ClientError) as e:
        s3.abort_multipart_upload(Bucket=repo, Key="main/ab.txt", UploadId="no-such-upload")
    assert error_code(e) == "NoSuchUpload"
    client.tags.createTag(repository=repo, tag={"id": "t1", "ref": "main"}).result()
    with pytest.raises(ClientError) as e:
        s3.create_multipart_upload(Bucket=repo, Key="t1/x.bin")
    assert error_code(e) == "AccessDenied"
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []


# ---- AWS CLI v1 ---------------------------------------------------------------------------

def test_aws_cli_cp_ls_rm(tarn_server, repo, tmp_path):
    src = tmp_path / "hello.txt"
    src.write_bytes(b"hello from the cli\n")
    aws_cli(tarn_server, "s3", "cp", str(src), f"s3://{repo}/main/cli/hello.txt")
    listed = aws_cli(tarn_server, "s3", "ls", f"s3://{repo}/main/cli/").stdout
    assert "hello.txt" in listed
    root = aws_cli(tarn_server, "s3", "ls", f"s3://{repo}/").stdout
    assert "PRE main/" in root
    assert repo in aws_cli(tarn_server, "s3", "ls").stdout.split()
    head = aws_cli(tarn_server, "s3api", "head-object", "--bucket", repo, "--key", "main/cli/hello.txt").stdout
    assert '"ContentLength": 19' in head
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"odd")
    aws_cli(tarn_server, "s3", "cp", str(odd), f"s3://{repo}/main/cli/a b+ü.txt")
    assert "a b+ü.txt" in aws_cli(tarn_server, "s3", "ls", f"s3://{repo}/main/cli/").stdout
    dst = tmp_path / "back.txt"
    aws_cli(tarn_server, "s3", "cp", f"s3://{repo}/main/cli/hello.txt", str(dst))
    assert dst.read_bytes() == b"hello from the cli\n"
    aws_cli(tarn_server, "s3", "rm", f"s3://{repo}/main/cli/hello.txt")
    assert "hello.txt" not in aws_cli(tarn_server, "s3", "ls", f"s3://{repo}/main/cli/", check=False).stdout


def test_aws_cli_multipart_cp_and_sync(tarn_server, repo, tmp_path):
    big = tmp_path / "up" / "big.bin"
    big.parent.mkdir()
    big.write_bytes(bytes(range(256)) * (40 * 1024))  # 10 MiB: over the CLI's 8 MiB multipart threshold
    for i in range(5):
        (tmp_path / "up" / f"f{i}.txt").write_text(f"file {i}\n")
    aws_cli(tarn_server, "s3", "sync", str(tmp_path / "up"), f"s3://{repo}/main/synced/")
    down = tmp_path / "down"
    aws_cli(tarn_server, "s3", "sync", f"s3://{repo}/main/synced/", str(down))
    assert sorted(p.name for p in down.iterdir()) == ["big.bin"] + [f"f{i}.txt" for i in range(5)]
    assert (down / "big.bin").read_bytes() == big.read_bytes()
    again = aws_cli(tarn_server, "s3", "sync", str(tmp_path / "up"), f"s3://{repo}/main/synced/")
    assert again.stdout.strip() == ""  # nothing differs
    aws_cli(tarn_server, "s3", "rm", "--recursive", f"s3://{repo}/main/synced/")
    assert aws_cli(tarn_server, "s3", "ls", f"s3://{repo}/main/synced/", check=False).stdout.strip() == ""


def test_aws_cli_errors(tarn_server, repo):
    out = aws_cli(tarn_server, "s3api", "get-object", "--bucket", repo, "--key", "main/none", "/dev/null", check=False)
    assert out.returncode != 0 and "NoSuchKey" in out.stderr
    out = aws_cli(tarn_server, "s3", "ls", f"s3://{repo}/", secret="wrong-secret-wrong-secret-wrong-secret00",
                  check=False)
    assert out.returncode != 0 and "SignatureDoesNotMatch" in out.stderr
    out = aws_cli(tarn_server, "s3", "ls", "s3://no-such-repo/", check=False)
    assert out.returncode != 0 and "NoSuchBucket" in out.stderr
