"""Direct transfers of the current API (/api/v1): getPhysicalAddress / linkPhysicalAddress (a client
writes the data to the block store itself, through a presigned URL on S3), stageObject (an entry on
data already in the block store), presigned reads, and what getConfig says about them; through
lakefs-sdk and the high-level `lakefs` SDK (whose writer and reader take the presigned path on their
own when getConfig offers it)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import lakefs
import lakefs_sdk
import pytest
import requests
from lakefs.client import Client
from lakefs_sdk import exceptions as sdk_errors
from lakefs_sdk.client import LakeFSClient

from conftest import unique_repo_id


def sdk_for(server) -> LakeFSClient:
    return LakeFSClient(lakefs_sdk.Configuration(host=f"{server.url}/api/v1", username=server.access_key_id,
                                                 password=server.secret_access_key))


def new_repo(server, sdk, prefix) -> str:
    repo_id = unique_repo_id(prefix)
    sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
        name=repo_id, storage_namespace=server.namespace(repo_id)))
    return repo_id


def message_of(error) -> str:
    body = json.loads(error.body)
    assert body["message"]
    return body["message"]


def local_file(server, uri: str) -> Path:
    """Where a local:// URI of the server's block store lives on disk (a client with direct access)."""
    assert uri.startswith("local://")
    return server.data_dir / "blocks" / uri[len("local://"):]


@pytest.fixture(scope="module")
def sdk(tarn_server) -> LakeFSClient:
    return sdk_for(tarn_server)


@pytest.fixture(scope="module")
def s3_sdk(s3_tarn_server) -> LakeFSClient:
    return sdk_for(s3_tarn_server)


def test_config_offers_presigned_transfers_on_s3_only(sdk, s3_sdk):
    local = sdk.config_api.get_config().storage_config
    assert local.pre_sign_support is False and local.pre_sign_multipart_upload is False
    s3 = s3_sdk.config_api.get_config().storage_config
    assert s3.blockstore_type == "s3" and s3.pre_sign_support is True and s3.pre_sign_support_ui is True
    assert s3.pre_sign_multipart_upload is True


def test_link_what_a_client_wrote_itself(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk, "stage")
    location = sdk.staging_api.get_physical_address(repo_id, "main", "direct/a.bin")
    assert location.physical_address.startswith(tarn_server.namespace(repo_id) + "/data/")
    assert location.presigned_url is None
    data = b"written straight to the block store"
    target = local_file(tarn_server, location.physical_address)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    md5 = hashlib.md5(data).hexdigest()
    stats = sdk.staging_api.link_physical_address(repo_id, "main", "direct/a.bin", lakefs_sdk.StagingMetadata(
        staging=location, checksum=md5, size_bytes=len(data), content_type="application/x-test",
        user_metadata={"origin": "direct"}))
    assert stats.path == "direct/a.bin" and stats.checksum == md5 and stats.size_bytes == len(data)
    assert stats.physical_address == location.physical_address and stats.metadata == {"origin": "direct"}
    assert sdk.objects_api.get_object(repo_id, "main", "direct/a.bin") == data
    sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="linked"))
    assert sdk.objects_api.stat_object(repo_id, "main@", "direct/a.bin").content_type == "application/x-test"

    # linked once only
    with pytest.raises(sdk_errors.BadRequestException) as again:
        sdk.staging_api.link_physical_address(repo_id, "main", "direct/b.bin", lakefs_sdk.StagingMetadata(
            staging=location, checksum=md5, size_bytes=len(data)))
    assert "not handed out" in message_of(again.value)


