"""Branches, commits, diffs, reverts and merges through the classic API, with the seed page's
client: the shapes bravado prints (model names), left-side diffs, two- and three-dot diffs,
every revert type, and the merge strategies."""
import time

import pytest
from bravado.exception import HTTPBadRequest, HTTPConflict, HTTPNotFound

from classic_util import expect, upload_bytes


def put(http, repo, branch, path, data):
    expect(upload_bytes(http, repo, branch, path, data), 201)


def content(client, repo, ref, path):
    return client.objects.getObject(repository=repo, ref=ref, path=path).result()


def changes(result):
    return [(d.path, d.type) for d in result["results"]]


def test_repository_shapes(tarn_server, client):
    from conftest import unique_repo_id
    repo_id = unique_repo_id()
    created = client.repositories.createRepository(repository={
        "id": repo_id, "storage_namespace": tarn_server.namespace(repo_id)}).result()
    assert type(created).__name__ == "repository"
    assert created.id == repo_id and created.default_branch == "main"
    assert created.storage_namespace == tarn_server.namespace(repo_id)
    assert isinstance(created.creation_date, int) and abs(created.creation_date - time.time()) < 600  # epoch seconds
    assert client.repositories.getRepository(repository=repo_id).result() == created
    listed, after = [], None
    while True:
        page = client.repositories.listRepositories(**({"after": after} if after else {})).result()
        listed += page["results"]
        if not page["pagination"].has_more:
            break
        after = page["pagination"].next_offset
    assert created in listed
    assert [r.id for r in listed] == sorted(r.id for r in listed)
    client.repositories.deleteRepository(repository=repo_id).result()
    with pytest.raises(HTTPNotFound):
        client.repositories.getRepository(repository=repo_id).result()


def test_branch_commit_and_log_shapes(tarn_server, client, repo, http):
    head = client.branches.getBranch(repository=repo, branch="main").result()
    assert isinstance(head, str) and head
    created = client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    assert created == head
    assert client.branches.listBranches(repository=repo).result()["results"] == ["feature", "main"]

    put(http, repo, "feature", "path/to/file.csv", b"a,b\n")
    assert changes(client.branches.diffBranch(repository=repo, branch="feature").result()) == \
        [("path/to/file.csv", "added")]
    commit = client.commits.commit(repository=repo, branch="feature",
                                   commit={"message": "Added a CSV file!", "metadata": {"using": "python_api"}}).result()
    assert type(commit).__name__ == "commit"
    assert commit.message == "Added a CSV file!" and commit.metadata == {"using": "python_api"}
    assert commit.committer == tarn_server.user_name and commit.parents == [head]
    assert isinstance(commit.creation_date, int) and abs(commit.creation_date - time.time()) < 600  # epoch seconds
    assert client.branches.diffBranch(repository=repo, branch="feature").result()["results"] == []
    assert client.branches.getBranch(repository=repo, branch="feature").result() == commit.id
    assert client.commits.getCommit(repository=repo, commitId=commit.id).result() == commit
    assert client.commits.getCommit(repository=repo, commitId=commit.id[:12]).result() == commit
    log = client.commits.getBranchCommitLog(repository=repo, branch="feature").result()
    assert [c.id for c in log["results"]] == [commit.id, head]
    assert log["results"][1].parents == []
    # a branch from a commit id, and deleting it
    client.branches.createBranch(repository=repo, branch={"name": "at-commit", "source": commit.id}).result()
    assert content(client, repo, "at-commit", "path/to/file.csv") == b"a,b\n"
    client.branches.deleteBranch(repository=repo, branch="at-commit").result()
    with pytest.raises(HTTPNotFound):
        client.branches.getBranch(repository=repo, branch="at-commit").result()


