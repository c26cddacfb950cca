"""Custom actions run on a tracker as Rasa would send it (no action server, no mocks)."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint import ActionComplaintReply
from actions.intake import ActionIntakeDeny, ValidateCaseForm
from bot.dialogue.privacy_notice import agreement

pytestmark = pytest.mark.unit


def tracker(intent, slots, text="x", active_loop=None, entities=()):
    return Tracker(
        sender_id="t1",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(intent, slots, action=None, **kwargs):
    dispatcher = CollectingDispatcher()
    events = asyncio.run((action or ActionComplaintReply()).run(dispatcher, tracker(intent, slots, **kwargs), {}))
    return dispatcher.messages, events


def test_complaint_action_states_facts_and_offers_next_steps():
    messages, events = run("wage_arrears", {"amount": 8000, "duration": 2, "worker_count": None})
    assert events == [{"event": "slot", "name": "category", "timestamp": None, "value": "wage_arrears"}]
    assert "8000元" in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]][:3] == ["/find_station", "/open_case", "/human_handoff"]


def test_non_complaint_intent_gets_the_default_response():
    messages, _ = run("greet", {})
    assert messages[0]["response"] == "utter_default"


def test_unknown_to_an_optional_question_is_an_answer_not_a_cancel():
    _, events = run("deny", {"requested_slot": "amount"}, ActionIntakeDeny(), text="不清楚", active_loop="case_form")
    assert {"event": "slot", "name": "amount", "timestamp": None, "value": "不清楚"} in events
    assert not any(e["event"] == "active_loop" for e in events)


def test_cancel_words_end_the_intake_and_clear_it():
    messages, events = run(
        "deny",
        {"requested_slot": "name", "phone": "13812345678"},
        ActionIntakeDeny(),
        text="算了，不登记了",
        active_loop="case_form",
    )
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert {"event": "slot", "name": "phone", "timestamp": None, "value": None} in events
    assert "已取消" in messages[0]["text"]


def test_ten_digit_phone_is_asked_again_with_the_reason():
    form = ValidateCaseForm()
    dispatcher = CollectingDispatcher()
    result = form.validate_phone(
        "1381234567",
        dispatcher,
        tracker("inform", {"requested_slot": "phone", "consent": agreement()}, text="1381234567"),
        {},
    )
    assert result == {"phone": None} and "10位" in dispatcher.messages[0]["text"]


def test_correction_clears_only_the_named_field():
    form = ValidateCaseForm()
    dispatcher = CollectingDispatcher()
    result = form.validate_confirmed("电话写错了", dispatcher, tracker("inform", {}, text="电话写错了"), {})
    assert result == {"confirmed": None, "phone": None}
