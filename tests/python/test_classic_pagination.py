"""Pagination of the classic listings over thousands of items: pages of at most 1,000, `after`
exclusive, `next_offset` only when there is more, `max_per_page` 1000, default page sizes, and
every item exactly once in order."""
import pytest

from classic_util import API, expect, parallel

N = 2500


def page_through(call, amount, **kwargs):
    """Every page of a bravado listing, following next_offset; returns (items, pages)."""
    items, pages, after = [], [], None
    while True:
        args = dict(kwargs, amount=amount)
        if after is not None:
            args["after"] = after
        page = call(**args).result()
        p = page["pagination"]
        pages.append(p)
        assert p.max_per_page == 1000
        assert p.results == len(page["results"])
        items.extend(page["results"])
        if not p.has_more:
            assert p.next_offset is None
            return items, pages
        assert p.next_offset
        after = p.next_offset
        assert len(pages) < 100, "pagination does not end"


@pytest.fixture(scope="module")
def many_branches(tarn_server):
    client = tarn_server.bravado_client()
    from conftest import unique_repo_id
    repo_id = unique_repo_id("branches")
    client.repositories.createRepository(repository={
        "id": repo_id, "storage_namespace": tarn_server.namespace(repo_id), "default_branch": "main"}).result()
    names = [f"b-{i:05d}" for i in range(N)]

    def create(session, name):
        expect(session.post(f"{API}/repositories/{repo_id}/branches", json={"name": name, "source": "main"}), 201)

    parallel(tarn_server, names, create)
    return repo_id, sorted(names + ["main"])


def test_branches_in_pages_of_1000(client, many_branches):
    repo, expected = many_branches
    items, pages = page_through(client.branches.listBranches, 1000, repository=repo)
    assert items == expected
    assert [p.results for p in pages] == [1000, 1000, 501]
    assert [p.has_more for p in pages] == [True, True, False]
    assert pages[0].next_offset == expected[999]


def test_branches_default_page_is_100_and_amount_is_clamped(client, many_branches):
    repo, expected = many_branches
    page = client.branches.listBranches(repository=repo).result()
    assert page["results"] == expected[:100]
    assert page["pagination"].has_more is True and page["pagination"].next_offset == expected[99]
    page = client.branches.listBranches(repository=repo, amount=5000).result()
    assert page["results"] == expected[:1000] and page["pagination"].has_more


@pytest.mark.parametrize("amount", [0, -1, -100000])
def test_zero_or_negative_amount_means_the_default_page_size(client, many_branches, many_objects, amount):
    # as lakeFS does: 100 where the 2020 document declares that default, else 1000
    repo, expected = many_branches
    page = client.branches.listBranches(repository=repo, amount=amount).result()
    assert page["results"] == expected[:100] and page["pagination"].has_more
    repo, paths = many_objects
    page = client.objects.listObjects(repository=repo, ref="main", prefix="d0/", amount=amount).result()
    assert [o.path for o in page["results"]] == [p for p in paths if p.startswith("d0/")]
    page = client.objects.listObjects(repository=repo, ref="main", delimiter="", amount=amount).result()
    assert [o.path for o in page["results"]] == paths[:1000] and page["pagination"].has_more
    page = client.repositories.listRepositories(amount=amount).result()
    assert page["pagination"].results == len(page["results"]) and len(page["results"]) <= 100


def test_empty_amount_means_the_default_page_size(http, many_branches):
    repo, expected = many_branches
    r = expect(http.get(f"{API}/repositories/{repo}/branches", params={"amount": ""}), 200)
    assert r.json()["results"] == expected[:100]
    r = expect(http.get(f"{API}/repositories/{repo}/branches", params={"amount": "00"}), 200)
    assert r.json()["results"] == expected[:100]


def test_branches_after_is_exclusive_and_may_name_a_missing_item(client, many_branches):
    repo, expected = many_branches
    page = client.branches.listBranches(repository=repo, after="b-01234", amount=3).result()
    assert page["results"] == ["b-01235", "b-01236", "b-01237"]
    page = client.branches.listBranches(repository=repo, after="b-01234x", amount=2).result()
    assert page["results"] == ["b-01235", "b-01236"]
    page = client.branches.listBranches(repository=repo, after="main", amount=10).result()
    assert page["results"] == [] and page["pagination"].has_more is False
    assert page["pagination"].next_offset is None
    # an odd page size ends exactly on the last item
    items, pages = page_through(client.branches.listBranches, 167, repository=repo)
    assert items == expected and len(pages) == 15


def test_raw_last_page_leaves_next_offset_out(http, many_branches):
    repo, expected = many_branches
    r = expect(http.get(f"{API}/repositories/{repo}/branches", params={"after": expected[-3], "amount": 10}), 200)
    body = r.json()
    assert body == {"pagination": {"has_more": False, "results": 2, "max_per_page": 1000},
                    "results": expected[-2:]}