def test_diff_refs_is_from_the_left_side(client, repo, http):
    put(http, repo, "main", "kept", b"1")
    put(http, repo, "main", "changed", b"1")
    put(http, repo, "main", "removed", b"1")
    client.commits.commit(repository=repo, branch="main", commit={"message": "base"}).result()
    client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    put(http, repo, "feature", "added", b"2")
    put(http, repo, "feature", "changed", b"2")
    client.objects.deleteObject(repository=repo, branch="feature", path="removed").result()
    client.commits.commit(repository=repo, branch="feature", commit={"message": "feature"}).result()
    put(http, repo, "main", "main-only", b"3")
    client.commits.commit(repository=repo, branch="main", commit={"message": "main moves on"}).result()

    expected = [("added", "added"), ("changed", "changed"), ("removed", "removed")]
    # three-dot (default): the left's changes since the merge base; main's later commit is not in it
    assert changes(client.refs.diffRefs(repository=repo, leftRef="feature", rightRef="main").result()) == expected
    assert changes(client.refs.diffRefs(repository=repo, leftRef="feature", rightRef="main",
                                        type="three_dot").result()) == expected
    # two-dot: the trees compared directly; main-only is missing on the left
    assert changes(client.refs.diffRefs(repository=repo, leftRef="feature", rightRef="main",
                                        type="two_dot").result()) == expected[:2] + [("main-only", "removed")] + expected[2:]
    # the other way round
    assert changes(client.refs.diffRefs(repository=repo, leftRef="main", rightRef="feature").result()) == \
        [("main-only", "added")]
    diff = client.refs.diffRefs(repository=repo, leftRef="feature", rightRef="main").result()
    assert type(diff["results"][0]).__name__ == "diff" and diff["results"][0].path_type == "object"
    assert diff["pagination"].has_more is False


def test_merge_applies_the_changes_and_reports_them(client, repo, http):
    client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    put(http, repo, "feature", "path/to/file.csv", b"x")
    client.commits.commit(repository=repo, branch="feature", commit={"message": "add"}).result()
    main_head = client.branches.getBranch(repository=repo, branch="main").result()
    feature_head = client.branches.getBranch(repository=repo, branch="feature").result()

    merged = client.refs.mergeIntoBranch(repository=repo, sourceRef="feature", destinationRef="main").result()
    assert [(m.path, m.path_type, m.type) for m in merged["results"]] == [("path/to/file.csv", "object", "added")]
    assert type(merged["results"][0]).__name__ == "merge_result"
    assert merged["summary"] == {"added": 1, "removed": 0, "changed": 0, "conflict": 0}
    assert client.branches.getBranch(repository=repo, branch="main").result() == merged["reference"]
    merge_commit = client.commits.getCommit(repository=repo, commitId=merged["reference"]).result()
    assert merge_commit.parents == [main_head, feature_head]
    assert merge_commit.message == "Merge 'feature' into 'main'"
    assert content(client, repo, "main", "path/to/file.csv") == b"x"
    assert client.refs.diffRefs(repository=repo, leftRef="feature", rightRef="main").result()["results"] == []
    with pytest.raises(HTTPBadRequest):
        client.refs.mergeIntoBranch(repository=repo, sourceRef="feature", destinationRef="main").result()


def test_merge_with_message_metadata_and_many_changes(client, repo, http):
    client.branches.createBranch(repository=repo, branch={"name": "bulk", "source": "main"}).result()
    for i in range(30):
        put(http, repo, "bulk", f"bulk/{i:02d}", b"%d" % i)
    client.commits.commit(repository=repo, branch="bulk", commit={"message": "bulk"}).result()
    merged = client.refs.mergeIntoBranch(repository=repo, sourceRef="bulk", destinationRef="main",
                                         merge={"message": "bring bulk", "metadata": {"ticket": "T-1"}}).result()
    assert len(merged["results"]) == 30 and merged["summary"]["added"] == 30
    commit = client.commits.getCommit(repository=repo, commitId=merged["reference"]).result()
    assert commit.message == "bring bulk" and commit.metadata.get("ticket") == "T-1"


