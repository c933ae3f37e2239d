"""Retention and garbage-collection rules through the clients users have, at their defaults: the 2020
retention policy (GET|PUT /api/v0/repositories/{repository}/retention) through bravado, and the current
GC rules (/api/v1/repositories/{repository}/settings/gc_rules) through lakefs-sdk, with their error
paths (negative days, unknown branch -> 400; unknown repository -> 404; nothing set -> 404)."""
import datetime

import lakefs_sdk
import pytest
import requests
from bravado.exception import HTTPBadRequest, HTTPNotFound
from lakefs_sdk import exceptions as sdk_errors

from conftest import unique_repo_id
from test_current_sdk import sdk_client

API = "/api/v0"


@pytest.fixture(scope="module")
def sdk(tarn_server):
    return sdk_client(tarn_server)


def field(value, name):
    """bravado makes models of the definitions and dicts of inline objects: read either."""
    return value.get(name) if isinstance(value, dict) else getattr(value, name)


def message(response) -> str:
    body = response.json()
    assert isinstance(body.get("message"), str) and body["message"]
    return body["message"]


# ---- 2020: retention policy through bravado ----------------------------------------------------

def test_retention_policy_round_trip(client, repo):
    with pytest.raises(HTTPNotFound):
        client.retention.getRetentionPolicy(repository=repo).result()
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)
    client.retention.updateRetentionPolicy(repository=repo, policy={
        "description": "keep a month",
        "rules": [
            {"status": "enabled", "filter": {}, "expiration": {"noncurrent": {"days": 30}}},
            {"status": "disabled", "filter": {"prefix": "logs/"},
             "expiration": {"all": {"weeks": 1, "days": 2}, "uncommitted": {"days": 1}}},
        ],
    }).result()
    policy = client.retention.getRetentionPolicy(repository=repo).result()
    assert policy.description == "keep a month"
    assert isinstance(policy.creation_date, datetime.datetime) and policy.creation_date >= before
    first, second = policy.rules
    assert first.status == "enabled" and field(field(first.expiration, "noncurrent"), "days") == 30
    assert field(first.expiration, "all") is None
    assert second.status == "disabled" and field(second.filter, "prefix") == "logs/"
    assert field(field(second.expiration, "all"), "weeks") == 1
    assert field(field(second.expiration, "all"), "days") == 2
    assert field(field(second.expiration, "uncommitted"), "days") == 1


def test_retention_policy_errors(tarn_server, client, repo, http):
    with pytest.raises(HTTPNotFound):
        client.retention.getRetentionPolicy(repository="no-such-repo").result()
    with pytest.raises(HTTPNotFound):
        client.retention.updateRetentionPolicy(repository="no-such-repo", policy={
            "rules": [{"status": "enabled", "filter": {}, "expiration": {"all": {"days": 1}}}]}).result()
    url = f"{tarn_server.url}{API}/repositories/{repo}/retention"
    bad = [
        {"rules": [{"status": "enabled", "filter": {}, "expiration": {"all": {"days": -1}}}]},
        {"rules": [{"status": "sometimes", "filter": {}, "expiration": {"all": {"days": 1}}}]},
        {"rules": [{"status": "enabled", "filter": {}, "expiration": {}}]},
        {"rules": [{"status": "enabled", "filter": {}, "expiration": {"all": {}}}]},
        {"rules": [{"status": "enabled", "expiration": {"all": {"days": 1}}}]},
        {"rules": []},
        {"description": "no rules"},
        {"rules": [{"status": "enabled", "filter": {}, "expiration": {"all": {"days": "one"}}}]},
    ]
    for body in bad:
        r = http.put(url, json=body, timeout=30)
        assert r.status_code == 400, (body, r.status_code, r.text)
        message(r)
    r = http.put(url, data=b"{not json", headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400
    message(r)
    # nothing was stored by the refused requests
    with pytest.raises(HTTPNotFound):
        client.retention.getRetentionPolicy(repository=repo).result()
    # bravado refuses a negative period only at the server
    with pytest.raises(HTTPBadRequest):
        client.retention.updateRetentionPolicy(repository=repo, policy={
            "rules": [{"status": "enabled", "filter": {}, "expiration": {"noncurrent": {"days": -3}}}]}).result()


# ---- current: GC rules through lakefs-sdk -------------------------------------------------------

@pytest.fixture
def sdk_repo(tarn_server, sdk) -> str:
    repo_id = unique_repo_id("gcrules")
    sdk.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
        name=repo_id, storage_namespace=tarn_server.namespace(repo_id)))
    sdk.branches_api.create_branch(repo_id, lakefs_sdk.BranchCreation(name="dev", source="main"))
    return repo_id


