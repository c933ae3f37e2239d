"""The current lakeFS API (/api/v1) through lakeFS's generated Python client, lakefs-sdk, at its defaults.

The generated client validates every answer against its models (required fields, types), so these
tests also prove the shapes. Each group: repositories, branches, objects, commits and log, diffs and
merges, tags, setup/login/config, and the errors (401/404/409/400/403) as the SDK's exceptions.
"""
from __future__ import annotations

import json
import uuid

import lakefs_sdk
import pytest
import requests
from lakefs_sdk import exceptions as sdk_errors
from lakefs_sdk.client import LakeFSClient

from conftest import unique_repo_id


def sdk_client(server, **auth) -> LakeFSClient:
    """A LakeFSClient on server's /api/v1 (the full URL, as the generated client documents it)."""
    if not auth:
        auth = {"username": server.access_key_id, "password": server.secret_access_key}
    return LakeFSClient(lakefs_sdk.Configuration(host=f"{server.url}/api/v1", **auth))


@pytest.fixture(scope="module")
def sdk(tarn_server) -> LakeFSClient:
    return sdk_client(tarn_server)


@pytest.fixture
def repo_id(tarn_server, sdk) -> str:
    repo_id = unique_repo_id("sdk")
    sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
        name=repo_id, storage_namespace=tarn_server.namespace(repo_id)))
    return repo_id


def upload(sdk, repo, branch, path, data: bytes):
    return sdk.objects_api.upload_object(repo, branch, path, content=data)


def test_document_is_openapi3_with_lakefs_operation_ids(tarn_server):
    doc = requests.get(f"{tarn_server.url}/openapi.json", timeout=30).json()
    assert doc["openapi"].startswith("3.0.")
    assert doc["servers"] == [{"url": "/api/v1", "description": "this server"}]
    ids = {op["operationId"] for item in doc["paths"].values() for m, op in item.items() if isinstance(op, dict)
           and "operationId" in op}
    assert {"listRepositories", "createBranch", "uploadObject", "logCommits", "diffRefs", "mergeIntoBranch",
            "login", "getConfig"} <= ids


def test_repositories(tarn_server, sdk):
    repo_id = unique_repo_id("sdkrepo")
    created = sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
        name=repo_id, storage_namespace=tarn_server.namespace(repo_id)))
    assert created.id == repo_id and created.default_branch == "main"
    assert created.storage_namespace == tarn_server.namespace(repo_id)
    got = sdk.repositories_api.get_repository(repo_id)
    assert got.creation_date == created.creation_date
    page = sdk.repositories_api.list_repositories(prefix=repo_id)
    assert [r.id for r in page.results] == [repo_id]
    assert page.pagination.has_more is False and page.pagination.next_offset == ""
    assert page.pagination.max_per_page == 1000
    with pytest.raises(sdk_errors.ApiException) as conflict:
        sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
            name=repo_id, storage_namespace=tarn_server.namespace(repo_id + "-2")))
    assert conflict.value.status == 409
    sdk.repositories_api.delete_repository(repo_id)
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.get_repository(repo_id)


def test_repository_listing_pages(tarn_server, sdk):
    prefix = "sdkpage-" + uuid.uuid4().hex[:6]
    ids = [f"{prefix}-{i:02d}" for i in range(7)]
    for repo_id in ids:
        sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
            name=repo_id, storage_namespace=tarn_server.namespace(repo_id)))
    seen, after = [], ""
    while True:
        page = sdk.repositories_api.list_repositories(prefix=prefix, after=after, amount=3)
        seen += [r.id for r in page.results]
        if not page.pagination.has_more:
            assert page.pagination.next_offset == ""
            break
        after = page.pagination.next_offset
    assert seen == ids
    assert [r.id for r in sdk.repositories_api.list_repositories(search=ids[3][-6:]).results] == [ids[3]]


