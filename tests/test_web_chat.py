"""The worker chat (/) and the station kiosk (/kiosk) in Debian's Chromium, against the real stack.

Every test leaves a screenshot in tests/artifacts when it fails; the whole-intake tests also keep
one of the finished page at phone and kiosk size, to be looked at.
"""

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from bot.cases.numbers import PATTERN as CASE_NUMBER
from tests.conftest import ARTIFACTS, KIOSK, PHONE

pytestmark = [pytest.mark.stack, pytest.mark.browser]

CASE_NO = re.compile(CASE_NUMBER)
REPLY = 60_000  # ms: the first turn of a fresh stack can be slow on a 2-core machine


def bot_says(page, text, timeout=REPLY):
    """Waits until a bot bubble containing `text` is on the page."""
    expect(page.locator(".msg.bot .bubble").filter(has_text=text).last).to_be_visible(timeout=timeout)


def type_and_send(page, text):
    box = page.locator("#text")
    box.fill(text)
    box.press("Enter")


def tap(page, title):
    """Taps the newest enabled quick reply with this title."""
    exactly = re.compile(f"^{re.escape(title)}$")  # "同意" is not "不同意"
    page.locator(".msg.bot button:not([disabled])", has_text=exactly).last.click()


def confirm(page):
    """Taps "确认提交" and returns the case card and the number it shows."""
    tap(page, "确认提交")
    card = page.locator(".card.case")
    expect(card).to_be_visible(timeout=REPLY)
    case_no = card.locator(".case-no").inner_text()
    assert CASE_NO.fullmatch(case_no)
    return card, case_no


