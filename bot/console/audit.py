"""The console's audit log: one row per consequential act, never updated or deleted here."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.storage.operators import AuditEntry


def _iso(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


class Audit:
    def __init__(self, sessions: sessionmaker, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self._sessions = sessions
        self._clock = clock

    def record(
        self, actor: str, action: str, case_no: Optional[str] = None, detail: Optional[Dict[str, Any]] = None
    ) -> None:
        with self._sessions() as session:
            session.add(
                AuditEntry(
                    at=self._clock(),
                    actor=actor[:64],
                    action=action[:32],
                    case_no=case_no,
                    detail=json.dumps(detail or {}, ensure_ascii=False),
                )
            )
            session.commit()

    def entries(self, case_no: Optional[str] = None, action: Optional[str] = None, limit: int = 200) -> List[dict]:
        with self._sessions() as session:
            query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if case_no:
                query = query.where(AuditEntry.case_no == case_no)
            if action:
                query = query.where(AuditEntry.action == action)
            return [
                {
                    "at": _iso(e.at),
                    "actor": e.actor,
                    "action": e.action,
                    "case_no": e.case_no,
                    "detail": json.loads(e.detail or "{}"),
                }
                for e in session.execute(query).scalars()
            ]
