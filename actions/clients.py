"""One case client per action-server process, the thread that empties its outbox, and
`blocking()`: the one way an action calls something that waits (HTTP, database, the station list).

The action server runs every conversation's actions on one event loop: a `requests` call or a
database query made inside `async def run` stops all of them until it returns (about 40 s when
the case service is down). Such calls go to a thread pool of their own, so a slow case service
holds a few threads, not the loop, and not the threads asyncio keeps for itself.
"""

import asyncio
import functools
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from rasa_sdk import Tracker

from bot.cases.client import CaseClient
from bot.dialogue import conversation

logger = logging.getLogger(__name__)
FLUSH_EVERY_SECONDS = 20
BLOCKING_THREADS = 16

T = TypeVar("T")
_pool = ThreadPoolExecutor(max_workers=BLOCKING_THREADS, thread_name_prefix="actions-io")


async def blocking(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`await blocking(client.submit, payload, key)`: runs the call on the I/O pool."""
    return await asyncio.get_running_loop().run_in_executor(_pool, functools.partial(call, *args, **kwargs))


_client = None
_lock = threading.Lock()
_flushing = threading.Lock()


def _flush(client: CaseClient) -> None:
    # One flush at a time: the timer and a worker's "查进度" must not send the same rows twice over.
    if not _flushing.acquire(blocking=False):
        return
    try:
        client.flush()
    except Exception:
        logger.exception("outbox flush failed")
    finally:
        _flushing.release()


def _flush_forever(client: CaseClient) -> None:
    while True:
        time.sleep(FLUSH_EVERY_SECONDS)
        _flush(client)


async def flush_briefly(seconds: float = 2.0) -> None:
    """Send the outbox now, but wait for it at most `seconds`: when the service is back the
    worker gets the number in this reply, and while it is down the reply does not wait for it."""
    future = asyncio.get_running_loop().run_in_executor(_pool, _flush, case_client())
    await asyncio.wait([future], timeout=seconds)


def case_client() -> CaseClient:
    global _client
    with _lock:
        if _client is None:
            _client = CaseClient()
            threading.Thread(target=_flush_forever, args=(_client,), daemon=True, name="outbox").start()
        return _client


async def hand_over(tracker: Tracker, reason: str) -> bool:
    """Gives the conversation to a person (on request, after two misses, or from inside a form)."""
    # A kiosk's station takes its own callers; elsewhere the case service uses the worker's case.
    kiosk = (tracker.latest_message.get("metadata") or {}).get("kiosk_station")
    return await blocking(
        case_client().handoff,
        tracker.sender_id,
        reason,
        conversation.transcript(tracker.events),
        tracker.get_slot("phone"),
        kiosk if isinstance(kiosk, str) else None,
    )
