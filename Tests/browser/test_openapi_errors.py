"""The error answers of Public/openapi.yaml against the running demo server: every error has the
documented shape and status, every documented operation is a route (reads answer, writes sent
with an empty body or addressing nothing change nothing), and security is as documented. Its
fixtures (from openapi_support.py) add the same little data as test_openapi.py's.
"""
import json

from openapi_support import (  # noqa: F401 (doc … samples are fixtures)
    MISSING_ID, MISSING_TRACKING, OPEN311, UNKNOWN_ROUTE_MESSAGE,
    call, check, concrete, error_shape, id_number, is_secured, login, open311_error, operations, png, response_schema,
    doc, registry, token, reported, citizen, imported, samples,
)


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
