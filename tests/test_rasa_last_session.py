"""The in-memory store's retrieval with GongYou's speed-up gives the tracker Rasa's own gives:
the last conversation session, whatever the number of sessions and where they start."""

import asyncio

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.runtime import rasa_serialisation
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def session_start():
    return [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), ActionExecuted("action_listen")]


def turn(text, category):
    return [
        UserUttered(text, {"name": "wage_arrears", "confidence": 1.0}),
        SlotSet("category", category),
        ActionExecuted("action_complaint_reply"),
        ActionExecuted("action_listen"),
    ]


HISTORIES = {
    "no events": [],
    "no session start": turn("欠工资", "wage_arrears"),
    "one session": session_start() + turn("欠工资", "wage_arrears"),
    "a session after other events": turn("欠工资", "wage_arrears") + session_start() + turn("工伤", "work_injury"),
    "three sessions": session_start() + turn("a", "x") + session_start() + turn("b", "y") + session_start(),
}


def retrieved(history, ours):
    store = InMemoryTrackerStore(DOMAIN)
    tracker = DialogueStateTracker.from_events("worker", history, DOMAIN.slots)
    retrieve = (
        rasa_serialisation.in_memory_retrieve
        if ours
        else rasa_serialisation._ORIGINAL.get("in_memory_retrieve", InMemoryTrackerStore._retrieve)
    )

    async def go():
        await store.save(tracker)
        return await retrieve(store, "worker", False), await retrieve(store, "worker", True)

    return asyncio.run(go())


@pytest.mark.parametrize("name", list(HISTORIES))
def test_same_last_session_as_rasa(name):
    ours, rasa = retrieved(HISTORIES[name], True), retrieved(HISTORIES[name], False)
    for mine, theirs in zip(ours, rasa):
        assert mine.current_state(EventVerbosity.ALL) == theirs.current_state(EventVerbosity.ALL)
        assert mine.current_slot_values() == theirs.current_slot_values()
        assert mine.sender_id == theirs.sender_id == "worker"


def test_the_histories_cover_several_sessions():
    last, full = retrieved(HISTORIES["three sessions"], True)
    assert len(last.events) == 3 < len(full.events)
    later = retrieved(HISTORIES["a session after other events"], True)[0]
    assert len(later.events) == 7 and later.get_slot("category") == "work_injury"
