"""Cheaper tracker (de)serialisation in Rasa 3.6's tracker stores, same data read back.

- Each event read back from a store looked up its class by walking all of `Event`'s subclasses
  (`Event.resolve_by_type`), about 30 classes, recursively, for every event of the conversation on
  every turn: a quarter of the Rasa process's time on a twenty-turn conversation (cProfile,
  bench/turns.py). The class for a name is found once and kept; names Rasa does not know still
  go through Rasa's own lookup (its default, its "topic" exception, its error).
- The stores' JSON (the in-memory store's whole conversation, the SQL store's rows) is written
  and read with orjson: the same JSON values, compact and UTF-8 (readers parse it, none compares
  the text). What orjson does not take (integers beyond 64 bits, keyword arguments) goes to the
  standard library, so nothing Rasa could store before is refused now. A float subclass
  (numpy's float64: the NLU's confidences) is written as the float it is, as `json.dumps`
  writes it: refused by orjson, it sent every save of every conversation to the standard
  library (about 1 ms a save at turns 11-20, cProfile).
- The in-memory store hands out the conversation's last session: Rasa rebuilt a tracker for
  every session (replaying all events once more) only to see there was one. The sessions are
  counted first; only the last one is rebuilt, and only when there are several.
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, Optional

import orjson

_ORIGINAL: Dict[str, Any] = {}
_BY_NAME: Dict[str, Any] = {}


def resolve_by_type(type_name: str, default: Optional[type] = None) -> Optional[type]:
    cls = _BY_NAME.get(type_name)
    if cls is not None:
        return cls
    cls = _ORIGINAL["resolve_by_type"](type_name, default)
    if cls is not None and cls is not default and getattr(cls, "type_name", None) == type_name:
        _BY_NAME[type_name] = cls
    return cls


def _float_subclass(obj: Any) -> float:
    """What orjson calls for a value it does not take: a finite float subclass as its float (what
    `json.dumps` writes for it); anything else is refused, and the standard library writes it."""
    if isinstance(obj, float) and math.isfinite(obj):
        return float(obj)
    raise TypeError


class OrjsonForStores:
    """Stands in for the `json` module inside rasa.core.tracker_store."""

    JSONDecodeError = json.JSONDecodeError

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        if not kwargs:
            try:
                return orjson.dumps(
                    obj, default=_float_subclass, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
                ).decode()
            except TypeError:
                pass
        return json.dumps(obj, **kwargs)

    @staticmethod
    def loads(text: Any, **kwargs: Any) -> Any:
        if not kwargs:
            try:
                return orjson.loads(text)
            except orjson.JSONDecodeError:
                pass  # the standard library raises its own error, as Rasa expects (or reads NaN)
        return json.loads(text, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)


STORES_JSON = OrjsonForStores()


def last_session(tracker: Any) -> Any:
    """What Rasa's in-memory store returns: the tracker of the last of
    `get_trackers_for_conversation_sessions(tracker)` (split where `action_session_start` runs),
    or `tracker` itself when that split gives at most one session."""
    from rasa.shared.core.constants import ACTION_SESSION_START_NAME
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    events = list(tracker.events)
    starts = [
        i
        for i, event in enumerate(events)
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
    ]
    if not starts or starts == [0]:
        return tracker
    return DialogueStateTracker.from_events(
        tracker.sender_id,
        events[starts[-1] :],
        tracker.slots.values(),
        sender_source=tracker.sender_source,
        max_event_history=tracker._max_event_history,
    )


async def in_memory_retrieve(self: Any, sender_id: str, fetch_all_sessions: bool) -> Any:
    """Rasa's InMemoryTrackerStore._retrieve, with `last_session`."""
    if sender_id not in self.store:
        return None
    tracker = self.deserialise_tracker(sender_id, self.store[sender_id])
    if not tracker or fetch_all_sessions:
        return tracker
    return last_session(tracker)


def install() -> None:
    import rasa.core.tracker_store as stores
    from rasa.shared.core.events import Event

    _ORIGINAL.setdefault("resolve_by_type", Event.resolve_by_type)
    _ORIGINAL.setdefault("stores_json", stores.json)
    _ORIGINAL.setdefault("in_memory_retrieve", stores.InMemoryTrackerStore._retrieve)
    Event.resolve_by_type = staticmethod(resolve_by_type)
    stores.json = STORES_JSON
    stores.InMemoryTrackerStore._retrieve = in_memory_retrieve


def installed() -> bool:
    import rasa.core.tracker_store as stores
    from rasa.shared.core.events import Event

    return (
        Event.resolve_by_type is resolve_by_type
        and stores.json is STORES_JSON
        and stores.InMemoryTrackerStore._retrieve is in_memory_retrieve
    )
