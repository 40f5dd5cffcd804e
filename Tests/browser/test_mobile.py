"""The grid worker's phone app at /m/ (网格通) in a phone-sized headless Chromium.

Offline is real: the network is cut through the driver (CDP Network.emulateNetworkConditions), the
report waits in the phone's outbox (IndexedDB) behind the 待发送 badge, and arrives exactly once when
the network returns. Each write carries an Idempotency-Key; a double tap and a lost answer (the
request reached the server, the answer did not reach the phone) must not create a second event.
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
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PASSWORD
from test_events import call, point_in_own_grid, post

TIMEOUT = 20
SYNC_TIMEOUT = 45  # the outbox retries with back-off (2 s … 32 s) besides the `online` event
MINE = "/api/v1/events?reporter=me&pageSize=1"
FIRST_LOAD = "/tmp/wangge-mobile-first-load.json"


# ---- helpers --------------------------------------------------------------------------------


def wait(driver, timeout=TIMEOUT):
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def present(driver, selector, timeout=TIMEOUT):
    return wait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))


def visible(driver, selector, timeout=TIMEOUT):
    return wait(driver, timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def clickable(driver, selector):
    return wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def tap(driver, target):
    """Clicks an element (or selector) after scrolling it to the middle, clear of the fixed tab bar."""
    node = clickable(driver, target) if isinstance(target, str) else target
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", node)
    node.click()
    return node


# Network failures while offline; and headless Chromium's own network location provider, which
# cannot reach Google from here when a test leaves geolocation to the browser.
EXPECTED_OFFLINE = ("Failed to load resource", "ERR_INTERNET_DISCONNECTED", "Network location provider")


def js_errors(driver):
    """SEVERE console entries, except the network failures expected while offline."""
    return [e for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and not any(x in e["message"] for x in EXPECTED_OFFLINE)]


def phone(driver):
    driver.set_window_size(412, 860)
    return driver


def network(driver, online):
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def go(driver, view):
    driver.execute_script("location.hash = arguments[0]", f"#/{view}")
    return present(driver, f'#view-{view.split("/")[0]}[data-ready]')


def login(driver, base, username):
    phone(driver).get(base + "/m/")
    visible(driver, "#username").send_keys(username)
    css(driver, "#password").send_keys(PASSWORD)
    css(driver, "#login-button").click()
    visible(driver, "#app-view")
    present(driver, "#view-today[data-ready]")


def count(api):
    return api.get(MINE)["total"]


def gps(driver, base, lat, lon, accuracy):
    """The phone's position, through CDP: permission granted and the position overridden."""
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": base, "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": accuracy})


def fill_report(driver, item, lat, lon, text, photo=None, manual=True):
    """Fills 上报 (the view must be open): the item, a photo, the position (typed by hand unless
    `manual` is false: then from the phone's GPS), the description."""
    form = present(driver, "#report-form")
    Select(css(driver, "#report-category")).select_by_value(item[:2])
    Select(css(driver, "#report-item")).select_by_value(item)
    if photo:
        css(driver, "#report-photos").send_keys(photo)
        wait(driver).until(lambda d: css(d, "#report-photos-list").get_attribute("data-count") == "1")
    if manual:
        if not css(driver, "#pos-manual").get_attribute("open"):  # opened already when the phone cannot locate
            tap(driver, "#pos-manual summary")
        css(driver, "#pos-lat").send_keys(f"{lat:.7f}")
        css(driver, "#pos-lon").send_keys(f"{lon:.7f}")
        tap(driver, "#report-description")  # leaving the coordinates sets the position
    wait(driver).until(lambda d: css(d, "#pos-status").get_attribute("data-source") == ("manual" if manual else "gps"))
    css(driver, "#report-description").send_keys(text)
    return form.get_attribute("data-key")


def badge_pending(driver):
    b = css(driver, "#outbox-badge")
    return b.text if b.is_displayed() else ""


def outbox_empty(driver):
    return not css(driver, "#outbox-badge").is_displayed()


def big_png(path, width=2400, height=1800):
    """A valid PNG larger than the app's 1600 px limit (stripes, so that it compresses well)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + (b"\x1d\x4e\xd8" if y // 100 % 2 else b"\xf5\x9e\x0b") * width for y in range(height))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return str(path)


def download(api, path):
    req = urllib.request.Request(api.base + path)
    req.add_header("Authorization", f"Bearer {api.token}")
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers.get("Content-Type"), r.read()


def jpeg_size(data):
    """(width, height) from a JPEG's SOF marker."""
    assert data[:3] == b"\xff\xd8\xff"
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    pytest.fail("no SOF marker in the JPEG")


def mine(api, tag):
    """My reports whose description carries `tag`."""
    return [e for e in api.get("/api/v1/events?reporter=me&pageSize=200")["items"] if tag in e["description"]]


