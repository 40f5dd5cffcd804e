"""Keeps Public/openapi.yaml honest against the running demo server.

The document served at /openapi.yaml must be valid OpenAPI, every operation it lists must be a
route the server knows (and every route in Sources/WanggeApp must be listed), the responses of
the read endpoints must match the schemas it gives, and errors must have the documented shape
and status. It uses the session's demo server from conftest.py (fixture `server`) and changes
no data: write operations are sent with an empty body, which every one of them refuses.

Needs: python3 -m pip install openapi-spec-validator pyyaml jsonschema
"""
import copy
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch")
DOC_URI = "urn:wangge:openapi"
# What the server answers for a path (or method) no route knows; any other 404 is a route's own.
UNKNOWN_ROUTE_MESSAGE = "没有这个地址"


# ---- HTTP ---------------------------------------------------------------------------------


class Reply:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    def json(self):
        return json.loads(self.raw.decode("utf-8"))

    def __repr__(self):
        return f"<{self.status} {self.content_type} {self.raw[:300]!r}>"


def call(base, method, path, token=None, body=None, headers=None):
    """One request; `body` is bytes sent as is (None sends no body at all)."""
    req = urllib.request.Request(base + path, data=body, method=method.upper())
    req.add_header("Accept", "application/json")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return Reply(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, e.headers, e.read())


def login(base, username="admin"):
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    reply = call(base, "POST", "/api/v1/auth/login", body=body)
    assert reply.status == 200, reply
    return reply


# ---- the document -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(server):
    reply = call(server, "GET", "/openapi.yaml")
    assert reply.status == 200, reply
    return yaml.safe_load(reply.raw.decode("utf-8"))


def strict(node):
    """A copy in which objects with listed properties allow no others, so that a field the
    server sends but the document does not mention fails the test (the served document stays
    open for additions)."""
    node = copy.deepcopy(node)

    def walk(n):
        if isinstance(n, dict):
            if isinstance(n.get("properties"), dict) and "additionalProperties" not in n:
                n["additionalProperties"] = False
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(node)
    return node


@pytest.fixture(scope="module")
def registry(doc):
    """The whole document as one JSON Schema resource, so `#/components/...` refs resolve."""
    return Registry().with_resource(DOC_URI, Resource.from_contents(strict(doc), default_specification=DRAFT202012))


def pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def check(registry, body, *where):
    """Validates `body` against the schema at `where` (a path into the document)."""
    validator = Draft202012Validator({"$ref": DOC_URI + "#" + pointer(*where)}, registry=registry)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:300]}" for e in errors[:10])


def response_schema(doc, path, method, status, media="application/json"):
    """Where the schema of one documented response lives, following a `$ref` to a shared response."""
    response = doc["paths"][path][method]["responses"][str(status)]
    where = ["paths", path, method, "responses", str(status)]
    if "$ref" in response:
        name = response["$ref"].split("/")[-1]
        response = doc["components"]["responses"][name]
        where = ["components", "responses", name]
    assert media in response.get("content", {}), f"{method.upper()} {path} {status} documents no {media}"
    return where + ["content", media, "schema"]


def operations(doc):
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def is_secured(doc, op):
    return bool(op.get("security", doc.get("security", [])))


def error_shape(registry, reply):
    assert reply.content_type == "application/json", reply
    body = reply.json()
    check(registry, body, "components", "schemas", "Error")
    return body["error"]


def test_document_is_valid_openapi(doc):
    validate_openapi(doc)
    assert doc["info"]["title"] and doc["info"]["description"]
    assert [s["url"] for s in doc["servers"]] == ["/"]
    tags = {t["name"] for t in doc["tags"]}
    assert {"auth", "grids", "staff", "departments", "accounts", "audit", "system"} <= tags
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert (schemes["cookieAuth"]["in"], schemes["cookieAuth"]["name"]) == ("cookie", "wangge_session")
    public = {f"{m.upper()} {p}" for p, m, op in operations(doc) if not is_secured(doc, op)}
    assert public == {"GET /healthz", "GET /api/v1/meta", "POST /api/v1/auth/login"}
    ids = set()
    for path, method, op in operations(doc):
        name = f"{method.upper()} {path}"
        assert op.get("summary") and op.get("tags"), name
        assert set(op["tags"]) <= tags, name
        assert op["operationId"] not in ids, name
        ids.add(op["operationId"])
        assert any(s.startswith("2") for s in op["responses"]), name
        if is_secured(doc, op):
            assert "401" in op["responses"], f"{name} is secured but documents no 401"


