"""Opening, reading and moving cases. Plain Python over SQLAlchemy; the web side exposes it."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.cases.employer import employer_key
from bot.cases.numbers import format_case_no
from bot.storage.tables import Case, CaseCounter, CaseEvent, Handoff
from bot.cases.lifecycle import (COLLECTIVE_LINKED, LINK_WINDOW_DAYS, PRIORITY_COLLECTIVE,
                             PRIORITY_NORMAL, InvalidCase, can_move, validate_draft)
from bot.cases.wording import status_words
from bot.privacy import mask_text
from bot.topics import COLLECTIVE_WORKERS

BOT = "gongyou-bot"


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


class CaseService:
    def __init__(self, sessions: sessionmaker, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self._sessions = sessions
        self._clock = clock

    # -- opening -------------------------------------------------------------------------
    def open_draft(self, data: Dict[str, Any], idempotency_key: Optional[str]) -> Tuple[Dict[str, Any], bool]:
        """(case, created). The same idempotency key always gives back the same case."""
        draft = validate_draft(data)
        key = (idempotency_key or "").strip()[:128] or None
        for _ in range(5):
            with self._sessions() as session:
                if key:
                    existing = session.execute(select(Case).where(Case.idempotency_key == key)).scalar_one_or_none()
                    if existing is not None:
                        return self._view(session, existing), False
                try:
                    case = self._insert(session, draft, key)
                    session.commit()
                    return self._view(session, case), True
                except IntegrityError:
                    # A concurrent twin took the key or the number first: look again.
                    session.rollback()
        raise RuntimeError("could not allocate a case number")

    def _insert(self, session: Session, draft, key: Optional[str]) -> Case:
        now = self._clock()
        case = Case(
            case_no=self._next_number(session, now.date()),
            status="draft",
            employer_key=employer_key(draft.employer),
            priority=PRIORITY_NORMAL,
            collective=False,
            idempotency_key=key,
            created_at=now,
            updated_at=now,
            **{k: v for k, v in asdict(draft).items()},
        )
        session.add(case)
        session.flush()
        session.add(CaseEvent(case_id=case.id, from_status=None, to_status="draft", actor=BOT,
                              note="工友助手登记的草稿", at=now))
        self._link(session, case, now)
        return case

    def _next_number(self, session: Session, day: date) -> str:
        bumped = session.execute(
            update(CaseCounter).where(CaseCounter.day == day).values(last=CaseCounter.last + 1)
        ).rowcount
        if not bumped:
            session.add(CaseCounter(day=day, last=1))
            session.flush()
        last = session.execute(select(CaseCounter.last).where(CaseCounter.day == day)).scalar_one()
        return format_case_no(day, last)

    def _link(self, session: Session, case: Case, now: datetime) -> None:
        """Drafts naming the same employer within 30 days form one group; a big group or a
        case with many workers is a collective dispute, handled first."""
        group: List[Case] = [case]
        if case.employer_key:
            since = now - timedelta(days=LINK_WINDOW_DAYS)
            group = list(session.execute(
                select(Case).where(Case.employer_key == case.employer_key, Case.created_at >= since,
                                   Case.status != "closed").order_by(Case.id)
            ).scalars())
        group_id = group[0].id
        collective = len(group) >= COLLECTIVE_LINKED or any((c.worker_count or 0) >= COLLECTIVE_WORKERS for c in group)
        for member in group:
            member.group_id = group_id if len(group) > 1 else None
            if collective:
                member.collective = True
                member.priority = PRIORITY_COLLECTIVE

    # -- reading -------------------------------------------------------------------------
    def get(self, case_no: str) -> Optional[Dict[str, Any]]:
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no)).scalar_one_or_none()
            return self._view(session, case) if case else None

    def lookup(self, case_no: str, phone_last4: str) -> Optional[Dict[str, Any]]:
        """What a worker may see of their own case: found only with the phone's last four digits."""
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == (case_no or "").strip().upper())).scalar_one_or_none()
            if case is None or not case.phone or not phone_last4 or case.phone[-4:] != str(phone_last4).strip():
                return None
            return {"case_no": case.case_no, "status": case.status, "status_words": status_words(case.status, case.category),
                    "category": case.category, "station": self._station(case), "created_at": _iso(case.created_at)}

    def list(self, status: Optional[str] = None, limit: int = 100) -> List[Dict[str, Any]]:
        with self._sessions() as session:
            query = select(Case).order_by(Case.priority.desc(), Case.id.desc()).limit(limit)
            if status:
                query = query.where(Case.status == status)
            return [self._view(session, c) for c in session.execute(query).scalars()]

    # -- moving --------------------------------------------------------------------------
    def change_status(self, case_no: str, to_status: str, actor: str, note: str = "") -> Dict[str, Any]:
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no).with_for_update()).scalar_one_or_none()
            if case is None:
                raise KeyError(case_no)
            if not can_move(case.status, to_status):
                raise InvalidCase("status", f"不能从“{case.status}”改为“{to_status}”。")
            now = self._clock()
            session.add(CaseEvent(case_id=case.id, from_status=case.status, to_status=to_status,
                                  actor=actor[:64], note=(note or "")[:1000], at=now))
            case.status, case.updated_at = to_status, now
            session.commit()
            return self._view(session, case)

    # -- people --------------------------------------------------------------------------
    def record_handoff(self, sender_id: str, reason: str, transcript: List[Dict[str, Any]],
                       phone: Optional[str] = None) -> Dict[str, Any]:
        with self._sessions() as session:
            handoff = Handoff(sender_id=str(sender_id)[:128], reason=str(reason)[:32], phone=phone,
                              transcript=json.dumps(transcript[-200:], ensure_ascii=False), status="open",
                              created_at=self._clock())
            session.add(handoff)
            session.commit()
            return {"id": handoff.id, "sender_id": handoff.sender_id, "reason": handoff.reason,
                    "created_at": _iso(handoff.created_at)}

    def handoffs(self, status: str = "open") -> List[Dict[str, Any]]:
        with self._sessions() as session:
            rows = session.execute(select(Handoff).where(Handoff.status == status).order_by(Handoff.id)).scalars()
            return [{"id": h.id, "sender_id": h.sender_id, "reason": h.reason, "phone": h.phone,
                     "transcript": json.loads(h.transcript), "created_at": _iso(h.created_at)} for h in rows]

    # -- views ---------------------------------------------------------------------------
    @staticmethod
    def _station(case: Case) -> Optional[Dict[str, Any]]:
        return {"id": case.station_id, "name": case.station_name} if case.station_id else None

    def _view(self, session: Session, case: Case) -> Dict[str, Any]:
        linked = []
        if case.group_id:
            linked = [no for (no,) in session.execute(
                select(Case.case_no).where(Case.group_id == case.group_id, Case.id != case.id).order_by(Case.id))]
        events = session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).scalars()
        return {
            "case_no": case.case_no, "status": case.status, "category": case.category,
            "employer": case.employer, "amount": case.amount, "worker_count": case.worker_count,
            "station": self._station(case), "created_at": _iso(case.created_at),
            "name": case.name, "phone": case.phone, "location": case.location,
            "period_months": case.period_months, "description": case.description,
            "priority": case.priority, "collective": case.collective, "linked_cases": linked,
            "history": [{"from": e.from_status, "to": e.to_status, "actor": e.actor, "note": e.note,
                         "at": _iso(e.at)} for e in events],
        }


def masked(view: Dict[str, Any]) -> Dict[str, Any]:
    """A case as exports and logs may show it."""
    out = dict(view)
    if out.get("phone"):
        out["phone"] = mask_text(out["phone"])
    if out.get("name"):
        out["name"] = out["name"][0] + "*" * (len(out["name"]) - 1)
    return out
