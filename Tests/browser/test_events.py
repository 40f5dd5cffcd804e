"""The event pages of /center/ (事件, 待办, 统计, the drawer, the markers) in a headless Chromium.

The main test walks the closed loop across three accounts: a grid worker reports (API), the street
operator accepts and dispatches to the county public-security bureau, the bureau finds it in its
inbox, signs for it and feeds back, and the street verifies it: 已办结.
"""
import json
import struct
import urllib.error
import urllib.request
import uuid
import zlib

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PASSWORD

TIMEOUT = 20
EVENTS_SHOT = "/tmp/wangge-events.png"
DASHBOARD_SHOT = "/tmp/wangge-dashboard.png"
CHARTS = ("chart-status", "chart-category", "chart-source", "chart-level", "chart-children")


# ---- helpers --------------------------------------------------------------------------------


def wait(driver, timeout=TIMEOUT):
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def present(driver, selector):
    return wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))


def clickable(driver, selector):
    return wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def js_errors(driver):
    return [e for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


def login(driver, base, username):
    driver.get(base + "/center/")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username")))
    css(driver, "#username").send_keys(username)
    css(driver, "#password").send_keys(PASSWORD)
    css(driver, "#login-button").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "app-view")))


def logout(driver):
    clickable(driver, "#logout-button").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "login-form")))


