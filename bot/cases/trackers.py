"""Forgetting a conversation in Rasa's tracker store, through Rasa's HTTP API (token-protected).

Erasure replaces the conversation's events with none (`PUT /conversations/{id}/tracker/events`),
then reads the tracker back to check that no word the worker or the bot said, and no filled
slot, is left. Rasa's in-memory store (the `make run` default) replaces the tracker; its SQL
store (production) appends instead, so there the conversation's rows are deleted from the
tracker database itself. Whatever the store, the tracker is read back through Rasa before the
erasure is called done; when it still holds something the caller keeps trying (the purge).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

from bot import settings

logger = logging.getLogger(__name__)
TIMEOUT = (3.05, 10)


def still_personal(events: List[Dict[str, Any]]) -> bool:
    """Does a tracker's event list still hold anything a worker said or was told?"""
    for event in events:
        kind = event.get("event")
        if kind in ("user", "bot") and (event.get("text") or event.get("data")):
            return True
        if kind == "slot" and event.get("value") not in (None, "", [], {}):
            return True
    return False


class RasaTrackers:
    def __init__(self, base_url: Optional[str] = None, token: Optional[str] = None) -> None:
        self.base_url = (base_url or settings.rasa_url()).rstrip("/")
        self.token = token if token is not None else settings.rasa_auth_token()
        self._session = requests.Session()

    def _url(self, sender_id: str, tail: str) -> str:
        return f"{self.base_url}/conversations/{quote(sender_id, safe='')}/tracker{tail}"

    def events(self, sender_id: str) -> Optional[List[Dict[str, Any]]]:
        """Every stored event of the conversation, or None when Rasa cannot be asked."""
        try:
            reply = self._session.get(
                self._url(sender_id, ""), params={"token": self.token, "include_events": "ALL"}, timeout=TIMEOUT
            )
            reply.raise_for_status()
            return reply.json().get("events") or []
        except (requests.RequestException, ValueError) as problem:
            logger.warning("tracker unavailable: %s", type(problem).__name__)
            return None

    def forget(self, sender_id: str) -> bool:
        """True once the tracker store, read back, holds nothing personal of this conversation."""
        try:
            reply = self._session.put(
                self._url(sender_id, "/events"), params={"token": self.token}, json=[], timeout=TIMEOUT
            )
            reply.raise_for_status()
        except requests.RequestException as problem:
            logger.warning("tracker not erased: %s", type(problem).__name__)
            return False
        left = self.events(sender_id)
        if left is not None and still_personal(left) and settings.tracker_db_url():
            delete_sql_tracker(settings.tracker_db_url(), sender_id)
            left = self.events(sender_id)
        return left is not None and not still_personal(left)


def delete_sql_tracker(url: str, sender_id: str) -> int:
    """Rasa's SQLTrackerStore keeps one row per event in `events`; the conversation's rows go."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 10}, hide_parameters=True)
    try:
        with engine.begin() as connection:
            return connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id}).rowcount
    finally:
        engine.dispose()
