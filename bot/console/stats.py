"""The situation dashboard's figures, counted from the case database.

Counts by category and station group in SQL; weeks and durations are computed in Python from
the timestamps, because SQLite and PostgreSQL spell date arithmetic differently.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Callable, Dict, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from bot.console.accounts import Principal
from bot.console.outcome_stats import early_warnings, outcome_figures, weekly_report
from bot.law.guidance import guidance_for
from bot.storage.tables import Case, CaseEvent, StationRow

WEEKS = 12
CHINA = timezone(timedelta(hours=8))  # weeks as the stations live them


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def iso_week(moment: datetime) -> str:
    year, week, _ = _aware(moment).astimezone(CHINA).isocalendar()
    return f"{year}-W{week:02d}"


@lru_cache(maxsize=1)
def _district_names() -> Dict[str, str]:
    """Six-digit administrative code → name (珠山区), from the gazetteer's table."""
    from bot.places.gazetteer import admin_places

    return {p.code[:6]: p.name for p in admin_places()}


def district_name(code: Optional[str]) -> Optional[str]:
    return _district_names().get((code or "")[:6]) if code else None


CONVERSATION_LABELS = (
    ("conversations", "对话"),
    ("messages", "消息"),
    ("handoffs", "转人工"),
    ("fallbacks", "没听懂"),
    ("cases_confirmed", "确认登记"),
    ("cases_queued", "暂存待提交"),
)


def conversation_stats(session: Any) -> Optional[Dict[str, int]]:
    """Last 30 days of conversation figures kept by the RabbitMQ event consumer (bot/events), or
    None where no consumer runs (embedded mode): zeros there would read as "nobody came"."""
    from bot.events.stats import conversation_stats as from_events

    totals = from_events(session.get_bind())["totals"]
    if not totals.get("messages"):
        return None
    return {label: int(totals.get(key, 0)) for key, label in CONVERSATION_LABELS}


class Dashboard:
    def __init__(self, sessions: sessionmaker, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self._sessions = sessions
        self._clock = clock

    def figures(self, who: Principal) -> Dict[str, Any]:
        def scoped(query):
            return query if who.supervisor else query.where(Case.station_id == who.station_id)

        since = self._clock() - timedelta(weeks=WEEKS)
        with self._sessions() as session:
            by_status = dict(session.execute(scoped(select(Case.status, func.count()).group_by(Case.status))).all())
            by_category = session.execute(
                scoped(select(Case.category, func.count()).group_by(Case.category).order_by(func.count().desc()))
            ).all()
            by_station = session.execute(
                scoped(
                    select(Case.station_id, Case.station_name, StationRow.district_code, func.count())
                    .outerjoin(StationRow, StationRow.id == Case.station_id)
                    .group_by(Case.station_id, Case.station_name, StationRow.district_code)
                )
            ).all()
            created = [c for (c,) in session.execute(scoped(select(Case.created_at).where(Case.created_at >= since)))]
            collective = session.execute(
                scoped(
                    select(Case.employer, Case.status, func.count(), func.sum(Case.worker_count))
                    .where(Case.collective.is_(True))
                    .group_by(Case.employer, Case.status)
                )
            ).all()
            accepted = session.execute(
                scoped(
                    select(Case.created_at, func.min(CaseEvent.at))
                    .join(CaseEvent, CaseEvent.case_id == Case.id)
                    .where(CaseEvent.to_status == "accepted")
                    .group_by(Case.id, Case.created_at)
                )
            ).all()
            # The events carry no station: only supervisors see them.
            conversations = conversation_stats(session) if who.supervisor else None
            scope = None if who.supervisor else who.station_id
            after_draft = outcome_figures(session, scope, self._clock())
            warnings = early_warnings(session, scope, self._clock())

        districts: Counter = Counter()
        for station_id, station_name, code, count in by_station:
            where = district_name(code) or ("未分配服务站" if not station_id else station_name or station_id)
            districts[where] += count
        weeks = Counter(iso_week(c) for c in created)
        week_labels = [iso_week(self._clock() - timedelta(weeks=n)) for n in range(WEEKS - 1, -1, -1)]
        hours = sorted((_aware(at) - _aware(made)).total_seconds() / 3600 for made, at in accepted)
        employers: Dict[str, Dict[str, Any]] = {}
        for employer, status, count, workers in collective:
            entry = employers.setdefault(
                employer or "（未写单位）",
                {"employer": employer or "（未写单位）", "cases": 0, "open": 0, "workers": 0},
            )
            entry["cases"] += count
            entry["open"] += count if status != "closed" else 0
            entry["workers"] += workers or 0
        return {
            "scope": "all" if who.supervisor else who.station_id,
            "total": sum(by_status.values()),
            "by_status": by_status,
            "by_category": [
                {"category": c, "title": topic.title if (topic := guidance_for(c)) else c, "count": n}
                for c, n in by_category
            ],
            "by_district": [{"district": d, "count": n} for d, n in districts.most_common()],
            "by_week": [{"week": w, "count": weeks.get(w, 0)} for w in week_labels],
            "collective": {
                "cases": sum(e["cases"] for e in employers.values()),
                "open": sum(e["open"] for e in employers.values()),
                "employers": sorted(employers.values(), key=lambda e: -e["cases"])[:10],
            },
            "draft_to_accepted": {
                "cases": len(hours),
                "median_hours": round(statistics.median(hours), 1) if hours else None,
            },
            "conversations": conversations,
            **after_draft,
            "early_warning": warnings,
        }

    def weekly_report(self, who: Principal) -> bytes:
        """The week's CSV report (bot/console/outcome_stats.py), within what `who` may see."""
        with self._sessions() as session:
            return weekly_report(session, None if who.supervisor else who.station_id, self._clock())
