"""Error paths of the classic API through the seed page's bravado client (and raw HTTP where a
client-side check of bravado would stop the request): every error is the declared status with a
JSON {"message": ...} body, so bravado raises the matching HTTPError."""
import hashlib

import pytest
import requests
from bravado.exception import HTTPBadRequest, HTTPConflict, HTTPNotFound, HTTPUnauthorized

from classic_util import API, bravado_client, error_message, expect, upload_bytes
from conftest import unique_repo_id


def message_of(excinfo) -> str:
    result = excinfo.value.swagger_result
    message = result["message"] if isinstance(result, dict) else result.message
    assert isinstance(message, str) and message
    return message


# ---- 401 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["none", "wrong key", "wrong secret"])
def test_401_through_bravado(tarn_server, who):
    key, secret = {
        "none": (None, None),
        "wrong key": ("AKIAJWRONGWRONGWRONQ", tarn_server.secret_access_key),
        "wrong secret": (tarn_server.access_key_id, tarn_server.secret_access_key[:-1] + "!"),
    }[who]
    client = bravado_client(tarn_server, key, secret)
    with pytest.raises(HTTPUnauthorized) as e:
        client.repositories.listRepositories().result()
    message_of(e)
    with pytest.raises(HTTPUnauthorized):
        client.branches.listBranches(repository="whatever-repo").result()
    with pytest.raises(HTTPUnauthorized):
        client.auth.getCurrentUser().result()


@pytest.mark.parametrize("auth", [None, ("AKIAJWRONGWRONGWRONQ", "x" * 40), "wrong-secret", "garbage-header"])
def test_401_raw(tarn_server, auth):
    headers = {}
    if auth == "wrong-secret":
        auth = (tarn_server.access_key_id, "wrong" + tarn_server.secret_access_key[5:])
    if auth == "garbage-header":
        auth, headers = None, {"Authorization": "Basic !!!not-base64"}
    with requests.Session() as s:
        s.trust_env = False
        r = s.get(f"{tarn_server.url}{API}/repositories", auth=auth, headers=headers, timeout=30)
        assert r.status_code == 401
        error_message(r)
        # an early 401 on an upload leaves the connection usable (the body is drained or the
        # connection closed), and nothing is written
        r = s.post(f"{tarn_server.url}{API}/repositories/some-repo/branches/main/objects",
                   params={"path": "x"}, files={"content": ("content", b"x" * 100_000)}, auth=auth,
                   headers=headers, timeout=30)
        assert r.status_code == 401
        r = s.get(f"{tarn_server.url}/swagger.json", timeout=30)
        assert r.status_code == 200


def test_open_operations_need_no_credentials(tarn_server):
    client = bravado_client(tarn_server, None, None)
    client.healthCheck.healthCheck().result()
    r = requests.get(f"{tarn_server.url}/swagger.json", timeout=30)
    assert r.status_code == 200 and r.json()["basePath"] == "/api/v0"


# ---- 404 ---------------------------------------------------------------------------------------

def test_404_unknown_repository(client):
    missing = unique_repo_id("missing")
    calls = [
        lambda: client.repositories.getRepository(repository=missing),
        lambda: client.repositories.deleteRepository(repository=missing),
        lambda: client.branches.listBranches(repository=missing),
        lambda: client.branches.createBranch(repository=missing, branch={"name": "b", "source": "main"}),
        lambda: client.branches.getBranch(repository=missing, branch="main"),
        lambda: client.commits.commit(repository=missing, branch="main", commit={"message": "m"}),
        lambda: client.objects.statObject(repository=missing, ref="main", path="a"),
        lambda: client.objects.listObjects(repository=missing, ref="main"),
        lambda: client.refs.diffRefs(repository=missing, leftRef="main", rightRef="main"),
        lambda: client.refs.mergeIntoBranch(repository=missing, sourceRef="a", destinationRef="main"),
    ]
    for call in calls:
        with pytest.raises(HTTPNotFound) as e:
            call().result()
        message_of(e)


