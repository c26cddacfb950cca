"""The tracker copy of bot/runtime/rasa_tracker_copy.py holds exactly the state Rasa's replayed
`copy()` rebuilds, after every event of GongYou's own rules (forms, loops, slots) and of the
events that undo or reset (rejections, reverts, restarts, new sessions, pauses), and it is
independent of the tracker it came from. A GongYou Rasa process has it installed."""

import copy
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from bot.runtime import rasa_tracker_copy
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def state(tracker):
    """Everything a tracker holds, slots by their attributes."""
    out = {}
    for name, value in vars(tracker).items():
        if name.startswith("_gongyou"):
            continue
        if name == "slots":
            value = {key: (type(slot), vars(slot)) for key, slot in value.items()}
        elif name == "events":
            value = list(value)
        out[name] = value
    out["current_state"] = tracker.current_state(EventVerbosity.ALL)
    return out


def undo_and_reset_events():
    return [
        ActionExecuted("action_listen"),
        UserUttered("老板欠我工资", {"name": "report_wage_arrears", "confidence": 0.9}),
        SlotSet("category", "wage_arrears"),
        ActionExecuted("case_form"),
        ActiveLoop("case_form"),
        SlotSet("requested_slot", "employer_name"),
        BotUttered("单位叫什么名字？"),
        ActionExecuted("action_listen"),
        UserUttered("算了", {"name": "deny", "confidence": 0.8}),
        ActionExecutionRejected("case_form"),
        LoopInterrupted(True),
        ActionExecuted("utter_default"),
        ActionReverted(),
        UserUtteranceReverted(),
        FollowupAction("case_form"),
        ConversationPaused(),
        ConversationResumed(),
        SlotSet("category", ["a", "b"]),
        AllSlotsReset(),
        ActiveLoop(None),
        Restarted(),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        SlotSet("category", "pension"),
        ActionExecuted("action_listen"),
    ]


def event_sequences():
    steps = YAMLStoryReader(DOMAIN).read_from_file(str(ROOT / "data" / "rules.yml"))
    sequences = [[e for e in step.events if not type(e).__name__.startswith("Rule")] for step in steps]
    sequences = [events for events in sequences if events]
    assert len(sequences) >= 20
    # All the rules one after the other: one long conversation with every form of the domain.
    return sequences + [[e for events in sequences for e in events], undo_and_reset_events()]


def test_the_copy_equals_rasas_replay_after_every_event():
    compared = 0
    for events in event_sequences():
        tracker = DialogueStateTracker("s", DOMAIN.slots)
        tracker.model_id = "model"
        tracker.sender_source = "bench"
        for event in events:
            tracker.update(copy.copy(event), DOMAIN)
            ours, rasas = rasa_tracker_copy.state_copy(tracker), rasa_tracker_copy.replayed_copy(tracker)
            assert state(ours) == state(rasas), (event, events)
            compared += 1
    assert compared > 200


def test_the_copy_is_independent_of_its_tracker():
    tracker = DialogueStateTracker.from_events("s", undo_and_reset_events()[:7], DOMAIN.slots)
    before = state(tracker)
    ours = rasa_tracker_copy.state_copy(tracker)
    ours.update(SlotSet("category", "injury"))
    ours.update(ActionExecutionRejected("case_form"))
    ours.update(ActiveLoop(None))
    ours.latest_action["action_name"] = "edited"
    assert state(tracker) == before
    assert ours.get_slot("category") == "injury" and tracker.get_slot("category") == "wage_arrears"


def test_the_module_is_where_the_docs_say():
    assert Path(rasa_tracker_copy.__file__).name == "rasa_tracker_copy.py"
