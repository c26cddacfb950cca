"""Group rosters of collective cases (劳动争议调解仲裁法 §7: ten or more workers with a common
claim may choose representatives): the group's code, its members, its representatives.

The first worker's case gets a group code; co-workers join with it (each with their own consent),
operators add and correct members. The document of the case attaches the roster.

The code: bot/cases/group_code.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.cases import follow_code
from bot.cases.group_code import new_code, normalise_code
from bot.dialogue import intake
from bot.privacy import mask_person, mask_text
from bot.storage.tables import Case, Roster, RosterMember

# 3 to 5 representatives: enough to share the work, few enough to speak with one voice.
REPRESENTATIVES_MIN, REPRESENTATIVES_MAX = 3, 5
# A group is a few hundred workers at most (the seeds' largest is 16); this stops a runaway script.
MEMBERS_MAX = 500


_BARE_NUMBER = re.compile(r"\d{1,3}(?:\.\d+)?")


class RosterProblem(ValueError):
    """A member or a choice that cannot be taken; `message` is polite Chinese for the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def clean_member(data: Dict[str, Any]) -> Dict[str, Any]:
    """Name and phone required (the document lists them), amount and months optional; the same
    checks as the intake form, so a roster row reads like a case."""
    name, problem = intake.check_name(data.get("name"))
    if problem:
        raise RosterProblem("name", "请告诉我这位工友的姓名。")
    phone, problem = intake.check_phone(data.get("phone"))
    if problem:
        raise RosterProblem("phone", problem)
    out: Dict[str, Any] = {"name": name, "phone": phone, "amount": None, "months": None}
    for field, check in (("amount", intake.check_amount), ("months", intake.check_duration)):
        value = data.get(field)
        if value in (None, "", intake.UNKNOWN):
            continue
        if field == "months" and _BARE_NUMBER.fullmatch(str(value).strip()):
            # A form's "欠了几个月" box holds a bare number; in chat the words say the unit.
            value = f"{str(value).strip()}个月"
        clean, problem = check(value)
        if problem:
            raise RosterProblem(field, problem)
        out[field] = None if clean in (None, intake.UNKNOWN) else float(clean)
    return out


def _iso(moment: Optional[datetime]) -> Optional[str]:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def _consent_time(value: Any) -> Optional[datetime]:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def member_view(member: RosterMember) -> Dict[str, Any]:
    return {
        "id": member.id,
        "name": member.name,
        "phone": member.phone,
        "amount": member.amount,
        "months": member.months,
        "representative": bool(member.representative),
        "consent_version": member.consent_version,
        "consent_at": _iso(member.consent_at),
        "added_by": member.added_by,
        "erased": member.erased_at is not None,
    }


def masked_member(view: Dict[str, Any]) -> Dict[str, Any]:
    """A member as logs and exports may show it."""
    return mask_person(view)


