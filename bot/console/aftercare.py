"""The console's after-the-agreement desk (issue 16): the overdue list, the call list of due
return visits (回访) for workers reachable only by phone, and what workers answered.

Follow-ups themselves are planned and sent by bot/followups; an operator who phones a worker
records the answer here, and a payment answer goes through CaseService like the worker's own.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, Dict, List

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.cases.service import CaseService, _iso
from bot.console.accounts import Principal
from bot.console.audit import Audit
from bot.followups import answers, planning
from bot.followups.channels import CALL
from bot.storage.tables import Case, Followup, InstalmentRow

LIMIT = 200
KIND_NAMES = {
    planning.INSTALMENT: "分期回访",
    planning.AFTER_CLOSE: "办结回访",
    planning.RATING: "满意度",
    planning.COMMENT: "意见",
}


class CallAnswerRefused(ValueError):
    """An answer that cannot be recorded; `message` is shown to the operator as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Aftercare:
    def __init__(
        self,
        service: CaseService,
        sessions: sessionmaker,
        audit: Audit,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self._service, self._sessions, self._audit, self._clock = service, sessions, audit, clock

    @staticmethod
    def _scoped(query, who: Principal):
        return query if who.supervisor else query.where(Case.station_id == who.station_id)

    def overdue(self, who: Principal) -> List[Dict[str, Any]]:
        """Cases with an instalment not paid, the unpaid ones listed; the oldest promise first."""
        with self._sessions() as session:
            cases = session.execute(
                self._scoped(select(Case).where(Case.overdue.is_(True)), who).order_by(Case.updated_at).limit(LIMIT)
            ).scalars()
            out = []
            for case in cases:
                unpaid = session.execute(
                    select(InstalmentRow)
                    .where(InstalmentRow.case_id == case.id, InstalmentRow.paid.is_(False))
                    .order_by(InstalmentRow.seq)
                ).scalars()
                out.append(
                    {
                        "case_no": case.case_no,
                        "status": case.status,
                        "category": case.category,
                        "employer": case.employer,
                        "station": case.station_name,
                        "unpaid": [{"seq": i.seq, "amount": i.amount, "due": i.due.isoformat()} for i in unpaid],
                        "updated_at": _iso(case.updated_at),
                    }
                )
            return out

    def calls(self, who: Principal) -> List[Dict[str, Any]]:
        """Return visits due and put on the call list (no chat, no SMS reaches the worker), not yet
        answered. The phone shows in full: the operator has to dial it; the view is audited."""
        with self._sessions() as session:
            rows = session.execute(
                self._scoped(
                    select(Followup, Case)
                    .join(Case, Case.id == Followup.case_id)
                    .where(
                        Followup.channel == CALL,
                        Followup.sent_at.is_not(None),
                        Followup.answered_at.is_(None),
                        Followup.kind.in_(planning.QUESTIONS),
                    ),
                    who,
                )
                .order_by(Followup.due)
                .limit(LIMIT)
            ).all()
            out = [
                {
                    "id": f.id,
                    "case_no": c.case_no,
                    "kind": f.kind,
                    "kind_title": KIND_NAMES.get(f.kind, f.kind),
                    "seq": f.seq,
                    "due": _iso(f.due),
                    "question": f.text,
                    "name": c.name,
                    "phone": c.phone,
                    "station": c.station_name,
                }
                for f, c in rows
            ]
        if out:
            self._audit.record(who.username, "followup.calls", None, {"rows": len(out)})
        return out

    def results(self, who: Principal) -> List[Dict[str, Any]]:
        """What workers answered to return visits, newest first, with the case's rating and comment."""
        with self._sessions() as session:
            rows = session.execute(
                self._scoped(
                    select(Followup, Case)
                    .join(Case, Case.id == Followup.case_id)
                    .where(Followup.answered_at.is_not(None)),
                    who,
                )
                .order_by(Followup.answered_at.desc(), Followup.id.desc())
                .limit(LIMIT)
            ).all()
            return [
                {
                    "case_no": c.case_no,
                    "kind": f.kind,
                    "kind_title": KIND_NAMES.get(f.kind, f.kind),
                    "seq": f.seq,
                    "answer": f.answer,
                    "answered_at": _iso(f.answered_at),
                    "channel": f.channel,
                    "rating": c.rating,
                    "comment": c.rating_comment,
                }
                for f, c in rows
            ]

    def record_call(self, who: Principal, followup_id: int, said: str) -> Dict[str, Any]:
        """An operator's phone call answered a return visit: "收到了"/"没有" for an instalment (the
        case's instalment and overdue flag follow, as when the worker answers in the chat), a 1-5
        score for a rating. KeyError: no such call in this operator's scope."""
        with self._sessions() as session:
            found = session.execute(
                self._scoped(
                    select(Followup, Case)
                    .join(Case, Case.id == Followup.case_id)
                    .where(Followup.id == followup_id, Followup.answered_at.is_(None)),
                    who,
                )
            ).first()
            if found is None:
                raise KeyError(followup_id)
            followup, case = found
            now = self._clock()
            if followup.kind == planning.INSTALMENT:
                meaning = answers.payment(said)
                if meaning is None:
                    raise CallAnswerRefused("请选择：收到了、没有，或只收到一部分。")
                answer: str = meaning
            elif followup.kind in (planning.RATING, planning.AFTER_CLOSE):
                score = answers.rating(said)
                if score is None:
                    raise CallAnswerRefused("满意度请填1到5分。")
                case.rating, answer = score, str(score)
            else:
                answer = said.strip()[:1000]
                if not answer:
                    raise CallAnswerRefused("请写下对方的意见；没有就写“没有”。")
                if not answers.no_comment(answer):
                    case.rating_comment = answer
            followup.answer, followup.answered_at = answer, now
            case_no, kind, seq = case.case_no, followup.kind, followup.seq
            session.commit()
        self._audit.record(who.username, "followup.call", case_no, {"kind": kind, "seq": seq, "answer": answer})
        if kind == planning.INSTALMENT:
            paid = answer == answers.PAID
            note = "电话回访：" + ("只收到一部分" if answer == answers.PARTIAL else "")
            self._service.confirm_instalment(case_no, seq, paid, who.username, note.rstrip("："))
        return {"case_no": case_no, "kind": kind, "answer": answer}
