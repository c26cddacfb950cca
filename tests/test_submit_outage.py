"""A confirmed draft is kept when the database and the case service are down, and sent later
(issue 13 item 7): the outbox is written before the station list is read, and a failed reload
keeps the last good list. Real SQLite made unreachable, the real web side started afterwards."""

import asyncio
import logging

import pytest
import requests
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.clients as clients
import bot.stations.finder as finder_module
import bot.stations.routing as routing
from actions.intake import ActionSubmitCase
from bot.cases.client import CaseClient, Outbox
from bot.dialogue import intake
from bot.dialogue.privacy_notice import agreement
from tests.conftest import free_port
from tests.test_case_client import OPERATOR, TOKEN, start_web

pytestmark = pytest.mark.stack


def confirmed(sender, message_id, phone):
    slots = {
        "category": "wage_arrears",
        "consent": agreement(),
        "name": "孙芳",
        "phone": phone,
        "employer": "某鞋业公司",
        "location": "巫溪县",
        "amount": 80000,
        "duration": 3,
        "worker_count": 16,
        "description": "老板跑了",
        "confirmed": True,
    }
    return Tracker(
        sender_id=sender,
        slots=slots,
        latest_message={
            "text": "/affirm",
            "message_id": message_id,
            "intent": {"name": "affirm"},
            "entities": [],
            "metadata": {},
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="case_form",
    )


def submit(tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSubmitCase().run(dispatcher, tracker, {}))
    return [m["text"] for m in dispatcher.messages], events


def test_confirmed_drafts_survive_a_database_outage_and_are_sent_later(tmp_path, monkeypatch, caplog):
    db = tmp_path / "cases.sqlite3"  # what start_web's case service uses too
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    port = free_port()
    client = CaseClient(f"http://127.0.0.1:{port}", TOKEN, Outbox(tmp_path / "outbox.sqlite3"))
    monkeypatch.setattr(clients, "_client", client)
    monkeypatch.setattr(routing, "_finder", None)
    finder = routing.station_finder()
    assert finder.for_case("巫溪县", "wage_arrears")[0].id.startswith("cq-wuxi")  # read while the database is up

    # The database goes away: its file is moved and a directory stands where it was.
    db.rename(tmp_path / "cases.away")
    db.mkdir()
    monkeypatch.setattr(finder_module, "REFRESH_SECONDS", 0)  # the minute is over: a reload is due
    caplog.set_level(logging.WARNING)

    said, events = submit(confirmed("outage-1", "m1", "13900000001"))
    assert said == [intake.QUEUED_TEXT]
    assert "station reload failed" in caplog.text  # the reload was tried, failed, and the old list served
    assert {"event": "slot", "name": "pending_case_key", "timestamp": None, "value": "outage-1:m1"} in events

    # A station list never loaded (a fresh action server during the outage): the draft goes unrouted.
    monkeypatch.setattr(routing, "_finder", None)
    said, _ = submit(confirmed("outage-2", "m1", "13900000002"))
    assert said == [intake.QUEUED_TEXT]
    assert len(client.outbox.pending()) == 2

    # Everything is back: the database, then the case service; the outbox sends both, once.
    db.rmdir()
    (tmp_path / "cases.away").rename(db)
    web = start_web(port, tmp_path)
    try:
        assert client.flush() == 2 and client.flush() == 0
        reply = requests.get(
            f"http://127.0.0.1:{port}/api/cases", headers={"Authorization": f"Bearer {OPERATOR}"}, timeout=10
        )
        cases = {c["phone"]: c for c in reply.json()["cases"]}
        assert set(cases) == {"13900000001", "13900000002"}
        routed = requests.get(
            f"http://127.0.0.1:{port}/api/cases/{cases['13900000001']['case_no']}",
            headers={"Authorization": f"Bearer {OPERATOR}"},
            timeout=10,
        ).json()
        assert routed["station"]["id"].startswith("cq-wuxi")  # from the last good list
    finally:
        web.terminate()
        web.wait(timeout=20)
