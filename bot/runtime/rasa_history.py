"""A conversation's history read once per event, not once per prediction (Rasa 3.6).

Every prediction of every policy asks the tracker for its past states
(`Domain.states_for_tracker_history`), which replays the whole conversation from its first event
and rebuilds a state at every action; and `DialogueStateTracker.applied_events` walks all events
again, looking back over the history at every form step. A turn runs several predictions, so a
turn's cost grew with the length of the conversation and a conversation's with its square.

Here both are kept on the tracker object and extended with the events added since the last call:
- applied events: Rasa's own fold over the events (the same undo rules, called as Rasa's own
  methods), resumed where it stopped while the events seen so far are still the tracker's first
  events and no new form name appeared (a new one changes how earlier events are read: then
  everything is recomputed);
- past states: the replay tracker, the states so far and the loop's two variables are kept, and
  resumed while the applied events seen so far are still the first ones (an undo removed some:
  recomputed from the start). Callers get copies (the featurizer edits the last state), with
  the same sharing between states as Rasa's own list.

Between messages the tracker is a new object (read back from the store), so the replays are also
kept per conversation (the last 200: more than the users one Rasa process serves at once) and
taken up again when the new tracker's applied events begin with the same events (same class,
time and content): a turn then replays only its own events.

The applied events do not only grow: each run of a form undoes the listens and user utterances
since its last run, a fallback reverts the user's utterance. Rasa then replays everything again;
that was most of what still grew with a conversation full of forms (cProfile, bench/turns.py:
4,500 events replayed in the fourth case's ten turns, 800 in the first's). So a replay keeps
checkpoints, its state before each of its last listens and form runs, and when the applied
events part from what it consumed it goes back to the last checkpoint before the parting and
replays from there. No checkpoint that early (a restart, a new session), and it starts over.

Nothing here changes what Rasa computes; tests/test_rasa_speedups_equivalence.py runs the same
conversations with and without it.
"""

from __future__ import annotations

import copy
import itertools
import operator
from collections import OrderedDict, deque
from typing import Any, Dict, List, Optional, Tuple

_APPLIED = "_gongyou_applied_events"
_STATES = "_gongyou_past_states"
_ORIGINAL: Dict[str, Any] = {}
# The replays of the conversations seen last, by (sender, domain, flags).
_RECENT: "OrderedDict[Any, _Replay]" = OrderedDict()
RECENT_CONVERSATIONS = 200
# A form's undo goes back to its last run, a revert to the last listen: a few turns at most.
CHECKPOINTS = 12


def _loop_names(events) -> set:
    from rasa.shared.core.events import ActiveLoop

    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


def _fold(tracker, events, loop_names: set, applied: List[Any]) -> None:
    """Rasa's `applied_events` loop body, over `events`, onto `applied`."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
        UserUttered,
    )

    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def applied_events(self) -> List[Any]:
    events = self.events
    count = len(events)
    memo = self.__dict__.get(_APPLIED)
    if memo is not None:
        seen_deque, seen, first, last, loop_names, applied = memo
        if seen_deque is events and seen <= count and (seen == 0 or (events[0] is first and events[seen - 1] is last)):
            new = list(itertools.islice(events, seen, None))
            if not (_loop_names(new) - loop_names):
                if new:
                    applied = list(applied)
                    _fold(self, new, loop_names, applied)
                    self.__dict__[_APPLIED] = (events, count, events[0], events[-1], loop_names, applied)
                return list(applied)
    loop_names = _loop_names(events)
    applied = []
    _fold(self, events, loop_names, applied)
    self.__dict__[_APPLIED] = (
        events,
        count,
        events[0] if count else None,
        events[-1] if count else None,
        loop_names,
        applied,
    )
    return list(applied)


class _Replay:
    """Where Rasa's `states_for_tracker_history` loop stands after some applied events."""

    __slots__ = (
        "domain",
        "flags",
        "rule_only_data",
        "consumed",
        "tracker",
        "states",
        "last_ml",
        "hidden",
        "checkpoints",
    )

    def __init__(self, domain, flags, rule_only_data, tracker) -> None:
        self.domain = domain
        self.flags = flags
        self.rule_only_data = rule_only_data
        self.consumed: List[Any] = []
        self.tracker = tracker
        self.states: List[Dict[str, Any]] = []
        self.last_ml: Optional[Dict[str, Any]] = None
        self.hidden = False
        # (events consumed, states, last_ml, hidden, the replay tracker's state): oldest first
        self.checkpoints: List[Tuple[int, int, Any, bool, Any]] = []


