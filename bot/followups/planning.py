"""Writing the follow-ups a move promises, inside the move's own transaction (so a case is never
moved without its follow-ups, nor the other way round). The unique (case, kind, seq) key makes
planning the same thing twice a no-op."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.outcomes import Instalment, after_close, followups_for
from bot.followups import texts
from bot.storage.tables import Case, Followup, InstalmentRow

CHINA = timezone(timedelta(hours=8))
# A return visit goes out in the morning of its day, China time, not at midnight.
MORNING = time(9, 0)

INSTALMENT, AFTER_CLOSE, STATUS, RATING, COMMENT = "instalment", "after_close", "status", "rating", "comment"
# Kinds that ask the worker something (answered through bot/followups/replies.py).
QUESTIONS = (INSTALMENT, AFTER_CLOSE, RATING, COMMENT)


def morning_of(day: date) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=CHINA).astimezone(timezone.utc)


def plan_agreement(session: Session, case: Case, instalments: List[Instalment]) -> None:
    """The agreement's instalments and one return visit on each due date. A second agreement
    (after a referral) replaces the unpaid instalments and visits not yet sent."""
    old = session.execute(select(InstalmentRow).where(InstalmentRow.case_id == case.id)).scalars().all()
    start = max((row.seq for row in old if row.paid is not None), default=0)
    for row in old:
        if row.paid is None:
            session.delete(row)
    for visit in session.execute(
        select(Followup).where(Followup.case_id == case.id, Followup.kind == INSTALMENT, Followup.sent_at.is_(None))
    ).scalars():
        session.delete(visit)
    session.flush()
    for plan, item in zip(followups_for(instalments), instalments):
        seq = start + (plan.instalment or 0)
        session.add(InstalmentRow(case_id=case.id, seq=seq, amount=item.amount, due=item.due))
        session.add(
            Followup(
                case_id=case.id,
                kind=INSTALMENT,
                seq=seq,
                due=morning_of(plan.due),
                text=texts.instalment_question(case.case_no, seq, item.amount),
            )
        )


def plan_after_close(session: Session, case: Case, closed_at: datetime) -> None:
    plan = after_close(closed_at.astimezone(CHINA).date())
    if _exists(session, case.id, AFTER_CLOSE, 0):
        return
    session.add(
        Followup(
            case_id=case.id,
            kind=AFTER_CLOSE,
            seq=0,
            due=morning_of(plan.due),
            text=texts.after_close_question(case.case_no),
        )
    )


def notify_status(session: Session, case: Case, event_id: int, now: datetime, to: Optional[str] = None) -> None:
    """Tell the worker a status changed (due at once; `seq` is the event, so one notice per move)."""
    if not case.sender_id and not case.phone:
        return  # nobody to tell (an anonymous report)
    session.add(
        Followup(
            case_id=case.id,
            kind=STATUS,
            seq=event_id,
            due=now,
            text=texts.status_notice(case.case_no, case.status, case.category, to),
        )
    )


def ask_now(session: Session, case_id: int, kind: str, text: str, channel: Optional[str], now: datetime) -> None:
    """A question asked inside the conversation that answered the last one (rating, comment)."""
    if _exists(session, case_id, kind, 0):
        return
    session.add(
        Followup(case_id=case_id, kind=kind, seq=0, due=now, text=text, channel=channel, sent_at=now, shown_at=now)
    )


def _exists(session: Session, case_id: int, kind: str, seq: int) -> bool:
    found = session.execute(
        select(Followup.id).where(Followup.case_id == case_id, Followup.kind == kind, Followup.seq == seq)
    ).first()
    return found is not None
