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
True, whatever the state, for a state further back than the rule is long); a state's verdict on
every rule at a turn index is remembered, since the same states come back in every conversation
(the first step alone asked all of the rules, about 600 calls a turn under `make bench-load`,
4.6% of the Rasa process's busy time in `_is_rule_applicable`, 6.5% in the lookup); and the states are
formatted only when Rasa's logger writes the debug line. A subclass with its own
`_is_rule_applicable` walks all the way, as Rasa does.

tests/test_rasa_rules.py compares the rules found with Rasa's after every event of recorded
conversations; tests/test_rasa_speedups_equivalence.py runs whole conversations with and without it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, FrozenSet, Hashable, List, Optional, Set, Tuple

_ORIGINAL: Dict[str, Any] = {}


# Distinct (turn index, state) pairs remembered per lookup: a few hundred in a day's conversations.
REMEMBERED = 4096
_MEMO = "_gongyou_rule_memo"


class _Memo:
    """For one of the policy's lookups: each rule's length, and for each (turn index, state) met
    so far the rules that state does not rule out there."""

    __slots__ = ("lookup", "lengths", "applicable")

    def __init__(self, policy: Any, lookup: Dict[str, str]) -> None:
        self.lookup = lookup  # held, so that its id is not reused while remembered
        self.lengths = {key: len(policy._rule_key_to_state(key)) for key in lookup}
        self.applicable: "OrderedDict[Tuple[int, Hashable], FrozenSet[str]]" = OrderedDict()


def _memo(policy: Any, lookup: Dict[str, str]) -> _Memo:
    memos = policy.__dict__.setdefault(_MEMO, {})
    memo = memos.get(id(lookup))
    if memo is None or memo.lookup is not lookup:
        memo = memos[id(lookup)] = _Memo(policy, lookup)
    return memo


def _frozen(state: Dict[str, Any]) -> Optional[Hashable]:
    """The state as a key that is equal for equal states (Rasa compares their values with `!=`
    and truth only), or None when a value cannot be a key."""
    try:
        key = tuple(
            sorted((name, tuple(sorted(sub.items())) if isinstance(sub, dict) else sub) for name, sub in state.items())
        )
        hash(key)
    except TypeError:
        return None
    return key


def _applicable(policy: Any, memo: _Memo, i: int, state: Dict[str, Any]) -> FrozenSet[str]:
    frozen = _frozen(state)
    found = memo.applicable.get((i, frozen)) if frozen is not None else None
    if found is None:
        found = frozenset(key for key in memo.lookup if policy._is_rule_applicable(key, i, state))
        if frozen is not None:
            memo.applicable[(i, frozen)] = found
            while len(memo.applicable) > REMEMBERED:
                memo.applicable.popitem(last=False)
    return found


def get_possible_keys(self: Any, lookup: Dict[str, str], states: List[Dict[str, Any]]) -> Set[str]:
    """Rasa's RulePolicy._get_possible_keys, stopping when the keys left can no longer change, each
    state's verdict on every rule remembered."""
    from rasa.core.policies.rule_policy import RulePolicy

    if type(self)._is_rule_applicable is not RulePolicy._is_rule_applicable:
        return rasas_possible_keys(self, lookup, states)
    memo = _memo(self, lookup)
    lengths = memo.lengths
    possible_keys = set(lookup.keys())
    longest = max(lengths.values(), default=0)
    for i, state in enumerate(reversed(states)):
        if i >= longest:
            break  # every key left is satisfied by this state and by every one before it
        # Rasa filters the keys left with `_is_rule_applicable(key, i, state)`, which depends on
        # nothing else: the keys left that every key's verdict for (i, state) lets through.
        possible_keys &= _applicable(self, memo, i, state)
        longest = max((lengths[key] for key in possible_keys), default=0)
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