def test_branches(sdk, repo_id):
    commit_id = sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="feature", source="main"))
    assert isinstance(commit_id, str) and len(commit_id) == 64
    ref = sdk.branches_api.get_branch(repo_id, "feature")
    assert ref.id == "feature" and ref.commit_id == commit_id
    names = [b.id for b in sdk.branches_api.list_branches(repo_id).results]
    assert names == ["feature", "main"]
    with pytest.raises(sdk_errors.ApiException) as exists:
        sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="feature", source="main"))
    assert exists.value.status == 409
    with pytest.raises(sdk_errors.ForbiddenException):
        sdk.branches_api.delete_branch(repo_id, "main")
    sdk.branches_api.delete_branch(repo_id, "feature")
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.branches_api.get_branch(repo_id, "feature")


def test_objects_upload_stat_list_read_delete(sdk, repo_id):
    stats = upload(sdk, repo_id, "main", "data/a.csv", b"a,b\n1,2\n")
    assert stats.path == "data/a.csv" and stats.path_type == "object" and stats.size_bytes == 8
    assert stats.physical_address.endswith(stats.physical_address.rsplit("/", 1)[-1])
    upload(sdk, repo_id, "main", "data/sub/b.bin", bytes(range(256)))
    upload(sdk, repo_id, "main", "top.txt", b"top")
    stat = sdk.objects_api.stat_object(repo_id, "main", "data/a.csv")
    assert stat.checksum == stats.checksum and stat.mtime > 1_600_000_000
    assert sdk.objects_api.get_object(repo_id, "main", "data/a.csv") == b"a,b\n1,2\n"
    assert sdk.objects_api.get_object(repo_id, "main", "data/sub/b.bin", range="bytes=10-19") == bytes(range(10, 20))
    flat = sdk.objects_api.list_objects(repo_id, "main")
    assert [o.path for o in flat.results] == ["data/a.csv", "data/sub/b.bin", "top.txt"]
    grouped = sdk.objects_api.list_objects(repo_id, "main", prefix="data/", delimiter="/")
    assert [(o.path, o.path_type) for o in grouped.results] == [("data/a.csv", "object"), ("data/sub/", "common_prefix")]
    paged = sdk.objects_api.list_objects(repo_id, "main", amount=2)
    assert paged.pagination.has_more and paged.pagination.next_offset == "data/sub/b.bin"
    sdk.objects_api.head_object(repo_id, "main", "top.txt")
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.objects_api.stat_object(repo_id, "main", "missing")
    copied = sdk.objects_api.copy_object(repo_id, "main", "copies/a.csv",
                                         lakefs_sdk.ObjectCopyCreation(src_path="data/a.csv", src_ref="main"))
    assert copied.checksum == stats.checksum
    sdk.objects_api.update_object_user_metadata(repo_id, "main", "copies/a.csv",
                                                lakefs_sdk.UpdateObjectUserMetadata(set={"team": "data"}))
    assert sdk.objects_api.stat_object(repo_id, "main", "copies/a.csv").metadata == {"team": "data"}
    sdk.objects_api.delete_object(repo_id, "main", "copies/a.csv")
    sdk.objects_api.delete_object(repo_id, "main", "top.txt")
    errors = sdk.objects_api.delete_objects(repo_id, "main", lakefs_sdk.PathList(paths=["data/a.csv", "nope"]))
    assert errors.errors == []
    assert [o.path for o in sdk.objects_api.list_objects(repo_id, "main").results] == ["data/sub/b.bin"]


