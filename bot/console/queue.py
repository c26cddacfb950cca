"""The case queue as operators filter it, within what their role lets them see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import sessionmaker

from bot.cases import referral_chain
from bot.cases.outcomes import STATUSES
from bot.cases.service import _iso, masked
from bot.console.accounts import Principal
from bot.privacy import mask_text
from bot.storage.tables import Case
from bot.topics import TOPICS

QUEUE_LIMIT = 500
EXPORT_LIMIT = 20_000


@dataclass(frozen=True)
class Filters:
    station: Optional[str] = None
    status: Optional[str] = None
    category: Optional[str] = None
    priority: Optional[int] = None
    collective: Optional[bool] = None
    referred_out: bool = False

    @classmethod
    def from_args(cls, args: Dict[str, Any]) -> "Filters":
        """Filters from a query string; values outside the known sets are ignored, not trusted."""

        def one(name: str) -> Optional[str]:
            value = args.get(name)
            return (value or "").strip() or None

        status, category, priority = one("status"), one("category"), one("priority")
        return cls(
            station=one("station"),
            status=status if status in STATUSES else None,
            category=category if category in TOPICS else None,
            priority=int(priority) if priority and priority.isdigit() else None,
            collective={"1": True, "0": False}.get(one("collective") or ""),
            referred_out=one("scope") == "referred_out",
        )


def row(case: Case) -> Dict[str, Any]:
    """A queue line: everything but contact details in full (exports and lists are masked)."""
    return masked(
        {
            "case_no": case.case_no,
            "status": case.status,
            "category": case.category,
            "employer": case.employer,
            "location": case.location,
            "amount": case.amount,
            "period_months": case.period_months,
            "worker_count": case.worker_count,
            "station": {"id": case.station_id, "name": case.station_name} if case.station_id else None,
            "priority": case.priority,
            "collective": case.collective,
            "overdue": bool(case.overdue),
            "name": case.name,
            "phone": case.phone,
            "description": case.description,
            "created_at": _iso(case.created_at),
            "updated_at": _iso(case.updated_at),
        }
    ) | {"description": mask_text(case.description or "") or None}


class Queue:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def _query(self, who: Principal, filters: Filters, limit: int):
        query = select(Case)
        station = who.station_id if not who.supervisor else filters.station
        if filters.referred_out:
            # The cases this station sent on: read-only here, acted on by the receiving party.
            if station:
                query = query.where(
                    or_(
                        Case.referred_from_station == station, Case.referral_chain.like(referral_chain.pattern(station))
                    )
                )
            else:
                query = query.where(Case.referred_from_station.isnot(None))
        elif station:
            query = query.where(Case.station_id == station)
        if filters.status:
            query = query.where(Case.status == filters.status)
        if filters.category:
            query = query.where(Case.category == filters.category)
        if filters.priority is not None:
            query = query.where(Case.priority == filters.priority)
        if filters.collective is not None:
            query = query.where(Case.collective == filters.collective)
        # An unpaid instalment first (the worker said the money did not come), then collective
        # disputes (many workers, one employer), then priority, then the newest.
        return query.order_by(Case.overdue.desc(), Case.collective.desc(), Case.priority.desc(), Case.id.desc()).limit(
            limit
        )

    def cases(self, who: Principal, filters: Filters, limit: int = QUEUE_LIMIT) -> List[Case]:
        with self._sessions() as session:
            return list(session.execute(self._query(who, filters, limit)).scalars())

    def rows(self, who: Principal, filters: Filters) -> List[Dict[str, Any]]:
        return [row(c) for c in self.cases(who, filters)]

    def station_of(self, case_no: str) -> tuple[bool, Optional[str]]:
        """(exists, station id) so a route can refuse another station's case before reading it."""
        with self._sessions() as session:
            found = session.execute(select(Case.station_id).where(Case.case_no == case_no)).first()
            return (found is not None, found[0] if found else None)

    def referred_from(self, case_no: str) -> List[str]:
        """Every station that referred the case on: each keeps read access (contract §6)."""
        with self._sessions() as session:
            found = session.execute(
                select(Case.referral_chain, Case.referred_from_station).where(Case.case_no == case_no)
            ).first()
            return referral_chain.stations(found[0], found[1]) if found else []

    def same_employer(self, case_no: str, who: Principal) -> List[Dict[str, Any]]:
        """Other cases naming the same employer (any time, any status), as far as the operator may see."""
        with self._sessions() as session:
            case = session.execute(select(Case).where(Case.case_no == case_no)).scalar_one_or_none()
            if case is None or not case.employer_key:
                return []
            query = select(Case).where(Case.employer_key == case.employer_key, Case.id != case.id)
            if not who.supervisor:
                query = query.where(Case.station_id == who.station_id)
            others = session.execute(query.order_by(Case.id.desc()).limit(50)).scalars()
            return [
                {
                    "case_no": c.case_no,
                    "status": c.status,
                    "category": c.category,
                    "employer": c.employer,
                    "worker_count": c.worker_count,
                    "created_at": _iso(c.created_at),
                }
                for c in others
            ]

    def stations(self, who: Principal) -> List[Dict[str, str]]:
        """Stations that have cases, for the filter (a station operator sees only their own)."""
        with self._sessions() as session:
            query = select(Case.station_id, Case.station_name).where(Case.station_id.isnot(None)).distinct()
            if not who.supervisor:
                query = query.where(Case.station_id == who.station_id)
            return sorted(({"id": i, "name": n or i} for i, n in session.execute(query)), key=lambda s: s["id"])