def test_link_errors(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk, "stageerr")
    other = new_repo(tarn_server, sdk, "stageother")
    sdk.objects_api.upload_object(repo_id, "main", "exists", content=b"old")
    location = sdk.staging_api.get_physical_address(repo_id, "main", "x")
    data = b"0123456789"
    target = local_file(tarn_server, location.physical_address)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    md5 = hashlib.md5(data).hexdigest()

    def link(repo, path, **kwargs):
        meta = dict(staging=location, checksum=md5, size_bytes=len(data))
        meta.update(kwargs)
        return sdk.staging_api.link_physical_address(repo, "main", path, lakefs_sdk.StagingMetadata(**meta))

    with pytest.raises(sdk_errors.BadRequestException) as size:
        link(repo_id, "x", size_bytes=11)
    assert "size_bytes" in message_of(size.value)
    with pytest.raises(sdk_errors.BadRequestException) as checksum:
        link(repo_id, "x", checksum="0" * 32)
    assert "checksum" in message_of(checksum.value)
    with pytest.raises(sdk_errors.BadRequestException) as foreign:
        link(other, "x")  # handed out for another repository
    assert "not handed out" in message_of(foreign.value)
    with pytest.raises(sdk_errors.ApiException) as exists:
        sdk.staging_api.link_physical_address(repo_id, "main", "exists", lakefs_sdk.StagingMetadata(
            staging=location, checksum=md5, size_bytes=len(data)), if_none_match="*")
    assert exists.value.status == 412
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.staging_api.get_physical_address(repo_id, "no-such-branch", "x")
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.staging_api.get_physical_address("no-such-repo-st", "main", "x")
    with pytest.raises(sdk_errors.ApiException) as presign:
        sdk.staging_api.get_physical_address(repo_id, "main", "x", presign=True)
    assert presign.value.status == 501 and "pre_sign_support" in message_of(presign.value)
    with pytest.raises(sdk_errors.ApiException) as presigned_read:
        sdk.objects_api.stat_object(repo_id, "main", "exists", presign=True)
    assert presigned_read.value.status == 501
    # the failed attempts left the address usable
    assert link(repo_id, "x").size_bytes == len(data)
    unwritten = sdk.staging_api.get_physical_address(repo_id, "main", "never")
    with pytest.raises(sdk_errors.BadRequestException) as nothing:
        sdk.staging_api.link_physical_address(repo_id, "main", "never", lakefs_sdk.StagingMetadata(
            staging=unwritten, checksum=md5, size_bytes=1))
    assert "nothing was written" in message_of(nothing.value)
    bad = requests.put(f"{tarn_server.url}/api/v1/repositories/{repo_id}/branches/main/staging/backing",
                       params={"path": "x"}, json={"checksum": md5}, timeout=30,
                       auth=(tarn_server.access_key_id, tarn_server.secret_access_key))
    assert bad.status_code == 400 and "staging" in bad.json()["message"]


def test_stage_object_on_existing_data(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk, "stagex")
    data = b"a,b\n1,2\n"
    external = tarn_server.data_dir / "blocks" / "external" / repo_id / "part-0.csv"
    external.parent.mkdir(parents=True, exist_ok=True)
    external.write_bytes(data)
    uri = f"local://external/{repo_id}/part-0.csv"
    md5 = hashlib.md5(data).hexdigest()
    stats = sdk.internal_api.stage_object(repo_id, "main", "tables/part-0.csv", lakefs_sdk.ObjectStageCreation(
        physical_address=uri, checksum=md5, size_bytes=len(data), content_type="text/csv"))
    assert stats.physical_address == uri and stats.checksum == md5
    assert sdk.objects_api.get_object(repo_id, "main", "tables/part-0.csv") == data
    assert sdk.objects_api.get_object(repo_id, "main", "tables/part-0.csv", range="bytes=2-2") == b"b"
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.internal_api.stage_object(repo_id, "main", "t/missing", lakefs_sdk.ObjectStageCreation(
            physical_address=f"local://external/{repo_id}/missing", checksum=md5, size_bytes=1))
    with pytest.raises(sdk_errors.BadRequestException) as inside:
        sdk.internal_api.stage_object(repo_id, "main", "t/steal", lakefs_sdk.ObjectStageCreation(
            physical_address=tarn_server.namespace(repo_id) + "/_tarn/namespace.json", checksum=md5, size_bytes=1))
    assert "storage namespace of repository" in message_of(inside.value)
    with pytest.raises(sdk_errors.BadRequestException) as other_store:
        sdk.internal_api.stage_object(repo_id, "main", "t/s3", lakefs_sdk.ObjectStageCreation(
            physical_address="s3://bucket/key", checksum=md5, size_bytes=1))
    assert "block store" in message_of(other_store.value)


