"""Contract §6 over HTTP against the real web side on an SQLite file: moves with instalments
and referral, 409 for an impossible move, the case's timeline, instalments and follow-ups,
`POST /api/followups/run` sending each follow-up once even across a restart of the web side, the
chat's turn (service token), and GongYou running the schedule by itself."""

import os
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.db

SERVICE = "followups-test-service-token"
OPERATOR = "followups-test-operator-token"
STORY = {
    "category": "wage_arrears",
    "employer": "渝中区某劳务公司",
    "amount": 48000,
    "worker_count": 16,
    "station_id": "cq-yuzhong-union",
    "station_name": "渝中区总工会职工服务站",
    "sender_id": "rest-api-w16",
}


class Web:
    def __init__(self, tmp_path, every="0"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "GONGYOU_WEB_PORT": str(self.port),
            "GONGYOU_SERVICE_TOKEN": SERVICE,
            "GONGYOU_OPERATOR_TOKEN": OPERATOR,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cases.sqlite3'}",
            "GONGYOU_FOLLOWUP_EVERY_SECONDS": every,
            "WECHAT_APPID": "",
            "GONGYOU_SMS_PROVIDER": "",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.web.app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.base}/healthz", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        pytest.fail("web side did not start")

    def call(self, method, path, token=OPERATOR, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def move(self, no, status, **body):
        return self.call(
            "POST", f"/api/cases/{no}/status", json={"status": status, "note": body.pop("note", ""), **body}
        )

    def run(self, now):
        reply = self.call("POST", "/api/followups/run", json={"now": now})
        assert reply.status_code == 200
        return reply.json()["sent"]

    def turn(self, text, sender="rest-api-w16"):
        reply = self.call("POST", "/api/followups/turn", token=SERVICE, json={"sender_id": sender, "text": text})
        assert reply.status_code == 200
        return reply.json()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def web(tmp_path):
    server = Web(tmp_path)
    yield server
    server.stop()


def open_case(web, **extra):
    reply = web.call("POST", "/api/cases", token=SERVICE, json={**STORY, **extra})
    assert reply.status_code == 201
    return reply.json()["case_no"]


def test_the_story_over_the_api_with_a_restart_in_the_middle(tmp_path):
    web = Web(tmp_path)
    try:
        no = open_case(web)
        for status in ("accepted", "mediating", "mediation_failed"):
            assert web.move(no, status, note="多次调解均未成功").status_code == 200
        referred = web.move(no, "referred", to="labour_inspection", station_id="cq-yuzhong-hrss", note="转劳动监察")
        assert referred.status_code == 200
        assert referred.json()["station"] == {"id": "cq-yuzhong-hrss", "name": "渝中区人社局劳动保障监察"}
        instalments = [{"amount": 16000, "due": d} for d in ("2026-12-15", "2027-01-15", "2027-02-15")]
        assert web.move(no, "agreement", instalments=instalments, note="三期付清").status_code == 200

        case = web.call("GET", f"/api/cases/{no}").json()
        assert [t["status"] for t in case["timeline"]] == [
            "draft",
            "accepted",
            "mediating",
            "mediation_failed",
            "referred",
            "agreement",
        ]
        assert set(case["timeline"][0]) >= {"at", "status", "note"}
        assert [(i["amount"], i["due"], i["paid"]) for i in case["instalments"]] == [
            (16000, "2026-12-15", None),
            (16000, "2027-01-15", None),
            (16000, "2027-02-15", None),
        ]
        assert all(set(f) >= {"due", "kind", "sent_at", "answer"} for f in case["followups"])

        assert web.run("2026-12-15T08:00:00+08:00") == 5  # the five status notices
        assert web.run("2026-12-15T09:00:00+08:00") == 1  # the first visit, on its morning
    finally:
        web.stop()

    # A new web process on the same database: nothing sent again, nothing lost.
    web = Web(tmp_path)
    try:
        assert web.run("2026-12-15T09:00:00+08:00") == 0
        shown = web.turn("你好")
        assert not shown["handled"] and shown["messages"][0].startswith("服务站已受理您的案件" + no)
        assert "第一期16000元" in shown["messages"][-1]
        assert web.turn("收到了")["handled"]
        assert web.run("2027-01-15T10:00:00+08:00") == 1
        second = web.turn("有空吗")
        assert not second["handled"] and len(second["messages"]) == 1 and "第二期16000元" in second["messages"][0]
        unpaid = web.turn("只收到一半")
        assert unpaid["handled"] and "支付令" in unpaid["messages"][0]
        case = web.call("GET", f"/api/cases/{no}").json()
        assert case["overdue"] and [i["paid"] for i in case["instalments"]] == [True, False, None]
        assert web.run("2027-06-01T00:00:00+08:00") == 1  # only the third visit is left
        assert web.run("2027-06-01T00:00:00+08:00") == 0
    finally:
        web.stop()


def test_refusals_are_polite_and_change_nothing(web):
    no = open_case(web, category="pension_adjustment")
    refused = web.move(no, "mediating")
    assert refused.status_code == 409 and "社会保险法" in refused.json()["error"]
    assert web.move(no, "referred", to="arbitration").status_code == 409
    assert web.move(no, "accepted").status_code == 200
    assert web.move(no, "referred", to="nowhere").status_code == 409
    case = web.call("GET", f"/api/cases/{no}").json()
    assert case["status"] == "accepted" and case["instalments"] == []

    wages = open_case(web)
    web.move(wages, "accepted")
    web.move(wages, "mediating")
    bad = web.move(wages, "agreement", instalments=[{"amount": "两千", "due": "下个月"}])
    assert bad.status_code == 409 and "第1期" in bad.json()["error"]

    assert (
        web.call("POST", "/api/followups/run", token=None, json={"now": "2026-12-15T09:00:00+08:00"}).status_code == 401
    )
    assert web.call("POST", "/api/followups/run", token=SERVICE, json={}).status_code == 403
    assert web.call("POST", "/api/followups/run", json={"now": "明天"}).status_code == 400
    assert web.call("POST", "/api/followups/turn", token=SERVICE, json={"sender_id": 5}).status_code == 400
    assert web.call("POST", f"/api/cases/{wages}/instalments/1", json={"paid": True}).status_code == 404


def test_gongyou_runs_the_schedule_by_itself(tmp_path):
    web = Web(tmp_path, every="1")
    try:
        no = open_case(web)
        web.move(no, "accepted", note="已联系")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            sent = [f for f in web.call("GET", f"/api/cases/{no}").json()["followups"] if f["sent_at"]]
            if sent:
                break
            time.sleep(0.5)
        assert [f["kind"] for f in sent] == ["status"] and sent[0]["channel"] == "web"
        assert web.run("2026-11-30T00:00:00+00:00") == 0  # the schedule already sent it, once
    finally:
        web.stop()


def test_a_referral_without_a_station_lands_at_the_nearest_of_its_kind(web):
    """The receiving party must see the case in its queue even when the operator named only the
    party (contract §6 `to`): the nearest registered station of that kind takes it."""
    no = open_case(web)
    for status in ("accepted", "mediating", "mediation_failed"):
        assert web.move(no, status).status_code == 200
    referred = web.move(no, "referred", to="procuratorate", note="多次调解未成功，移送检察院")
    assert referred.status_code == 200
    assert referred.json()["station"]["id"] == "cq-wuxi-procuratorate"
    case = web.call("GET", f"/api/cases/{no}").json()
    assert case["referred_to"] == "procuratorate" and case["referred_from_station"] == "cq-yuzhong-union"
