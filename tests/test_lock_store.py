"""The production lock store on the real Redis: a waiter whose turn comes after a dead replica's
ticket expired gets the conversation instead of waiting forever, and a live holder still blocks."""

import asyncio
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.lock_store import GongYouRedisLockStore

pytestmark = pytest.mark.production


def store():
    config = EndpointConfig(
        url="127.0.0.1", port=6379, db=1, key_prefix="gongyoutest", type="bot.runtime.lock_store.GongYouRedisLockStore"
    )
    lock_store = GongYouRedisLockStore(endpoint_config=config)
    lock_store.red.ping()  # no Redis: the test fails here
    return lock_store


def test_waiter_takes_the_conversation_once_the_dead_holders_ticket_expired():
    lock_store, conversation = store(), f"c-{uuid.uuid4().hex}"
    lock_store.issue_ticket(conversation, lock_lifetime=1)  # a replica that then died
    mine = lock_store.issue_ticket(conversation, lock_lifetime=1)  # the retried message
    # Polling every 1.5 s: at the first look both tickets have expired (Rasa's own loop hangs here).
    lock = asyncio.run(asyncio.wait_for(lock_store._acquire_lock(conversation, mine, 1.5), 60))
    assert lock is not None
    lock_store.delete_lock(conversation)


def test_a_live_holder_still_blocks_the_waiter():
    lock_store, conversation = store(), f"c-{uuid.uuid4().hex}"
    holder = lock_store.issue_ticket(conversation, lock_lifetime=60)
    mine = lock_store.issue_ticket(conversation, lock_lifetime=60)

    async def scenario():
        waiter = asyncio.create_task(lock_store._acquire_lock(conversation, mine, 0.2))
        await asyncio.sleep(1)
        assert not waiter.done()
        lock_store.cleanup(conversation, holder)  # the holder finishes its message
        return await asyncio.wait_for(waiter, 60)

    assert asyncio.run(scenario()).now_serving == mine
    lock_store.delete_lock(conversation)
