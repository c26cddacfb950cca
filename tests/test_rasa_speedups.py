"""The cached action-reply validation accepts and refuses exactly what Rasa's own does, and a Rasa
process of GongYou really uses it: the module `make run` starts Rasa through installs it."""

import json
import subprocess
import sys

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.runtime import launcher, rasa_speedups
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

GOOD = {
    "events": [{"event": "slot", "name": "case_no", "value": "GY20261123-0001"}],
    "responses": [{"text": "登记好了"}],
}
BAD = [{"events": "not a list"}, {"events": [{"name": "x"}]}, {"responses": "登记好了"}]


@pytest.mark.parametrize("result", [GOOD] + BAD)
def test_same_verdict_as_rasa(result):
    action = RemoteAction("action_submit_case", None)
    try:
        rasa_speedups._rasa_validate_action_result()(action, result)
        rasa_ok = True
    except jsonschema.ValidationError:
        rasa_ok = False
    try:
        ours_ok = rasa_speedups._validate_action_result(action, result)
    except jsonschema.ValidationError as error:
        assert "Failed to validate Action server response" in error.message
        ours_ok = False
    assert ours_ok == rasa_ok
    assert rasa_ok == (result is GOOD)


# Run in a fresh process: two action-server replies validated before and after the module that
# starts Rasa has run (with `--version`, so Rasa's own command line returns at once), counting how
# often the schema itself is checked.
PROCESS = """
import json
import runpy
import sys

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

schema = RemoteAction.action_response_format_spec()
validator = validator_for(schema)
checks = []
check_schema = validator.check_schema.__func__
validator.check_schema = classmethod(lambda cls, s, *a, **k: (checks.append(1), check_schema(cls, s, *a, **k))[1])
action = RemoteAction("action_submit_case", None)
reply = {"events": [{"event": "slot", "name": "case_no", "value": "GY20261123-0001"}], "responses": [{"text": "好"}]}


def schema_checks_for_two_replies():
    checks.clear()
    action._validate_action_result(reply)
    action._validate_action_result(reply)
    return len(checks)


before = schema_checks_for_two_replies()
entry = sys.argv[1]
sys.argv = [entry, "--version"]
try:
    runpy.run_module(entry, run_name="__main__", alter_sys=True)
except SystemExit as done:
    assert not done.code, done.code
after = schema_checks_for_two_replies()
from bot.runtime import rasa_speedups

print(json.dumps({"before": before, "after": after,
                  "ours": RemoteAction._validate_action_result is rasa_speedups._validate_action_result}))
"""


def rasa_entry_module() -> str:
    """The module `make run` starts Rasa with (python -m …)."""
    command = launcher.commands("models/gongyou.tar.gz", "a-token-for-the-test-only", [])["rasa"]
    return command[command.index("-m") + 1]


@pytest.fixture(scope="module")
def rasa_process():
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, rasa_entry_module()], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_rasa_checks_the_schema_on_every_reply_without_it(rasa_process):
    assert rasa_process["before"] == 2


def test_rasa_as_started_by_gongyou_checks_the_schema_once(rasa_process):
    assert rasa_process["ours"] is True
    assert rasa_process["after"] == 1


def _sample_events():
    """One real event of each kind Rasa writes, as the action server's JSON carries them."""
    from rasa.shared.core import events as ev

    made = [
        ev.UserUttered(
            "老板欠我两个月工资",
            {"name": "wage_arrears", "confidence": 0.9},
            [{"entity": "amount", "value": 8000, "start": 0, "end": 2, "extractor": "x"}],
            message_id="m1",
            input_channel="rest",
        ),
        ev.ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0),
        ev.SlotSet("phone", "13812345678"),
        ev.SlotSet("worker_count", 3.0),
        ev.BotUttered("登记好了", {"buttons": [{"title": "好", "payload": "/affirm"}]}),
        ev.ActiveLoop("case_form"),
        ev.ActiveLoop(None),
        ev.LoopInterrupted(True),
        ev.ActionExecutionRejected("case_form"),
        ev.FollowupAction("action_listen"),
        ev.Restarted(),
        ev.AllSlotsReset(),
        ev.SessionStarted(),
        ev.UserUtteranceReverted(),
        ev.ActionReverted(),
        ev.ConversationPaused(),
        ev.ConversationResumed(),
        ev.EntitiesAdded([{"entity": "place", "value": "渝中区"}]),
        ev.DefinePrevUserUtteredFeaturization(False),
        ev.ReminderCancelled(name="r"),
    ]
    return [e.as_dict() for e in made]


MUTATIONS = [
    lambda e: e.pop("event"),
    lambda e: e.update(event=7),
    lambda e: e.update(event=["slot"]),
    lambda e: e.update(event="not_an_event"),
    lambda e: e.update(timestamp="yesterday"),
    lambda e: e.update(metadata=[]),
    lambda e: e.update(name=5),
    lambda e: e.pop("name", None),
    lambda e: e.pop("value", None),
    lambda e: e.update(text=12),
    lambda e: e.update(parse_data={"intent": "wage"}),
    lambda e: e.update(parse_data={"entities": [{"entity": "amount"}]}),
    lambda e: e.update(entities="渝中区"),
    lambda e: e.update(entities=[{"value": 1}]),
    lambda e: e.update(policy=3),
    lambda e: e.update(confidence="high"),
    lambda e: e.update(data="x"),
    lambda e: e.update(extra={"anything": 1}),
]


def test_the_split_check_gives_the_whole_schemas_verdict_on_every_event_and_mutation():
    import copy
    import random

    whole = rasa_speedups._action_result_validator()
    samples = _sample_events()
    rng = random.Random(18)
    replies = [
        {"events": samples, "responses": [{"text": "好"}]},
        {"events": []},
        {},
        {"events": None},
        {"events": ["slot"]},
        {"responses": [1]},
        [],
        "events",
    ]
    for _ in range(3000):
        events = [copy.deepcopy(rng.choice(samples)) for _ in range(rng.randint(1, 4))]
        for event in events:
            for mutation in rng.sample(MUTATIONS, rng.choice([0, 0, 1, 2])):
                mutation(event)
        replies.append({"events": events})
    verdicts = [(rasa_speedups._is_valid(r), whole.is_valid(r)) for r in replies]
    assert all(ours == theirs for ours, theirs in verdicts)
    # both kinds were tried: the mutations give refusals, the samples acceptances
    assert {theirs for _, theirs in verdicts} == {True, False}
    assert rasa_speedups._split_validators() is not None
