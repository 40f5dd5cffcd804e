"""What the OpenAPI contract tests (test_openapi.py, test_openapi_errors.py) share: plain HTTP
calls, the served document and its schema registry, checks of bodies against it, and the demo
data the requests use. The fixtures here are module-scoped: each test module that imports them
adds its own event, citizen's report and refused import (see test_openapi.py), nothing more.
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


# ---- requests that address things and change nothing -----------------------------------------------

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
