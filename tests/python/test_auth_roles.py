"""Access control on every surface, per role, against one real server.

Users are created once per module, each through the classic auth API as the admin, with its own key:
  admin      the installation admin (group Admins)
  superuser  group SuperUsers
  developer  group Developers
  viewer     group Viewers
  nopolicy   no group, no policy
  denier     group Developers plus a policy of its own denying fs:WriteObject and fs:DeleteObject

Each operation of each surface says which capability it needs; each role has capabilities as lakeFS's
default policies give them. Every (operation, role) pair is one test: allowed means the call succeeds,
denied means 401 on the classic API (bravado), 403 on the current API (lakefs-sdk), AccessDenied on
the S3 gateway (boto3).
"""
from __future__ import annotations

import io
import uuid

import lakefs_sdk
import pytest
import requests
from botocore.exceptions import ClientError
from bravado.client import SwaggerClient
from bravado.exception import HTTPError
from bravado.requests_client import RequestsClient
from lakefs_sdk import exceptions as sdk_errors
from lakefs_sdk.client import LakeFSClient

from s3_util import s3_client

SUFFIX = uuid.uuid4().hex[:8]

# capabilities: R read/list repositories, branches, objects; W write/delete objects; B create branches,
# tags, commits; A create/delete repositories; U manage users, groups, policies; C own credentials
ROLES = {
    "admin": set("RWBAUC"),
    "superuser": set("RWBAC"),
    "developer": set("RWBC"),
    "viewer": set("RC"),
    "nopolicy": set(),
    "denier": set("RBC"),
}
GROUP_OF = {"superuser": "SuperUsers", "developer": "Developers", "viewer": "Viewers", "denier": "Developers"}