def call(api, method, path, payload=None):
    """A JSON request with the account's bearer token; returns (status, body)."""
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(api.base + path, data=data, method=method)
    req.add_header("Accept", "application/json")
    req.add_header("Authorization", f"Bearer {api.token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def post(api, path, payload):
    status, body = call(api, "POST", path, payload)
    assert status in (200, 201), (path, status, body)
    return body


def _centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cy / (3 * a), cx / (3 * a)


def point_in_own_grid(api):
    """(lat, lon) inside the unit grid of a grid worker, checked with /grids/locate."""
    code = api.get("/api/v1/auth/me")["territory"]["code"]
    geometry = api.get(f"/api/v1/grids/{code}")["boundary"]
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    lat, lon = _centroid(ring)
    candidates = [(lat, lon)] + [((lat + y) / 2, (lon + x) / 2) for x, y in ring[:-1]]
    for la, lo in candidates:
        if api.get(f"/api/v1/grids/locate?lat={la}&lon={lo}")["grid"]["code"] == code:
            return la, lo, code
    pytest.fail(f"no point found inside {code}")


def report(api, item, lat, lon, text):
    body = post(api, "/api/v1/events", {"itemCode": item, "description": text, "lat": lat, "lon": lon,
                                        "address": "滨河路88号", "reporterPhone": "13800138000"})
    return body["event"]


def tiny_png(path):
    """A valid 2×2 PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xdc\x26\x26\xff" * 2 for _ in range(2))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return str(path)


def open_tab(driver, name):
    clickable(driver, f'#nav-{name}').click()
    wait(driver).until(lambda d: css(d, f"#nav-{name}").get_attribute("aria-selected") == "true")


def wait_table(driver, table, before=None):
    """Waits until `table` (queue-table / inbox-table) has been (re)loaded after `before`."""
    wait(driver).until(lambda d: (css(d, f"#{table}").get_attribute("data-loaded") or None) not in (None, before))


def open_event(driver, event_id, rows="#queue-rows"):
    clickable(driver, f'{rows} .event-open[data-id="{event_id}"]').click()
    present(driver, f'#event-serial[data-id="{event_id}"]')


def act(driver, action, note=None, to=None, files=None, expect=None):
    """Opens the form of `action` in the drawer, fills it and submits; waits for status `expect`."""
    clickable(driver, f'#event-actions button[data-action="{action}"]').click()
    present(driver, f'#action-form[data-action="{action}"]')
    if to:
        present(driver, "#action-to[data-ready]")
        Select(css(driver, "#action-to")).select_by_value(to)
    if note:
        css(driver, "#action-note").send_keys(note)
    if files:
        css(driver, "#action-files").send_keys(files)
    clickable(driver, "#action-submit").click()
    if expect:
        present(driver, f'#event-serial[data-status="{expect}"]')
        present(driver, "#event-message")


def event_status(api, event_id):
    return api.get(f"/api/v1/events/{event_id}")["event"]["status"]


# ---- tests ----------------------------------------------------------------------------------


def test_dispatched_event_reaches_the_department_inbox_and_closes(server, driver, api_for, tmp_path):
    worker, street, bureau = api_for("wanggeyuan"), api_for("jiedao"), api_for("gongan")
    lat, lon, grid = point_in_own_grid(worker)
    tag = uuid.uuid4().hex[:8]
    event = report(worker, "0201", lat, lon, f"桥洞下有无人认领的可疑包裹 {tag}")  # 可疑人员物品: the street accepts it
    assert event["holder"]["unit"] == f"center:{street.get('/api/v1/auth/me')['territory']['code']}"
    department = bureau.get("/api/v1/auth/me")["account"]["department"]
    photos = call(street, "GET", f"/api/v1/events/{event['id']}/attachments")[0] == 200

    # the street operator: 事件 → the event → 受理 → 派遣 to the county public-security bureau
    login(driver, server, "jiedao")
    open_tab(driver, "events")
    wait_table(driver, "queue-table")
    row = present(driver, f'#queue-rows tr[data-id="{event["id"]}"]')
    assert event["serial"] in row.text and "可疑人员物品" in row.text and "已上报" in row.text
    open_event(driver, event["id"])
    facts = css(driver, "#event-facts").text
    assert tag in facts and "138****8000" in facts and "13800138000" not in facts
    allowed = {b.get_attribute("data-action") for b in driver.find_elements(By.CSS_SELECTOR, "#event-actions [data-action]")}
    assert allowed == set(street.get(f"/api/v1/events/{event['id']}")["allowedActions"])
    act(driver, "accept", expect="accepted")
    act(driver, "dispatch", to=f"department:{department['id']}", note="请派员核查", expect="dispatched")
    steps = css(driver, "#event-timeline").text
    assert "派遣" in steps and department["name"] in steps and "请派员核查" in steps
    logout(driver)

    # the bureau: 待办 lists it; 签收; 处置反馈 with a note (and a photo when the server takes them)
    login(driver, server, "gongan")
    wait(driver).until(lambda d: css(d, "#inbox-count").text not in ("", "0"))
    open_tab(driver, "inbox")
    wait_table(driver, "inbox-table")
    assert department["name"] in css(driver, "#inbox-title").text
    present(driver, f'#inbox-rows tr[data-id="{event["id"]}"][data-status="dispatched"]')
    open_event(driver, event["id"], rows="#inbox-rows")
    act(driver, "sign", expect="signed")
    assert {"handle", "return", "request_extension"} <= {
        b.get_attribute("data-action") for b in driver.find_elements(By.CSS_SELECTOR, "#event-actions [data-action]")}
    # 处置反馈 needs a note: the form says so and sends nothing
    clickable(driver, '#event-actions button[data-action="handle"]').click()
    clickable(driver, "#action-submit").click()
    assert "须填写说明" in wait(driver).until(EC.visibility_of_element_located((By.ID, "action-error"))).text
    assert event_status(bureau, event["id"]) == "signed"
    clickable(driver, '#event-actions button[data-action="handle"]').click()  # closes the form
    act(driver, "handle", note="已到场检查，包裹为居民遗失物品，已归还", expect="handled",
        files=tiny_png(tmp_path / "现场.png") if photos else None)
    if photos:
        img = present(driver, "#event-photos img.thumb")
        wait(driver).until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) == 2)
        assert present(driver, '#event-timeline li[data-action="handle"] img.thumb')
    logout(driver)

    # the street verifies: 核查通过 → 已办结
    login(driver, server, "jiedao")
    open_tab(driver, "events")
    wait_table(driver, "queue-table")
    present(driver, f'#queue-rows tr[data-id="{event["id"]}"][data-status="handled"]')
    open_event(driver, event["id"])
    act(driver, "verify_pass", expect="closed")
    assert "已办结" in css(driver, ".event-head").text
    assert event_status(street, event["id"]) == "closed"
    timeline = [li.get_attribute("data-action") for li in driver.find_elements(By.CSS_SELECTOR, "#event-timeline li")]
    assert timeline == ["report", "accept", "dispatch", "sign", "handle", "verify_pass"]
    assert js_errors(driver) == []


def test_queue_filter_map_markers_inline_conflict_and_dashboard(server, driver, api_for):
    worker, street = api_for("wanggeyuan"), api_for("jiedao")
    lat, lon, _ = point_in_own_grid(worker)
    tag = uuid.uuid4().hex[:8]
    # ~200 m apart, so that their markers do not overlap at the street's zoom
    waiting = report(worker, "0404", lat + 0.002, lon, f"路面有油污 {tag}")   # 道路不洁
    accepted = report(worker, "0409", lat - 0.002, lon, f"夜市露天烧烤 {tag}")  # 露天烧烤
    post(street, f"/api/v1/events/{accepted['id']}/actions/accept", {})

    login(driver, server, "jiedao")
    # the grid view's map shows the open events as markers; a click opens one
    present(driver, "#map[data-events]")
    marker = present(driver, f'#map path.event-marker[data-id="{waiting["id"]}"]')
    assert "st-reported" in marker.get_attribute("class")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#map path.event-marker")) >= 2
    marker.click()
    present(driver, f'#event-serial[data-id="{waiting["id"]}"]')
    css(driver, ".drawer-close").click()

    # the queue filtered by status shows only that status
    open_tab(driver, "events")
    wait_table(driver, "queue-table")
    driver.save_screenshot(EVENTS_SHOT)
    before = css(driver, "#queue-table").get_attribute("data-loaded")
    css(driver, "#f-status-box summary").click()
    css(driver, '#f-status input[value="accepted"]').click()
    assert css(driver, "#f-status-summary").text == "已受理"
    css(driver, '#queue-filters button[type="submit"]').click()
    wait_table(driver, "queue-table", before)
    statuses = {tr.get_attribute("data-status") for tr in driver.find_elements(By.CSS_SELECTOR, "#queue-rows tr.event-row")}
    assert statuses == {"accepted"}
    present(driver, f'#queue-rows tr[data-id="{accepted["id"]}"]')
    assert not driver.find_elements(By.CSS_SELECTOR, f'#queue-rows tr[data-id="{waiting["id"]}"]')
    total = street.get("/api/v1/events?status=accepted&pageSize=1")["total"]
    assert css(driver, "#queue-table").get_attribute("data-total") == str(total)
    assert not css(driver, "#f-status-box").get_attribute("open")

    # an action the event no longer allows answers 409: shown in the form, with what is allowed
    open_event(driver, accepted["id"])
    post(street, f"/api/v1/events/{accepted['id']}/actions/handle", {"note": "已现场劝离"})  # behind the page's back
    clickable(driver, '#event-actions button[data-action="escalate"]').click()
    css(driver, "#action-note").send_keys("超出街道权限")
    clickable(driver, "#action-submit").click()
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "action-error"))).text
    assert "已处置" in error and "当前可执行" in error
    css(driver, ".drawer-close").click()

    # the dashboard: tiles and five charts drawn by Chart.js
    open_tab(driver, "stats")
    present(driver, "#stats-view[data-ready]")
    stats = street.get("/api/v1/events/stats")
    assert css(driver, "#stats-view").get_attribute("data-total") == str(stats["total"])
    tiles = css(driver, "#stats-tiles").text
    for label in ("办结率", "按期办结率", "满意率", "超期", "未签收"):
        assert label in tiles
    for canvas in CHARTS:
        assert driver.execute_script(
            "const c = document.getElementById(arguments[0]); return !!Chart.getChart(c) && c.width > 0 && c.height > 0;", canvas)
    assert int(css(driver, "#chart-status").get_attribute("data-points")) == len([v for v in stats["byStatus"].values() if v])
    assert len(driver.find_elements(By.CSS_SELECTOR, "#stats-children tr")) == max(1, len(stats["children"]))
    driver.save_screenshot(DASHBOARD_SHOT)
    assert js_errors(driver) == []


def test_center_registers_an_event_and_merges_a_duplicate(server, driver, api_for):
    worker, street = api_for("wanggeyuan"), api_for("jiedao")
    lat, lon, grid = point_in_own_grid(worker)
    tag = uuid.uuid4().hex[:8]
    first = report(worker, "0503", lat, lon + 0.002, f"人行道上立了广告牌 {tag}")  # 占道广告牌

    login(driver, server, "jiedao")
    open_tab(driver, "events")
    clickable(driver, "#report-open").click()
    present(driver, "#report-form")
    Select(css(driver, "#report-item")).select_by_value("0503")
    Select(css(driver, "#report-source")).select_by_value("hotline_12345")
    css(driver, "#report-description").send_keys(f"12345来电：人行道广告牌挡路 {tag}")
    css(driver, "#report-lat").send_keys(f"{lat:.7f}")
    css(driver, "#report-lon").send_keys(f"{lon + 0.0021:.7f}")  # ~10 m from the first report
    css(driver, "#report-address").send_keys("滨河路88号")
    css(driver, "#report-parties").send_keys("某广告公司")
    css(driver, "#report-amount").send_keys("1200")
    css(driver, "#report-lon").send_keys(Keys.TAB)  # leaving the coordinate box locates the point
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "report-where"), "位于"))
    css(driver, "#report-submit").click()
    serial = present(driver, "#report-serial").text
    created = int(css(driver, "#report-done").get_attribute("data-id"))
    answer = street.get(f"/api/v1/events/{created}")["event"]
    assert answer["serial"] == serial and answer["source"] == "hotline_12345" and answer["grid"] == grid

    duplicate = present(driver, f'#report-duplicates li[data-id="{first["id"]}"]')
    duplicate.find_element(By.CSS_SELECTOR, ".dup-merge").click()
    present(driver, f'#event-serial[data-id="{first["id"]}"]')
    assert event_status(street, created) == "merged"
    assert street.get(f"/api/v1/events/{created}")["event"]["mergedInto"] == first["id"]
    assert "并入" in css(driver, "#event-timeline").text
    assert js_errors(driver) == []


def test_bulk_dispatch_reports_each_event(server, driver, api_for):
    worker, street, bureau = api_for("wanggeyuan"), api_for("jiedao"), api_for("gongan")
    lat, lon, _ = point_in_own_grid(worker)
    tag = uuid.uuid4().hex[:8]
    ready = report(worker, "0205", lat, lon - 0.002, f"铁路护栏被拆 {tag}")   # 护路护线隐患
    waiting = report(worker, "0207", lat, lon - 0.001, f"快递点收寄不验视 {tag}")  # 寄递物流安全隐患: not accepted yet
    post(street, f"/api/v1/events/{ready['id']}/actions/accept", {})
    department = bureau.get("/api/v1/auth/me")["account"]["department"]

    login(driver, server, "jiedao")
    open_tab(driver, "events")
    wait_table(driver, "queue-table")
    assert css(driver, "#bulk-dispatch").get_attribute("disabled")
    for e in (ready, waiting):
        clickable(driver, f'#queue-rows tr[data-id="{e["id"]}"] .row-check').click()
    assert css(driver, "#bulk-count").text == "已选 2 件"
    Select(css(driver, "#bulk-to")).select_by_value(f"department:{department['id']}")
    before = css(driver, "#queue-table").get_attribute("data-loaded")
    clickable(driver, "#bulk-dispatch").click()
    ok = present(driver, f'#bulk-results li.ok[data-id="{ready["id"]}"]')
    refused = present(driver, f'#bulk-results li.error[data-id="{waiting["id"]}"]')
    assert ready["serial"] in ok.text and "已派遣" in ok.text
    assert waiting["serial"] in refused.text and "已上报" in refused.text
    assert "成功 1 件，失败 1 件" in css(driver, "#bulk-results .bulk-head").text
    wait_table(driver, "queue-table", before)
    present(driver, f'#queue-rows tr[data-id="{ready["id"]}"][data-status="dispatched"]')
    assert event_status(street, waiting["id"]) == "reported"
    assert street.get(f"/api/v1/events/{ready['id']}")["event"]["holder"]["unit"] == f"department:{department['id']}"
    assert js_errors(driver) == []
