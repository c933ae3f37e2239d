"""The current lakeFS API through lakeFS's high-level Python SDK, `lakefs`, at its defaults: its
documented quick start (repositories, branches, objects with writer/reader, commit, diff, merge, tags,
transactions) against a real server, with basic credentials and with a login token."""
from __future__ import annotations

import lakefs
import lakefs_sdk
import pytest
from lakefs.client import Client
from lakefs.exceptions import (BadRequestException, ConflictException, ForbiddenException, NotAuthorizedException,
                               NotFoundException, ObjectExistsException, ObjectNotFoundException)

from conftest import unique_repo_id


@pytest.fixture(scope="module")
def clt(tarn_server) -> Client:
    # the host form of lakeFS's examples: no /api/v1 (the SDK adds it)
    return Client(host=tarn_server.url, username=tarn_server.access_key_id, password=tarn_server.secret_access_key)


@pytest.fixture
def repo(tarn_server, clt):
    repo_id = unique_repo_id("hl")
    repository = lakefs.Repository(repo_id, client=clt).create(storage_namespace=tarn_server.namespace(repo_id))
    yield repository


def test_client_reads_the_server_configuration(clt):
    assert clt.version
    assert clt.storage_config.blockstore_type == "local"
    assert clt.storage_config.pre_sign_support is False


def test_quick_start(tarn_server, clt):
    repo_id = unique_repo_id("quick")
    repo = lakefs.Repository(repo_id, client=clt).create(storage_namespace=tarn_server.namespace(repo_id),
                                                         default_branch="main", exist_ok=True)
    assert repo.properties.default_branch == "main"
    assert repo_id in [r.id for r in lakefs.repositories(client=clt, prefix=repo_id)]
    main = repo.branch("main")
    exp = repo.branch("experiment").create(source_reference="main")
    assert {b.id for b in repo.branches()} == {"main", "experiment"}

    obj = exp.object("data/hello.txt").upload(data="hello, tarn", content_type="text/plain",
                                               metadata={"owner": "jane"})
    assert obj.stat().size_bytes == 11
    assert obj.stat().content_type == "text/plain"
    assert obj.stat().metadata == {"owner": "jane"}
    with exp.object("data/numbers.csv").writer(mode="w") as w:
        w.write("n\n")
        for i in range(100):
            w.write(f"{i}\n")
    with exp.object("data/numbers.csv").reader(mode="r") as r:
        lines = r.read().splitlines()
    assert lines[0] == "n" and lines[-1] == "99" and len(lines) == 101
    with exp.object("data/hello.txt").reader() as r:
        r.seek(7)
        assert r.read(4) == b"tarn"
    assert exp.object("data/hello.txt").exists()
    assert not exp.object("data/nothing").exists()
    copy = exp.object("data/hello.txt").copy(destination_branch_id="experiment", destination_path="copy/hello.txt")
    assert copy.reader().read() == b"hello, tarn"
    copy.delete()

    assert [o.path for o in exp.objects(prefix="data/")] == ["data/hello.txt", "data/numbers.csv"]
    assert [c.path for c in exp.uncommitted()] == ["data/hello.txt", "data/numbers.csv"]

    ref = exp.commit(message="add data", metadata={"using": "python"})
    assert ref.get_commit().message == "add data"
    assert [c.message for c in exp.log(max_amount=1)] == ["add data"]
    changes = list(main.diff(other_ref=exp))
    assert [(c.type, c.path) for c in changes] == [("added", "data/hello.txt"), ("added", "data/numbers.csv")]

    merge_id = exp.merge_into(main)
    assert main.get_commit().id == merge_id
    assert main.object("data/hello.txt").reader().read() == b"hello, tarn"
    tag = repo.tag("v1").create(main)
    assert tag.get_commit().id == merge_id
    assert [t.id for t in repo.tags()] == ["v1"]

    exp.object("data/hello.txt").delete()
    exp.reset_changes()
    assert exp.object("data/hello.txt").exists()
    exp.delete()
    tag.delete()
    repo.delete()
    with pytest.raises(NotFoundException):
        lakefs.Repository(repo_id, client=clt).properties


def test_transaction_commits_and_merges(repo):
    main = repo.branch("main")
    with main.transact(commit_message="in a transaction") as tx:
        tx.object("tx/a").upload(data="a")
        tx.object("tx/b").upload(data="b")
    assert [o.path for o in main.objects(prefix="tx/")] == ["tx/a", "tx/b"]
    assert any(c.message == "in a transaction" for c in main.log(max_amount=3))
    assert [b.id for b in repo.branches()] == ["main"]  # the transaction's branch is gone


def test_exclusive_writes_and_missing_objects(repo):
    main = repo.branch("main")
    main.object("x").upload(data="1")
    with pytest.raises(ObjectExistsException):
        main.object("x").upload(data="2", mode="xb")
    with pytest.raises(ObjectNotFoundException):
        main.object("missing").reader().read()


def test_errors(tarn_server, clt, repo):
    with pytest.raises(ConflictException):
        repo.branch("main").create(source_reference="main")
    with pytest.raises(NotFoundException):
        repo.branch("nope").get_commit()
    with pytest.raises(ForbiddenException):
        repo.branch("main").delete()
    with pytest.raises(BadRequestException):
        repo.branch("main").commit(message="nothing changed")
    wrong = Client(host=tarn_server.url, username=tarn_server.access_key_id, password="not-the-secret")
    with pytest.raises(NotAuthorizedException):
        list(lakefs.repositories(client=wrong))


def test_login_token_as_credentials(tarn_server, clt):
    token = clt.sdk_client.auth_api.login(lakefs_sdk.LoginInformation(
        access_key_id=tarn_server.access_key_id, secret_access_key=tarn_server.secret_access_key))
    with_token = Client(host=tarn_server.url, access_token=token.token)
    repo_id = unique_repo_id("tok")
    lakefs.Repository(repo_id, client=with_token).create(storage_namespace=tarn_server.namespace(repo_id))
    assert repo_id in [r.id for r in lakefs.repositories(client=with_token, prefix=repo_id)]
