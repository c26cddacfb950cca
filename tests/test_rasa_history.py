"""The past states of bot/runtime/rasa_history.py are Rasa's own after every event: on one tracker
object extended event by event, and on a new tracker per event (as the processor reads each
message back from the store), through forms whose turns the next form run undoes, interruptions,
fallbacks that revert a user utterance, restarts and new sessions, for the flags the policies use.
When the applied events part from what a replay consumed, it goes back to a checkpoint, not to
the first event."""

import copy

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    BotUttered,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime import rasa_history, rasa_tracker_copy
from tests.test_rasa_tracker_copy import DOMAIN, event_sequences

pytestmark = pytest.mark.unit

RULE_ONLY = {"slots": ["requested_slot"], "loops": ["status_form"]}
FLAGS = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
    {"ignore_rule_only_turns": True, "rule_only_data": None},
]


def user(text, intent, entities=()):
    return UserUttered(text, {"name": intent, "confidence": 0.9}, list(entities))


def form_turn(form, slot, value, ask):
    """The user answers the requested slot, the form runs again and asks for the next one."""
    return [
        ActionExecuted("action_listen"),
        user(str(value), "inform"),
        SlotSet(slot, value),
        ActionExecuted(form),
        SlotSet("requested_slot", ask),
        BotUttered(f"请告诉我{ask}"),
    ]


def conversation_with_forms():
    """A case told through the case form, with a detour, a fallback and a second form after it."""
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        user("老板欠我两个月工资", "wage_arrears"),
        SlotSet("category", "wage_arrears"),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
        user("/open_case", "open_case"),
        ActionExecuted("case_form"),
        ActiveLoop("case_form"),
        SlotSet("requested_slot", "name"),
        *form_turn("case_form", "name", "王小明", "phone"),
        # A question in the middle of the form: the form is rejected, a rule answers, the form goes on.
        ActionExecuted("action_listen"),
        user("你们是谁", "ask_who"),
        ActionExecutionRejected("case_form"),
        LoopInterrupted(True),
        ActionExecuted("utter_greet"),
        ActionExecuted("case_form"),
        SlotSet("requested_slot", "phone"),
        # Not understood: the fallback reverts the utterance.
        ActionExecuted("action_listen"),
        user("啊啊啊", "nlu_fallback"),
        ActionExecuted("action_default_fallback"),
        UserUtteranceReverted(),
        *form_turn("case_form", "phone", "13800138000", "description"),
        *form_turn("case_form", "description", "他不给钱", None),
        ActiveLoop(None),
        ActionExecuted("action_submit_case"),
        SlotSet("lookup_case_no", "GY20261130-0001"),
        ActionExecuted("action_listen"),
        user("查进度", "ask_status"),
        ActionExecuted("status_form"),
        ActiveLoop("status_form"),
        SlotSet("requested_slot", "lookup_follow_code"),
        *form_turn("status_form", "lookup_follow_code", "ABCD-1234", None),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
        user("重新开始", "restart"),
        ActionExecuted("action_restart"),
        Restarted(),
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        user("你好", "greet"),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
    ]


def sequences():
    return event_sequences() + [conversation_with_forms()]


def rasas_states(tracker, flags):
    return rasa_history._ORIGINAL["states_for_tracker_history"](DOMAIN, tracker, **flags)


@pytest.fixture(autouse=True)
def history_installed():
    from rasa.shared.core.domain import Domain

    saved = DialogueStateTracker.applied_events, Domain.states_for_tracker_history
    rasa_history.install()
    rasa_history._RECENT.clear()
    yield
    DialogueStateTracker.applied_events, Domain.states_for_tracker_history = saved
    rasa_history._RECENT.clear()


def test_the_same_states_as_rasa_on_one_tracker_after_every_event():
    compared = 0
    for n, events in enumerate(sequences()):
        tracker = DialogueStateTracker(f"one-{n}", DOMAIN.slots)
        for event in events:
            tracker.update(copy.copy(event), DOMAIN)
            for flags in FLAGS:
                assert DOMAIN.states_for_tracker_history(tracker, **flags) == rasas_states(tracker, flags), (
                    event,
                    flags,
                )
                compared += 1
    assert compared > 1000


def test_the_same_states_as_rasa_on_a_new_tracker_per_event():
    """Each step a new tracker with the same events (copied, as the store hands them out), or
    with equal events read back from JSON, as the SQL store hands them out."""
    for n, events in enumerate(sequences()):
        tracker = DialogueStateTracker(f"new-{n}", DOMAIN.slots)
        for i, event in enumerate(events):
            tracker.update(copy.copy(event), DOMAIN)
            if i % 2:
                tracker = rasa_tracker_copy.state_copy(tracker)
            else:
                tracker = DialogueStateTracker.from_dict(
                    tracker.sender_id, tracker.current_state(rasa_history_verbosity())["events"], DOMAIN.slots
                )
            for flags in FLAGS:
                assert DOMAIN.states_for_tracker_history(tracker, **flags) == rasas_states(tracker, flags), (i, event)


def rasa_history_verbosity():
    from rasa.shared.core.trackers import EventVerbosity

    return EventVerbosity.ALL


def test_states_handed_out_are_the_callers_own():
    tracker = DialogueStateTracker.from_events("own", conversation_with_forms()[:20], DOMAIN.slots)
    first = DOMAIN.states_for_tracker_history(tracker)
    first[-1].clear()
    first[-2]["prev_action"]["action_name"] = "edited"
    assert DOMAIN.states_for_tracker_history(tracker) == rasas_states(tracker, {})


def test_a_form_run_goes_back_to_a_checkpoint_not_to_the_first_event(monkeypatch):
    """The form's undo parts the applied events from what the replay consumed; only the events
    since the last checkpoint are replayed again."""
    events = conversation_with_forms()
    tracker = DialogueStateTracker("checkpoint", DOMAIN.slots)
    for event in events[:30]:
        tracker.update(copy.copy(event), DOMAIN)
    DOMAIN.states_for_tracker_history(tracker)
    replayed = []
    update = DialogueStateTracker.update
    monkeypatch.setattr(
        DialogueStateTracker, "update", lambda self, e, d=None: (replayed.append(e), update(self, e, d))
    )
    # The user answers the phone number, the form runs again: its last listen and utterance undone.
    for event in form_turn("case_form", "phone", "13800138000", "description"):
        tracker.events.append(copy.copy(event))
        event.apply_to(tracker)
    replayed.clear()
    ours = DOMAIN.states_for_tracker_history(tracker)
    replayed_by_us = len(replayed)
    assert ours == rasas_states(tracker, {})
    assert len(replayed) > 25  # Rasa: every applied event
    assert 0 < replayed_by_us <= 8, replayed_by_us
