"""A form's temporary tracker copied from the tracker's state, not rebuilt by a replay (Rasa 3.6).

On every form turn Rasa's FormAction builds a temporary tracker twice (to call the form's
validation action, and to find the next slot to ask for): `DialogueStateTracker.from_events`
with every event since the last restart, then a SlotSet of the requested slot, the form's own
ActionExecuted and the new events. That replays the whole conversation each time: the form's
share of a turn grew with the conversation (cProfile, bench/turns.py: 3 ms at the fourth case,
a third of it at the first). Finding the last restart walked every event as well.

A tracker's state MUST be re-creatable from its events (Rasa's rule), and the events since the
last restart are all the events when there was none: so the replay rebuilds exactly the state
the tracker holds now, which is copied instead (rasa_tracker_copy.state_copy), and the new events
are applied to the copy as the replay applies them. Rasa's replay is kept wherever the two could
differ: after a restart (the replay starts without it), a tracker that keeps only its last events
(`max_event_history`), a tracker subclass, and slots that are not the domain's own (the replay
starts from the domain's slots).

The last restart's index is kept on the tracker and extended with the events added since.

tests/test_rasa_form_tracker.py compares both trackers after every event of the recorded rules;
tests/test_rasa_speedups_equivalence.py runs whole conversations with and without it.
"""

from __future__ import annotations

import operator
from typing import Any, Dict, List

_ORIGINAL: Dict[str, Any] = {}
_RESTART = "_gongyou_restart_index"


_IS_RESTART: Dict[type, bool] = {}


def _is_restart(event: Any) -> bool:
    cls = type(event)
    known = _IS_RESTART.get(cls)
    if known is None:
        from rasa.shared.core.events import Restarted

        known = _IS_RESTART[cls] = issubclass(cls, Restarted)
    return known


def idx_after_latest_restart(self: Any) -> int:
    """Rasa's: the index after the last Restarted event, 0 without one; new events only looked at."""
    events = self.events
    count = len(events)
    memo = self.__dict__.get(_RESTART)
    start, index = 0, 0
    if memo is not None:
        seen_deque, seen, first, last, found = memo
        if seen_deque is events and seen <= count and (seen == 0 or (events[0] is first and events[seen - 1] is last)):
            start, index = seen, found
    if start < count:
        for i in range(count - 1, start - 1, -1):
            if _is_restart(events[i]):
                index = i + 1
                break
        self.__dict__[_RESTART] = (events, count, events[0], events[-1], index)
    return index


_VALUE = ("_value", "_has_been_set")
_SLOTS_SEEN = "_gongyou_slot_mappings"


def _definition(slot: Any) -> Dict[str, Any]:
    return {key: value for key, value in vars(slot).items() if key not in _VALUE}


def _domain_slots(tracker: Any, domain: Any) -> bool:
    """The tracker's slots are the domain's (the same definitions), in its order. Slot copies
    share their mappings: the mappings of slots found to be the domain's are kept on the domain,
    and slots sharing those very mappings are not compared again."""
    slots = domain.slots
    mine = list(tracker.slots.values())
    if len(mine) != len(slots):
        return False
    seen = domain.__dict__.get(_SLOTS_SEEN)
    if seen is not None and all(map(operator.is_, seen, (slot.mappings for slot in mine))):
        return all(slot.name == theirs.name and type(slot) is type(theirs) for slot, theirs in zip(mine, slots))
    for name, slot, theirs in zip(tracker.slots, mine, slots):
        if name != theirs.name or type(slot) is not type(theirs) or _definition(slot) != _definition(theirs):
            return False
    domain.__dict__[_SLOTS_SEEN] = [slot.mappings for slot in mine]
    return True


def copyable(tracker: Any, domain: Any) -> bool:
    """Whether Rasa's replay of the events since the last restart gives this tracker's state."""
    from rasa.shared.core.trackers import DialogueStateTracker

    return (
        type(tracker) is DialogueStateTracker
        and tracker._max_event_history is None
        and tracker.idx_after_latest_restart() == 0
        and _domain_slots(tracker, domain)
    )


def temporary_tracker(self: Any, current_tracker: Any, additional_events: List[Any], domain: Any) -> Any:
    """Rasa's FormAction._temporary_tracker, from the current tracker's state."""
    from rasa.shared.core.constants import REQUESTED_SLOT
    from rasa.shared.core.events import ActionExecuted, SlotSet

    from bot.runtime.rasa_tracker_copy import state_copy

    if not copyable(current_tracker, domain):
        return replayed(self, current_tracker, additional_events, domain)
    tracker = state_copy(current_tracker)
    # What `from_events` gives a new tracker: no source, not a rule tracker.
    tracker.sender_source = None
    tracker.is_rule_tracker = False
    for event in [
        SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
        ActionExecuted(self.name()),
        *additional_events,
    ]:
        tracker.update(event)
    return tracker


def install() -> None:
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.trackers import DialogueStateTracker

    _ORIGINAL.setdefault("temporary_tracker", FormAction._temporary_tracker)
    _ORIGINAL.setdefault("idx_after_latest_restart", DialogueStateTracker.idx_after_latest_restart)
    FormAction._temporary_tracker = temporary_tracker
    DialogueStateTracker.idx_after_latest_restart = idx_after_latest_restart


def installed() -> bool:
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.trackers import DialogueStateTracker

    return (
        FormAction._temporary_tracker is temporary_tracker
        and DialogueStateTracker.idx_after_latest_restart is idx_after_latest_restart
    )


def replayed(form: Any, current_tracker: Any, additional_events: List[Any], domain: Any) -> Any:
    """Rasa's own temporary tracker (tests compare against it)."""
    from rasa.core.actions.forms import FormAction

    return _ORIGINAL.get("temporary_tracker", FormAction._temporary_tracker)(
        form, current_tracker, additional_events, domain
    )
