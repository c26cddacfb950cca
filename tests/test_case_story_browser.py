"""Issue 16's done-when: the seeds' story end to end, through the REST channel, the API, the console
and the worker's /follow page in a real browser (Debian's Chromium through Playwright).

16 workers' wages; mediation fails; the case goes to the procuratorate; an agreement in three
instalments; the return visits on the due dates are answered "收到了", "没有", "收到了"; the
overdue flag is raised and handled; the case closes and the worker rates the service.
"""

import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS
from tests.test_console_api import add_operator
from tests.test_console_browser import signed_in
from tests.test_intake_e2e import CASE_NO, say

pytestmark = [pytest.mark.stack, pytest.mark.browser]

DUES = ("2031-01-15", "2031-02-15", "2031-03-15")
AMOUNTS = ("30000", "25000", "25000")


def open_by_chat(stack, sender):
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    say(stack, sender, "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万")
    assert "谁能看" in say(stack, sender, "/open_case")
    assert "姓名" in say(stack, sender, "/affirm")
    assert "手机号" in say(stack, sender, "周海")
    assert "经过" in say(stack, sender, phone)
    assert "请核对" in say(stack, sender, "厂里说下个月发，一直没发")
    return CASE_NO.search(say(stack, sender, "/affirm")).group(0)


class Follow:
    """The worker's /follow page, opened from the QR code's address (the code in the fragment)."""

    def __init__(self, stack, new_page, case_no, code):
        self.url = f"{stack.web}/follow?case={case_no}#{code}"
        self.new_page = new_page

    def look(self, shot=None):
        page = self.new_page()
        page.goto(self.url)
        page.click("#follow button[type=submit]")
        page.wait_for_selector("#f-timeline")
        if shot:
            page.screenshot(path=str(ARTIFACTS / f"story-follow-{shot}.png"), full_page=True)
        return page


def move(page, status, note, fill=None):
    page.select_option("#status-to", status)
    if fill:
        fill(page)
    page.fill("#status-note", note)
    page.click("#status-submit")