def test_upload_keeps_the_content_type_of_the_form_part(tarn_server, sdk, repo_id, tmp_path):
    # lakefs-sdk sends a file path as a part typed by the file's name, bytes as application/octet-stream
    src = tmp_path / "people.csv"
    src.write_bytes(b"name,age\nada,36\n")
    stats = sdk.objects_api.upload_object(repo_id, "main", "tables/people.csv", content=str(src))
    assert stats.content_type == "text/csv"
    assert sdk.objects_api.stat_object(repo_id, "main", "tables/people.csv").content_type == "text/csv"
    assert upload(sdk, repo_id, "main", "raw.bin", b"\x00\x01").content_type == "application/octet-stream"
    auth = (tarn_server.access_key_id, tarn_server.secret_access_key)
    base = f"{tarn_server.url}/api/v1/repositories/{repo_id}"
    form = requests.post(f"{base}/branches/main/objects", params={"path": "doc.json"}, auth=auth, timeout=30,
                         files={"content": ("doc.json", b'{"a": 1}', "application/json; charset=utf-8")})
    assert form.status_code == 201, form.text
    assert form.json()["content_type"] == "application/json; charset=utf-8"
    got = requests.get(f"{base}/refs/main/objects", params={"path": "doc.json"}, auth=auth, timeout=30)
    assert got.headers["Content-Type"] == "application/json; charset=utf-8" and got.content == b'{"a": 1}'
    listed = {o.path: o.content_type for o in sdk.objects_api.list_objects(repo_id, "main").results}
    assert listed == {"doc.json": "application/json; charset=utf-8", "raw.bin": "application/octet-stream",
                      "tables/people.csv": "text/csv"}
    committed = sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="typed"))
    assert sdk.objects_api.stat_object(repo_id, committed.id, "tables/people.csv").content_type == "text/csv"


def test_commit_log_and_get_commit(sdk, repo_id):
    upload(sdk, repo_id, "main", "f1", b"1")
    first = sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="first", metadata={"k": "v"}))
    assert first.message == "first" and first.metadata == {"k": "v"} and len(first.parents) == 1
    upload(sdk, repo_id, "main", "f2", b"2")
    second = sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="second"))
    log = sdk.refs_api.log_commits(repo_id, "main", amount=2)
    assert [c.id for c in log.results] == [second.id, first.id]
    assert log.pagination.has_more  # the repository's initial commit follows
    rest = sdk.refs_api.log_commits(repo_id, "main", after=log.pagination.next_offset)
    assert len(rest.results) == 1 and rest.pagination.next_offset == ""
    assert sdk.commits_api.get_commit(repo_id, "main").id == second.id
    assert sdk.commits_api.get_commit(repo_id, second.id[:12]).id == second.id
    with pytest.raises(sdk_errors.BadRequestException):
        sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="nothing to commit"))
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.commits_api.get_commit(repo_id, "0" * 64)


def test_diff_merge_and_uncommitted(sdk, repo_id):
    upload(sdk, repo_id, "main", "base", b"b")
    sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="base"))
    sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="dev", source="main"))
    upload(sdk, repo_id, "dev", "new/x", b"x")
    upload(sdk, repo_id, "dev", "new/y", b"y")
    uncommitted = sdk.branches_api.diff_branch(repo_id, "dev")
    assert [(d.type, d.path) for d in uncommitted.results] == [("added", "new/x"), ("added", "new/y")]
    grouped = sdk.branches_api.diff_branch(repo_id, "dev", delimiter="/")
    assert [(d.type, d.path, d.path_type) for d in grouped.results] == [("prefix_changed", "new/", "common_prefix")]
    sdk.commits_api.commit(repo_id, "dev", lakefs_sdk.CommitCreation(message="on dev"))
    diff = sdk.refs_api.diff_refs(repo_id, "main", "dev")  # lakeFS today: what dev changed since the merge base
    assert [(d.type, d.path) for d in diff.results] == [("added", "new/x"), ("added", "new/y")]
    assert diff.results[0].size_bytes == 1
    assert sdk.refs_api.diff_refs(repo_id, "dev", "main").results == []
    base = sdk.refs_api.find_merge_base(repo_id, "dev", "main")
    assert base.base_commit_id == base.destination_commit_id == sdk.branches_api.get_branch(repo_id, "main").commit_id
    assert base.source_commit_id == sdk.branches_api.get_branch(repo_id, "dev").commit_id
    merged = sdk.refs_api.merge_into_branch(repo_id, "dev", "main", merge=lakefs_sdk.Merge(message="merge dev"))
    assert len(merged.reference) == 64
    assert sdk.commits_api.get_commit(repo_id, "main").id == merged.reference
    with pytest.raises(sdk_errors.BadRequestException):  # nothing left to merge
        sdk.refs_api.merge_into_branch(repo_id, "dev", "main")


