"""A Rasa process of GongYou really reads a conversation's history once per event (a form's turn
too, whose undo parts the applied events from what was replayed), reads stored trackers without
walking Rasa's event classes nor folding their history again, and builds a form's temporary
tracker without replaying the conversation: measured in a fresh process before and after the
module `make run` starts Rasa through has run (with `--version`, so Rasa's own command line
returns at once), in the environment the launcher gives it. Without the speed-ups installed,
the "after" figures equal the "before". And `make run` runs the actions inside that Rasa
process, with no action server beside it."""

import json
import os
import subprocess
import sys

import pytest

from bot.runtime import launcher
from bot.web.health import all_health_urls
from tests.conftest import LAW_DIR, ROOT
from tests.test_rasa_speedups import rasa_entry_module

pytestmark = pytest.mark.unit

PROCESS = """
import asyncio
import json
import os
import runpy
import sys

import numpy
import rasa.shared.utils.common as common
from rasa.core.actions.forms import FormAction
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

domain = Domain.load("domain.yml")
states_built, class_walks, undos, updates = [], [], [], []
get_active_state = Domain.get_active_state
Domain.get_active_state = lambda self, *a, **k: (states_built.append(1), get_active_state(self, *a, **k))[1]
all_subclasses = common.all_subclasses
common.all_subclasses = lambda cls: (class_walks.append(1), all_subclasses(cls))[1]
undo = DialogueStateTracker._undo_till_previous_loop_execution
DialogueStateTracker._undo_till_previous_loop_execution = staticmethod(lambda *a: (undos.append(1), undo(*a))[1])
update = DialogueStateTracker.update
DialogueStateTracker.update = lambda self, *a, **k: (updates.append(1), update(self, *a, **k))[1]


def turn(i):
    return [UserUttered(f"第{i}句", {"name": "greet", "confidence": 1.0}), SlotSet("category", "wage_arrears"),
            ActionExecuted("utter_greet"), ActionExecuted("action_listen")]


def states_built_for_one_more_turn():
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen")], domain.slots)
    for i in range(20):
        for event in turn(i):
            tracker.update(event)
    tracker.past_states(domain)
    states_built.clear()
    for event in turn(20):
        tracker.update(event)
    first = tracker.past_states(domain)
    return len(states_built), first


async def class_walks_to_read_a_stored_tracker():
    store = InMemoryTrackerStore(domain)
    await store.save(DialogueStateTracker.from_events("s", [e for i in range(20) for e in turn(i)], domain.slots))
    await store.retrieve("s")
    class_walks.clear()
    tracker = await store.retrieve("s")
    return len(class_walks), len(tracker.events), "第1句" in store.store["s"]


def form_turn(i):
    said = UserUttered(f"第{i}句", {"name": "inform", "confidence": numpy.float64(0.5)})
    return [ActionExecuted("action_listen"), said, SlotSet("description", f"第{i}句"), ActionExecuted("case_form"),
            SlotSet("requested_slot", "description")]


def form_conversation(turns):
    start = [ActionExecuted("action_listen"), UserUttered("登记", {"name": "open_case", "confidence": 1.0}),
             ActionExecuted("case_form"), ActiveLoop("case_form"), SlotSet("requested_slot", "description")]
    return start + [e for i in range(turns) for e in form_turn(i)]


# The policies read the history when the user has answered, then again once the form has run,
# which undoes the turn's listen and utterance.
def updates_to_replay_the_history_after_a_form_run():
    tracker = DialogueStateTracker.from_events("f", form_conversation(20), domain.slots)
    answered, ran = form_turn(20)[:3], form_turn(20)[3:]
    for event in answered:
        tracker.update(event)
    tracker.past_states(domain)
    for event in ran:
        tracker.update(event)
    updates.clear()
    states = tracker.past_states(domain)
    return len(updates), len(tracker.applied_events()), states


async def undos_to_read_the_applied_events_of_a_stored_tracker():
    store = InMemoryTrackerStore(domain)
    await store.save(DialogueStateTracker.from_events("f", form_conversation(20), domain.slots))
    (await store.retrieve("f")).applied_events()
    undos.clear()
    tracker = await store.retrieve("f")
    applied = tracker.applied_events()
    return len(undos), len(applied), '"confidence":0.5' in store.store["f"]


def updates_to_build_a_forms_temporary_tracker():
    tracker = DialogueStateTracker.from_events("f", form_conversation(20), domain.slots)
    updates.clear()
    temporary = FormAction("case_form", None)._temporary_tracker(tracker, [SlotSet("phone", "13800138000")], domain)
    return len(updates), len(temporary.events) - len(tracker.events)


def measure():
    built, states = states_built_for_one_more_turn()
    walks, events, utf8 = asyncio.run(class_walks_to_read_a_stored_tracker())
    replayed, form_applied, form_states = updates_to_replay_the_history_after_a_form_run()
    undone, applied, numpy_compact = asyncio.run(undos_to_read_the_applied_events_of_a_stored_tracker())
    form_updates, form_new = updates_to_build_a_forms_temporary_tracker()
    return {"states_built": built, "states": len(states), "class_walks": walks, "events": events, "utf8": utf8,
            "form_replayed": replayed, "form_applied": form_applied, "form_states": form_states, "undos": undone,
            "applied": applied, "numpy_compact": numpy_compact, "form_updates": form_updates,
            "form_new_events": form_new}


before = measure()
from bot.runtime import (
    rasa_action_calls, rasa_action_failure, rasa_form_tracker, rasa_gc, rasa_local_actions, rasa_nlu, rasa_rules,
    rasa_store_kept, rasa_tracker_copy, rasa_workers,
)

later = (rasa_action_calls, rasa_nlu, rasa_store_kept, rasa_tracker_copy, rasa_local_actions, rasa_action_failure,
         rasa_form_tracker, rasa_rules, rasa_gc, rasa_workers)
later_before = [m.installed() for m in later]
entry = sys.argv[1]
sys.argv = [entry, "--version"]
try:
    runpy.run_module(entry, run_name="__main__", alter_sys=True)
except SystemExit as done:
    assert not done.code, done.code
from bot.runtime import rasa_history, rasa_serialisation

executor = rasa_local_actions._executor
print(json.dumps({"before": before, "after": measure(),
                  "installed": [rasa_history.installed(), rasa_serialisation.installed()],
                  "actions": {"url": os.environ.get("ACTION_SERVER_URL"),
                              "registered": sorted(executor.actions) if executor else []},
                  "later": {m.__name__.rsplit(".", 1)[1]: [b, m.installed()] for m, b in zip(later, later_before)}}))
"""