def test_presigned_upload_and_reads_on_s3(s3_tarn_server, s3_sdk):
    repo_id = new_repo(s3_tarn_server, s3_sdk, "presign")
    location = s3_sdk.staging_api.get_physical_address(repo_id, "main", "up/a.txt", presign=True)
    assert location.physical_address.startswith(s3_tarn_server.namespace(repo_id) + "/data/")
    assert location.presigned_url.startswith("http") and location.presigned_url_expiry > 0
    data = b"through a presigned URL"
    put = requests.put(location.presigned_url, data=data, timeout=30)
    assert put.status_code == 200, put.text
    stats = s3_sdk.staging_api.link_physical_address(repo_id, "main", "up/a.txt", lakefs_sdk.StagingMetadata(
        staging=location, checksum=put.headers["ETag"], size_bytes=len(data)))
    assert stats.checksum == hashlib.md5(data).hexdigest()
    # reads: a presigned stat answers the URL; getObject redirects to it (the SDK follows)
    stat = s3_sdk.objects_api.stat_object(repo_id, "main", "up/a.txt", presign=True)
    assert stat.physical_address.startswith("http") and stat.physical_address_expiry > 0
    assert requests.get(stat.physical_address, timeout=30).content == data
    assert s3_sdk.objects_api.get_object(repo_id, "main", "up/a.txt", presign=True) == data
    redirect = requests.get(f"{s3_tarn_server.url}/api/v1/repositories/{repo_id}/refs/main/objects",
                            params={"path": "up/a.txt", "presign": "true"}, allow_redirects=False, timeout=30,
                            auth=(s3_tarn_server.access_key_id, s3_tarn_server.secret_access_key))
    assert redirect.status_code == 302 and redirect.headers["Location"].startswith("http")
    listed = s3_sdk.objects_api.list_objects(repo_id, "main", presign=True).results
    assert [o.path for o in listed] == ["up/a.txt"] and listed[0].physical_address.startswith("http")


def test_high_level_sdk_transfers_through_presigned_urls_on_s3(s3_tarn_server):
    clt = Client(host=s3_tarn_server.url, username=s3_tarn_server.access_key_id,
                 password=s3_tarn_server.secret_access_key)
    assert clt.storage_config.pre_sign_support is True
    repo_id = unique_repo_id("hlpresign")
    repo = lakefs.Repository(repo_id, client=clt).create(storage_namespace=s3_tarn_server.namespace(repo_id))
    main = repo.branch("main")
    obj = main.object("docs/readme.txt")
    with obj.writer(mode="w", content_type="text/plain") as w:  # presigned PUT + linkPhysicalAddress
        w.write("hello through S3")
    assert obj.reader(mode="r").read() == "hello through S3"  # presigned GET
    stats = obj.stat()
    assert stats.size_bytes == 16 and stats.content_type == "text/plain"
    main.commit("presigned")
    assert [o.path for o in main.objects()] == ["docs/readme.txt"]
    with pytest.raises(lakefs.exceptions.ObjectExistsException):
        with obj.writer(mode="xb") as w:
            w.write(b"again")


PART = 5 * 1024 * 1024  # S3's smallest part but the last