@pytest.fixture(scope="module")
def many_objects(tarn_server):
    client = tarn_server.bravado_client()
    from conftest import unique_repo_id
    repo_id = unique_repo_id("objects")
    client.repositories.createRepository(repository={
        "id": repo_id, "storage_namespace": tarn_server.namespace(repo_id), "default_branch": "main"}).result()
    # 2,500 objects in 5 folders of 500, plus 2 at the top
    paths = [f"d{i % 5}/part-{i:05d}.csv" for i in range(N)] + ["top-a.txt", "top-b.txt"]

    def upload(session, path):
        r = session.post(f"{API}/repositories/{repo_id}/branches/main/objects", params={"path": path},
                         files={"content": ("content", path.encode())})
        expect(r, 201)

    parallel(tarn_server, paths, upload)
    return repo_id, sorted(paths)


def test_uncommitted_diff_in_pages(client, many_objects):
    repo, paths = many_objects
    items, pages = page_through(client.branches.diffBranch, 1000, repository=repo, branch="main")
    assert [(d.path, d.type, d.path_type) for d in items] == [(p, "added", "object") for p in paths]
    assert [p.results for p in pages] == [1000, 1000, 502]
    # diffs default to pages of 1000
    page = client.branches.diffBranch(repository=repo, branch="main").result()
    assert len(page["results"]) == 1000 and page["pagination"].has_more


def test_objects_flat_and_by_folder(client, many_objects):
    repo, paths = many_objects
    # uncommitted objects are listed on the branch; the same after the commit
    for ref in ("main", None):
        if ref is None:
            client.commits.commit(repository=repo, branch="main", commit={"message": "2,502 objects"}).result()
            ref = "main@"
        items, pages = page_through(client.objects.listObjects, 1000, repository=repo, ref=ref, delimiter="")
        assert [o.path for o in items] == paths
        assert all(o.path_type == "object" and o.size_bytes == len(o.path) for o in items)
        assert [p.results for p in pages] == [1000, 1000, 502]

    # delimiter '/' (the 2020 behaviour, also the default when left out): folders then top files
    top = client.objects.listObjects(repository=repo, ref="main").result()
    assert [(o.path, o.path_type) for o in top["results"]] == [
        ("d0/", "common_prefix"), ("d1/", "common_prefix"), ("d2/", "common_prefix"), ("d3/", "common_prefix"),
        ("d4/", "common_prefix"), ("top-a.txt", "object"), ("top-b.txt", "object")]
    assert top["results"][0].checksum is None and top["results"][0].size_bytes is None
    # a page boundary between common prefixes
    first = client.objects.listObjects(repository=repo, ref="main", amount=2).result()
    assert [o.path for o in first["results"]] == ["d0/", "d1/"]
    assert first["pagination"].next_offset == "d1/"
    second = client.objects.listObjects(repository=repo, ref="main", amount=2, after="d1/").result()
    assert [o.path for o in second["results"]] == ["d2/", "d3/"]

    # one folder, paged
    items, pages = page_through(client.objects.listObjects, 200, repository=repo, ref="main", prefix="d3/")
    assert [o.path for o in items] == [p for p in paths if p.startswith("d3/")]
    assert len(items) == 500 and len(pages) == 3


def test_log_and_ref_diff_in_pages(client, tarn_server, http):
    from conftest import unique_repo_id
    repo = unique_repo_id("log")
    client.repositories.createRepository(repository={
        "id": repo, "storage_namespace": tarn_server.namespace(repo), "default_branch": "main"}).result()
    client.branches.createBranch(repository=repo, branch={"name": "feature", "source": "main"}).result()
    ids = []
    for i in range(25):
        expect(http.post(f"{API}/repositories/{repo}/branches/feature/objects", params={"path": f"f{i:03d}"},
                         files={"content": ("content", b"%d" % i)}), 201)
        ids.append(client.commits.commit(repository=repo, branch="feature",
                                         commit={"message": f"commit {i}"}).result().id)
    items, pages = page_through(client.commits.getBranchCommitLog, 10, repository=repo, branch="feature")
    # newest first, then the repository's initial commit
    assert [c.id for c in items][:25] == list(reversed(ids))
    assert len(items) == 26 and [p.results for p in pages] == [10, 10, 6]
    assert items[0].message == "commit 24" and items[0].parents == [ids[23]]

    diff, pages = page_through(client.refs.diffRefs, 10, repository=repo, leftRef="feature", rightRef="main")
    assert [(d.path, d.type) for d in diff] == [(f"f{i:03d}", "added") for i in range(25)]
    assert [p.results for p in pages] == [10, 10, 5]
