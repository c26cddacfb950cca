"""Handoff requests as the hotline works them: open ones to call back, marked done once called."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.storage.tables import Handoff


def mark_done(sessions: sessionmaker, handoff_id: int) -> bool:
    with sessions() as session:
        handoff = session.execute(select(Handoff).where(Handoff.id == handoff_id)).scalar_one_or_none()
        if handoff is None or handoff.status != "open":
            return False
        handoff.status, handoff.done_at = "done", datetime.now(timezone.utc)  # retention counts from here
        session.commit()
        return True
