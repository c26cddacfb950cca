"""The RulePolicy's rule lookup without walking the whole conversation (Rasa 3.6).

Each prediction the RulePolicy narrows its rules down by comparing each rule's states with the
conversation's states from the last one backwards (`_get_possible_keys`), and it walks on to
the first state of the conversation even when no rule is left or every rule left is already
satisfied (a rule is satisfied by any state further back than its own length): a walk as long as
the conversation, twice per prediction in a form. It also formats every state of the
conversation into the text of a debug line (`format_tracker_states`) that Rasa's logger throws
away below the debug level. Both grew with the conversation (cProfile, bench/turns.py: 1.4 ms
of formatting per turn forty turns in).

Here the walk stops once no rule left can fail any more (Rasa's `_is_rule_applicable` answers
True, whatever the state, for a state further back than the rule is long), and the states are
formatted only when Rasa's logger writes the debug line. A subclass with its own
`_is_rule_applicable` walks all the way, as Rasa does.

tests/test_rasa_rules.py compares the rules found with Rasa's after every event of recorded
conversations; tests/test_rasa_speedups_equivalence.py runs whole conversations with and without it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Set

_ORIGINAL: Dict[str, Any] = {}


def _longest(policy: Any, keys: Set[str]) -> int:
    to_states = policy._rule_key_to_state
    return max((len(to_states(key)) for key in keys), default=0)


def get_possible_keys(self: Any, lookup: Dict[str, str], states: List[Dict[str, Any]]) -> Set[str]:
    """Rasa's RulePolicy._get_possible_keys, stopping when the keys left can no longer change."""
    from rasa.core.policies.rule_policy import RulePolicy

    if type(self)._is_rule_applicable is not RulePolicy._is_rule_applicable:
        return rasas_possible_keys(self, lookup, states)
    possible_keys = set(lookup.keys())
    longest = _longest(self, possible_keys)
    for i, state in enumerate(reversed(states)):
        if i >= longest:
            break  # every key left is satisfied by this state and by every one before it
        possible_keys = set(filter(lambda _key: self._is_rule_applicable(_key, i, state), possible_keys))
        longest = _longest(self, possible_keys)
    return possible_keys


def _debug_written() -> bool:
    """Whether the RulePolicy's debug lines are written: Rasa's structlog logger (rasa.utils.log_utils)
    drops them below its level with a method that does nothing."""
    from rasa.core.policies import rule_policy

    try:
        debug = rule_policy.structlogger.bind().debug
    except Exception:  # an unusual logger: format, as Rasa does
        return True
    return getattr(debug, "__name__", "") != "_nop"


def format_tracker_states(states: List[Dict[str, Any]]) -> str:
    """Rasa's Policy.format_tracker_states for the RulePolicy's debug line, when it is written."""
    from rasa.core.policies.policy import Policy

    if not _debug_written():
        return ""
    return _ORIGINAL.get("format_tracker_states", Policy.format_tracker_states)(states)


def install() -> None:
    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RulePolicy

    _ORIGINAL.setdefault("get_possible_keys", RulePolicy._get_possible_keys)
    _ORIGINAL.setdefault("format_tracker_states", Policy.format_tracker_states)
    RulePolicy._get_possible_keys = get_possible_keys
    RulePolicy.format_tracker_states = staticmethod(format_tracker_states)


def installed() -> bool:
    from rasa.core.policies.rule_policy import RulePolicy

    formatting = RulePolicy.__dict__.get("format_tracker_states")
    return (
        RulePolicy._get_possible_keys is get_possible_keys
        and isinstance(formatting, staticmethod)
        and formatting.__func__ is format_tracker_states
    )


def rasas_possible_keys(policy: Any, lookup: Dict[str, str], states: List[Dict[str, Any]]) -> Set[str]:
    """Rasa's own lookup (tests compare against it)."""
    from rasa.core.policies.rule_policy import RulePolicy

    return _ORIGINAL.get("get_possible_keys", RulePolicy._get_possible_keys)(policy, lookup, states)
