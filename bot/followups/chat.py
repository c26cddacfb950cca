"""The chat channels' side of follow-ups: one short call to the case service per message.

Before Rasa sees a message, `before_reply` hands it to the case service (`POST
/api/followups/turn`, service token; in-process when CASES_API_URL=local). Either GongYou
answered it (an answer to a return visit) or it gives the questions that must open Rasa's reply.
The call is short and never in the way: when the case service does not answer in time, the
message goes to Rasa as if there were no follow-ups, and they wait for the next message.
The calls share one `requests.Session`, so they go over kept connections: a new connection for
every message cost the chat channels a connect and the case service an accept per message.
When the case service says nothing is pending for a while (`quiet`), the sender's next messages
skip the call until then, unless one could answer a question (bot/followups/quiet.py): the call
was ~4 ms of the case service's CPU and ~20 ms before the reply could start, on every message.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import logging
from typing import List, Optional, Tuple

import requests

from bot import settings
from bot.followups.quiet import QuietSenders

logger = logging.getLogger(__name__)

TIMEOUT = (1.5, 3)
_local = None
# urllib3's pool behind it is thread-safe; the calls come from the event loop's executor threads.
# It keeps no cookies: one worker's call must never carry what the case service said to another's.
_session = requests.Session()
_session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
# The senders this process may skip for a while; the channels' coroutines are its one user.
quiet = QuietSenders()


def _turn_local(sender_id: str, text: str) -> dict:
    global _local
    from bot.followups import replies
    from bot.storage.engine import make_engine, session_factory

    if _local is None:
        _local = session_factory(make_engine())
    return replies.turn(_local, sender_id, text)


def turn(sender_id: str, text: str) -> Optional[dict]:
    base = settings.cases_api_url()
    try:
        if base == "local":
            return _turn_local(sender_id, text)
        reply = _session.post(
            f"{base}/api/followups/turn",
            json={"sender_id": sender_id, "text": text},
            headers={"Authorization": f"Bearer {settings.service_token()}"},
            timeout=TIMEOUT,
        )
    except Exception as exc:  # the chat must go on without follow-ups
        logger.warning("follow-ups not reachable: %s", type(exc).__name__)
        return None
    if reply.status_code != 200:
        logger.warning("follow-ups refused: HTTP %s", reply.status_code)
        return None
    return reply.json()


async def before_reply(sender_id: str, text: str) -> Tuple[bool, List[str]]:
    """(handled, messages): handled means GongYou answered and Rasa is not asked."""
    if quiet.skips(sender_id, text):
        return False, []
    started = quiet.asking(sender_id)
    found = None
    try:
        found = await asyncio.get_running_loop().run_in_executor(None, turn, sender_id, text)
    finally:
        quiet.answered(sender_id, started, _granted(found))
    if not found:
        return False, []
    messages = [m for m in found.get("messages") or [] if isinstance(m, str)]
    return bool(found.get("handled")), messages


def _granted(found: object) -> Optional[float]:
    """The seconds the case service said this sender may be skipped; None unless nothing was shown."""
    if not isinstance(found, dict) or found.get("handled") or found.get("messages"):
        return None
    seconds = found.get("quiet")
    return float(seconds) if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else None
