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

Shared helpers and fixtures are in openapi_support.py; the error answers and the routing of every
operation are checked in test_openapi_errors.py.

Needs: python3 -m pip install openapi-spec-validator pyyaml jsonschema
"""
import re

import pytest
from openapi_spec_validator import validate as validate_openapi

from openapi_support import (  # noqa: F401 (doc … samples are fixtures)
    CITIZEN_OPERATIONS, IDEMPOTENT_OPERATIONS, MISSING_ID, OPEN311, PUBLIC, REPLAY_STATUS, REPO,
    call, check, error_shape, is_secured, login, open311_error, operations, png, response_schema, swift_enum,
    doc, registry, token, reported, citizen, imported, samples,
)


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
