"""The actions' case client against the real web side: a confirmed case survives an outage."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests

from bot.cases.client import CaseClient, Outbox, ThrottledLookup
from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.stack

TOKEN = "client-test-service-token"
OPERATOR = "client-test-operator-token"
DRAFT = {
    "category": "wage_arrears",
    "name": "刘强",
    "phone": "13512348765",
    "employer": "恒通建材",
    "amount": 12000,
    "worker_count": 9,
    "consent": {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"},
}


def start_web(port, tmp_path):
    env = {
        **os.environ,
        "GONGYOU_WEB_PORT": str(port),
        "GONGYOU_SERVICE_TOKEN": TOKEN,
        "GONGYOU_OPERATOR_TOKEN": OPERATOR,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cases.sqlite3'}",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.web.app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("web side did not start")


def cases(port):
    reply = requests.get(
        f"http://127.0.0.1:{port}/api/cases", headers={"Authorization": f"Bearer {OPERATOR}"}, timeout=10
    )
    return reply.json()["cases"]


def test_submission_while_down_is_kept_and_sent_once_later(tmp_path):
    port = free_port()
    client = CaseClient(f"http://127.0.0.1:{port}", TOKEN, Outbox(tmp_path / "outbox.sqlite3"))
    first = client.submit(DRAFT, "worker-1:msg-9")
    assert first.queued and first.case is None
    assert len(client.outbox.pending()) == 1

    web = start_web(port, tmp_path)
    try:
        assert client.flush() == 1
        assert client.flush() == 0
        number, code = client.outbox.receipt("worker-1:msg-9")
        assert number.startswith("GY") and len(code) == 8
        # Delivered: the row keeps the number and code for the worker, nothing personal.
        assert [json.loads(p) for k, p, _, _ in client.outbox.rows()] == [{}]
        again = client.submit(DRAFT, "worker-1:msg-9")  # the action retried by Rasa
        assert (again.case["case_no"], again.case["follow_code"]) == (number, code)
        assert len(cases(port)) == 1

        refused = client.submit({**DRAFT, "phone": "123"}, "worker-2:msg-1")
        assert refused.error and "电话" in refused.error and not refused.queued
        assert len(cases(port)) == 1

        found = client.lookup(again.case["case_no"], code, "worker-1")
        assert found["status"] == "draft" and "phone" not in found
        assert client.lookup(again.case["case_no"], "8765", "worker-1") is None  # phone digits open nothing
        for _ in range(9):
            assert client.lookup(again.case["case_no"], "ZZZZ2222", "worker-1") is None
        with pytest.raises(ThrottledLookup):  # the 11th wrong try
            client.lookup(again.case["case_no"], code, "worker-1")

        no_consent = client.submit({k: v for k, v in DRAFT.items() if k != "consent"}, "worker-3:msg-1")
        assert no_consent.error and "同意" in no_consent.error and len(cases(port)) == 1
    finally:
        web.terminate()
        web.wait(timeout=20)


def test_local_mode_needs_no_server(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    client = CaseClient("local", outbox=Outbox(tmp_path / "outbox.sqlite3"))
    case = client.submit(DRAFT, "kiosk:1").case
    assert case["case_no"].startswith("GY") and client.submit(DRAFT, "kiosk:1").case["case_no"] == case["case_no"]


def test_api_roles_and_malformed_requests(tmp_path):
    port = free_port()
    web = start_web(port, tmp_path)
    base = f"http://127.0.0.1:{port}"
    service = {"Authorization": f"Bearer {TOKEN}"}
    operator = {"Authorization": f"Bearer {OPERATOR}"}
    try:
        assert requests.get(f"{base}/api/cases", headers=service, timeout=10).status_code == 403
        assert requests.post(f"{base}/api/cases", data=b"{not json", headers=service, timeout=10).status_code == 400
        assert requests.post(f"{base}/api/cases", json=[1, 2], headers=service, timeout=10).status_code == 400
        cases = f"{base}/api/cases"
        assert requests.post(cases, json={"category": "x"}, headers=service, timeout=10).status_code == 422
        assert requests.post(cases, data=b"x" * 200_000, headers=service, timeout=10).status_code == 413
        created = requests.post(cases, json=DRAFT, headers={**service, "Idempotency-Key": "a"}, timeout=10)
        assert created.status_code == 201
        case_no = created.json()["case_no"]
        moved = requests.post(
            f"{base}/api/cases/{case_no}/status",
            json={"status": "accepted", "note": "已联系"},
            headers=operator,
            timeout=10,
        )
        assert moved.status_code == 200 and moved.json()["status"] == "accepted"
        back = requests.post(
            f"{base}/api/cases/{case_no}/status", json={"status": "draft"}, headers=operator, timeout=10
        )
        assert back.status_code == 409
        assert (
            requests.post(
                f"{base}/api/cases/{case_no}/status", json={"status": "closed"}, headers=service, timeout=10
            ).status_code
            == 403
        )
    finally:
        web.terminate()
        web.wait(timeout=20)


def test_a_handoff_while_down_is_kept_sent_later_and_erasable(tmp_path):
    """Issue 13: a failed handoff was dropped while the worker heard that staff would call."""
    port = free_port()
    client = CaseClient(f"http://127.0.0.1:{port}", TOKEN, Outbox(tmp_path / "outbox.sqlite3"))
    transcript = [{"who": "worker", "text": "转人工"}]
    assert client.handoff("worker-9", "asked", transcript, "13512348765") is False
    kept = client.outbox.pending()
    assert len(kept) == 1 and json.loads(kept[0][1])["phone"] == "13512348765"

    web = start_web(port, tmp_path)
    try:
        assert client.flush() == 0  # no case number: a handoff is not a draft
        assert client.outbox.pending() == []
        listed = requests.get(
            f"http://127.0.0.1:{port}/api/handoffs", headers={"Authorization": f"Bearer {OPERATOR}"}, timeout=10
        ).json()["handoffs"]
        assert [(h["sender_id"], h["phone"]) for h in listed] == [("worker-9", "13512348765")]
    finally:
        web.terminate()
        web.wait(timeout=20)

    client.handoff("worker-9", "asked", transcript + transcript, "13512348765")  # down again: kept
    assert client.outbox.erase([], "worker-9") == 1 and client.outbox.pending() == []
