"""The web UI in a real browser: Debian's Chromium driven by Playwright against real servers.

The scenario of a new user (setup, login, a repository, uploads by file chooser and by drag and drop,
uncommitted changes, a commit with metadata, a branch, a change there, compare, merge, the log, a
download compared byte for byte), a screenshot of every page, and no console errors; a wrong
password shows a message; an expired session returns to the login page. The first page load (from
the browser's navigation timing) and the render time of a 1,000-entry listing are printed, not
asserted.

Screenshots and timings: target/test-output/web-ui/ (beside target/pytest-junit.xml).
"""
from __future__ import annotations

import json
import os
import random
import shutil
import struct
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from conftest import REPO_ROOT, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY

playwright_sync = pytest.importorskip("playwright.sync_api", reason="the venv lacks playwright (tests/python/requirements.txt)")

CHROMIUM = os.environ.get("TARN_TEST_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium tries the network (updates, sync, QUIC probes) and fails on a closed one.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUT = REPO_ROOT / "target" / "test-output" / "web-ui"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM} (scripts/test-all.sh installs Debian's chromium)")
    OUT.mkdir(parents=True, exist_ok=True)
    with playwright_sync.sync_playwright() as p:
        # a plain launch starts Chromium with a new, empty temporary profile (--user-data-dir),
        # removed when it closes; each test's context is a fresh, cookie-less session in it
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A browser page on one server that records console errors and saves numbered screenshots."""

    def __init__(self, browser, server, name: str):
        self.server = server
        self.name = name
        self.context = browser.new_context(base_url=server.url, accept_downloads=True,
                                           viewport={"width": 1280, "height": 860})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.shots = 0

    def shot(self, what: str) -> Path:
        self.shots += 1
        path = OUT / f"{self.name}-{self.shots:02d}-{what}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()


def api(server, key_id, secret):
    s = requests.Session()
    s.auth = (key_id, secret)
    s.base = server.url + "/api/v1"
    return s


def report(line: str) -> None:
    print(line)
    with open(OUT / "timings.txt", "a") as f:
        f.write(line + "\n")


# ----------------------------------------------------------------------------------------------

def test_the_whole_scenario_in_chromium(browser, tarn_factory):
    server = tarn_factory.start("ui", installation=False)
    ui = Page(browser, server, "scenario")
    page = ui.page
    expect = playwright_sync.expect
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        # setup on a new server: the admin and its key, shown once
        page.goto("/")
        expect(page).to_have_url(server.url + "/setup")
        expect(page.get_by_role("heading", name="Set up Tarn")).to_be_visible()
        ui.shot("setup")
        page.get_by_label("Admin user name").fill("admin")
        page.get_by_role("button", name="Create the admin").click()
        expect(page.get_by_role("heading", name="Tarn is set up")).to_be_visible()
        key_id = page.locator("#access-key-id").inner_text()
        secret = page.locator("#secret-access-key").inner_text()
        assert key_id and secret
        ui.shot("setup-key")
        page.get_by_role("link", name="Go to login").click()

        # login
        expect(page).to_have_url(server.url + "/auth/login")
        page.get_by_label("Access key ID").fill(key_id)
        page.get_by_label("Secret access key").fill(secret)
        ui.shot("login")
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(server.url + "/repositories")
        expect(page.get_by_text("No repositories yet")).to_be_visible()
        expect(page.locator("header .user")).to_have_text("admin")
        ui.shot("repositories-empty")

        # create a repository
        page.get_by_role("button", name="Create repository").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Repository ID").fill("ui-demo")
        dialog.get_by_label("Storage namespace").fill(server.namespace("ui-demo"))
        expect(dialog.get_by_label("Default branch")).to_have_value("main")
        ui.shot("create-repository")
        dialog.get_by_role("button", name="Create").click()
        expect(page).to_have_url(server.url + "/repositories/ui-demo/objects")
        expect(page.get_by_text("No objects at main yet.")).to_be_visible()

        # upload two files: one through the file chooser, one dropped on the page
        blob = random.Random(14).randbytes(300_000)
        page.get_by_test_id("file-input").set_input_files(
            files=[{"name": "data.bin", "mimeType": "application/octet-stream", "buffer": blob}])
        expect(page.locator(".uploads li", has_text="data.bin")).to_contain_text("uploaded")
        csv_v1 = "name,team\nada,storage\nlin,engine\n"
        drop = page.evaluate_handle(
            """([name, text]) => { const dt = new DataTransfer();
                dt.items.add(new File([text], name, { type: 'text/csv' })); return dt; }""",
            ["people.csv", csv_v1])
        page.dispatch_event("[data-testid=dropzone]", "dragover", {"dataTransfer": drop})
        page.dispatch_event("[data-testid=dropzone]", "drop", {"dataTransfer": drop})
        expect(page.locator(".uploads li", has_text="people.csv")).to_contain_text("uploaded")
        rows = page.locator(".objects-table .rows [role=row]")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("data.bin")
        expect(rows.nth(0)).to_contain_text("293 KiB")
        expect(rows.nth(1)).to_contain_text("people.csv")
        ui.shot("objects-uploaded")

        # the two files as uncommitted changes, then a commit with metadata
        page.get_by_role("link", name="Uncommitted changes").click()
        changes = page.locator("table.diff tbody tr")
        expect(changes).to_have_count(2)
        expect(changes.nth(0)).to_contain_text("added")
        expect(changes.nth(0)).to_contain_text("data.bin")
        expect(changes.nth(1)).to_contain_text("people.csv")
        ui.shot("changes")
        page.get_by_role("button", name="Commit changes").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Message").fill("First data from the browser")
        dialog.get_by_label("metadata key 1").fill("source")
        dialog.get_by_label("metadata value 1").fill("browser-test")
        dialog.get_by_role("button", name="Add metadata").click()
        dialog.get_by_label("metadata key 2").fill("ticket")
        dialog.get_by_label("metadata value 2").fill("14")
        ui.shot("commit-dialog")
        dialog.get_by_role("button", name="Commit").click()
        expect(page.get_by_role("status")).to_contain_text("First data from the browser")
        expect(page.get_by_text("No uncommitted changes.")).to_be_visible()

        # the commit and its metadata
        page.get_by_role("status").get_by_role("link").click()
        expect(page.get_by_role("heading", name="First data from the browser")).to_be_visible()
        expect(page.locator("table.metadata")).to_contain_text("source")
        expect(page.locator("table.metadata")).to_contain_text("browser-test")
        expect(page.locator("table.diff tbody tr")).to_have_count(2)
        ui.shot("commit")

        # a branch from main
        page.get_by_role("link", name="Branches").click()
        page.get_by_role("button", name="Create branch").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Branch name").fill("feature")
        expect(dialog.get_by_label("From (branch, tag or commit)")).to_have_value("main")
        dialog.get_by_role("button", name="Create").click()
        expect(page.locator("table.listing tbody tr")).to_have_count(2)
        ui.shot("branches")

        # change a file on the branch: the ref selector by type-ahead, an upload, a commit
        page.get_by_role("link", name="Objects").click()
        selector = page.get_by_label("ref", exact=True)
        selector.fill("fea")
        page.get_by_role("option", name="feature").click()
        expect(page).to_have_url(server.url + "/repositories/ui-demo/objects?ref=feature")
        csv_v2 = csv_v1 + "kim,ui\n"
        page.get_by_test_id("file-input").set_input_files(
            files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": csv_v2.encode()}])
        expect(page.locator(".uploads li", has_text="people.csv")).to_contain_text("uploaded")
        page.get_by_role("link", name="Uncommitted changes").click()
        expect(page).to_have_url(server.url + "/repositories/ui-demo/changes?ref=feature")
        expect(page.locator("table.diff tbody tr")).to_have_count(1)
        expect(page.locator("table.diff tbody tr")).to_contain_text("changed")
        page.get_by_role("button", name="Commit changes").click()
        page.get_by_role("dialog").get_by_label("Message").fill("Kim joins")
        page.get_by_role("dialog").get_by_role("button", name="Commit").click()
        expect(page.get_by_role("status")).to_contain_text("Kim joins")

        # compare main with feature and merge
        page.get_by_role("link", name="Compare").click()
        compare = page.get_by_label("compare", exact=True)
        compare.fill("feature")
        compare.press("Enter")
        diff = page.locator("table.diff tbody tr")
        expect(diff).to_have_count(1)
        expect(diff).to_contain_text("people.csv")
        expect(diff).to_contain_text("changed")
        page.get_by_label("mode").select_option("two_dot")
        expect(page).to_have_url(server.url + "/repositories/ui-demo/compare?base=main&compare=feature&mode=two_dot")
        expect(diff).to_have_count(1)
        page.get_by_label("mode").select_option("three_dot")
        ui.shot("compare")
        page.get_by_label("On conflicts").select_option("source-wins")
        page.get_by_role("button", name="Merge").click()
        expect(page.get_by_role("status")).to_contain_text("Merged into main")
        expect(page.get_by_text("No differences between main and feature.")).to_be_visible()
        ui.shot("merged")

        # the merge in main's log
        page.get_by_role("link", name="See the log of main").click()
        log = page.locator("table.log tbody tr")
        expect(log.first).to_contain_text("Merge feature into main")
        expect(log.first.locator(".badge.merge")).to_be_visible()
        expect(log.filter(has_text="Kim joins")).to_have_count(1)
        expect(log.filter(has_text="First data from the browser")).to_have_count(1)
        ui.shot("log")

        # the merged file on main: details and its CSV preview
        page.get_by_role("link", name="Objects").click()
        page.get_by_role("link", name="people.csv").click()
        expect(page.locator("dl.props")).to_contain_text("local://")
        expect(page.locator("dl.props")).to_contain_text("text/csv")
        expect(page.locator("table.csv tbody tr")).to_have_count(3)
        expect(page.locator("table.csv tbody tr").last).to_contain_text("kim")
        ui.shot("object-preview")

        # download the binary and compare bytes
        page.get_by_role("link", name="Objects").click()
        with page.expect_download() as download:
            page.locator(".objects-table .rows [role=row]", has_text="data.bin").get_by_role("link", name="Download").click()
        assert download.value.suggested_filename == "data.bin"
        assert Path(download.value.path()).read_bytes() == blob

        # tags page (create one from the merge)
        page.get_by_role("link", name="Tags").click()
        page.get_by_role("button", name="Create tag").click()
        page.get_by_role("dialog").get_by_label("Tag name").fill("v1")
        page.get_by_role("dialog").get_by_role("button", name="Create").click()
        expect(page.locator("table.listing tbody tr")).to_have_count(1)
        ui.shot("tags")

        assert ui.errors == [], ui.errors
    except Exception:
        ui.shot("failure")
        raise
    finally:
        ui.close()


@pytest.fixture(scope="module")
def short_session_server(tarn_factory):
    """A set-up server whose login tokens live 5 seconds."""
    return tarn_factory.start("ui-short", config={"auth.login_duration": "5s"})


def login(ui, key_id=TEST_ACCESS_KEY_ID, secret=TEST_SECRET_ACCESS_KEY):
    page = ui.page
    page.goto("/auth/login")
    page.get_by_label("Access key ID").fill(key_id)
    page.get_by_label("Secret access key").fill(secret)
    page.get_by_role("button", name="Log in").click()


def network_errors_only(errors, status):
    """Console errors other than the browser's note on a failed request with `status` (expected here)."""
    return [e for e in errors if f"status of {status}" not in e]


