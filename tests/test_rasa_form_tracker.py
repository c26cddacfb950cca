"""A form's temporary tracker, copied from the tracker's state by bot/runtime/rasa_form_tracker.py,
holds exactly what Rasa's replay of the events since the last restart builds, after every event of
GongYou's rules, of the events that undo and reset, and of a conversation through two forms, for
every form of the domain; Rasa's replay is still used where the two could differ. The last
restart's index, kept per tracker, is Rasa's after every event."""

import copy
import time

import pytest
from rasa.core.actions.forms import FormAction
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime import rasa_form_tracker, rasa_tracker_copy
from tests.test_rasa_history import sequences
from tests.test_rasa_tracker_copy import DOMAIN, state

pytestmark = pytest.mark.unit

FORMS = [FormAction(name, None) for name in DOMAIN.form_names]


@pytest.fixture(autouse=True)
def restart_index_installed():
    saved = DialogueStateTracker.idx_after_latest_restart
    DialogueStateTracker.idx_after_latest_restart = rasa_form_tracker.idx_after_latest_restart
    yield
    DialogueStateTracker.idx_after_latest_restart = saved


def rasas_restart_index(tracker):
    return rasa_form_tracker._ORIGINAL.get("idx_after_latest_restart", _rasa_index)(tracker)


def _rasa_index(tracker):
    for i, event in enumerate(reversed(tracker.events)):
        if isinstance(event, Restarted):
            return len(tracker.events) - i
    return 0


def test_the_temporary_tracker_equals_rasas_after_every_event(monkeypatch):
    # The form's own two events are made when the tracker is built: one clock for both builds.
    monkeypatch.setattr(time, "time", lambda: 1796000000.0)
    compared = copied = 0
    for n, events in enumerate(sequences()):
        tracker = DialogueStateTracker(f"form-{n}", DOMAIN.slots)
        tracker.model_id = "model"
        tracker.sender_source = "bench"
        for event in events:
            tracker.update(copy.copy(event), DOMAIN)
            for form in FORMS:
                extra = [SlotSet("name", "王小明"), SlotSet("requested_slot", "phone")]
                ours = rasa_form_tracker.temporary_tracker(form, tracker, extra, DOMAIN)
                rasas = rasa_form_tracker.replayed(form, tracker, extra, DOMAIN)
                assert state(ours) == state(rasas), (form.name(), event, events)
                compared += 1
            copied += rasa_form_tracker.copyable(tracker, DOMAIN)
    assert compared > 1000
    assert copied > 200  # mostly copied; after a restart, replayed


def test_the_temporary_tracker_leaves_the_current_one_alone():
    events = sequences()[-1]
    tracker = DialogueStateTracker.from_events("alone", events[:20], DOMAIN.slots)
    before = state(tracker)
    temporary = rasa_form_tracker.temporary_tracker(FORMS[0], tracker, [SlotSet("phone", "13800138000")], DOMAIN)
    temporary.update(SlotSet("category", "injury"))
    assert state(tracker) == before
    assert temporary.get_slot("phone") == "13800138000" and tracker.get_slot("phone") is None


def test_rasas_replay_where_the_copy_could_differ():
    events = [ActionExecuted("action_listen"), UserUttered("你好", {"name": "greet"}), SlotSet("name", "王")]
    after_restart = DialogueStateTracker.from_events("r", [*events, Restarted(), *events], DOMAIN.slots)
    short_history = DialogueStateTracker.from_events("h", events, DOMAIN.slots, max_event_history=2)
    other_slots = DialogueStateTracker.from_events("o", events, DOMAIN.slots[:3])
    for tracker in (after_restart, short_history, other_slots):
        assert not rasa_form_tracker.copyable(tracker, DOMAIN)
    assert rasa_form_tracker.copyable(DialogueStateTracker.from_events("c", events, DOMAIN.slots), DOMAIN)


def test_the_restart_index_is_rasas_after_every_event_and_on_copies():
    compared = 0
    for events in sequences():
        tracker = DialogueStateTracker("restart", DOMAIN.slots)
        for i, event in enumerate(events):
            tracker.update(copy.copy(event), DOMAIN)
            assert tracker.idx_after_latest_restart() == _rasa_index(tracker), (i, event)
            copied = rasa_tracker_copy.state_copy(tracker)
            assert copied.idx_after_latest_restart() == _rasa_index(copied)
            copied.update(Restarted())
            assert copied.idx_after_latest_restart() == len(copied.events) == _rasa_index(copied)
            assert tracker.idx_after_latest_restart() == _rasa_index(tracker)
            compared += 1
    assert compared > 200