@pytest.fixture(scope="module")
def figures():
    env = {k: v for k, v in os.environ.items() if k != "ACTION_SERVER_URL"}  # what `make run` leaves unset
    env["GONGYOU_LAW_DIR"] = str(LAW_DIR)
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, rasa_entry_module()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=launcher.environment(env),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_rasa_rebuilds_every_state_for_each_prediction_without_it(figures):
    # 1 + 21 turns × 2 actions, and the state after the last event
    assert figures["before"]["states_built"] == figures["before"]["states"] == 44


def test_gongyou_builds_only_the_new_turns_states(figures):
    assert figures["after"]["states_built"] == 3  # the new turn's two actions and the state after them
    assert figures["after"]["states"] == figures["before"]["states"]


def test_rasa_walks_its_event_classes_for_every_stored_event_without_it(figures):
    assert figures["before"]["class_walks"] >= figures["before"]["events"] == 80


def test_gongyou_reads_stored_events_without_walking_the_classes(figures):
    assert figures["after"]["class_walks"] == 0
    assert figures["after"]["events"] == 80


def test_every_speed_up_is_in_place(figures):
    assert figures["installed"] == [True, True]


def test_gongyou_stores_trackers_as_compact_utf8_json(figures):
    assert figures["before"]["utf8"] is False  # json.dumps escapes Chinese
    assert figures["after"]["utf8"] is True  # orjson writes it as it is


