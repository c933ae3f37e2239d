"""Zero-copy imports of the current API (importStart / importStatus / importCancel) through lakefs-sdk
and the high-level `lakefs` SDK's ImportManager: objects of the block store (outside every
repository's namespace) become one commit on a branch, pointing at the data where it is."""
from __future__ import annotations

import hashlib
import json
import time
import uuid

import boto3
import lakefs
import lakefs_sdk
import pytest
import requests
from lakefs.client import Client
from lakefs_sdk import exceptions as sdk_errors
from lakefs_sdk.client import LakeFSClient

from conftest import S3_BUCKET, unique_repo_id


def sdk_for(server) -> LakeFSClient:
    return LakeFSClient(lakefs_sdk.Configuration(host=f"{server.url}/api/v1", username=server.access_key_id,
                                                 password=server.secret_access_key))


@pytest.fixture(scope="module")
def sdk(tarn_server) -> LakeFSClient:
    return sdk_for(tarn_server)


def new_repo(server, sdk, prefix="imp") -> str:
    repo_id = unique_repo_id(prefix)
    sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
        name=repo_id, storage_namespace=server.namespace(repo_id)))
    return repo_id


def external_files(server, count: int, sub: str = "") -> tuple[str, dict]:
    """count files under the local block store, outside any namespace: (their prefix URI, path -> bytes)."""
    name = "ext-" + uuid.uuid4().hex[:8]
    root = server.data_dir / "blocks" / "external" / name
    files = {}
    for i in range(count):
        rel = f"{sub}part={i % 3}/file-{i:05d}.csv"
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = f"row,{i}\n".encode()
        target.write_bytes(data)
        files[rel] = data
    return f"local://external/{name}/", files


def wait(sdk, repo_id, branch, import_id, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = sdk.import_api.import_status(repo_id, branch, import_id)
        if status.completed or status.error is not None:
            return status
        time.sleep(0.2)
    raise AssertionError(f"import {import_id} did not end in {timeout}s")


def start(sdk, repo_id, branch, *locations, message="import", **commit):
    return sdk.import_api.import_start(repo_id, branch, lakefs_sdk.ImportCreation(
        paths=[lakefs_sdk.ImportLocation(type=t, path=p, destination=d) for t, p, d in locations],
        commit=lakefs_sdk.CommitCreation(message=message, **commit))).id


def message_of(error) -> str:
    body = json.loads(error.body)
    assert body["message"]
    return body["message"]


def test_import_a_prefix_and_an_object_as_one_commit(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk)
    uri, files = external_files(tarn_server, 120)
    sdk.objects_api.upload_object(repo_id, "main", "staged-before.txt", content=b"still staged")
    head = sdk.branches_api.get_branch(repo_id, "main").commit_id
    import_id = start(sdk, repo_id, "main", ("common_prefix", uri, "tables/events/"),
                      ("object", uri + "part=0/file-00000.csv", "single/first.csv"),
                      message="import events", metadata={"source": "external"})
    status = wait(sdk, repo_id, "main", import_id)
    assert status.completed and status.error is None, status
    assert status.ingested_objects == 121
    assert status.commit.parents == [head] and status.commit.message == "import events"
    assert status.commit.metadata == {"source": "external"} and status.metarange_id == status.commit.meta_range_id
    assert sdk.branches_api.get_branch(repo_id, "main").commit_id == status.commit.id

    listed, after = [], ""
    while True:
        page = sdk.objects_api.list_objects(repo_id, "main@", prefix="tables/events/", after=after, amount=1000)
        listed += page.results
        if not page.pagination.has_more:
            break
        after = page.pagination.next_offset
    assert sorted(o.path for o in listed) == sorted("tables/events/" + rel for rel in files)
    one = next(o for o in listed if o.path == "tables/events/part=1/file-00004.csv")
    assert one.physical_address == uri + "part=1/file-00004.csv"  # zero-copy: the data where it was
    assert one.checksum == hashlib.md5(files["part=1/file-00004.csv"]).hexdigest()
    assert sdk.objects_api.get_object(repo_id, "main", "tables/events/part=1/file-00004.csv") == b"row,4\n"
    assert sdk.objects_api.get_object(repo_id, "main", "single/first.csv") == b"row,0\n"
    # the branch's staged change is still staged, not part of the import commit
    assert [d.path for d in sdk.branches_api.diff_branch(repo_id, "main").results] == ["staged-before.txt"]
    with pytest.raises(sdk_errors.ApiException) as ended:
        sdk.import_api.import_cancel(repo_id, "main", import_id)
    assert ended.value.status == 409
    assert sdk.config_api.get_config().storage_config.import_support is True


def test_a_prefix_import_replaces_its_destination(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk, "impreplace")
    for path in ("tables/part=0/file-00000.csv", "tables/old.csv", "tables/deep/old.csv", "tablesque.txt", "x.txt"):
        sdk.objects_api.upload_object(repo_id, "main", path, content=b"before")
    sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="before"))
    uri, files = external_files(tarn_server, 6)
    status = wait(sdk, repo_id, "main", start(sdk, repo_id, "main", ("common_prefix", uri, "tables/")))
    assert status.completed and status.error is None and status.ingested_objects == 6
    listed = [o.path for o in sdk.objects_api.list_objects(repo_id, status.commit.id, amount=1000).results]
    # what was under tables/ and is not in the source is gone (as lakeFS's import replaces the prefix);
    # objects outside the prefix, even with the same letters, are kept
    assert listed == sorted(["tables/" + rel for rel in files] + ["tablesque.txt", "x.txt"])
    same = sdk.objects_api.stat_object(repo_id, "main", "tables/part=0/file-00000.csv")
    assert same.physical_address == uri + "part=0/file-00000.csv" and same.size_bytes == len(files["part=0/file-00000.csv"])
    diff = sdk.refs_api.diff_refs(repo_id, status.commit.parents[0], status.commit.id, amount=1000).results
    assert {(d.path, d.type) for d in diff if d.type == "removed"} == {("tables/old.csv", "removed"),
                                                                      ("tables/deep/old.csv", "removed")}


