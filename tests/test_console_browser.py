"""The console in a real browser (Debian's Chromium through Playwright) against the real GongYou."""

import csv
import io
import re
import uuid

import pytest
import requests
from openpyxl import load_workbook
from playwright.sync_api import expect

from bot.cases.numbers import PATTERN as CASE_NUMBER
from tests.conftest import ARTIFACTS
from tests.test_console_api import PASSWORD, add_operator, draft
from tests.test_intake_e2e import CASE_NO, say

pytestmark = [pytest.mark.stack, pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 900}
XSS = '<img src=x onerror="window.__xss=1;alert(1)">'


def signed_in(stack, new_page, username=None):
    username = username or add_operator(stack)
    page = new_page(viewport=DESKTOP)
    page.goto(f"{stack.web}/console")
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#queue-view:not([hidden])")
    return page


def bot_draft(stack):
    """A draft opened the way a worker opens one: the conversation of tests/test_intake_e2e.py."""
    sender = f"console-{uuid.uuid4().hex[:8]}"
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    say(stack, sender, "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万")
    assert "谁能看" in say(stack, sender, "/open_case")
    assert "姓名" in say(stack, sender, "/affirm")
    assert "手机号" in say(stack, sender, "周海")
    assert "经过" in say(stack, sender, phone)
    assert "请核对" in say(stack, sender, "厂里说下个月发，一直没发")
    return CASE_NO.search(say(stack, sender, "/affirm")).group(0), phone


def test_operator_takes_a_bot_draft_to_accepted(stack, new_page):
    case_no, phone = bot_draft(stack)
    page = signed_in(stack, new_page)
    row = page.locator(f"tr[data-case='{case_no}']")
    row.wait_for()
    assert "草稿" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "console-queue.png"), full_page=True)

    row.click()
    page.wait_for_selector("#detail-view:not([hidden])")
    page.wait_for_selector("#d-transcript li.from-worker")
    assert page.text_content("#d-title") == case_no
    assert phone in page.text_content("#d-person") and "周海" in page.text_content("#d-person")
    assert "欠了三个月工资" in page.text_content("#d-transcript")
    assert "点了按钮：登记求助" in page.text_content("#d-transcript")
    page.screenshot(path=str(ARTIFACTS / "console-detail.png"), full_page=True)

    page.select_option("#status-to", "accepted")
    page.click("#status-submit")
    assert "处理说明" in page.text_content("#status-error")  # a note is required
    page.fill("#status-note", "已电话联系周师傅，约周三到站调解")
    page.click("#status-submit")
    expect(page.locator("#d-status")).to_have_text("已受理")
    assert "约周三到站调解" in page.text_content("#d-history")
    assert stack.api(f"/api/cases/{case_no}").json()["status"] == "accepted"

    page.click("#detail-back")
    page.wait_for_selector("#queue-view:not([hidden])")
    expect(page.locator("#live")).to_contain_text("共")
    # The queue redraws after the move; waiting for the row to go, not reading it once, avoids
    # taking the previous render for the answer.
    expect(page.locator(f"tr[data-case='{case_no}']")).to_have_count(0)  # gone from the draft queue
    page.select_option("#f-status", "accepted")
    page.locator(f"tr[data-case='{case_no}']").wait_for()


