"""扫门牌 in the grid worker's phone app (/m/): a house found by its door-plate code (typed, or the
plate's URL opened directly), its residents with masked numbers, and 登记人员 from the house —
online with the server's field errors beside the fields, offline through the outbox under one
Idempotency-Key. BarcodeDetector cannot be driven headless; the parsing of what a QR code holds
is tested as a unit in the page.
"""
import random
import re
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import PASSWORD
from test_mobile import (SYNC_TIMEOUT, badge_pending, css, go, js_errors, login, network, outbox_empty, phone,
                         present, tap, visible, wait)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂兰"


# ---- helpers --------------------------------------------------------------------------------


def id_number(rng=random):
    """A valid GB 11643 resident ID number (清溪县 520399, born 1950–2005)."""
    body = f"520399{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def wrong_check(number):
    """The same number with a wrong check character."""
    return number[:17] + next(c for c in "0123456789X" if c != number[17])


def a_name():
    return random.choice(SURNAMES) + "".join(random.choices(GIVEN, k=2))


def a_phone():
    return "139" + "".join(random.choices("0123456789", k=8))


def house_with_residents(worker):
    """A dwelling of the worker's grid with at least one resident shown: (house card from the API)."""
    for house in worker.get("/api/v1/houses?limit=200")["items"]:
        if house["use"] != "01":
            continue
        card = worker.get(f"/api/v1/houses/by-code/{house['code']}")
        if any(r["current"] and r["person"] for r in card["residents"]):
            return card
    raise AssertionError("no dwelling with residents in the worker's grid")


def house_outside(api_for, worker):
    """A house the county sees that is outside the worker's grid."""
    own = worker.get("/api/v1/auth/me")["territory"]["code"]
    county = api_for("zhongxin")
    total = county.get("/api/v1/houses?limit=1")["total"]
    for house in county.get(f"/api/v1/houses?limit=200&offset={total // 2}")["items"]:
        if not house["grid"].startswith(own):
            return house
    raise AssertionError("no house outside the worker's grid")


def page_text(driver):
    return driver.execute_script("return document.body.innerText")


def open_house(driver, code):
    go(driver, "house")
    css(driver, "#house-code").send_keys(code)
    tap(driver, "#house-submit")
    return present(driver, f'#view-house[data-ready] #house-card[data-code="{code}"]')


def choose(driver, group, value):
    """Taps a choice of a segmented radio group (#person-kind, #person-residenceRole)."""
    radio = css(driver, f'#person-{group} input[value="{value}"]')
    tap(driver, radio.find_element(By.XPATH, ".."))
    assert radio.is_selected()


def field_error(driver, field):
    """The error shown under a field of the person form, and whether it sits in that field's box."""
    error = visible(driver, f"#person-{field}-error")
    box = error.find_element(By.XPATH, "..")
    assert box.get_attribute("data-field") == field and box.find_elements(By.ID, f"person-{field}")
    return error.text


def fill_person(driver, name, number, kind="registered", phone_number=None, role="resident", moved_in=None):
    present(driver, "#person-form")
    css(driver, "#person-name").clear()
    css(driver, "#person-name").send_keys(name)
    choose(driver, "kind", kind)
    if kind == "floating":
        Select(visible(driver, "#person-inflowReason")).select_by_value("01")  # 务工
    css(driver, "#person-certificateNumber").clear()
    css(driver, "#person-certificateNumber").send_keys(number)
    if phone_number:
        css(driver, "#person-phone").clear()
        css(driver, "#person-phone").send_keys(phone_number)
    choose(driver, "residenceRole", role)
    if moved_in:
        driver.execute_script("arguments[0].value = arguments[1]", css(driver, "#person-movedIn"), moved_in)


def people(api, number):
    return api.get(f"/api/v1/people?q={number}")["items"]


def residence(api, code, person_id):
    card = api.get(f"/api/v1/houses/by-code/{code}")
    return [r for r in card["residents"] if r["current"] and r["person"] and r["person"]["id"] == person_id]


# ---- tests ----------------------------------------------------------------------------------