def test_presigned_multipart_upload_on_s3(s3_tarn_server, s3_sdk):
    repo_id = new_repo(s3_tarn_server, s3_sdk, "pmpu")
    api = s3_sdk.experimental_api
    upload = api.create_presign_multipart_upload(repo_id, "main", "big/data.bin", parts=3)
    assert upload.upload_id and upload.physical_address.startswith(s3_tarn_server.namespace(repo_id) + "/data/")
    assert len(upload.presigned_urls) == 3 and all(u.startswith("http") for u in upload.presigned_urls)
    chunks = [b"a" * PART, b"b" * PART, b"the end"]
    etags = []
    for url, chunk in zip(upload.presigned_urls, chunks):
        put = requests.put(url, data=chunk, timeout=60)  # straight to S3, no credentials of Tarn's
        assert put.status_code == 200, put.text
        etags.append(put.headers["ETag"])
    # nothing is staged before completion
    with pytest.raises(sdk_errors.NotFoundException):
        s3_sdk.objects_api.stat_object(repo_id, "main", "big/data.bin")
    stats = api.complete_presign_multipart_upload(
        repo_id, "main", upload.upload_id, "big/data.bin", lakefs_sdk.CompletePresignMultipartUpload(
            physical_address=upload.physical_address, content_type="application/x-parquet",
            user_metadata={"origin": "pmpu"},
            parts=[lakefs_sdk.UploadPart(part_number=n + 1, etag=e) for n, e in enumerate(etags)]))
    data = b"".join(chunks)
    assert stats.path == "big/data.bin" and stats.size_bytes == len(data)
    assert stats.physical_address == upload.physical_address
    assert stats.checksum.endswith("-3") and stats.content_type == "application/x-parquet"
    assert stats.metadata == {"origin": "pmpu"}
    stat = s3_sdk.objects_api.stat_object(repo_id, "main", "big/data.bin")
    assert (stat.size_bytes, stat.checksum, stat.content_type) == (len(data), stats.checksum, "application/x-parquet")
    got = s3_sdk.objects_api.get_object(repo_id, "main", "big/data.bin")
    assert hashlib.md5(got).hexdigest() == hashlib.md5(data).hexdigest()
    commit = s3_sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="presigned multipart"))
    listed = s3_sdk.objects_api.list_objects(repo_id, commit.id).results
    assert [(o.path, o.size_bytes, o.checksum) for o in listed] == [("big/data.bin", len(data), stats.checksum)]
    # the upload is over: completing or aborting it again is a 404
    with pytest.raises(sdk_errors.NotFoundException) as gone:
        api.complete_presign_multipart_upload(repo_id, "main", upload.upload_id, "big/data.bin",
                                              lakefs_sdk.CompletePresignMultipartUpload(
                                                  physical_address=upload.physical_address,
                                                  parts=[lakefs_sdk.UploadPart(part_number=1, etag=etags[0])]))
    assert message_of(gone.value)