def test_merge_conflict_is_409(sdk, repo_id):
    upload(sdk, repo_id, "main", "c", b"0")
    sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="base"))
    sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="side", source="main"))
    for branch, data in (("main", b"1"), ("side", b"2")):
        upload(sdk, repo_id, branch, "c", data)
        sdk.commits_api.commit(repo_id, branch, lakefs_sdk.CommitCreation(message=branch))
    with pytest.raises(sdk_errors.ApiException) as conflict:
        sdk.refs_api.merge_into_branch(repo_id, "side", "main")
    assert conflict.value.status == 409
    assert "conflict" in json.loads(conflict.value.body)["message"]
    sdk.refs_api.merge_into_branch(repo_id, "side", "main", merge=lakefs_sdk.Merge(strategy="source-wins"))
    assert sdk.objects_api.get_object(repo_id, "main", "c") == b"2"


def test_reset_and_revert(sdk, repo_id):
    upload(sdk, repo_id, "main", "keep", b"k")
    sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="keep"))
    upload(sdk, repo_id, "main", "scratch/1", b"1")
    upload(sdk, repo_id, "main", "other", b"o")
    sdk.branches_api.reset_branch(repo_id, "main", lakefs_sdk.ResetCreation(type="common_prefix", path="scratch/"))
    assert [d.path for d in sdk.branches_api.diff_branch(repo_id, "main").results] == ["other"]
    sdk.branches_api.reset_branch(repo_id, "main", lakefs_sdk.ResetCreation(type="reset"))
    assert sdk.branches_api.diff_branch(repo_id, "main").results == []
    upload(sdk, repo_id, "main", "mistake", b"m")
    bad = sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="mistake"))
    sdk.branches_api.revert_branch(repo_id, "main", lakefs_sdk.RevertCreation(ref=bad.id, parent_number=0))
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.objects_api.stat_object(repo_id, "main", "mistake")


def test_tags(sdk, repo_id):
    head = sdk.branches_api.get_branch(repo_id, "main").commit_id
    tag = sdk.tags_api.create_tag(repo_id, lakefs_sdk.TagCreation(id="v1", ref="main"))
    assert tag.id == "v1" and tag.commit_id == head
    assert sdk.tags_api.get_tag(repo_id, "v1").commit_id == head
    assert [t.id for t in sdk.tags_api.list_tags(repo_id).results] == ["v1"]
    with pytest.raises(sdk_errors.ApiException) as exists:
        sdk.tags_api.create_tag(repo_id, lakefs_sdk.TagCreation(id="v1", ref="main"))
    assert exists.value.status == 409
    sdk.tags_api.delete_tag(repo_id, "v1")
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.tags_api.get_tag(repo_id, "v1")


def test_tag_names_as_lakefs_takes_them(sdk, repo_id):
    upload(sdk, repo_id, "main", "data.csv", b"a,b\n1,2\n")
    head = sdk.commits_api.commit(repo_id, "main", lakefs_sdk.CommitCreation(message="release")).id
    for name in ("v1.0.0", "release-2024.01"):
        assert sdk.tags_api.create_tag(repo_id, lakefs_sdk.TagCreation(id=name, ref="main")).commit_id == head
        assert sdk.objects_api.get_object(repo_id, name, "data.csv") == b"a,b\n1,2\n"
        assert sdk.refs_api.diff_refs(repo_id, name, "main").results == []
    assert sorted(t.id for t in sdk.tags_api.list_tags(repo_id).results) == ["release-2024.01", "v1.0.0"]
    for bad in ("v1..0", "v1.", "a b", "v1~1", "x.lock"):
        with pytest.raises(sdk_errors.ApiException) as refused:
            sdk.tags_api.create_tag(repo_id, lakefs_sdk.TagCreation(id=bad, ref="main"))
        assert refused.value.status == 400, bad
        assert "must have no spaces" in json.loads(refused.value.body)["message"], bad
    assert [t.id for t in sdk.tags_api.list_tags(repo_id).results] == ["release-2024.01", "v1.0.0"]