def test_examples_match_their_schemas(doc, registry):
    for path, method, op in operations(doc):
        for status, response in op["responses"].items():
            for media, content in response.get("content", {}).items():
                if "example" in content:
                    check(registry, content["example"], "paths", path, method, "responses", status, "content", media, "schema")
    for name, response in doc["components"]["responses"].items():
        for media, content in response.get("content", {}).items():
            if "example" in content:
                check(registry, content["example"], "components", "responses", name, "content", media, "schema")


def test_every_route_in_the_source_is_documented(doc):
    """Route registrations in Sources/WanggeApp (`x.get("grids/{code}", …)`) against the paths."""
    routes = set()
    # `group.get("grids", use: roots)` or `api.get("meta") { … }`, not `query.get("limit")`
    pattern = re.compile(r'\b(\w+)\.(get|post|put|patch|delete)\("([^"]*)"(?:,\s*use:|\)\s*\{)')
    for source in sorted((REPO / "Sources" / "WanggeApp").rglob("*.swift")):
        for receiver, method, route in pattern.findall(source.read_text(encoding="utf-8")):
            if source.name == "AuthController.swift":
                prefix = "/api/v1/auth/"
            elif receiver == "router":
                prefix = "/"
            else:
                prefix = "/api/v1/"
            path = prefix + route.strip("/")
            if path != "/":  # `/` only redirects to the web pages
                routes.add(f"{method.upper()} {path}")
    documented = {f"{m.upper()} {p}" for p, m, _ in operations(doc)}
    assert routes, "found no route registrations in Sources/WanggeApp"
    assert routes - documented == set(), "routes missing from Public/openapi.yaml"
    assert documented - routes == set(), "documented operations the source does not register"


# ---- the demo data the requests use --------------------------------------------------------


def inside(lon, lat, ring):
    """Even-odd point-in-polygon test on one ring of [lon, lat] positions."""
    result = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def point_in(geometry):
    """A point well inside the first polygon of a GeoJSON geometry (lat, lon)."""
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else geometry["coordinates"][0]
    outer = [tuple(p[:2]) for p in rings[0]]
    lons, lats = [p[0] for p in outer], [p[1] for p in outer]
    candidates = [(sum(lons) / len(lons), sum(lats) / len(lats))]
    for i in range(1, 10):
        for j in range(1, 10):
            candidates.append((min(lons) + (max(lons) - min(lons)) * i / 10, min(lats) + (max(lats) - min(lats)) * j / 10))
    for lon, lat in candidates:
        if inside(lon, lat, outer) and not any(inside(lon, lat, [tuple(p[:2]) for p in hole]) for hole in rings[1:]):
            return lat, lon
    pytest.fail(f"no interior point found in {geometry}")


@pytest.fixture(scope="module")
def token(admin_api):
    return admin_api.token


@pytest.fixture(scope="module")
def samples(server, token):
    """Codes and ids of the demo county that the requests below use."""
    def get(path):
        reply = call(server, "GET", path, token=token)
        assert reply.status == 200, f"GET {path}: {reply}"
        return reply.json()

    root = get("/api/v1/grids")["items"][0]["code"]
    unit = get("/api/v1/grids/staffing")["items"][0]["grid"]["code"]
    detail = get(f"/api/v1/grids/{unit}")
    unit_map = get(f"/api/v1/grids/{unit}/map")
    geometry = next(f["geometry"] for f in unit_map["features"] if f["properties"]["code"] == unit)
    lat, lon = point_in(geometry)
    township = get(f"/api/v1/grids/{root}/children")["items"][0]["code"]
    return {
        "root": root,
        "county": root[:6],
        "township": township,
        "unit": unit,
        "staff": detail["staff"][0]["id"],
        "department": get("/api/v1/departments")["items"][0]["id"],
        "account": get("/api/v1/auth/me")["account"]["id"],
        "lat": lat,
        "lon": lon,
        "unknown_grid": root[:6] + "999999001",
    }


