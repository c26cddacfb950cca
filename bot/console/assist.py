"""Agent assist: what a caller says, read by the trained model the bot itself uses.

The text goes to the running Rasa server's /model/parse, so the hotline sees exactly the
classification, facts and guidance a worker writing to GongYou would get, from one model in
memory rather than a second copy loaded into the web process.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

import requests

from bot import settings
from bot.console.transcripts import rasa_url
from bot.dialogue.complaints import Facts, complaint_reply
from bot.law.guidance import guidance_for
from bot.topics import TOPICS

logger = logging.getLogger(__name__)
TIMEOUT = 10
TEXT_LIMIT = 1000
FACTS = ("amount", "duration", "worker_count", "location", "employer", "phone")


class AssistUnavailable(RuntimeError):
    """The model server could not be asked; the operator fills the form by hand."""


def parse(text: str) -> Dict[str, Any]:
    params = {"token": settings.rasa_auth_token()} if settings.rasa_auth_token() else {}
    try:
        reply = requests.post(f"{rasa_url()}/model/parse", params=params, json={"text": text}, timeout=TIMEOUT)
        reply.raise_for_status()
        return reply.json()
    except (requests.RequestException, ValueError) as problem:
        logger.warning("model parse failed: %s", type(problem).__name__)
        raise AssistUnavailable(str(type(problem).__name__)) from problem


def facts_of(parsed: Dict[str, Any]) -> Dict[str, Any]:
    """The first value of each fact the model found (EntityNormaliser already gave numbers as numbers)."""
    found: Dict[str, Any] = {}
    for entity in parsed.get("entities") or []:
        name = entity.get("entity")
        if name in FACTS and name not in found and entity.get("value") not in (None, ""):
            found[name] = entity["value"]
    return found


def assist(text: str, station: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    text = (text or "").strip()[:TEXT_LIMIT]
    parsed = parse(text)
    intent = parsed.get("intent") or {}
    ranking = [
        {"name": r.get("name"), "confidence": round(float(r.get("confidence") or 0), 3)}
        for r in (parsed.get("intent_ranking") or [])[:3]
    ]
    facts = facts_of(parsed)
    category = intent.get("name") if intent.get("name") in TOPICS else None
    guidance = guidance_for(category) if category else None
    reply = complaint_reply(category, Facts.from_slots(facts), text) if category else None
    draft = {
        "category": category,
        "employer": facts.get("employer"),
        "location": facts.get("location"),
        "amount": facts.get("amount"),
        "period_months": facts.get("duration"),
        "worker_count": facts.get("worker_count"),
        "phone": facts.get("phone"),
        "name": None,
        "description": text,
        "station_id": (station or {}).get("id"),
        "station_name": (station or {}).get("name"),
    }
    return {
        "intent": {"name": intent.get("name"), "confidence": round(float(intent.get("confidence") or 0), 3)},
        "ranking": ranking,
        "category": category,
        "category_title": guidance.title if guidance else None,
        "facts": facts,
        # The bot's closing question ("接下来您想怎么办？") is for the worker's buttons, not a hotline.
        "guidance": "\n".join(reply.text.split("\n")[:-1]) if reply else None,
        "draft": draft,
    }
