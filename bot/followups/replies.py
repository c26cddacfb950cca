"""A worker's next message in the chat: answers to a follow-up's question, and due questions shown.

The chat channels call `turn` before Rasa sees the message. When the message answers the open
question ("收到了", "没有", "只收到一半", a rating, a comment), GongYou records it and answers
here; otherwise Rasa answers as usual, and the follow-ups waiting for this conversation open the
reply (contract §6).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cases.lifecycle import PRIORITY_COLLECTIVE
from bot.followups import answers, texts
from bot.followups.channels import CHAT_PREFIXES, WEB
from bot.followups.planning import AFTER_CLOSE, COMMENT, INSTALMENT, QUESTIONS, RATING, ask_now
from bot.storage.tables import Case, CaseEvent, Followup, InstalmentRow

# An overdue case goes above every other in its station's queue (bot/console/queue.py).
PRIORITY_OVERDUE = PRIORITY_COLLECTIVE + 1
WORKER = "worker"


def turn(sessions: sessionmaker, sender_id: str, text: str, now: Optional[datetime] = None) -> Dict[str, Any]:
    """{"handled": True, "messages": [...]} when GongYou answered; else {"handled": False,
    "messages": [questions to show before Rasa's reply]}."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    with sessions() as session:
        cases = {c.id: c for c in session.execute(select(Case).where(Case.sender_id == sender_id)).scalars()}
        if not cases:
            return {"handled": False, "messages": []}
        if not sender_id.startswith(CHAT_PREFIXES):
            # Only WeChat needs the time of the last message (its 48-hour window); the web chats
            # are spared a write on every message.
            for case in cases.values():
                case.last_seen_at = now
        reply = _answer(session, cases, text, now)
        shown = _show_waiting(session, list(cases), now)
        session.commit()
    if reply is not None:
        return {"handled": True, "messages": reply + shown}
    return {"handled": False, "messages": shown}


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