def test_login_then_use_the_token(tarn_server, sdk):
    token = sdk.auth_api.login(lakefs_sdk.LoginInformation(
        access_key_id=tarn_server.access_key_id, secret_access_key=tarn_server.secret_access_key))
    assert token.token.count(".") == 2 and token.token_expiration > 0
    with_token = sdk_client(tarn_server, access_token=token.token)
    assert with_token.auth_api.get_current_user().user.id == tarn_server.user_name
    assert with_token.repositories_api.list_repositories(amount=1).pagination.max_per_page == 1000
    with pytest.raises(sdk_errors.UnauthorizedException):
        sdk.auth_api.login(lakefs_sdk.LoginInformation(access_key_id=tarn_server.access_key_id,
                                                       secret_access_key="wrong-secret"))
    with pytest.raises(sdk_errors.UnauthorizedException):
        sdk_client(tarn_server, access_token=token.token[:-4] + "AAAA").auth_api.get_current_user()


def test_config_setup_state_and_health(sdk):
    config = sdk.config_api.get_config()
    assert config.storage_config.blockstore_type == "local"
    assert config.storage_config.pre_sign_support is False
    assert config.version_config.version
    state = sdk.internal_api.get_setup_state()
    assert state.state == "initialized"
    with pytest.raises(sdk_errors.ApiException) as again:
        sdk.internal_api.setup(lakefs_sdk.Setup(username="someone"))
    assert again.value.status == 409
    sdk.health_check_api.health_check()
    assert sdk.internal_api.get_lake_fs_version().version == config.version_config.version
    assert sdk.internal_api.get_storage_config().pre_sign_support is False


def test_operations_not_implemented_answer_501(sdk, repo_id):
    with pytest.raises(sdk_errors.ApiException) as presign:
        sdk.staging_api.get_physical_address(repo_id, "main", "x", presign=True)
    assert presign.value.status == 501
    assert "not supported" in json.loads(presign.value.body)["message"]


def test_errors_are_the_sdks_exceptions(tarn_server, sdk, repo_id):
    wrong = sdk_client(tarn_server, username=tarn_server.access_key_id, password="not-the-secret")
    with pytest.raises(sdk_errors.UnauthorizedException) as unauthorized:
        wrong.repositories_api.list_repositories()
    assert json.loads(unauthorized.value.body)["message"]
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.get_repository("no-such-repo-" + uuid.uuid4().hex[:6])
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.refs_api.diff_refs(repo_id, "main", "no-such-ref")
    with pytest.raises(sdk_errors.BadRequestException):
        sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="bad name!", source="main"))
    with pytest.raises(sdk_errors.BadRequestException):
        sdk.refs_api.diff_refs(repo_id, "main", "main", type="four_dot")


def test_setup_on_a_new_installation(tarn_factory):
    server = tarn_factory.start("current-setup", installation=False)
    try:
        sdk = sdk_client(server, username="x", password="y")
        assert sdk.internal_api.get_setup_state().state == "not_initialized"
        with pytest.raises(sdk_errors.UnauthorizedException):
            sdk.repositories_api.list_repositories()
        creds = sdk.internal_api.setup(lakefs_sdk.Setup(
            username="admin", key=lakefs_sdk.AccessKeyCredentials(
                access_key_id="AKIAJCURRENTSETUP01Q", secret_access_key="current-setup-secret-0123456789")))
        assert creds.access_key_id == "AKIAJCURRENTSETUP01Q"
        assert creds.secret_access_key == "current-setup-secret-0123456789"
        admin = sdk_client(server, username=creds.access_key_id, password=creds.secret_access_key)
        assert admin.auth_api.get_current_user().user.id == "admin"
        assert sdk.internal_api.get_setup_state().state == "initialized"
    finally:
        tarn_factory.stop(server)