def saved_state(tr) -> Tuple[Any, Any, Dict[str, Any]]:
    """The replay tracker's state. What its events change in place (slots, the active loop) is
    copied; the rest is only ever replaced (the latest action dict, which states share, stays
    the same object). Its events are not kept: they are the consumed ones."""
    saved = dict(tr.__dict__)
    del saved["events"]
    slots = tr.slots
    saved["slots"] = (type(slots), [(name, type(slot), dict(slot.__dict__)) for name, slot in slots.items()])
    if saved.get("active_loop") is not None:
        saved["active_loop"] = copy.copy(saved["active_loop"])
    return type(tr), tr.events.maxlen, saved


def restored_state(saved: Tuple[Any, Any, Dict[str, Any]], events: List[Any]) -> Any:
    cls, maxlen, state = saved
    tr = object.__new__(cls)
    fresh = dict(state)
    slots_cls, items = fresh["slots"]
    slots = slots_cls()
    for name, slot_cls, attributes in items:
        slot = object.__new__(slot_cls)
        slot.__dict__.update(attributes)
        slots[name] = slot
    fresh["slots"] = slots
    if fresh.get("active_loop") is not None:
        fresh["active_loop"] = copy.copy(fresh["active_loop"])
    fresh["events"] = deque(events, maxlen)
    tr.__dict__.update(fresh)
    return tr


def checkpoint_names(domain) -> frozenset:
    """Before these actions a replay keeps a checkpoint: where undos and reverts go back to."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME

    if domain is None:
        return frozenset([ACTION_LISTEN_NAME])
    names = domain.__dict__.get("_gongyou_checkpoint_names")
    if names is None:
        names = domain.__dict__["_gongyou_checkpoint_names"] = frozenset([ACTION_LISTEN_NAME, *domain.form_names])
    return names


def _turn(domain, replay: _Replay, tr, hide_rule_turn: bool, states, last_ml, hidden) -> Tuple[Any, bool]:
    """One step of Rasa's loop (domain.py, states_for_tracker_history): appends to `states`."""
    from typing import cast

    import rasa.shared.core.constants as c

    omit_unset_slots, ignore_rule_only_turns = replay.flags
    if ignore_rule_only_turns:
        if not hidden:
            last_ml = domain._get_prev_action_sub_state(tr)
        if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
            hidden = hide_rule_turn
        if hidden:
            return last_ml, hidden
    state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, replay.rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if last_ml:
            state[c.PREVIOUS_ACTION] = cast(Any, last_ml)
    states.append(domain._clean_state(state))
    return last_ml, hidden


