"""The conversation behind a case, read from the Rasa server's tracker (HTTP API).

The tracker store is in memory by default, so a transcript outlives neither a restart of Rasa
nor a case opened by hand; the console then says so instead of showing nothing.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

from bot.conversation import transcript
from bot.launcher import ports

logger = logging.getLogger(__name__)
TIMEOUT = 5


def rasa_url() -> str:
    return os.environ.get("GONGYOU_RASA_URL") or f"http://localhost:{ports()['rasa']}"


def _params() -> Dict[str, str]:
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    return {"token": token} if token else {}


def conversation(sender_id: Optional[str]) -> Optional[List[Dict[str, Any]]]:
    """Who said what, or None when Rasa does not know the conversation (or cannot be reached)."""
    if not sender_id:
        return None
    try:
        reply = requests.get(f"{rasa_url()}/conversations/{quote(sender_id, safe='')}/tracker",
                             params={**_params(), "include_events": "ALL"}, timeout=TIMEOUT)
        reply.raise_for_status()
        lines = transcript(reply.json().get("events") or [])
    except (requests.RequestException, ValueError) as problem:
        logger.warning("transcript unavailable: %s", type(problem).__name__)
        return None
    return lines or None