def wait_until(page, expression, timeout=20.0):
    """Polls a page expression from here: the pages' CSP forbids the eval that wait_for_function needs."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {expression}"
        page.wait_for_timeout(200)


def keep(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_phone_complaint_guidance_and_draft_case(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    expect(page.locator("#status")).to_be_hidden(timeout=20_000)
    keep(page, "chat-phone-home.png")
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    type_and_send(page, "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万")
    bot_says(page, "拖欠工资")
    expect(page.locator(".msg.user .bubble").last).to_contain_text("巫溪县某鞋业公司")
    tap(page, "登记求助")
    bot_says(page, "谁能看")
    tap(page, "同意")
    bot_says(page, "姓名")
    type_and_send(page, "孙芳")
    bot_says(page, "手机号")
    type_and_send(page, phone)
    bot_says(page, "经过")
    type_and_send(page, "老板跑了，厂里找不到人，有工资条")
    bot_says(page, "请核对")
    card, case_no = confirm(page)
    # The follow code is on the card; the QR code is a real image the browser could draw, and the
    # link carries the code after "#", which no server ever receives.
    code = card.locator(".follow-code").inner_text()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code)
    wait_until(page, "document.querySelector('.card.case img.qr').naturalWidth > 0")
    assert card.locator("img.qr").get_attribute("src").startswith("data:image/svg+xml")
    assert card.locator("a", has_text="查看进度").get_attribute("href") == f"/follow?case={case_no}#{code}"
    bot_says(page, "第二十一条")  # why this station: the last answer of the turn
    expect(page.locator("#typing")).to_be_hidden()
    keep(page, "chat-phone-case.png")

    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["status"] == "draft" and case["category"] == "wage_arrears" and case["phone"] == phone
    assert case["worker_count"] == 16 and case["station"]["id"].startswith("cq-wuxi")

    assert case["follow_code"] == code

    # The worker scans the code later: the page fills the code from the fragment and drops it
    # from the address bar; the server never saw it in a URL.
    page.goto(stack.web + f"/follow?case={case_no}#{code}")
    assert page.input_value("#code") == code and "#" not in page.url
    page.click("button[type=submit]")
    expect(page.locator("#result")).to_contain_text("受理", timeout=10_000)
    expect(page.locator("#result")).to_contain_text(case_no)


def test_reload_keeps_the_conversation_and_its_session(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    type_and_send(page, "公司不给交社保")
    bot_says(page, "社保")
    shown = page.locator(".msg").count()
    session = page.evaluate("localStorage.getItem('gongyou.session')").strip('"')
    page.reload()
    expect(page.locator(".msg")).to_have_count(shown)
    type_and_send(page, "我要登记")
    bot_says(page, "谁能看")
    # Both turns belong to one conversation on the server.
    texts = [e.get("text") for e in stack.tracker_events(f"web-{session}") if e["event"] == "user"]
    assert texts == ["公司不给交社保", "我要登记"]


def test_html_in_a_message_is_shown_as_text(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>老板欠我工资'
    type_and_send(page, payload)
    bot_says(page, "工资")
    expect(page.locator(".msg.user .bubble").last).to_contain_text('<img src=x onerror="window.__xss=1">')
    assert page.evaluate("window.__xss") is None
    assert page.locator("#log img:not(.qr)").count() == 0


def test_a_long_paste_is_cut_with_a_message(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    page.locator("#text").fill("欠" * 100_000)
    assert page.evaluate("document.querySelector('#text').value.length") == 2000
    expect(page.locator("#status")).to_contain_text("只保留了前2000个字")
    page.locator("#text").press("Enter")
    expect(page.locator(".msg.bot").last).to_be_visible(timeout=REPLY)


def test_server_down_keeps_the_text_and_sends_it_when_back(stack, new_page):
    page = new_page(PHONE)
    down = {"on": True}
    # Rasa unreachable: every socket.io request fails until the test lets them through.
    page.route("**/socket.io/**", lambda route: route.abort() if down["on"] else route.continue_())
    page.goto(stack.web + "/")
    expect(page.locator("#status")).to_contain_text("连不上", timeout=20_000)
    type_and_send(page, "老板欠我两个月工资")
    expect(page.locator("#text")).to_have_value("老板欠我两个月工资")
    expect(page.locator("#status")).to_contain_text("您写的内容还在")
    down["on"] = False
    bot_says(page, "拖欠工资")
    expect(page.locator("#text")).to_have_value("")
    expect(page.locator("#status")).to_be_hidden()


def test_shared_position_finds_stations_with_map_links(stack, new_page):
    page = new_page(PHONE, geolocation={"latitude": 29.557, "longitude": 106.577}, permissions=["geolocation"])
    page.goto(stack.web + "/")
    page.click("#locate")
    page.locator(".msg.note.ask button", has_text="同意，发送位置").click()
    card = page.locator(".card.station").first
    expect(card).to_be_visible(timeout=REPLY)
    expect(card).to_contain_text("公里")
    assert (
        page.locator(".card.station a", has_text="看地图")
        .first.get_attribute("href")
        .startswith("https://uri.amap.com/")
    )


def test_font_size_and_contrast_are_remembered(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.click("#bigger")
    page.click("#contrast")
    page.reload()
    after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before
    expect(page.locator("body")).to_have_class(re.compile("contrast"))
    expect(page.locator("#contrast")).to_have_attribute("aria-pressed", "true")


def test_kiosk_whole_intake_by_touch_and_receipt(stack, new_page):
    page = new_page(KIOSK)
    page.goto(stack.web + "/kiosk?station=cq-yuzhong-union")
    expect(page.locator("h1")).to_contain_text("渝中区总工会职工服务站")
    keep(page, "kiosk-home.png")
    page.locator(".tile", has_text="工资被拖欠").click()
    bot_says(page, "拖欠工资")
    tap(page, "登记求助")
    bot_says(page, "谁能看")  # the kiosk shows the same notice, its answers as tiles
    expect(page.locator(".msg.bot .tiles button", has_text="不同意").last).to_be_visible()
    tap(page, "同意")
    bot_says(page, "姓名")
    type_and_send(page, "老周")
    bot_says(page, "手机号")
    page.click("#digits")
    phone = f"137{uuid.uuid4().int % 10**8:08d}"
    for digit in phone:
        page.locator("#keypad .key", has_text=re.compile(f"^{digit}$")).click()
    expect(page.locator("#text")).to_have_value(phone)
    page.click("#send")
    bot_says(page, "单位的全称")
    type_and_send(page, "重庆某某建筑劳务有限公司")
    bot_says(page, "在哪里干活")
    type_and_send(page, "渝中区解放碑")
    bot_says(page, "多少钱")
    tap(page, "不清楚")
    bot_says(page, "持续多久")
    tap(page, "不清楚")
    bot_says(page, "几个人")
    tap(page, "就我一个")
    bot_says(page, "经过")
    type_and_send(page, "干了半年，工头说等结账")
    bot_says(page, "请核对")
    card, case_no = confirm(page)
    keep(page, "kiosk-case.png")
    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["phone"] == phone and case["station"]["id"].startswith("cq-yuzhong")

    # The receipt: what prints is the receipt alone, with the number, the station and the code.
    # (An arrow function: an expression whose value is a function would be called by evaluate.)
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    card.locator("button", has_text="打印回执").click()
    # It prints once the QR code (number and follow code) is drawn.
    wait_until(page, "window.__printed === 1")
    assert page.evaluate("document.querySelector('#receipt img.qr').naturalWidth") > 0
    page.emulate_media(media="print")
    receipt = page.locator("#receipt")
    expect(receipt).to_be_visible()
    expect(receipt).to_contain_text(case_no)
    expect(receipt).to_contain_text(case["follow_code"])
    expect(receipt).to_contain_text("渝中区")
    expect(receipt).to_contain_text("提醒：")  # the category's own clock (bot/cases/wording.py), not a generic one
    expect(page.locator("#composer")).to_be_hidden()
    assert phone not in receipt.inner_text()  # a shared printer: nothing personal on paper
    keep(page, "kiosk-receipt-a5.png")
    page.emulate_media(media="screen")
    card.locator("button", has_text="打印小票").click()
    assert page.evaluate("document.getElementById('print-a5').disabled") is True
    assert page.evaluate("document.getElementById('print-80mm').disabled") is False


def test_kiosk_station_is_the_default_place(stack, new_page):
    page = new_page(KIOSK)
    page.goto(stack.web + "/kiosk?station=jdz-zhejianglu")
    page.locator(".tile", has_text="找服务站").click()
    first = page.locator(".card.station").first
    expect(first).to_be_visible(timeout=REPLY)
    expect(first).to_contain_text("浙江路社区劳动关系公共服务站")


def test_kiosk_idle_reset_wipes_the_screen(stack, new_page):
    page = new_page(KIOSK)
    page.goto(stack.web + "/kiosk?station=cq-yuzhong-union&idle=6")
    page.locator(".tile", has_text="社保没交").click()
    bot_says(page, "社保")
    old_session = page.evaluate("sessionStorage.getItem('gongyou.session')")
    expect(page.locator("#idle")).to_be_visible(timeout=15_000)
    expect(page.locator(".msg")).to_have_count(0, timeout=15_000)
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#idle")).to_be_hidden()
    wait_until(
        page,
        f"sessionStorage.getItem('gongyou.session') && sessionStorage.getItem('gongyou.session') !== {old_session!r}",
    )
    assert page.evaluate("sessionStorage.getItem('gongyou.log')") is None


def test_kiosk_touch_keeps_it_awake(stack, new_page):
    page = new_page(KIOSK)
    page.goto(stack.web + "/kiosk?station=cq-yuzhong-union&idle=6")
    page.locator(".tile", has_text="工伤").click()
    bot_says(page, "工伤")
    expect(page.locator("#idle")).to_be_visible(timeout=15_000)
    page.click("#idle-stay")
    expect(page.locator("#idle")).to_be_hidden()
    assert page.locator(".msg").count() > 0


@pytest.mark.parametrize("event", ["junk", {"message": 5}, {"message": "你好", "session_id": "../../etc"}])
def test_malformed_socket_events_get_a_polite_answer(stack, new_page, event):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    answer = page.evaluate(
        """event => new Promise(resolve => {
        const s = io(document.body.dataset.socket, {path: '/socket.io'});
        setTimeout(() => resolve('no answer in 30 s'), 30000);
        s.on('bot_uttered', m => { resolve(m.text); s.close(); });
        s.on('connect', () => s.emit('user_uttered', event));
    })""",
        event,
    )
    assert answer == "抱歉，消息格式不对，请重新发送。"


def test_an_empty_message_changes_nothing(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    session = uuid.uuid4().hex
    answer = page.evaluate(
        """session => new Promise(resolve => {
        const s = io(document.body.dataset.socket, {path: '/socket.io'});
        setTimeout(() => resolve('no answer in 30 s'), 30000);
        s.on('session_confirm', () => s.emit('user_uttered', {message: '   ', session_id: session}));
        s.on('bot_uttered', m => { resolve(m.text); s.close(); });
        s.on('connect', () => s.emit('session_request', {session_id: session}));
    })""",
        session,
    )
    assert "还没有输入内容" in answer
    assert [e for e in stack.tracker_events(f"web-{session}") if e["event"] == "user"] == []


def sent_messages(stack, session):
    return [e for e in stack.tracker_events(f"web-{session}") if e["event"] == "user"]


def test_position_is_sent_only_after_the_worker_agrees(stack, new_page):
    page = new_page(PHONE, geolocation={"latitude": 29.557, "longitude": 106.577}, permissions=["geolocation"])
    page.goto(stack.web + "/")
    type_and_send(page, "你好")
    bot_says(page, "工友")
    session = page.evaluate("localStorage.getItem('gongyou.session')").strip('"')

    page.click("#locate")
    notice = page.locator(".msg.note.ask").last
    expect(notice).to_contain_text("只用来找附近的服务站")
    notice.locator("button", has_text="不用了").click()
    expect(page.locator(".msg.note.ask")).to_have_count(0)
    page.wait_for_timeout(1500)  # long enough for a message that had been sent to reach the server
    assert [e["text"] for e in sent_messages(stack, session)] == ["你好"]

    page.click("#locate")
    page.locator(".msg.note.ask button", has_text="同意，发送位置").click()
    expect(page.locator(".card.station").first).to_be_visible(timeout=REPLY)
    shared = sent_messages(stack, session)[-1]
    assert shared["metadata"]["location"] == {"latitude": 29.557, "longitude": 106.577}
    keep(page, "chat-phone-location-notice.png")


def test_clear_button_forgets_the_conversation_on_this_phone(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    type_and_send(page, "公司不给交社保")
    bot_says(page, "社保")
    old_session = page.evaluate("localStorage.getItem('gongyou.session')")

    page.click("#clear")  # asks first; "取消" changes nothing
    ask = page.locator(".msg.note.ask").last
    expect(ask).to_contain_text("删除我的信息")
    keep(page, "chat-phone-clear-confirm.png")
    ask.locator("button", has_text="取消").click()
    assert page.evaluate("localStorage.getItem('gongyou.log')") is not None

    page.click("#clear")
    page.locator(".msg.note.ask button", has_text="确定清除").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    wait_until(
        page, f"localStorage.getItem('gongyou.session') && localStorage.getItem('gongyou.session') !== {old_session!r}"
    )
    assert page.evaluate("localStorage.getItem('gongyou.log')") is None
    page.reload()
    expect(page.locator(".msg")).to_have_count(0)
    # The new session is a new conversation on the server too.
    type_and_send(page, "你好")
    bot_says(page, "工友")
    new_session = page.evaluate("localStorage.getItem('gongyou.session')").strip('"')
    assert [e["text"] for e in sent_messages(stack, new_session)] == ["你好"]


def test_a_transcript_unused_for_a_week_is_dropped(stack, new_page):
    page = new_page(PHONE)
    page.goto(stack.web + "/")
    type_and_send(page, "公司不给交社保")
    bot_says(page, "社保")
    page.reload()
    expect(page.locator(".msg.bot")).not_to_have_count(0)
    eight_days = 8 * 24 * 3600 * 1000
    page.evaluate(f"localStorage.setItem('gongyou.seen', String(Date.now() - {eight_days}))")
    page.reload()
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator(".msg")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('gongyou.log')") is None
    assert page.evaluate("localStorage.getItem('gongyou.prefs')") is not None  # display settings stay
