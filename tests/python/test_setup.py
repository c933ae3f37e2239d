"""First-user setup the way lakeFS does it, on real servers started without installation.* settings:
setup_lakefs (200 once, then 409), `run --quickstart`, `superuser` for a lost key, and the one-line
error of a listen address in use."""
from __future__ import annotations

import re
import socket
import time

import requests

from conftest import tail

API = "/api/v0"
KEY_RE = re.compile(r"access_key_id: +(\S+)\s+secret_access_key: +(\S+)")


def get_user(server, key_id: str, secret: str) -> requests.Response:
    return requests.get(f"{server.url}{API}/user", auth=(key_id, secret), timeout=30)


def printed_keys(text: str) -> list:
    return KEY_RE.findall(text)


def wait_for_log(server, needle: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = server.log.read_text(errors="replace")
        if needle in text or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def test_a_new_installation_waits_for_setup_lakefs(tarn_factory):
    server = tarn_factory.start("uninitialized", installation=False)
    log = wait_for_log(server, "not set up yet")
    assert "POST /api/v0/setup_lakefs" in log and "tarn setup --user-name NAME" in log and "--quickstart" in log
    assert not printed_keys(log)

    before = get_user(server, "AKIAJTARNTESTKEY0001Q", "whatever")
    assert before.status_code == 401
    assert "not set up yet" in before.json()["message"]

    first = requests.post(f"{server.url}{API}/setup_lakefs", json={"username": "admin"}, timeout=30)
    assert first.status_code == 200, first.text
    body = first.json()
    assert re.fullmatch(r"AKIAJ[A-Z2-7]{14}Q", body["access_key_id"])
    assert len(body["access_secret_key"]) == 40
    me = get_user(server, body["access_key_id"], body["access_secret_key"])
    assert me.status_code == 200
    assert me.json()["user"]["id"] == "admin"

    second = requests.post(f"{server.url}{API}/setup_lakefs", json={"username": "other"}, timeout=30)
    assert second.status_code == 409
    assert get_user(server, body["access_key_id"], body["access_secret_key"] + "x").status_code == 401


def test_quickstart_prints_a_working_key_once(tarn_factory):
    server = tarn_factory.start("quickstart", installation=False, args=["--quickstart"])
    log = wait_for_log(server, "secret_access_key")
    keys = printed_keys(log)
    assert len(keys) == 1, tail(server.log)
    key_id, secret = keys[0]
    assert get_user(server, key_id, secret).json()["user"]["id"] == "admin"
    assert requests.post(f"{server.url}{API}/setup_lakefs", json={"username": "x"},
                         timeout=30).status_code == 409
    # the key is printed before the "running" line, after the port was bound
    assert log.index("secret_access_key") < log.index("Tarn is running on")

    server.stop()
    server.start()  # same store: nothing new is printed, the key still works
    assert len(printed_keys(server.log.read_text(errors="replace"))) == 1
    assert get_user(server, key_id, secret).status_code == 200


def test_superuser_replaces_a_lost_key(tarn_factory):
    server = tarn_factory.start("lost-key", installation=False, args=["--quickstart"])
    (lost_id, lost_secret), = printed_keys(wait_for_log(server, "secret_access_key"))

    busy = server.run_cli("superuser", "--user-name", "admin")
    assert busy.returncode == 1
    assert busy.stderr.strip().count("\n") == 0, busy.stderr
    assert "stop the server first" in busy.stderr and "Exception" not in busy.stderr
    assert not printed_keys(busy.stdout)

    server.stop()
    replaced = server.run_cli("superuser", "--user-name", "admin")
    assert replaced.returncode == 0, replaced.stderr
    keys = printed_keys(replaced.stdout)
    assert len(keys) == 1
    new_id, new_secret = keys[0]
    assert new_id != lost_id

    server.start()
    me = get_user(server, new_id, new_secret)
    assert me.status_code == 200
    assert me.json()["user"]["id"] == "admin"


def test_a_listen_address_in_use_is_one_line(tarn_factory):
    server = tarn_factory.start("port-owner")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = server.run_cli("run", "--quickstart", f"--listen_address=127.0.0.1:{port}",
                                f"--database.local.path={server.data_dir / 'other-metadata'}")
    assert result.returncode != 0
    assert result.stderr.strip() == f"tarn: cannot listen on 127.0.0.1:{port}: address already in use"
    assert "\tat " not in result.stdout and "Exception" not in result.stdout
    assert not printed_keys(result.stdout)
