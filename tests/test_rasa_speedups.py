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
