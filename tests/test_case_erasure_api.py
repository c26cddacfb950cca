"""Erasure through the running stack (contract §5): the operator's API and the worker's own
request remove the personal data from the case database, Rasa's tracker store and the bot's
outbox, each checked by reading that store; and the client address behind a proxy."""

import json
import sqlite3
import time
import uuid

import pytest
import requests

from bot.cases.client import CaseClient, Outbox
from tests.conftest import SERVICE_TOKEN, free_port
from tests.test_case_client import start_web

CONSENT = {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"}
PERSONAL = ("name", "phone", "id_number", "location", "description")


def talk(stack, sender, text):
    reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200
    return [m.get("text") or "" for m in reply.json()]


def conversation_with_a_case(stack):
    """A real conversation in Rasa, and a case opened for it as the bot opens one."""
    sender = f"rest-erase-{uuid.uuid4().hex[:8]}"  # the REST channel keeps a rest- sender as it is
    talk(stack, sender, "老板欠我三个月工资，我叫孙芳，电话13812345678")
    assert any(e.get("text") for e in stack.tracker_events(sender) if e["event"] == "user")
    key = f"{sender}:m1"
    body = {
        "category": "wage_arrears",
        "name": "孙芳",
        "phone": "13812345678",
        "id_number": "50010119900101123X",
        "location": "巫溪县",
        "description": "三个月没发工资",
        "employer": "巫溪县某鞋业有限公司",
        "amount": 8000,
        "sender_id": sender,
        "consent": CONSENT,
        "idempotency_key": key,
    }
    reply = stack.api("/api/cases", method="POST", json=body, token=SERVICE_TOKEN)
    assert reply.status_code == 201
    return sender, key, reply.json()


def outbox(stack):
    return Outbox(stack.workdir / "outbox.sqlite3")


def audit_rows(stack, case_no):
    """The case's erasure rows (the operator token's reads of it are audited too, as case.view)."""
    with sqlite3.connect(stack.workdir / "cases.sqlite3") as db:
        return db.execute(
            "SELECT actor, action, detail FROM audit_log WHERE case_no = ? AND action = 'case.erase' ORDER BY id",
            (case_no,),
        ).fetchall()


@pytest.mark.stack
def test_operator_erase_clears_every_store(stack):
    sender, key, case = conversation_with_a_case(stack)
    case_no = case["case_no"]
    assert case["consent_version"] == "2026-11-v1" and case["consent_at"].startswith("2026-11-30T08:00")
    box = outbox(stack)
    box.put(key, {"name": "孙芳", "phone": "13812345678", "sender_id": sender})  # its reply was lost
    box.put(f"{sender}:m2", {"name": "孙芳", "phone": "13812345678", "sender_id": sender})  # a second, pending draft

    assert stack.api(f"/api/cases/{case_no}/erase", method="POST", token=None).status_code == 401
    assert stack.api(f"/api/cases/{case_no}/erase", method="POST", token=SERVICE_TOKEN).status_code == 403
    assert stack.api("/api/cases/GY20990101-0001/erase", method="POST").status_code == 404
    erased = stack.api(f"/api/cases/{case_no}/erase", method="POST")
    assert erased.status_code == 200
    assert erased.json()["erased"]["tracker"] is True and erased.json()["erased"]["outbox"] == 2

    after = stack.api(f"/api/cases/{case_no}").json()
    assert all(after[field] is None for field in PERSONAL)
    assert after["category"] == "wage_arrears" and after["amount"] == 8000 and after["status"] == "draft"
    assert after["employer"] == "巫溪县某鞋业有限公司" and after["created_at"] == case["created_at"]
    # Rasa's tracker store, read back: nothing the worker said is left.
    assert not [e for e in stack.tracker_events(sender) if e["event"] in ("user", "bot")]
    # The outbox: the delivered row is gone, the pending one keeps no personal field.
    rows = {k: json.loads(p) for k, p, _, _ in box.rows() if k.startswith(sender)}
    assert key not in rows and rows[f"{sender}:m2"]["name"] is None and rows[f"{sender}:m2"]["phone"] is None
    ((actor, action, detail),) = audit_rows(stack, case_no)
    assert (actor, action) == ("operator-token", "case.erase") and json.loads(detail)["tracker"] is True


@pytest.mark.stack
def test_a_worker_erases_their_own_case_with_number_and_code(stack):
    sender, _, case = conversation_with_a_case(stack)
    case_no, code = case["case_no"], case["follow_code"]
    wrong = requests.post(
        stack.web + "/api/follow/erase", json={"case_no": case_no, "follow_code": "ZZZZ2222"}, timeout=30
    )
    assert wrong.status_code == 404 and stack.api(f"/api/cases/{case_no}").json()["name"] == "孙芳"
    last4 = requests.post(stack.web + "/api/follow/erase", json={"case_no": case_no, "phone_last4": "5678"}, timeout=30)
    assert last4.status_code == 400
    done = requests.post(stack.web + "/api/follow/erase", json={"case_no": case_no, "follow_code": code}, timeout=30)
    assert done.status_code == 200 and "已经删除" in done.json()["message"]
    assert all(stack.api(f"/api/cases/{case_no}").json()[f] is None for f in PERSONAL)
    assert not [e for e in stack.tracker_events(sender) if e["event"] in ("user", "bot")]
    assert [(a, b) for a, b, _ in audit_rows(stack, case_no)] == [("worker", "case.erase")]
    # The status can still be followed.
    assert (
        requests.post(stack.web + "/api/follow", json={"case_no": case_no, "follow_code": code}, timeout=30).status_code
        == 200
    )


@pytest.mark.stack
def test_the_bots_client_erases_for_the_chat(stack):
    sender, _, case = conversation_with_a_case(stack)
    client = CaseClient(stack.web, SERVICE_TOKEN, Outbox(stack.workdir / "bot-outbox.sqlite3"))
    assert client.erase_own(case["case_no"], "ZZZZ2222", sender) is False
    assert client.erase_own(case["case_no"], case["follow_code"].lower(), sender) is True
    assert stack.api(f"/api/cases/{case['case_no']}").json()["phone"] is None
    # Asked from inside a chat turn, the tracker is erased once the turn is over: seconds later.
    deadline = time.monotonic() + 30
    while [e for e in stack.tracker_events(sender) if e["event"] in ("user", "bot")]:
        assert time.monotonic() < deadline, "tracker not erased"
        time.sleep(1)
    assert client.lookup(case["case_no"], case["follow_code"], sender)["status"] == "draft"


@pytest.mark.stack
def test_forwarding_headers_count_only_from_a_trusted_proxy(tmp_path, monkeypatch):
    """Loopback is not the proxy here: a client cannot pick a new address per try with a header."""
    port = free_port()
    monkeypatch.setenv("GONGYOU_TRUSTED_PROXIES", "10.9.9.9")
    web = start_web(port, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        cases = []
        for _ in range(4):
            reply = requests.post(
                f"{base}/api/cases",
                json={"category": "wage_arrears", "employer": "某厂"},
                headers={"Authorization": "Bearer client-test-service-token"},
                timeout=10,
            )
            cases.append(reply.json()["case_no"])
        # 30 wrong tries per client: spread over cases (each under its own limit of 10) …
        statuses = [
            requests.post(
                f"{base}/api/follow",
                json={"case_no": cases[i % 4], "follow_code": "ZZZZ2222"},
                headers={"X-Forwarded-For": f"10.1.1.{i}", "X-Real-IP": f"10.2.2.{i}"},
                timeout=10,
            ).status_code
            for i in range(31)
        ]
        # … the 31st is refused: every header claimed another address, all were one client.
        assert statuses[:30] == [404] * 30 and statuses[30] == 429
    finally:
        web.terminate()
        web.wait(timeout=20)


def old_draft(db_path):
    """A draft opened 100 days ago, never accepted: past the 90-day retention."""
    from datetime import datetime, timedelta, timezone

    from bot.cases.service import CaseService
    from bot.storage.engine import make_engine, session_factory, upgrade

    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    past = CaseService(session_factory(engine), clock=lambda: datetime.now(timezone.utc) - timedelta(days=100))
    case, _ = past.open_draft(
        {
            "category": "wage_arrears",
            "name": "孙芳",
            "phone": "13812345678",
            "sender_id": "old-chat",
            "consent": CONSENT,
        },
        "old",
    )
    engine.dispose()
    return case["case_no"]


@pytest.mark.db
def test_purge_by_hand(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    case_no = old_draft(tmp_path / "cases.sqlite3")
    env = {k: v for k, v in __import__("os").environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'cases.sqlite3'}",
        GONGYOU_OUTBOX=str(tmp_path / "none.sqlite3"),
        GONGYOU_RASA_URL=f"http://127.0.0.1:{free_port()}",
    )  # no Rasa: the tracker is retried later
    done = subprocess.run(
        [sys.executable, "-m", "bot.cases.purge"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1])["cases"] == 1
    with sqlite3.connect(tmp_path / "cases.sqlite3") as db:
        assert db.execute("SELECT name, phone, category FROM cases WHERE case_no = ?", (case_no,)).fetchone() == (
            None,
            None,
            "wage_arrears",
        )


@pytest.mark.stack
def test_the_web_side_purges_on_its_own(tmp_path, monkeypatch):
    case_no = old_draft(tmp_path / "cases.sqlite3")
    monkeypatch.setenv("GONGYOU_RASA_URL", f"http://127.0.0.1:{free_port()}")
    port = free_port()
    web = start_web(port, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            case = requests.get(
                f"http://127.0.0.1:{port}/api/cases/{case_no}",
                timeout=10,
                headers={"Authorization": "Bearer client-test-operator-token"},
            ).json()
            if case["name"] is None:
                break
            assert time.monotonic() < deadline, "the scheduled purge did not run"
            time.sleep(1)
        assert case["phone"] is None and case["erased_at"]
        with sqlite3.connect(tmp_path / "cases.sqlite3") as db:
            (holder,) = db.execute("SELECT holder FROM maintenance_runs WHERE job = 'purge'").fetchone()
            assert holder
    finally:
        web.terminate()
        web.wait(timeout=20)
