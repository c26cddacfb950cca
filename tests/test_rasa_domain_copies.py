"""An in-process action call gets a domain of its own (bot/runtime/rasa_local_actions.py): a copy
that the call before it left untouched serves again, one that an action changed never does.
(tests/test_rasa_local_actions.py runs an action that changes its domain through real Rasa.)"""

import copy

import pytest

from bot.runtime import rasa_local_actions as local

pytestmark = pytest.mark.unit

DOMAIN = {
    "slots": {"category": {"type": "text", "mappings": [{"type": "from_text", "conditions": []}]}},
    "forms": {"case_form": {"required_slots": ["category"]}},
    "responses": {"utter_greet": [{"text": "您好"}]},
}


def test_an_untouched_copy_serves_the_next_call():
    domain = copy.deepcopy(DOMAIN)
    first = local._domain_copy(domain)
    assert first == domain and first is not domain
    local._give_back({"domain": first})
    assert local._domain_copy(domain) is first


@pytest.mark.parametrize(
    "meddle",
    [
        lambda d: d["slots"]["category"]["mappings"].clear(),
        lambda d: d["forms"]["case_form"]["required_slots"].append("phone"),
        lambda d: d.pop("responses"),
        lambda d: d["responses"]["utter_greet"][0].update(text="改了"),
    ],
)
def test_a_changed_copy_is_never_handed_out_again(meddle):
    domain = copy.deepcopy(DOMAIN)
    first = local._domain_copy(domain)
    meddle(first)
    local._give_back({"domain": first})
    again = local._domain_copy(domain)
    assert again is not first
    assert again == domain


def test_two_calls_at_once_never_share_a_copy():
    domain = copy.deepcopy(DOMAIN)
    one = local._domain_copy(domain)
    local._give_back({"domain": one})
    held = [local._domain_copy(domain) for _ in range(3)]
    assert len({id(c) for c in held}) == 3
    assert all(c == domain for c in held)


def test_another_domain_never_gets_the_last_ones_copies():
    first = local._domain_copy(copy.deepcopy(DOMAIN))
    local._give_back({"domain": first})
    other = {**copy.deepcopy(DOMAIN), "forms": {}}
    assert local._domain_copy(other) == other