def test_a_wrong_password_shows_a_message(browser, tarn_server):
    ui = Page(browser, tarn_server, "wrong-password")
    expect = playwright_sync.expect
    try:
        login(ui, secret="not-the-secret")
        alert = ui.page.get_by_role("alert")
        expect(alert).to_contain_text("Wrong access key ID or secret access key.")
        expect(ui.page).to_have_url(tarn_server.url + "/auth/login")
        ui.shot("message")
        # an unknown key id: the same message, and the right key still works afterwards
        login(ui, key_id="AKIAJNOSUCHKEY000000Q")
        expect(alert).to_contain_text("Wrong access key ID or secret access key.")
        login(ui)
        expect(ui.page).to_have_url(tarn_server.url + "/repositories")
        assert network_errors_only(ui.errors, 401) == [], ui.errors
    finally:
        ui.close()


def test_an_expired_session_returns_to_login(browser, short_session_server):
    ui = Page(browser, short_session_server, "expired-session")
    page = ui.page
    expect = playwright_sync.expect
    try:
        login(ui)
        expect(page).to_have_url(short_session_server.url + "/repositories")
        expect(page.get_by_role("heading", name="Repositories")).to_be_visible()
        time.sleep(6.5)   # the token (5 s) has expired
        page.get_by_role("link", name="Tarn").click()
        expect(page.get_by_role("status")).to_contain_text("Your session has expired")
        assert page.url.startswith(short_session_server.url + "/auth/login?"), page.url
        ui.shot("login-again")
        # a reload of a deep page with the expired cookie also lands on the login page, and logging
        # in again returns to that page
        page.goto("/repositories?search=nothing-matches")
        expect(page).to_have_url(short_session_server.url + "/auth/login?next=%2Frepositories%3Fsearch%3Dnothing-matches")
        page.get_by_label("Access key ID").fill(TEST_ACCESS_KEY_ID)
        page.get_by_label("Secret access key").fill(TEST_SECRET_ACCESS_KEY)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(short_session_server.url + "/repositories?search=nothing-matches")
        expect(page.get_by_text("No repository matches")).to_be_visible()
        # logging out clears the cookie: the next page asks to log in
        page.get_by_role("link", name="Log out").click()
        expect(page).to_have_url(short_session_server.url + "/auth/login")
        page.goto("/repositories")
        expect(page).to_have_url(short_session_server.url + "/auth/login?next=%2Frepositories")
        assert network_errors_only(ui.errors, 401) == [], ui.errors
    finally:
        ui.close()