def test_exports_download_the_filtered_queue(stack, new_page, tmp_path):
    case = draft(stack, category="dismissal", phone="13512348888", name="吴九")
    page = signed_in(stack, new_page)
    page.select_option("#f-category", "dismissal")
    page.locator(f"tr[data-case='{case['case_no']}']").wait_for()
    with page.expect_download() as csv_download:
        page.click("#export-csv")
    csv_path = tmp_path / "cases.csv"
    csv_download.value.save_as(csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "案件编号" and all(r[2] == "被辞退" for r in rows[1:])
    line = next(r for r in rows if r[0] == case["case_no"])
    assert line[11] == "135****8888" and "13512348888" not in raw.decode("utf-8-sig")

    page.check("#unmasked")
    with page.expect_download() as xlsx_download:
        page.click("#export-xlsx")
    xlsx_path = tmp_path / "cases.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    sheet = load_workbook(xlsx_path).active
    line = next(r for r in sheet.iter_rows(values_only=True) if r[0] == case["case_no"])
    assert line[11] == "13512348888" and line[10] == "吴九"


def test_an_xss_payload_renders_as_text(stack, new_page):
    case = draft(stack, description=XSS + "手被烫伤", employer=XSS)
    page = signed_in(stack, new_page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    row = page.locator(f"tr[data-case='{case['case_no']}']")
    row.wait_for()
    assert XSS in row.inner_text()
    row.click()
    page.wait_for_selector("#detail-view:not([hidden])")
    expect(page.locator("#d-title")).to_have_text(case["case_no"])
    assert page.text_content("#d-description") == XSS + "手被烫伤"
    assert page.locator("#detail-view img, #queue-view img").count() == 0
    page.wait_for_timeout(300)  # give a broken image's onerror the time it would need to fire
    assert page.evaluate("window.__xss") is None and dialogs == []


def test_new_drafts_and_handoffs_appear_without_reload(stack, new_page):
    page = signed_in(stack, new_page)
    page.evaluate("window.__sameDocument = true")
    case = draft(stack, category="social_insurance")
    sender = f"console-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "公司三年没给我交社保")
    say(stack, sender, "转人工")
    handoff = next(h for h in stack.api("/api/handoffs").json()["handoffs"] if h["sender_id"] == "rest-" + sender)
    page.locator(f"tr[data-case='{case['case_no']}']").wait_for()
    item = page.locator(f"li[data-handoff='{handoff['id']}']")
    item.wait_for()
    assert "三年没给我交社保" in item.inner_text()
    assert page.evaluate("window.__sameDocument") is True
    item.locator("button").click()
    item.wait_for(state="detached")
    assert all(h["id"] != handoff["id"] for h in stack.api("/api/handoffs").json()["handoffs"])


def test_dashboard_shows_the_databases_counts(stack, new_page):
    draft(stack, category="work_injury", station_id="jdz-taoxichuan", station_name="陶溪川文创街区劳动关系综合服务中心")
    page = signed_in(stack, new_page)
    page.click("nav a[data-view=dashboard]")
    page.wait_for_selector("body[data-dashboard=loaded]")
    figures = stack.api("/api/console/dashboard").json()
    assert page.text_content("#k-total") == str(figures["total"]) and figures["total"] > 0
    assert page.text_content("#k-draft") == str(figures["by_status"].get("draft", 0))
    drawn = page.evaluate("Object.values(Chart.instances).map(c => [c.canvas.id, c.data.datasets[0].data])")
    charts = dict(drawn)
    assert sum(charts["c-category"]) == figures["total"] and sum(charts["c-week"]) == figures["total"]
    assert charts["c-category"] == [c["count"] for c in figures["by_category"]]
    page.screenshot(path=str(ARTIFACTS / "console-dashboard.png"), full_page=True)


def test_hotline_assist_prefills_a_draft_the_operator_saves(stack, new_page):
    page = signed_in(stack, new_page)
    page.click("nav a[data-view=assist]")
    page.fill("#assist-text", "我在沙坪坝区的工地干了半年，包工头跑了，欠我一万二，电话13666667777")
    page.click("#assist-form button[type=submit]")
    page.wait_for_selector("#assist-result:not([hidden])")
    assert page.text_content("#a-category") == "被拖欠工资"
    assert "12,000" in page.text_content("#a-facts") and "第三十条" in page.text_content("#a-guidance")
    assert page.input_value("#draft-form [name=amount]") == "12000"
    assert page.input_value("#draft-form [name=phone]") == "13666667777"
    page.fill("#draft-form [name=name]", "郑师傅")
    page.screenshot(path=str(ARTIFACTS / "console-assist.png"), full_page=True)
    # Without the caller's agreement ticked, name and phone are not kept.
    page.click("#draft-form button[type=submit]")
    expect(page.locator("#draft-error")).to_contain_text("同意")
    page.check("#draft-form [name=consent]")
    page.click("#draft-form button[type=submit]")
    expect(page.locator("#draft-ok")).to_contain_text("GY")
    case_no = re.search(CASE_NUMBER, page.text_content("#draft-ok")).group(0)
    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["name"] == "郑师傅" and case["amount"] == 12000 and case["status"] == "draft"


def test_console_page_sends_its_security_headers(stack):
    reply = requests.get(f"{stack.web}/console", timeout=30)
    policy = reply.headers["content-security-policy"]
    assert reply.status_code == 200 and "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_a_kiosk_callers_request_reaches_that_stations_console_only(stack, new_page):
    from tests.conftest import KIOSK
    from tests.test_web_chat import bot_says

    before = {h["id"] for h in stack.api("/api/handoffs").json()["handoffs"]}
    kiosk = new_page(KIOSK)
    kiosk.goto(stack.web + "/kiosk?station=jdz-taoxichuan")
    kiosk.locator(".tile", has_text="找工作人员").click()
    bot_says(kiosk, "已经把我们的对话转给工作人员")
    new = [h["id"] for h in stack.api("/api/handoffs").json()["handoffs"] if h["id"] not in before]
    assert len(new) == 1

    station = signed_in(stack, new_page, add_operator(stack, "station", "jdz-taoxichuan"))
    expect(station.locator(f"#handoff-list li[data-handoff='{new[0]}']")).to_be_visible()
    other = signed_in(stack, new_page, add_operator(stack, "station", "cq-wuxi-hrss"))
    other.wait_for_selector("#live:has-text('自动更新')")
    assert other.locator(f"#handoff-list li[data-handoff='{new[0]}']").count() == 0
