"""The actions' case client against the real web side: a confirmed case survives an outage."""
import os
import subprocess
import sys
import time

import pytest
import requests

from bot.cases.client import CaseClient, Outbox
from tests.conftest import ROOT, free_port

TOKEN = "client-test-service-token"
OPERATOR = "client-test-operator-token"
DRAFT = {"category": "wage_arrears", "name": "刘强", "phone": "13512348765", "employer": "恒通建材",
         "amount": 12000, "worker_count": 9}


def start_web(port, tmp_path):
    env = {**os.environ, "GONGYOU_WEB_PORT": str(port), "GONGYOU_SERVICE_TOKEN": TOKEN,
           "GONGYOU_OPERATOR_TOKEN": OPERATOR, "DATABASE_URL": f"sqlite:///{tmp_path / 'cases.sqlite3'}"}
    proc = subprocess.Popen([sys.executable, "-m", "bot.web.app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    reply = requests.get(f"http://127.0.0.1:{port}/api/cases", headers={"Authorization": f"Bearer {OPERATOR}"},
                         timeout=10)
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
        assert client.outbox.case_no("worker-1:msg-9").startswith("GY")
        again = client.submit(DRAFT, "worker-1:msg-9")  # the action retried by Rasa
        assert again.case["case_no"] == client.outbox.case_no("worker-1:msg-9")
        assert len(cases(port)) == 1

        refused = client.submit({**DRAFT, "phone": "123"}, "worker-2:msg-1")
        assert refused.error and "电话" in refused.error and not refused.queued
        assert len(cases(port)) == 1

        found = client.lookup(again.case["case_no"], "8765")
        assert found["status"] == "draft"
        assert client.lookup(again.case["case_no"], "0000") is None
    finally:
        web.terminate()
        web.wait(timeout=20)


def test_local_mode_needs_no_server(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    client = CaseClient("local", outbox=Outbox(tmp_path / "outbox.sqlite3"))
    case = client.submit(DRAFT, "kiosk:1").case
    assert case["case_no"].startswith("GY") and client.submit(DRAFT, "kiosk:1").case["case_no"] == case["case_no"]