def test_api_errors_are_shown_on_the_page(browser, tarn_server):
    ui = Page(browser, tarn_server, "errors")
    page = ui.page
    expect = playwright_sync.expect
    try:
        login(ui)
        expect(page).to_have_url(tarn_server.url + "/repositories")
        page.goto("/repositories/no-such-repo/objects")
        expect(page.get_by_role("alert")).to_contain_text("404")
        ui.shot("missing-repository")
        page.goto("/repositories")
        page.get_by_role("button", name="Create repository").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Repository ID").fill("bad-namespace")
        dialog.get_by_label("Storage namespace").fill("nowhere://x")
        dialog.get_by_role("button", name="Create").click()
        expect(dialog.get_by_role("alert")).to_contain_text("Error 400")
        ui.shot("bad-namespace")
        # on a local block store an empty namespace is the suggested local://<id>
        dialog.get_by_label("Repository ID").fill("ui-suggested")
        dialog.get_by_label("Storage namespace").fill("")
        expect(dialog.get_by_label("Storage namespace")).to_have_attribute("placeholder", "local://ui-suggested")
        dialog.get_by_role("button", name="Create").click()
        expect(page).to_have_url(tarn_server.url + "/repositories/ui-suggested/objects")
        r = requests.get(tarn_server.url + "/api/v1/repositories/ui-suggested", auth=(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY))
        assert r.json()["storage_namespace"] == "local://ui-suggested", r.text
        # the failed calls are the browser's notes on a 404 and a 400, never an error of the page
        assert [e for e in ui.errors if "status of 40" not in e] == [], ui.errors
    finally:
        ui.close()


