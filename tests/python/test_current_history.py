"""History operations of the current API (/api/v1) through lakefs-sdk and the high-level `lakefs` SDK:
commit dates, the log filtered by objects and prefixes, squash and empty merges, cherry-pick, hard
reset and repository metadata, with the errors lakeFS answers (400/404/409 with a {"message"} body)."""
from __future__ import annotations

import json

import lakefs
import lakefs_sdk
import pytest
from lakefs.client import Client
from lakefs.exceptions import BadRequestException, ConflictException, NotFoundException
from lakefs_sdk import exceptions as sdk_errors
from lakefs_sdk.client import LakeFSClient

from conftest import unique_repo_id


@pytest.fixture(scope="module")
def sdk(tarn_server) -> LakeFSClient:
    return LakeFSClient(lakefs_sdk.Configuration(host=f"{tarn_server.url}/api/v1", username=tarn_server.access_key_id,
                                                 password=tarn_server.secret_access_key))


@pytest.fixture(scope="module")
def clt(tarn_server) -> Client:
    return Client(host=tarn_server.url, username=tarn_server.access_key_id, password=tarn_server.secret_access_key)


@pytest.fixture
def repo_id(tarn_server, sdk) -> str:
    repo_id = unique_repo_id("hist")
    sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
        name=repo_id, storage_namespace=tarn_server.namespace(repo_id)))
    return repo_id


def put(sdk, repo, branch, path, data: bytes):
    sdk.objects_api.upload_object(repo, branch, path, content=data)


def commit(sdk, repo, branch, message, **kwargs):
    return sdk.commits_api.commit(repo, branch, lakefs_sdk.CommitCreation(message=message, **kwargs))


def message_of(error) -> str:
    body = json.loads(error.body)
    assert set(body) >= {"message"} and body["message"]
    return body["message"]


def test_commit_date_overrides_the_creation_date(sdk, repo_id):
    put(sdk, repo_id, "main", "a", b"1")
    dated = commit(sdk, repo_id, "main", "dated", date=1_500_000_000)
    assert dated.creation_date == 1_500_000_000
    assert sdk.commits_api.get_commit(repo_id, dated.id).creation_date == 1_500_000_000
    with pytest.raises(sdk_errors.BadRequestException) as bad:
        sdk.commits_api.commit_with_http_info(repo_id, "main", lakefs_sdk.CommitCreation(message="x", allow_empty=True,
                                                                                       date=-5))
    assert "date" in message_of(bad.value)


def test_log_by_objects_and_prefixes(sdk, repo_id):
    for path, message in (("data/a.csv", "add a"), ("other/x", "add x"), ("data/b.csv", "add b")):
        put(sdk, repo_id, "main", path, message.encode())
        commit(sdk, repo_id, "main", message)
    put(sdk, repo_id, "main", "data/a.csv", b"again")
    commit(sdk, repo_id, "main", "change a")

    def log(**kwargs):
        return [c.message for c in sdk.refs_api.log_commits(repo_id, "main", **kwargs).results]

    assert log(objects=["data/a.csv"]) == ["change a", "add a"]
    assert log(prefixes=["data/"]) == ["change a", "add b", "add a"]
    assert log(objects=["other/x"], prefixes=["data/b"]) == ["add b", "add x"]
    page = sdk.refs_api.log_commits(repo_id, "main", prefixes=["data/"], amount=2)
    assert [c.message for c in page.results] == ["change a", "add b"] and page.pagination.has_more
    rest = sdk.refs_api.log_commits(repo_id, "main", prefixes=["data/"], amount=2, after=page.pagination.next_offset)
    assert [c.message for c in rest.results] == ["add a"] and rest.pagination.next_offset == ""
    limited = sdk.refs_api.log_commits(repo_id, "main", objects=["data/a.csv"], amount=1, limit=True)
    assert [c.message for c in limited.results] == ["change a"] and limited.pagination.has_more is False
    with pytest.raises(sdk_errors.BadRequestException):
        sdk.refs_api.log_commits(repo_id, "main", objects=["data/../escape"])