@pytest.mark.parametrize("strategy,winner", [("dest-wins", b"main side"), ("source-wins", b"feature side")])
def test_merge_strategies(client, repo, http, strategy, winner):
    put(http, repo, "main", "both.txt", b"base")
    put(http, repo, "main", "untouched.txt", b"base")
    client.commits.commit(repository=repo, branch="main", commit={"message": "base"}).result()
    client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    put(http, repo, "main", "both.txt", b"main side")
    put(http, repo, "feature", "both.txt", b"feature side")
    put(http, repo, "feature", "new.txt", b"new")
    client.commits.commit(repository=repo, branch="main", commit={"message": "main"}).result()
    client.commits.commit(repository=repo, branch="feature", commit={"message": "feature"}).result()

    with pytest.raises(HTTPConflict):
        client.refs.mergeIntoBranch(repository=repo, sourceRef="feature", destinationRef="main").result()
    merged = client.refs.mergeIntoBranch(repository=repo, sourceRef="feature", destinationRef="main",
                                         merge={"strategy": strategy}).result()
    assert content(client, repo, "main", "both.txt") == winner
    assert content(client, repo, "main", "new.txt") == b"new"
    assert content(client, repo, "main", "untouched.txt") == b"base"
    assert merged["summary"]["added"] == 1
    assert ("new.txt", "added") in [(m.path, m.type) for m in merged["results"]]


def test_revert_reset_object_prefix_and_commit(client, repo, http):
    put(http, repo, "main", "keep/a", b"committed")
    client.commits.commit(repository=repo, branch="main", commit={"message": "base"}).result()

    def staged():
        return changes(client.branches.diffBranch(repository=repo, branch="main").result())

    put(http, repo, "main", "keep/a", b"changed")
    put(http, repo, "main", "dir/x", b"1")
    put(http, repo, "main", "dir/y", b"1")
    put(http, repo, "main", "other", b"1")
    assert staged() == [("dir/x", "added"), ("dir/y", "added"), ("keep/a", "changed"), ("other", "added")]

    client.branches.revertBranch(repository=repo, branch="main", revert={"type": "object", "path": "keep/a"}).result()
    assert staged() == [("dir/x", "added"), ("dir/y", "added"), ("other", "added")]
    assert content(client, repo, "main", "keep/a") == b"committed"
    client.branches.revertBranch(repository=repo, branch="main",
                                 revert={"type": "common_prefix", "path": "dir/"}).result()
    assert staged() == [("other", "added")]
    client.branches.revertBranch(repository=repo, branch="main", revert={"type": "reset"}).result()
    assert staged() == []

    # commit: a new commit that undoes the given one
    put(http, repo, "main", "oops", b"mistake")
    put(http, repo, "main", "keep/a", b"overwritten")
    bad = client.commits.commit(repository=repo, branch="main", commit={"message": "bad"}).result()
    client.branches.revertBranch(repository=repo, branch="main", revert={"type": "commit", "commit": bad.id}).result()
    head = client.commits.getCommit(repository=repo,
                                    commitId=client.branches.getBranch(repository=repo, branch="main").result()).result()
    assert head.parents == [bad.id]
    with pytest.raises(HTTPNotFound):
        client.objects.statObject(repository=repo, ref="main", path="oops").result()
    assert content(client, repo, "main", "keep/a") == b"committed"
    # reverting needs a clean branch
    put(http, repo, "main", "dirty", b"1")
    with pytest.raises(HTTPBadRequest):
        client.branches.revertBranch(repository=repo, branch="main",
                                     revert={"type": "commit", "commit": bad.id}).result()


