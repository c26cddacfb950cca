"""One case as operators work it: who may open it, what the detail page shows, moving it on.

Every read of a case in full and every move is written to the audit log here, whoever asks
(a signed-in operator or a script with the operator token), so no route can forget it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.cases.follow_view import follow_view
from bot.cases.outcomes import STATUSES, moves_from, referral_targets
from bot.cases.service import CaseService
from bot.console import transcripts
from bot.console.accounts import Principal
from bot.console.audit import Audit
from bot.console.drafts import HOTLINE
from bot.console.queue import Queue
from bot.stations.routing import nearest_of_kind
from bot.storage.tables import Case

# To a station that referred the case on: it reads the case, the receiving party acts on it.
REFERRED_AWAY = "这件案件已经转出，由接收的一方处理；您这里只能查看。"


class Casework:
    def __init__(self, service: CaseService, sessions: sessionmaker, queue: Queue, audit: Audit) -> None:
        self._service, self._sessions, self._queue, self._audit = service, sessions, queue, audit

    def refusal(self, who: Principal, case_no: str, write: bool = False) -> Optional[Tuple[int, str]]:
        """(HTTP status, message) when `who` may not open this case (`write`: or change it), else None.
        A station that referred the case on keeps reading it; only the station holding it acts."""
        exists, station_id = self._queue.station_of(case_no)
        if not exists:
            return 404, "not found"
        if who.sees_station(station_id):
            return None
        if not any(who.sees_station(sent) for sent in self._queue.referred_from(case_no)):
            return 403, "forbidden"
        return (403, REFERRED_AWAY) if write else None

    def detail(self, who: Principal, case_no: str) -> Dict[str, Any]:
        """The console's case page: the case in full, its employer's other cases and the conversation.
        Raises KeyError for a case that is not there."""
        case = self._service.get(case_no)
        if case is None:  # gone since the route's check (erased, say)
            raise KeyError(case_no)
        sender = self._sender_of(case_no)
        case["same_employer"] = self._queue.same_employer(case_no, who)
        # Opened by a station that referred it on: shown, not acted on (the page hides the forms).
        case["read_only"] = not who.sees_station((case.get("station") or {}).get("id"))
        case["opened_by"] = "api" if not sender else "hotline" if sender.startswith(HOTLINE) else "bot"
        case["transcript"] = transcripts.conversation(sender) if case["opened_by"] == "bot" else None
        # Issue 16: the moves this case's category allows, and what the worker sees on /follow.
        case["moves"] = sorted(moves_from(case["status"], case["category"]), key=STATUSES.index)
        case["targets"] = referral_targets(case["category"])
        case["worker_view"] = follow_view(case, datetime.now(timezone.utc))
        # The one place personal data shows in full: who looked is on record.
        self._audit.record(who.username, "case.view", case_no)
        return case

    def read(self, who: Principal, case_no: str) -> Optional[Dict[str, Any]]:
        """The case as the API returns it (contract §4), or None; a read that found one is audited."""
        case = self._service.get(case_no)
        if case is not None:
            self._audit.record(who.username, "case.view", case_no, {"via": "api"})
        return case

    def listed(self, who: Principal, status: Optional[str]) -> List[Dict[str, Any]]:
        cases = self._service.list(status)
        self._audit.record(who.username, "case.list", None, {"via": "api", "status": status, "rows": len(cases)})
        return cases

    def move(
        self, who: Principal, case_no: str, status: str, note: str, body: Optional[Dict[str, Any]] = None
    ) -> Dict[str, Any]:
        """The moved case; the actor is the one who asked, never a name from the request.
        `body`: what the move takes besides (instalments, referral target; contract §6).
        Raises KeyError (no such case) or InvalidCase (an impossible move)."""
        note = note[:1000]
        if status == "referred" and body and body.get("to") and not body.get("station_id"):
            body = {**body, "station_id": self._receiving_station(case_no, str(body["to"]))}
        case = self._service.change_status(case_no, status, who.username, note, body)
        before = case["history"][-1]["from"]
        self._audit.record(who.username, "case.status", case_no, {"from": before, "to": case["status"], "note": note})
        return case

    def confirm(self, who: Principal, case_no: str, seq: int, paid: bool, note: str) -> Dict[str, Any]:
        """An instalment recorded paid or unpaid by an operator; KeyError when there is no such one."""
        case = self._service.confirm_instalment(case_no, seq, paid, who.username, note)
        self._audit.record(who.username, "case.instalment", case_no, {"seq": seq, "paid": paid})
        return case

    def _receiving_station(self, case_no: str, target: str) -> Optional[str]:
        """A referral that names no station goes to the nearest one of the target's kind, so the
        receiving party sees it in its queue; None (the case stays put) when none is registered."""
        _, station_id = self._queue.station_of(case_no)
        found = nearest_of_kind(target, station_id)
        return found.station.id if found else None

    def _sender_of(self, case_no: str) -> Optional[str]:
        with self._sessions() as session:
            return session.execute(select(Case.sender_id).where(Case.case_no == case_no)).scalar_one_or_none()