def test_the_seeds_story_from_chat_to_rating(stack, new_page):
    sender = f"story-{uuid.uuid4().hex[:8]}"
    case_no = open_by_chat(stack, sender)
    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["worker_count"] == 16 and case["category"] == "wage_arrears"
    follow = Follow(stack, new_page, case_no, case["follow_code"])

    console = signed_in(stack, new_page)
    console.goto(f"{stack.web}/console#case/{case_no}")
    expect(console.locator("#d-title")).to_have_text(case_no)
    expect(console.locator("#d-clocks li[data-kind=limitation]")).to_contain_text("还在职的")

    move(console, "accepted", "已电话联系周师傅")
    expect(console.locator("#d-status")).to_have_text("已受理")
    move(console, "mediating", "约单位到站调解")
    expect(console.locator("#d-status")).to_have_text("调解中")
    worker = follow.look("mediating")
    expect(worker.locator("#f-clocks li[data-kind=mediation]")).to_contain_text("还剩15天")
    expect(worker.locator("#f-clocks li[data-kind=mediation]")).to_contain_text("第十四条")

    # Mediation fails: the reason is asked for by name.
    console.select_option("#status-to", "mediation_failed")
    expect(console.locator("#status-note-label")).to_have_text("调解没成功的原因")
    console.click("#status-submit")
    expect(console.locator("#status-error")).to_contain_text("原因")
    move(console, "mediation_failed", "多次调解，单位拒不支付")
    expect(console.locator("#d-status")).to_have_text("调解未成功")
    worker = follow.look()
    assert worker.locator("#f-clocks li[data-kind=mediation]").count() == 0
    expect(worker.locator("#f-timeline")).to_contain_text("调解没有成功")

    # To the procuratorate (检察机关支持起诉/检察和解 in the seed).
    move(console, "referred", "移送县检察院", lambda p: p.select_option("#referral-to", "procuratorate"))
    expect(console.locator("#d-status")).to_have_text("已转交")
    referred = stack.api(f"/api/cases/{case_no}").json()
    assert referred["referred_to"] == "procuratorate" and referred["referred_from_station"]
    assert "检察院" in referred["station"]["name"]  # the nearest procuratorate took it
    receiving = signed_in(stack, new_page, add_operator(stack, "station", referred["station"]["id"]))
    receiving.select_option("#f-status", "referred")
    expect(receiving.locator(f"tr[data-case='{case_no}']")).to_be_visible()
    worker = follow.look("referred")
    expect(worker.locator(".holder")).to_contain_text("已转给人民检察院（" + referred["station"]["name"])
    expect(worker.locator(".holder")).to_contain_text("原来的服务站仍能看到")
    expect(worker.locator("#f-timeline")).to_contain_text("案件转给人民检察院")

    # The agreement in three instalments, entered on the form.
    def instalments(page):
        page.click("#add-instalment")
        page.click("#add-instalment")
        rows = page.locator("#instalment-rows li")
        for n, (amount, due) in enumerate(zip(AMOUNTS, DUES)):
            rows.nth(n).locator(".inst-amount").fill(amount)
            rows.nth(n).locator(".inst-due").fill(due)

    move(console, "agreement", "检察和解，司法确认，分三期付清", instalments)
    expect(console.locator("#d-status")).to_have_text("达成协议")
    expect(console.locator("#d-instalments li")).to_have_count(3)
    case = stack.api(f"/api/cases/{case_no}").json()
    assert [(i["amount"], i["due"], i["paid"]) for i in case["instalments"]] == [
        (30000, DUES[0], None),
        (25000, DUES[1], None),
        (25000, DUES[2], None),
    ]
    worker = follow.look()
    expect(worker.locator("#f-instalments li")).to_have_count(3)
    expect(worker.locator("#f-instalments li").nth(0)).to_contain_text("第一期 30000元，2031-01-15到期")

    # First due date: "收到了".
    run = stack.api("/api/followups/run", method="POST", json={"now": "2031-01-15T10:00:00+08:00"})
    assert run.status_code == 200 and run.json()["sent"] >= 1
    assert "第一期30000元今天该到账了" in say(stack, sender, "你好")
    assert "第一期已经到账" in say(stack, sender, "收到了")
    worker = follow.look()
    expect(worker.locator("#f-instalments li[data-paid=true]")).to_have_count(1)

    # Second: "没有". The case is flagged overdue, first in the queue, on the overdue list.
    stack.api("/api/followups/run", method="POST", json={"now": "2031-02-15T10:00:00+08:00"})
    assert "第二期25000元今天该到账了" in say(stack, sender, "你好")
    unpaid = say(stack, sender, "没有")
    assert "第二期没有按时足额到账" in unpaid and "支付令" in unpaid
    worker = follow.look("overdue")
    expect(worker.locator(".overdue")).to_be_visible()
    expect(worker.locator("#f-instalments li[data-paid=false]")).to_contain_text("第二期")
    console.goto(f"{stack.web}/console#queue")
    console.select_option("#f-status", "agreement")
    expect(console.locator(f"tr[data-case='{case_no}'] .tag.overdue")).to_be_visible()
    console.click("nav a[data-view=aftercare]")
    overdue_row = console.locator(f"#overdue-table tr[data-case='{case_no}']")
    expect(overdue_row).to_contain_text("第2期")
    console.screenshot(path=str(ARTIFACTS / "story-console-aftercare.png"), full_page=True)

    # Handling: the station pressed the employer, the money came; the operator confirms it.
    overdue_row.locator("a").click()
    expect(console.locator("#d-overdue")).to_be_visible()
    console.locator("#d-instalments li[data-seq='2'] .confirm-paid").click()
    expect(console.locator("#d-overdue")).to_be_hidden()
    expect(console.locator("#d-instalments li[data-seq='2']")).to_have_attribute("data-paid", "true")
    assert stack.api(f"/api/cases/{case_no}").json()["overdue"] is False

    # Third: "收到了", then the rating and a comment.
    stack.api("/api/followups/run", method="POST", json={"now": "2031-03-15T10:00:00+08:00"})
    assert "第三期25000元今天该到账了" in say(stack, sender, "你好")
    assert "打个分" in say(stack, sender, "收到了")
    assert "还有什么想对我们说的" in say(stack, sender, "5")
    assert "谢谢您的意见" in say(stack, sender, "调解员很耐心，钱都拿到了")

    console.reload()
    expect(console.locator("#d-rating")).to_contain_text("5 分")
    expect(console.locator("#d-rating")).to_contain_text("调解员很耐心")
    move(console, "closed", "三期全部到账，结案")
    expect(console.locator("#d-status")).to_have_text("已办结")
    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["status"] == "closed" and case["rating"] == 5 and case["overdue"] is False
    assert [i["paid"] for i in case["instalments"]] == [True, True, True]
    assert [f["answer"] for f in case["followups"] if f["kind"] == "instalment"] == ["paid", "missing", "paid"]

    worker = follow.look("closed")
    timeline = worker.locator("#f-timeline")
    for step in (
        "登记了求助",
        "开始调解",
        "调解没有成功",
        "人民检察院",
        "达成调解协议",
        "第二期25000元没有到账",
        "第二期已到账（服务站确认）",
        "您给服务打了5分",
        "案件办结",
    ):
        expect(timeline).to_contain_text(step)
    assert worker.locator("#f-clocks").count() == 0  # closed: no clock runs
    expect(worker.locator("#f-instalments li[data-paid=true]")).to_have_count(3)

    console.goto(f"{stack.web}/console#aftercare")
    results = console.locator(f"#results-table tr[data-case='{case_no}']")
    expect(results).to_have_count(5)  # three instalment answers, the rating, the comment
    expect(console.locator(f"#results-table tr[data-case='{case_no}'][data-kind=rating]")).to_contain_text("5 分")
    expect(console.locator(f"#overdue-table tr[data-case='{case_no}']")).to_have_count(0)

    console.click("nav a[data-view=dashboard]")
    console.wait_for_selector("body[data-dashboard=loaded]")
    figures = stack.api("/api/console/dashboard").json()
    assert figures["mediation"]["failures"] >= 1 and figures["satisfaction"]["ratings"] >= 1
    expect(console.locator("#k-satisfaction")).to_contain_text(f"{figures['satisfaction']['mean']} 分")
    console.screenshot(path=str(ARTIFACTS / "story-console-dashboard.png"), full_page=True)