def test_tags(client, repo, http):
    put(http, repo, "main", "v.txt", b"one")
    first = client.commits.commit(repository=repo, branch="main", commit={"message": "one"}).result()
    tag = client.tags.createTag(repository=repo, tag={"id": "v1", "ref": "main"}).result()
    assert type(tag).__name__ == "ref" and (tag.id, tag.commit_id) == ("v1", first.id)
    put(http, repo, "main", "v.txt", b"two")
    client.commits.commit(repository=repo, branch="main", commit={"message": "two"}).result()
    client.tags.createTag(repository=repo, tag={"id": "v2", "ref": "main"}).result()
    client.tags.createTag(repository=repo, tag={"id": "v0", "ref": first.parents[0]}).result()

    # a tag is a ref: read through it
    assert content(client, repo, "v1", "v.txt") == b"one"
    assert content(client, repo, "v2", "v.txt") == b"two"
    assert client.tags.getTag(repository=repo, tag="v1").result() == tag
    page = client.tags.listTags(repository=repo, amount=2).result()
    assert [t.id for t in page["results"]] == ["v0", "v1"] and page["pagination"].next_offset == "v1"
    page = client.tags.listTags(repository=repo, after="v1").result()
    assert [t.id for t in page["results"]] == ["v2"] and page["pagination"].has_more is False

    with pytest.raises(HTTPConflict):
        client.tags.createTag(repository=repo, tag={"id": "v1", "ref": "main"}).result()
    with pytest.raises(HTTPConflict):
        client.tags.createTag(repository=repo, tag={"id": "main", "ref": "main"}).result()
    with pytest.raises(HTTPNotFound):
        client.tags.createTag(repository=repo, tag={"id": "v9", "ref": "no-such-ref"}).result()
    with pytest.raises(HTTPBadRequest):
        client.tags.createTag(repository=repo, tag={"id": "bad tag", "ref": "main"}).result()

    client.tags.deleteTag(repository=repo, tag="v1").result()
    with pytest.raises(HTTPNotFound):
        client.tags.getTag(repository=repo, tag="v1").result()
    with pytest.raises(HTTPNotFound):
        client.tags.deleteTag(repository=repo, tag="v1").result()
    # the commit is still there
    assert client.commits.getCommit(repository=repo, commitId=first.id).result().id == first.id


def test_revert_of_a_commit_that_later_changes_overlap_is_a_conflict(client, repo, http):
    put(http, repo, "main", "x", b"1")
    first = client.commits.commit(repository=repo, branch="main", commit={"message": "x=1"}).result()
    put(http, repo, "main", "x", b"2")
    client.commits.commit(repository=repo, branch="main", commit={"message": "x=2"}).result()
    head = client.branches.getBranch(repository=repo, branch="main").result()
    with pytest.raises(HTTPConflict) as e:
        client.branches.revertBranch(repository=repo, branch="main",
                                     revert={"type": "commit", "commit": first.id}).result()
    assert [r.path for r in e.value.swagger_result["results"]] == ["x"]
    assert client.branches.getBranch(repository=repo, branch="main").result() == head
    assert content(client, repo, "main", "x") == b"2"
    # refs with modifiers: main~1 is the first commit
    assert content(client, repo, "main~1", "x") == b"1"
    assert client.commits.getCommit(repository=repo, commitId="main~1").result().id == first.id