def test_404_unknown_branch_ref_commit_and_path(client, repo, http):
    for call in [
        lambda: client.branches.getBranch(repository=repo, branch="nope"),
        lambda: client.branches.deleteBranch(repository=repo, branch="nope"),
        lambda: client.branches.diffBranch(repository=repo, branch="nope"),
        lambda: client.branches.revertBranch(repository=repo, branch="nope", revert={"type": "reset"}),
        lambda: client.branches.createBranch(repository=repo, branch={"name": "b1", "source": "nope"}),
        lambda: client.commits.commit(repository=repo, branch="nope", commit={"message": "m"}),
        lambda: client.commits.getBranchCommitLog(repository=repo, branch="nope"),
        lambda: client.commits.getCommit(repository=repo, commitId="0" * 64),
        lambda: client.objects.statObject(repository=repo, ref="nope", path="a"),
        lambda: client.objects.getObject(repository=repo, ref="nope", path="a"),
        lambda: client.objects.listObjects(repository=repo, ref="nope"),
        lambda: client.objects.statObject(repository=repo, ref="main", path="no/such/object"),
        lambda: client.objects.getObject(repository=repo, ref="main", path="no/such/object"),
        lambda: client.objects.getUnderlyingProperties(repository=repo, ref="main", path="no/such/object"),
        lambda: client.objects.deleteObject(repository=repo, branch="main", path="no/such/object"),
        lambda: client.refs.diffRefs(repository=repo, leftRef="nope", rightRef="main"),
        lambda: client.refs.diffRefs(repository=repo, leftRef="main", rightRef="nope"),
        lambda: client.refs.mergeIntoBranch(repository=repo, sourceRef="nope", destinationRef="main"),
        lambda: client.refs.mergeIntoBranch(repository=repo, sourceRef="main", destinationRef="nope"),
    ]:
        with pytest.raises(HTTPNotFound) as e:
            call().result()
        message_of(e)
    # an upload to an unknown branch is refused before its content is stored, and stages nothing
    r = upload_bytes(http, repo, "nope", "x.bin", b"y" * 200_000)
    assert r.status_code == 404
    error_message(r)
    assert client.objects.listObjects(repository=repo, ref="main").result()["results"] == []


# ---- 409 ---------------------------------------------------------------------------------------

def test_409_existing_repository_and_branch(tarn_server, client, repo):
    with pytest.raises(HTTPConflict) as e:
        client.repositories.createRepository(repository={
            "id": repo, "storage_namespace": tarn_server.namespace(repo + "-other"), "default_branch": "main",
        }).result()
    message_of(e)
    client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    with pytest.raises(HTTPConflict) as e:
        client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    message_of(e)
    with pytest.raises(HTTPConflict):
        client.branches.createBranch(repository=repo, branch={"name": "main", "source": "feature"}).result()


def test_409_namespace_in_use(tarn_server, client, repo):
    other = unique_repo_id()
    with pytest.raises(HTTPConflict) as e:
        client.repositories.createRepository(repository={
            "id": other, "storage_namespace": tarn_server.namespace(repo), "default_branch": "main"}).result()
    message_of(e)
    with pytest.raises(HTTPNotFound):
        client.repositories.getRepository(repository=other).result()