def test_squash_and_empty_merges(sdk, repo_id):
    put(sdk, repo_id, "main", "base", b"0")
    base = commit(sdk, repo_id, "main", "base")
    sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="feature", source="main"))
    for n in range(2):
        put(sdk, repo_id, "feature", f"f{n}", b"x")
        commit(sdk, repo_id, "feature", f"f{n}")
    merged = sdk.refs_api.merge_into_branch(repo_id, "feature", "main",
                                            merge=lakefs_sdk.Merge(message="squashed", squash_merge=True))
    squashed = sdk.commits_api.get_commit(repo_id, merged.reference)
    assert squashed.parents == [base.id] and squashed.message == "squashed"
    assert [o.path for o in sdk.objects_api.list_objects(repo_id, "main").results] == ["base", "f0", "f1"]

    # a branch whose changes cancel out: merging changes nothing, so it needs allow_empty
    sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="twin", source="main"))
    put(sdk, repo_id, "twin", "base", b"changed")
    commit(sdk, repo_id, "twin", "change")
    put(sdk, repo_id, "twin", "base", b"0")
    commit(sdk, repo_id, "twin", "change back")
    with pytest.raises(sdk_errors.BadRequestException) as nothing:
        sdk.refs_api.merge_into_branch(repo_id, "twin", "main")
    message_of(nothing.value)
    empty = sdk.refs_api.merge_into_branch(repo_id, "twin", "main", merge=lakefs_sdk.Merge(allow_empty=True))
    assert len(sdk.commits_api.get_commit(repo_id, empty.reference).parents) == 2


def test_cherry_pick(sdk, repo_id):
    put(sdk, repo_id, "main", "a", b"0")
    commit(sdk, repo_id, "main", "base")
    sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="feature", source="main"))
    put(sdk, repo_id, "feature", "skip", b"s")
    commit(sdk, repo_id, "feature", "not this one")
    put(sdk, repo_id, "feature", "wanted", b"w")
    picked = commit(sdk, repo_id, "feature", "this one", metadata={"ticket": "7"})
    head = sdk.branches_api.get_branch(repo_id, "main").commit_id

    created = sdk.branches_api.cherry_pick(repo_id, "main", lakefs_sdk.CherryPickCreation(ref="feature"))
    assert created.parents == [head] and created.message == "this one" and created.metadata == {"ticket": "7"}
    assert sdk.branches_api.get_branch(repo_id, "main").commit_id == created.id
    assert sdk.objects_api.get_object(repo_id, "main", "wanted") == b"w"
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.objects_api.stat_object(repo_id, "main", "skip")
    overridden = sdk.branches_api.cherry_pick(repo_id, "main", lakefs_sdk.CherryPickCreation(
        ref="feature~1", commit_overrides=lakefs_sdk.CommitOverrides(message="mine", metadata={"k": "v"})))
    assert overridden.message == "mine" and overridden.metadata == {"k": "v"}

    # errors: picked again (no changes), conflict, dirty branch, merge commit without parent, unknown ref
    with pytest.raises(sdk_errors.BadRequestException):
        sdk.branches_api.cherry_pick(repo_id, "main", lakefs_sdk.CherryPickCreation(ref=picked.id))
    put(sdk, repo_id, "feature", "a", b"feature")
    conflicting = commit(sdk, repo_id, "feature", "feature a")
    put(sdk, repo_id, "main", "a", b"main")
    commit(sdk, repo_id, "main", "main a")
    with pytest.raises(sdk_errors.ApiException) as conflict:
        sdk.branches_api.cherry_pick(repo_id, "main", lakefs_sdk.CherryPickCreation(ref=conflicting.id))
    assert conflict.value.status == 409 and "conflict" in message_of(conflict.value)
    put(sdk, repo_id, "main", "dirty", b"d")
    with pytest.raises(sdk_errors.BadRequestException) as dirty:
        sdk.branches_api.cherry_pick(repo_id, "main", lakefs_sdk.CherryPickCreation(ref="feature~1"))
    assert "uncommitted" in message_of(dirty.value) or "dirty" in message_of(dirty.value)
    sdk.branches_api.reset_branch(repo_id, "main", lakefs_sdk.ResetCreation(type="reset"))
    put(sdk, repo_id, "main", "more", b"m")
    commit(sdk, repo_id, "main", "more")
    merge = sdk.refs_api.merge_into_branch(repo_id, "main", "feature",
                                           merge=lakefs_sdk.Merge(strategy="dest-wins")).reference
    with pytest.raises(sdk_errors.BadRequestException) as needs_parent:
        sdk.branches_api.cherry_pick(repo_id, "main", lakefs_sdk.CherryPickCreation(ref=merge))
    assert "parent_number" in message_of(needs_parent.value)
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.branches_api.cherry_pick(repo_id, "main", lakefs_sdk.CherryPickCreation(ref="no-such-ref"))
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.branches_api.cherry_pick(repo_id, "no-such-branch", lakefs_sdk.CherryPickCreation(ref=picked.id))


