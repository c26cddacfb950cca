"""The RulePolicy of GongYou's trained model finds the same rules with bot/runtime/rasa_rules.py as
with Rasa's own lookup, for its rules and its loops' unhappy paths, after every event of GongYou's
rules, of the events that undo and reset and of a conversation through two forms; the states are
formatted for the debug line only when that line is written."""

import copy
import logging

import pytest
import structlog
from rasa.core.policies import rule_policy
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime import rasa_rules
from tests.test_rasa_history import sequences

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def policy(agent):
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    found = [node._component for node in nodes if isinstance(getattr(node, "_component", None), RulePolicy)]
    assert len(found) == 1
    return found[0]


def test_the_same_rules_as_rasa_after_every_event(agent, policy):
    domain = agent.domain
    compared = found = 0
    for events in sequences():
        tracker = DialogueStateTracker("rules", domain.slots)
        for event in events:
            tracker.update(copy.copy(event), domain)
            for text in (False, True):
                states = policy._prediction_states(tracker, domain, text, rule_only_data=policy._get_rule_only_data())
                for kind in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
                    ours = rasa_rules.get_possible_keys(policy, policy.lookup[kind], states)
                    assert ours == rasa_rules.rasas_possible_keys(policy, policy.lookup[kind], states), (event, kind)
                    compared += 1
                    found += bool(ours)
    assert compared > 1000
    assert found > 100  # rules were found, not only none on both sides


def _logger_at(level):
    return structlog.wrap_logger(
        structlog.PrintLogger(), wrapper_class=structlog.make_filtering_bound_logger(level), processors=[]
    )


def test_states_are_formatted_only_for_a_written_debug_line(monkeypatch):
    states = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}, {}]
    monkeypatch.setattr(rule_policy, "structlogger", _logger_at(logging.INFO))
    assert rasa_rules.format_tracker_states(states) == ""
    monkeypatch.setattr(rule_policy, "structlogger", _logger_at(logging.DEBUG))
    assert rasa_rules.format_tracker_states(states) == Policy.format_tracker_states(states)
    assert "user intent: greet" in rasa_rules.format_tracker_states(states)


def test_a_state_met_before_asks_no_rule_again(agent, policy, monkeypatch):
    """The second time the same states are looked up, every verdict is remembered: Rasa asked each
    rule again (about 600 calls a turn under load)."""
    domain = agent.domain
    events = next(iter(sequences()))
    tracker = DialogueStateTracker("rules-again", domain.slots)
    for event in events:
        tracker.update(copy.copy(event), domain)
    states = policy._prediction_states(tracker, domain, False, rule_only_data=policy._get_rule_only_data())
    policy.__dict__.pop(rasa_rules._MEMO, None)
    asked = []
    applicable = policy._is_rule_applicable
    monkeypatch.setattr(policy, "_is_rule_applicable", lambda *a: (asked.append(1), applicable(*a))[1])
    first = rasa_rules.get_possible_keys(policy, policy.lookup[RULES], states)
    asked_first = len(asked)
    again = rasa_rules.get_possible_keys(policy, policy.lookup[RULES], states)
    assert again == first
    assert asked_first >= len(policy.lookup[RULES]) > 10
    assert len(asked) == asked_first  # none the second time