def test_house_found_by_typed_code_shows_residents_masked(server, driver, api_for):
    worker = api_for("wanggeyuan")
    card = house_with_residents(worker)
    house = card["house"]

    login(driver, server, "wanggeyuan")
    assert css(driver, '.tabbar a[data-view="house"]').text == "扫门牌"
    go(driver, "house")
    assert "房屋登记功能尚未开通" not in page_text(driver)
    # typed as a phone keyboard might give it: lower case, with spaces around
    css(driver, "#house-code").send_keys(f"  {house['code'].lower()} ")
    tap(driver, "#house-submit")
    present(driver, f'#house-card[data-code="{house["code"]}"]')
    assert driver.execute_script("return location.hash") == f"#/house/{house['code']}"
    assert css(driver, "#house-address").text == house["address"]
    facts = css(driver, "#house-facts").text
    assert house["code"] in facts and card["building"]["name"] in facts

    current = [r for r in card["residents"] if r["current"] and r["person"]]
    shown = driver.find_elements(By.CSS_SELECTOR, "#house-residents li.resident[data-person-id]")
    assert {li.get_attribute("data-person-id") for li in shown} == {str(r["person"]["id"]) for r in current}
    for r in current:
        li = css(driver, f'#house-residents li[data-person-id="{r["person"]["id"]}"]')
        assert r["person"]["name"] in li.text and r["roleLabel"] in li.text
        # the numbers as the server masked them, never anything more
        assert css(li, ".masked.cert").text == r["person"]["certificateNumber"] and "*" in r["person"]["certificateNumber"]
        if r["person"].get("phone"):
            assert css(li, ".masked.phone").text == r["person"]["phone"]
    past = [r for r in card["residents"] if not r["current"]]
    assert bool(driver.find_elements(By.ID, "house-moved-out")) == bool(past)
    assert not FULL_ID.search(page_text(driver)) and not FULL_ID.search(driver.page_source)
    assert js_errors(driver) == []


def test_the_plates_url_opens_the_house_after_login(server, driver, api_for):
    worker = api_for("wanggeyuan")
    house = house_with_residents(worker)["house"]
    # what the phone's own camera app opens: the plate's URL, before anyone has logged in
    phone(driver).get(f"{server}/m/#house/{house['code']}")
    assert house["code"] in visible(driver, "#login-notice").text
    css(driver, "#username").send_keys("wanggeyuan")
    css(driver, "#password").send_keys(PASSWORD)
    css(driver, "#login-button").click()
    present(driver, f'#view-house[data-ready] #house-card[data-code="{house["code"]}"]')
    assert css(driver, "#house-address").text == house["address"]
    assert driver.execute_script("return location.hash") == f"#/house/{house['code']}"
    assert css(driver, '.tabbar a[data-view="house"]').get_attribute("aria-current") == "page"

    # logged in, another plate's URL opens that house
    other = next(h for h in worker.get("/api/v1/houses?limit=20")["items"] if h["code"] != house["code"])
    driver.get(f"{server}/m/#house/{other['code']}")
    present(driver, f'#view-house[data-ready] #house-card[data-code="{other["code"]}"]')
    assert css(driver, "#house-address").text == other["address"]
    assert js_errors(driver) == []


def test_a_house_outside_the_grid_is_not_found(server, driver, api_for):
    worker = api_for("wanggeyuan")
    outside = house_outside(api_for, worker)
    assert worker.status(f"/api/v1/houses/by-code/{outside['code']}") == 404

    login(driver, server, "wanggeyuan")
    go(driver, "house")
    css(driver, "#house-code").send_keys(outside["code"])
    tap(driver, "#house-submit")
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), "没有找到该房屋，或不在您的网格内"))
    assert not driver.find_elements(By.ID, "house-card")
    assert outside["address"] not in page_text(driver)
    # a link that is not a door plate is refused before asking the server
    css(driver, "#house-code").clear()
    css(driver, "#house-code").send_keys("https://example.com/pay?id=1")
    tap(driver, "#house-submit")
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), "门牌编码由字母"))
    assert js_errors(driver) == []


