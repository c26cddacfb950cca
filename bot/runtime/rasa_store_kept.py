"""The in-memory store hands back the tracker it was given, not one rebuilt from its JSON (Rasa 3.6).

Every message, Rasa's processor reads the conversation back from the tracker store: the
in-memory store parses its JSON text and replays every event into a new tracker, a cost that
grew with the conversation (about 6 ms twenty turns into the whole-case conversation, cProfile,
bench/turns.py). Yet the tracker it rebuilds is the one it was given at the last `save`.

So `save` also keeps, for the last KEPT conversations, the tracker Rasa's reading would rebuild
from the events it was given (the same event objects; Rasa's own replay of the applied events,
taken up where the last save left it while the conversation only grew, and from the last
checkpoint before the change when a form's run or a fallback undid the last turn: before those
checkpoints every form turn replayed the whole conversation here), and reading back gives a
fresh copy of it (rasa_tracker_copy.state_copy, with its applied events) while the stored text is
still the very text that `save` wrote (any other writer, and the JSON is read as before). Rasa's
reading is not the tracker it was given (it replays the applied events only: after a restart, or
a form's undone turns, some state differs), so it is that reading which is kept. The JSON is
still written every time: it is what the store holds, counts and forgets. Only the in-memory
store (and GongYou's bounded one) keeps trackers; the SQL and Redis stores read their rows.

tests/test_rasa_store_kept.py compares what is read back with Rasa's own deserialisation;
tests/test_rasa_speedups_equivalence.py runs whole conversations with and without it.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from typing import Any, Dict, List, Tuple

_ORIGINAL: Dict[str, Any] = {}
_KEPT = "_gongyou_kept_trackers"
# More than the conversations one Rasa process serves at once; memory stays bounded.
KEPT = 200
# A form's run undoes back to its last run, a fallback to the last listen: a few turns at most.
CHECKPOINTS = 12


class _Kept:
    """A conversation as Rasa would read it back: `shadow` holds its events (for the applied
    events, computed incrementally by rasa_history.py), `tracker` the state Rasa's
    `recreate_from_dialogue` rebuilds from them, `applied` the applied events replayed into it,
    `checkpoints` that replay's state before its last listens and form runs."""

    __slots__ = ("text", "shadow", "tracker", "applied", "checkpoints")

    def __init__(self, store: Any, sender_id: str) -> None:
        self.text = None
        self.shadow = store.init_tracker(sender_id)
        self.tracker = store.init_tracker(sender_id)
        self.applied: List[Any] = []
        self.checkpoints: List[Tuple[int, Any]] = []


def _kept(store: Any) -> "OrderedDict[str, _Kept]":
    kept = store.__dict__.get(_KEPT)
    if kept is None:
        kept = store.__dict__[_KEPT] = OrderedDict()
    return kept


def _starts_with(longer: Any, shorter: Any) -> bool:
    return len(shorter) <= len(longer) and all(map(operator.is_, shorter, longer))


def _back_to(store: Any, sender_id: str, found: _Kept, applied: List[Any]) -> None:
    """The replay set back to where it applied only events that are still the first applied ones:
    the last checkpoint before they part (a form's run undoes its last turn), else the start."""
    from bot.runtime.rasa_history import common_prefix, restored_state

    agreed = common_prefix(found.applied, applied, operator.is_)
    if agreed == len(found.applied):
        return
    checkpoints = found.checkpoints
    while checkpoints and checkpoints[-1][0] > agreed:
        checkpoints.pop()
    if checkpoints:
        at, saved = checkpoints[-1]
        found.tracker = restored_state(saved, [])
        found.applied = applied[:at]
    else:
        found.tracker = store.init_tracker(sender_id)
        found.applied = []


def _keep(store: Any, sender_id: str, events: List[Any], text: Any) -> None:
    """Rasa's reading of `events` (trackers.py: recreate_from_dialogue, replay_events): the applied
    events applied in order to a new tracker; resumed where the last reading stopped while the
    events only grew, from a checkpoint when the applied events changed behind its end."""
    from rasa.shared.core.events import ActionExecuted

    from bot.runtime.rasa_form_tracker import idx_after_latest_restart
    from bot.runtime.rasa_history import checkpoint_names, saved_state
    from bot.runtime.rasa_tracker_copy import carry_memos

    kept = _kept(store)
    found = kept.get(sender_id)
    if found is None or not _starts_with(events, found.shadow.events):
        found = _Kept(store, sender_id)
    found.shadow.events.extend(events[len(found.shadow.events) :])
    applied = found.shadow.applied_events()
    idx_after_latest_restart(found.shadow)  # kept on it: handed out with the tracker too
    _back_to(store, sender_id, found, applied)
    names, checkpoints, tracker = checkpoint_names(store.domain), found.checkpoints, found.tracker
    for at in range(len(found.applied), len(applied)):
        event = applied[at]
        if isinstance(event, ActionExecuted) and event.action_name in names:
            if not checkpoints or checkpoints[-1][0] != at:
                checkpoints.append((at, saved_state(tracker)))
                if len(checkpoints) > CHECKPOINTS:
                    del checkpoints[0]
        event.apply_to(tracker)
    found.applied = applied
    tracker.events.clear()
    tracker.events.extend(events)
    carry_memos(found.shadow, tracker)  # its applied events and last restart: handed out with it
    found.text = text
    kept[sender_id] = found
    kept.move_to_end(sender_id)
    while len(kept) > KEPT:
        kept.popitem(last=False)


async def save(self: Any, tracker: Any) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    await _ORIGINAL["save"](self, tracker)
    kept = _kept(self)
    # A conversation the store forgot (idle, erased) is not kept here either.
    for sender in [sender for sender in kept if sender not in self.store]:
        del kept[sender]
    text = self.store.get(tracker.sender_id)
    if (
        type(tracker) is not DialogueStateTracker
        or text is None
        or tracker._max_event_history is not None
        or self.max_event_history is not None
    ):
        kept.pop(tracker.sender_id, None)
        return
    _keep(self, tracker.sender_id, list(tracker.events), text)


def deserialise_tracker(self: Any, sender_id: str, serialised_tracker: Any) -> Any:
    from bot.runtime.rasa_tracker_copy import state_copy

    found = _kept(self).get(sender_id)
    if found is not None and found.text is serialised_tracker and self.max_event_history is None:
        return state_copy(found.tracker)
    return _ORIGINAL["deserialise_tracker"](self, sender_id, serialised_tracker)


def install() -> None:
    from rasa.core.tracker_store import InMemoryTrackerStore

    _ORIGINAL.setdefault("save", InMemoryTrackerStore.save)
    _ORIGINAL.setdefault("deserialise_tracker", InMemoryTrackerStore.deserialise_tracker)
    InMemoryTrackerStore.save = save
    InMemoryTrackerStore.deserialise_tracker = deserialise_tracker


def installed() -> bool:
    from rasa.core.tracker_store import InMemoryTrackerStore

    return InMemoryTrackerStore.save is save and InMemoryTrackerStore.deserialise_tracker is deserialise_tracker
