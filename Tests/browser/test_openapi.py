"""Keeps Public/openapi.yaml honest against the running demo server.

The document served at /openapi.yaml must be valid OpenAPI, every operation it lists must be a
route the server knows (and every route in Sources/WanggeApp must be listed), the responses of
the read endpoints must match the schemas it gives, and errors must have the documented shape
and status (ours under /api/v1, the Open311 error list under /open311/v2). It uses the session's
demo server from conftest.py (fixture `server`). It adds one event, reported by the demo grid
worker `wanggeyuan`, and one photo of it, and one citizen's report through the public API (sent
twice with one `Idempotency-Key`) with one photo, so that every read has something to show, and
one register import by the demo administrator whose only row is refused (all or nothing, so it
writes nothing but the job and its error report); otherwise it changes no data: write operations
are sent with an empty body (which every one of them refuses), address ids and tracking numbers
that do not exist, or are refused before anything is written.

Needs: python3 -m pip install openapi-spec-validator pyyaml jsonschema
"""
import copy
import json
import re
import struct
import time
import uuid
import zlib
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
# The public GeoReport v2 API: no login, and errors in the Open311 list format rather than ours.
OPEN311 = "/open311/v2/"
# An id no table of the demo reaches, for writes that must change nothing.
MISSING_ID = 999999999
# A tracking number no report has: tracking numbers never contain 0.
MISSING_TRACKING = "000000000000"
# The citizens' API: no login, our error shape.
PUBLIC = "/api/v1/public/"
CITIZEN_OPERATIONS = {
    "GET /api/v1/public/catalog", "POST /api/v1/public/phone-codes", "POST /api/v1/public/reports",
    "GET /api/v1/public/reports/{tracking}", "POST /api/v1/public/reports/{tracking}/photos",
    "POST /api/v1/public/reports/{tracking}/rating", "GET /api/v1/public/nearby",
}
# The writes a phone may repeat: they take an optional Idempotency-Key.
IDEMPOTENT_OPERATIONS = {
    "POST /api/v1/events", "POST /api/v1/events/{id}/actions/{action}", "POST /api/v1/events/{id}/attachments",
    "POST /api/v1/public/reports", "POST /api/v1/public/reports/{tracking}/photos", "POST /api/v1/people",
}
# The status a repeat with the same Idempotency-Key answers, where it is not 201 (None: not marked as a repeat).
REPLAY_STATUS = {"POST /api/v1/events/{id}/actions/{action}": None, "POST /api/v1/people": "200"}


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


def open311_error(registry, reply, status):
    """An Open311 error answer in JSON: `[{code, description}]` with the HTTP status as its code."""
    assert reply.status == status and reply.content_type == "application/json", reply
    body = reply.json()
    check(registry, body, "components", "schemas", "Open311Errors")
    assert body[0]["code"] == status, body
    return body[0]


def swift_enum(relative, name):
    """The raw values of a Swift `enum name: String` in Sources/ (`case a`, `case b = "x"`, or a keyword in backticks)."""
    text = (REPO / "Sources" / relative).read_text(encoding="utf-8")
    start = re.search(r"\benum " + name + r"\b[^{]*\{", text)
    assert start, f"enum {name} not found in {relative}"
    depth, i = 1, start.end()
    while depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    body = re.sub(r"//.*", "", text[start.end():i - 1])
    while re.search(r"\{[^{}]*\}", body):  # drop the bodies of properties and functions
        body = re.sub(r"\{[^{}]*\}", "", body)
    values = []
    for line in re.findall(r"^\s*case\s+(.+)$", body, re.M):
        for part in line.split(","):
            m = re.match(r"\s*`?(\w+)`?(?:\s*=\s*\"([^\"]*)\")?", part)
            values.append(m.group(2) or m.group(1))
    return values


def test_document_is_valid_openapi(doc):
    validate_openapi(doc)
    assert doc["info"]["title"] and doc["info"]["description"]
    assert [s["url"] for s in doc["servers"]] == ["/"]
    tags = {t["name"] for t in doc["tags"]}
    assert {"auth", "grids", "staff", "departments", "accounts", "audit", "system",
            "events", "attachments", "catalog", "notifications", "Open311", "public", "registers"} <= tags
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert (schemes["cookieAuth"]["in"], schemes["cookieAuth"]["name"]) == ("cookie", "wangge_session")
    public = {f"{m.upper()} {p}" for p, m, op in operations(doc) if not is_secured(doc, op)}
    open311 = {f"{m.upper()} {p}" for p, m, op in operations(doc) if p.startswith(OPEN311)}
    assert open311 and public == {"GET /healthz", "GET /api/v1/meta", "POST /api/v1/auth/login"} | open311 | CITIZEN_OPERATIONS
    for path, method, op in operations(doc):
        name = f"{method.upper()} {path}"
        assert (op["tags"] == ["public"]) == path.startswith(PUBLIC), name
        keyed = any(p.get("$ref", "").endswith("/IdempotencyKey") for p in op.get("parameters", []))
        assert keyed == (name in IDEMPOTENT_OPERATIONS), f"{name}: Idempotency-Key documented {keyed}"
        if keyed:
            assert "409" in op["responses"], f"{name} takes an Idempotency-Key but documents no 409"
            replay = REPLAY_STATUS.get(name, "201")
            if replay:  # a repeated action answers the detail as it is now
                replayed = op["responses"].get(replay, {})
                assert "Idempotency-Replayed" in replayed.get("headers", {}), f"{name} documents no Idempotency-Replayed"
    for path, method, op in operations(doc):
        if path.startswith(OPEN311):
            assert op["tags"] == ["Open311"], f"{method.upper()} {path}"
            for status, response in op["responses"].items():
                if not status.startswith("2"):
                    assert response["$ref"].split("/")[-1].startswith("Open311"), f"{method.upper()} {path} {status}"
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