def test_revert_conflict_is_409(sdk, repo_id):
    put(sdk, repo_id, "main", "a", b"1")
    first = commit(sdk, repo_id, "main", "one")
    put(sdk, repo_id, "main", "a", b"2")
    commit(sdk, repo_id, "main", "two")
    with pytest.raises(sdk_errors.ApiException) as conflict:
        sdk.branches_api.revert_branch(repo_id, "main", lakefs_sdk.RevertCreation(ref=first.id, parent_number=0))
    assert conflict.value.status == 409
    message_of(conflict.value)


def test_hard_reset(sdk, repo_id):
    put(sdk, repo_id, "main", "a", b"1")
    one = commit(sdk, repo_id, "main", "one")
    put(sdk, repo_id, "main", "a", b"2")
    commit(sdk, repo_id, "main", "two")
    sdk.experimental_api.hard_reset_branch(repo_id, "main", one.id)
    assert sdk.branches_api.get_branch(repo_id, "main").commit_id == one.id
    assert sdk.objects_api.get_object(repo_id, "main", "a") == b"1"
    put(sdk, repo_id, "main", "staged", b"s")
    with pytest.raises(sdk_errors.BadRequestException) as dirty:
        sdk.experimental_api.hard_reset_branch(repo_id, "main", "main~1")
    message_of(dirty.value)
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.experimental_api.hard_reset_branch(repo_id, "main", "no-such-ref")
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.experimental_api.hard_reset_branch(repo_id, "no-such-branch", one.id)


def test_repository_metadata(sdk, repo_id):
    assert sdk.repositories_api.get_repository_metadata(repo_id) == {}
    sdk.internal_api.set_repository_metadata(repo_id, lakefs_sdk.RepositoryMetadataSet(
        metadata={"owner": "data", "tier": "gold"}))
    sdk.internal_api.set_repository_metadata(repo_id, lakefs_sdk.RepositoryMetadataSet(metadata={"tier": "silver"}))
    assert sdk.repositories_api.get_repository_metadata(repo_id) == {"owner": "data", "tier": "silver"}
    sdk.internal_api.delete_repository_metadata(repo_id, lakefs_sdk.RepositoryMetadataKeys(keys=["tier", "none"]))
    assert sdk.repositories_api.get_repository_metadata(repo_id) == {"owner": "data"}
    with pytest.raises(sdk_errors.NotFoundException) as missing:
        sdk.internal_api.set_repository_metadata("no-such-repo-md", lakefs_sdk.RepositoryMetadataSet(metadata={}))
    message_of(missing.value)
    with pytest.raises(sdk_errors.BadRequestException):
        sdk.internal_api.set_repository_metadata(repo_id, lakefs_sdk.RepositoryMetadataSet(metadata={"": "x"}))


def test_high_level_sdk(tarn_server, clt):
    repo_id = unique_repo_id("histhl")
    repo = lakefs.Repository(repo_id, client=clt).create(storage_namespace=tarn_server.namespace(repo_id))
    main = repo.branch("main")
    main.object("base").upload(data=b"0")
    main.commit("base")
    feature = repo.branch("feature").create(source_reference="main")
    feature.object("one").upload(data=b"1")
    feature.commit("one")
    feature.object("two").upload(data=b"2")
    picked = feature.commit("two")
    cherry = main.cherry_pick(picked)
    assert cherry.message == "two"
    assert main.object("two").reader().read() == b"2" and not main.object("one").exists()
    assert [c.message for c in main.log(objects=["two"])] == ["two"]
    assert [c.message for c in feature.log(prefixes=["o"])] == ["one"]
    with pytest.raises(BadRequestException):
        main.cherry_pick(picked)  # nothing left to apply
    feature.object("base").upload(data=b"feature")
    feature.commit("feature base")
    main.object("base").upload(data=b"main")
    main.commit("main base")
    with pytest.raises(ConflictException):
        main.cherry_pick(feature)
    with pytest.raises(NotFoundException):
        main.cherry_pick("no-such-ref")
    assert repo.metadata == {}
    clt.sdk_client.internal_api.set_repository_metadata(repo_id, lakefs_sdk.RepositoryMetadataSet(metadata={"a": "b"}))
    assert lakefs.Repository(repo_id, client=clt).metadata == {"a": "b"}