def test_409_merge_conflict_lists_the_conflicting_paths(client, repo, http):
    for path in ("same.txt", "conflict/a.txt", "conflict/b.txt"):
        expect(upload_bytes(http, repo, "main", path, b"base"), 201)
    client.commits.commit(repository=repo, branch="main", commit={"message": "base"}).result()
    client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    for path in ("conflict/a.txt", "conflict/b.txt"):
        expect(upload_bytes(http, repo, "main", path, b"main side"), 201)
        expect(upload_bytes(http, repo, "feature", path, b"feature side"), 201)
    expect(upload_bytes(http, repo, "feature", "only-feature.txt", b"new"), 201)
    client.commits.commit(repository=repo, branch="main", commit={"message": "main"}).result()
    client.commits.commit(repository=repo, branch="feature", commit={"message": "feature"}).result()
    main_before = client.branches.getBranch(repository=repo, branch="main").result()

    with pytest.raises(HTTPConflict) as e:
        client.refs.mergeIntoBranch(repository=repo, sourceRef="feature", destinationRef="main").result()
    body = e.value.swagger_result
    assert isinstance(body["message"], str) and body["message"]
    assert [(r.path, r.path_type, r.type) for r in body["results"]] == [
        ("conflict/a.txt", "object", "conflict"), ("conflict/b.txt", "object", "conflict")]
    assert body["summary"]["conflict"] == 2
    # nothing was merged
    assert client.branches.getBranch(repository=repo, branch="main").result() == main_before
    with pytest.raises(HTTPNotFound):
        client.objects.statObject(repository=repo, ref="main", path="only-feature.txt").result()


# ---- 400 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad_id", ["ab", "Upper-Case", "under_score", "-leading", "a" * 64, "sp ace", "dot.ted"])
def test_400_bad_repository_id(tarn_server, client, bad_id):
    with pytest.raises(HTTPBadRequest) as e:
        client.repositories.createRepository(repository={
            "id": bad_id, "storage_namespace": tarn_server.namespace("bad-id-" + bad_id.lower()[:10]),
            "default_branch": "main"}).result()
    assert "id" in message_of(e)


@pytest.mark.parametrize("bad_branch", ["", "-x", "a/b", "sp ace", "dot.ted", "ünï"])
def test_400_bad_branch_name(client, repo, bad_branch):
    with pytest.raises(HTTPBadRequest) as e:
        client.branches.createBranch(repository=repo, branch={"name": bad_branch, "source": "main"}).result()
    message_of(e)


def test_400_bad_default_branch(tarn_server, client):
    repo_id = unique_repo_id()
    with pytest.raises(HTTPBadRequest):
        client.repositories.createRepository(repository={
            "id": repo_id, "storage_namespace": tarn_server.namespace(repo_id),
            "default_branch": "no/slashes"}).result()
    with pytest.raises(HTTPNotFound):
        client.repositories.getRepository(repository=repo_id).result()


def test_400_bad_storage_namespace(tarn_server, client, http):
    repo_id = unique_repo_id()
    # pass bravado's pattern check but are not valid for this server's blockstore
    for namespace in ["gs://bucket/x", "transient://x", "local://", "local://../../escape",
                      "s3://" if tarn_server.blockstore != "s3" else "local://x"]:
        with pytest.raises(HTTPBadRequest) as e:
            client.repositories.createRepository(repository={
                "id": repo_id, "storage_namespace": namespace, "default_branch": "main"}).result()
        message_of(e)
    # fail the document's pattern: bravado would refuse to send them, so raw HTTP
    for namespace in ["", "not-a-uri", "ftp://x/y"]:
        r = http.post(f"{API}/repositories", json={"id": repo_id, "storage_namespace": namespace})
        assert r.status_code == 400, (namespace, r.text)
        error_message(r)
    with pytest.raises(HTTPNotFound):
        client.repositories.getRepository(repository=repo_id).result()


def test_400_commit_message_and_nothing_to_commit(client, repo, http):
    expect(upload_bytes(http, repo, "main", "a.txt", b"a"), 201)
    for message in ["", "   "]:
        with pytest.raises(HTTPBadRequest) as e:
            client.commits.commit(repository=repo, branch="main", commit={"message": message}).result()
        assert "message" in message_of(e)
    client.commits.commit(repository=repo, branch="main", commit={"message": "first"}).result()
    with pytest.raises(HTTPBadRequest) as e:
        client.commits.commit(repository=repo, branch="main", commit={"message": "again"}).result()
    message_of(e)


