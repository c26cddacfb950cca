"""Handoff requests as the hotline works them: each station's own callers, marked done once called.

A request shows the caller's phone and words, so every operator who is shown one is on record
(once per operator and request: the queue polls every few seconds), and so is every listing
through the operator token.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from typing import Any, Dict, List, Set, Tuple

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.cases.service import CaseService
from bot.console.accounts import Principal
from bot.console.audit import Audit
from bot.storage.operators import AuditEntry
from bot.storage.tables import Handoff

VIEW = "handoff.view"


def _view_detail(handoff_id: int) -> str:
    return json.dumps({"handoff": handoff_id})


class Handoffs:
    def __init__(self, service: CaseService, sessions: sessionmaker, audit: Audit) -> None:
        self._service, self._sessions, self._audit = service, sessions, audit
        self._recorded: Set[Tuple[str, int]] = set()  # (operator, request) already on record
        self._lock = threading.Lock()

    @staticmethod
    def _scope(who: Principal) -> Any:
        """None: every station's requests (supervisors); a station operator's own station's only."""
        return None if who.supervisor else (who.station_id or "")

    def shown(self, who: Principal) -> List[Dict[str, Any]]:
        """The open requests `who` may see; the first showing of each to each operator is audited."""
        found = self._service.handoffs(station_id=self._scope(who))
        self._record_views(who, [h["id"] for h in found])
        return found

    def listed(self, who: Principal) -> List[Dict[str, Any]]:
        """Every open request, for a script with the operator token: each call is audited."""
        found = self._service.handoffs(station_id=self._scope(who))
        self._audit.record(who.username, "handoff.list", None, {"via": "api", "ids": [h["id"] for h in found]})
        return found

    def done(self, who: Principal, handoff_id: int) -> bool:
        """False for a request that is not open or not `who`'s to close."""
        with self._sessions() as session:
            handoff = session.get(Handoff, handoff_id)
            scope = self._scope(who)
            if handoff is None or handoff.status != "open" or (scope is not None and handoff.station_id != scope):
                return False
            handoff.status, handoff.done_at = "done", datetime.now(timezone.utc)  # retention counts from here
            session.commit()
        self._audit.record(who.username, "handoff.done", None, {"handoff": handoff_id})
        return True

    def _record_views(self, who: Principal, ids: List[int]) -> None:
        with self._lock:
            # Only open requests are shown: what this operator no longer sees need not be remembered.
            self._recorded = {(u, i) for u, i in self._recorded if u != who.username or i in ids}
            new = [i for i in ids if (who.username, i) not in self._recorded]
        if not new:
            return
        # After a restart the memory is empty: the log itself says what is already there.
        with self._sessions() as session:
            logged = set(
                session.execute(
                    select(AuditEntry.detail).where(
                        AuditEntry.actor == who.username[:64],
                        AuditEntry.action == VIEW,
                        AuditEntry.detail.in_([_view_detail(i) for i in new]),
                    )
                ).scalars()
            )
        for handoff_id in new:
            if _view_detail(handoff_id) not in logged:
                self._audit.record(who.username, VIEW, None, {"handoff": handoff_id})
        with self._lock:
            self._recorded.update((who.username, i) for i in new)