# ---- responses against their schemas -------------------------------------------------------

# (request path with {sample} placeholders, documented path)
READS = [
    ("/api/v1/auth/me", "/api/v1/auth/me"),
    ("/api/v1/grids", "/api/v1/grids"),
    ("/api/v1/grids/{root}", "/api/v1/grids/{code}"),
    ("/api/v1/grids/{unit}", "/api/v1/grids/{code}"),
    ("/api/v1/grids/{root}/children", "/api/v1/grids/{code}/children"),
    ("/api/v1/grids/{root}/map", "/api/v1/grids/{code}/map"),
    ("/api/v1/grids/locate?lat={lat}&lon={lon}", "/api/v1/grids/locate"),
    ("/api/v1/grids/outside-norms", "/api/v1/grids/outside-norms"),
    ("/api/v1/grids/staffing", "/api/v1/grids/staffing"),
    ("/api/v1/grids/staffing?missing=leader&root={township}", "/api/v1/grids/staffing"),
    ("/api/v1/grids/export?root={township}", "/api/v1/grids/export"),
    ("/api/v1/grids/{unit}/staff", "/api/v1/grids/{code}/staff"),
    ("/api/v1/norms/{county}", "/api/v1/norms/{county}"),
    ("/api/v1/departments", "/api/v1/departments"),
    ("/api/v1/departments/{department}", "/api/v1/departments/{id}"),
    ("/api/v1/accounts", "/api/v1/accounts"),
    ("/api/v1/audit?limit=50", "/api/v1/audit"),
]


@pytest.mark.parametrize("request_path,documented", READS, ids=[r[0] for r in READS])
def test_read_matches_schema(server, doc, registry, token, samples, request_path, documented):
    reply = call(server, "GET", request_path.format(**samples), token=token)
    assert reply.status == 200, reply
    content = doc["paths"][documented]["get"]["responses"]["200"]["content"]
    assert reply.content_type in content, f"served {reply.content_type}, documented {list(content)}"
    check(registry, reply.json(), *response_schema(doc, documented, "get", 200, reply.content_type))


def test_public_endpoints_match_schema(server, doc, registry):
    for path in ("/healthz", "/api/v1/meta"):
        reply = call(server, "GET", path)
        assert reply.status == 200, reply
        check(registry, reply.json(), *response_schema(doc, path, "get", 200))


def test_login_logout_and_cookie(server, doc, registry):
    reply = login(server)
    check(registry, reply.json(), *response_schema(doc, "/api/v1/auth/login", "post", 200))
    cookie = reply.headers.get("Set-Cookie", "")
    assert cookie.startswith("wangge_session="), cookie
    session = cookie.split(";")[0]
    # The cookie authenticates reads; a change without X-Requested-With is refused as CSRF.
    assert call(server, "GET", "/api/v1/auth/me", headers={"Cookie": session}).status == 200
    refused = call(server, "POST", "/api/v1/auth/logout", headers={"Cookie": session})
    assert refused.status == 403 and error_shape(registry, refused)["code"] == "csrf", refused
    done = call(server, "POST", "/api/v1/auth/logout", headers={"Cookie": session, "X-Requested-With": "fetch"})
    assert done.status == 204, done
    assert call(server, "GET", "/api/v1/auth/me", token=reply.json()["token"]).status == 401