def test_enums_match_the_source(doc):
    """The enums of the document are the raw values of the Swift enums they describe."""
    schemas = doc["components"]["schemas"]
    pairs = [
        ("EventStatus", "WanggeCore/Events/EventStatus.swift", "EventStatus"),
        ("EventSource", "WanggeCore/Events/EventStatus.swift", "EventSource"),
        ("EventActionName", "WanggeCore/Events/EventAction.swift", "EventAction"),
        ("CardKind", "WanggeCore/Events/Supervision.swift", "CardKind"),
        ("CardColor", "WanggeCore/Events/Supervision.swift", "CardColor"),
        ("HandlingLevel", "WanggeCore/Events/Catalog.swift", "HandlingLevel"),
        ("Priority", "WanggeCore/Events/Catalog.swift", "Priority"),
        ("Role", "WanggeCore/Accounts/Role.swift", "Role"),
        ("Permission", "WanggeCore/Accounts/Role.swift", "Action"),
        ("NotificationStatus", "WanggeStorage/Notifications/NotificationRepository.swift", "NotificationStatus"),
        ("DepartmentKind", "WanggeCore/Departments/Department.swift", "DepartmentKind"),
        ("PersonKind", "WanggeCore/Registers/Person.swift", "PersonKind"),
        ("Sex", "WanggeCore/Registers/Person.swift", "Sex"),
        ("CertificateType", "WanggeCore/Registers/Person.swift", "CertificateType"),
        ("ResidenceRole", "WanggeCore/Registers/Residence.swift", "ResidenceRole"),
        ("OrganisationKind", "WanggeCore/Registers/Organisation.swift", "OrganisationKind"),
        ("ComponentState", "WanggeCore/Registers/Component.swift", "ComponentState"),
        ("PopulationGroup", "WanggeCore/Registers/Roles/PopulationRoleKind.swift", "PopulationGroup"),
        ("ImportStatus", "WanggeStorage/Registers/ImportJobRepository.swift", "Status"),
    ]
    for schema, source, name in pairs:
        assert schemas[schema]["enum"] == swift_enum(source, name), f"{schema} against {name} in {source}"


def test_every_route_in_the_source_is_documented(doc):
    """Route registrations in Sources/WanggeApp (`x.get("grids/{code}", …)`) against the paths."""
    routes = set()
    # The citizens' controller is mounted on `/api/v1/public` (the others on `/api/v1` or as below).
    build = (REPO / "Sources" / "WanggeApp" / "Application" / "Application+build.swift").read_text(encoding="utf-8")
    assert re.search(r'CitizenController\([^)]*\)\s*\.addRoutes\(to: api\.group\("public"\)\)', build), \
        "CitizenController is no longer mounted on api/v1/public: update the prefixes below"
    # `group.get("grids", use: roots)` or `api.get("meta") { … }`, not `query.get("limit")`
    pattern = re.compile(r'\b(\w+)\.(get|post|put|patch|delete)\("([^"]*)"(?:,\s*use:|\)\s*\{)')
    for source in sorted((REPO / "Sources" / "WanggeApp").rglob("*.swift")):
        for receiver, method, route in pattern.findall(source.read_text(encoding="utf-8")):
            if source.name == "AuthController.swift":
                prefix = "/api/v1/auth/"
            elif source.name == "CitizenController.swift":
                prefix = PUBLIC
            elif source.name == "Open311Controller.swift":
                prefix = OPEN311
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


def png():
    """A valid 1×1 PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00")) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def reported(server, api_for):
    """One event reported by the demo grid worker in their own grid, with a photo: the only data
    this module adds. Returns the worker's token and the answers of the two writes."""
    worker = api_for("wanggeyuan")
    grid = worker.account["scope"]["code"]
    geometry = next(f["geometry"] for f in worker.get(f"/api/v1/grids/{grid}/map")["features"]
                    if f["properties"]["code"] == grid)
    lat, lon = point_in(geometry)
    catalog = worker.get("/api/v1/catalog")
    # A citizen-reportable item of a category Open311 lists publicly, so that it shows there too.
    confidential = {c["code"] for c in catalog["categories"] if c["name"] in ("矛盾纠纷", "治安隐患", "特殊人群", "信访维稳")}
    item = next(i for i in catalog["items"] if i["citizenReportable"] and i["categoryCode"] not in confidential)
    body = {"itemCode": item["code"], "description": "接口文档测试：路面有一处破损。", "lat": lat, "lon": lon,
            "address": "测试地址", "reporterName": "测试", "reporterPhone": "13800000001"}
    created = call(server, "POST", "/api/v1/events", token=worker.token, body=json.dumps(body).encode())
    assert created.status == 201, created
    event = created.json()["event"]["id"]
    photo = png()
    uploaded = call(server, "POST", f"/api/v1/events/{event}/attachments?filename=%E7%8E%B0%E5%9C%BA.png",
                    token=worker.token, body=photo, headers={"Content-Type": "image/png"})
    assert uploaded.status == 201, uploaded
    return {"worker": worker.token, "created": created.json(), "uploaded": uploaded.json(), "photo": photo,
            "lat": lat, "lon": lon, "item": item}


@pytest.fixture(scope="module")
def citizen(server, reported):
    """One citizen's report through the public API, without a phone, at the point of the worker's
    event: sent, sent again with the same Idempotency-Key (its keys in another order), and sent
    with that key and another body; then one photo of it."""
    key = f"openapi-{uuid.uuid4()}"
    body = {"itemCode": reported["item"]["code"], "description": "接口文档测试：群众反映路面破损。",
            "lat": reported["lat"], "lon": reported["lon"], "address": "测试地址"}
    headers = {"Idempotency-Key": key}
    created = call(server, "POST", "/api/v1/public/reports", body=json.dumps(body).encode(), headers=headers)
    assert created.status == 201, created
    reordered = json.dumps(dict(reversed(list(body.items()))), ensure_ascii=False).encode()
    replayed = call(server, "POST", "/api/v1/public/reports", body=reordered, headers=headers)
    conflict = call(server, "POST", "/api/v1/public/reports", headers=headers,
                    body=json.dumps({**body, "description": "另一件事"}).encode())
    tracking = created.json()["trackingNumber"]
    photo = call(server, "POST", f"/api/v1/public/reports/{tracking}/photos", body=png(), headers={"Content-Type": "image/png"})
    assert photo.status == 201, photo
    return {"created": created, "replayed": replayed, "conflict": conflict, "tracking": tracking, "photo": photo.json()}