def test_presigned_multipart_abort_and_errors_on_s3(s3_tarn_server, s3_sdk):
    repo_id = new_repo(s3_tarn_server, s3_sdk, "pmpuerr")
    api = s3_sdk.experimental_api
    upload = api.create_presign_multipart_upload(repo_id, "main", "a.bin", parts=2)
    put = requests.put(upload.presigned_urls[0], data=b"x" * PART, timeout=60)
    assert put.status_code == 200, put.text
    etag = put.headers["ETag"]

    def complete(parts, path="a.bin", upload_id=upload.upload_id, address=upload.physical_address, branch="main"):
        return api.complete_presign_multipart_upload(repo_id, branch, upload_id, path,
                                                     lakefs_sdk.CompletePresignMultipartUpload(
                                                         physical_address=address, parts=parts))

    part = lakefs_sdk.UploadPart
    bad = [
        ([part(part_number=1, etag='"00000000000000000000000000000000"')], {}, "ETag"),  # wrong ETag
        ([part(part_number=1, etag=etag), part(part_number=2, etag=etag)], {}, "not uploaded"),  # part 2 missing
        ([part(part_number=1, etag=etag), part(part_number=1, etag=etag)], {}, "ascending"),  # twice
        ([], {}, "at least one part"),
        ([part(part_number=1, etag=etag)], {"path": "other.bin"}, "a.bin"),  # another path
        ([part(part_number=1, etag=etag)], {"address": upload.physical_address + "x"}, "physical_address"),
    ]
    for parts, kwargs, words in bad:
        with pytest.raises(sdk_errors.BadRequestException) as e:
            complete(parts, **kwargs)
        assert words in message_of(e.value), (parts, kwargs)
    for kwargs in ({"upload_id": "no-such-upload"}, {"branch": "nope"}):
        with pytest.raises(sdk_errors.NotFoundException) as e:
            complete([part(part_number=1, etag=etag)], **kwargs)
        assert message_of(e.value)
    # a body without parts, or not JSON
    raw = requests.put(f"{s3_tarn_server.url}/api/v1/repositories/{repo_id}/branches/main/staging/pmpu/"
                       f"{upload.upload_id}", params={"path": "a.bin"}, json={"physical_address": upload.physical_address},
                       auth=(s3_tarn_server.access_key_id, s3_tarn_server.secret_access_key), timeout=30)
    assert raw.status_code == 400 and "parts" in raw.json()["message"]
    # create: parts out of range, unknown branch or repository
    for parts in (-1, 10001):
        with pytest.raises(sdk_errors.BadRequestException) as e:
            api.create_presign_multipart_upload(repo_id, "main", "b.bin", parts=parts)
        assert "parts" in message_of(e.value)
    with pytest.raises(sdk_errors.NotFoundException):
        api.create_presign_multipart_upload(repo_id, "nope", "b.bin", parts=1)
    with pytest.raises(sdk_errors.NotFoundException):
        api.create_presign_multipart_upload("no-such-repo", "main", "b.bin", parts=1)
    # the failed completions left the upload intact: abort it, after which it is gone
    with pytest.raises(sdk_errors.BadRequestException):
        api.abort_presign_multipart_upload(repo_id, "main", upload.upload_id, "a.bin",
                                           lakefs_sdk.AbortPresignMultipartUpload(physical_address="s3://else/x"))
    api.abort_presign_multipart_upload(repo_id, "main", upload.upload_id, "a.bin",
                                       lakefs_sdk.AbortPresignMultipartUpload(physical_address=upload.physical_address))
    with pytest.raises(sdk_errors.NotFoundException):
        complete([part(part_number=1, etag=etag)])
    with pytest.raises(sdk_errors.NotFoundException):
        api.abort_presign_multipart_upload(repo_id, "main", upload.upload_id, "a.bin",
                                           lakefs_sdk.AbortPresignMultipartUpload(
                                               physical_address=upload.physical_address))
    with pytest.raises(sdk_errors.NotFoundException):
        s3_sdk.objects_api.stat_object(repo_id, "main", "a.bin")
    # an upload with no part URLs asked for answers none
    empty = api.create_presign_multipart_upload(repo_id, "main", "c.bin")
    assert not empty.presigned_urls
    api.abort_presign_multipart_upload(repo_id, "main", empty.upload_id, "c.bin",
                                       lakefs_sdk.AbortPresignMultipartUpload(physical_address=empty.physical_address))


def test_presigned_multipart_is_not_implemented_on_local(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk, "pmpulocal")
    api = sdk.experimental_api
    with pytest.raises(sdk_errors.ApiException) as e:
        api.create_presign_multipart_upload(repo_id, "main", "a.bin", parts=1)
    assert e.value.status == 501 and "pre_sign_multipart_upload" in message_of(e.value)
    with pytest.raises(sdk_errors.ApiException) as e:
        api.complete_presign_multipart_upload(repo_id, "main", "some-id", "a.bin",
                                              lakefs_sdk.CompletePresignMultipartUpload(
                                                  physical_address="local://x", parts=[
                                                      lakefs_sdk.UploadPart(part_number=1, etag="e")]))
    assert e.value.status == 501 and "pre_sign_multipart_upload" in message_of(e.value)
    with pytest.raises(sdk_errors.ApiException) as e:
        api.abort_presign_multipart_upload(repo_id, "main", "some-id", "a.bin",
                                           lakefs_sdk.AbortPresignMultipartUpload(physical_address="local://x"))
    assert e.value.status == 501 and message_of(e.value)
    with pytest.raises(sdk_errors.NotFoundException):  # the repository and branch are checked first
        api.create_presign_multipart_upload(repo_id, "nope", "a.bin", parts=1)