def _copy_states(states: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Fresh dicts for the caller, shared between states exactly where Rasa's own are."""
    copies: Dict[int, Any] = {}
    out = []
    for state in states:
        fresh = {}
        for key, sub in state.items():
            if isinstance(sub, dict):
                copied = copies.get(id(sub))
                if copied is None:
                    copied = copies[id(sub)] = dict(sub)
                fresh[key] = copied
            else:
                fresh[key] = sub
        out.append(fresh)
    return out


_SAME = ("action_name", "text", "intent_name", "entities", "key", "value", "name", "hide_rule_turn")


def _same_event(a: Any, b: Any) -> bool:
    """The same event read back from the store: its class, its time and what states are made of."""
    if a is b:
        return True
    if type(a) is not type(b) or a.timestamp != b.timestamp:
        return False
    return all(getattr(a, field, None) == getattr(b, field, None) for field in _SAME)


def _usable(replay: Optional["_Replay"], domain, rule_only_data) -> bool:
    return replay is not None and replay.domain is domain and replay.rule_only_data == rule_only_data


def common_prefix(consumed: List[Any], applied: List[Any], same=_same_event) -> int:
    """How many of the first consumed events are the first applied events (or the same events
    read back from the store)."""
    shorter = min(len(consumed), len(applied))
    # The first event that is not the very same object (found without a Python loop), then equals.
    first = next(itertools.compress(itertools.count(), map(operator.is_not, consumed, applied)), shorter)
    for i in range(first, shorter):
        if not same(consumed[i], applied[i]):
            return i
    return shorter


def _take_up(replay: "_Replay", applied: List[Any], tracker) -> "_Replay":
    """`replay`, set back to where it consumed only events that are still the first applied ones."""
    agreed = common_prefix(replay.consumed, applied)
    if agreed == len(replay.consumed):
        replay.consumed = applied[:agreed]  # read back from the store: this tracker's own objects
        return replay
    checkpoints = replay.checkpoints
    while checkpoints and checkpoints[-1][0] > agreed:
        checkpoints.pop()
    if not checkpoints:
        return _Replay(replay.domain, replay.flags, replay.rule_only_data, tracker.init_copy())
    at, states, last_ml, hidden, saved = checkpoints[-1]
    replay.consumed = applied[:at]
    replay.tracker = restored_state(saved, replay.consumed)
    del replay.states[states:]
    replay.last_ml, replay.hidden = last_ml, hidden
    return replay


def states_for_tracker_history(
    self,
    tracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Optional[Dict[str, Any]] = None,
) -> List[Dict[str, Any]]:
    from rasa.shared.core.events import ActionExecuted

    flags = (bool(omit_unset_slots), bool(ignore_rule_only_turns))
    key = (id(self), flags)
    applied = tracker.applied_events()
    replays: Dict[Any, _Replay] = tracker.__dict__.setdefault(_STATES, {})
    recent_key = (tracker.sender_id, key)
    replay = replays.get(key)
    if not _usable(replay, self, rule_only_data):
        replay = _RECENT.get(recent_key)
    if _usable(replay, self, rule_only_data):
        replay = _take_up(replay, applied, tracker)  # type: ignore[arg-type]
    else:
        replay = _Replay(self, flags, None if rule_only_data is None else dict(rule_only_data), tracker.init_copy())
    _RECENT[recent_key] = replays[key] = replay
    _RECENT.move_to_end(recent_key)
    while len(_RECENT) > RECENT_CONVERSATIONS:
        _RECENT.popitem(last=False)
    tr = replay.tracker
    consumed, states, checkpoints = replay.consumed, replay.states, replay.checkpoints
    names = checkpoint_names(self)
    for event in applied[len(consumed) :]:
        if isinstance(event, ActionExecuted):
            if event.action_name in names and (not checkpoints or checkpoints[-1][0] != len(consumed)):
                checkpoints.append((len(consumed), len(states), replay.last_ml, replay.hidden, saved_state(tr)))
                if len(checkpoints) > CHECKPOINTS:
                    del checkpoints[0]
            replay.last_ml, replay.hidden = _turn(
                self, replay, tr, event.hide_rule_turn, states, replay.last_ml, replay.hidden
            )
        tr.update(event)
        consumed.append(event)
    # The state after the last event: Rasa's final `yield tracker, False`, never kept.
    states = list(states)
    _turn(self, replay, tr, False, states, replay.last_ml, replay.hidden)
    return _copy_states(states)


def install() -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    _ORIGINAL.setdefault("applied_events", DialogueStateTracker.applied_events)
    _ORIGINAL.setdefault("states_for_tracker_history", Domain.states_for_tracker_history)
    DialogueStateTracker.applied_events = applied_events
    Domain.states_for_tracker_history = states_for_tracker_history


def installed() -> bool:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    return (
        DialogueStateTracker.applied_events is applied_events
        and Domain.states_for_tracker_history is states_for_tracker_history
    )