# ---- tests ----------------------------------------------------------------------------------


def test_report_filed_offline_arrives_once_with_its_photo(server, driver, api_for, tmp_path):
    worker = api_for("wanggeyuan")
    lat, lon, grid = point_in_own_grid(worker)
    tag = uuid.uuid4().hex[:8]
    before = count(worker)

    login(driver, server, "wanggeyuan")
    assert css(driver, "#grid-name").text == worker.get("/api/v1/auth/me")["territory"]["name"]
    go(driver, "report")
    network(driver, online=False)
    try:
        wait(driver).until(lambda d: css(d, "#net-state").is_displayed())
        fill_report(driver, "0404", lat, lon, f"人行道垃圾堆积 {tag}", big_png(tmp_path / "现场.png"))
        wait(driver).until(EC.text_to_be_present_in_element((By.ID, "pos-grid"), "离线"))
        tap(driver, "#report-submit")
        wait(driver).until(lambda d: badge_pending(d) == "待发送 1")
        assert "联网后自动发送" in css(driver, "#report-message").text
        present(driver, '#report-done li[data-state="pending"]')
        # it waits on the phone: nothing has reached the server
        assert count(worker) == before
        # 我的上报 offline: the queued report, and no list from the server yet (none was ever read)
        go(driver, "mine")
        assert "待发送" in present(driver, "#mine-waiting li.queued").text
    finally:
        network(driver, online=True)

    wait(driver, SYNC_TIMEOUT).until(outbox_empty)
    assert count(worker) == before + 1
    [event] = mine(worker, tag)
    assert event["source"] == "grid_app" and event["grid"] == grid and event["itemCode"] == "0404"
    # the photo followed the report: a JPEG no larger than 1600 px
    [photo] = worker.get(f"/api/v1/events/{event['id']}/attachments")["items"]
    kind, data = download(worker, f"/api/v1/attachments/{photo['id']}")
    assert kind == "image/jpeg" and max(jpeg_size(data)) == 1600
    # the send record says 已发送, with the serial
    go(driver, "outbox")
    sent = present(driver, "#outbox-list li[data-state='sent']")
    assert "已发送" in sent.text and event["serial"] in sent.text
    # 我的上报 now lists it from the server
    go(driver, "mine")
    present(driver, f'#mine-list li[data-id="{event["id"]}"]')
    assert not driver.find_elements(By.CSS_SELECTOR, "#mine-waiting li")
    assert js_errors(driver) == []


def test_double_submit_creates_one_event(server, driver, api_for):
    worker = api_for("wanggeyuan")
    lat, lon, grid = point_in_own_grid(worker)
    tag = uuid.uuid4().hex[:8]
    before = count(worker)

    login(driver, server, "wanggeyuan")
    gps(driver, server, lat, lon, 15)
    go(driver, "report")
    key = fill_report(driver, "0409", lat, lon, f"夜市露天烧烤 {tag}", manual=False)
    assert "±15 米" in css(driver, "#pos-status").text
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "pos-grid"), "所在网格"))
    assert css(driver, "#pos-grid").get_attribute("data-code") == grid
    # a double tap: two submits of the same form before the first has been handled
    driver.execute_script("const f = document.getElementById('report-form'); f.requestSubmit(); f.requestSubmit();")
    present(driver, f'#report-done li[data-key="{key}"][data-state="sent"]', SYNC_TIMEOUT)
    wait(driver).until(outbox_empty)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#report-done li")) == 1
    assert count(worker) == before + 1 and len(mine(worker, tag)) == 1
    # the form is ready for the next report, under a new key
    assert css(driver, "#report-form").get_attribute("data-key") != key
    assert css(driver, "#report-description").get_attribute("value") == ""
    assert js_errors(driver) == []


def test_a_lost_answer_is_retried_under_the_same_key(server, driver, api_for):
    """The report reaches the server but its answer is lost: the retry carries the same
    Idempotency-Key and the server answers it without creating a second event."""
    worker = api_for("wanggeyuan")
    lat, lon, _ = point_in_own_grid(worker)
    tag = uuid.uuid4().hex[:8]
    before = count(worker)

    login(driver, server, "wanggeyuan")
    go(driver, "report")
    fill_report(driver, "0404", lat, lon, f"路面油污 {tag}")
    driver.execute_script("""
      const real = window.fetch;
      window.__keys = [];
      window.fetch = async (input, init = {}) => {
        const report = init.method === 'POST' && String(input) === '/api/v1/events';
        if (report) window.__keys.push(init.headers['Idempotency-Key']);
        const response = await real(input, init);
        if (report && window.__keys.length === 1) throw new TypeError('Failed to fetch');  // the answer is lost
        return response;
      };""")
    tap(driver, "#report-submit")
    wait(driver, SYNC_TIMEOUT).until(lambda d: d.execute_script("return window.__keys.length") >= 2)
    wait(driver, SYNC_TIMEOUT).until(outbox_empty)
    keys = driver.execute_script("return window.__keys")
    assert len(set(keys)) == 1 and keys[0]
    assert count(worker) == before + 1, "the retry of a report under the same Idempotency-Key created a second event"
    [event] = mine(worker, tag)
    present(driver, "#report-done li[data-state='sent']")
    assert event["serial"] in css(driver, "#report-done").text
    assert js_errors(driver) == []