@pytest.mark.parametrize(
    "name",
    [
        "rasa_action_calls",
        "rasa_nlu",
        "rasa_store_kept",
        "rasa_tracker_copy",
        "rasa_local_actions",
        "rasa_action_failure",
        "rasa_form_tracker",
        "rasa_rules",
        "rasa_gc",
        "rasa_workers",
    ],
)
def test_each_later_speed_up_is_off_until_gongyous_rasa_installs_it(figures, name):
    """Kept connections to the action server, the NLU parse's speed-ups, the store's kept trackers,
    trackers copied from their state, actions in-process, a polite reply when an action fails,
    forms' temporary trackers copied, the rule lookup cut short, the loaded model frozen out of
    the garbage collector's walks, conversations spread over workers forked after loading:
    off in a bare Rasa, on once the module `make run` starts Rasa through has run."""
    assert figures["later"][name] == [False, True]


def test_rasa_as_make_run_starts_it_has_the_actions_in_process(figures):
    """The launcher's Rasa is told ACTION_SERVER_URL=local and has GongYou's actions registered
    before its first message (imported at start, not on the first turn)."""
    assert figures["actions"]["url"] == "local"
    registered = set(figures["actions"]["registered"])
    assert {"action_complaint_reply", "action_submit_case", "validate_case_form"} <= registered


def test_make_run_starts_no_action_server():
    env = {k: v for k, v in os.environ.items() if k != "ACTION_SERVER_URL"}
    made = launcher.environment(env)
    assert made["ACTION_SERVER_URL"] == "local"
    assert set(launcher.commands("m.tar.gz", "a-token-for-the-test-only", [], made)) == {"rasa", "web"}
    assert "actions" not in all_health_urls(made)
    # Nothing in the Makefile decides it for the launcher.
    assert "ACTION_SERVER_URL" not in (ROOT / "Makefile").read_text()


def test_an_action_server_still_runs_when_one_is_named():
    """As production runs them (bot/runtime/production.py names its action servers)."""
    made = launcher.environment({**os.environ, "ACTION_SERVER_URL": "http://127.0.0.1:5055/webhook"})
    commands = launcher.commands("m.tar.gz", "a-token-for-the-test-only", [], made)
    assert commands["actions"][commands["actions"].index("-m") + 1] == "bot.runtime.action_server"
    assert "actions" in all_health_urls(made)


def test_rasa_replays_the_whole_history_after_a_form_run_without_it(figures):
    assert figures["before"]["form_replayed"] == figures["before"]["form_applied"] > 40


def test_gongyou_goes_back_only_to_the_last_checkpoint_after_a_form_run(figures):
    assert figures["after"]["form_states"] == figures["before"]["form_states"]
    assert figures["after"]["form_replayed"] == 2  # the answer's slot and the form's request


def test_rasa_folds_a_stored_trackers_whole_history_without_it(figures):
    # Every run of the form but the first undoes back to the one before (read back, then read).
    assert figures["before"]["undos"] >= 20


def test_gongyou_hands_out_stored_trackers_with_their_applied_events(figures):
    assert figures["after"]["undos"] == 0
    assert figures["after"]["applied"] == figures["before"]["applied"]


def test_rasa_replays_the_conversation_for_a_forms_temporary_tracker_without_it(figures):
    assert figures["before"]["form_new_events"] == figures["after"]["form_new_events"] == 3
    assert figures["before"]["form_updates"] == 5 + 20 * 5 + 3


def test_gongyou_applies_only_the_forms_new_events(figures):
    assert figures["after"]["form_updates"] == 3


def test_gongyou_writes_numpy_confidences_with_orjson(figures):
    assert figures["before"]["numpy_compact"] is False
    assert figures["after"]["numpy_compact"] is True
