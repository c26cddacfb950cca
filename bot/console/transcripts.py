"""The conversation behind a case, read from the Rasa server's tracker (HTTP API).

The tracker store is in memory by default, so a transcript outlives neither a restart of Rasa
nor a case opened by hand; the console then says so instead of showing nothing.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

from bot import settings
from bot.dialogue.conversation import transcript

logger = logging.getLogger(__name__)
TIMEOUT = 5


def rasa_url() -> str:
    return settings.rasa_url()


def _params() -> Dict[str, str]:
    token = settings.rasa_auth_token()
    return {"token": token} if token else {}


# A worker's button press reaches Rasa as its payload; operators read what the button said.
BUTTONS = {
    "/open_case": "登记求助",
    "/find_station": "找最近的服务站",
    "/human_handoff": "转人工",
    "/affirm": "确认提交",
    "/deny": "取消登记",
}


def readable(line: Dict[str, Any]) -> Dict[str, Any]:
    text = line["text"]
    if line["who"] == "worker" and text.startswith("/"):
        name = text.split("{", 1)[0]
        return {**line, "text": f"（点了按钮：{BUTTONS.get(name, name.lstrip('/'))}）"}
    return line


def conversation(sender_id: Optional[str]) -> Optional[List[Dict[str, Any]]]:
    """Who said what, or None when Rasa does not know the conversation (or cannot be reached)."""
    if not sender_id:
        return None
    try:
        reply = requests.get(
            f"{rasa_url()}/conversations/{quote(sender_id, safe='')}/tracker",
            params={**_params(), "include_events": "ALL"},
            timeout=TIMEOUT,
        )
        reply.raise_for_status()
        lines = [readable(line) for line in transcript(reply.json().get("events") or [])]
    except (requests.RequestException, ValueError) as problem:
        logger.warning("transcript unavailable: %s", type(problem).__name__)
        return None
    return lines or None
