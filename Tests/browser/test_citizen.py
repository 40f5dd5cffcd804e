"""The citizen page /citizen/ (随手拍, 查询进度, 附近的问题) in a headless Chromium, at a phone's width.

A citizen reports a problem with a photo and no account; the county center finds it in its queue;
the operators take it round the loop (through the API); the citizen follows it by the tracking
number, sees 已办结 and rates it. The public answer carries nothing personal. 附近的问题 lists public
problems (from the phone's emulated position) but no sensitive ones. A lost answer and a double tap
make one report (the page resends with the same Idempotency-Key). With a phone number, a wrong SMS
code is refused next to the field; the right one, read from the logging SMS gateway's line, is
accepted when the session exposes the server log as a fixture `server_log` (a path).
"""
import json
import re
import struct
import urllib.error
import urllib.request
import uuid
import zlib

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PASSWORD

TIMEOUT = 20
PHONE_SIZE = (412, 915)
SHOT = "/tmp/wangge-citizen.png"
ITEM, CATEGORY, ITEM_NAME = "0201", "02", "可疑人员物品"  # the public-security bureau's item
PERSONAL = {"reporterName", "reporterPhone", "reporter", "phone", "parties", "description", "actor", "actorName",
            "note", "notes", "address", "account", "accountId"}


# ---- helpers --------------------------------------------------------------------------------


def wait(driver, timeout=TIMEOUT):
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def present(driver, selector):
    return wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))