def test_error_bodies(server, doc, registry, token, samples):
    cases = [
        # (request, documented path, expected status, expected code, expected field)
        (("GET", "/api/v1/auth/me", None), "/api/v1/auth/me", 401, "unauthorized", None),
        (("GET", f"/api/v1/grids/{samples['unknown_grid']}", token), "/api/v1/grids/{code}", 404, "not_found", None),
        (("GET", "/api/v1/grids/not-a-code", token), "/api/v1/grids/{code}", 404, "not_found", None),
        (("GET", f"/api/v1/grids/locate?lon={samples['lon']}", token), "/api/v1/grids/locate", 400, "invalid_request", "lat"),
        (("GET", "/api/v1/grids/locate?lat=0&lon=0", token), "/api/v1/grids/locate", 404, "not_found", None),
        (("GET", "/api/v1/grids/staffing?missing=both", token), "/api/v1/grids/staffing", 400, "invalid_request", "missing"),
        (("GET", "/api/v1/audit?limit=0", token), "/api/v1/audit", 400, "invalid_request", "limit"),
        (("GET", "/api/v1/norms/999999", token), "/api/v1/norms/{county}", 404, "not_found", None),
    ]
    for (method, path, auth), documented, status, code, field in cases:
        reply = call(server, method, path, token=auth)
        assert reply.status == status, f"{method} {path}: {reply}"
        check(registry, reply.json(), *response_schema(doc, documented, method.lower(), status))
        error = reply.json()["error"]
        assert (error["code"], error.get("field")) == (code, field), f"{method} {path}: {error}"
        assert error["message"] != UNKNOWN_ROUTE_MESSAGE, f"{method} {path} reached no route"

    rejected = call(server, "POST", "/api/v1/grids/import", token=token, body=b"{}")
    assert rejected.status == 400, rejected
    check(registry, rejected.json(), *response_schema(doc, "/api/v1/grids/import", "post", 400))
    error = rejected.json()["error"]
    assert error["code"] == "invalid_features" and error["items"][0]["index"] == -1, error

    unknown = call(server, "GET", "/api/v1/no-such-thing", token=token)
    assert unknown.status == 404 and error_shape(registry, unknown)["message"] == UNKNOWN_ROUTE_MESSAGE


# ---- every documented operation is a route -----------------------------------------------


def concrete(path, method, samples):
    """The documented path with sample values; writes address things that make no change."""
    values = {"code": samples["unit"], "county": samples["county"]}
    if path.startswith("/api/v1/accounts/"):
        values["id"] = samples["account"]
    elif path.startswith("/api/v1/staff/"):
        values["id"] = 999999999 if method == "delete" else samples["staff"]
    elif path.startswith("/api/v1/departments/"):
        values["id"] = samples["department"]
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    if path == "/api/v1/grids/locate":
        url += f"?lat={samples['lat']}&lon={samples['lon']}"
    return url


def test_security_is_as_documented(server, doc, registry, samples):
    """Without credentials, secured operations answer 401 and public ones do not."""
    for path, method, op in operations(doc):
        body = None if method == "get" else b""
        reply = call(server, method, concrete(path, method, samples), body=body)
        name = f"{method.upper()} {path}"
        if is_secured(doc, op):
            assert reply.status == 401, f"{name} without credentials: {reply}"
            assert error_shape(registry, reply)["code"] == "unauthorized", name
        else:
            assert reply.status != 401, f"{name} is documented as public: {reply}"
            assert str(reply.status) in op["responses"], f"{name}: undocumented status {reply}"


def test_every_operation_is_routed(server, doc, registry, token, samples):
    """Reads answer 200; writes with an empty body answer a documented JSON error of their own
    (never the unknown-route 404) and change nothing. Logout ends a session made for it."""
    for path, method, op in operations(doc):
        name = f"{method.upper()} {path}"
        url = concrete(path, method, samples)
        if method == "get":
            reply = call(server, "get", url, token=None if not is_secured(doc, op) else token)
            assert reply.status == 200, f"{name}: {reply}"
            continue
        if path == "/api/v1/auth/logout":
            reply = call(server, method, url, token=login(server).json()["token"], body=b"")
            assert reply.status == 204, f"{name}: {reply}"
            continue
        reply = call(server, method, url, token=token, body=b"")
        assert reply.status in (400, 403, 404, 409), f"{name} with an empty body: {reply}"
        assert str(reply.status) in op["responses"], f"{name}: undocumented status {reply}"
        error = error_shape(registry, reply)
        assert error["message"] != UNKNOWN_ROUTE_MESSAGE, f"{name} is documented but not routed"
