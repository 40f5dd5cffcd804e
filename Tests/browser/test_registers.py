"""基础数据 in the command center (/center/#registers): counts, search, person/house/building cards,
audited reveal, special populations and CSV import, in a real headless Chromium against the demo county."""
import re
from urllib.parse import quote

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PASSWORD

TIMEOUT = 20
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
FULL_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
REASON = "浏览器测试核对身份"


# ---- helpers --------------------------------------------------------------------------------


def wait(driver, timeout=TIMEOUT):
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def present(driver, selector):
    return wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))


def clickable(driver, selector):
    return wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def js_errors(driver):
    return [e for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


def login(driver, base, username):
    """Logs in and waits until the grid view has selected the account's root."""
    driver.get(base + "/center/")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username")))
    css(driver, "#username").send_keys(username)
    css(driver, "#password").send_keys(PASSWORD)
    css(driver, "#login-button").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "app-view")))
    present(driver, "#detail-name[data-code]")


def open_registers(driver, code):
    """Opens 基础数据 and waits for the counts of `code`."""
    clickable(driver, "#nav-registers").click()
    present(driver, f'#reg-counts-table[data-code="{code}"]')


def open_part(driver, name):
    clickable(driver, f"#reg-tab-{name}").click()
    wait(driver).until(lambda d: css(d, f"#reg-tab-{name}").get_attribute("aria-selected") == "true")


def search(driver, text, kind=""):
    """Types into the one search box and waits for the new list; returns the ids of the people listed."""
    table = css(driver, "#reg-people-table")
    before = table.get_attribute("data-loaded")
    box = css(driver, "#reg-q")
    box.clear()
    box.send_keys(text)
    Select(css(driver, "#reg-kind")).select_by_value(kind)
    clickable(driver, '#reg-search button[type="submit"]').click()
    wait(driver).until(lambda d: (css(d, "#reg-people-table").get_attribute("data-loaded") or None) not in (None, before))
    return attrs(driver, "#reg-people-rows tr.person-row", "data-id")


def texts(driver, selector):
    """The text of every element matching `selector`, in one round trip."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.trim());", selector)


def attrs(driver, selector, name):
    """The attribute `name` of every element matching `selector`, in one round trip."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((e) => e.getAttribute(arguments[1]));", selector, name)


def open_card(driver, selector, kind, ident):
    clickable(driver, selector).click()
    return present(driver, f'#reg-card[data-kind="{kind}"][data-id="{ident}"]')


def post(api, path, payload):
    return api._call("POST", path, payload, token=api.token)


def reveal(api, person_id, field="certificateNumber"):
    return post(api, f"/api/v1/people/{person_id}/reveal", {"field": field, "reason": REASON})["value"]


def all_people(api, query=""):
    items, offset = [], 0
    while True:
        page = api.get(f"/api/v1/people?limit=200&offset={offset}{query}")
        items += page["items"]
        offset += 200
        if offset >= page["total"]:
            return items