def visible(driver, selector):
    return wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def clickable(driver, selector):
    return wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def js_errors(driver):
    """SEVERE console entries, except failed loads (an expected 4xx answer is logged as one)."""
    return [e for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


def call(base, method, path, payload=None, token=None, raw=False):
    """(status, JSON body or bytes) of a request, with a bearer token when given."""
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Accept", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
            return r.status, body if raw else (json.loads(body) if body else None)
    except urllib.error.HTTPError as e:
        body = e.read()
        return e.code, json.loads(body) if body and not raw else body


def act(api, event_id, action, payload=None):
    status, body = call(api.base, "POST", f"/api/v1/events/{event_id}/actions/{action}", payload or {}, api.token)
    assert status in (200, 201), (action, status, body)
    return body


def _centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cy / (3 * a), cx / (3 * a)


def point_in_unit_grid(api, admin):
    """(lat, lon, grid code, names): a point inside the demo grid worker's unit grid, checked with /grids/locate;
    names are the grid's and its community's."""
    code = api.get("/api/v1/auth/me")["territory"]["code"]
    grid = api.get(f"/api/v1/grids/{code}")
    geometry = grid["boundary"]
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    lat, lon = _centroid(ring)
    for la, lo in [(lat, lon)] + [((lat + y) / 2, (lon + x) / 2) for x, y in ring[:-1]]:
        if api.get(f"/api/v1/grids/locate?lat={la}&lon={lo}")["grid"]["code"] == code:
            ancestors = admin.get(f"/api/v1/grids/{code}")["ancestors"]  # the worker sees no farther than the grid
            community = next((a["name"] for a in ancestors if a["level"] == "community"), None)
            return la, lo, code, {grid["grid"]["name"], community}
    pytest.fail(f"no point found inside {code}")


def big_png(path, width=2400, height=1200):
    """A valid RGB PNG larger than the page's 1600 px limit (one colour, so it stays small)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = (b"\x00" + b"\x26\x63\xeb" * width) * height
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return str(path)


def jpeg_size(data):
    """(width, height) from a JPEG's start-of-frame segment."""
    assert data[:3] == b"\xff\xd8\xff", "not a JPEG"
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    pytest.fail("no frame in the JPEG")


def keys_of(value):
    """Every key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_of(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_of(v) for v in value)) if value else set()
    return set()


def open_citizen(driver, base, hash_=""):
    driver.set_window_size(*PHONE_SIZE)
    driver.get(f"{base}/citizen/{hash_}")


def fill_report(driver, lat, lon, text, photo=None, phone=None):
    """Fills 随手拍 up to (not including) the submit."""
    present(driver, "#report-form[data-ready]")
    Select(css(driver, "#r-category")).select_by_value(CATEGORY)
    Select(css(driver, "#r-item")).select_by_value(ITEM)
    if photo:
        css(driver, "#r-photos").send_keys(photo)
        present(driver, "#r-thumbs li.thumb img")
    css(driver, "#r-lat").send_keys(f"{lat:.7f}")
    css(driver, "#r-lon").send_keys(f"{lon:.7f}")
    css(driver, "#r-address").send_keys("滨河路88号东门")
    css(driver, "#r-description").send_keys(text)
    if phone:
        css(driver, "#r-phone").send_keys(phone)


def submit_report(driver):
    """Submits and returns (tracking number, serial) from the answer card."""
    clickable(driver, "#r-submit").click()
    done = visible(driver, "#report-done[data-tracking]")
    tracking = done.get_attribute("data-tracking")
    assert re.fullmatch(r"[0-9A-Z]{12}", tracking), tracking
    assert css(driver, "#done-tracking").get_attribute("data-tracking") == tracking
    assert css(driver, "#done-tracking").text.replace(" ", "").replace("\n", "") == tracking
    return tracking, css(driver, "#done-serial").text


def track(driver, tracking):
    """Looks the report up on 查询进度 and returns its status badge's text."""
    clickable(driver, "#tab-track").click()
    box = clickable(driver, "#t-number")
    box.clear()
    box.send_keys(tracking.lower())  # typed in lower case: the page normalises it
    css(driver, "#t-submit").click()
    present(driver, f'#track-result[data-tracking="{tracking}"]')
    return visible(driver, "#track-status").text


def public_report(base, tracking):
    status, body = call(base, "GET", f"/api/v1/public/reports/{tracking}")
    assert status == 200, (status, body)
    return body


def server_log_path(request):
    """The server's log file when the session exposes it (fixture `server_log`), else None."""
    try:
        value = request.getfixturevalue("server_log")
    except pytest.FixtureLookupError:
        return None
    return str(value) if value else None


# ---- tests ----------------------------------------------------------------------------------


def test_citizen_report_reaches_the_center_and_is_followed_to_the_rating(server, driver, api_for, admin_api, tmp_path):
    worker, county, bureau = api_for("wanggeyuan"), api_for("zhongxin"), api_for("gongan")
    lat, lon, grid, names = point_in_unit_grid(worker, admin_api)
    tag = uuid.uuid4().hex[:8]

    # 随手拍 at a phone's width, without an account: item, a big photo, typed position, description
    open_citizen(driver, server)
    fill_report(driver, lat, lon, f"公交站旁有个无人看管的行李箱 {tag}", photo=big_png(tmp_path / "现场.png"))
    tracking, serial = submit_report(driver)
    assert css(driver, "#done-grid").text in names  # the unit grid, or its community
    assert css(driver, "#done-status").text == "已上报"
    wait(driver).until(lambda d: css(d, "#report-done").get_attribute("data-photos") == "sent")
    driver.save_screenshot(SHOT)

    # the county center: 事件, filtered by source 群众随手拍, lists it by its serial
    driver.set_window_size(1280, 900)
    driver.get(server + "/center/")
    visible(driver, "#username").send_keys("zhongxin")
    css(driver, "#password").send_keys(PASSWORD)
    css(driver, "#login-button").click()
    visible(driver, "#app-view")
    clickable(driver, "#nav-events").click()
    present(driver, "#queue-table[data-loaded]")
    before = css(driver, "#queue-table").get_attribute("data-loaded")
    present(driver, '#f-source option[value="citizen"]')
    Select(css(driver, "#f-source")).select_by_value("citizen")
    css(driver, '#queue-filters button[type="submit"]').click()
    wait(driver).until(lambda d: css(d, "#queue-table").get_attribute("data-loaded") != before)
    row = wait(driver).until(lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "#queue-rows tr.event-row")
                                             if serial in r.text), None))
    assert ITEM_NAME in row.text and "已上报" in row.text
    event_id = int(row.get_attribute("data-id"))

    event = county.get(f"/api/v1/events/{event_id}")["event"]
    assert event["source"] == "citizen" and event["trackingNumber"] == tracking and event["grid"] == grid
    assert tag in event["description"]
    # the photo arrived as a JPEG no larger than 1600 px
    photos = county.get(f"/api/v1/events/{event_id}/attachments")["items"]
    assert len(photos) == 1 and photos[0]["contentType"] == "image/jpeg"
    status, data = call(server, "GET", f"/api/v1/attachments/{photos[0]['id']}", token=county.token, raw=True)
    assert status == 200 and jpeg_size(data) == (1600, 800)

    # the citizen follows it: 已上报
    open_citizen(driver, server)
    assert track(driver, tracking) == "已上报"
    assert ITEM_NAME in css(driver, "#track-result").text
    assert not driver.find_elements(By.ID, "rate-form")

    # the loop, through the API: accept, dispatch to the bureau, sign, handle, verify
    department = bureau.get("/api/v1/auth/me")["account"]["department"]
    assert department["id"] in {d["id"] for d in county.get("/api/v1/departments")["items"]}
    act(county, event_id, "accept")
    act(county, event_id, "dispatch", {"to": f"department:{department['id']}", "note": f"请派员核查 {tag}"})
    act(bureau, event_id, "sign")
    act(bureau, event_id, "handle", {"note": f"民警到场开箱检查，系乘客遗失物品，已联系失主 {tag}"})
    act(county, event_id, "verify_pass")
    assert county.get(f"/api/v1/events/{event_id}")["event"]["status"] == "closed"

    # nothing personal in the public answer, now that the timeline has actors and notes
    public = public_report(server, tracking)
    leaked = keys_of(public) & PERSONAL
    assert not leaked, leaked
    assert tag not in json.dumps(public, ensure_ascii=False)  # neither the description nor the operators' notes
    assert public["status"] == "closed" and public["canRate"] is True

    # 已办结 on the page (the old answer is not cached), and a 5-star rating
    driver.refresh()
    assert track(driver, tracking) == "已办结"
    visible(driver, "#rate-form")
    assert css(driver, "#rate-submit").get_attribute("disabled")
    clickable(driver, '#rate-form .star[data-value="5"]').click()
    assert len(driver.find_elements(By.CSS_SELECTOR, "#rate-form .star.on")) == 5
    clickable(driver, "#rate-submit").click()
    rated = visible(driver, "#track-rated")
    assert "★★★★★" in rated.text and "非常满意" in rated.text
    assert not driver.find_elements(By.ID, "rate-form")
    answer = public_report(server, tracking)
    assert answer["satisfaction"] == 5 and answer["canRate"] is False
    assert county.get(f"/api/v1/events/{event_id}")["event"]["satisfaction"] == 5

    # 本机上报记录 remembers the number on this phone
    present(driver, f'#mine-list .mine-open[data-tracking="{tracking}"]')

    assert js_errors(driver) == []