def test_app_shell_opens_offline_with_the_last_lists(server, driver):
    phone(driver).get(server + "/m/")
    visible(driver, "#login-form")
    # the first load, before any service worker: everything the login screen needed
    size = driver.execute_script("""
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      return {page: nav.transferSize, files: res.map(r => [r.name.replace(location.origin, ''), r.transferSize])};""")
    first_bytes = size["page"] + sum(n for _, n in size["files"])
    wait(driver).until(lambda d: d.execute_script("return document.documentElement.dataset.sw") == "controlled")
    cached = driver.execute_async_script("""
      const done = arguments[arguments.length - 1];
      caches.keys().then(async (names) => {
        const c = await caches.open(names.find((n) => n.startsWith('wangge-m-')));
        done((await c.keys()).map((r) => new URL(r.url).pathname));
      });""")
    assert {"/m/", "/m/app.css", "/m/js/app.js", "/m/js/report.js", "/m/manifest.webmanifest"} <= set(cached)
    assert not any(p.startswith("/api/") for p in cached)
    # installable: manifest, icons and a service worker that answers fetches
    assert driver.execute_cdp_cmd("Page.getInstallabilityErrors", {})["installabilityErrors"] == []
    manifest = driver.execute_cdp_cmd("Page.getAppManifest", {})
    assert manifest["errors"] == [] and json.loads(manifest["data"])["name"] == "网格通"

    css(driver, "#username").send_keys("wanggeyuan")
    css(driver, "#password").send_keys(PASSWORD)
    css(driver, "#login-button").click()
    present(driver, "#view-today[data-ready]")
    wait(driver).until(lambda d: d.execute_script("return document.documentElement.dataset.catalog") == "cached")
    after_login = driver.execute_script(
        "return performance.getEntriesByType('resource').map(r => [r.name.replace(location.origin, ''), r.transferSize])")
    with open(FIRST_LOAD, "w") as f:
        json.dump({"loginScreenBytes": first_bytes, "loginScreen": size, "afterLogin": after_login}, f, ensure_ascii=False, indent=1)
    print(f"\nfirst load of /m/ (login screen): {first_bytes} bytes transferred")
    assert first_bytes < 60_000

    network(driver, online=False)
    try:
        driver.refresh()
        visible(driver, "#app-view")
        present(driver, "#view-today[data-ready]")
        assert "离线" in css(driver, "#view-today .stale").text
        assert css(driver, "#net-state").is_displayed()
        assert driver.execute_script("return !!navigator.serviceWorker.controller")
        # the page itself really is offline
        assert driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; fetch('/api/v1/meta').then(() => done('online'), () => done('offline'));"
        ) == "offline"
        # views not opened before are on the phone too
        go(driver, "report")
        present(driver, "#report-form")
    finally:
        network(driver, online=True)
    assert js_errors(driver) == []


def dispatched_to_grid(api_for, tag):
    """An event the street has dispatched down to the worker's grid, and who may act on it there:
    (event, account name, its Api). It is in the grid's 今日工作 for the worker and the leader; who
    may act for the grid's center is the server's rule (today the grid leader only)."""
    worker, street = api_for("wanggeyuan"), api_for("jiedao")
    lat, lon, grid = point_in_own_grid(worker)
    # 道路不洁 is accepted by the street, which dispatches it down to the grid
    event = post(worker, "/api/v1/events", {"itemCode": "0404", "description": f"小区门口建筑垃圾 {tag}",
                                            "lat": lat, "lon": lon})["event"]
    post(street, f"/api/v1/events/{event['id']}/actions/accept", {})
    post(street, f"/api/v1/events/{event['id']}/actions/dispatch", {"to": f"center:{grid}", "note": "请网格处理"})
    today = "/api/v1/events?holder=mine&status=dispatched,signed,accepted,reported&pageSize=100"
    assert event["id"] in [e["id"] for e in worker.get(today)["items"]]
    actor = "wanggeyuan" if "sign" in worker.get(f"/api/v1/events/{event['id']}")["allowedActions"] else "wangzhang"
    return event, actor, api_for(actor)