def id_number(birth, sequence):
    """A valid 18-digit resident ID of the demo county (GB 11643 check digit)."""
    body = f"520399{birth}{sequence:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def page_fetch(driver, url):
    """(status, text) of a GET from inside the page, with the browser's session cookie."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(async r => done([r.status, await r.text()]), e => done([0, String(e)]));",
        url)


# ---- tests ----------------------------------------------------------------------------------


def test_counts_list_townships_drill_down_and_follow_the_tree(server, driver, api_for):
    leader = api_for("lingdao")  # the whole county, read only: no reveal, no import
    county = leader.get("/api/v1/auth/me")["territory"]
    expected = leader.get("/api/v1/registers/counts")
    townships = [r for r in expected["rows"] if len(r["code"]) == 12]
    assert len(townships) >= 8
    login(driver, server, "lingdao")
    open_registers(driver, county["code"])

    rows = all_css(driver, "#reg-counts-rows tr.count-row")
    assert [r.get_attribute("data-code") for r in rows] == [r["code"] for r in expected["rows"]]
    for row, t in zip(rows, expected["rows"]):
        people = int(row.find_element(By.CSS_SELECTOR, 'td[data-cat="person"]').text.replace(",", ""))
        registered = int(row.find_element(By.CSS_SELECTOR, 'td[data-cat="person:registered"]').text.replace(",", ""))
        assert t["name"] in row.text
        assert people > 0
        assert registered == t["counts"].get("person:registered", 0)
        assert people == sum(t["counts"].get(k, 0) for k in ("person:registered", "person:floating", "person:foreign"))
    headers = css(driver, "#reg-counts-head").text
    for label in ("实有人口", "户籍", "流动", "境外", "出租", "楼栋", "社区矫正", "严重精神障碍患者", "残疾人", "企业", "社会组织", "部件"):
        assert label in headers
    total = css(driver, '#reg-counts-total td[data-cat="house"]').text.replace(",", "")
    assert int(total) == expected["total"]["house"]
    assert not css(driver, "#reg-tab-import").is_displayed()  # a leader does not import

    # drill into the second township: its communities, and the breadcrumb back to the county
    town = townships[1]
    communities = leader.get(f"/api/v1/registers/counts?grid={town['code']}")["rows"]
    clickable(driver, f'#reg-counts-rows tr[data-code="{town["code"]}"] .count-drill').click()
    present(driver, f'#reg-counts-table[data-code="{town["code"]}"]')
    assert attrs(driver, "#reg-counts-rows tr.count-row", "data-code") == [c["code"] for c in communities]
    assert css(driver, "#reg-root").text == town["name"]
    community = next(c for c in communities if len(c["code"]) == 12)
    css(driver, f'#reg-counts-rows tr[data-code="{community["code"]}"] td[data-cat="person"]').click()  # the whole row drills
    present(driver, f'#reg-counts-table[data-code="{community["code"]}"]')
    grids = all_css(driver, "#reg-counts-rows tr.count-row")
    assert grids and all(len(r.get_attribute("data-code")) == 15 for r in grids)
    assert not all_css(driver, "#reg-counts-rows .count-drill")  # unit grids have nothing below
    clickable(driver, f'#reg-scope .crumb[data-code="{county["code"]}"]').click()
    present(driver, f'#reg-counts-table[data-code="{county["code"]}"]')

    # the scope follows the node selected in the grid tree
    other = townships[2]
    clickable(driver, "#nav-grid").click()
    clickable(driver, f'#tree li[data-code="{other["code"]}"] > .tree-row .tree-label').click()
    present(driver, f'#detail-name[data-code="{other["code"]}"]')
    open_registers(driver, other["code"])
    assert county["name"] in css(driver, "#reg-scope").text and other["name"] in css(driver, "#reg-scope").text

    # a leader reads the cards, but no number can be revealed
    open_part(driver, "people")
    ids = search(driver, "")
    assert ids
    open_card(driver, f'#reg-people-rows .person-open[data-id="{ids[0]}"]', "person", ids[0])
    assert not all_css(driver, ".reveal-button")
    assert "*" in css(driver, "#person-certificateNumber").text
    assert not js_errors(driver)


def test_search_by_name_prefix_is_masked_and_by_id_or_phone_is_exact(server, driver, api_for):
    operator = api_for("zhongxin")
    someone = next(p for p in operator.get("/api/v1/people?limit=50")["items"] if p.get("phone"))
    full_id = reveal(operator, someone["id"])
    full_phone = reveal(operator, someone["id"], "phone")
    assert FULL_ID.fullmatch(full_id) and FULL_PHONE.fullmatch(full_phone)
    prefix = someone["name"][0]
    expected_total = operator.get(f"/api/v1/people?q={quote(prefix)}&limit=1")["total"]

    login(driver, server, "zhongxin")
    open_registers(driver, operator.get("/api/v1/auth/me")["territory"]["code"])
    open_part(driver, "people")
    present(driver, "#reg-people-table[data-loaded]")

    ids = search(driver, prefix)
    assert len(ids) == min(50, expected_total) and expected_total > 1
    assert css(driver, "#reg-people-table").get_attribute("data-total") == str(expected_total)
    assert f"共 {expected_total:,} 人" in css(driver, "#reg-people-page").text
    names = texts(driver, "#reg-people-rows .person-open")
    assert names and all(n.startswith(prefix) for n in names)
    numbers = texts(driver, "#reg-people-rows .masked")
    assert numbers and all("*" in n for n in numbers)
    source = driver.page_source
    assert not FULL_ID.search(source), FULL_ID.search(source)
    assert not FULL_PHONE.search(source)

    # a complete ID number, or a phone, finds exactly that person
    assert search(driver, full_id) == [str(someone["id"])]
    assert search(driver, full_phone) == [str(someone["id"])]
    assert full_id not in driver.page_source
    row = css(driver, f'#reg-people-rows tr[data-id="{someone["id"]}"]')
    assert someone["certificateNumber"] in row.text and someone["name"] in row.text

    # the kind filter: only floating people
    floating = search(driver, "", "floating")
    assert floating
    assert texts(driver, "#reg-people-rows .tag[class*='pk-']") == ["流动人口"] * len(floating)
    assert not js_errors(driver)


def test_reveal_asks_for_a_reason_and_shows_the_full_number(server, driver, api_for, admin_api):
    operator = api_for("zhongxin")
    ui_reason = "入户走访核实身份（页面）"
    person = operator.get("/api/v1/people?limit=1")["items"][0]
    full_id = reveal(operator, person["id"])
    login(driver, server, "zhongxin")
    open_registers(driver, operator.get("/api/v1/auth/me")["territory"]["code"])
    open_part(driver, "people")
    search(driver, full_id)
    card = open_card(driver, f'#reg-people-rows .person-open[data-id="{person["id"]}"]', "person", person["id"])
    assert css(driver, "#person-certificateNumber").text == person["certificateNumber"]
    assert "审计日志" in card.text

    clickable(driver, '.reveal-button[data-field="certificateNumber"]').click()
    dialog = wait(driver).until(EC.visibility_of_element_located((By.ID, "reveal-dialog")))
    assert "审计日志" in dialog.text and person["name"] in dialog.text
    reason = css(driver, "#reveal-reason")
    assert driver.switch_to.active_element == reason
    css(driver, "#reveal-submit").click()  # empty: refused in the dialog
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "reveal-error")))
    assert "原因" in error.text
    assert reason.get_attribute("aria-invalid") == "true"
    reason.send_keys("核对")  # 2 characters: still refused
    css(driver, "#reveal-submit").click()
    wait(driver).until(lambda d: "至少4个字" in css(d, "#reveal-error").text)
    assert css(driver, "#reveal-dialog").is_displayed()
    assert css(driver, "#person-certificateNumber").text == person["certificateNumber"]

    reason.clear()
    reason.send_keys(ui_reason)
    css(driver, "#reveal-submit").click()
    present(driver, '#person-certificateNumber[data-revealed="true"]')
    assert css(driver, "#person-certificateNumber").text == full_id
    audit = admin_api.get("/api/v1/audit?limit=50")["items"]
    assert any(a["action"] == "personal_data_revealed" and a["actor"] == "zhongxin" and a["target"] == f"person:{person['id']}"
               and ui_reason in a.get("detail", "") for a in audit)
    assert not css(driver, "#reveal-dialog").is_displayed()
    assert "审计日志" in css(driver, ".revealed-note").text
    assert not all_css(driver, '.reveal-button[data-field="certificateNumber"]')
    if person.get("phone"):  # the phone stays masked until asked for separately
        assert "*" in css(driver, "#person-phone").text

    # cancelling the phone's dialog reveals nothing
    if person.get("phone"):
        clickable(driver, '.reveal-button[data-field="phone"]').click()
        wait(driver).until(EC.visibility_of_element_located((By.ID, "reveal-dialog")))
        css(driver, "#reveal-cancel").click()
        wait(driver).until(EC.invisibility_of_element_located((By.ID, "reveal-dialog")))
        assert "*" in css(driver, "#person-phone").text
    assert not js_errors(driver)


def test_grid_worker_finds_only_people_of_their_own_grid(server, driver, api_for):
    worker, operator = api_for("wanggeyuan"), api_for("zhongxin")
    grid = worker.get("/api/v1/auth/me")["territory"]["code"]
    own = all_people(worker)
    assert own and all(p["grid"] == grid for p in own)
    own_names = [p["name"] for p in own]
    towns = [r["code"] for r in operator.get("/api/v1/registers/counts")["rows"] if not grid.startswith(r["code"][:9])]
    stranger = next(p for p in operator.get(f"/api/v1/people?grid={towns[0]}&limit=200")["items"]
                    if not any(n.startswith(p["name"]) for n in own_names))
    assert operator.get(f"/api/v1/people?q={quote(stranger['name'])}&limit=1")["total"] >= 1

    login(driver, server, "wanggeyuan")
    open_registers(driver, grid)
    assert attrs(driver, "#reg-counts-rows tr.count-row", "data-code") == [grid]
    open_part(driver, "people")
    present(driver, "#reg-people-table[data-loaded]")
    assert css(driver, "#reg-people-table").get_attribute("data-total") == str(len(own))

    assert search(driver, stranger["name"]) == []
    assert "没有找到" in css(driver, "#reg-people-rows").text
    mine = own[0]
    found = search(driver, mine["name"])
    assert str(mine["id"]) in found
    assert set(found) <= {str(p["id"]) for p in own}
    assert not css(driver, "#reg-tab-import").is_displayed()  # grid workers do not import

    # the special populations of the grid (the worker's own territory)
    open_part(driver, "roles")
    present(driver, "#reg-roles-table[data-loaded]")
    roles = worker.get("/api/v1/population-roles?limit=200")
    assert css(driver, "#reg-roles-table").get_attribute("data-total") == str(roles["total"])
    assert not js_errors(driver)


def test_special_populations_filter_by_kind_and_open_the_person(server, driver, api_for):
    operator = api_for("zhongxin")
    kinds = operator.get("/api/v1/code-tables")["roleKinds"]
    kind = next(k for k in kinds if k["key"] == "mental")
    expected = operator.get("/api/v1/population-roles?kind=mental&limit=50")
    login(driver, server, "zhongxin")
    open_registers(driver, operator.get("/api/v1/auth/me")["territory"]["code"])
    open_part(driver, "roles")
    present(driver, "#reg-roles-table[data-loaded]")
    options = [v for v in attrs(driver, "#reg-role-kind option", "value") if v]
    assert options == [k["key"] for k in kinds]
    before = css(driver, "#reg-roles-table").get_attribute("data-loaded")
    Select(css(driver, "#reg-role-kind")).select_by_value("mental")
    wait(driver).until(lambda d: css(d, "#reg-roles-table").get_attribute("data-loaded") not in (None, before))
    rows = all_css(driver, "#reg-roles-rows tr.role-row")
    assert [r.get_attribute("data-id") for r in rows] == [str(r["id"]) for r in expected["items"]]
    first = expected["items"][0]
    assert kind["label"] in rows[0].text and first["attentionLabel"] in rows[0].text
    assert f"每{first['visitEveryDays']}天" in rows[0].text
    assert first["person"]["certificateNumber"] in rows[0].text
    assert first["display"][0]["value"] in rows[0].text
    assert not FULL_ID.search(driver.page_source)
    card = open_card(driver, f'#reg-roles-rows .person-open[data-id="{first["personID"]}"]', "person", first["personID"])
    assert kind["label"] in css(driver, "#person-roles").text
    assert first["person"]["name"] in card.text
    assert not js_errors(driver)


def test_house_card_lists_residents_and_shows_the_plate(server, driver, api_for):
    operator = api_for("zhongxin")
    house = None
    for h in operator.get("/api/v1/houses?limit=200")["items"]:
        d = operator.get(f"/api/v1/houses/{h['id']}")
        flags = [r["current"] for r in d["residents"] if r["person"]]
        if True in flags and False in flags:
            house = d
            break
    if house is None:
        pytest.fail("no demo house with current and moved-out residents among the first 200")
    h = house["house"]
    current = [r for r in house["residents"] if r["current"]]
    resident = current[0]["person"]
    full_id = reveal(operator, resident["id"])

    login(driver, server, "zhongxin")
    open_registers(driver, operator.get("/api/v1/auth/me")["territory"]["code"])
    open_part(driver, "people")
    search(driver, full_id)
    open_card(driver, f'#reg-people-rows .person-open[data-id="{resident["id"]}"]', "person", resident["id"])
    card = open_card(driver, f'#person-houses .house-open[data-id="{h["id"]}"]', "house", h["id"])
    assert h["address"] in card.text and h["code"] in card.text and house["building"]["name"] in card.text

    # residents: the current ones first, then those who moved out, each linking to their card
    rows = all_css(driver, "#house-residents tbody tr")
    assert len(rows) == len(house["residents"])
    flags = [r.get_attribute("data-current") for r in rows]
    assert flags == sorted(flags, reverse=True) and flags[0] == "true" and flags[-1] == "false"
    assert {r.get_attribute("data-person") for r in rows} - {""} == {str(r["person"]["id"]) for r in house["residents"] if r["person"]}
    moved = next(r for r in house["residents"] if not r["current"] and r["person"])
    assert moved["movedOut"] in css(driver, f'#house-residents tr[data-person="{moved["person"]["id"]}"]').text
    assert not FULL_ID.search(css(driver, "#house-residents").text)

    # the QR door plate: an image from the same origin that loads, and a link to print it
    plate = css(driver, "#house-plate")
    assert plate.get_attribute("src").endswith(f"/api/v1/houses/{h['id']}/plate.svg")
    assert wait(driver).until(lambda d: d.execute_script(
        "const i = document.getElementById('house-plate'); return i.complete && i.naturalWidth;")) > 0
    link = css(driver, "#house-plate-link")
    assert link.get_attribute("target") == "_blank" and link.get_attribute("href") == plate.get_attribute("src")

    # the building: its houses with resident counts, back to this house
    building = operator.get(f"/api/v1/buildings/{house['building']['id']}")
    open_card(driver, "#house-facts .building-open", "building", house["building"]["id"])
    rows = all_css(driver, "#building-houses tbody tr")
    assert [r.get_attribute("data-house") for r in rows] == [str(x["house"]["id"]) for x in building["houses"]]
    mine = css(driver, f'#building-houses tr[data-house="{h["id"]}"]')
    count = next(x["residents"] for x in building["houses"] if x["house"]["id"] == h["id"])
    assert f"{count} 人" in mine.text and count == len(current)
    open_card(driver, f'#building-houses .house-open[data-id="{h["id"]}"]', "house", h["id"])

    # a moved-out resident's card, and back
    open_card(driver, f'#house-residents .person-open[data-id="{moved["person"]["id"]}"]', "person", moved["person"]["id"])
    past = css(driver, f'#person-houses li[data-house="{h["id"]}"]')
    assert past.get_attribute("data-current") == "false" and "已迁出" in past.text
    clickable(driver, "#card-back").click()
    present(driver, f'#reg-card[data-kind="house"][data-id="{h["id"]}"]')
    assert not js_errors(driver)


def test_import_people_csv_shows_progress_summary_errors_and_unchanged_on_repeat(server, driver, api_for, tmp_path):
    operator = api_for("zhongxin")
    grid = operator.get("/api/v1/people?limit=1")["items"][0]["grid"]
    numbers = []
    for seq in range(901, 999):
        candidate = id_number("19310305" if not numbers else "19320607", seq)
        male = int(candidate[16]) % 2 == 1
        if male != (not numbers):  # the first is a man (odd), the second a woman (even)
            continue
        if operator.get(f"/api/v1/people?q={candidate}")["total"] == 0:
            numbers.append(candidate)
        if len(numbers) == 2:
            break
    csv = tmp_path / "people.csv"
    csv.write_text("姓名*,证件号码*,性别,网格编码*,人员类别*,联系电话\n"
                   f"导入测试甲,{numbers[0]},男,{grid},户籍人口,13912345678\n"
                   f"导入测试乙,{numbers[1]},女,{grid},户籍人口,\n"
                   f"导入测试丙,12345,男,{grid},户籍人口,\n", encoding="utf-8")

    login(driver, server, "zhongxin")
    open_registers(driver, operator.get("/api/v1/auth/me")["territory"]["code"])
    open_part(driver, "import")
    present(driver, '#imp-sheet option[value="people"]')
    assert Select(css(driver, "#imp-sheet")).first_selected_option.get_attribute("value") == "people"
    assert css(driver, "#imp-xlsx").get_attribute("href").endswith("/api/v1/registers/templates/people.xlsx")
    assert css(driver, "#imp-csv").get_attribute("href").endswith("/api/v1/registers/templates/people.csv")
    status, template = page_fetch(driver, css(driver, "#imp-csv").get_attribute("href"))
    assert status == 200 and "证件号码" in template

    css(driver, "#imp-start").click()  # no file chosen
    assert "选择要导入的文件" in wait(driver).until(EC.visibility_of_element_located((By.ID, "imp-error"))).text

    def run(mode):
        previous = css(driver, "#imp-status").get_attribute("data-job")
        css(driver, "#imp-file").send_keys(str(csv))
        css(driver, f'input[name="imp-mode"][value="{mode}"]').click()
        css(driver, "#imp-start").click()
        wait(driver).until(lambda d: css(d, "#imp-status").get_attribute("data-job") not in (None, previous)
                           and css(d, "#imp-status").get_attribute("data-status") in ("done", "failed"))
        return css(driver, "#imp-status")

    box = run("valid")
    assert box.get_attribute("data-status") == "done"
    assert (box.get_attribute("data-created"), box.get_attribute("data-rejected")) == ("2", "1")
    assert "已处理 3 行" in box.text and "新增 2" in box.text and "拒绝 1" in box.text
    status, report = page_fetch(driver, css(driver, "#imp-errors").get_attribute("href"))
    assert status == 200
    lines = [line for line in report.lstrip("\ufeff").splitlines() if line]
    assert lines[0] == "行号,列,原因" and len(lines) == 2
    assert lines[1].startswith("4,证件号码,") and "12345" in lines[1]
    assert operator.get(f"/api/v1/people?q={numbers[0]}")["items"][0]["name"] == "导入测试甲"
    job = box.get_attribute("data-job")
    present(driver, f'#imp-jobs-rows tr[data-id="{job}"]')
    assert "people.csv" in css(driver, f'#imp-jobs-rows tr[data-id="{job}"]').text

    # the same file again: nothing new, the two rows unchanged
    box = run("valid")
    assert box.get_attribute("data-status") == "done"
    assert (box.get_attribute("data-created"), box.get_attribute("data-unchanged"), box.get_attribute("data-rejected")) == ("0", "2", "1")
    assert "未变 2" in box.text

    # all or nothing: one bad row and nothing is imported
    box = run("all")
    assert box.get_attribute("data-status") == "failed"
    assert "未导入任何数据" in css(driver, "#imp-message").text
    assert css(driver, "#imp-errors").is_displayed()
    assert len(all_css(driver, "#imp-jobs-rows tr.import-row")) >= 3
    assert not js_errors(driver)