def test_first_page_load_and_a_1000_entry_listing(browser, tarn_server):
    """Prints the navigation timing of the first page load and the render time of 1,000 objects."""
    server = tarn_server
    s = requests.Session()
    s.auth = (TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)
    base = server.url + "/api/v1"
    r = s.post(base + "/repositories", json={"name": "ui-many", "storage_namespace": server.namespace("ui-many"),
                                             "default_branch": "main"})
    assert r.status_code == 201, r.text

    def put(i):
        r = s.post(base + "/repositories/ui-many/branches/main/objects", params={"path": f"many/file-{i:04d}.txt"},
                   data=f"object {i}\n".encode(), headers={"Content-Type": "text/plain"})
        assert r.status_code == 201, r.text

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(put, range(1000)))

    ui = Page(browser, server, "timing")
    page = ui.page
    expect = playwright_sync.expect
    try:
        # first load: a new browser context (empty cache, new connections) on a warm server, three
        # times; then a reload with cached assets
        page.goto("/auth/login")   # warms the server's side of the page
        expect(page.get_by_role("button", name="Log in")).to_be_visible()
        loads = []
        files = []
        for n in range(3):
            fresh = Page(browser, server, "timing-first-load")
            try:
                fresh.page.goto("/auth/login")
                expect(fresh.page.get_by_role("button", name="Log in")).to_be_visible()
                loads.append(("first load, empty cache", fresh.page.evaluate(
                    "JSON.stringify(performance.getEntriesByType('navigation')[0])")))
                files.append(fresh.page.evaluate("""performance.getEntriesByType('resource')
                    .filter((r) => ['script', 'link', 'css'].includes(r.initiatorType) || r.name.includes('/assets/'))
                    .map((r) => ({ name: r.name, transfer: r.transferSize, body: r.decodedBodySize }))"""))
                assert fresh.errors == [], fresh.errors
            finally:
                fresh.close()
        page.reload()
        expect(page.get_by_role("button", name="Log in")).to_be_visible()
        loads.append(("reload, cached assets", page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")))
        assets = files[-1]
        report(f"web UI first load fetches {len(assets) + 1} files (the page and {len(assets)} assets): "
               f"{sum(a['transfer'] for a in assets) / 1024:.0f} KiB on the wire, "
               f"{sum(a['body'] for a in assets) / 1024:.0f} KiB decoded (resource timing)")
        for label, raw in loads:
            nav = json.loads(raw)
            report(f"web UI {label}: response end {nav['responseEnd']:.0f} ms, DOMContentLoaded "
                   f"{nav['domContentLoadedEventEnd']:.0f} ms, load {nav['loadEventEnd']:.0f} ms "
                   f"(navigation timing; shared machine)")

        page.get_by_label("Access key ID").fill(TEST_ACCESS_KEY_ID)
        page.get_by_label("Secret access key").fill(TEST_SECRET_ACCESS_KEY)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(server.url + "/repositories")
        # paging at 100 a page
        page.goto("/repositories/ui-many/objects?ref=main&prefix=many%2F")
        rows = page.locator(".objects-table .rows [role=row]")
        expect(rows).to_have_count(100)
        expect(rows.first).to_contain_text("file-0000.txt")
        page.get_by_role("button", name="Next page").click()
        expect(rows.first).to_contain_text("file-0100.txt")
        expect(rows).to_have_count(100)
        page.get_by_role("button", name="First page").click()
        expect(rows.first).to_contain_text("file-0000.txt")
        page.goto("/repositories/ui-many/objects?ref=main&prefix=many%2F&amount=1000")
        expect(page.locator(".objects-table .rows [role=row]")).to_have_count(1000)
        page.wait_for_function("performance.getEntriesByName('tarn:listing-render').length > 0")
        ui.shot("listing-1000")
        # four more renders of the same page (100 entries in between); the machine is shared, so
        # the smallest and the median of the five are printed
        for n in range(2, 10):
            page.get_by_label("per page").select_option("100" if n % 2 == 0 else "1000")
            page.wait_for_function(f"performance.getEntriesByName('tarn:listing-render').length >= {n}")
        measures = page.evaluate("""performance.getEntriesByName('tarn:listing-render')
            .map((m) => ({ duration: m.duration, entries: m.detail.entries }))""")
        thousand = sorted(m["duration"] for m in measures if m["entries"] == 1000)
        assert len(thousand) == 5, measures
        report(f"web UI listing of 1000 objects: rendered in {thousand[0]:.0f} ms (fastest of 5), "
               f"{thousand[2]:.0f} ms (median), from the API's answer to the next frame "
               f"(performance.measure 'tarn:listing-render'; shared machine)")
        assert ui.errors == [], ui.errors
    finally:
        ui.close()


def test_conflicts_resets_previews_and_deletes(browser, tarn_server):
    server = tarn_server
    s = requests.Session()
    s.auth = (TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)
    base = server.url + "/api/v1/repositories"
    repo = "ui-conflicts"

    def put(branch, path, data, content_type="text/plain"):
        r = s.post(f"{base}/{repo}/branches/{branch}/objects", params={"path": path}, data=data,
                   headers={"Content-Type": content_type})
        assert r.status_code == 201, r.text

    def commit(branch, message):
        r = s.post(f"{base}/{repo}/branches/{branch}/commits", json={"message": message})
        assert r.status_code == 201, r.text

    r = s.post(base, json={"name": repo, "storage_namespace": server.namespace(repo), "default_branch": "main"})
    assert r.status_code == 201, r.text
    put("main", "a.txt", b"one\n")
    put("main", "b.txt", b"two\n")
    commit("main", "two files")
    assert s.post(f"{base}/{repo}/branches", json={"name": "other", "source": "main"}).status_code == 201
    put("main", "a.txt", b"main's a\n")
    commit("main", "a on main")
    put("other", "a.txt", b"other's a\n")
    put("other", "b.txt", b"other's b\n")
    commit("other", "a and b on other")

    ui = Page(browser, server, "conflicts")
    page = ui.page
    expect = playwright_sync.expect
    try:
        login(ui)
        expect(page).to_have_url(server.url + "/repositories")

        # a merge that conflicts lists the conflicting paths; dest-wins then merges
        page.goto(f"/repositories/{repo}/compare?base=main&compare=other")
        expect(page.locator("table.diff tbody tr")).to_have_count(2)
        page.get_by_role("button", name="Merge").click()
        expect(page.locator("form.merge").get_by_role("alert")).to_contain_text("Error 409")
        conflicts = page.locator(".conflicts tbody tr")
        expect(conflicts).to_have_count(1)
        expect(conflicts).to_contain_text("a.txt")
        ui.shot("conflicts")
        page.get_by_label("On conflicts").select_option("dest-wins")
        page.get_by_role("button", name="Merge").click()
        expect(page.get_by_role("status")).to_contain_text("Merged into main")
        assert s.get(f"{base}/{repo}/refs/main/objects", params={"path": "a.txt"}).content == b"main's a\n"
        assert s.get(f"{base}/{repo}/refs/main/objects", params={"path": "b.txt"}).content == b"other's b\n"

        # uncommitted changes reset one path, then a folder, then everything
        put("main", "c.txt", b"c")
        put("main", "dir/d.txt", b"d")
        put("main", "dir/e.txt", b"e")
        put("main", "f.json", b'{"k": [1, 2], "name": "tarn"}', "application/json")
        page.goto(f"/repositories/{repo}/changes")
        rows = page.locator("table.diff tbody tr")
        expect(rows).to_have_count(3)   # c.txt, dir/ (a folder), f.json
        expect(rows.filter(has_text="dir/")).to_contain_text("(folder)")
        rows.filter(has_text="c.txt").get_by_role("button", name="Reset").click()
        page.get_by_role("dialog").get_by_role("button", name="Reset").click()
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="c.txt")).to_have_count(0)
        rows.filter(has_text="dir/").get_by_role("link").click()
        expect(rows).to_have_count(2)   # dir/d.txt, dir/e.txt
        page.get_by_role("link", name="all changes").click()
        expect(rows.filter(has_text="(folder)")).to_have_count(1)
        rows.filter(has_text="(folder)").get_by_role("button", name="Reset").click()
        expect(page.get_by_role("dialog")).to_contain_text("and everything under it")
        page.get_by_role("dialog").get_by_role("button", name="Reset").click()
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("f.json")
        ui.shot("changes-after-reset")
        put("main", "dir/d.txt", b"d again")

        # a folder chosen for upload keeps its relative paths under the current folder
        folder = Path(tempfile.mkdtemp(prefix="tarn-ui-folder-")) / "batch"
        (folder / "inner").mkdir(parents=True)
        (folder / "one file é#1.txt").write_bytes(b"1")
        (folder / "inner" / "two.txt").write_bytes(b"22")
        page.goto(f"/repositories/{repo}/objects")
        page.locator("input[webkitdirectory]").set_input_files(str(folder))
        uploads = page.locator(".uploads li")
        expect(uploads).to_have_count(2)
        expect(uploads.filter(has_text="batch/inner/two.txt")).to_contain_text("uploaded")
        expect(uploads.filter(has_text="batch/one file é#1.txt")).to_contain_text("uploaded")
        shutil.rmtree(folder.parent, ignore_errors=True)
        assert s.get(f"{base}/{repo}/refs/main/objects", params={"path": "batch/inner/two.txt"}).content == b"22"
        # a name with a space, an accent and a '#' survives the links: browse to it and download it
        page.goto(f"/repositories/{repo}/objects?prefix=batch%2F")
        odd = page.locator(".objects-table .rows [role=row]", has_text="one file é#1.txt")
        odd.get_by_role("link", name="one file é#1.txt").click()
        expect(page.locator("dl.props")).to_contain_text("batch/one file é#1.txt")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        assert Path(download.value.path()).read_bytes() == b"1"
        r = s.put(f"{base}/{repo}/branches/main", json={"type": "common_prefix", "path": "batch/"})
        assert r.status_code == 204, r.text

        # an image's preview (a 2x1 PNG made here)
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff")) + chunk(b"IEND", b""))
        put("main", "pic.png", png, "image/png")
        page.goto(f"/repositories/{repo}/object?path=pic.png")
        image = page.locator("img.preview-image")
        expect(image).to_be_visible()
        page.wait_for_function("document.querySelector('img.preview-image').complete")
        assert image.evaluate("(img) => [img.naturalWidth, img.naturalHeight]") == [2, 1]

        # a JSON object's preview is pretty-printed
        page.goto(f"/repositories/{repo}/object?path=f.json")
        expect(page.locator(".preview pre")).to_contain_text('"name": "tarn"')
        ui.shot("json-preview")

        # folders in the browser and their breadcrumbs
        page.goto(f"/repositories/{repo}/objects")
        page.locator(".objects-table .folder").get_by_role("link", name="dir/").click()
        expect(page.locator(".breadcrumbs")).to_contain_text("dir")
        expect(page.locator(".objects-table .rows [role=row]")).to_have_count(1)
        ui.shot("folder")

        page.goto(f"/repositories/{repo}/changes")
        page.get_by_role("button", name="Reset all").click()
        page.get_by_role("dialog").get_by_role("button", name="Reset").click()
        expect(page.get_by_text("No uncommitted changes.")).to_be_visible()

        # branches: the default one cannot be deleted, another one can, after a confirmation
        page.get_by_role("link", name="Branches").click()
        branch_rows = page.locator("table.listing tbody tr")
        expect(branch_rows).to_have_count(2)
        expect(branch_rows.filter(has_text="main").get_by_role("button", name="Delete")).to_have_count(0)
        branch_rows.filter(has_text="other").get_by_role("button", name="Delete").click()
        page.get_by_role("dialog").get_by_role("button", name="Delete").click()
        expect(branch_rows).to_have_count(1)

        # repositories: search, then delete after a confirmation
        page.get_by_role("link", name="Repositories", exact=True).first.click()
        page.get_by_label("Search repositories").fill("conflicts")
        expect(page).to_have_url(server.url + "/repositories?search=conflicts")
        listed = page.locator("table.repositories tbody tr")
        expect(listed).to_have_count(1)
        listed.get_by_role("button", name="Delete").click()
        ui.shot("delete-repository")
        page.get_by_role("dialog").get_by_role("button", name="Delete").click()
        expect(page.get_by_text("No repository matches")).to_be_visible()
        assert s.get(f"{base}/{repo}").status_code == 404
        assert [e for e in ui.errors if "status of 409" not in e] == [], ui.errors
    except Exception:
        ui.shot("failure")
        raise
    finally:
        ui.close()