def test_branch_colon_head_is_the_committed_state_of_the_branch(client, repo, http):
    # lakeFS 2020's ref for a branch's last commit, `<branch>:HEAD`, like Tarn's `<branch>@`
    put(http, repo, "main", "f", b"committed")
    first = client.commits.commit(repository=repo, branch="main", commit={"message": "one"}).result()
    put(http, repo, "main", "f", b"committed again")
    second = client.commits.commit(repository=repo, branch="main", commit={"message": "two"}).result()
    put(http, repo, "main", "f", b"staged")
    put(http, repo, "main", "staged-only", b"s")

    assert content(client, repo, "main", "f") == b"staged"
    assert content(client, repo, "main:HEAD", "f") == b"committed again"
    assert content(client, repo, "main:HEAD~1", "f") == b"committed"
    assert client.objects.statObject(repository=repo, ref="main:HEAD", path="f").result().size_bytes == 15
    with pytest.raises(HTTPNotFound):
        client.objects.statObject(repository=repo, ref="main:HEAD", path="staged-only").result()
    listed = client.objects.listObjects(repository=repo, ref="main:HEAD").result()
    assert [o.path for o in listed["results"]] == ["f"]
    assert client.commits.getCommit(repository=repo, commitId="main:HEAD").result().id == second.id
    assert client.commits.getCommit(repository=repo, commitId="main:HEAD^").result().id == first.id
    # the branch's uncommitted changes are not in its :HEAD, so a diff against it is empty
    assert client.refs.diffRefs(repository=repo, leftRef="main", rightRef="main:HEAD").result()["results"] == []
    created = client.branches.createBranch(repository=repo, branch={"name": "old", "source": "main:HEAD~1"}).result()
    assert created == first.id
    # raw HTTP with the ':' as is and percent-encoded (bravado sends %3A)
    for ref in ("main:HEAD", "main%3AHEAD"):
        r = expect(http.get(f"/api/v0/repositories/{repo}/refs/{ref}/objects", params={"path": "f"}), 200)
        assert r.content == b"committed again"
    r = http.get(f"/api/v0/repositories/{repo}/refs/main:head/objects", params={"path": "f"})
    assert r.status_code == 400, r.text
    r = http.get(f"/api/v0/repositories/{repo}/refs/nosuch:HEAD/objects", params={"path": "f"})
    assert r.status_code == 404, r.text


def test_diff_refs_and_merge_see_a_branch_as_its_last_commit(client, repo, http):
    # lakeFS's 2020 system test (nessie/sanity_api_test.go): uncommitted changes on branch1 make no
    # difference to diffRefs(branch1, main) until they are committed
    for name in ("file0", "file1"):
        put(http, repo, "main", name, b"0")
    client.commits.commit(repository=repo, branch="main", commit={"message": "base"}).result()
    client.branches.createBranch(repository=repo, branch={"name": "branch1", "source": "main"}).result()
    put(http, repo, "branch1", "file0", b"changed")
    client.objects.deleteObject(repository=repo, branch="branch1", path="file1").result()
    put(http, repo, "branch1", "fileX", b"x")

    for diff_type in ("three_dot", "two_dot"):
        assert client.refs.diffRefs(repository=repo, leftRef="branch1", rightRef="main",
                                    type=diff_type).result()["results"] == []
    assert changes(client.branches.diffBranch(repository=repo, branch="branch1").result()) == \
        [("file0", "changed"), ("file1", "removed"), ("fileX", "added")]
    # listing and reading the branch still include its uncommitted changes
    listed = client.objects.listObjects(repository=repo, ref="branch1").result()
    assert [o.path for o in listed["results"]] == ["file0", "fileX"]
    assert content(client, repo, "branch1", "file0") == b"changed"
    # nothing committed on branch1 yet: nothing to merge
    with pytest.raises(HTTPBadRequest):
        client.refs.mergeIntoBranch(repository=repo, sourceRef="branch1", destinationRef="main").result()

    client.commits.commit(repository=repo, branch="branch1", commit={"message": "work"}).result()
    expected = [("file0", "changed"), ("file1", "removed"), ("fileX", "added")]
    assert changes(client.refs.diffRefs(repository=repo, leftRef="branch1", rightRef="main").result()) == expected

    # a later uncommitted change on the source is neither diffed nor merged
    put(http, repo, "branch1", "fileY", b"y")
    assert changes(client.refs.diffRefs(repository=repo, leftRef="branch1", rightRef="main").result()) == expected
    merged = client.refs.mergeIntoBranch(repository=repo, sourceRef="branch1", destinationRef="main").result()
    assert sorted((m.path, m.type) for m in merged["results"]) == expected
    with pytest.raises(HTTPNotFound):
        client.objects.statObject(repository=repo, ref="main", path="fileY").result()
    assert changes(client.branches.diffBranch(repository=repo, branch="branch1").result()) == [("fileY", "added")]
    for left, right in (("branch1", "main"), ("main", "branch1")):
        assert client.refs.diffRefs(repository=repo, leftRef=left, rightRef=right).result()["results"] == []
