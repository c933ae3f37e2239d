"""The seed page "Calling the lakeFS API from Python" (lakeFS docs, 2020), run unchanged.

The twelve ```python blocks below are copied word for word, comments included, from
shared/seed/lakefs-python-api-2020.md (lakeFS docs/using/python.md of September 2020);
test_embedded_blocks_equal_the_seed_page checks that they still are when the page is beside the
clone (`../shared/seed/`). They run in order in one namespace, as a user would paste them; each
block's value is captured the way the interactive interpreter shows it (sys.displayhook) and
compared with the output the page documents.

What differs from the page, and why:
- The server (`./tarn run`) listens on localhost:8000 and has the page's access key as its installation
  credentials, with user name 'jane.doe' (the committer the page shows), so the client block runs
  as written.
- The page creates `example-repo` and then works in `test-repo` (an oddity of the page, see
  reference/lakefs.md §0): the fixture creates `test-repo` beforehand over plain HTTP.
- With the local blockstore the one change is the storage namespace of `example-repo`
  (`local://repos/example-repo` instead of `s3://storage-bucket/repos/example-repo`). With the S3
  blockstore (S3Proxy, bucket `storage-bucket`) nothing is changed at all.
- The page's file.csv is not given; the test writes a 727-byte CSV (the page's size) in a temp dir
  and checks its MD5. The page's merge output shows path='path/to/object' although it uploaded
  path/to/file.csv (another oddity); the test expects the real path.
"""
import ast
import hashlib
import re
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO_ROOT

SEED_PAGE = REPO_ROOT.parent / "shared" / "seed" / "lakefs-python-api-2020.md"
PAGE_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
PAGE_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PAGE_NAMESPACE = "s3://storage-bucket/repos/example-repo"
PAGE_PORT = 8000

# ---- the page's code, word for word ------------------------------------------------------------

GENERATE_CLIENT = '''\
from bravado.requests_client import RequestsClient
from bravado.client import SwaggerClient

http_client = RequestsClient()
http_client.set_basic_auth('localhost:8000', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
client = SwaggerClient.from_url(
    'http://localhost:8000/swagger.json',
    http_client=http_client,
    config={"validate_swagger_spec": False})

'''

CREATE_REPOSITORY = '''\
client.repositories.createRepository(repository={
    'id': 'example-repo',
    'storage_namespace': 's3://storage-bucket/repos/example-repo',
    'default_branch':'main'
}).result()
# output:
# repository(creation_date=1599560048, default_branch='main', id='example-repo', storage_namespace='s3://storage-bucket/repos/example-repo')
'''

LIST_BRANCHES_1 = '''\
client.branches.listBranches(repository='test-repo').result()
# output:
# {'pagination': pagination(has_more=False, max_per_page=1000, next_offset=None, results=1), 'results': ['main']}
'''

CREATE_BRANCH = '''\
client.branches.createBranch(repository='test-repo', branch={'name': 'experiment-aggregations1', 'source': 'main'}).result()
# output:
# '~EiRd5nyjm8kWLDHesLTsywmd1MNW5hB3ApQi4'
'''

LIST_BRANCHES_2 = '''\
client.branches.listBranches(repository='test-repo').result()
# output:
# {'pagination': pagination(has_more=False, max_per_page=1000, next_offset=None, results=2),
#    'results': ['experiment-aggregations1', 'main']}
'''

UPLOAD_OBJECT = '''\
with open('file.csv', 'rb') as file_handle:
    client.objects.uploadObject(
        repository='test-repo',
        branch='experiment-aggregations1',
        path='path/to/file.csv',
        content=file_handle
    ).result()
# output:
# object_stats(checksum='319ccf050a10a87ba20e00a64c6d738e', mtime=1599563388, path='path/to/file.csv', path_type='object', size_bytes=727)
'''

DIFF_BRANCH_1 = '''\
client.branches.diffBranch(repository='test-repo', branch='experiment-aggregations1').result()
# output:
# {'results': [diff(path='path/to/file.csv', path_type='object', type='added')]}
'''

COMMIT = '''\
client.commits.commit(
    repository='test-repo',
    branch='experiment-aggregations1',
    commit={
        'message': 'Added a CSV file!',
        'metadata': {
            'using': 'python_api'
        }
    }).result()
# output:
# commit(committer='jane.doe', creation_date=1599563809, id='~EiRd5nyjm8kWLDHesLTsywmd1MNW5hB3ApQnW',
#     message='Added a CSV file!', metadata={'using': 
# 'python_api'}, parents=['~EiRd5nyjm8kWLDHesLTsywmd1MNW5hB3ApQnU'])
'''