def citizen_report(base, item, lat, lon, text):
    """A report through the public API, as the page sends it; returns the answer."""
    req = urllib.request.Request(base + "/api/v1/public/reports", method="POST", data=json.dumps(
        {"itemCode": item, "description": text, "lat": lat, "lon": lon}).encode())
    req.add_header("Content-Type", "application/json")
    req.add_header("Idempotency-Key", str(uuid.uuid4()))
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 201
        return json.load(r)


def test_nearby_lists_public_problems_but_not_sensitive_ones(server, driver, api_for, admin_api):
    lat, lon, _, _ = point_in_unit_grid(api_for("wanggeyuan"), admin_api)
    tag = uuid.uuid4().hex[:8]
    citizen_report(server, "0402", lat + 0.0003, lon, f"垃圾桶满了没人清 {tag}")  # 暴露垃圾: public
    citizen_report(server, ITEM, lat - 0.0003, lon, f"有人在小区门口转悠 {tag}")  # 治安隐患: not shown to the public
    catalog = call(server, "GET", "/api/v1/public/catalog")[1]
    sensitive = {i["name"] for i in catalog["items"] if i["categoryCode"] == CATEGORY}

    status, nearby = call(server, "GET", f"/api/v1/public/nearby?lat={lat}&lon={lon}")
    assert status == 200 and not keys_of(nearby) & PERSONAL
    assert tag not in json.dumps(nearby, ensure_ascii=False)

    # the position from the phone (geolocation, emulated): the list loads by itself
    open_citizen(driver, server, "#nearby")
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server, "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": 25})
    clickable(driver, '#n-position [data-role="locate"]').click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, '#n-position [data-role="status"]'), "精度约 25 米"))
    assert abs(float(css(driver, "#n-lat").get_attribute("value")) - lat) < 1e-5
    present(driver, "#n-list[data-loaded]")
    items = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#n-list .nearby-item")]
    assert any("暴露垃圾" in t for t in items), items
    assert not any(name in t for t in items for name in sensitive), items
    assert not any(tag in t for t in items)
    assert len(items) == len(nearby["items"])
    # the map, loaded only now, shows them as markers
    assert not driver.execute_script("return !!window.L")
    clickable(driver, '#n-position [data-role="map-toggle"]').click()
    present(driver, '#n-position [data-role="map"][data-ready]')
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#n-position path.nearby-marker")) == len(items))
    present(driver, "#n-position path.pick-marker")
    assert js_errors(driver) == []


