"""Custom actions run on a tracker as Rasa would send it (no action server, no mocks)."""
import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint import ActionComplaintReply


def tracker(intent, slots):
    return Tracker(
        sender_id="t1", slots=slots,
        latest_message={"text": "x", "intent": {"name": intent, "confidence": 0.9}, "entities": []},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


def run(intent, slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionComplaintReply().run(dispatcher, tracker(intent, slots), {}))
    return dispatcher.messages, events


def test_complaint_action_states_facts_and_offers_next_steps():
    messages, events = run("wage_arrears", {"amount": 8000, "duration": 2, "worker_count": None})
    assert events == []
    assert "8000元" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == 3


def test_non_complaint_intent_gets_the_default_response():
    messages, _ = run("greet", {})
    assert messages[0]["response"] == "utter_default"