def test_sign_and_feed_back_on_an_event_sent_to_the_grid(server, driver, api_for, tmp_path):
    tag = uuid.uuid4().hex[:8]
    event, actor, api = dispatched_to_grid(api_for, tag)

    login(driver, server, actor)
    card = present(driver, f'#today-list li[data-id="{event["id"]}"]')
    assert tag in card.text and "已派遣" in card.text
    tap(driver, card.find_element(By.CSS_SELECTOR, "a"))
    present(driver, f'#event-serial[data-id="{event["id"]}"][data-status="dispatched"]')
    offered = {b.get_attribute("data-action") for b in driver.find_elements(By.CSS_SELECTOR, "#event-actions [data-action]")}
    assert offered == set(api.get(f"/api/v1/events/{event['id']}")["allowedActions"]) & {"sign", "handle", "request_extension"}

    tap(driver, '#event-actions button[data-action="sign"]')
    present(driver, '#event-serial[data-status="signed"]', SYNC_TIMEOUT)
    present(driver, '#event-timeline li[data-action="sign"]')

    # the feedback is given where there is no network: photo first, then 处置反馈 with its id
    network(driver, online=False)
    try:
        tap(driver, '#event-actions button[data-action="handle"]')
        present(driver, '#action-form[data-action="handle"]')
        tap(driver, "#action-submit")  # 处置反馈 needs a note: nothing is queued
        wait(driver).until(EC.text_to_be_present_in_element((By.ID, "event-message"), "须填写说明"))
        css(driver, "#action-note").send_keys(f"已联系物业清运完毕 {tag}")
        css(driver, "#action-photos").send_keys(big_png(tmp_path / "处置.png", 800, 600))
        wait(driver).until(lambda d: css(d, "#action-photos-list").get_attribute("data-count") == "1")
        tap(driver, "#action-submit")
        wait(driver).until(lambda d: badge_pending(d) == "待发送 1")
        assert "联网后自动发送" in css(driver, "#event-message").text
        assert api.get(f"/api/v1/events/{event['id']}")["event"]["status"] == "signed"
    finally:
        network(driver, online=True)
    present(driver, '#event-serial[data-status="handled"]', SYNC_TIMEOUT)
    wait(driver).until(outbox_empty)

    detail = api.get(f"/api/v1/events/{event['id']}")
    assert detail["event"]["status"] == "handled"
    handle = [s for s in detail["timeline"] if s["action"] == "handle"]
    assert len(handle) == 1 and tag in handle[0]["note"] and len(handle[0]["attachments"]) == 1
    assert handle[0]["attachments"][0] in [a["id"] for a in api.get(f"/api/v1/events/{event['id']}/attachments")["items"]]
    assert js_errors(driver) == []


def test_a_refused_write_shows_the_servers_reason(server, driver, api_for):
    tag = uuid.uuid4().hex[:8]
    event, actor, api = dispatched_to_grid(api_for, tag)
    login(driver, server, actor)
    go(driver, f"event/{event['id']}")
    network(driver, online=False)
    try:
        tap(driver, '#event-actions button[data-action="sign"]')
        wait(driver).until(lambda d: badge_pending(d) == "待发送 1")
        assert "签收" in present(driver, "#event-queued").text
        # meanwhile someone else signs for it (the API is not behind the phone's cut network)
        post(api, f"/api/v1/events/{event['id']}/actions/sign", {})
    finally:
        network(driver, online=True)
    failed = visible(driver, "#outbox-failed", SYNC_TIMEOUT)
    assert failed.text == "失败 1" and outbox_empty(driver)
    status, refusal = call(api, "POST", f"/api/v1/events/{event['id']}/actions/sign", {})
    assert status == 409
    tap(driver, failed)
    item = present(driver, "#outbox-list li[data-state='failed']")
    assert "失败" in item.text and refusal["error"]["message"] in item.text
    tap(driver, item.find_element(By.CSS_SELECTOR, "button"))  # 放弃
    wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#outbox-list li[data-state='failed']"))
    assert not css(driver, "#outbox-failed").is_displayed()
    assert js_errors(driver) == []


def test_unknown_door_plate_code(server, driver, api_for):
    """A code no house has is answered plainly (lookups of real houses: test_mobile_registers.py)."""
    worker = api_for("wanggeyuan")
    status, _ = call(worker, "GET", "/api/v1/houses/by-code/QR-520399-000123")
    assert status == 404
    login(driver, server, "wanggeyuan")
    go(driver, "house")
    css(driver, "#house-code").send_keys("QR-520399-000123")
    tap(driver, "#house-submit")
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), "未找到门牌"))
    # no camera scanning where the browser cannot decode QR codes
    has_detector = driver.execute_script("return 'BarcodeDetector' in window")
    assert bool(driver.find_elements(By.ID, "house-scan")) == bool(has_detector and driver.execute_script(
        "return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)"))
    assert js_errors(driver) == []
