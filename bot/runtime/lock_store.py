"""Rasa's RedisLockStore, with one fault of its ticket lock removed.

A message waiting for a conversation's lock holds a ticket with the same lifetime as the one
ahead of it. When the replica holding the lock dies, the waiter waits for the dead ticket to
expire; if its own ticket, issued within the same second, expires too before the next poll,
Rasa 3.6 waits forever: no ticket is left to be "now serving", and it never is (found in the
replica-kill test: a retried message never answered). Tickets expire in the order they were
issued, so once a waiter's own ticket has expired every ticket ahead of it has too: the
conversation is free and the waiter takes it.

endpoints.production.yml: `lock_store: type: bot.runtime.lock_store.GongYouRedisLockStore`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


class GongYouRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # built by Rasa from endpoints.yml (module path type)
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url)
        super().__init__(**kwargs)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            lock.remove_expired_tickets()
            own_ticket_alive = any(t.number == ticket for t in lock.tickets)
            if not lock.is_locked(ticket) or not own_ticket_alive:
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
