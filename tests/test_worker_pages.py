"""The worker pages over HTTP: self-hosted assets, security headers, the follow page's API."""

import re
import uuid

import pytest
import requests

from bot.throttle import Throttle

pytestmark = pytest.mark.stack


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


CONSENT = {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"}


def test_qr_code_carries_the_follow_code_in_the_fragment(stack):
    reply = requests.post(
        stack.web + "/api/qr", json={"case_no": "GY20261123-0042", "follow_code": "k7pq-4xz2"}, timeout=30
    )
    assert reply.status_code == 200 and reply.headers["content-type"] == "image/svg+xml"
    assert "<svg" in reply.text and 'xmlns="http://www.w3.org/2000/svg"' in reply.text
    assert reply.headers["cache-control"] == "no-store"
    # segno is deterministic: the same address gives the same symbol, so this is what it encodes.
    import io

    import segno

    expected = io.BytesIO()
    segno.make(f"{stack.web}/follow?case=GY20261123-0042#K7PQ4XZ2", error="m").save(
        expected, kind="svg", scale=4, border=2
    )
    assert reply.content == expected.getvalue()
    for bad in ({"case_no": "not-a-case", "follow_code": "K7PQ4XZ2"}, {"case_no": "GY20261123-0042"}, []):
        assert requests.post(stack.web + "/api/qr", json=bad, timeout=30).status_code == 400
    # The old image URL, which would put the code in access logs, is gone.
    assert get(stack, "/qr/GY20261123-0042.svg").status_code == 404


def open_case(stack, phone):
    """(case number, follow code) of a fresh draft opened as the bot opens one."""
    body = {
        "category": "wage_arrears",
        "name": "测试",
        "phone": phone,
        "sender_id": "pages-test",
        "description": "跟进页测试",
        "idempotency_key": uuid.uuid4().hex,
        "consent": CONSENT,
    }
    reply = stack.api("/api/cases", method="POST", json=body)
    assert reply.status_code == 201
    return reply.json()["case_no"], reply.json()["follow_code"]


def follow(stack, case_no, code, headers=None):
    return requests.post(
        stack.web + "/api/follow", json={"case_no": case_no, "follow_code": code}, headers=headers or {}, timeout=30
    )


def test_follow_shows_the_status_and_nothing_personal(stack):
    phone = f"135{uuid.uuid4().int % 10**8:08d}"
    case_no, code = open_case(stack, phone)
    found = follow(stack, case_no, code.lower())
    assert found.status_code == 200
    view = found.json()
    assert view["case_no"] == case_no and view["status"] == "draft" and "受理" in view["status_words"]
    assert set(view) == {"case_no", "status", "status_words", "category", "station", "created_at", "updated_at"} | {
        "status_title",
        "timeline",
        "holder",
        "clocks",
        "instalments",
        "overdue",
        "rating",
    }
    assert [step["what"] for step in view["timeline"]] == ["登记了求助"]
    assert phone not in found.text and "测试" not in found.text and code not in found.text
    # The phone's last four digits, the old secret, open nothing.
    old = requests.post(stack.web + "/api/follow", json={"case_no": case_no, "phone_last4": phone[-4:]}, timeout=30)
    assert old.status_code == 400 and "查询码" in old.json()["error"]


def test_follow_refuses_bad_requests_politely(stack):
    for body in (
        None,
        [],
        {"case_no": "GY1", "follow_code": "K7PQ4XZ2"},
        {"case_no": "GY20261123-0001", "follow_code": "12"},
        {"case_no": "GY20261123-0001" + "1" * 5000, "follow_code": "K7PQ4XZ2"},
    ):
        reply = requests.post(stack.web + "/api/follow", json=body, timeout=30)
        assert reply.status_code == 400 and reply.json()["error"]
    garbage = requests.post(stack.web + "/api/follow", data=b"\xff{", timeout=30)
    assert garbage.status_code == 400


def wrong_code(code):
    return ("Z" if code[0] != "Z" else "Y") + code[1:]


def test_follow_cannot_be_guessed(stack):
    case_no, code = open_case(stack, f"136{uuid.uuid4().int % 10**8:08d}")
    # A new address for every try, as a forwarding header would claim: the case's own limit holds.
    codes = [
        follow(stack, case_no, wrong_code(code), {"X-Forwarded-For": f"10.0.0.{i}"}).status_code for i in range(10)
    ]
    assert codes == [404] * 10
    # The 11th try is refused, even with the right code, for this case number until the window passes.
    right = follow(stack, case_no, code, {"X-Forwarded-For": "10.0.0.99"})
    assert right.status_code == 429 and "次数太多" in right.json()["error"]


def test_behind_the_proxy_each_worker_has_their_own_limit(stack):
    """The stack's callers come from loopback, the default trusted proxy: the address it forwards
    is the client, so one worker's wrong tries do not lock the follow page for everyone."""
    cases = [open_case(stack, f"131{uuid.uuid4().int % 10**8:08d}") for _ in range(4)]
    proxied = {"X-Forwarded-For": "203.0.113.5"}
    tries = [follow(stack, cases[i // 10][0], wrong_code(cases[i // 10][1]), proxied).status_code for i in range(30)]
    assert tries == [404] * 30
    fourth, code = cases[3]
    assert follow(stack, fourth, code, {"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    # A client cannot pose as another by prepending hops: the proxy's own (last) hop counts.
    assert follow(stack, fourth, code, {"X-Forwarded-For": "198.51.100.7, 203.0.113.5"}).status_code == 429
    assert follow(stack, fourth, code, {"X-Forwarded-For": "203.0.113.6"}).status_code == 200


def test_the_limit_is_shared_by_every_path(stack):
    case_no, code = open_case(stack, f"137{uuid.uuid4().int % 10**8:08d}")
    bot = {"Authorization": "Bearer test-service-token"}
    statuses = []
    for i in range(4):
        statuses.append(follow(stack, case_no, wrong_code(code)).status_code)
        statuses.append(
            requests.post(
                stack.web + "/api/cases/lookup",
                headers=bot,
                timeout=30,
                json={"case_no": case_no, "follow_code": wrong_code(code), "client": f"web-{i}"},
            ).status_code
        )
    statuses += [
        requests.post(
            stack.web + "/api/follow/erase", json={"case_no": case_no, "follow_code": wrong_code(code)}, timeout=30
        ).status_code
        for _ in range(2)
    ]
    assert statuses == [404] * 10
    refused = requests.post(
        stack.web + "/api/cases/erase-own",
        headers=bot,
        timeout=30,
        json={"case_no": case_no, "follow_code": code, "client": "web-new"},
    )
    assert refused.status_code == 429
    assert stack.api(f"/api/cases/{case_no}").json()["name"] == "测试"  # nothing erased


def test_a_right_code_does_not_use_up_tries(stack):
    case_no, code = open_case(stack, f"138{uuid.uuid4().int % 10**8:08d}")
    assert [follow(stack, case_no, code).status_code for _ in range(15)] == [200] * 15


def test_a_day_of_guessing_cannot_reach_ten_thousand():
    from bot.web import lookup_guard

    per_day = lookup_guard.CASE_TRIES * (24 * 3600 / lookup_guard.WINDOW)
    assert per_day < 10_000 and per_day == 960


def test_parallel_guesses_cannot_slip_under_the_limit():
    from concurrent.futures import ThreadPoolExecutor

    guesses = Throttle({"case": 10, "client": 30}, window=900)
    with ThreadPoolExecutor(max_workers=16) as pool:
        allowed = list(
            pool.map(lambda i: guesses.attempt(case="GY20261123-0001", client=f"ip:{i}") is None, range(100))
        )
    assert allowed.count(True) == 10


def test_throttle_memory_stays_bounded():
    from bot import throttle

    now = [0.0]
    guesses = Throttle({"case": 10, "client": 30}, window=60, clock=lambda: now[0])
    for i in range(throttle.MAX_KEYS + 10):
        guesses.failed(client=f"ip:{i}")
    now[0] = 120
    guesses.failed(client="ip:last")
    assert len(guesses._failures) < 10


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


def test_absurd_case_numbers_are_refused_before_they_become_keys(stack):
    huge = "GY20261123-" + "1" * 60_000  # matches the pattern; no case number is ever this long
    for _ in range(3):
        reply = requests.post(stack.web + "/api/follow", json={"case_no": huge, "phone_last4": "1234"}, timeout=30)
        assert reply.status_code == 400 and "编号" in reply.json()["error"]


def test_throttle_keys_are_bounded_in_length():
    guesses = Throttle({"case": 2}, window=60, clock=lambda: 0.0)
    long_key = "GY20261123-" + "9" * 65_536
    guesses.failed(case=long_key)
    guesses.failed(case=long_key)
    assert guesses.retry_after(case=long_key) == 61  # still counted, as its hash
    assert guesses.retry_after(case=long_key[:-1]) is None  # a different key is not
    assert guesses.attempt(case=long_key) == 61
    assert all(len(value) <= 71 for _, value in guesses._failures)
