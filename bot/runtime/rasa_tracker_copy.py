"""A tracker copied from its state, not by replaying the whole conversation (Rasa 3.6).

Before every action Rasa's processor takes `tracker.copy()` (so that a rejected action's events
can be dropped), and a form activating takes one more. `copy()` is
`travel_back_in_time(inf)`: a new tracker that replays every event from the first, so each action
of a long conversation cost more than the last (bench/turns.py, cProfile: the largest growing
cost after the history replays of `rasa_history.py`).

A tracker's state MUST be re-creatable from its events (Rasa's own rule, trackers.py), so the
replayed copy holds exactly the state the tracker holds now. Here that state is copied directly:
the same event objects in a new deque, a shallow copy of each slot (the value object is the one
the last SlotSet carried, shared as in the replay), new dicts for the latest action and the
active loop (Rasa edits those in place), and what `init_copy` leaves unset (sender source, model
and assistant ids) left unset. Only plain `DialogueStateTracker`s are copied this way; a
subclass goes through Rasa's replay.

What GongYou's other speed-ups keep about a tracker's events (its applied events, where its last
restart is) is a function of the events alone, so the copy takes it along for the events it was
computed on (the same first events, in the copy's own deque) and extends it with the others.
Without it every copy, and every tracker the store hands out, folded the whole history again on
its first `applied_events()` (the processor asks for it on every message, before the session
check).

tests/test_rasa_tracker_copy.py compares this copy with Rasa's replay after every event of the
recorded conversations; tests/test_rasa_speedups_equivalence.py runs them end to end.
"""

from __future__ import annotations

import copy as _copy
from collections import deque
from typing import Any, Dict

_ORIGINAL: Dict[str, Any] = {}
# What GongYou's other speed-ups memoise on a tracker's events: (the events' deque, how many were
# seen, the first, the last, …), carried over when up to date (rasa_history.py, rasa_form_tracker.py).
EVENT_MEMOS = ("_gongyou_applied_events", "_gongyou_restart_index")
# The replays of rasa_history.py: bound to the tracker object, never carried over.
_NOT_COPIED = ("_gongyou_past_states",) + EVENT_MEMOS
# What `init_copy` does not pass on: a replayed copy has them unset.
_UNSET = ("sender_source", "model_id", "assistant_id")


_PLAIN: Dict[Any, bool] = {}


def _plain(cls: Any) -> bool:
    """`copy.copy` of an instance is `cls.__new__(cls)` with the instance's `__dict__`: no copy or
    pickling hooks of its own, no slots holding state."""
    known = _PLAIN.get(cls)
    if known is None:
        import copyreg

        known = _PLAIN[cls] = (
            cls not in copyreg.dispatch_table
            and getattr(cls, "__copy__", None) is None
            and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__
            and getattr(cls, "__getstate__", None) is getattr(object, "__getstate__", None)
            and getattr(cls, "__setstate__", None) is None
            and not any(klass.__dict__.get("__slots__") for klass in cls.__mro__)
        )
    return known


def shallow_copy(obj: Any) -> Any:
    """`copy.copy(obj)`, without its generic machinery for the plain objects slots are (57 slots
    copied for every tracker copy: most of a copy's cost)."""
    cls: Any = type(obj)
    if not _plain(cls):
        return _copy.copy(obj)
    new = cls.__new__(cls)
    new.__dict__.update(obj.__dict__)
    return new


def state_copy(tracker: Any) -> Any:
    """The tracker Rasa's `copy()` would rebuild, from `tracker`'s current state."""
    cls: Any = type(tracker)
    new = object.__new__(cls)
    fresh = new.__dict__
    for name, value in tracker.__dict__.items():
        if name in _NOT_COPIED:
            continue
        if name == "events":
            value = deque(value, value.maxlen)
        elif name == "slots":
            value = type(value)((key, shallow_copy(slot)) for key, slot in value.items())
        elif name == "active_loop" and value is not None:
            value = _copy.copy(value)  # a dataclass Rasa edits in place (rejected, interrupted)
        elif type(value) is dict:
            value = dict(value)
        fresh[name] = value
    for name in _UNSET:
        fresh[name] = None
    carry_memos(tracker, new)
    return new


def carry_memos(source: Any, target: Any) -> None:
    """`target` holds `source`'s events (the same objects, in a deque of its own): it takes what is
    memoised about them, when that memo holds for the first events of `source` (the memo's owner
    looks at the events added since)."""
    events, others = source.events, target.events
    count = len(events)
    if len(others) != count:
        return
    if count and not (others[0] is events[0] and others[-1] is events[-1]):
        return
    for key in EVENT_MEMOS:
        memo = source.__dict__.get(key)
        if memo is None or memo[0] is not events or memo[1] > count:
            continue
        seen = memo[1]
        if seen and not (memo[2] is events[0] is others[0] and memo[3] is events[seen - 1] is others[seen - 1]):
            continue
        target.__dict__[key] = (others,) + tuple(memo[1:])


def copy(self: Any) -> Any:
    from rasa.shared.core.trackers import DialogueStateTracker

    if type(self) is not DialogueStateTracker:
        return _ORIGINAL["copy"](self)
    return state_copy(self)


def install() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    _ORIGINAL.setdefault("copy", DialogueStateTracker.copy)
    DialogueStateTracker.copy = copy


def installed() -> bool:
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.copy is copy


def replayed_copy(tracker: Any) -> Any:
    """Rasa's own copy (tests compare against it)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    return _ORIGINAL.get("copy", DialogueStateTracker.copy)(tracker)
