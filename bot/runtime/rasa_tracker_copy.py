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

tests/test_rasa_tracker_copy.py compares this copy with Rasa's replay after every event of the
recorded conversations; tests/test_rasa_speedups_equivalence.py runs them end to end.
"""

from __future__ import annotations

import copy as _copy
from collections import deque
from typing import Any, Dict

_ORIGINAL: Dict[str, Any] = {}
# What GongYou's other speed-ups memoise on a tracker (rasa_history.py): never carried over.
_NOT_COPIED = ("_gongyou_applied_events", "_gongyou_past_states")
# What `init_copy` does not pass on: a replayed copy has them unset.
_UNSET = ("sender_source", "model_id", "assistant_id")


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
            value = type(value)((key, _copy.copy(slot)) for key, slot in value.items())
        elif name == "active_loop" and value is not None:
            value = _copy.copy(value)  # a dataclass Rasa edits in place (rejected, interrupted)
        elif type(value) is dict:
            value = dict(value)
        fresh[name] = value
    for name in _UNSET:
        fresh[name] = None
    return new


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
