"""A worker's next message in the chat: answers to a follow-up's question, and due questions shown.

The chat channels call `turn` before Rasa sees the message. When the message answers the open
question ("收到了", "没有", "只收到一半", a rating, a comment), GongYou records it and answers
here; otherwise Rasa answers as usual, and the follow-ups waiting for this conversation open the
reply (contract §6).

Nearly every message finds nothing to answer and nothing to show. That case costs one indexed
query (two for a sender with a case) and no write (the last-seen time only when it is older than
LAST_SEEN_GRAIN), and its
reply says for how long the chat channels may skip this sender (`quiet`, bot/followups/quiet.py):
GONGYOU_FOLLOWUP_QUIET_SECONDS at most, and never past the due time of a follow-up not sent yet,
so a planned follow-up is never hidden; not at all while one is due and still unsent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot import settings
from bot.cases.lifecycle import PRIORITY_COLLECTIVE
from bot.followups import answers, texts
from bot.followups.channels import CHAT_PREFIXES, WEB
from bot.followups.planning import AFTER_CLOSE, COMMENT, INSTALMENT, QUESTIONS, RATING, ask_now
from bot.storage.tables import Case, CaseEvent, Followup, InstalmentRow

# An overdue case goes above every other in its station's queue (bot/console/queue.py).
PRIORITY_OVERDUE = PRIORITY_COLLECTIVE + 1
WORKER = "worker"


# The worker's last message is kept to this grain. Only WeChat reads it (its 48-hour window), and
# a time up to this much older only makes the window look closed sooner (a template message
# instead of a customer-service one), never open when it is closed.
LAST_SEEN_GRAIN = timedelta(minutes=5)


def turn(
    sessions: sessionmaker,
    sender_id: str,
    text: str,
    now: Optional[datetime] = None,
    quiet_seconds: Optional[float] = None,
) -> Dict[str, Any]:
    """{"handled": True, "messages": [...]} when GongYou answered; else {"handled": False,
    "messages": [questions to show before Rasa's reply]}. With nothing answered or shown, also
    "quiet": the seconds the chat channels may skip this sender's messages (0: none)."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    bound = float(settings.followup_quiet_seconds() if quiet_seconds is None else quiet_seconds)
    with sessions() as session:
        found = _pending(session, sender_id)
        if not found.cases:
            return {"handled": False, "messages": [], "quiet": bound}
        if not found.busy:
            _seen(session, sender_id, found.last_seen, now)
            return {"handled": False, "messages": [], "quiet": _quiet(found.next_due, now, bound)}
        cases = {c.id: c for c in session.execute(select(Case).where(Case.sender_id == sender_id)).scalars()}
        if _watched(sender_id):
            for case in cases.values():
                if _stale(case.last_seen_at, now):
                    case.last_seen_at = now
        reply = _answer(session, cases, text, now)
        shown = _show_waiting(session, list(cases), now)
        session.commit()
    # Something was answered or shown: the next message asks again (no "quiet").
    if reply is not None:
        return {"handled": True, "messages": reply + shown}
    return {"handled": False, "messages": shown}


@dataclass
class _Pending:
    cases: int
    busy: bool  # a question asked and not answered, or a follow-up waiting in the web inbox
    next_due: Optional[datetime]  # the earliest due time of a follow-up not sent yet
    last_seen: List[Optional[datetime]]


def _pending(session: Session, sender_id: str) -> _Pending:
    """What waits for this sender: its cases by sender_id, then (only when it has any, which most
    senders have not) their live follow-ups by case_id; both indexed."""
    seen = dict(session.execute(select(Case.id, Case.last_seen_at).where(Case.sender_id == sender_id)).all())
    if not seen:
        return _Pending(0, False, None, [])
    live = or_(
        Followup.sent_at.is_(None),
        and_(Followup.channel == WEB, Followup.shown_at.is_(None)),
        and_(Followup.kind.in_(QUESTIONS), Followup.shown_at.is_not(None), Followup.answer.is_(None)),
    )
    rows = session.execute(
        select(Followup.sent_at, Followup.shown_at, Followup.due).where(Followup.case_id.in_(list(seen)), live)
    ).all()
    busy, next_due = False, None
    for sent_at, shown_at, due in rows:
        if sent_at is not None or shown_at is not None:
            busy = True
        else:
            due = _utc(due)
            next_due = due if next_due is None else min(next_due, due)
    return _Pending(len(seen), busy, next_due, list(seen.values()))


def _quiet(next_due: Optional[datetime], now: datetime, bound: float) -> float:
    if next_due is None:
        return bound
    return round(max(0.0, min(bound, (next_due - now).total_seconds())), 3)


def _watched(sender_id: str) -> bool:
    # Only WeChat needs the time of the last message (its 48-hour window); the web chats are spared the write.
    return not sender_id.startswith(CHAT_PREFIXES)


def _stale(last_seen: Optional[datetime], now: datetime) -> bool:
    return last_seen is None or _utc(last_seen) < now - LAST_SEEN_GRAIN


def _seen(session: Session, sender_id: str, last_seen: List[Optional[datetime]], now: datetime) -> None:
    if not _watched(sender_id) or not any(_stale(moment, now) for moment in last_seen):
        return
    session.execute(
        update(Case)
        .where(
            Case.sender_id == sender_id,
            or_(Case.last_seen_at.is_(None), Case.last_seen_at < now - LAST_SEEN_GRAIN),
        )
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _utc(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _answer(session: Session, cases: Dict[int, Case], text: str, now: datetime) -> Optional[List[str]]:
    open_question = session.execute(
        select(Followup)
        .where(
            Followup.case_id.in_(list(cases)),
            Followup.kind.in_(QUESTIONS),
            Followup.shown_at.is_not(None),
            Followup.answer.is_(None),
        )
        .order_by(Followup.shown_at.desc(), Followup.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if open_question is None:
        return None
    case = cases[open_question.case_id]
    if open_question.kind == INSTALMENT:
        return _instalment(session, case, open_question, text, now)
    if open_question.kind in (RATING, AFTER_CLOSE):
        score = answers.rating(text)
        if score is None:
            return None
        case.rating = score
        _answered(open_question, str(score), now)
        ask_now(session, case.id, COMMENT, texts.COMMENT_QUESTION, open_question.channel, now)
        return [texts.COMMENT_QUESTION]
    # The free comment: anything the worker writes next.
    words = (text or "").strip()[:1000]
    if not words:
        return None
    if not answers.no_comment(words):
        case.rating_comment = words
    _answered(open_question, words, now)
    return [texts.THANKS]


def _instalment(session: Session, case: Case, question: Followup, text: str, now: datetime) -> Optional[List[str]]:
    meaning = answers.payment(text)
    if meaning is None:
        return None
    instalment = session.execute(
        select(InstalmentRow).where(InstalmentRow.case_id == case.id, InstalmentRow.seq == question.seq)
    ).scalar_one_or_none()
    _answered(question, meaning, now)
    if instalment is None:  # replaced by a later agreement meanwhile
        return [texts.THANKS]
    instalment.paid, instalment.confirmed_at = meaning == answers.PAID, now
    n = texts.ordinal(question.seq)
    if meaning != answers.PAID:
        case.overdue = True
        case.priority = max(case.priority or 1, PRIORITY_OVERDUE)
        what = "只到了一部分" if meaning == answers.PARTIAL else "没有到账"
        _event(session, case, f"回访：第{n}期{texts.yuan(instalment.amount)}元{what}，已标记逾期", now)
        return [texts.unpaid(question.seq, case.category)]
    _event(session, case, f"回访：第{n}期{texts.yuan(instalment.amount)}元已到账", now)
    remaining = session.execute(
        select(InstalmentRow.id).where(InstalmentRow.case_id == case.id, InstalmentRow.paid.is_not(True))
    ).first()
    if remaining is None:
        ask_now(session, case.id, RATING, texts.RATING_QUESTION, question.channel or WEB, now)
        return [texts.PAID.format(n=n), texts.RATING_QUESTION]
    return [texts.PAID.format(n=n)]


def _answered(question: Followup, answer: str, now: datetime) -> None:
    question.answer, question.answered_at = answer, now


def _event(session: Session, case: Case, note: str, now: datetime) -> None:
    """The answer on the case's timeline (the status stays; the station sees what the worker said)."""
    session.add(
        CaseEvent(case_id=case.id, from_status=case.status, to_status=case.status, actor=WORKER, note=note, at=now)
    )
    case.updated_at = now


def _show_waiting(session: Session, case_ids: List[int], now: datetime) -> List[str]:
    waiting = session.execute(
        select(Followup)
        .where(
            Followup.case_id.in_(case_ids),
            Followup.channel == WEB,
            Followup.sent_at.is_not(None),
            Followup.shown_at.is_(None),
        )
        .order_by(Followup.due, Followup.id)
        .with_for_update()
    ).scalars()
    shown = []
    for followup in waiting:
        followup.shown_at = now
        shown.append(followup.text)
    return shown
