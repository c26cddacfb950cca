"""The console's API on the real running GongYou: who may call what, sessions, audit, exports, assist."""

import csv
import io
import uuid

import pytest
import requests
from openpyxl import load_workbook

from tests.conftest import SERVICE_TOKEN

pytestmark = pytest.mark.stack

PASSWORD = "console-test-password"

# Every console route with a body it would accept: each must refuse anyone unknown.
ROUTES = [
    ("GET", "/api/console/me"),
    ("POST", "/api/console/logout"),
    ("GET", "/api/console/operators"),
    ("POST", "/api/console/operators"),
    ("GET", "/api/console/audit"),
    ("GET", "/api/console/cases"),
    ("GET", "/api/console/stations"),
    ("GET", "/api/console/cases/GY20260101-0001"),
    ("POST", "/api/console/cases/GY20260101-0001/status"),
    ("GET", "/api/console/handoffs"),
    ("POST", "/api/console/handoffs/1/done"),
    ("POST", "/api/console/assist"),
    ("POST", "/api/console/drafts"),
    ("GET", "/api/console/export.csv"),
    ("GET", "/api/console/export.xlsx"),
    ("GET", "/api/console/dashboard"),
    ("POST", "/api/console/cases/GY20260101-0001/instalments/1"),
    ("GET", "/api/console/aftercare"),
    ("POST", "/api/console/followups/1/answer"),
    ("GET", "/api/console/report.csv"),
    ("GET", "/api/console/cases/GY20260101-0001/roster"),
    ("POST", "/api/console/cases/GY20260101-0001/roster/open"),
    ("POST", "/api/console/cases/GY20260101-0001/roster"),
    ("POST", "/api/console/cases/GY20260101-0001/roster/1"),
    ("POST", "/api/console/cases/GY20260101-0001/roster/1/erase"),
    ("POST", "/api/console/cases/GY20260101-0001/representatives"),
]
SUPERVISOR_ONLY = [
    ("GET", "/api/console/operators"),
    ("POST", "/api/console/operators"),
    ("GET", "/api/console/audit"),
    ("GET", "/api/console/export.csv?unmasked=1"),
    ("GET", "/api/console/export.xlsx?unmasked=1"),
]


