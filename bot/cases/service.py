"""Opening, reading and moving cases. Plain Python over SQLAlchemy; the web side exposes it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.cases import details as case_details
from bot.cases import follow_code, referral_chain
from bot.cases.employer import employer_key
from bot.cases.id_number import masked as masked_id
from bot.cases.lifecycle import (
    COLLECTIVE_LINKED,
    LINK_WINDOW_DAYS,
    PRIORITY_COLLECTIVE,
    PRIORITY_NORMAL,
    InvalidCase,
    validate_draft,
)
from bot.cases.numbers import format_case_no
from bot.cases.outcomes import Instalment, MoveRefused, check_move
from bot.cases.wording import status_words
from bot.followups import planning
from bot.privacy import mask_person
from bot.storage.tables import Case, CaseCounter, CaseEvent, Followup, Handoff, InstalmentRow, StationRow
from bot.topics import COLLECTIVE_WORKERS

BOT = "gongyou-bot"
# What erasure removes from a case (contract §5); the rest stays for statistics.
PERSONAL_FIELDS = ("name", "phone", "id_number", "location", "description", "rating_comment")


def _iso(moment: Optional[datetime]) -> Optional[str]:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


class CaseService:
    def __init__(self, sessions: sessionmaker, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self._sessions = sessions
        self._clock = clock

    @property
    def sessions(self) -> sessionmaker:
        """The database this service works on: erasure and the purge write to it beside the service."""
        return self._sessions

    # -- opening -------------------------------------------------------------------------
    def open_draft(self, data: Dict[str, Any], idempotency_key: Optional[str]) -> Tuple[Dict[str, Any], bool]:
        """(case, created). The same idempotency key always gives back the same case."""
        draft = validate_draft(data)
        key = (idempotency_key or "").strip()[:128] or None
        for _ in range(5):
            with self._sessions() as session:
                if key:
                    existing = session.execute(
                        select(Case).where(Case.idempotency_key.in_([key, hashed_key(key)]))
                    ).scalar_one_or_none()
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
            follow_code=follow_code.new_code(),
            created_at=now,
            updated_at=now,
            **{k: v for k, v in asdict(draft).items()},
        )
        session.add(case)
        session.flush()
        session.add(
            CaseEvent(
                case_id=case.id, from_status=None, to_status="draft", actor=BOT, note="工友助手登记的草稿", at=now
            )
        )
        self._link(session, case, now)
        if case.sender_id and case.station_id:
            # The worker asked for a person before the case existed: that station calls back.
            session.execute(
                update(Handoff)
                .where(Handoff.sender_id == case.sender_id, Handoff.status == "open", Handoff.station_id.is_(None))
                .values(station_id=case.station_id)
            )
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

    # Members updated per statement: older SQLite takes at most 999 parameters in one.
    LINK_UPDATE_CHUNK = 500

    def _link(self, session: Session, case: Case, now: datetime) -> None:
        """Drafts naming the same employer within 30 days form one group; a big group or a
        case with many workers is a collective dispute, handled first."""
        # Only the columns the grouping reads, and an UPDATE only for the members it changes: a
        # big dispute's hundreds of drafts were each loaded whole for every new one (12 ms of the
        # case service's CPU per draft with 230 in the group, growing with it).
        group = [(case.id, case.worker_count, case.group_id, case.collective, case.priority)]
        if case.employer_key:
            since = now - timedelta(days=LINK_WINDOW_DAYS)
            group = list(
                session.execute(
                    select(Case.id, Case.worker_count, Case.group_id, Case.collective, Case.priority)
                    .where(Case.employer_key == case.employer_key, Case.created_at >= since, Case.status != "closed")
                    .order_by(Case.id)
                )
            )
        group_id = group[0][0] if len(group) > 1 else None
        collective = len(group) >= COLLECTIVE_LINKED or any((m[1] or 0) >= COLLECTIVE_WORKERS for m in group)
        target: Dict[str, Any] = {"group_id": group_id}
        if collective:
            target.update(collective=True, priority=PRIORITY_COLLECTIVE)
        for name, value in target.items():
            setattr(case, name, value)
        changed = [
            m[0]
            for m in group
            if m[0] != case.id and (m[2] != group_id or (collective and (not m[3] or m[4] != PRIORITY_COLLECTIVE)))
        ]
        for start in range(0, len(changed), self.LINK_UPDATE_CHUNK):
            session.execute(
                update(Case)
                .where(Case.id.in_(changed[start : start + self.LINK_UPDATE_CHUNK]))
                .values(**target)
                .execution_options(synchronize_session=False)
            )

    # -- reading -------------------------------------------------------------------------
    def get(self, case_no: str) -> Optional[Dict[str, Any]]:
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no)).scalar_one_or_none()
            return self._view(session, case) if case else None

    def _own(self, session: Session, case_no: str, code: str) -> Optional[Case]:
        """The case only for its number together with its follow code (the phone's digits are not enough)."""
        case = session.execute(select(Case).where(Case.case_no == (case_no or "").strip().upper())).scalar_one_or_none()
        if case is None or not follow_code.same(case.follow_code, follow_code.normalise(code)):
            return None
        return case

    def lookup(self, case_no: str, code: str) -> Optional[Dict[str, Any]]:
        """What a worker may see of their own case: status, category, station and dates, nothing personal."""
        with self._sessions() as session:
            case = self._own(session, case_no, code)
            if case is None:
                return None
            return {
                "case_no": case.case_no,
                "status": case.status,
                "status_words": status_words(case.status, case.category),
                "category": case.category,
                "station": self._station(case),
                "created_at": _iso(case.created_at),
                "updated_at": _iso(case.updated_at),
            }

    def owns(self, case_no: str, code: str) -> bool:
        with self._sessions() as session:
            return self._own(session, case_no, code) is not None

    # -- document details ----------------------------------------------------------------
    def save_details(self, case_no: str, data: Dict[str, Any], sender_id: Optional[str] = None) -> Optional[List[str]]:
        """Add what a document needs to a case (bot/cases/details.py); the names of the fields
        saved, or None for an unknown case, or for the bot asking about another conversation's
        case (`sender_id` given and not the case's). InvalidCase for a bad field."""
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no).with_for_update()).scalar_one_or_none()
            if case is None or (sender_id is not None and case.sender_id != sender_id):
                return None
            given = data.get("consent")
            consent: Dict[str, Any] = given if isinstance(given, dict) else {}
            agreed = consent.get("version") if consent.get("at") else None
            clean = case_details.validate(data, self._clock().date(), agreed or extra_consent(case.details))
            stored = case_details.extra(case.details)
            if agreed:
                stored["document_consent"] = {"version": str(agreed)[:32], "at": str(consent["at"])[:40]}
            for field, value in clean.items():
                if field == "id_number":
                    case.id_number = value
                elif field in case_details.COLUMNS:
                    setattr(case, field, value)
                else:
                    stored[field] = value
            case.details = json.dumps(stored, ensure_ascii=False) if stored else None
            case.updated_at = self._clock()
            session.commit()
            return sorted(clean)

    # -- erasing -------------------------------------------------------------------------
    def erase(self, case_no: str) -> Optional[Dict[str, Any]]:
        """Remove the worker's personal data from the case database (case, its notes, the handoffs
        of its conversation); keep the non-personal facts. Returns what the other stores need to
        forget the same worker (sender id, idempotency key), or None for an unknown case."""
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no).with_for_update()).scalar_one_or_none()
            if case is None:
                return None
            now = self._clock()
            key, sender = case.idempotency_key, case.sender_id
            for field in PERSONAL_FIELDS:
                setattr(case, field, None)
            case.details = case_details.erased(case.details)
            if case.idempotency_key and not case.idempotency_key.startswith("h:"):
                # The key holds the sender id; its hash still catches a late replay of the same draft.
                case.idempotency_key = hashed_key(case.idempotency_key)
            case.erased_at = case.erased_at or now
            # Operators' notes may name the worker; the statuses and their times stay.
            for event in session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id)).scalars():
                event.note = None
            # What the worker answered to a return visit is theirs too (the payment facts stay).
            for followup in session.execute(select(Followup).where(Followup.case_id == case.id)).scalars():
                if followup.kind == planning.COMMENT:
                    followup.answer = None
            handoffs = 0
            if sender:
                for handoff in session.execute(select(Handoff).where(Handoff.sender_id == sender)).scalars():
                    handoff.phone, handoff.transcript = None, "[]"
                    handoffs += 1
            session.commit()
            return {"case_no": case.case_no, "sender_id": sender, "idempotency_key": key, "handoffs": handoffs}

    def sender_to_forget(self, case_no: str) -> Optional[str]:
        """The conversation of an erased case whose tracker is not erased yet, else None."""
        with self._sessions() as session:
            return session.execute(
                select(Case.sender_id).where(
                    Case.case_no == case_no, Case.erased_at.is_not(None), Case.tracker_erased_at.is_(None)
                )
            ).scalar_one_or_none()

    def tracker_forgotten(self, case_no: str) -> None:
        """The tracker store no longer holds the conversation: the sender id is not needed any more."""
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no)).scalar_one_or_none()
            if case is not None:
                case.tracker_erased_at, case.sender_id = self._clock(), None
                session.commit()

    def list(self, status: Optional[str] = None, limit: int = 100) -> List[Dict[str, Any]]:
        with self._sessions() as session:
            query = select(Case).order_by(Case.overdue.desc(), Case.priority.desc(), Case.id.desc()).limit(limit)
            if status:
                query = query.where(Case.status == status)
            # A list is no case detail: the ID number and the document's personal details are masked.
            return [_id_masked(self._view(session, c)) for c in session.execute(query).scalars()]

    # -- moving --------------------------------------------------------------------------
    def change_status(
        self, case_no: str, to_status: str, actor: str, note: str = "", body: Optional[Dict[str, Any]] = None
    ) -> Dict[str, Any]:
        """Move a case (contract §6): the move is checked for the case's category
        (bot/cases/outcomes.py), and what it promises is written with it in one transaction:
        an agreement's instalments and their return visits, a referral's new station, the return
        visit after closing, and the notice to the worker. InvalidCase for an impossible move."""
        body = body or {}
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no).with_for_update()).scalar_one_or_none()
            if case is None:
                raise KeyError(case_no)
            owed = [
                Instalment(row.amount, row.due, row.paid)
                for row in session.execute(select(InstalmentRow).where(InstalmentRow.case_id == case.id)).scalars()
            ]
            try:
                extra = check_move(case.status, to_status, case.category, {**body, "note": note}, owed)
            except MoveRefused as refused:
                raise InvalidCase("status", refused.message) from None
            now = self._clock()
            event = CaseEvent(
                case_id=case.id,
                from_status=case.status,
                to_status=to_status,
                actor=actor[:64],
                note=(note or "")[:1000],
                at=now,
                referred_to=extra.get("to") if to_status == "referred" else None,
            )
            session.add(event)
            case.status, case.updated_at = to_status, now
            if to_status == "agreement":
                planning.plan_agreement(session, case, extra["instalments"])
            elif to_status == "referred":
                self._refer(session, case, extra)
            elif to_status == "closed":
                planning.plan_after_close(session, case, now)
            if to_status in ("closed", "withdrawn"):
                case.overdue = False  # the route ended: nothing left to chase in the queue
            session.flush()
            planning.notify_status(session, case, event.id, now, extra.get("to"))
            session.commit()
            return self._view(session, case)

    def confirm_instalment(self, case_no: str, seq: int, paid: bool, actor: str, note: str = "") -> Dict[str, Any]:
        """An operator records an instalment paid or not (the worker told the station, a receipt
        came); the case stays overdue while any instalment is unpaid. KeyError for no such one."""
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no).with_for_update()).scalar_one_or_none()
            row = (
                session.execute(
                    select(InstalmentRow).where(InstalmentRow.case_id == case.id, InstalmentRow.seq == seq)
                ).scalar_one_or_none()
                if case is not None
                else None
            )
            if case is None or row is None:
                raise KeyError(case_no)
            now = self._clock()
            row.paid, row.confirmed_at = paid, now
            session.flush()
            unpaid = session.execute(
                select(InstalmentRow.id).where(InstalmentRow.case_id == case.id, InstalmentRow.paid.is_(False))
            ).first()
            case.overdue = unpaid is not None
            what = "已到账" if paid else "没有到账"
            session.add(
                CaseEvent(
                    case_id=case.id,
                    from_status=case.status,
                    to_status=case.status,
                    actor=actor[:64],
                    note=f"第{seq}期{what}" + (f"：{note[:500]}" if note else ""),
                    at=now,
                )
            )
            case.updated_at = now
            session.commit()
            return self._view(session, case)

    @staticmethod
    def _refer(session: Session, case: Case, extra: Dict[str, Any]) -> None:
        """The receiving party's station takes the case into its queue; the sender keeps read access."""
        case.referred_to = extra["to"]
        station_id = extra.get("station_id")
        if not station_id or station_id == case.station_id:
            return
        station = session.get(StationRow, station_id)
        if station is None:
            raise InvalidCase("station_id", "没有这个服务站。")
        case.referred_from_station = case.station_id
        case.referral_chain = referral_chain.extended(case.referral_chain, case.station_id)
        case.station_id, case.station_name = station.id, station.name

    # -- people --------------------------------------------------------------------------
    def record_handoff(
        self,
        sender_id: str,
        reason: str,
        transcript: List[Dict[str, Any]],
        phone: Optional[str] = None,
        station_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """`station_id`: the kiosk the worker stands at; else the station of their latest case."""
        sender_id = str(sender_id)[:128]
        with self._sessions() as session:
            station = (str(station_id).strip()[:64] if station_id else None) or session.execute(
                select(Case.station_id).where(Case.sender_id == sender_id).order_by(Case.id.desc()).limit(1)
            ).scalar_one_or_none()
            handoff = Handoff(
                sender_id=sender_id,
                reason=str(reason)[:32],
                phone=phone,
                station_id=station,
                transcript=json.dumps(transcript[-200:], ensure_ascii=False),
                status="open",
                created_at=self._clock(),
            )
            session.add(handoff)
            session.commit()
            return {
                "id": handoff.id,
                "sender_id": handoff.sender_id,
                "reason": handoff.reason,
                "created_at": _iso(handoff.created_at),
            }

    def handoffs(self, status: str = "open", station_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Requests in that status: every station's, or (with `station_id`) that station's only."""
        with self._sessions() as session:
            query = select(Handoff).where(Handoff.status == status).order_by(Handoff.id)
            if station_id is not None:
                query = query.where(Handoff.station_id == station_id)
            return [
                {
                    "id": h.id,
                    "sender_id": h.sender_id,
                    "reason": h.reason,
                    "phone": h.phone,
                    "transcript": json.loads(h.transcript),
                    "created_at": _iso(h.created_at),
                }
                for h in session.execute(query).scalars()
            ]

    # -- views ---------------------------------------------------------------------------
    @staticmethod
    def _station(case: Case) -> Optional[Dict[str, Any]]:
        return {"id": case.station_id, "name": case.station_name} if case.station_id else None

    def _view(self, session: Session, case: Case) -> Dict[str, Any]:
        linked = []
        if case.group_id:
            linked = [
                no
                for (no,) in session.execute(
                    select(Case.case_no).where(Case.group_id == case.group_id, Case.id != case.id).order_by(Case.id)
                )
            ]
        events = (
            session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
            .scalars()
            .all()
        )
        return {
            "case_no": case.case_no,
            "status": case.status,
            "category": case.category,
            "employer": case.employer,
            "amount": case.amount,
            "worker_count": case.worker_count,
            "station": self._station(case),
            "created_at": _iso(case.created_at),
            "name": case.name,
            "phone": case.phone,
            "id_number": case.id_number,
            "location": case.location,
            "period_months": case.period_months,
            "description": case.description,
            "details": case_details.for_document(
                {field: getattr(case, field) for field in case_details.COLUMNS},
                case.details,
                case.id_number,
                self._clock().date(),
            ),
            "follow_code": case.follow_code,
            "consent_version": case.consent_version,
            "consent_at": _iso(case.consent_at),
            "erased_at": _iso(case.erased_at),
            "priority": case.priority,
            "collective": case.collective,
            "linked_cases": linked,
            "history": [
                {"from": e.from_status, "to": e.to_status, "actor": e.actor, "note": e.note, "at": _iso(e.at)}
                for e in events
            ],
            "timeline": [
                {"at": _iso(e.at), "status": e.to_status, "note": e.note, "referred_to": e.referred_to} for e in events
            ],
            **self._after_draft(session, case),
        }

    @staticmethod
    def _after_draft(session: Session, case: Case) -> Dict[str, Any]:
        """Contract §6: instalments, follow-ups, and where a referral took the case."""
        instalments = session.execute(
            select(InstalmentRow).where(InstalmentRow.case_id == case.id).order_by(InstalmentRow.seq)
        ).scalars()
        followups = session.execute(
            select(Followup).where(Followup.case_id == case.id).order_by(Followup.due, Followup.id)
        ).scalars()
        return {
            "instalments": [
                {"amount": i.amount, "due": i.due.isoformat(), "paid": i.paid, "confirmed_at": _iso(i.confirmed_at)}
                for i in instalments
            ],
            "followups": [
                {
                    "due": _iso(f.due),
                    "kind": f.kind,
                    "sent_at": _iso(f.sent_at),
                    "answer": f.answer,
                    "channel": f.channel,
                    "answered_at": _iso(f.answered_at),
                }
                for f in followups
            ],
            "referred_to": case.referred_to,
            "referred_from_station": case.referred_from_station,
            "overdue": bool(case.overdue),
            "rating": case.rating,
            "rating_comment": case.rating_comment,
        }


def _id_masked(view: Dict[str, Any]) -> Dict[str, Any]:
    return {
        **view,
        "id_number": masked_id(view.get("id_number")),
        "details": case_details.masked(view.get("details") or {}),
    }


def extra_consent(stored: Optional[str]) -> Optional[str]:
    """The document notice's version a case's worker agreed to earlier, if any."""
    consent = case_details.extra(stored).get("document_consent") or {}
    return consent.get("version") if isinstance(consent, dict) else None


def hashed_key(key: str) -> str:
    return "h:" + hashlib.sha256(key.encode()).hexdigest()


def masked(view: Dict[str, Any]) -> Dict[str, Any]:
    """A case as exports and logs may show it."""
    out = mask_person(view)
    out.pop("follow_code", None)
    if out.get("id_number"):
        out["id_number"] = masked_id(out["id_number"])
    if isinstance(out.get("details"), dict):
        out["details"] = case_details.masked(out["details"])
    return out