def test_a_lost_answer_and_a_double_tap_make_one_report(server, driver, api_for, admin_api):
    county = api_for("zhongxin")
    lat, lon, _, _ = point_in_unit_grid(api_for("wanggeyuan"), admin_api)
    tag = uuid.uuid4().hex[:8]
    open_citizen(driver, server)
    fill_report(driver, lat, lon - 0.0002, f"路口井盖松动 {tag}")
    # The first answer is lost on the way back (the report was stored); the form is sent twice at once.
    driver.execute_script("""
        const real = window.fetch;
        window.sentKeys = [];
        window.fetch = async (url, init = {}) => {
          const creates = init.method === 'POST' && String(url).endsWith('/api/v1/public/reports');
          if (creates) window.sentKeys.push(init.headers['Idempotency-Key']);
          const response = await real(url, init);
          if (creates && window.sentKeys.length === 1) throw new TypeError('Failed to fetch');
          return response;
        };
        const form = document.getElementById('report-form');
        form.requestSubmit();
        form.requestSubmit();""")
    assert "网络" in visible(driver, "#r-error").text
    tracking, serial = submit_report(driver)  # the citizen taps again
    keys = driver.execute_script("return window.sentKeys")
    assert len(keys) == 2 and keys[0] == keys[1] and re.fullmatch(r"[0-9a-f-]{36}", keys[0])
    mine = [e for e in county.get("/api/v1/events?source=citizen&pageSize=200")["items"] if tag in e["description"]]
    assert [(e["trackingNumber"], e["serial"]) for e in mine] == [(tracking, serial)]
    # 再报一件: a new form, and a new key for it
    clickable(driver, "#done-again").click()
    visible(driver, "#report-form")
    assert css(driver, "#r-description").get_attribute("value") == ""
    assert js_errors(driver) == []


def test_the_page_says_what_is_missing_or_refused(server, driver):
    open_citizen(driver, server)
    present(driver, "#report-form[data-ready]")
    clickable(driver, "#r-submit").click()
    for field in ("itemCode", "lat", "description"):
        visible(driver, f'#report-form .field-error[data-field="{field}"]')
    assert css(driver, "#report-done").get_attribute("hidden") is not None

    # a second code within the minute: 429, its message next to the phone number
    phone = "137" + str(uuid.uuid4().int)[:8]
    assert call(server, "POST", "/api/v1/public/phone-codes", {"phone": phone})[0] == 204
    css(driver, "#r-phone").send_keys(phone)
    clickable(driver, "#r-send-code").click()
    error = visible(driver, '#report-form .field-error[data-field="phone"]')
    assert "秒后再试" in error.text
    assert css(driver, "#r-code-row").get_attribute("hidden") is not None

    clickable(driver, "#tab-track").click()
    visible(driver, "#t-number").send_keys("ABCD-EFGH-JKMN")
    css(driver, "#t-submit").click()
    error = visible(driver, '#track-form .field-error[data-field="trackingNumber"]')
    assert error.text
    assert css(driver, "#t-number").get_attribute("value") == "ABCDEFGHJKMN"
    assert js_errors(driver) == []


def test_phone_for_follow_up_needs_the_sms_code(server, driver, api_for, admin_api, request):
    lat, lon, _, _ = point_in_unit_grid(api_for("wanggeyuan"), admin_api)
    phone = "139" + str(uuid.uuid4().int)[:8]
    tag = uuid.uuid4().hex[:8]
    open_citizen(driver, server)
    fill_report(driver, lat + 0.0001, lon, f"楼道口有人反复徘徊张望 {tag}", phone=phone)
    clickable(driver, "#r-send-code").click()
    visible(driver, "#r-code-row")
    assert phone[-4:] in css(driver, "#r-code-sent").text and phone not in css(driver, "#r-code-sent").text
    assert css(driver, "#r-send-code").get_attribute("disabled")  # no second code before the countdown ends

    # a wrong code: refused next to the code (or phone) field, nothing created
    css(driver, "#r-code").send_keys("000000")
    clickable(driver, "#r-submit").click()
    error = wait(driver).until(lambda d: next((e for e in d.find_elements(
        By.CSS_SELECTOR, '#report-form .field-error[data-field="code"], #report-form .field-error[data-field="phone"]')
        if e.is_displayed()), None))
    assert error.text
    assert css(driver, "#report-done").get_attribute("hidden") is not None

    # the right code, from the logging SMS gateway's line in the server log (when the session exposes the log)
    log_path = server_log_path(request)
    if log_path:
        masked = f"{phone[:3]}****{phone[-4:]}"

        def code_from_log(_):
            with open(log_path, encoding="utf-8", errors="replace") as f:
                lines = [line for line in f if masked in line]
            found = re.findall(r"(?<!\d)(\d{4,8})(?!\d)", lines[-1].split(masked, 1)[1]) if lines else []
            return found[0] if found else None

        code = wait(driver).until(code_from_log)
        box = css(driver, "#r-code")
        box.clear()
        box.send_keys(code)
        tracking, _ = submit_report(driver)
        public = public_report(server, tracking)
        assert phone not in json.dumps(public) and not keys_of(public) & PERSONAL
    assert js_errors(driver) == []
