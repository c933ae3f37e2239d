"""The fixtures themselves: a test never talks to a stranger.

A server started on a fixed port (the seed page hard-codes localhost:8000) must be the process
that answers there: a port that is taken fails the start with a message naming the port and its
holder, and whatever answers /_health must carry the started process's instance id."""
import contextlib
import copy
import http.server
import os
import socket
import threading
import uuid

import pytest
import requests

import conftest
from conftest import INSTANCE_HEADER, PortTakenError, StrangerError, check_port_free, read_instance_id


class StrangerHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with 200, like a healthy server, and an instance id of its own."""
    instance = str(uuid.uuid4())

    def do_GET(self):
        body = b"{}"
        self.send_response(200)
        self.send_header(INSTANCE_HEADER, self.instance)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class IPv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


@contextlib.contextmanager
def stranger(host="127.0.0.1", port=0):
    server_class = IPv6Server if ":" in host else http.server.ThreadingHTTPServer
    server = server_class((host, port), StrangerHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_a_taken_port_fails_the_start_naming_the_port_and_its_holder(tarn_factory):
    before = list(tarn_factory.servers)
    with stranger() as port:
        assert requests.get(f"http://127.0.0.1:{port}/_health", timeout=5).status_code == 200
        with pytest.raises(PortTakenError) as e:
            tarn_factory.start("stranger-port", port=port)
    message = str(e.value)
    assert f"port {port} is already in use" in message
    assert "Not starting the tarn server 'stranger-port'" in message
    # the holder is this test process (the stranger runs in one of its threads)
    assert f"pid {os.getpid()}" in message, message
    assert tarn_factory.servers == before


def test_a_stranger_on_ipv6_localhost_only_is_found_too():
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]
        probe.close()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    if not conftest.port_is_free(port):
        pytest.skip(f"port {port} is taken on 127.0.0.1 as well")
    with stranger("::1", port):
        assert conftest.port_is_free(port)  # binding 127.0.0.1 alone would not notice it
        with pytest.raises(PortTakenError, match=rf"port {port} is already in use.*::1"):
            check_port_free(port, "a test server")


def test_a_stranger_that_takes_the_port_after_the_check_is_never_taken_for_tarn(tarn_factory, monkeypatch):
    # the race the port check cannot close: the port is taken between the check and the start
    monkeypatch.setattr(conftest, "check_port_free", lambda port, what: None)
    before = list(tarn_factory.servers)
    with stranger() as port:
        with pytest.raises(RuntimeError) as e:
            tarn_factory.start("stranger-race", port=port)
    message = str(e.value)
    assert isinstance(e.value, StrangerError) or "exited with code" in message, message
    assert StrangerHandler.instance in message, message
    assert tarn_factory.servers == before


def test_every_server_is_checked_by_its_instance_id(tarn_server):
    assert tarn_server.instance_id == str(uuid.UUID(tarn_server.instance_id))
    assert read_instance_id(tarn_server.log, tarn_server.log_offset) == tarn_server.instance_id
    for base in (f"http://127.0.0.1:{tarn_server.port}", tarn_server.url):
        r = requests.get(f"{base}/_health", timeout=10)
        assert r.status_code == 200 and r.headers[INSTANCE_HEADER] == tarn_server.instance_id
    assert tarn_server.healthy()
    tarn_server.check()
    # the same port seen by a fixture that started another process: not its server
    other = copy.copy(tarn_server)
    other.instance_id = str(uuid.uuid4())
    assert not other.healthy()
    with pytest.raises(StrangerError, match=rf"port {tarn_server.port} is not answered by"):
        other.verify_identity()
