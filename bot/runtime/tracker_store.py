"""The embedded tracker store (`make run`): Rasa's in-memory store with a bound.

Rasa's InMemoryTrackerStore keeps every conversation until the process stops: memory grows with
every visitor, and a worker's name and phone stay readable long after the conversation ended.
This one forgets a conversation idle for `idle_hours`, and the least recently used ones beyond
`max_conversations`. endpoints.yml sets both; GONGYOU_TRACKER_IDLE_HOURS and
GONGYOU_TRACKER_MAX_CONVERSATIONS override them. Production keeps conversations in PostgreSQL.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings

DEFAULT_MAX_CONVERSATIONS = 5000
DEFAULT_IDLE_HOURS = 48.0


class BoundedInMemoryTrackerStore(InMemoryTrackerStore):
    def __init__(
        self,
        domain: Domain,
        event_broker: Optional[EventBroker] = None,
        host: Optional[str] = None,
        max_conversations: Any = DEFAULT_MAX_CONVERSATIONS,
        idle_hours: Any = DEFAULT_IDLE_HOURS,
        clock=time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.store: "OrderedDict[Text, Text]" = OrderedDict()
        self._touched: dict = {}
        most, idle = settings.tracker_limits()
        self.max_conversations = int(most or max_conversations)
        self.idle_seconds = float(idle or idle_hours) * 3600
        self._clock = clock

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self.store.move_to_end(tracker.sender_id)
        self._touched[tracker.sender_id] = self._clock()
        self._forget()

    async def _retrieve(self, sender_id: Text, fetch_all_sessions: bool) -> Optional[DialogueStateTracker]:
        self._forget()
        return await super()._retrieve(sender_id, fetch_all_sessions)

    def _forget(self) -> None:
        """Drop idle conversations (oldest first) and the least recently saved beyond the cap."""
        now = self._clock()
        while self.store:
            oldest = next(iter(self.store))
            if len(self.store) <= self.max_conversations and now - self._touched.get(oldest, now) <= self.idle_seconds:
                break
            del self.store[oldest]
            self._touched.pop(oldest, None)