def name(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def add_operator(stack, role="supervisor", station=None):
    username = name("sup" if role == "supervisor" else "op")
    reply = stack.api(
        "/api/console/operators",
        method="POST",
        json={
            "username": username,
            "password": PASSWORD,
            "role": role,
            "station_id": station,
            "display_name": "测试" + username,
        },
    )
    assert reply.status_code == 201, reply.text
    return username


class Browser:
    """A signed-in console user: the session cookie in a requests.Session, the CSRF token at hand."""

    def __init__(self, stack, username, password=PASSWORD):
        self.web = stack.web
        self.http = requests.Session()
        reply = self.http.post(
            f"{self.web}/api/console/login", json={"username": username, "password": password}, timeout=30
        )
        assert reply.status_code == 200, reply.text
        self.csrf = reply.json()["csrf"]
        cookie = reply.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie

    def get(self, path, **kwargs):
        return self.http.get(self.web + path, timeout=30, **kwargs)

    def post(self, path, json=None, csrf=True):
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.http.post(self.web + path, json=json if json is not None else {}, headers=headers, timeout=30)


def draft(stack, **fields):
    body = {
        "category": "wage_arrears",
        "name": "赵六",
        "phone": "13700001111",
        "employer": name("某厂"),
        "location": "珠山区",
        "description": "两个月没发工资",
        "consent": {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"},
        **fields,
    }
    reply = stack.api("/api/cases", method="POST", json=body)
    assert reply.status_code == 201
    return reply.json()


@pytest.mark.parametrize("method,path", ROUTES)
def test_every_route_refuses_the_unknown_and_the_bot(stack, method, path):
    for token in (None, "wrong-token"):
        assert stack.api(path, token=token, method=method, json={}).status_code == 401
    # A cookie that names no session is no better than none.
    forged = requests.request(method, stack.web + path, cookies={"gy_console": "forged"}, json={}, timeout=30)
    assert forged.status_code == 401
    # The bot's service token opens drafts, not the console.
    assert stack.api(path, token=SERVICE_TOKEN, method=method, json={}).status_code == 403


@pytest.mark.parametrize("method,path", SUPERVISOR_ONLY)
def test_station_operators_are_refused_supervisor_routes(stack, method, path):
    operator = Browser(stack, add_operator(stack, "station", "jdz-taoxichuan"))
    reply = operator.get(path) if method == "GET" else operator.post(path, json={"username": name("x")})
    assert reply.status_code == 403


def test_cookie_changes_need_the_csrf_header(stack):
    boss = Browser(stack, add_operator(stack))
    case = draft(stack)
    assert (
        boss.post(
            f"/api/console/cases/{case['case_no']}/status", json={"status": "accepted", "note": "已联系"}, csrf=False
        ).status_code
        == 403
    )
    assert stack.api(f"/api/cases/{case['case_no']}").json()["status"] == "draft"
    reply = boss.post(f"/api/console/cases/{case['case_no']}/status", json={"status": "accepted", "note": "已联系"})
    assert reply.status_code == 200 and reply.json()["status"] == "accepted"


def test_status_change_needs_a_note_and_is_audited(stack):
    username = add_operator(stack)
    boss = Browser(stack, username)
    case = draft(stack)
    path = f"/api/console/cases/{case['case_no']}/status"
    assert boss.post(path, json={"status": "accepted", "note": " "}).status_code == 422
    assert boss.post(path, json={"status": "mediating", "note": "跳过受理"}).status_code == 409
    assert boss.post(path, json={"status": "accepted", "note": "已电话联系，周三到站"}).status_code == 200
    history = stack.api(f"/api/cases/{case['case_no']}").json()["history"]
    assert history[-1]["actor"] == username and history[-1]["note"] == "已电话联系，周三到站"
    entries = boss.get(f"/api/console/audit?case_no={case['case_no']}").json()["entries"]
    change = next(e for e in entries if e["action"] == "case.status")
    assert change["actor"] == username and change["detail"]["to"] == "accepted" and change["at"]


def test_station_operator_sees_and_moves_only_their_stations_cases(stack):
    mine = draft(stack, station_id="jdz-taoxichuan", station_name="陶溪川文创街区劳动关系综合服务中心")
    theirs = draft(stack, station_id="cq-wuxi-hrss", station_name="巫溪县人社局劳动保障监察")
    operator = Browser(stack, add_operator(stack, "station", "jdz-taoxichuan"))
    listed = {c["case_no"] for c in operator.get("/api/console/cases?status=").json()["cases"]}
    assert mine["case_no"] in listed and theirs["case_no"] not in listed
    assert operator.get(f"/api/console/cases/{theirs['case_no']}").status_code == 403
    assert (
        operator.post(
            f"/api/console/cases/{theirs['case_no']}/status", json={"status": "accepted", "note": "x"}
        ).status_code
        == 403
    )
    detail = operator.get(f"/api/console/cases/{mine['case_no']}").json()
    assert detail["phone"] == "13700001111"  # in full, here only
    row = next(c for c in operator.get("/api/console/cases").json()["cases"] if c["case_no"] == mine["case_no"])
    assert row["phone"] == "137****1111" and row["name"] == "赵*"
    csv_text = operator.get("/api/console/export.csv").content.decode("utf-8-sig")
    assert mine["case_no"] in csv_text and theirs["case_no"] not in csv_text


def test_queue_filters_and_collective_first(stack):
    boss = Browser(stack, add_operator(stack))
    employer = name("集体欠薪厂")
    big = draft(stack, employer=employer, worker_count=30, category="wage_arrears")
    small = draft(stack, category="overtime")
    rows = boss.get("/api/console/cases?status=draft").json()["cases"]
    numbers = [c["case_no"] for c in rows]
    assert numbers.index(big["case_no"]) < numbers.index(small["case_no"])
    assert all(c["collective"] for c in rows[: numbers.index(big["case_no"]) + 1])
    overtime = boss.get("/api/console/cases?category=overtime").json()["cases"]
    assert overtime and all(c["category"] == "overtime" for c in overtime)
    collective = boss.get("/api/console/cases?collective=1").json()["cases"]
    assert big["case_no"] in {c["case_no"] for c in collective} and all(c["collective"] for c in collective)


def test_exports_are_masked_unless_a_supervisor_asks_and_that_is_logged(stack):
    username = add_operator(stack)
    boss = Browser(stack, username)
    case = draft(stack, phone="13955556666", name="钱七")
    masked = boss.get("/api/console/export.csv?status=draft")
    assert masked.headers["content-type"].startswith("text/csv") and masked.content.startswith(b"\xef\xbb\xbf")
    rows = {r[0]: r for r in csv.reader(io.StringIO(masked.content.decode("utf-8-sig")))}
    assert rows[case["case_no"]][11] == "139****6666" and rows[case["case_no"]][10] == "钱*"
    full = boss.get("/api/console/export.xlsx?status=draft&unmasked=1")
    sheet = load_workbook(io.BytesIO(full.content)).active
    line = next(r for r in sheet.iter_rows(values_only=True) if r[0] == case["case_no"])
    assert line[11] == "13955556666" and line[10] == "钱七"
    entries = boss.get("/api/console/audit?action=export.unmasked").json()["entries"]
    assert entries[0]["actor"] == username and entries[0]["detail"]["format"] == "xlsx"


def test_login_is_throttled_and_logout_ends_the_session(stack):
    username = add_operator(stack)
    url = f"{stack.web}/api/console/login"
    assert (
        requests.post(
            url, data="username=x&password=y", timeout=30, headers={"Content-Type": "application/x-www-form-urlencoded"}
        ).status_code
        == 415
    )
    for _ in range(5):
        wrong = {"username": username, "password": "wrong password"}
        assert requests.post(url, json=wrong, timeout=30).status_code == 401
    paused = requests.post(url, json={"username": username, "password": PASSWORD}, timeout=30)
    assert paused.status_code == 429 and int(paused.headers["Retry-After"]) > 0

    other = Browser(stack, add_operator(stack))
    assert other.get("/api/console/me").status_code == 200
    assert other.post("/api/console/logout").status_code == 200
    other.http.cookies.clear()
    assert other.get("/api/console/me").status_code == 401


def test_the_operator_token_bootstraps_accounts_and_refuses_bad_ones(stack):
    reply = stack.api(
        "/api/console/operators", method="POST", json={"username": name("s"), "password": "short", "role": "supervisor"}
    )
    assert reply.status_code == 422 and "密码" in reply.json()["error"]
    assert stack.api("/api/console/me").json()["user"]["role"] == "supervisor"


def test_assist_reads_a_call_with_the_bots_model_and_saves_a_draft(stack):
    username = add_operator(stack)
    boss = Browser(stack, username)
    result = boss.post(
        "/api/console/assist", json={"text": "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万"}
    ).json()
    assert result["category"] == "wage_arrears" and result["intent"]["confidence"] > 0.5
    assert result["facts"]["amount"] == 80000 and result["facts"]["worker_count"] == 16
    assert "第十条" in result["guidance"] and "群体性纠纷" in result["guidance"]
    assert result["draft"]["station_id"].startswith("cq-wuxi")  # the workplace's station (§21)
    body = {**result["draft"], "name": "来电人", "phone": "13600002222", "idempotency_key": name("k")}
    # Name and phone are kept only when the operator ticks that the caller agreed (contract §5).
    refused = boss.post("/api/console/drafts", json=body)
    assert refused.status_code == 422 and "同意" in refused.json()["error"]
    body["consent"] = True
    saved = boss.post("/api/console/drafts", json=body)
    again = boss.post("/api/console/drafts", json=body)
    assert saved.status_code == 201 and again.status_code == 200
    assert again.json()["case_no"] == saved.json()["case_no"]
    detail = boss.get(f"/api/console/cases/{saved.json()['case_no']}").json()
    assert detail["opened_by"] == "hotline" and detail["transcript"] is None and detail["amount"] == 80000
    assert detail["consent_version"] == "hotline-oral-v1" and detail["consent_at"]
    assert boss.post("/api/console/assist", json={"text": ""}).status_code == 400


def test_dashboard_counts_match_the_queue(stack):
    boss = Browser(stack, add_operator(stack))
    draft(stack, category="work_injury", station_id="jdz-taoxichuan", station_name="陶溪川文创街区劳动关系综合服务中心")
    figures = boss.get("/api/console/dashboard").json()
    every = boss.get("/api/console/cases?status=").json()["cases"]
    assert figures["total"] == len(every)
    by_category = {}
    for c in every:
        by_category[c["category"]] = by_category.get(c["category"], 0) + 1
    assert {c["category"]: c["count"] for c in figures["by_category"]} == by_category
    assert sum(w["count"] for w in figures["by_week"]) == len(every)
    assert any(d["district"] == "珠山区" for d in figures["by_district"])
    station = Browser(stack, add_operator(stack, "station", "jdz-taoxichuan"))
    theirs = station.get("/api/console/dashboard").json()
    assert theirs["scope"] == "jdz-taoxichuan"
    assert theirs["total"] == len(station.get("/api/console/cases?status=").json()["cases"])


def test_station_operators_see_only_their_stations_handoffs_and_each_view_is_audited(stack):
    # The bot's calls, as actions/handoff.py makes them: a worker at a kiosk (the kiosk's station) …
    kiosk_sender = name("web-")
    assert (
        stack.api(
            "/api/handoffs",
            token=SERVICE_TOKEN,
            method="POST",
            json={"sender_id": kiosk_sender, "reason": "asked", "transcript": [], "station_id": "jdz-taoxichuan"},
        ).status_code
        == 201
    )
    # … and a worker whose case went to another station (no kiosk: the case's station).
    case_sender = name("web-")
    draft(stack, station_id="cq-wuxi-hrss", station_name="巫溪县人社局劳动保障监察", sender_id=case_sender)
    assert (
        stack.api(
            "/api/handoffs",
            token=SERVICE_TOKEN,
            method="POST",
            json={"sender_id": case_sender, "reason": "asked", "transcript": [], "phone": "13700002222"},
        ).status_code
        == 201
    )

    def mine(browser):
        return {
            h["sender_id"]
            for h in browser.get("/api/console/handoffs").json()["handoffs"]
            if h["sender_id"] in (kiosk_sender, case_sender)
        }

    taoxichuan = add_operator(stack, "station", "jdz-taoxichuan")
    wuxi = Browser(stack, add_operator(stack, "station", "cq-wuxi-hrss"))
    boss_name = add_operator(stack)
    boss = Browser(stack, boss_name)
    assert mine(Browser(stack, taoxichuan)) == {kiosk_sender}
    assert mine(wuxi) == {case_sender}
    assert len(mine(boss)) == 2
    assert len(mine(boss)) == 2  # polled again: not logged again
    views = [
        e
        for e in boss.get("/api/console/audit?action=handoff.view").json()["entries"]
        if e["actor"] in (taoxichuan, boss_name)
    ]
    assert sorted(e["actor"] for e in views) == sorted([taoxichuan, boss_name, boss_name])
    # Another station's request cannot be closed from here.
    listed = boss.get("/api/console/handoffs").json()["handoffs"]
    theirs = next(h["id"] for h in listed if h["sender_id"] == case_sender)
    assert Browser(stack, taoxichuan).post(f"/api/console/handoffs/{theirs}/done").status_code == 404
    assert wuxi.post(f"/api/console/handoffs/{theirs}/done").status_code == 200


def test_operator_token_calls_are_audited_and_the_token_is_the_actor(stack):
    case = draft(stack)
    boss = Browser(stack, add_operator(stack))
    assert stack.api(f"/api/cases/{case['case_no']}").status_code == 200
    assert stack.api("/api/cases?status=draft").status_code == 200
    assert stack.api("/api/handoffs").status_code == 200
    moved = stack.api(
        f"/api/cases/{case['case_no']}/status",
        method="POST",
        json={"status": "accepted", "note": "脚本受理", "actor": "someone-else"},
    )
    assert moved.status_code == 200 and moved.json()["history"][-1]["actor"] == "operator-token"
    entries = boss.get(f"/api/console/audit?case_no={case['case_no']}").json()["entries"]
    assert {(e["action"], e["actor"]) for e in entries} >= {
        ("case.view", "operator-token"),
        ("case.status", "operator-token"),
    }
    assert next(e for e in entries if e["action"] == "case.status")["detail"]["to"] == "accepted"
    for action in ("case.list", "handoff.list"):
        latest = boss.get(f"/api/console/audit?action={action}").json()["entries"][0]
        assert latest["actor"] == "operator-token" and latest["detail"]["via"] == "api"
    assert all(e["actor"] != "someone-else" for e in boss.get("/api/console/audit").json()["entries"])


def test_absurd_case_numbers_get_a_polite_400(stack):
    boss = Browser(stack, add_operator(stack))
    huge = "GY20261123-" + "1" * 5000
    for reply in (
        stack.api(f"/api/cases/{huge}"),
        boss.get(f"/api/console/cases/{huge}"),
        stack.api(f"/api/cases/{huge}/status", method="POST", json={"status": "accepted"}),
        boss.post(f"/api/console/cases/{huge}/status", json={"status": "accepted", "note": "x"}),
    ):
        assert reply.status_code == 400 and "编号" in reply.json()["error"]
    assert stack.api("/api/cases/GY20261123-99999").status_code == 404  # a plausible one is looked up


def test_sign_in_throttle_counts_the_name_as_verify_reads_it(stack):
    username = add_operator(stack)
    url = f"{stack.web}/api/console/login"
    for spelled in (username, f" {username}", f"{username} ", f"  {username}", f"\t{username}"):
        tried = requests.post(url, json={"username": spelled, "password": "wrong password"}, timeout=30)
        assert tried.status_code == 401
    paused = requests.post(url, json={"username": username, "password": PASSWORD}, timeout=30)
    assert paused.status_code == 429