def test_400_nothing_to_merge(client, repo):
    client.branches.createBranch(repository=repo, branch={"name": "same", "source": "main"}).result()
    with pytest.raises(HTTPBadRequest) as e:
        client.refs.mergeIntoBranch(repository=repo, sourceRef="same", destinationRef="main").result()
    message_of(e)
    with pytest.raises(HTTPBadRequest):
        client.refs.mergeIntoBranch(repository=repo, sourceRef="main", destinationRef="main").result()


def test_400_merge_into_a_dirty_branch_and_bad_strategy(client, repo, http):
    client.branches.createBranch(repository=repo, branch={"name": "src", "source": "main"}).result()
    expect(upload_bytes(http, repo, "src", "f", b"1"), 201)
    client.commits.commit(repository=repo, branch="src", commit={"message": "c"}).result()
    expect(upload_bytes(http, repo, "main", "dirty", b"1"), 201)
    with pytest.raises(HTTPBadRequest) as e:
        client.refs.mergeIntoBranch(repository=repo, sourceRef="src", destinationRef="main").result()
    message_of(e)
    r = http.post(f"{API}/repositories/{repo}/refs/src/merge/main", json={"strategy": "theirs"})
    assert r.status_code == 400
    assert "strategy" in error_message(r)


def test_400_default_branch_cannot_be_deleted(client, repo):
    with pytest.raises(HTTPBadRequest) as e:
        client.branches.deleteBranch(repository=repo, branch="main").result()
    message_of(e)
    assert client.branches.getBranch(repository=repo, branch="main").result()


# 0, negative and empty amounts mean the default page size (test_classic_pagination.py)
@pytest.mark.parametrize("amount", ["abc", "1.5", " ", "1e3", "--1"])
def test_400_bad_amount(http, repo, amount):
    for url in [f"{API}/repositories", f"{API}/repositories/{repo}/branches",
                f"{API}/repositories/{repo}/refs/main/objects/ls", f"{API}/repositories/{repo}/branches/main/commits",
                f"{API}/repositories/{repo}/branches/main/diff", f"{API}/repositories/{repo}/refs/main/diff/main"]:
        r = http.get(url, params={"amount": amount})
        assert r.status_code == 400, (url, r.status_code, r.text)
        assert "amount" in error_message(r)


def test_400_bad_inputs_of_objects_and_refs(client, repo, http):
    base = f"{API}/repositories/{repo}"
    cases = [
        http.get(f"{base}/refs/main/objects/stat"),                           # path missing
        http.get(f"{base}/refs/main/objects/stat", params={"path": ""}),
        http.get(f"{base}/refs/main/objects", params={"path": "a\x00b"}),
        http.get(f"{base}/refs/main/objects/stat", params={"path": "x" * 1025}),
        http.post(f"{base}/branches/main/objects", params={"path": "../escape"}, files={"content": ("content", b"1")}),
        http.post(f"{base}/branches/main/objects", params={"path": "ok"}, files={"other": ("other", b"1")}),
        http.get(f"{base}/refs/main/diff/main", params={"type": "four_dot"}),
        http.put(f"{base}/branches/main", json={"type": "bogus"}),
        http.put(f"{base}/branches/main", json={"type": "object"}),
        http.post(f"{base}/branches/main/commits", json={"message": 5}),
        http.post(f"{base}/branches/main/commits", json={"message": "m", "metadata": {"k": 1}}),
        http.post(f"{base}/branches", json={"name": "x"}),
        http.get(f"{API}/repositories/Not_A_Repo"),
    ]
    for r in cases:
        assert r.status_code == 400, (r.request.method, r.url, r.status_code, r.text)
        error_message(r)
    # none of these wrote anything
    assert client.branches.diffBranch(repository=repo, branch="main").result()["results"] == []
    assert client.branches.listBranches(repository=repo).result()["results"] == ["main"]