def test_add_a_person_from_the_house_then_update_them(server, driver, api_for):
    worker = api_for("wanggeyuan")
    house = house_with_residents(worker)["house"]
    number, name, mobile = id_number(), a_name(), a_phone()

    login(driver, server, "wanggeyuan")
    open_house(driver, house["code"])
    tap(driver, "#house-add-person")
    fill_person(driver, name, wrong_check(number), kind="floating", phone_number=mobile, moved_in="2026-03-01")
    tap(driver, "#person-submit")
    # the server's refusal, under 证件号码
    wait(driver).until(lambda d: d.find_element(By.ID, "person-certificateNumber-error").is_displayed())
    assert "校验码" in field_error(driver, "certificateNumber")
    assert css(driver, "#person-certificateNumber").get_attribute("aria-invalid") == "true"
    assert people(worker, number) == []

    css(driver, "#person-certificateNumber").clear()
    css(driver, "#person-certificateNumber").send_keys(number)
    tap(driver, "#person-submit")
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), f"已登记 {name}"))
    [person] = people(worker, number)
    assert person["name"] == name and person["kind"] == "floating" and person["inflowReason"] == "01"
    assert person["grid"] == house["grid"] and person["currentAddress"] == house["address"]
    [tie] = residence(worker, house["code"], person["id"])
    assert tie["role"] == "resident" and tie["movedIn"] == "2026-03-01"
    li = present(driver, f'#house-residents li.fresh[data-person-id="{person["id"]}"]')
    assert name in li.text and css(li, ".masked.cert").text == person["certificateNumber"]
    assert number not in page_text(driver) and mobile not in page_text(driver)
    assert not FULL_ID.search(page_text(driver))

    # 更新: the masked numbers are asked for again, in full, and must agree with the mask
    tap(driver, li.find_element(By.CSS_SELECTOR, "[data-edit]"))
    form = present(driver, '#person-form[data-mode="update"]')
    assert css(driver, "#person-name").get_attribute("value") == name
    assert css(driver, "#person-kind input[value=floating]").is_selected()
    assert css(driver, "#person-movedIn").get_attribute("value") == "2026-03-01"
    css(driver, "#person-certificateNumber").send_keys(id_number())
    tap(driver, "#person-submit")
    assert "不符" in field_error(driver, "certificateNumber")
    assert person["phone"] in field_error(driver, "phone")
    css(driver, "#person-certificateNumber").clear()
    css(driver, "#person-certificateNumber").send_keys(number)
    css(driver, "#person-phone").send_keys(mobile)
    choose(driver, "residenceRole", "tenant")
    tap(driver, "#person-submit")
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), f"已更新 {name}"))
    wait(driver).until(EC.staleness_of(form))
    [after] = people(worker, number)
    assert after["id"] == person["id"] and after["phone"] == person["phone"] and after["inflowReason"] == "01"
    [tie] = residence(worker, house["code"], person["id"])
    assert tie["role"] == "tenant" and tie["movedIn"] == "2026-03-01"

    # 登记人员 with the number of someone registered already: said so before their record is replaced
    tap(driver, "#house-add-person")
    fill_person(driver, name, number, kind="floating", role="owner")
    tap(driver, "#person-submit")
    assert name in visible(driver, "#person-existing").text
    assert person["phone"] in field_error(driver, "phone")
    assert css(driver, "#person-movedIn").get_attribute("value") == "2026-03-01"
    css(driver, "#person-phone").send_keys(mobile)
    tap(driver, "#person-submit")
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), f"已更新 {name}"))
    assert len(people(worker, number)) == 1
    [tie] = residence(worker, house["code"], person["id"])
    assert tie["role"] == "owner" and tie["movedIn"] == "2026-03-01"
    assert js_errors(driver) == []


