"""The group roster on the console's case page (issue 17: "or by an operator in the console"), in a
real browser against the real stack; and a station that referred a case on reads it without acting."""

import pytest
from playwright.sync_api import expect

from bot.console.casework import REFERRED_AWAY
from tests.conftest import ARTIFACTS
from tests.test_console_api import Browser, add_operator, draft
from tests.test_console_browser import signed_in
from tests.test_roster_e2e import first_worker, pdf_text, phone

pytestmark = pytest.mark.stack


def roster(stack, case_no):
    reply = stack.api(f"/api/cases/{case_no}/roster")
    assert reply.status_code == 200
    return {m["name"]: m for m in reply.json()["members"] if not m["erased"]}


@pytest.mark.browser
def test_an_operator_keeps_the_roster_on_the_case_page(stack, new_page):
    case_no, _, code, _, _ = first_worker(stack)
    page = signed_in(stack, new_page)
    page.goto(f"{stack.web}/console#case/{case_no}")
    page.wait_for_selector("#d-roster:not([hidden])")
    expect(page.locator("#roster-code")).to_contain_text(code)
    expect(page.locator("#roster-table")).to_contain_text("孙芳")

    # Nobody goes on the roster before they agreed.
    phones = {"钱亮": phone(), "李强": phone(), "王五": phone()}
    page.fill("#rf-name", "钱亮")
    page.fill("#rf-phone", phones["钱亮"])
    page.click("#rf-submit")
    expect(page.locator("#roster-error")).to_contain_text("同意")
    assert "钱亮" not in roster(stack, case_no)

    for who, amount in (("钱亮", "12000"), ("李强", "8000"), ("王五", "5000")):
        page.fill("#rf-name", who)
        page.fill("#rf-phone", phones[who])
        page.fill("#rf-amount", amount)
        page.fill("#rf-months", "3")
        page.check("#rf-consent")
        page.click("#rf-submit")
        expect(page.locator("#roster-table")).to_contain_text(who)
        expect(page.locator("#roster-done")).to_have_text("已加入名单。")
    expect(page.locator("#roster-count")).to_have_text("4")

    # A wrong phone is refused with the intake's own words; a correction keeps the rest.
    page.locator("#roster-table tr", has_text="钱亮").locator("button.edit").click()
    page.fill("#rf-phone", "1390000111")
    page.click("#rf-submit")
    expect(page.locator("#roster-error")).not_to_be_empty()
    page.fill("#rf-phone", phones["钱亮"])
    page.fill("#rf-amount", "9000")
    page.click("#rf-submit")
    expect(page.locator("#roster-done")).to_have_text("已修改。")
    expect(page.locator("#roster-table tr", has_text="钱亮")).to_contain_text("9,000")

    # Two representatives are too few (§7 asks 3 to 5); three are kept.
    for who in ("孙芳", "钱亮"):
        page.locator("#roster-table tr", has_text=who).locator("input.rep").check()
    page.click("#roster-save-reps")
    expect(page.locator("#roster-error")).to_contain_text("3到5人")
    page.locator("#roster-table tr", has_text="李强").locator("input.rep").check()
    page.click("#roster-save-reps")
    expect(page.locator("#roster-done")).to_have_text("代表已保存。")

    # Erasing asks twice, then the name and phone are gone for good.
    erase = page.locator("#roster-table tr", has_text="王五").locator("button.erase")
    erase.click()
    expect(erase).to_contain_text("确认删除")
    erase.click()
    expect(page.locator("#roster-done")).to_contain_text("已删除")
    expect(page.locator("#roster-table")).not_to_contain_text("王五")
    expect(page.locator("#roster-count")).to_have_text("3")
    page.screenshot(path=str(ARTIFACTS / "console-roster.png"), full_page=True)

    kept = roster(stack, case_no)
    assert set(kept) == {"孙芳", "钱亮", "李强"}
    assert kept["钱亮"]["amount"] == 9000 and kept["钱亮"]["phone"] == phones["钱亮"]
    assert {n for n, m in kept.items() if m["representative"]} == {"孙芳", "钱亮", "李强"}
    # What the operator did is what the filed document lists.
    text = pdf_text(stack.api(f"/api/cases/{case_no}/documents/arbitration.pdf").content)
    assert "钱亮" in text and "9000" in text and "王五" not in text
    actions = {e["action"] for e in stack.api(f"/api/console/audit?case_no={case_no}").json()["entries"]}
    assert {"roster.add", "roster.update", "roster.representatives", "roster.erase"} <= actions