DIFF_BRANCH_2 = '''\
client.branches.diffBranch(repository='test-repo', branch='experiment-aggregations1').result()
# output:
# {'results': []}
'''

DIFF_REFS_1 = '''\
client.refs.diffRefs(repository='test-repo', leftRef='experiment-aggregations1', rightRef='main').result()
# output:
# {'results': [diff(path='path/to/file.csv', path_type='object', type='added')]}
'''

MERGE = '''\
client.refs.mergeIntoBranch(repository='test-repo', sourceRef='experiment-aggregations1', destinationRef='main').result()
# output:
# {'results': [merge_result(path='path/to/object', path_type='object', type='added')]}
'''

DIFF_REFS_2 = '''\
client.refs.diffRefs(repository='test-repo', leftRef='experiment-aggregations1', rightRef='main').result()
# output:
# {'results': []}
'''

PAGE_BLOCKS = [GENERATE_CLIENT, CREATE_REPOSITORY, LIST_BRANCHES_1, CREATE_BRANCH, LIST_BRANCHES_2,
               UPLOAD_OBJECT, DIFF_BRANCH_1, COMMIT, DIFF_BRANCH_2, DIFF_REFS_1, MERGE, DIFF_REFS_2]


# ---- running the page ------------------------------------------------------------------------

class PageSession:
    """Runs code blocks in one namespace; returns what the interactive interpreter would show."""

    def __init__(self):
        self.namespace = {"__name__": "__seed_page__"}

    def run(self, source: str) -> list:
        shown = []
        previous = sys.displayhook
        sys.displayhook = lambda value: shown.append(value) if value is not None else None
        try:
            for statement in ast.parse(source).body:
                code = compile(ast.Interactive(body=[statement]), "<seed page>", "single")
                exec(code, self.namespace)
        finally:
            sys.displayhook = previous
        return shown

    def value_of(self, source: str):
        shown = self.run(source)
        assert len(shown) == 1, f"expected the block to show one value, got {shown!r}"
        return shown[0]


def csv_content() -> bytes:
    """A 727-byte CSV (the page's file.csv is 727 bytes; its content is not given)."""
    lines = ["id,name,amount"] + [f"{i},item-{i:04d},{i * 37 % 1000}.{i % 100:02d}" for i in range(60)]
    data = ("\n".join(lines) + "\n").encode()
    return (data + b"#" * 727)[:726] + b"\n"


def files_with_content(root: Path, content: bytes) -> list:
    return [p for p in root.rglob("*")
            if p.is_file() and p.stat().st_size == len(content) and p.read_bytes() == content]


@pytest.fixture(scope="module", params=["local", "s3"])
def seed_server(request, tarn_factory):
    """`./tarn run` on localhost:8000 (the page hard-codes it) with the page's credentials."""
    server = tarn_factory.start(f"seed-{request.param}", port=PAGE_PORT, blockstore=request.param,
                                launcher=True,
                                access_key_id=PAGE_ACCESS_KEY_ID,
                                secret_access_key=PAGE_SECRET_ACCESS_KEY, user_name="jane.doe")
    yield server
    tarn_factory.stop(server)