def test_a_person_registered_offline_arrives_once(server, driver, api_for):
    worker = api_for("wanggeyuan")
    house = house_with_residents(worker)["house"]
    number, name = id_number(), a_name()

    login(driver, server, "wanggeyuan")
    open_house(driver, house["code"])
    # the house view keeps the code tables on the phone, for the form offline
    wait(driver).until(lambda d: d.execute_async_script("""
      const done = arguments[arguments.length - 1];
      import('/m/js/api.js').then((m) => m.peekCache('/api/v1/code-tables')).then((t) => done(!!t), () => done(false));"""))
    network(driver, online=False)
    try:
        wait(driver).until(lambda d: css(d, "#net-state").is_displayed())
        driver.refresh()
        present(driver, f'#view-house[data-ready] #house-card[data-code="{house["code"]}"]')
        assert "离线" in css(driver, "#house-result .stale").text
        tap(driver, "#house-add-person")
        # offline the phone checks what it can: a wrong check character is not queued
        fill_person(driver, name, wrong_check(number), role="owner")
        tap(driver, "#person-submit")
        assert "校验码" in field_error(driver, "certificateNumber")
        assert outbox_empty(driver)
        key = css(driver, "#person-form").get_attribute("data-key")
        css(driver, "#person-certificateNumber").clear()
        css(driver, "#person-certificateNumber").send_keys(number)
        # a double tap queues it once
        driver.execute_script("const f = document.getElementById('person-form'); f.requestSubmit(); f.requestSubmit();")
        wait(driver).until(lambda d: badge_pending(d) == "待发送 1")
        wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), "联网后自动发送"))
        assert name in present(driver, f'#house-queued li[data-key="{key}"][data-state="pending"]').text
        assert people(worker, number) == []
    finally:
        network(driver, online=True)
    wait(driver, SYNC_TIMEOUT).until(outbox_empty)
    [person] = people(worker, number)
    assert person["name"] == name and person["kind"] == "registered"
    assert len(residence(worker, house["code"], person["id"])) == 1
    # once sent, the house is shown as it is now
    present(driver, f'#house-residents li[data-person-id="{person["id"]}"]', SYNC_TIMEOUT)
    assert not driver.find_elements(By.CSS_SELECTOR, "#house-queued li")
    assert js_errors(driver) == []


def test_a_lost_answer_is_retried_under_the_same_key(server, driver, api_for):
    """The person reaches the server but the answer does not reach the phone: the form goes to the
    outbox under its key, and the retry is answered with the same person, not a second write."""
    worker = api_for("wanggeyuan")
    house = house_with_residents(worker)["house"]
    number, name = id_number(), a_name()

    login(driver, server, "wanggeyuan")
    open_house(driver, house["code"])
    tap(driver, "#house-add-person")
    fill_person(driver, name, number, phone_number=a_phone())
    driver.execute_script("""
      const real = window.fetch;
      window.__people = [];
      window.fetch = async (input, init = {}) => {
        const save = init.method === 'POST' && String(input) === '/api/v1/people';
        if (save) window.__people.push({key: init.headers['Idempotency-Key'], body: init.body});
        const response = await real(input, init);
        if (save && window.__people.length === 1) throw new TypeError('Failed to fetch');  // the answer is lost
        if (save) window.__replayed = response.headers.get('Idempotency-Replayed');
        return response;
      };""")
    tap(driver, "#person-submit")
    wait(driver, SYNC_TIMEOUT).until(lambda d: d.execute_script("return window.__people.length") >= 2)
    wait(driver, SYNC_TIMEOUT).until(outbox_empty)
    sent = driver.execute_script("return window.__people")
    assert sent[0]["key"] and len({s["key"] for s in sent}) == 1 and len({s["body"] for s in sent}) == 1
    assert driver.execute_script("return window.__replayed") == "true"
    [person] = people(worker, number)
    assert len(residence(worker, house["code"], person["id"])) == 1
    present(driver, f'#house-residents li[data-person-id="{person["id"]}"]', SYNC_TIMEOUT)
    assert js_errors(driver) == []


