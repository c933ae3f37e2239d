"""Helpers of the classic API suites (test_classic_*.py): raw-HTTP uploads that stream from a file,
parallel request fan-out, and bravado clients with other credentials."""
from __future__ import annotations

import hashlib
import io
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable

import requests
from bravado.client import SwaggerClient
from bravado.requests_client import RequestsClient

API = "/api/v0"
EMPTY_MD5 = hashlib.md5(b"").hexdigest()


def bravado_client(server, access_key_id: str | None, secret_access_key: str | None) -> SwaggerClient:
    """A client built like the seed page's, with the given credentials (None: no credentials)."""
    http_client = RequestsClient()
    if access_key_id is not None:
        http_client.set_basic_auth(server.auth_host, access_key_id, secret_access_key)
    return SwaggerClient.from_url(f"{server.url}/swagger.json", http_client=http_client,
                                  config={"validate_swagger_spec": False})


class MultipartFile(io.RawIOBase):
    """A multipart/form-data body with one file part, read lazily from a file on disk, with a known
    length (so requests sends Content-Length and never holds the body in memory)."""

    def __init__(self, path: str, field: str = "content"):
        super().__init__()
        self.boundary = uuid.uuid4().hex
        self._head = (f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                      f"filename=\"{field}\"\r\n\r\n").encode()
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._size = os.path.getsize(path)
        self._file = open(path, "rb")
        self._parts = [io.BytesIO(self._head), self._file, io.BytesIO(self._tail)]

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return len(self._head) + self._size + len(self._tail)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        out = bytearray()
        while self._parts and (n < 0 or len(out) < n):
            chunk = self._parts[0].read(-1 if n < 0 else n - len(out))
            if not chunk:
                self._parts.pop(0)
                continue
            out += chunk
        return bytes(out)

    def close(self) -> None:
        self._file.close()
        super().close()


def upload_file(http: requests.Session, repo: str, branch: str, path: str, file_path: str) -> requests.Response:
    body = MultipartFile(file_path)
    try:
        return http.post(f"{API}/repositories/{repo}/branches/{branch}/objects", params={"path": path},
                         data=body, headers={"Content-Type": body.content_type}, timeout=1800)
    finally:
        body.close()


def upload_bytes(http: requests.Session, repo: str, branch: str, path: str, data: bytes) -> requests.Response:
    return http.post(f"{API}/repositories/{repo}/branches/{branch}/objects", params={"path": path},
                     files={"content": ("content", data)})


def parallel(server, items: Iterable, call: Callable[[requests.Session, object], None], workers: int = 8) -> None:
    """Runs call(session, item) for every item on a few threads, one keep-alive session per thread."""
    local = threading.local()
    sessions = []
    lock = threading.Lock()

    def run(item):
        if not hasattr(local, "session"):
            local.session = server.session()
            with lock:
                sessions.append(local.session)
        call(local.session, item)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(run, items):
                pass
    finally:
        for s in sessions:
            s.close()


def expect(response: requests.Response, status: int) -> requests.Response:
    assert response.status_code == status, f"{response.request.method} {response.url}: " \
                                           f"{response.status_code} {response.text[:500]}"
    return response


def error_message(response: requests.Response) -> str:
    """The `message` of a JSON error body; fails if the body is not that shape."""
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"], body
    return body["message"]
