"""The command-center page (/center/) in a real headless Chromium against the demo county."""
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD

SCREENSHOT = "/tmp/wangge-center.png"
TIMEOUT = 20


def wait(driver, timeout=TIMEOUT):
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def polygons(driver):
    return len(driver.find_elements(By.CSS_SELECTOR, "#map path.grid-polygon"))


def open_page(driver, base):
    driver.get(base + "/center/")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "username")))


def login(driver, base, username, password=PASSWORD):
    open_page(driver, base)
    css(driver, "#username").send_keys(username)
    css(driver, "#password").send_keys(password)
    css(driver, "#login-button").click()


def login_ok(driver, base, username, root_code):
    """Logs in and waits until the map shows the account's root."""
    login(driver, base, username)
    wait(driver).until(EC.visibility_of_element_located((By.ID, "app-view")))
    wait_map(driver, root_code)


def wait_map(driver, code, focus=None):
    selector = f'#map[data-code="{code}"]' + (f'[data-focus="{focus}"]' if focus else "")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))


def wait_detail(driver, code):
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'#detail-name[data-code="{code}"]')))


def tree_label(driver, code):
    selector = f'#tree li[data-code="{code}"] > .tree-row .tree-label'
    return wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def me(driver):
    """Status of GET /api/v1/auth/me from inside the page (with the browser's cookie)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/api/v1/auth/me', {credentials: 'same-origin'}).then(r => done(r.status), e => done(String(e)));")


def js_errors(driver):
    return [e for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


def county(admin_api):
    return admin_api.get("/api/v1/grids")["items"][0]


def children(api, code):
    return api.get(f"/api/v1/grids/{code}/children")["items"]


def test_wrong_password_shows_error_and_no_map(server, driver):
    login(driver, server, "zhongxin", "wrong-password")
    error = wait(driver).until(EC.visibility_of_element_located((By.ID, "login-error")))
    assert "用户名或密码错误" in error.text
    assert not css(driver, "#app-view").is_displayed()
    assert polygons(driver) == 0
    assert css(driver, "#password").get_attribute("value") == ""


def test_admin_browses_county_township_and_unit_grid(server, driver, admin_api):
    root = county(admin_api)
    townships = [g for g in children(admin_api, root["code"]) if g["level"] == "township"]
    assert len(townships) >= 8
    login_ok(driver, server, "admin", root["code"])

    assert css(driver, "#user-name").text == admin_api.account["displayName"]
    assert css(driver, "#user-territory").text == root["name"]
    assert css(driver, "#user-role").text
    wait(driver).until(lambda d: polygons(d) >= 1 + len(townships))
    for t in townships:
        assert tree_label(driver, t["code"]).find_element(By.CSS_SELECTOR, ".tree-name").text == t["name"]
    wait_detail(driver, root["code"])
    driver.save_screenshot(SCREENSHOT)

    # a township: its communities on the map, its detail on the right
    town = townships[0]
    town_features = admin_api.get(f"/api/v1/grids/{town['code']}/map")["features"]
    tree_label(driver, town["code"]).click()
    wait_detail(driver, town["code"])
    wait_map(driver, town["code"])
    wait(driver).until(lambda d: polygons(d) == len([f for f in town_features if f["geometry"]]))
    assert css(driver, "#detail-name").text == town["name"]
    assert town["code"] in css(driver, "#detail").text
    assert root["name"] in css(driver, "#detail .breadcrumb").text
    assert "下级" in css(driver, "#detail .facts").text

    # down to a community, then to a unit grid that has a leader
    community = next(g for g in children(admin_api, town["code"]) if g["level"] == "community")
    tree_label(driver, community["code"]).click()
    wait_detail(driver, community["code"])
    wait_map(driver, community["code"])
    staffing = admin_api.get(f"/api/v1/grids/staffing?root={community['code']}")["items"]
    grid = next(row["grid"] for row in staffing if row["roster"]["hasLeader"])
    label = tree_label(driver, grid["code"])
    wait(driver).until(lambda d: label.find_element(By.CSS_SELECTOR, ".tree-roster").text)
    label.click()
    wait_detail(driver, grid["code"])
    wait_map(driver, community["code"], focus=grid["code"])
    roles = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#detail-staff tbody tr td:first-child")]
    assert "网格长" in roles
    detail = admin_api.get(f"/api/v1/grids/{grid['code']}")
    norm = css(driver, "#detail-norm")
    assert detail["norm"]["message"] in norm.text
    assert ("符合标准" if detail["norm"]["within"] else "超出规模标准") in norm.text
    assert detail["roster"]["label"] in css(driver, "#detail-roster").text
    driver.save_screenshot("/tmp/wangge-center-grid.png")
    assert js_errors(driver) == []


def test_street_operator_sees_only_his_street(server, driver, admin_api, api_for):
    jiedao = api_for("jiedao")
    street = jiedao.get("/api/v1/auth/me")["territory"]
    assert street["level"] == "township"
    login_ok(driver, server, "jiedao", street["code"])

    roots = driver.find_elements(By.CSS_SELECTOR, "#tree > li.tree-node")
    assert [r.get_attribute("data-code") for r in roots] == [street["code"]]
    assert css(driver, "#user-territory").text == street["name"]
    communities = children(jiedao, street["code"])
    for c in communities:
        tree_label(driver, c["code"])
    tree_text = css(driver, "#tree").text
    others = [t for t in children(admin_api, county(admin_api)["code"]) if t["code"] != street["code"]]
    assert others
    for t in others:
        assert t["name"] not in tree_text
        assert not driver.find_elements(By.CSS_SELECTOR, f'#tree li[data-code="{t["code"]}"]')
    assert polygons(driver) == 1 + len(communities)


def test_logout_returns_to_login_and_ends_session(server, driver, admin_api):
    login_ok(driver, server, "admin", county(admin_api)["code"])
    assert me(driver) == 200
    css(driver, "#logout-button").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "login-form")))
    assert not css(driver, "#app-view").is_displayed()
    assert polygons(driver) == 0
    assert me(driver) == 401


def test_expired_session_returns_to_login_with_message(server, driver, admin_api):
    root = county(admin_api)
    login_ok(driver, server, "admin", root["code"])
    town = children(admin_api, root["code"])[0]
    driver.delete_cookie("wangge_session")
    tree_label(driver, town["code"]).click()
    notice = wait(driver).until(EC.visibility_of_element_located((By.ID, "login-notice")))
    assert notice.text == "会话已过期，请重新登录"
    assert not css(driver, "#app-view").is_displayed()


def _inside_point(geometry):
    """The area centroid of the outer ring of the (first) polygon, as (lat, lon)."""
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cy / (3 * a), cx / (3 * a)


def test_locate_selects_the_grid_at_a_point(server, driver, admin_api):
    root = county(admin_api)
    town = children(admin_api, root["code"])[1]
    community = next(g for g in children(admin_api, town["code"]) if g["level"] == "community")
    units = [f for f in admin_api.get(f"/api/v1/grids/{community['code']}/map")["features"]
             if f["properties"]["level"] == "grid" and f["geometry"]]
    target = None
    for f in units:  # the centroid of a concave cell can fall outside it: take the first that locates to itself
        lat, lon = _inside_point(f["geometry"])
        answer = admin_api.get(f"/api/v1/grids/locate?lat={lat}&lon={lon}")
        if answer["grid"]["code"] == f["properties"]["code"]:
            target = f["properties"]
            break
    assert target, "no unit grid contains its own centroid"

    login_ok(driver, server, "admin", root["code"])
    css(driver, "#locate-lat").send_keys(f"{lat:.7f}")
    css(driver, "#locate-lon").send_keys(f"{lon:.7f}")
    css(driver, "#locate-button").click()
    wait_detail(driver, target["code"])
    wait_map(driver, community["code"], focus=target["code"])
    assert target["name"] in css(driver, "#locate-result").text
    selected = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#tree .tree-row.selected")))
    assert selected.find_element(By.XPATH, "..").get_attribute("data-code") == target["code"]

    lat_box, lon_box = css(driver, "#locate-lat"), css(driver, "#locate-lon")
    lat_box.clear()
    lat_box.send_keys("0")
    lon_box.clear()
    lon_box.send_keys("0")
    css(driver, "#locate-button").click()
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "locate-result"), "不在任何网格中"))
    wait_detail(driver, target["code"])

    # 地图点选: a click on the map (here on the selected grid, drawn at the centre) locates that point
    css(driver, "#tree li[data-code] .tree-label").click()  # back to the county
    wait_map(driver, root["code"])
    css(driver, "#locate-pick").click()
    assert css(driver, "#locate-pick").get_attribute("aria-pressed") == "true"
    css(driver, "#map").click()  # Selenium clicks the element's centre
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "locate-result"), "位于"))
    wait(driver).until(lambda d: len(css(d, "#detail-name").get_attribute("data-code")) == 15)
    assert css(driver, "#locate-lat").get_attribute("value")
    assert css(driver, "#locate-pick").get_attribute("aria-pressed") == "false"