def test_administration_and_a_user_with_a_policy(browser, tarn_server):
    """The admin makes a user, a policy (bad JSON and a bad action first), a group with both, a key;
    the user logs in with that key and sees what the policy allows and a readable refusal for the rest."""
    server = tarn_server
    s = requests.Session()
    s.auth = (TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY)
    base = server.url + "/api/v1"
    for repo in ("ui-rbac", "ui-secret"):
        r = s.post(base + "/repositories", json={"name": repo, "storage_namespace": server.namespace(repo),
                                                 "default_branch": "main"})
        assert r.status_code == 201, r.text
        r = s.post(f"{base}/repositories/{repo}/branches/main/objects", params={"path": "data.txt"}, data=b"rows\n")
        assert r.status_code == 201, r.text
        assert s.post(f"{base}/repositories/{repo}/branches/main/commits", json={"message": "data"}).status_code == 201

    ui = Page(browser, server, "admin")
    page = ui.page
    expect = playwright_sync.expect
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        login(ui)
        expect(page).to_have_url(server.url + "/repositories")
        page.get_by_role("link", name="Administration").click()
        expect(page).to_have_url(server.url + "/auth/users")
        users = page.locator("table.listing tbody tr")
        expect(users.filter(has_text="tester")).to_have_count(1)
        expect(users.filter(has_text="tester").get_by_role("button", name="Delete")).to_have_count(0)   # not oneself
        ui.shot("users")

        # a user
        page.get_by_role("button", name="Create user").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("User ID").fill("ui-dana")
        dialog.get_by_label("Email (optional)").fill("dana@example.com")
        ui.shot("create-user")
        dialog.get_by_role("button", name="Create").click()
        expect(page).to_have_url(server.url + "/auth/users/ui-dana")
        expect(page.locator("dl.props")).to_contain_text("dana@example.com")
        expect(page.get_by_text("Not in any group.")).to_be_visible()
        expect(page.get_by_text("No access keys.")).to_be_visible()

        # a policy: the JSON is checked for syntax here, its meaning by the server (its 400 shown)
        page.locator("nav.tabs").get_by_role("link", name="Policies", exact=True).click()
        expect(page.locator("table.listing tbody tr", has_text="FSReadAll")).to_be_visible()
        page.get_by_role("button", name="Create policy").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Policy ID").fill("UiReadRbac")
        statements = dialog.get_by_label("Statements (JSON)")
        statements.fill('[{"effect": "allow", "action": ["fs:Read*"] "resource": "*"}]')
        dialog.get_by_role("button", name="Create").click()
        expect(dialog.get_by_role("alert")).to_contain_text("not valid JSON")
        statements.fill(json.dumps([{"effect": "allow", "action": ["fs:ReadEverything"], "resource": "*"}]))
        dialog.get_by_role("button", name="Create").click()
        expect(dialog.get_by_role("alert")).to_contain_text("Error 400")
        expect(dialog.get_by_role("alert")).to_contain_text("fs:ReadEverything")
        ui.shot("policy-refused")
        allowed = [{"effect": "allow", "action": ["fs:ListRepositories"], "resource": "*"},
                   {"effect": "allow", "action": ["fs:Read*", "fs:List*"], "resource": "arn:lakefs:fs:::repository/ui-rbac"}]
        statements.fill(json.dumps(allowed))
        dialog.get_by_role("button", name="Create").click()
        expect(page).to_have_url(server.url + "/auth/policies/UiReadRbac")
        editor = page.get_by_label("Statements (JSON)")
        expect(editor).not_to_have_value("")
        assert json.loads(editor.input_value()) == allowed
        # edit: a refused change keeps the policy; the objects of the repository are added
        editor.fill(json.dumps([{"effect": "maybe", "action": ["fs:ReadObject"], "resource": "*"}]))
        page.get_by_role("button", name="Save policy").click()
        expect(page.locator("form.policy-editor").get_by_role("alert")).to_contain_text("Error 400")
        allowed[1]["resource"] = "arn:lakefs:fs:::repository/ui-rbac*"
        editor.fill(json.dumps(allowed))
        page.get_by_role("button", name="Save policy").click()
        expect(page.get_by_role("status")).to_contain_text("Saved.")
        r = s.get(base + "/auth/policies/UiReadRbac")
        assert [st["resource"] for st in r.json()["statement"]] == ["*", "arn:lakefs:fs:::repository/ui-rbac*"], r.text
        ui.shot("policy")

        # a group with the user and two policies; an unknown policy is refused, a detach works
        page.locator("nav.tabs").get_by_role("link", name="Groups", exact=True).click()
        page.get_by_role("button", name="Create group").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Group ID").fill("ui-readers")
        dialog.get_by_label("Description (optional)").fill("read ui-rbac")
        dialog.get_by_role("button", name="Create").click()
        expect(page).to_have_url(server.url + "/auth/groups/ui-readers")
        members = page.get_by_role("region", name="Members")
        members.get_by_label("Add member").fill("ui-dana")
        members.get_by_role("button", name="Add").click()
        expect(members.locator("tbody tr")).to_have_count(1)
        expect(members.locator("tbody tr")).to_contain_text("ui-dana")
        policies = page.get_by_role("region", name="Attached policies")
        for policy in ("UiReadRbac", "AuthManageOwnCredentials", "FSReadAll"):
            policies.get_by_label("Attach policy").fill(policy)
            policies.get_by_role("button", name="Add").click()
            expect(policies.locator("tbody tr", has_text=policy)).to_have_count(1)
        policies.get_by_label("Attach policy").fill("NoSuchPolicy")
        policies.get_by_role("button", name="Add").click()
        expect(policies.get_by_role("alert")).to_contain_text("404")
        policies.locator("tbody tr", has_text="FSReadAll").get_by_role("button", name="Detach").click()
        page.get_by_role("dialog").get_by_role("button", name="Detach").click()
        expect(policies.locator("tbody tr")).to_have_count(2)
        ui.shot("group")
        r = s.get(base + "/auth/groups/ui-readers/policies")
        assert sorted(p["id"] for p in r.json()["results"]) == ["AuthManageOwnCredentials", "UiReadRbac"], r.text

        # the user's page: its group, its effective policies, a new key shown once
        members.get_by_role("link", name="ui-dana").click()
        expect(page).to_have_url(server.url + "/auth/users/ui-dana")
        expect(page.get_by_role("region", name="Groups").locator("tbody tr")).to_contain_text("ui-readers")
        expect(page.get_by_text("No policy attached to the user itself.")).to_be_visible()
        page.get_by_label("with the policies of its groups (effective)").check()
        effective = page.get_by_role("region", name="Effective policies").locator("tbody tr")
        expect(effective).to_have_count(2)
        expect(effective.filter(has_text="UiReadRbac")).to_have_count(1)
        keys = page.get_by_role("region", name="Access keys")
        keys.get_by_role("button", name="Create access key").click()
        expect(keys.get_by_role("status")).to_contain_text("shown only once")
        key_id = keys.locator(".new-access-key-id").inner_text()
        secret = keys.locator(".new-secret-access-key").inner_text()
        assert len(key_id) == 20 and len(secret) == 40, (key_id, secret)
        expect(keys.locator("tbody tr")).to_have_count(1)
        expect(keys.get_by_role("button", name="Copy")).to_have_count(2)
        ui.shot("user-key")

        # a user made and deleted
        page.locator("nav.tabs").get_by_role("link", name="Users", exact=True).click()
        page.get_by_role("button", name="Create user").click()
        page.get_by_role("dialog").get_by_label("User ID").fill("ui-temp")
        page.get_by_role("dialog").get_by_role("button", name="Create").click()
        expect(page).to_have_url(server.url + "/auth/users/ui-temp")
        page.locator("nav.tabs").get_by_role("link", name="Users", exact=True).click()
        users.filter(has_text="ui-temp").get_by_role("button", name="Delete").click()
        page.get_by_role("dialog").get_by_role("button", name="Delete").click()
        expect(users.filter(has_text="ui-temp")).to_have_count(0)
        assert s.get(base + "/auth/users/ui-temp").status_code == 404

        # log out; log in as the new user with the new key
        page.get_by_role("link", name="Log out").click()
        expect(page).to_have_url(server.url + "/auth/login")
        with page.expect_response(lambda r: "/api/v1/auth/users?amount=1" in r.url) as probe:
            login(ui, key_id=key_id, secret=secret)
        assert probe.value.status == 403
        expect(page).to_have_url(server.url + "/repositories")
        expect(page.locator("header .user")).to_have_text("ui-dana")
        expect(page.locator("header").get_by_role("link", name="Administration")).to_have_count(0)

        # allowed: the repositories, the objects of ui-rbac (searched for: the shared server holds the
        # repositories of every other test, and the first page may end before "ui-")
        page.get_by_label("Search repositories").fill("ui-rbac")
        expect(page.locator("table.repositories tbody tr", has_text="ui-rbac")).to_have_count(1)
        page.get_by_role("link", name="ui-rbac", exact=True).click()
        expect(page.locator(".objects-table .rows [role=row]", has_text="data.txt")).to_be_visible()
        ui.shot("user-allowed")
        # denied, each with a readable message: another repository, creating one, the admin pages
        page.goto("/repositories/ui-secret/objects")
        expect(page.get_by_role("alert")).to_contain_text("Error 403")
        expect(page.get_by_role("alert")).to_contain_text("not allowed fs:ReadRepository")
        page.goto("/repositories")
        page.get_by_role("button", name="Create repository").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Repository ID").fill("ui-dana-repo")
        dialog.get_by_label("Storage namespace").fill(server.namespace("ui-dana-repo"))
        dialog.get_by_role("button", name="Create").click()
        expect(dialog.get_by_role("alert")).to_contain_text("Error 403")
        expect(dialog.get_by_role("alert")).to_contain_text("fs:CreateRepository")
        ui.shot("user-denied")
        page.goto("/auth/users")
        expect(page.get_by_role("alert")).to_contain_text("Error 403")
        expect(page.get_by_role("alert")).to_contain_text("auth:ListUsers")
        expect(page.get_by_role("alert")).to_contain_text("an administrator can attach one")
        expect(page.get_by_role("button", name="Create user")).to_have_count(0)
        ui.shot("user-admin-denied")

        # the user's own keys: the one it logged in with, a new one shown once, deleted again
        page.locator("header .user").click()
        expect(page).to_have_url(server.url + "/auth/credentials")
        own = page.get_by_role("region", name="Access keys")
        expect(own.locator("tbody tr")).to_have_count(1)
        expect(own.locator("tbody tr")).to_contain_text(key_id)
        own.get_by_role("button", name="Create access key").click()
        second = own.locator(".new-access-key-id").inner_text()
        assert second != key_id
        expect(own.locator("tbody tr")).to_have_count(2)
        ui.shot("own-keys")
        own.locator("tbody tr", has_text=second).get_by_role("button", name="Delete").click()
        page.get_by_role("dialog").get_by_role("button", name="Delete").click()
        expect(own.locator("tbody tr")).to_have_count(1)
        expect(own.locator(".new-access-key-id")).to_have_count(0)
        r = requests.get(base + "/user", auth=(key_id, secret))
        assert r.status_code == 200 and r.json()["user"]["id"] == "ui-dana", r.text
        # the browser's notes on the refused calls are the only console errors
        assert [e for e in ui.errors if not any(f"status of {c}" in e for c in (400, 403, 404))] == [], ui.errors
    except Exception:
        ui.shot("failure")
        raise
    finally:
        ui.close()