def id_number(first17):
    """A resident ID number with its GB 11643 check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


@pytest.fixture(scope="module")
def imported(server, token):
    """One register import by the administrator: a people sheet whose only row has an invalid ID
    number, all or nothing, so nothing is written but the job and its error report. Returns the
    202 answer and the job once it has finished."""
    csv = "姓名*,证件号码*,网格编码*,人员类别*\n接口文档测试,123,520399001001001,户籍人口\n".encode()
    started = call(server, "POST", "/api/v1/registers/imports?sheet=people&mode=all&filename=%E6%B5%8B%E8%AF%95.csv",
                   token=token, body=csv, headers={"Content-Type": "text/csv"})
    assert started.status == 202, started
    job = started.json()
    deadline = time.monotonic() + 30
    while True:
        reply = call(server, "GET", f"/api/v1/registers/imports/{job['id']}", token=token)
        assert reply.status == 200, reply
        if reply.json()["status"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    return {"started": started, "job": reply.json()}


@pytest.fixture(scope="module")
def samples(server, token, reported, citizen, imported):
    """Codes and ids of the demo county that the requests below use."""
    def get(path):
        reply = call(server, "GET", path, token=token)
        assert reply.status == 200, f"GET {path}: {reply}"
        return reply.json()

    event = reported["created"]["event"]
    # A demo event that went the whole way (a long timeline), and one past its deadline (cards), if any.
    evaluated = get("/api/v1/events?status=evaluated&pageSize=1")["items"]
    overdue = get("/api/v1/events?overdue=1&pageSize=1")["items"]
    # A service that asks questions, so that a service definition with attributes is checked.
    asking = [x["service_code"] for x in get("/open311/v2/services.json") if x["metadata"]]
    today = time.localtime()
    earlier = (today.tm_year * 12 + today.tm_mon - 1) - 2
    root = get("/api/v1/grids")["items"][0]["code"]
    unit = get("/api/v1/grids/staffing")["items"][0]["grid"]["code"]
    detail = get(f"/api/v1/grids/{unit}")
    unit_map = get(f"/api/v1/grids/{unit}/map")
    geometry = next(f["geometry"] for f in unit_map["features"] if f["properties"]["code"] == unit)
    lat, lon = point_in(geometry)
    township = get(f"/api/v1/grids/{root}/children")["items"][0]["code"]
    # Register records: a person with a role (and most likely a home), a house with residents, its building.
    role = get("/api/v1/population-roles?limit=1")["items"][0]
    card = get(f"/api/v1/people/{role['personID']}")
    homes = [r["house"] for r in card["residences"] if "house" in r]
    house = homes[0] if homes else get("/api/v1/houses?limit=1")["items"][0]
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
        "event": event["id"],
        "item": event["itemCode"],
        "tracking": event["trackingNumber"],
        "public_tracking": citizen["tracking"],
        "public_tracking_lower": citizen["tracking"].lower(),
        "public_lat": reported["lat"],
        "public_lon": reported["lon"],
        "service": (asking or [event["itemCode"]])[0],
        "attachment": reported["uploaded"]["id"],
        "evaluated": (evaluated or [event])[0]["id"],
        "overdue": (overdue or [event])[0]["id"],
        "year": today.tm_year,
        "month_from": f"{earlier // 12:04d}-{earlier % 12 + 1:02d}",
        "month_to": f"{today.tm_year:04d}-{today.tm_mon:02d}",
        "person": role["personID"],
        "person_name": urllib.parse.quote(card["person"]["name"][:1]),
        "role_kind": role["kind"],
        "house": house["id"],
        "house_code": house["code"],
        "house_code_lower": house["code"].lower(),
        "building": house["buildingID"],
        "import": imported["job"]["id"],
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
    ("/api/v1/events", "/api/v1/events"),
    ("/api/v1/events?pageSize=200&page=2", "/api/v1/events"),
    ("/api/v1/events?status=closed,evaluated,rejected,merged&root={township}&pageSize=200", "/api/v1/events"),
    ("/api/v1/events?holder=mine&overdue=true&source=grid_app", "/api/v1/events"),
    ("/api/v1/events/stats", "/api/v1/events/stats"),
    ("/api/v1/events/stats?root={township}&from={month_from}&to={month_to}", "/api/v1/events/stats"),
    ("/api/v1/events/{event}", "/api/v1/events/{id}"),
    ("/api/v1/events/{evaluated}", "/api/v1/events/{id}"),
    ("/api/v1/events/{overdue}", "/api/v1/events/{id}"),
    ("/api/v1/events/{event}/attachments", "/api/v1/events/{id}/attachments"),
    ("/api/v1/catalog", "/api/v1/catalog"),
    ("/api/v1/calendar/{year}", "/api/v1/calendar/{year}"),
    ("/api/v1/notifications", "/api/v1/notifications"),
    ("/api/v1/notifications?status=failed&page=1&pageSize=10", "/api/v1/notifications"),
    ("/api/v1/departments/{department}/endpoints", "/api/v1/departments/{id}/endpoints"),
    ("/api/v1/open311/keys", "/api/v1/open311/keys"),
    # The registers: ID and phone numbers must come masked (the schemas require a `*`).
    ("/api/v1/people", "/api/v1/people"),
    ("/api/v1/people?kind=floating&limit=200&offset=100", "/api/v1/people"),
    ("/api/v1/people?kind=foreign&grid={township}&limit=200", "/api/v1/people"),
    ("/api/v1/people?q={person_name}&limit=200", "/api/v1/people"),
    ("/api/v1/people/{person}", "/api/v1/people/{id}"),
    ("/api/v1/buildings", "/api/v1/buildings"),
    ("/api/v1/buildings?grid={unit}&limit=200", "/api/v1/buildings"),
    ("/api/v1/buildings/{building}", "/api/v1/buildings/{id}"),
    ("/api/v1/houses", "/api/v1/houses"),
    ("/api/v1/houses?rented=true&limit=200", "/api/v1/houses"),
    ("/api/v1/houses/{house}", "/api/v1/houses/{id}"),
    ("/api/v1/houses/by-code/{house_code}", "/api/v1/houses/by-code/{code}"),
    ("/api/v1/houses/by-code/{house_code_lower}", "/api/v1/houses/by-code/{code}"),
    ("/api/v1/organisations?limit=200", "/api/v1/organisations"),
    ("/api/v1/organisations?kind=social", "/api/v1/organisations"),
    ("/api/v1/components?limit=200", "/api/v1/components"),
    ("/api/v1/population-roles?limit=200", "/api/v1/population-roles"),
    ("/api/v1/population-roles?kind={role_kind}&grid={township}", "/api/v1/population-roles"),
    ("/api/v1/registers/counts", "/api/v1/registers/counts"),
    ("/api/v1/registers/counts?grid={unit}", "/api/v1/registers/counts"),
    ("/api/v1/code-tables", "/api/v1/code-tables"),
    ("/api/v1/registers/sheets", "/api/v1/registers/sheets"),
    ("/api/v1/registers/imports", "/api/v1/registers/imports"),
    ("/api/v1/registers/imports/{import}", "/api/v1/registers/imports/{id}"),
]

# Open311 reads: no login; (request path, documented path, component schema of the JSON answer)
OPEN311_READS = [
    ("/open311/v2/discovery.json", "/open311/v2/{file}", "Open311Discovery"),
    ("/open311/v2/services.json", "/open311/v2/{file}", "Open311ServiceList"),
    ("/open311/v2/requests.json", "/open311/v2/{file}", "Open311RequestList"),
    ("/open311/v2/requests.json?status=closed&page_size=20", "/open311/v2/{file}", "Open311RequestList"),
    ("/open311/v2/services/{item}.json", "/open311/v2/services/{file}", "Open311ServiceDefinition"),
    ("/open311/v2/services/{service}.json", "/open311/v2/services/{file}", "Open311ServiceDefinition"),
    ("/open311/v2/requests/{event}.json", "/open311/v2/requests/{file}", "Open311RequestList"),
    ("/open311/v2/tokens/{tracking}.json", "/open311/v2/tokens/{file}", "Open311TokenList"),
]


@pytest.mark.parametrize("request_path,documented", READS, ids=[r[0] for r in READS])
def test_read_matches_schema(server, doc, registry, token, samples, request_path, documented):
    reply = call(server, "GET", request_path.format(**samples), token=token)
    assert reply.status == 200, reply
    content = doc["paths"][documented]["get"]["responses"]["200"]["content"]
    assert reply.content_type in content, f"served {reply.content_type}, documented {list(content)}"
    check(registry, reply.json(), *response_schema(doc, documented, "get", 200, reply.content_type))


def test_writes_match_schema(doc, registry, reported):
    """The answers of the two writes the fixture made."""
    check(registry, reported["created"], *response_schema(doc, "/api/v1/events", "post", 201))
    assert reported["created"]["event"]["status"] == "reported"
    assert reported["created"]["event"]["reporterPhone"] == "138****0001"
    check(registry, reported["uploaded"], *response_schema(doc, "/api/v1/events/{id}/attachments", "post", 201))
    assert reported["uploaded"]["filename"] == "现场.png" and reported["uploaded"]["size"] == len(reported["photo"])


def test_files_are_served_as_documented(server, doc, token, samples, reported):
    """The reads that answer a file rather than JSON: the catalog as CSV and an attachment."""
    csv = call(server, "GET", "/api/v1/catalog/export", token=token)
    assert csv.status == 200 and csv.content_type in doc["paths"]["/api/v1/catalog/export"]["get"]["responses"]["200"]["content"], csv
    assert csv.raw.decode("utf-8").lstrip("\ufeff").startswith("分类编码,"), csv
    photo = call(server, "GET", f"/api/v1/attachments/{samples['attachment']}", token=token)
    assert photo.status == 200 and photo.content_type == "image/png", photo
    assert photo.content_type in doc["paths"]["/api/v1/attachments/{id}"]["get"]["responses"]["200"]["content"]
    assert photo.raw == reported["photo"]
    assert "filename*=UTF-8''" in photo.headers.get("Content-Disposition", "")


def test_register_files_are_served_as_documented(server, doc, token, samples, imported):
    """The register reads that answer a file: the door plate, the templates and an error report."""
    def served(path, documented, content_type):
        reply = call(server, "GET", path, token=token)
        assert reply.status == 200 and reply.content_type == content_type, f"GET {path}: {reply}"
        documented_types = doc["paths"][documented]["get"]["responses"]["200"]["content"]
        assert content_type in documented_types, f"{documented} documents no {content_type}"
        return reply

    plate = served(f"/api/v1/houses/{samples['house']}/plate.svg", "/api/v1/houses/{id}/plate.svg", "image/svg+xml")
    text = plate.raw.decode("utf-8")
    assert "<svg" in text and samples["house_code"] in text, text[:300]
    assert plate.headers.get("Content-Disposition") == f'inline; filename="plate-{samples["house_code"]}.svg"', plate.headers
    sheets = call(server, "GET", "/api/v1/registers/sheets", token=token).json()["items"]
    people = next(s for s in sheets if s["id"] == "people")
    xlsx = served(people["templateXLSX"], "/api/v1/registers/templates/{file}",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert xlsx.raw.startswith(b"PK\x03\x04"), xlsx
    csv = served(people["templateCSV"], "/api/v1/registers/templates/{file}", "text/csv")
    assert csv.raw.decode("utf-8").lstrip("\ufeff").splitlines()[0].split(",") == people["columns"], csv
    role = next(s for s in sheets if s["id"].startswith("roles:"))
    served(role["templateCSV"], "/api/v1/registers/templates/{file}", "text/csv")
    errors = served(imported["job"]["errorsURL"], "/api/v1/registers/imports/{id}/errors.csv", "text/csv")
    lines = errors.raw.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0] == "行号,列,原因" and lines[1].startswith("2,证件号码,"), lines


def test_register_import_matches_schema(doc, registry, imported):
    """The 202 of an upload and the job once it has finished: refused as a whole, one row rejected."""
    started, job = imported["started"], imported["job"]
    check(registry, started.json(), *response_schema(doc, "/api/v1/registers/imports", "post", 202))
    assert started.headers.get("Location") == f"/api/v1/registers/imports/{started.json()['id']}", started.headers
    assert (started.json()["sheet"], started.json()["allOrNothing"], started.json()["filename"]) == ("people", True, "测试.csv")
    check(registry, job, *response_schema(doc, "/api/v1/registers/imports/{id}", "get", 200))
    assert (job["status"], job["processed"], job["rejected"], job["created"]) == ("failed", 1, 1, 0), job
    assert job["errorsURL"] == f"/api/v1/registers/imports/{job['id']}/errors.csv" and job["finishedAt"] >= job["startedAt"], job


def test_registers_are_masked(server, doc, registry, token, samples, api_for):
    """Every person in an answer has masked numbers; only those whose role may reveal are told they can."""
    card = call(server, "GET", f"/api/v1/people/{samples['person']}", token=token).json()
    assert card["canReveal"] is False, card  # the administrator keeps the system, not the people
    assert "*" in card["person"]["certificateNumber"], card["person"]
    assert any(r["personID"] == samples["person"] for r in card["roles"]), card
    worker = api_for("wanggeyuan")
    mine = call(server, "GET", "/api/v1/people?limit=1", token=worker.token)
    assert mine.status == 200, mine
    person = mine.json()["items"][0]
    assert call(server, "GET", f"/api/v1/people/{person['id']}", token=worker.token).json()["canReveal"] is True
    house = call(server, "GET", f"/api/v1/houses/by-code/{samples['house_code']}", token=token).json()
    assert house["house"]["id"] == samples["house"] and house["building"]["id"] == samples["building"], house
    assert all("*" in r["person"]["certificateNumber"] for r in house["residents"] if "person" in r), house


@pytest.mark.parametrize("request_path,documented,schema", OPEN311_READS, ids=[r[0] for r in OPEN311_READS])
def test_open311_read_matches_schema(server, doc, registry, samples, request_path, documented, schema):
    reply = call(server, "GET", request_path.format(**samples))
    assert reply.status == 200 and reply.content_type == "application/json", reply
    body = reply.json()
    check(registry, body, *response_schema(doc, documented, "get", 200))
    check(registry, body, "components", "schemas", schema)
    if "{event}" in request_path:
        assert [r["service_request_id"] for r in body] == [samples["event"]] and body[0]["status"] == "open"
    if "{tracking}" in request_path:
        assert body == [{"service_request_id": samples["event"], "token": samples["tracking"]}]


def test_open311_xml_and_errors(server, doc, registry, samples):
    xml = call(server, "GET", "/open311/v2/discovery.xml")
    assert xml.status == 200 and xml.content_type == "text/xml", xml
    assert xml.content_type in doc["paths"]["/open311/v2/{file}"]["get"]["responses"]["200"]["content"]
    assert xml.raw.startswith(b"<?xml") and b"<discovery>" in xml.raw
    # POST without api_key; an unknown service; a bad parameter; no format suffix (answered in XML)
    open311_error(registry, call(server, "POST", "/open311/v2/requests.json", body=b""), 403)
    open311_error(registry, call(server, "GET", "/open311/v2/services/9999.json"), 404)
    open311_error(registry, call(server, "GET", "/open311/v2/requests.json?status=pending"), 400)
    open311_error(registry, call(server, "GET", f"/open311/v2/requests/{MISSING_ID}.json"), 404)
    bare = call(server, "GET", "/open311/v2/discovery")
    assert bare.status == 404 and bare.content_type == "text/xml" and b"<errors>" in bare.raw, bare


def test_public_endpoints_match_schema(server, doc, registry):
    for path in ("/healthz", "/api/v1/meta"):
        reply = call(server, "GET", path)
        assert reply.status == 200, reply
        check(registry, reply.json(), *response_schema(doc, path, "get", 200))


# The citizens' reads: no login; (request path with {sample} placeholders, documented path)
CITIZEN_READS = [
    ("/api/v1/public/catalog", "/api/v1/public/catalog"),
    ("/api/v1/public/reports/{public_tracking}", "/api/v1/public/reports/{tracking}"),
    ("/api/v1/public/reports/{public_tracking_lower}", "/api/v1/public/reports/{tracking}"),
    ("/api/v1/public/nearby?lat={public_lat}&lon={public_lon}", "/api/v1/public/nearby"),
]


@pytest.mark.parametrize("request_path,documented", CITIZEN_READS, ids=[r[0] for r in CITIZEN_READS])
def test_citizen_read_matches_schema(server, doc, registry, samples, reported, request_path, documented):
    reply = call(server, "GET", request_path.format(**samples))
    assert reply.status == 200 and reply.content_type == "application/json", reply
    body = reply.json()
    check(registry, body, *response_schema(doc, documented, "get", 200))
    if documented == "/api/v1/public/catalog":
        codes = {c["code"] for c in body["categories"]}
        assert body["items"] and all(i["categoryCode"] in codes for i in body["items"]), body
        assert reported["item"]["code"] in {i["code"] for i in body["items"]}
    elif documented == "/api/v1/public/reports/{tracking}":
        assert body["trackingNumber"] == samples["public_tracking"] and body["itemName"] == reported["item"]["name"], body
        assert (body["status"], body["canRate"], [s["label"] for s in body["timeline"]]) == ("open", False, ["已收到您的诉求"]), body
    else:
        assert reported["item"]["name"] in {i["itemName"] for i in body["items"]}, body


def test_citizen_writes_match_schema(doc, registry, citizen):
    """The public report, its idempotent repeat and a conflicting reuse of the key, and its photo."""
    path = "/api/v1/public/reports"
    created, replayed, conflict = citizen["created"], citizen["replayed"], citizen["conflict"]
    check(registry, created.json(), *response_schema(doc, path, "post", 201))
    assert created.headers.get("Idempotency-Replayed") is None, created.headers
    # The same request (its JSON keys in another order): the same report, marked as a repeat.
    assert replayed.status == 201 and replayed.headers.get("Idempotency-Replayed") == "true", replayed
    check(registry, replayed.json(), *response_schema(doc, path, "post", 201))
    assert replayed.json()["trackingNumber"] == citizen["tracking"], replayed
    # Another body with the key.
    assert conflict.status == 409, conflict
    check(registry, conflict.json(), *response_schema(doc, path, "post", 409))
    assert (conflict.json()["error"]["code"], conflict.json()["error"]["field"]) == ("idempotency_conflict", "Idempotency-Key")
    check(registry, citizen["photo"], *response_schema(doc, path + "/{tracking}/photos", "post", 201))
    assert citizen["photo"]["contentType"] == "image/png" and citizen["photo"]["size"] == len(png()), citizen["photo"]


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


def test_error_bodies(server, doc, registry, token, samples, reported, api_for):
    department = api_for("gongan")
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
        (("GET", "/api/v1/events?status=open", token), "/api/v1/events", 400, "invalid_request", "status"),
        (("GET", "/api/v1/events?pageSize=201", token), "/api/v1/events", 400, "invalid_request", "pageSize"),
        (("GET", "/api/v1/events?root=12", token), "/api/v1/events", 400, "invalid_request", "root"),
        (("GET", "/api/v1/events/stats?from=2026-13", token), "/api/v1/events/stats", 400, "invalid_request", "from"),
        (("GET", "/api/v1/events/stats?from=2026-11&to=2026-10", token), "/api/v1/events/stats", 400, "invalid_request", "from"),
        (("GET", f"/api/v1/events/{MISSING_ID}", token), "/api/v1/events/{id}", 404, "not_found", None),
        (("POST", f"/api/v1/events/{samples['event']}/actions/fly", token), "/api/v1/events/{id}/actions/{action}", 404,
         "not_found", None),
        (("GET", f"/api/v1/events/{MISSING_ID}/attachments", token), "/api/v1/events/{id}/attachments", 404, "not_found", None),
        (("GET", f"/api/v1/attachments/{MISSING_ID}", token), "/api/v1/attachments/{id}", 404, "not_found", None),
        (("GET", "/api/v1/calendar/1999", token), "/api/v1/calendar/{year}", 404, "not_found", None),
        (("GET", "/api/v1/notifications?status=lost", token), "/api/v1/notifications", 400, "invalid_request", "status"),
        (("POST", f"/api/v1/notifications/{MISSING_ID}/retry", token), "/api/v1/notifications/{id}/retry", 404, "not_found",
         None),
        (("DELETE", f"/api/v1/open311/keys/{MISSING_ID}", token), "/api/v1/open311/keys/{id}", 404, "not_found", None),
        (("GET", "/api/v1/notifications", reported["worker"]), "/api/v1/notifications", 403, "forbidden", None),
        (("GET", "/api/v1/open311/keys", reported["worker"]), "/api/v1/open311/keys", 403, "forbidden", None),
        # The citizens' API, without a login.
        (("GET", f"/api/v1/public/reports/{MISSING_TRACKING}", None), "/api/v1/public/reports/{tracking}", 404, "not_found", None),
        (("GET", f"/api/v1/public/reports/{samples['tracking']}", None), "/api/v1/public/reports/{tracking}", 404, "not_found",
         None),  # a grid worker's report is not a citizen's
        (("GET", f"/api/v1/public/nearby?lat={samples['lat']}", None), "/api/v1/public/nearby", 400, "invalid_request", "lon"),
        (("GET", f"/api/v1/public/nearby?lat=91&lon={samples['lon']}", None), "/api/v1/public/nearby", 400, "invalid_request",
         "lat"),
        (("POST", f"/api/v1/public/reports/{MISSING_TRACKING}/rating", None), "/api/v1/public/reports/{tracking}/rating", 404,
         "not_found", None),
        (("POST", f"/api/v1/public/reports/{samples['public_tracking']}/rating", None), "/api/v1/public/reports/{tracking}/rating",
         400, "invalid_request", "satisfaction"),
        # The registers.
        (("GET", "/api/v1/people?kind=resident", token), "/api/v1/people", 400, "invalid_request", "kind"),
        (("GET", "/api/v1/people?q=123456", token), "/api/v1/people", 400, "invalid_request", "q"),
        (("GET", "/api/v1/people?limit=201", token), "/api/v1/people", 400, "invalid_request", "limit"),
        (("GET", "/api/v1/people?offset=-1", token), "/api/v1/people", 400, "invalid_request", "offset"),
        (("GET", "/api/v1/people?grid=12", token), "/api/v1/people", 400, "invalid_request", "grid"),
        (("GET", "/api/v1/people?grid=110101001001", token), "/api/v1/people", 404, "not_found", None),  # outside the county
        (("GET", f"/api/v1/people/{MISSING_ID}", token), "/api/v1/people/{id}", 404, "not_found", None),
        (("GET", "/api/v1/people", department.token), "/api/v1/people", 403, "forbidden", None),
        (("GET", f"/api/v1/people/{samples['person']}", department.token), "/api/v1/people/{id}", 403, "forbidden", None),
        (("POST", f"/api/v1/people/{samples['person']}/reveal", token), "/api/v1/people/{id}/reveal", 400, "invalid_request",
         "field"),
        (("POST", f"/api/v1/people/{MISSING_ID}/roles", token), "/api/v1/people/{id}/roles", 404, "not_found", None),
        (("GET", f"/api/v1/buildings/{MISSING_ID}", token), "/api/v1/buildings/{id}", 404, "not_found", None),
        (("GET", f"/api/v1/houses/{MISSING_ID}", token), "/api/v1/houses/{id}", 404, "not_found", None),
        (("GET", "/api/v1/houses/by-code/NO-SUCH-HOUSE", token), "/api/v1/houses/by-code/{code}", 404, "not_found", None),
        (("GET", f"/api/v1/houses/{MISSING_ID}/plate.svg", token), "/api/v1/houses/{id}/plate.svg", 404, "not_found", None),
        (("POST", f"/api/v1/houses/{MISSING_ID}/residents", token), "/api/v1/houses/{id}/residents", 404, "not_found", None),
        (("POST", f"/api/v1/houses/{samples['house']}/residents", token), "/api/v1/houses/{id}/residents", 400,
         "invalid_request", "certificateNumber"),
        (("GET", "/api/v1/organisations?kind=company", token), "/api/v1/organisations", 400, "invalid_request", "kind"),
        (("GET", "/api/v1/components?state=broken", token), "/api/v1/components", 400, "invalid_request", "state"),
        (("GET", "/api/v1/population-roles?kind=nobody", token), "/api/v1/population-roles", 400, "invalid_request", "kind"),
        (("GET", f"/api/v1/registers/counts?grid={samples['unknown_grid']}", token), "/api/v1/registers/counts", 404,
         "not_found", None),
        (("GET", "/api/v1/registers/templates/nothing.csv", token), "/api/v1/registers/templates/{file}", 404, "not_found",
         None),
        (("GET", "/api/v1/registers/templates/people.txt", token), "/api/v1/registers/templates/{file}", 404, "not_found",
         None),
        (("GET", f"/api/v1/registers/imports/{MISSING_ID}", token), "/api/v1/registers/imports/{id}", 404, "not_found", None),
        (("GET", f"/api/v1/registers/imports/{MISSING_ID}/errors.csv", token), "/api/v1/registers/imports/{id}/errors.csv",
         404, "not_found", None),
        (("GET", "/api/v1/registers/sheets", department.token), "/api/v1/registers/sheets", 403, "forbidden", None),
        (("POST", "/api/v1/registers/imports", token), "/api/v1/registers/imports", 400, "invalid_request", "sheet"),
        (("POST", "/api/v1/registers/imports?sheet=people&mode=some", token), "/api/v1/registers/imports", 400,
         "invalid_request", "mode"),
        (("POST", "/api/v1/registers/imports?sheet=people", reported["worker"]), "/api/v1/registers/imports", 403,
         "forbidden", None),
    ]
    for (method, path, auth), documented, status, code, field in cases:
        reply = call(server, method, path, token=auth, body=None if method in ("GET", "DELETE") else b"{}")
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

    def refused(method, path, documented, status, code, body, auth=token, headers=None):
        reply = call(server, method, path, token=auth, body=body, headers=headers)
        assert reply.status == status, f"{method} {path}: {reply}"
        check(registry, reply.json(), *response_schema(doc, documented, method.lower(), status))
        error = reply.json()["error"]
        assert error["code"] == code, f"{method} {path}: {error}"
        return error

    # A CSV import with a bad header: every problem row by row, nothing written.
    error = refused("POST", "/api/v1/catalog/import", "/api/v1/catalog/import", 400, "invalid_rows",
                    "分类编码,分类名称,事项编码\n01,矛盾纠纷,0101\n".encode(), headers={"Content-Type": "text/csv"})
    assert error["rows"] and all(r["row"] == 1 for r in error["rows"]), error
    # An action the status does not allow: 409 with the actions possible now (none for the reporter here).
    event = samples["event"]
    error = refused("POST", f"/api/v1/events/{event}/actions/sign", "/api/v1/events/{id}/actions/{action}", 409,
                    "illegal_transition", b"{}", auth=reported["worker"])
    assert error["allowed"] == [], error
    # A note is required to turn an event down; the worker may not take an action their unit cannot.
    error = refused("POST", f"/api/v1/events/{event}/actions/reject", "/api/v1/events/{id}/actions/{action}", 400,
                    "invalid_request", b"{}", auth=reported["worker"])
    assert error["field"] == "note", error
    refused("POST", f"/api/v1/events/{event}/actions/accept", "/api/v1/events/{id}/actions/{action}", 403, "forbidden",
            b"{}", auth=reported["worker"])
    # Attachments: the declared type must be accepted and match the content.
    for content_type, body in (("text/plain", b"hello"), ("image/jpeg", png())):
        error = refused("POST", f"/api/v1/events/{event}/attachments", "/api/v1/events/{id}/attachments", 400,
                        "invalid_request", body, auth=reported["worker"], headers={"Content-Type": content_type})
        assert error["field"] == "contentType", error
    # The citizens' API: a rating before the report is closed; a photo that is not an image; a malformed
    # Idempotency-Key; a report without a position (each refused before anything is written).
    public = samples["public_tracking"]
    error = refused("POST", f"/api/v1/public/reports/{public}/rating", "/api/v1/public/reports/{tracking}/rating", 409,
                    "illegal_transition", b'{"satisfaction":5}', auth=None)
    assert error["allowed"] == [], error
    error = refused("POST", f"/api/v1/public/reports/{public}/photos", "/api/v1/public/reports/{tracking}/photos", 400,
                    "invalid_request", b"hello", auth=None, headers={"Content-Type": "text/plain"})
    assert error["field"] == "contentType", error
    error = refused("POST", "/api/v1/public/reports", "/api/v1/public/reports", 400, "invalid_request", b"{}", auth=None,
                    headers={"Idempotency-Key": "short"})
    assert error["field"] == "Idempotency-Key", error
    error = refused("POST", "/api/v1/public/reports", "/api/v1/public/reports", 400, "invalid_request",
                    json.dumps({"itemCode": samples["item"], "description": "没有位置"}).encode(), auth=None)
    assert error["field"] == "lat", error
    # The calendar refuses an impossible day before anything else.
    error = refused("PUT", "/api/v1/calendar/days/2027-02-30", "/api/v1/calendar/days/{day}", 400, "invalid_request",
                    b'{"kind":"holiday"}')
    assert error["field"] == "day", error

    # The registers. A form with several problems lists them all in `fields` (the first also in `field`).
    valid = id_number("52039919900101001")
    person = {"person": {"name": "", "certificateNumber": valid[:-1] + ("1" if valid.endswith("0") else "0"), "grid": "1",
                         "kind": "户籍人口", "nationality": "USA"}}
    error = refused("POST", "/api/v1/people", "/api/v1/people", 400, "invalid", json.dumps(person).encode())
    assert [f["field"] for f in error["fields"]] == ["name", "certificateNumber", "grid", "nationality"], error
    assert error["field"] == "name" and error["message"] == "；".join(f["message"] for f in error["fields"]), error
    role = {"kind": "社区矫正", "visitEveryDays": 0, "fields": {"矫正类别": "99"}}
    error = refused("POST", f"/api/v1/people/{samples['person']}/roles", "/api/v1/people/{id}/roles", 400, "invalid",
                    json.dumps(role).encode())
    assert {"visitEveryDays", "fields.category", "fields.term_start"} <= {f["field"] for f in error["fields"]}, error
    error = refused("POST", "/api/v1/components", "/api/v1/components", 400, "invalid", b'{"code":"1","lon":0,"lat":0}')
    assert {f["field"] for f in error["fields"]} == {"code", "lon", "lat"}, error
    # Numbers are revealed only to the roles that need them, and only with a reason; a refusal writes nothing.
    reveal = json.dumps({"field": "phone", "reason": "接口文档测试"}).encode()
    refused("POST", f"/api/v1/people/{samples['person']}/reveal", "/api/v1/people/{id}/reveal", 403, "forbidden", reveal)
    worker = api_for("wanggeyuan")
    mine = call(server, "GET", "/api/v1/people?limit=1", token=worker.token).json()["items"][0]
    error = refused("POST", f"/api/v1/people/{mine['id']}/reveal", "/api/v1/people/{id}/reveal", 400, "invalid_request",
                    json.dumps({"field": "phone", "reason": "看"}).encode(), auth=worker.token)
    assert error["field"] == "reason", error
    # A malformed Idempotency-Key is refused before the person is looked at.
    error = refused("POST", "/api/v1/people", "/api/v1/people", 400, "invalid_request", b'{"person":{}}',
                    headers={"Idempotency-Key": "short"})
    assert error["field"] == "Idempotency-Key", error
    # An upload needs a body.
    error = refused("POST", "/api/v1/registers/imports?sheet=people", "/api/v1/registers/imports", 400, "invalid_request", b"")
    assert error["field"] == "file", error

    unknown = call(server, "GET", "/api/v1/no-such-thing", token=token)
    assert unknown.status == 404 and error_shape(registry, unknown)["message"] == UNKNOWN_ROUTE_MESSAGE


# ---- every documented operation is a route -----------------------------------------------


def concrete(path, method, samples):
    """The documented path with sample values; writes address things that make no change."""
    write = method != "get"
    values = {"code": samples["unit"], "county": samples["county"], "year": samples["year"], "day": "2027-01-18",
              "action": "accept"}
    if path.startswith("/api/v1/accounts/"):
        values["id"] = samples["account"]
    elif path.startswith("/api/v1/staff/"):
        values["id"] = MISSING_ID if method == "delete" else samples["staff"]
    elif path.startswith("/api/v1/departments/"):
        values["id"] = samples["department"]
    elif path.startswith("/api/v1/events/"):
        values["id"] = MISSING_ID if write else samples["event"]
    elif path.startswith("/api/v1/attachments/"):
        values["id"] = samples["attachment"]
    elif path.startswith(("/api/v1/notifications/", "/api/v1/open311/keys/")):
        values["id"] = MISSING_ID
    elif path.startswith("/api/v1/people/"):
        values["id"] = MISSING_ID if write else samples["person"]
    elif path.startswith("/api/v1/buildings/"):
        values["id"] = samples["building"]
    elif path.startswith("/api/v1/houses/by-code/"):
        values["code"] = samples["house_code"]
    elif path.startswith("/api/v1/houses/"):
        values["id"] = MISSING_ID if write else samples["house"]
    elif path.startswith("/api/v1/registers/templates/"):
        values["file"] = "people.xlsx"
    elif path.startswith("/api/v1/registers/imports/"):
        values["id"] = samples["import"]
    elif path.startswith("/api/v1/catalog/items/"):
        values["code"] = samples["item"]
    elif path.startswith(PUBLIC):
        values["tracking"] = MISSING_TRACKING if write else samples["public_tracking"]
    elif path == OPEN311 + "{file}":
        values["file"] = "requests.json" if write else "discovery.json"
    elif path.startswith(OPEN311):
        kind = path[len(OPEN311):].split("/")[0]
        values["file"] = {"services": samples["item"], "requests": samples["event"], "tokens": samples["tracking"]}[kind]
        values["file"] = f"{values['file']}.json"
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    if path in ("/api/v1/grids/locate", "/api/v1/public/nearby"):
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
            if path.startswith(OPEN311) and reply.status >= 400:
                open311_error(registry, reply, reply.status)


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
        if path.startswith(OPEN311):
            open311_error(registry, reply, reply.status)
            continue
        error = error_shape(registry, reply)
        assert error["message"] != UNKNOWN_ROUTE_MESSAGE, f"{name} is documented but not routed"
