"""One Rasa tracker event (as the PikaEventBroker publishes it) → the statistics tables.

Each event is counted in one transaction together with its key; a key already stored means the
broker delivered the message again (a consumer died before its ack), and nothing is counted.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy.engine import Engine

from bot.storage.events import event_conversations, event_keys, event_stats

# China has one time zone and no daylight saving: a day on the dashboard is a Beijing day.
BEIJING = timezone(timedelta(hours=8))
MAX_LABEL = 64


def _insert(engine: Engine):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def day_of(event: Dict[str, Any]) -> date:
    stamp = event.get("timestamp")
    moment = datetime.fromtimestamp(stamp, BEIJING) if isinstance(stamp, (int, float)) else datetime.now(BEIJING)
    return moment.date()


def metrics(event: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The (metric, label) pairs one event adds 1 to."""
    kind, name, value = event.get("event"), event.get("name"), event.get("value")
    if kind == "user":
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or "none"
        return [("messages", ""), ("intent", str(intent)[:MAX_LABEL])]
    if kind == "action" and name == "action_handoff":
        return [("handoffs", "asked")]
    if kind == "action" and name == "action_fallback":
        return [("fallbacks", "")]
    if kind == "slot" and name == "case_no" and value:
        return [("cases_confirmed", "")]
    if kind == "slot" and name == "pending_case_key" and value:
        return [("cases_queued", "")]
    if kind == "session_started":
        return [("sessions", "")]
    return []


def event_key(body: bytes, event: Dict[str, Any]) -> str:
    """Same message delivered again → same key. A case is counted once per case number, even
    when a replica died after opening it and another replica ran the confirmation again."""
    if event.get("event") == "slot" and event.get("name") == "case_no" and event.get("value"):
        return f"case:{event['value']}"[:80]
    return "sha256:" + hashlib.sha256(body).hexdigest()


def count_event(engine: Engine, body: bytes) -> bool:
    """Count one broker message; False when it was seen before or is not a usable event."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(event, dict):
        return False
    found = metrics(event)
    sender: Optional[str] = event.get("sender_id") if isinstance(event.get("sender_id"), str) else None
    if not found and not (sender and event.get("event") == "user"):
        return False  # nothing to count: no key stored either, the table stays small
    insert = _insert(engine)
    day = day_of(event)
    with engine.begin() as conn:
        claimed = conn.execute(
            insert(event_keys)
            .values(key=event_key(body, event), seen_at=datetime.now(timezone.utc))
            .on_conflict_do_nothing(index_elements=["key"])
        )
        if claimed.rowcount != 1:
            return False
        for metric, label in found:
            statement = insert(event_stats).values(day=day, metric=metric, label=label, count=1)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["day", "metric", "label"], set_={"count": event_stats.c.count + 1}
                )
            )
        if sender and event.get("event") == "user":
            conn.execute(
                insert(event_conversations)
                .values(day=day, sender_id=sender[:128])
                .on_conflict_do_nothing(index_elements=["day", "sender_id"])
            )
    return True


def prune_keys(engine: Engine, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget keys older than any redelivery can be (RabbitMQ redelivers within minutes)."""
    with engine.begin() as conn:
        return conn.execute(
            event_keys.delete().where(event_keys.c.seen_at < datetime.now(timezone.utc) - older_than)
        ).rowcount
