"""The cached action-reply validation accepts and refuses exactly what Rasa's own does."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.runtime import rasa_speedups

pytestmark = pytest.mark.unit

GOOD = {"events": [{"event": "slot", "name": "case_no", "value": "GY20261123-0001"}],
        "responses": [{"text": "登记好了"}]}
BAD = [{"events": "not a list"}, {"events": [{"name": "x"}]}, {"responses": "登记好了"}]


@pytest.mark.parametrize("result", [GOOD] + BAD)
def test_same_verdict_as_rasa(result):
    action = RemoteAction("action_submit_case", None)
    try:
        rasa_speedups._rasa_validate_action_result()(action, result)
        rasa_ok = True
    except jsonschema.ValidationError:
        rasa_ok = False
    rasa_speedups.install()
    try:
        ours_ok = action._validate_action_result(result)
    except jsonschema.ValidationError as error:
        assert "Failed to validate Action server response" in error.message
        ours_ok = False
    assert ours_ok == rasa_ok
    assert rasa_ok == (result is GOOD)