class RosterService:
    def __init__(self, sessions: sessionmaker, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self._sessions = sessions
        self._clock = clock

    @property
    def sessions(self) -> sessionmaker:
        return self._sessions

    def owns(self, case_no: str, code: str) -> bool:
        """The case's follow code proves the worker who opened it (the group is theirs to start)."""
        with self._sessions() as session:
            case = self._case(session, case_no)
            return case is not None and follow_code.same(case.follow_code, follow_code.normalise(code))

    # -- the group -----------------------------------------------------------------------
    def open_group(self, case_no: str, actor: str = "gongyou-bot") -> Optional[Dict[str, Any]]:
        """The case's group (made on first call, with the case's own worker as its first member),
        or None for an unknown or erased case. Calling again gives the same code."""
        for _ in range(5):
            with self._sessions() as session:
                case = self._case(session, case_no)
                if case is None or case.erased_at is not None:
                    return None
                roster = self._roster_of(session, case)
                if roster is not None:
                    return self._group_view(session, case, roster)
                roster = Roster(case_id=case.id, code=new_code(), created_at=self._clock())
                session.add(roster)
                try:
                    session.flush()
                except IntegrityError:  # a twin request made it first, or the code was taken
                    session.rollback()
                    continue
                if case.name and case.phone:
                    session.add(
                        RosterMember(
                            roster_id=roster.id,
                            name=case.name,
                            phone=case.phone,
                            # A collective case's amount is usually the group's total, not this worker's.
                            amount=case.amount if (case.worker_count or 1) <= 1 else None,
                            months=case.period_months,
                            consent_version=case.consent_version,
                            consent_at=case.consent_at,
                            sender_id=case.sender_id,
                            added_by=actor[:64],
                            created_at=self._clock(),
                        )
                    )
                session.commit()
                return self._group_view(session, case, roster)
        raise RuntimeError("could not allocate a group code")

    def group(self, case_no: str) -> Optional[Dict[str, Any]]:
        """The roster of a case with every member in full (operators only), or None."""
        with self._sessions() as session:
            case = self._case(session, case_no)
            roster = self._roster_of(session, case)
            return self._group_view(session, case, roster) if case and roster else None

    def check_code(self, code: str) -> Optional[Dict[str, Any]]:
        """What a worker about to join may be told: the employer the group is about, nothing personal."""
        with self._sessions() as session:
            found = self._by_code(session, code)
            if found is None:
                return None
            case, _ = found
            return {"employer": case.employer}

    # -- members -------------------------------------------------------------------------
    def join(
        self,
        code: str,
        data: Dict[str, Any],
        consent: Optional[Dict[str, Any]],
        sender_id: Optional[str] = None,
    ) -> Optional[Dict[str, Any]]:
        """A worker joins with the code after agreeing to the notice; None for a wrong code.
        Joining twice from one phone updates that member instead of adding a second row."""
        if not consent or not consent.get("version") or not _consent_time(consent.get("at")):
            raise RosterProblem("consent", "加入前要先同意我们保存您的信息。")
        member = clean_member(data)
        with self._sessions() as session:
            found = self._by_code(session, code)
            if found is None:
                return None
            case, roster = found
            row = self._put(session, roster, member, "worker", sender_id, consent)
            session.commit()
            return {"member": member_view(row), "employer": case.employer, "members": self._count(session, roster)}

    def add_member(self, case_no: str, data: Dict[str, Any], actor: str) -> Optional[Dict[str, Any]]:
        """An operator adds (or, by phone, updates) a member who told them in person and agreed."""
        member = clean_member(data)
        consent = {"version": str(data.get("consent_version") or "operator"), "at": self._clock()}
        if self.open_group(case_no, actor) is None:  # unknown or erased case
            return None
        with self._sessions() as session:
            roster = self._roster_of(session, self._case(session, case_no))
            if roster is None:
                return None
            row = self._put(session, roster, member, actor, None, consent)
            session.commit()
            return member_view(row)

    def update_member(self, case_no: str, member_id: int, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        with self._sessions() as session:
            row = self._member(session, case_no, member_id)
            if row is None:
                return None
            given = {k: v for k, v in data.items() if k in ("name", "phone", "amount", "months")}
            merged = {**member_view(row), **given}
            clean = clean_member(merged)
            for field, value in clean.items():
                setattr(row, field, value)
            session.commit()
            return member_view(row)

    def choose_representatives(self, case_no: str, member_ids: Sequence[Any]) -> Optional[List[Dict[str, Any]]]:
        """Mark exactly these 3–5 members as the group's representatives (§7); None for no roster."""
        try:
            wanted = {int(i) for i in member_ids}
        except (TypeError, ValueError):
            raise RosterProblem("members", "请选择名单里的工友。") from None
        if not REPRESENTATIVES_MIN <= len(wanted) <= REPRESENTATIVES_MAX:
            raise RosterProblem(
                "members", f"代表要选{REPRESENTATIVES_MIN}到{REPRESENTATIVES_MAX}人，现在选了{len(wanted)}人。"
            )
        with self._sessions() as session:
            case = self._case(session, case_no)
            roster = self._roster_of(session, case) if case else None
            if roster is None:
                return None
            members = self._members(session, roster)
            present = {m.id for m in members if m.erased_at is None}
            if not wanted <= present:
                raise RosterProblem("members", "选的人不在这个名单里，请核对。")
            for member in members:
                member.representative = member.id in wanted
            session.commit()
            return [member_view(m) for m in members]

    def erase_member(self, case_no: str, member_id: int) -> Optional[str]:
        """One member's personal data gone; the sender id of their conversation (to forget too)."""
        with self._sessions() as session:
            row = self._member(session, case_no, member_id)
            if row is None:
                return None
            sender = row.sender_id or ""
            self._wipe(row)
            session.commit()
            return sender

    def erase_case(self, case_no: str) -> List[str]:
        """Every member's personal data of the case's group gone (the case is being erased);
        returns the conversations they joined from, whose trackers hold the same words."""
        senders: List[str] = []
        with self._sessions() as session:
            case = self._case(session, case_no)
            roster = self._roster_of(session, case)
            if case is None or roster is None:
                return senders
            for member in self._members(session, roster):
                if member.sender_id and member.sender_id != case.sender_id:
                    senders.append(member.sender_id)
                self._wipe(member)
            session.commit()
        return senders

    # -- the document ----------------------------------------------------------------------
    def for_document(self, case_no: str) -> List[Dict[str, Any]]:
        """The roster as the filed document prints it: representatives with their full phone (the
        arbitration commission calls them), the others' phones masked; erased members left out."""
        group = self.group(case_no)
        if group is None:
            return []
        rows = []
        for m in group["members"]:
            if m["erased"]:
                continue
            rows.append(
                {
                    "name": m["name"],
                    "phone": m["phone"] if m["representative"] else mask_text(m["phone"] or ""),
                    "amount": m["amount"],
                    "months": m["months"],
                    "representative": m["representative"],
                }
            )
        return rows

    def attach(self, case: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
        """The case with its roster in `details["roster"]`, where the documents read it."""
        if case is None:
            return None
        roster = self.for_document(case["case_no"])
        if not roster:
            return case
        return {**case, "details": {**dict(case.get("details") or {}), "roster": roster}}

    # -- inside ----------------------------------------------------------------------------
    @staticmethod
    def _case(session: Session, case_no: str) -> Optional[Case]:
        return session.execute(
            select(Case).where(Case.case_no == str(case_no or "").strip().upper())
        ).scalar_one_or_none()

    @staticmethod
    def _roster_of(session: Session, case: Optional[Case]) -> Optional[Roster]:
        if case is None:
            return None
        return session.execute(select(Roster).where(Roster.case_id == case.id)).scalar_one_or_none()

    @staticmethod
    def _by_code(session: Session, code: str):
        clean = normalise_code(code)
        if clean is None:
            return None
        roster = session.execute(select(Roster).where(Roster.code == clean)).scalar_one_or_none()
        if roster is None:
            return None
        case = session.get(Case, roster.case_id)
        if case is None or case.erased_at is not None or case.status == "closed":
            return None
        return case, roster

    @staticmethod
    def _members(session: Session, roster: Roster) -> List[RosterMember]:
        return list(
            session.execute(
                select(RosterMember).where(RosterMember.roster_id == roster.id).order_by(RosterMember.id)
            ).scalars()
        )

    def _member(self, session: Session, case_no: str, member_id: int) -> Optional[RosterMember]:
        case = self._case(session, case_no)
        roster = self._roster_of(session, case) if case else None
        if roster is None:
            return None
        row = session.get(RosterMember, int(member_id))
        return row if row is not None and row.roster_id == roster.id and row.erased_at is None else None

    def _count(self, session: Session, roster: Roster) -> int:
        return sum(1 for m in self._members(session, roster) if m.erased_at is None)

    def _put(
        self,
        session: Session,
        roster: Roster,
        member: Dict[str, Any],
        actor: str,
        sender_id: Optional[str],
        consent: Dict[str, Any],
    ) -> RosterMember:
        members = [m for m in self._members(session, roster) if m.erased_at is None]
        row = next((m for m in members if m.phone == member["phone"]), None)
        if row is None:
            if len(members) >= MEMBERS_MAX:
                raise RosterProblem("members", "这个名单人数已经很多了，请到服务站当面办理。")
            row = RosterMember(roster_id=roster.id, added_by=actor[:64], created_at=self._clock())
            session.add(row)
        row.name, row.phone = member["name"], member["phone"]
        row.amount = member["amount"] if member["amount"] is not None else row.amount
        row.months = member["months"] if member["months"] is not None else row.months
        row.consent_version = str(consent["version"])[:32]
        row.consent_at = _consent_time(consent["at"])
        if sender_id:
            row.sender_id = str(sender_id)[:128]
        session.flush()
        return row

    def _wipe(self, member: RosterMember) -> None:
        member.name = member.phone = member.sender_id = None
        member.representative = False
        member.erased_at = member.erased_at or self._clock()

    def _group_view(self, session: Session, case: Case, roster: Roster) -> Dict[str, Any]:
        return {
            "case_no": case.case_no,
            "code": roster.code,
            "members": [member_view(m) for m in self._members(session, roster)],
        }