def test_import_errors(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk)
    uri, _ = external_files(tarn_server, 2)
    with pytest.raises(sdk_errors.BadRequestException) as inside:
        start(sdk, repo_id, "main", ("common_prefix", tarn_server.namespace(repo_id) + "/", "x/"))
    assert "storage namespace of repository" in message_of(inside.value)
    with pytest.raises(sdk_errors.BadRequestException) as holds:
        start(sdk, repo_id, "main", ("common_prefix", "local://repos/", "x/"))
    assert "storage namespace of repository" in message_of(holds.value)
    with pytest.raises(sdk_errors.BadRequestException) as scheme:
        start(sdk, repo_id, "main", ("common_prefix", "s3://bucket/prefix/", "x/"))
    assert "block store" in message_of(scheme.value)
    kind = requests.post(f"{tarn_server.url}/api/v1/repositories/{repo_id}/branches/main/import", timeout=30,
                         auth=(tarn_server.access_key_id, tarn_server.secret_access_key),
                         json={"paths": [{"type": "directory", "path": uri, "destination": "x/"}],
                               "commit": {"message": "m"}})
    assert kind.status_code == 400 and "type" in kind.json()["message"]
    with pytest.raises(sdk_errors.BadRequestException):
        start(sdk, repo_id, "main", ("common_prefix", uri, "x/"), message="")
    with pytest.raises(sdk_errors.NotFoundException):
        start(sdk, repo_id, "no-such-branch", ("common_prefix", uri, "x/"))
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.import_api.import_status(repo_id, "main", "0123456789abcdef")
    with pytest.raises(sdk_errors.BadRequestException):
        sdk.import_api.import_status(repo_id, "main", "not an id")
    # a missing single object fails in the background: the status carries the error, nothing is committed
    head = sdk.branches_api.get_branch(repo_id, "main").commit_id
    failed = wait(sdk, repo_id, "main", start(sdk, repo_id, "main", ("object", uri + "missing.csv", "m.csv")))
    assert failed.completed is False and "no object" in failed.error.message
    assert sdk.branches_api.get_branch(repo_id, "main").commit_id == head
    # an import of another branch is not this branch's
    ok = start(sdk, repo_id, "main", ("common_prefix", uri, "x/"))
    sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="other", source="main"))
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.import_api.import_status(repo_id, "other", ok)
    assert wait(sdk, repo_id, "main", ok).completed


def test_cancel_a_running_import(tarn_server, sdk):
    repo_id = new_repo(tarn_server, sdk)
    uri, _ = external_files(tarn_server, 25_000)
    head = sdk.branches_api.get_branch(repo_id, "main").commit_id
    import_id = start(sdk, repo_id, "main", ("common_prefix", uri, "big/"))
    sdk.import_api.import_cancel(repo_id, "main", import_id)
    status = wait(sdk, repo_id, "main", import_id)
    assert status.completed is False and status.error.message == "import canceled"
    assert status.ingested_objects < 25_000
    assert sdk.branches_api.get_branch(repo_id, "main").commit_id == head


def test_high_level_import_manager(tarn_server):
    clt = Client(host=tarn_server.url, username=tarn_server.access_key_id, password=tarn_server.secret_access_key)
    sdk = sdk_for(tarn_server)
    repo_id = new_repo(tarn_server, sdk, "impl")
    uri, files = external_files(tarn_server, 10, sub="raw/")
    branch = lakefs.Repository(repo_id, client=clt).branch("main")
    manager = branch.import_data(commit_message="imported with lakefs", metadata={"k": "v"}) \
        .prefix(uri + "raw/", destination="landing/").object(uri + "raw/part=2/file-00002.csv", destination="one.csv")
    status = manager.run()
    assert status.completed and status.ingested_objects == 11
    assert status.commit.message == "imported with lakefs"
    assert branch.object("one.csv").reader().read() == b"row,2\n"
    assert len(list(branch.objects(prefix="landing/"))) == 10


def test_import_from_s3(s3_tarn_server):
    sdk = sdk_for(s3_tarn_server)
    repo_id = new_repo(s3_tarn_server, sdk, "imps3")
    s3 = s3_tarn_server.s3
    raw = boto3.session.Session().client("s3", endpoint_url=s3.endpoint, region_name="us-east-1",
                                         aws_access_key_id=s3.access_key_id,
                                         aws_secret_access_key=s3.secret_access_key)
    prefix = f"external-{uuid.uuid4().hex[:8]}/logs/"
    for i in range(1105):  # more than one listing page (1000)
        raw.put_object(Bucket=S3_BUCKET, Key=f"{prefix}{i:05d}.log", Body=f"log {i}".encode())
    import_id = start(sdk, repo_id, "main", ("common_prefix", f"s3://{S3_BUCKET}/{prefix}", "logs/"))
    status = wait(sdk, repo_id, "main", import_id)
    assert status.completed and status.ingested_objects == 1105, status
    stat = sdk.objects_api.stat_object(repo_id, "main", "logs/01104.log")
    assert stat.physical_address == f"s3://{S3_BUCKET}/{prefix}01104.log"
    assert sdk.objects_api.get_object(repo_id, "main", "logs/01104.log") == b"log 1104"