def test_console_roster_routes_need_consent_csrf_and_the_cases_station(stack):
    station = "jdz-taoxichuan"
    case_no = draft(stack, worker_count=12, station_id=station, station_name="陶溪川文创街区劳动关系综合服务中心")[
        "case_no"
    ]
    mine = Browser(stack, add_operator(stack, "station", station))
    other = Browser(stack, add_operator(stack, "station", "cq-wuxi-hrss"))
    path = f"/api/console/cases/{case_no}/roster"

    assert mine.get(path).json() == {"case_no": case_no, "code": None, "members": []}
    assert other.get(path).status_code == 403
    assert mine.post(path + "/open", csrf=False).status_code == 403
    opened = mine.post(path + "/open")
    assert opened.status_code == 201 and len(opened.json()["code"]) == 6
    assert mine.post(path + "/open").json()["code"] == opened.json()["code"]  # the same group twice

    member = {"name": "韩梅", "phone": phone(), "amount": "6000"}
    refused = mine.post(path, json=member)
    assert refused.status_code == 422 and refused.json()["field"] == "consent"
    assert other.post(path, json={**member, "consent": True}).status_code == 403
    added = mine.post(path, json={**member, "consent": True})
    assert added.status_code == 201 and added.json()["added_by"] == mine_name(mine)
    assert [m["name"] for m in mine.get(path).json()["members"]].count("韩梅") == 1


def mine_name(browser):
    return browser.get("/api/console/me").json()["user"]["username"]


def test_a_station_that_referred_a_case_on_reads_it_and_cannot_act_on_it(stack):
    station = "jdz-taoxichuan"
    case_no = draft(stack, worker_count=12, station_id=station, station_name="陶溪川文创街区劳动关系综合服务中心")[
        "case_no"
    ]
    sender = Browser(stack, add_operator(stack, "station", station))
    sender.post(f"/api/console/cases/{case_no}/roster/open")
    base = f"/api/console/cases/{case_no}"
    assert sender.post(base + "/status", json={"status": "accepted", "note": "已联系"}).status_code == 200
    moved = sender.post(base + "/status", json={"status": "referred", "note": "转法院", "to": "court"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["station"]["id"] != station

    detail = sender.get(base)
    assert detail.status_code == 200 and detail.json()["read_only"] is True
    assert sender.get(base + "/roster").status_code == 200
    before = stack.api(f"/api/cases/{case_no}").json()
    for path, body in (
        ("/status", {"status": "withdrawn", "note": "本人撤回"}),
        ("/roster", {"name": "冒名", "phone": phone(), "consent": True}),
        ("/roster/open", {}),
        ("/representatives", {"members": [1, 2, 3]}),
    ):
        reply = sender.post(base + path, json=body)
        assert reply.status_code == 403 and reply.json()["error"] == REFERRED_AWAY, path
    after = stack.api(f"/api/cases/{case_no}").json()
    assert after["status"] == before["status"] == "referred" and after["history"] == before["history"]
    listed = sender.get("/api/console/cases?scope=referred_out&status=").json()["cases"]
    assert case_no in [c["case_no"] for c in listed]
    assert case_no not in [c["case_no"] for c in sender.get("/api/console/cases?status=").json()["cases"]]


@pytest.mark.browser
def test_the_referred_case_shows_read_only_in_the_console(stack, new_page):
    station = "jdz-taoxichuan"
    case_no = draft(stack, worker_count=12, station_id=station, station_name="陶溪川文创街区劳动关系综合服务中心")[
        "case_no"
    ]
    username = add_operator(stack, "station", station)
    ops = Browser(stack, username)
    ops.post(f"/api/console/cases/{case_no}/status", json={"status": "accepted", "note": "已联系"})
    ops.post(f"/api/console/cases/{case_no}/status", json={"status": "referred", "note": "转法院", "to": "court"})
    page = signed_in(stack, new_page, username)
    page.select_option("#f-scope", "referred_out")
    page.select_option("#f-status", "")
    row = page.locator(f"tr[data-case='{case_no}']")
    row.wait_for()
    row.click()
    page.wait_for_selector("#detail-view:not([hidden])")
    expect(page.locator("#d-read-only")).to_be_visible()
    expect(page.locator("#status-form")).to_be_hidden()
    expect(page.locator("#roster-form")).to_be_hidden()
