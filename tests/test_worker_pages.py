"""The worker pages over HTTP: self-hosted assets, security headers, the follow page's API."""
import re
import uuid

import requests

from bot.throttle import Throttle


def get(stack, path, **kwargs):
    return requests.get(stack.web + path, timeout=30, **kwargs)


def test_pages_load_nothing_from_elsewhere(stack):
    for path in ("/", "/kiosk?station=cq-yuzhong-union", "/follow"):
        page = get(stack, path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy
        assert page.headers["x-content-type-options"] == "nosniff"
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        assert "<script>" not in page.text  # no inline script: the policy would block it


def test_assets_are_served_with_cache_headers(stack):
    vendor = get(stack, "/vendor/socket.io.min.js")
    assert vendor.status_code == 200 and "max-age=86400" in vendor.headers["cache-control"]
    assert vendor.headers["content-type"] == "text/javascript; charset=utf-8"
    own = get(stack, "/static/chat/chat.js")
    assert own.status_code == 200 and own.headers["cache-control"] == "no-cache"
    again = get(stack, "/static/chat/chat.js", headers={"If-None-Match": own.headers["etag"]})
    assert again.status_code == 304


def test_no_file_outside_the_asset_folders(stack):
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/vendor/../../Makefile", "/static/nothing.js"):
        assert get(stack, path).status_code == 404, path


def test_kiosk_names_its_station_and_escapes_what_it_is_given(stack):
    page = get(stack, "/kiosk?station=cq-yuzhong-union")
    assert "渝中区总工会职工服务站" in page.text and 'data-station="cq-yuzhong-union"' in page.text
    odd = get(stack, '/kiosk?station="><script>alert(1)</script>&idle=abc')
    assert odd.status_code == 200 and "<script>alert" not in odd.text and 'data-station=""' in odd.text
    assert 'data-idle="180"' in odd.text


def test_qr_code_carries_only_the_follow_address(stack):
    svg = get(stack, "/qr/GY20261123-0042.svg")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert "<svg" in svg.text and 'xmlns="http://www.w3.org/2000/svg"' in svg.text
    assert get(stack, "/qr/not-a-case.svg").status_code == 404


def open_case(stack, phone):
    body = {"category": "wage_arrears", "name": "测试", "phone": phone, "sender_id": "pages-test",
            "description": "跟进页测试", "idempotency_key": uuid.uuid4().hex}
    reply = stack.api("/api/cases", method="POST", json=body)
    assert reply.status_code == 201
    return reply.json()["case_no"]


def test_follow_shows_the_status_and_nothing_personal(stack):
    phone = f"135{uuid.uuid4().int % 10 ** 8:08d}"
    case_no = open_case(stack, phone)
    found = requests.post(stack.web + "/api/follow", json={"case_no": case_no, "phone_last4": phone[-4:]}, timeout=30)
    assert found.status_code == 200
    view = found.json()
    assert view["case_no"] == case_no and view["status"] == "draft" and "受理" in view["status_words"]
    assert phone not in found.text and "测试" not in found.text


def test_follow_refuses_bad_requests_politely(stack):
    for body in (None, [], {"case_no": "GY1", "phone_last4": "1234"}, {"case_no": "GY20261123-0001", "phone_last4": "12"}):
        reply = requests.post(stack.web + "/api/follow", json=body, timeout=30)
        assert reply.status_code == 400 and reply.json()["error"]
    garbage = requests.post(stack.web + "/api/follow", data=b"\xff{", timeout=30)
    assert garbage.status_code == 400


def test_follow_cannot_be_guessed(stack):
    phone = f"136{uuid.uuid4().int % 10 ** 8:08d}"
    case_no = open_case(stack, phone)
    wrong = f"{(int(phone[-4:]) + 1) % 10000:04d}"
    codes = [requests.post(stack.web + "/api/follow", json={"case_no": case_no, "phone_last4": wrong},
                           timeout=30).status_code for _ in range(10)]
    assert codes == [404] * 10
    # Even the right digits are refused now, for this case number, until the window passes.
    right = requests.post(stack.web + "/api/follow", json={"case_no": case_no, "phone_last4": phone[-4:]}, timeout=30)
    assert right.status_code == 429 and "次数太多" in right.json()["error"]


def test_failed_attempts_are_forgotten_after_the_window():
    now = [0.0]
    guesses = Throttle({"case": 2, "address": 3}, window=60, clock=lambda: now[0])
    guesses.failed(case="GY20261123-0001", address="1.2.3.4")
    guesses.failed(case="GY20261123-0001", address="1.2.3.4")
    assert guesses.retry_after(case="GY20261123-0001") == 61
    assert guesses.retry_after(address="1.2.3.4") is None  # the address may try another case
    guesses.failed(case="GY20261123-0002", address="1.2.3.4")
    assert guesses.retry_after(case="GY20261123-0003", address="1.2.3.4")
    now[0] = 61
    assert guesses.retry_after(case="GY20261123-0001", address="1.2.3.4") is None