class Ctx:
    """What the module set up: the repository, the users and their keys."""

    def __init__(self, server):
        self.server = server
        self.repo = f"roles-{SUFFIX}"
        self.keys: dict[str, tuple[str, str]] = {}
        self.users: dict[str, str] = {}
        self.counter = 0

    def unique(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{SUFFIX}-{self.counter}"


@pytest.fixture(scope="module")
def ctx(tarn_server) -> Ctx:
    c = Ctx(tarn_server)
    admin = tarn_server.session()
    c.keys["admin"] = (tarn_server.access_key_id, tarn_server.secret_access_key)
    c.users["admin"] = tarn_server.user_name
    deny = f"DenyObjectWrites-{SUFFIX}"
    r = admin.post("/api/v0/auth/policies", json={"id": deny, "statement": [
        {"effect": "deny", "action": ["fs:WriteObject", "fs:DeleteObject"], "resource": "*"}]})
    assert r.status_code == 201, r.text
    for role in ROLES:
        if role == "admin":
            continue
        user = f"{role}-{SUFFIX}"
        assert admin.post("/api/v0/auth/users", json={"id": user}).status_code == 201
        if role in GROUP_OF:
            r = admin.put(f"/api/v0/auth/groups/{GROUP_OF[role]}/members/{user}")
            assert r.status_code == 201, r.text
        if role == "denier":
            assert admin.put(f"/api/v0/auth/users/{user}/policies/{deny}").status_code == 201
        r = admin.post(f"/api/v0/auth/users/{user}/credentials")
        assert r.status_code == 201, r.text
        key = r.json()
        c.keys[role] = (key["access_key_id"], key["access_secret_key"])
        c.users[role] = user
    r = admin.post("/api/v0/repositories", json={"id": c.repo, "storage_namespace": tarn_server.namespace(c.repo),
                                                 "default_branch": "main"})
    assert r.status_code == 201, r.text
    r = admin.post(f"/api/v0/repositories/{c.repo}/branches/main/objects", params={"path": "data/a.txt"},
                   files={"content": ("a.txt", b"hello")})
    assert r.status_code == 201, r.text
    r = admin.post(f"/api/v0/repositories/{c.repo}/branches/main/commits", json={"message": "seed"})
    assert r.status_code == 201, r.text
    assert admin.post(f"/api/v0/repositories/{c.repo}/tags", json={"id": "v1", "ref": "main"}).status_code == 201
    return c


def other(c: Ctx, user: str) -> str:
    """A user that is not {user}."""
    return c.users["viewer"] if user != c.users["viewer"] else c.users["developer"]


def admin_session(c: Ctx):
    return c.server.session()


# ---------------------------------------------------------------------------------------------
# the classic API through bravado: denials are 401

_bravado: dict = {}


def bravado(c: Ctx, role: str):
    if role not in _bravado:
        _bravado[role] = bravado_for(c, *c.keys[role])
    return _bravado[role]


def bravado_for(c: Ctx, access_key_id: str, secret_access_key: str):
    http_client = RequestsClient()
    http_client.set_basic_auth(c.server.auth_host, access_key_id, secret_access_key)
    return SwaggerClient.from_url(f"{c.server.url}/swagger.json", http_client=http_client,
                                  config={"validate_swagger_spec": False})


def classic_new_repo(c, b):
    name = c.unique("cr")
    b.repositories.createRepository(repository={"id": name, "storage_namespace": c.server.namespace(name)}).result()


def classic_delete_repo(c, b):
    name = c.unique("dr")
    r = admin_session(c).post("/api/v0/repositories", json={"id": name, "storage_namespace": c.server.namespace(name)})
    assert r.status_code == 201
    b.repositories.deleteRepository(repository=name).result()


def classic_upload(c, b):
    b.objects.uploadObject(repository=c.repo, branch="main", path=f"up/{c.unique('o')}",
                           content=io.BytesIO(b"x")).result()


def classic_delete_object(c, b):
    path = f"del/{c.unique('o')}"
    r = admin_session(c).post(f"/api/v0/repositories/{c.repo}/branches/main/objects", params={"path": path},
                              files={"content": ("x", b"x")})
    assert r.status_code == 201
    b.objects.deleteObject(repository=c.repo, branch="main", path=path).result()


def classic_commit(c, b):
    branch = c.unique("cb")
    admin = admin_session(c)
    assert admin.post(f"/api/v0/repositories/{c.repo}/branches", json={"name": branch, "source": "main"}).status_code == 201
    assert admin.post(f"/api/v0/repositories/{c.repo}/branches/{branch}/objects", params={"path": "c.txt"},
                      files={"content": ("c", b"c")}).status_code == 201
    b.commits.commit(repository=c.repo, branch=branch, commit={"message": "by role"}).result()


CLASSIC_OPS = {
    "getCurrentUser": ("", lambda c, b: b.auth.getCurrentUser().result()),
    "listRepositories": ("R", lambda c, b: b.repositories.listRepositories().result()),
    "getRepository": ("R", lambda c, b: b.repositories.getRepository(repository=c.repo).result()),
    "listBranches": ("R", lambda c, b: b.branches.listBranches(repository=c.repo).result()),
    "getBranch": ("R", lambda c, b: b.branches.getBranch(repository=c.repo, branch="main").result()),
    "getBranchCommitLog": ("R", lambda c, b: b.commits.getBranchCommitLog(repository=c.repo, branch="main").result()),
    "getCommit": ("R", lambda c, b: b.commits.getCommit(repository=c.repo, commitId="main").result()),
    "listObjects": ("R", lambda c, b: b.objects.listObjects(repository=c.repo, ref="main").result()),
    "statObject": ("R", lambda c, b: b.objects.statObject(repository=c.repo, ref="main", path="data/a.txt").result()),
    "getObject": ("R", lambda c, b: b.objects.getObject(repository=c.repo, ref="main", path="data/a.txt").result()),
    "diffRefs": ("R", lambda c, b: b.refs.diffRefs(repository=c.repo, leftRef="main", rightRef="v1").result()),
    "listTags": ("R", lambda c, b: b.tags.listTags(repository=c.repo).result()),
    "getTag": ("R", lambda c, b: b.tags.getTag(repository=c.repo, tag="v1").result()),
    "uploadObject": ("W", classic_upload),
    "deleteObject": ("W", classic_delete_object),
    "createBranch": ("B", lambda c, b: b.branches.createBranch(
        repository=c.repo, branch={"name": c.unique("b"), "source": "main"}).result()),
    "createTag": ("B", lambda c, b: b.tags.createTag(repository=c.repo, tag={"id": c.unique("t"), "ref": "main"}).result()),
    "commit": ("B", classic_commit),
    "createRepository": ("A", classic_new_repo),
    "deleteRepository": ("A", classic_delete_repo),
    "listUsers": ("U", lambda c, b: b.auth.listUsers().result()),
    "listGroups": ("U", lambda c, b: b.auth.listGroups().result()),
    "listPolicies": ("U", lambda c, b: b.auth.listPolicies().result()),
    "createUser": ("U", lambda c, b: b.auth.createUser(user={"id": c.unique("u")}).result()),
    "listUserPolicies(effective)": ("U", lambda c, b: b.auth.listUserPolicies(
        userId=c.users["viewer"], effective=True).result()),
    "listUserCredentials(own)": ("C", lambda c, b: b.auth.listUserCredentials(userId=b._role_user).result()),
    "createCredentials(own)": ("C", lambda c, b: b.auth.createCredentials(userId=b._role_user).result()),
    "createCredentials(other)": ("U", lambda c, b: b.auth.createCredentials(userId=other(c, b._role_user)).result()),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("op", list(CLASSIC_OPS))
def test_classic(ctx, op, role):
    need, call = CLASSIC_OPS[op]
    client = bravado(ctx, role)
    client._role_user = ctx.users[role]
    allowed = not need or need in ROLES[role]
    if allowed:
        call(ctx, client)
    else:
        with pytest.raises(HTTPError) as denied:
            call(ctx, client)
        assert denied.value.status_code == 401, denied.value
        assert "not allowed" in denied.value.swagger_result.message


# ---------------------------------------------------------------------------------------------
# the current API through lakefs-sdk: denials are 403

def sdk(c: Ctx, role: str) -> LakeFSClient:
    key, secret = c.keys[role]
    return LakeFSClient(lakefs_sdk.Configuration(host=f"{c.server.url}/api/v1", username=key, password=secret))


def current_new_repo(c, s, user):
    name = c.unique("cr")
    s.repositories_api.create_repository(lakefs_sdk.RepositoryCreation(
        name=name, storage_namespace=c.server.namespace(name)))


def current_delete_object(c, s, user):
    path = f"del/{c.unique('o')}"
    sdk(c, "admin").objects_api.upload_object(c.repo, "main", path, content=b"x")
    s.objects_api.delete_object(c.repo, "main", path)


CURRENT_OPS = {
    "getCurrentUser": ("", lambda c, s, u: s.auth_api.get_current_user()),
    "getConfig": ("", lambda c, s, u: s.config_api.get_config()),
    "listRepositories": ("R", lambda c, s, u: s.repositories_api.list_repositories()),
    "getRepository": ("R", lambda c, s, u: s.repositories_api.get_repository(c.repo)),
    "listBranches": ("R", lambda c, s, u: s.branches_api.list_branches(c.repo)),
    "logCommits": ("R", lambda c, s, u: s.refs_api.log_commits(c.repo, "main")),
    "listObjects": ("R", lambda c, s, u: s.objects_api.list_objects(c.repo, "main")),
    "statObject": ("R", lambda c, s, u: s.objects_api.stat_object(c.repo, "main", "data/a.txt")),
    "getObject": ("R", lambda c, s, u: s.objects_api.get_object(c.repo, "main", "data/a.txt")),
    "uploadObject": ("W", lambda c, s, u: s.objects_api.upload_object(c.repo, "main", f"up/{c.unique('o')}",
                                                                       content=b"x")),
    "deleteObject": ("W", current_delete_object),
    "deleteObjects": ("W", lambda c, s, u: s.objects_api.delete_objects(c.repo, "main", lakefs_sdk.PathList(
        paths=[f"gone/{c.unique('o')}"]))),
    "createBranch": ("B", lambda c, s, u: s.branches_api.create_branch(c.repo, lakefs_sdk.BranchCreation(
        name=c.unique("b"), source="main"))),
    "createTag": ("B", lambda c, s, u: s.tags_api.create_tag(c.repo, lakefs_sdk.TagCreation(id=c.unique("t"), ref="main"))),
    "createRepository": ("A", current_new_repo),
    "listUsers": ("U", lambda c, s, u: s.auth_api.list_users()),
    "listGroups": ("U", lambda c, s, u: s.auth_api.list_groups()),
    "getGroup": ("U", lambda c, s, u: s.auth_api.get_group("Viewers")),
    "listGroupMembers": ("U", lambda c, s, u: s.auth_api.list_group_members("Viewers")),
    "listPolicies": ("U", lambda c, s, u: s.auth_api.list_policies()),
    "getPolicy": ("U", lambda c, s, u: s.auth_api.get_policy("FSReadAll")),
    "createGroup": ("U", lambda c, s, u: s.auth_api.create_group(lakefs_sdk.GroupCreation(id=c.unique("g")))),
    "listUserCredentials(own)": ("C", lambda c, s, u: s.auth_api.list_user_credentials(u)),
    "createCredentials(own)": ("C", lambda c, s, u: s.auth_api.create_credentials(u)),
    "listUserGroups(other)": ("U", lambda c, s, u: s.auth_api.list_user_groups(other(c, u))),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("op", list(CURRENT_OPS))
def test_current(ctx, op, role):
    need, call = CURRENT_OPS[op]
    client = sdk(ctx, role)
    allowed = not need or need in ROLES[role]
    if allowed:
        call(ctx, client, ctx.users[role])
    else:
        with pytest.raises(sdk_errors.ForbiddenException) as denied:
            call(ctx, client, ctx.users[role])
        assert "not allowed" in denied.value.body


# ---------------------------------------------------------------------------------------------
# the S3 gateway through boto3: denials are AccessDenied

class Signer:
    def __init__(self, server, key, secret):
        self.url = server.url
        self.access_key_id = key
        self.secret_access_key = secret


def s3(c: Ctx, role: str):
    return s3_client(Signer(c.server, *c.keys[role]))


def s3_delete(c, s):
    key = f"main/s3del/{c.unique('o')}"
    s3(c, "admin").put_object(Bucket=c.repo, Key=key, Body=b"x")
    s.delete_object(Bucket=c.repo, Key=key)


def s3_delete_many(c, s):
    key = f"main/s3del/{c.unique('o')}"
    s3(c, "admin").put_object(Bucket=c.repo, Key=key, Body=b"x")
    out = s.delete_objects(Bucket=c.repo, Delete={"Objects": [{"Key": key}]})
    errors = out.get("Errors", [])
    if errors:
        # DeleteObjects answers 200 and names each key it refused, as S3 does
        raise ClientError({"Error": {"Code": errors[0]["Code"], "Message": errors[0]["Message"]},
                           "ResponseMetadata": {"HTTPStatusCode": 403}}, "DeleteObjects")


S3_OPS = {
    "ListBuckets": ("R", lambda c, s: s.list_buckets()),
    "HeadBucket": ("R", lambda c, s: s.head_bucket(Bucket=c.repo)),
    "ListObjectsV2": ("R", lambda c, s: s.list_objects_v2(Bucket=c.repo, Prefix="main/")),
    "ListObjects": ("R", lambda c, s: s.list_objects(Bucket=c.repo, Prefix="main/")),
    "GetObject": ("R", lambda c, s: s.get_object(Bucket=c.repo, Key="main/data/a.txt")["Body"].read()),
    "HeadObject": ("R", lambda c, s: s.head_object(Bucket=c.repo, Key="main/data/a.txt")),
    "PutObject": ("W", lambda c, s: s.put_object(Bucket=c.repo, Key=f"main/s3/{c.unique('o')}", Body=b"x")),
    "CopyObject": ("W", lambda c, s: s.copy_object(Bucket=c.repo, Key=f"main/s3/{c.unique('o')}",
                                                   CopySource={"Bucket": c.repo, "Key": "main/data/a.txt"})),
    "CreateMultipartUpload": ("W", lambda c, s: s.create_multipart_upload(Bucket=c.repo, Key=f"main/mp/{c.unique('o')}")),
    "DeleteObject": ("W", s3_delete),
    "DeleteObjects": ("W", s3_delete_many),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("op", list(S3_OPS))
def test_s3(ctx, op, role):
    need, call = S3_OPS[op]
    client = s3(ctx, role)
    allowed = need in ROLES[role]
    if allowed:
        call(ctx, client)
    else:
        with pytest.raises(ClientError) as denied:
            call(ctx, client)
        err = denied.value.response
        assert err["ResponseMetadata"]["HTTPStatusCode"] == 403, err
        if op not in ("HeadBucket", "HeadObject"):  # HEAD answers carry no body, so no code
            assert err["Error"]["Code"] == "AccessDenied", err


# ---------------------------------------------------------------------------------------------
# what the roles do not show: keys, effective policies, bad input

def test_a_deleted_key_stops_working_at_once(ctx):
    admin = admin_session(ctx)
    user = ctx.users["viewer"]
    key = admin.post(f"/api/v0/auth/users/{user}/credentials").json()
    viewer = requests.Session()
    viewer.auth = (key["access_key_id"], key["access_secret_key"])
    assert viewer.get(f"{ctx.server.url}/api/v0/repositories/{ctx.repo}").status_code == 200
    assert viewer.get(f"{ctx.server.url}/api/v0/repositories/{ctx.repo}").status_code == 200  # now cached
    r = admin.get(f"/api/v0/auth/users/{user}/credentials/{key['access_key_id']}")
    assert r.status_code == 200 and r.json()["access_key_id"] == key["access_key_id"]
    assert "access_secret_key" not in r.json()
    assert admin.delete(f"/api/v0/auth/users/{user}/credentials/{key['access_key_id']}").status_code == 204
    r = viewer.get(f"{ctx.server.url}/api/v0/repositories/{ctx.repo}")
    assert r.status_code == 401
    assert admin.get(f"/api/v0/auth/users/{user}/credentials/{key['access_key_id']}").status_code == 404


def test_keys_have_lakefs_format_and_current_shape(ctx):
    s = sdk(ctx, "viewer")
    created = s.auth_api.create_credentials(ctx.users["viewer"])
    assert len(created.access_key_id) == 20 and created.access_key_id.startswith("AKIAJ")
    assert len(created.secret_access_key) == 40
    listed = s.auth_api.list_user_credentials(ctx.users["viewer"], amount=1000)
    assert created.access_key_id in [k.access_key_id for k in listed.results]
    s.auth_api.delete_credentials(ctx.users["viewer"], created.access_key_id)


def test_effective_policies_come_through_groups(ctx):
    b = bravado(ctx, "admin")
    own = b.auth.listUserPolicies(userId=ctx.users["denier"]).result()
    assert [p.id for p in own["results"]] == [f"DenyObjectWrites-{SUFFIX}"]
    effective = b.auth.listUserPolicies(userId=ctx.users["denier"], effective=True).result()
    assert {p.id for p in effective["results"]} == {f"DenyObjectWrites-{SUFFIX}", "FSReadWriteAll",
                                                 "AuthManageOwnCredentials", "RepoManagementReadAll"}
    groups = b.auth.listUserGroups(userId=ctx.users["denier"]).result()
    assert [g.id for g in groups["results"]] == ["Developers"]
    members = sdk(ctx, "admin").auth_api.list_group_members("Developers", prefix="d", amount=1000)
    assert {u.id for u in members.results} >= {ctx.users["developer"], ctx.users["denier"]}


def test_a_policy_change_applies_to_the_next_request(ctx):
    admin = admin_session(ctx)
    user = ctx.users["nopolicy"]
    viewer = requests.Session()
    viewer.auth = ctx.keys["nopolicy"]
    url = f"{ctx.server.url}/api/v0/repositories/{ctx.repo}"
    assert viewer.get(url).status_code == 401
    assert admin.put(f"/api/v0/auth/users/{user}/policies/FSReadAll").status_code == 201
    assert viewer.get(url).status_code == 200
    assert admin.delete(f"/api/v0/auth/users/{user}/policies/FSReadAll").status_code == 204
    assert viewer.get(url).status_code == 401


def test_a_deleted_key_stops_working_at_once_on_the_gateway(ctx):
    admin = admin_session(ctx)
    user = ctx.users["viewer"]
    key = admin.post(f"/api/v0/auth/users/{user}/credentials").json()
    client = s3_client(Signer(ctx.server, key["access_key_id"], key["access_secret_key"]))
    for _ in range(2):  # the second is answered from what the server remembers of the key
        assert client.get_object(Bucket=ctx.repo, Key="main/data/a.txt")["Body"].read() == b"hello"
    assert admin.delete(f"/api/v0/auth/users/{user}/credentials/{key['access_key_id']}").status_code == 204
    with pytest.raises(ClientError) as refused:
        client.get_object(Bucket=ctx.repo, Key="main/data/a.txt")
    assert refused.value.response["Error"]["Code"] == "InvalidAccessKeyId", refused.value.response


def test_a_change_of_a_group_policy_applies_to_the_next_request_on_every_surface(ctx):
    """The compiled policies of a user are forgotten by a change of a policy it has through a group."""
    admin = admin_session(ctx)
    user, group, policy = ctx.unique("grouped"), ctx.unique("Readers"), ctx.unique("ReadThisRepo")
    repo_arn = f"arn:lakefs:fs:::repository/{ctx.repo}"

    def statements(effect, resource):
        return {"id": policy, "statement": [{"effect": effect, "action": ["fs:Read*", "fs:List*"], "resource": resource}]}

    assert admin.post("/api/v0/auth/users", json={"id": user}).status_code == 201
    assert admin.post("/api/v0/auth/groups", json={"id": group}).status_code == 201
    assert admin.post("/api/v0/auth/policies", json=statements("allow", repo_arn + "*")).status_code == 201
    assert admin.put(f"/api/v0/auth/groups/{group}/policies/{policy}").status_code == 201
    assert admin.put(f"/api/v0/auth/groups/{group}/members/{user}").status_code == 201
    key = admin.post(f"/api/v0/auth/users/{user}/credentials").json()
    ak, sk = key["access_key_id"], key["access_secret_key"]
    classic = bravado_for(ctx, ak, sk)
    current = LakeFSClient(lakefs_sdk.Configuration(host=f"{ctx.server.url}/api/v1", username=ak, password=sk))
    gateway = s3_client(Signer(ctx.server, ak, sk))

    def reads():
        """What each surface answers to a read of the repository: True (allowed) or the denial's status."""
        out = []
        try:
            classic.repositories.getRepository(repository=ctx.repo).result()
            out.append(True)
        except HTTPError as e:
            out.append(e.status_code)
        try:
            current.repositories_api.get_repository(ctx.repo)
            out.append(True)
        except sdk_errors.ApiException as e:
            out.append(e.status)
        try:
            gateway.get_object(Bucket=ctx.repo, Key="main/data/a.txt")["Body"].read()
            out.append(True)
        except ClientError as e:
            out.append(e.response["Error"]["Code"])
        return out

    allowed, denied = [True, True, True], [401, 403, "AccessDenied"]
    assert reads() == allowed
    assert reads() == allowed  # remembered
    assert admin.put(f"/api/v0/auth/policies/{policy}", json=statements("deny", repo_arn + "*")).status_code == 200
    assert reads() == denied
    assert admin.put(f"/api/v0/auth/policies/{policy}", json=statements("allow", repo_arn + "*")).status_code == 200
    assert reads() == allowed
    assert admin.delete(f"/api/v0/auth/groups/{group}/policies/{policy}").status_code == 204
    assert reads() == denied
    assert admin.put(f"/api/v0/auth/groups/{group}/policies/{policy}").status_code == 201
    assert reads() == allowed
    assert admin.delete(f"/api/v0/auth/groups/{group}/members/{user}").status_code == 204
    assert reads() == denied


@pytest.mark.parametrize("api", ["v0", "v1"])
def test_bad_input(ctx, api):
    admin = admin_session(ctx)
    base = f"/api/{api}/auth"
    for path in (f"{base}/users/ghost-{SUFFIX}", f"{base}/groups/ghost-{SUFFIX}", f"{base}/policies/ghost-{SUFFIX}"):
        r = admin.get(path)
        assert r.status_code == 404, (path, r.text)
        assert "not found" in r.json()["message"]
    assert admin.post(f"{base}/users", json={"id": ctx.users["viewer"]}).status_code == 409
    assert admin.post(f"{base}/groups", json={"id": "Viewers"}).status_code == 409
    assert admin.post(f"{base}/policies", json={"id": "FSReadAll", "statement": [
        {"effect": "allow", "action": ["fs:ReadObject"], "resource": "*"}]}).status_code == 409
    r = admin.post(f"{base}/policies", json={"id": f"bad-{SUFFIX}", "statement": [
        {"effect": "allow", "action": ["fs:ReadObjekt"], "resource": "*"}]})
    assert r.status_code == 400 and "fs:ReadObjekt" in r.json()["message"], r.text
    r = admin.post(f"{base}/policies", json={"id": f"bad-{SUFFIX}", "statement": [
        {"effect": "perhaps", "action": ["fs:ReadObject"], "resource": "*"}]})
    assert r.status_code == 400 and "perhaps" in r.json()["message"], r.text
    r = admin.post(f"{base}/policies", json={"id": f"bad-{SUFFIX}", "statement": []})
    assert r.status_code == 400 and "statement" in r.json()["message"], r.text
    r = admin.post(f"{base}/policies", data=b'{"id": "x", "statement": [', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["message"], r.text
    assert admin.put(f"{base}/groups/Viewers/members/ghost-{SUFFIX}").status_code == 404
    assert admin.put(f"{base}/users/{ctx.users['viewer']}/policies/ghost-{SUFFIX}").status_code == 404
    assert admin.delete(f"{base}/groups/Admins/members/{ctx.users['viewer']}").status_code == 404


def test_the_last_admin_is_kept(tarn_factory):
    server = tarn_factory.start("lastadmin")
    try:
        admin = server.session()
        me = server.user_name
        for method, path in (("DELETE", f"/api/v0/auth/users/{me}"), ("DELETE", f"/api/v0/auth/groups/Admins/members/{me}"),
                             ("DELETE", "/api/v1/auth/groups/Admins"), ("DELETE", "/api/v1/auth/policies/AuthFullAccess"),
                             ("DELETE", "/api/v1/auth/groups/Admins/policies/AuthFullAccess")):
            r = admin.request(method, path)
            assert r.status_code == 400, (path, r.text)
            assert "no admin" in r.json()["message"]
        assert admin.get("/api/v0/user").json()["user"]["id"] == me
        # with a second admin, the first can go
        assert admin.post("/api/v1/auth/users", json={"id": "second"}).status_code == 201
        assert admin.put("/api/v1/auth/groups/Admins/members/second").status_code == 201
        key = admin.post("/api/v1/auth/users/second/credentials").json()
        second = requests.Session()
        second.auth = (key["access_key_id"], key["secret_access_key"])
        assert second.delete(f"{server.url}/api/v1/auth/users/{me}").status_code == 204
        assert admin.get("/api/v0/user").status_code == 401
    finally:
        tarn_factory.stop(server)
