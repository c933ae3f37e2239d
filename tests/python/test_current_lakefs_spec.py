"""The current lakeFS API through lakefs-spec (fsspec over the `lakefs` SDK), at its defaults:
files and a pandas DataFrame written and read through lakefs://repo/ref/path URLs, listings, info,
removal, and a transaction that commits and merges."""
from __future__ import annotations

import fsspec
import lakefs
import pandas as pd
import pytest
from lakefs.client import Client
from lakefs_spec import LakeFSFileSystem

from conftest import unique_repo_id


@pytest.fixture(scope="module")
def fs(tarn_server) -> LakeFSFileSystem:
    return LakeFSFileSystem(host=tarn_server.url, username=tarn_server.access_key_id,
                            password=tarn_server.secret_access_key)


@pytest.fixture
def repo_id(tarn_server) -> str:
    repo_id = unique_repo_id("spec")
    clt = Client(host=tarn_server.url, username=tarn_server.access_key_id, password=tarn_server.secret_access_key)
    lakefs.Repository(repo_id, client=clt).create(storage_namespace=tarn_server.namespace(repo_id))
    return repo_id


def test_write_read_list_and_remove(fs, repo_id):
    base = f"lakefs://{repo_id}/main"
    with fs.open(f"{base}/data/table.csv", "w") as f:
        f.write("id,name\n1,ann\n2,bob\n")
    fs.pipe(f"{base}/data/raw.bin", bytes(range(200)))
    assert fs.cat(f"{base}/data/table.csv") == b"id,name\n1,ann\n2,bob\n"
    assert fs.cat_file(f"{base}/data/raw.bin", start=10, end=20) == bytes(range(10, 20))
    info = fs.info(f"{base}/data/raw.bin")
    assert info["size"] == 200 and info["type"] == "file"
    assert fs.exists(f"{base}/data/table.csv") and not fs.exists(f"{base}/data/none.csv")
    assert sorted(fs.ls(f"{base}/data/", detail=False)) == [f"{repo_id}/main/data/raw.bin",
                                                           f"{repo_id}/main/data/table.csv"]
    assert fs.isdir(f"{base}/data")
    fs.rm(f"{base}/data/raw.bin")
    assert not fs.exists(f"{base}/data/raw.bin")
    # the same through fsspec's registry, as pandas and friends open lakefs:// URLs
    with fsspec.open(f"{base}/data/table.csv", "r", host=fs.client.config.host.rsplit("/api/v1", 1)[0],
                     username=fs.client.config.username, password=fs.client.config.password) as f:
        assert f.readline() == "id,name\n"


def test_transaction_commits_and_merges(tarn_server, fs, repo_id):
    with fs.transaction(repo_id, "main") as tx:
        fs.pipe(f"lakefs://{repo_id}/{tx.branch.id}/tx/one.txt", b"one")
        tx.commit(message="one file")
    clt = Client(host=tarn_server.url, username=tarn_server.access_key_id, password=tarn_server.secret_access_key)
    main = lakefs.Repository(repo_id, client=clt).branch("main")
    assert main.object("tx/one.txt").reader().read() == b"one"
    assert [b.id for b in lakefs.Repository(repo_id, client=clt).branches()] == ["main"]


def test_pandas_dataframe_round_trip(tarn_server, repo_id):
    options = {"host": tarn_server.url, "username": tarn_server.access_key_id,
               "password": tarn_server.secret_access_key}
    frame = pd.DataFrame({"id": [1, 2, 3], "city": ["Oslo", "Lima", "Pune"], "score": [0.5, 1.25, 2.0]})
    url = f"lakefs://{repo_id}/main/frames/cities.csv"
    frame.to_csv(url, index=False, storage_options=options)
    back = pd.read_csv(url, storage_options=options)
    pd.testing.assert_frame_equal(back, frame)
