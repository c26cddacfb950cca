"""What the operator dashboard shows of the conversations: a plain function over the tables the
event consumer keeps (bot/events/counting.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.events.counting import BEIJING
from bot.storage.events import event_conversations, event_stats

DAILY = ("messages", "sessions", "handoffs", "fallbacks", "cases_confirmed", "cases_queued")


def conversation_stats(engine: Engine, days: int = 30, today: Optional[date] = None) -> Dict[str, Any]:
    """Per Beijing day (newest first) for the last `days` days, and the intents over that span:

    {"days": [{"day": "2026-11-23", "conversations": 12, "messages": 80, "handoffs": 1, ...}],
     "intents": {"wage_arrears": 30, ...}, "totals": {"conversations": ..., "messages": ..., ...}}
    """
    from datetime import datetime

    today = today or datetime.now(BEIJING).date()
    since = today - timedelta(days=days - 1)
    by_day: Dict[date, Dict[str, int]] = {}
    intents: Dict[str, int] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(event_stats.c.day, event_stats.c.metric, event_stats.c.label, event_stats.c.count).where(
                event_stats.c.day >= since
            )
        ).all()
        conversations = conn.execute(
            select(event_conversations.c.day, func.count())
            .where(event_conversations.c.day >= since)
            .group_by(event_conversations.c.day)
        ).all()
    for day, metric, label, count in rows:
        if metric == "intent":
            intents[label] = intents.get(label, 0) + count
        elif metric in DAILY:
            entry = by_day.setdefault(day, {})
            entry[metric] = entry.get(metric, 0) + count
    for day, count in conversations:
        by_day.setdefault(day, {})["conversations"] = count
    listed: List[Dict[str, Any]] = [
        {"day": day.isoformat(), "conversations": 0, **{m: 0 for m in DAILY}, **values}
        for day, values in sorted(by_day.items(), reverse=True)
    ]
    totals = {key: sum(entry[key] for entry in listed) for key in ("conversations",) + DAILY}
    return {"days": listed, "intents": dict(sorted(intents.items(), key=lambda kv: -kv[1])), "totals": totals}