def test_seed_page_runs_unchanged(seed_server, tmp_path, monkeypatch):
    http = seed_server.session()
    s3 = seed_server.blockstore == "s3"
    started = int(time.time())

    # The page works in test-repo without creating it: create it beforehand.
    test_repo_ns = "s3://storage-bucket/repos/test-repo" if s3 else "local://repos/test-repo"
    r = http.post("/api/v0/repositories", json={"id": "test-repo", "storage_namespace": test_repo_ns,
                                                "default_branch": "main"})
    assert r.status_code == 201, r.text

    monkeypatch.chdir(tmp_path)
    content = csv_content()
    assert len(content) == 727
    Path("file.csv").write_bytes(content)

    page = PageSession()

    # Generating a client
    assert page.run(GENERATE_CLIENT) == []

    # Creating a repository: as written on S3; the namespace is the one change on local disk
    if s3:
        namespace, create = PAGE_NAMESPACE, CREATE_REPOSITORY
    else:
        namespace = "local://repos/example-repo"
        assert CREATE_REPOSITORY.count(repr(PAGE_NAMESPACE)) == 2  # the code and its output comment
        create = CREATE_REPOSITORY.replace(repr(PAGE_NAMESPACE), repr(namespace), 1)
    repository = page.value_of(create)
    assert type(repository).__name__ == "repository"
    m = re.fullmatch(r"repository\(creation_date=(\d+), default_branch='main', id='example-repo', "
                     r"storage_namespace='(.*)'\)", repr(repository))
    assert m, repr(repository)
    assert m.group(2) == namespace
    assert started - 5 <= int(m.group(1)) <= time.time() + 5, "creation_date is not epoch seconds of now"

    # Listing branches
    listing = page.value_of(LIST_BRANCHES_1)
    assert isinstance(listing, dict) and set(listing) == {"pagination", "results"}, listing
    assert repr(listing["pagination"]) == \
        "pagination(has_more=False, max_per_page=1000, next_offset=None, results=1)"
    assert listing["results"] == ["main"]

    # Creating a branch answers the commit id (a str) it points to: main's
    branch_commit = page.value_of(CREATE_BRANCH)
    assert isinstance(branch_commit, str) and branch_commit, repr(branch_commit)
    r = http.get("/api/v0/repositories/test-repo/branches/main")
    assert r.status_code == 200 and r.json() == branch_commit, (r.status_code, r.text)

    listing = page.value_of(LIST_BRANCHES_2)
    assert set(listing) == {"pagination", "results"}, listing
    assert repr(listing["pagination"]) == \
        "pagination(has_more=False, max_per_page=1000, next_offset=None, results=2)"
    assert listing["results"] == ["experiment-aggregations1", "main"]

    # Uploading file.csv (the `with` block shows the value of its .result())
    stats = page.value_of(UPLOAD_OBJECT)
    assert type(stats).__name__ == "object_stats"
    md5 = hashlib.md5(content).hexdigest()
    m = re.fullmatch(rf"object_stats\(checksum='{md5}', mtime=(\d+), path='path/to/file.csv', "
                     r"path_type='object', size_bytes=727\)", repr(stats))
    assert m, repr(stats)
    assert started - 5 <= int(m.group(1)) <= time.time() + 5

    # Uncommitted changes
    diff = page.value_of(DIFF_BRANCH_1)
    assert set(diff) <= {"results", "pagination"} and "results" in diff, diff
    assert repr(diff["results"]) == "[diff(path='path/to/file.csv', path_type='object', type='added')]"

    # Commit with metadata
    commit = page.value_of(COMMIT)
    assert type(commit).__name__ == "commit"
    m = re.fullmatch(r"commit\(committer='jane\.doe', creation_date=(\d+), id='([^']+)', "
                     r"message='Added a CSV file!', metadata=\{'using': 'python_api'\}, "
                     r"parents=\['(.*)'\]\)", repr(commit))
    assert m, repr(commit)
    assert m.group(3) == branch_commit, "the commit's parent is not the branch's previous commit"
    assert started - 5 <= int(m.group(1)) <= time.time() + 5
    r = http.get("/api/v0/repositories/test-repo/branches/experiment-aggregations1")
    assert r.status_code == 200 and r.json() == commit.id, (r.status_code, r.text)

    diff = page.value_of(DIFF_BRANCH_2)
    assert diff["results"] == [], diff

    # Diff between the branch and main, merge, diff again
    diff = page.value_of(DIFF_REFS_1)
    assert repr(diff["results"]) == "[diff(path='path/to/file.csv', path_type='object', type='added')]"

    merged = page.value_of(MERGE)
    assert isinstance(merged, dict) and "results" in merged, merged
    assert repr(merged["results"]) == \
        "[merge_result(path='path/to/file.csv', path_type='object', type='added')]"
    assert all(type(x).__name__ == "merge_result" for x in merged["results"])
    if "summary" in merged:
        assert merged["summary"] == {"added": 1, "removed": 0, "changed": 0, "conflict": 0}, merged
    if "reference" in merged:
        r = http.get("/api/v0/repositories/test-repo/branches/main")
        assert r.status_code == 200 and r.json() == merged["reference"], (r.status_code, r.text)

    diff = page.value_of(DIFF_REFS_2)
    assert diff["results"] == [], diff

    # The merged object reads back from main, and its bytes really are in the configured store.
    r = http.get("/api/v0/repositories/test-repo/refs/main/objects", params={"path": "path/to/file.csv"})
    assert r.status_code == 200, r.text
    assert r.content == content
    store_root = seed_server.s3.data_dir if s3 else seed_server.data_dir / "blocks"
    assert files_with_content(store_root, content), f"file.csv's bytes are not under {store_root}"
    assert seed_server.healthy()


def test_embedded_blocks_equal_the_seed_page():
    if not SEED_PAGE.is_file():
        pytest.skip(f"the seed page is not beside this clone ({SEED_PAGE})")
    blocks = re.findall(r"^```python\n(.*?)^```", SEED_PAGE.read_text(encoding="utf-8"), re.S | re.M)
    assert blocks == PAGE_BLOCKS
