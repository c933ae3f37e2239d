"""The front door over a real socket: every surface answers its own requests in its own language.

- the S3 gateway's door (AWS-signed requests, or the gateway's host names) answers S3 XML errors;
- the current lakeFS API's door (/api/v1, /openapi.json) serves its document and answers JSON;
- the web UI serves its files at / and falls back to index.html for app routes;
- /metrics is Prometheus text that counts the requests this test made;
- the access log has one line per request with the surface, operation and user.
"""
from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

SIGV4 = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/s3/aws4_request, "
         "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "0" * 64)


def raw(server, method, path, **kwargs):
    kwargs.setdefault("timeout", 30)
    with requests.Session() as s:
        s.trust_env = False
        return s.request(method, server.url + path, **kwargs)


def s3_error(response):
    assert response.headers["Content-Type"].startswith("application/xml"), response.text
    root = ET.fromstring(response.content)
    assert root.tag == "Error"
    fields = {child.tag: child.text for child in root}
    assert set(fields) == {"Code", "Message", "Resource", "RequestId"}
    assert fields["RequestId"] == response.headers["x-amz-request-id"]
    return fields


# ---- S3 gateway door ------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [("GET", "/"), ("GET", "/example-repo?list-type=2"),
                                         ("PUT", "/example-repo/main/a.csv"), ("DELETE", "/example-repo/main/a.csv")])
def test_aws_signed_requests_get_s3_xml(tarn_server, method, path):
    r = raw(tarn_server, method, path, headers={"Authorization": SIGV4, "x-amz-date": "20261201T000000Z",
                                               "x-amz-content-sha256": "UNSIGNED-PAYLOAD"},
            data=b"x" if method == "PUT" else None)
    assert r.status_code == 403
    fields = s3_error(r)
    # an old date and an unknown key: refused by the gateway's signature check
    assert fields["Code"] in ("RequestTimeTooSkewed", "InvalidAccessKeyId")
    assert fields["Resource"] == path.split("?")[0]


def test_presigned_and_sigv2_requests_get_s3_xml(tarn_server):
    presigned = raw(tarn_server, "GET", "/example-repo/main/a.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261201%2Fus-east-1%2Fs3%2Faws4_request"
                    "&X-Amz-Date=20261201T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00")
    assert presigned.status_code == 403 and s3_error(presigned)["Code"] == "AccessDenied"  # expired
    v2 = raw(tarn_server, "GET", "/", headers={"Authorization": "AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl"})
    assert v2.status_code == 403 and s3_error(v2)["Code"] == "AccessDenied"  # no Date


def test_the_gateway_host_and_its_subdomains_are_s3(tarn_server):
    for host in ("s3.local.lakefs.io", f"s3.local.lakefs.io:{tarn_server.port}", "example-repo.s3.local.lakefs.io"):
        r = raw(tarn_server, "GET", "/api/v0/repositories", headers={"Host": host})
        assert r.status_code == 403, host
        assert s3_error(r)["Code"] == "AccessDenied"  # not signed


def test_signed_requests_to_reserved_paths_keep_their_door(tarn_server):
    r = raw(tarn_server, "GET", "/api/v0/repositories", headers={"Authorization": SIGV4})
    assert r.status_code == 401
    assert r.headers["Content-Type"].startswith("application/json")
    assert "message" in r.json()
    assert raw(tarn_server, "GET", "/_health", headers={"Authorization": SIGV4}).status_code == 200


# ---- current API door -----------------------------------------------------------------------

def test_the_current_api_door_serves_its_document_and_answers_json(tarn_server):
    document = raw(tarn_server, "GET", "/openapi.json")
    assert document.status_code == 200 and document.json()["servers"][0]["url"] == "/api/v1"
    for method, path, status in (("GET", "/api/v1/repositories", 401), ("POST", "/api/v1/auth/login", 400),
                                 ("GET", "/api/v1/no/such/thing", 404)):
        r = raw(tarn_server, method, path, json={} if method == "POST" else None)
        assert r.status_code == status, (method, path, r.text)
        assert r.headers["Content-Type"].startswith("application/json")
        assert r.json()["message"]


# ---- web UI door ----------------------------------------------------------------------------

def test_the_ui_serves_its_files_and_falls_back_to_index(tarn_server):
    index = raw(tarn_server, "GET", "/")
    assert index.status_code == 200
    assert index.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>Tarn</title>" in index.text
    icon = raw(tarn_server, "GET", "/favicon.svg")
    assert icon.status_code == 200 and icon.headers["Content-Type"] == "image/svg+xml"
    assert icon.text.startswith("<svg")
    for route in ("/repositories", "/repositories/example-repo/objects?ref=main", "/setup", "/login"):
        r = raw(tarn_server, "GET", route)
        assert r.status_code == 200 and r.text == index.text, route
    again = raw(tarn_server, "GET", "/", headers={"If-None-Match": index.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    missing = raw(tarn_server, "GET", "/assets/index-deadbeef.js")
    assert missing.status_code == 404 and "message" in missing.json()


# ---- metrics and access log -----------------------------------------------------------------

def samples(server):
    r = raw(server, "GET", "/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def request_count(metrics, surface, operation, status):
    key = ("tarn_http_request_duration_seconds_count",
           tuple(sorted({"surface": surface, "operation": operation, "status": str(status)}.items())))
    return metrics.get(key, 0.0)


def test_metrics_count_the_requests_made(tarn_server, http):
    before = samples(tarn_server)
    for _ in range(7):
        assert http.get("/api/v0/repositories").status_code == 200
    for _ in range(3):
        assert raw(tarn_server, "GET", "/api/v0/repositories").status_code == 401
    assert raw(tarn_server, "GET", "/api/v1/no/such/thing").status_code == 404
    after = samples(tarn_server)
    assert request_count(after, "classic", "listRepositories", 200) - request_count(before, "classic", "listRepositories", 200) == 7
    assert request_count(after, "classic", "listRepositories", 401) - request_count(before, "classic", "listRepositories", 401) == 3
    assert request_count(after, "current", "unknown", 404) - request_count(before, "current", "unknown", 404) == 1
    # the earlier scrape itself was counted once it finished
    assert request_count(after, "metrics", "metrics", 200) >= 1
    names = {name for name, _ in after}
    assert "tarn_http_request_duration_seconds_bucket" in names
    assert any(n.startswith("tarn_kv_operation_duration_seconds") for n in names)
    assert any(n.startswith("tarn_block_operation_duration_seconds") for n in names)
    assert any(n.startswith("jvm_memory_used_bytes") for n in names)
    assert any(n.startswith("cache_gets") for n in names)
    out_before = before.get(("tarn_http_response_bytes_total", (("surface", "classic"),)), 0.0)
    out_after = after.get(("tarn_http_response_bytes_total", (("surface", "classic"),)), 0.0)
    assert out_after > out_before


def test_the_access_log_has_a_line_per_request(tarn_server, http):
    marker = f"/api/v0/repositories/access-log-probe-{time.time_ns()}"
    assert http.get(marker).status_code == 404
    deadline = time.monotonic() + 10
    line = None
    while time.monotonic() < deadline and line is None:
        for candidate in tarn_server.log.read_text(errors="replace").splitlines():
            if marker in candidate and "io.tarn.access" in candidate:
                line = candidate
        time.sleep(0.2)
    assert line is not None, "no access log line for " + marker
    for part in ("client=127.0.0.1", f"user={tarn_server.user_name}", "surface=classic",
                 "operation=getRepository", "method=GET", "status=404", "bytes_in=0", "duration_ms="):
        assert part in line, (part, line)
