"""The 通知 tab of /center/ (administrators): the outbox with its statuses and 重试, and the form that
sets where a department is told, in a headless Chromium.

The administrator points the county public-security bureau's webhook at a closed port on 127.0.0.1
(through the form); the demo users report, accept and dispatch an event to the bureau (API); the
dispatch is queued for the bureau and the delivery worker (every 5 s) fails on the refused connection.
"""
import socket
import uuid

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_events import (call, clickable, css, js_errors, login, logout, open_tab, point_in_own_grid, post, present,
                         report, wait, wait_table)

SECRET = "wangge-test-secret-0123456789"


def closed_port():
    """A port on 127.0.0.1 that nothing listens on (bound by the OS, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rows_of(driver, event_id):
    return driver.find_elements(By.CSS_SELECTOR, f'#notify-rows tr.notify-row[data-event="{event_id}"][data-channel="webhook"]')


def notification_row(driver, event_id, statuses, timeout):
    """The webhook row of `event_id` once its status is one of `statuses`, pressing 刷新 meanwhile."""
    def found(d):
        for row in rows_of(d, event_id):
            if row.get_attribute("data-status") in statuses:
                return row
        d.find_element(By.ID, "notify-refresh").click()
        return False
    return WebDriverWait(driver, timeout, poll_frequency=1, ignored_exceptions=(StaleElementReferenceException,)).until(found)


def field_error(driver, field):
    return wait(driver).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, f'#endpoints-form .field-error[data-field="{field}"]'))).text


def pick_status(driver, status):
    before = css(driver, "#notify-table").get_attribute("data-loaded")
    clickable(driver, f'#notify-status input[value="{status}"]').click()
    wait_table(driver, "notify-table", before)


def test_admin_sets_endpoints_sees_the_failed_webhook_and_retries(server, driver, admin_api, api_for):
    worker, street, bureau = api_for("wanggeyuan"), api_for("jiedao"), api_for("gongan")
    department = bureau.get("/api/v1/auth/me")["account"]["department"]
    hook = f"http://127.0.0.1:{closed_port()}/wangge/hook"

    # the administrator: 通知 is there; the department's endpoints through the form
    login(driver, server, "admin")
    assert css(driver, "#nav-notify").is_displayed()
    open_tab(driver, "notify")
    wait_table(driver, "notify-table")
    present(driver, "#ep-department[data-ready]")
    Select(css(driver, "#ep-department")).select_by_value(str(department["id"]))
    wait(driver).until(lambda d: css(d, "#ep-webhook").is_enabled() and css(d, "#endpoints-form").get_attribute("data-department"))
    assert css(driver, "#endpoints-form").get_attribute("data-has-secret") == "false"
    # a wrong address: the server's message under the field, nothing stored
    css(driver, "#ep-webhook").send_keys("ftp://127.0.0.1/hook")
    clickable(driver, "#ep-save").click()
    assert "http://" in field_error(driver, "webhookUrl")
    assert css(driver, "#ep-webhook").get_attribute("aria-invalid") == "true"
    # an address without a secret: the server asks for one
    css(driver, "#ep-webhook").clear()
    css(driver, "#ep-webhook").send_keys(hook)
    clickable(driver, "#ep-save").click()
    assert "签名密钥" in field_error(driver, "webhookSecret")
    assert not css(driver, '.field-error[data-field="webhookUrl"]').is_displayed()
    assert admin_api.get(f"/api/v1/departments/{department['id']}/endpoints").get("webhookUrl") is None
    css(driver, "#ep-secret").send_keys(SECRET)
    clickable(driver, "#ep-save").click()
    present(driver, "#endpoints-form[data-saved]")
    assert "已保存" in css(driver, "#ep-message").text
    assert css(driver, "#endpoints-form").get_attribute("data-has-secret") == "true"
    assert css(driver, "#ep-secret").get_attribute("value") == ""  # write-only: never shown again
    stored = admin_api.get(f"/api/v1/departments/{department['id']}/endpoints")
    assert stored["webhookUrl"] == hook and stored["hasSecret"] and "webhookSecret" not in stored

    # the demo users: report inside the worker's grid, accept, dispatch to the bureau
    lat, lon, _ = point_in_own_grid(worker)
    event = report(worker, "0201", lat, lon, f"河堤边有可疑包裹 {uuid.uuid4().hex[:8]}")
    post(street, f"/api/v1/events/{event['id']}/actions/accept", {})
    post(street, f"/api/v1/events/{event['id']}/actions/dispatch", {"to": f"department:{department['id']}", "note": "请核查"})

    # its webhook appears in the outbox: pending, or already failed on the closed port
    row = notification_row(driver, event["id"], ("pending", "failed"), timeout=30)
    text = row.text
    assert event["serial"] in text and "派遣" in text and "Webhook" in text and department["name"] in text
    assert hook in text

    # the serial opens the event's drawer
    row.find_element(By.CSS_SELECTOR, ".event-open").click()
    present(driver, f'#event-serial[data-id="{event["id"]}"]')
    css(driver, ".drawer-close").click()
    wait(driver).until(lambda d: not css(d, "#event-panel").is_displayed())

    # the refused connection fails it (the worker runs every 5 s): 失败待重试, with the error
    try:
        failed = notification_row(driver, event["id"], ("failed",), timeout=30)
    except TimeoutException:  # a slow worker: the filter is checked on pending rows instead
        failed = None
    if failed is None:
        pick_status(driver, "pending")
        assert {r.get_attribute("data-status") for r in driver.find_elements(By.CSS_SELECTOR, "#notify-rows tr.notify-row")} == {"pending"}
        assert js_errors(driver) == []
        return
    notification = int(failed.get_attribute("data-id"))
    assert failed.find_element(By.CSS_SELECTOR, ".col-error").text.strip() not in ("", "—")
    assert "失败待重试" in failed.find_element(By.CSS_SELECTOR, ".col-status").text
    assert failed.find_element(By.CSS_SELECTOR, ".col-next").text != "—"

    # the status filter: only failed rows, with the count of each status
    pick_status(driver, "failed")
    statuses = {r.get_attribute("data-status") for r in driver.find_elements(By.CSS_SELECTOR, "#notify-rows tr.notify-row")}
    assert statuses == {"failed"}
    present(driver, f'#notify-rows tr[data-id="{notification}"]')
    shown = {c.get_attribute("data-count"): int(c.text.strip("()").replace(",", ""))
             for c in driver.find_elements(By.CSS_SELECTOR, "#notify-status [data-count]")}
    assert set(shown) == {"all", "pending", "failed", "dead", "sent"}
    assert shown["failed"] >= 1 and shown["all"] == sum(v for k, v in shown.items() if k != "all")
    assert int(css(driver, "#notify-table").get_attribute("data-total")) == shown["failed"]

    # 重试: back to pending at once (the worker then fails it again, one attempt more)
    attempts = int(css(driver, f'#notify-rows tr[data-id="{notification}"]').get_attribute("data-attempts"))
    pick_status(driver, "")
    before = css(driver, "#notify-table").get_attribute("data-loaded")
    clickable(driver, f'#notify-rows tr[data-id="{notification}"] .notify-retry').click()
    wait_table(driver, "notify-table", before)
    assert "重新排队" in css(driver, "#notify-message").text
    wait(driver).until(lambda d: (lambda r: r.get_attribute("data-status") == "pending" or int(r.get_attribute("data-attempts")) > attempts)(
        css(d, f'#notify-rows tr[data-id="{notification}"]')))
    after = [n for n in admin_api.get("/api/v1/notifications?pageSize=200")["items"] if n["id"] == notification][0]
    assert after["status"] == "pending" or after["attempts"] > attempts
    assert js_errors(driver) == []
    logout(driver)


def test_operator_does_not_see_the_notifications_tab(server, driver, api_for):
    street = api_for("jiedao")
    assert call(street, "GET", "/api/v1/notifications")[0] == 403
    login(driver, server, "jiedao")
    assert not css(driver, "#nav-notify").is_displayed()
    # the address of the tab leads to the grid view
    driver.get("about:blank")
    driver.get(server + "/center/#notify")  # a fresh load of the page, signed in
    wait(driver).until(EC.visibility_of_element_located((By.ID, "app-view")))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "grid-view")))
    assert not css(driver, "#notify-view").is_displayed()
    assert css(driver, "#nav-grid").get_attribute("aria-selected") == "true"
    assert js_errors(driver) == []