def test_gc_rules_round_trip(sdk, sdk_repo):
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.get_gc_rules(sdk_repo)
    rules = lakefs_sdk.GarbageCollectionRules(default_retention_days=21, branches=[
        lakefs_sdk.GarbageCollectionRule(branch_id="main", retention_days=90),
        lakefs_sdk.GarbageCollectionRule(branch_id="dev", retention_days=0)])
    assert sdk.repositories_api.set_gc_rules(sdk_repo, rules) is None
    got = sdk.repositories_api.get_gc_rules(sdk_repo)
    assert got.default_retention_days == 21
    assert [(b.branch_id, b.retention_days) for b in got.branches] == [("main", 90), ("dev", 0)]
    sdk.repositories_api.set_gc_rules(sdk_repo, lakefs_sdk.GarbageCollectionRules(default_retention_days=3,
                                                                                  branches=[]))
    got = sdk.repositories_api.get_gc_rules(sdk_repo)
    assert got.default_retention_days == 3 and got.branches == []
    sdk.repositories_api.delete_gc_rules(sdk_repo)
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.get_gc_rules(sdk_repo)


def test_gc_rules_errors(tarn_server, sdk, sdk_repo, http):
    def refused(rules, status=400):
        with pytest.raises(sdk_errors.ApiException) as e:
            sdk.repositories_api.set_gc_rules(sdk_repo, rules)
        assert e.value.status == status, e.value
        assert e.value.body and "message" in e.value.body

    refused(lakefs_sdk.GarbageCollectionRules(default_retention_days=-1, branches=[]))
    refused(lakefs_sdk.GarbageCollectionRules(default_retention_days=7, branches=[
        lakefs_sdk.GarbageCollectionRule(branch_id="no-such-branch", retention_days=1)]))
    refused(lakefs_sdk.GarbageCollectionRules(default_retention_days=7, branches=[
        lakefs_sdk.GarbageCollectionRule(branch_id="main", retention_days=-5)]))
    refused(lakefs_sdk.GarbageCollectionRules(default_retention_days=7, branches=[
        lakefs_sdk.GarbageCollectionRule(branch_id="main", retention_days=1),
        lakefs_sdk.GarbageCollectionRule(branch_id="main", retention_days=2)]))
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.set_gc_rules("no-such-repo", lakefs_sdk.GarbageCollectionRules(
            default_retention_days=1, branches=[]))
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.get_gc_rules("no-such-repo")
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.delete_gc_rules("no-such-repo")
    url = f"{tarn_server.url}/api/v1/repositories/{sdk_repo}/settings/gc_rules"
    for body in ({"branches": []}, {"default_retention_days": 1}, {"default_retention_days": "x", "branches": []},
                 {"default_retention_days": 1, "branches": [{"retention_days": 1}]},
                 {"default_retention_days": 1, "branches": "main"}):
        r = http.put(url, json=body, timeout=30)
        assert r.status_code == 400, (body, r.status_code, r.text)
        message(r)
    # nothing was stored by the refused requests
    with pytest.raises(sdk_errors.NotFoundException):
        sdk.repositories_api.get_gc_rules(sdk_repo)