# A stand-in for the camera and the browser's QR reader (headless Chromium has neither): frames
# from a canvas, and a detector that sees nothing, then a QR code that is no door plate, then the plate.
FAKE_SCANNER = """
  window.__scan = {detects: 0, plate: null, stream: null, constraints: null, formats: null};
  window.BarcodeDetector = class {
    static async getSupportedFormats() { return ['qr_code', 'ean_13']; }
    constructor(options) { window.__scan.formats = options.formats; }
    async detect(source) {
      const n = ++window.__scan.detects;
      if (!(source instanceof HTMLVideoElement) || !source.srcObject) throw new TypeError('no video');
      if (n < 3 || !window.__scan.plate) return [];
      if (n < 6) return [{rawValue: 'WIFI:S:home;T:WPA;P:secret;;', format: 'qr_code'}];
      return [{rawValue: window.__scan.plate, format: 'qr_code'}];
    }
  };
  if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = async (constraints) => {
    window.__scan.constraints = constraints;
    const canvas = Object.assign(document.createElement('canvas'), {width: 320, height: 240});
    const ctx = canvas.getContext('2d');
    setInterval(() => { ctx.fillStyle = `hsl(${Date.now() % 360} 60% 50%)`; ctx.fillRect(0, 0, 320, 240); }, 100);
    return (window.__scan.stream = canvas.captureStream(10));
  };
"""


def test_scanning_a_plate_opens_its_house(server, driver, api_for):
    worker = api_for("wanggeyuan")
    house = house_with_residents(worker)["house"]
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FAKE_SCANNER})
    login(driver, server, "wanggeyuan")
    go(driver, "house")
    assert not driver.find_elements(By.CSS_SELECTOR, ".scan-hint")  # the hint is for browsers that cannot scan
    driver.execute_script("window.__scan.plate = arguments[0]", f"{server}/m/#house/{house['code']}")
    tap(driver, "#house-scan")
    visible(driver, "#house-camera video")
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "house-message"), "这不是门牌二维码"))
    present(driver, f'#view-house[data-ready] #house-card[data-code="{house["code"]}"]')
    assert css(driver, "#house-address").text == house["address"]
    scan = driver.execute_script("""
      return {formats: window.__scan.formats, facing: window.__scan.constraints.video.facingMode,
              audio: window.__scan.constraints.audio, ended: window.__scan.stream.getTracks().every((t) => t.readyState === 'ended')};""")
    assert scan == {"formats": ["qr_code"], "facing": {"ideal": "environment"}, "audio": False, "ended": True}
    # leaving the view while scanning lets go of the camera
    tap(driver, "#house-scan")
    visible(driver, "#house-camera video")
    driver.execute_script("window.__scan.plate = null")
    go(driver, "today")
    assert driver.execute_script("return window.__scan.stream.getTracks().every((t) => t.readyState === 'ended')")
    assert js_errors(driver) == []


def test_what_a_qr_code_holds_and_id_numbers_unit(server, driver):
    phone(driver).get(server + "/m/")
    visible(driver, "#login-form")
    valid = id_number(random.Random(7))
    results = driver.execute_async_script("""
      const [cases, valid, wrong] = [...arguments];
      const done = arguments[arguments.length - 1];
      Promise.all([import('/m/js/house.js'), import('/m/js/person.js')]).then(([house, person]) => done({
        codes: cases.map((c) => house.codeFrom(c)),
        valid: person.idProblem(valid), wrong: person.idProblem(wrong), short: person.idProblem('52039919900101'),
        fits: person.fitsMask(valid.toLowerCase(), valid.slice(0, 6) + '********' + valid.slice(14)),
        misfit: person.fitsMask(valid, '110101********' + valid.slice(14)),
      }), (e) => done({error: String(e)}));""", list(CODES), valid, wrong_check(valid))
    assert "error" not in results, results
    assert dict(zip(CODES, results["codes"])) == CODES
    assert results["valid"] is None and "校验码" in results["wrong"] and "18位" in results["short"]
    assert results["fits"] is True and results["misfit"] is False


CODES = {
    "http://localhost:8080/m/#house/H5203990010010010007": "H5203990010010010007",
    "https://wangge.example.gov.cn/m/#house/LD-0001-1-302": "LD-0001-1-302",
    "https://wangge.example.gov.cn/m/#/house/ld_7": "LD_7",
    "http://host/m/#house/H%2D1": "H-1",
    "  h5203990010010010007 ": "H5203990010010010007",
    "Ｈ５２０３-１": "H5203-1",  # typed with a full-width input method
    "H520 399 001": "H520399001",
    "https://example.com/some/page": None,
    "WIFI:S:home;T:WPA;P:secret;;": None,
    "http://host/m/#house/%E4": None,
    "门牌123": None,
    "": None,
    "X" * 41: None,
}
