"""The dashboard's figures after the draft (issue 16) and its early warning, from the case database:

- mediation success rate: of the mediations that ended, the share that ended in an agreement;
- median days from registration to the first outcome (agreement, failure, withdrawal, closure);
- the share of instalments paid on time, of those due and answered;
- satisfaction: the workers' 1-5 ratings;
- the early warning (the seeds' 预判 / 形势分析研判): one employer, district or industry with at
  least GONGYOU_WARN_CASES new cases within GONGYOU_WARN_DAYS days (bot/settings.py).

Plain queries for the rows, arithmetic in Python (SQLite and PostgreSQL spell dates differently).
`scope` limits everything to one station (None: all), as the dashboard does for station operators.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import settings
from bot.cases.follow_view import STATUS_TITLES
from bot.console.industry import industry_of
from bot.storage.tables import Case, CaseEvent, InstalmentRow, StationRow

OUTCOMES = ("agreement", "mediation_failed", "withdrawn", "closed")
# An instalment counts as paid on time when it was confirmed within a week of its due date: the
# return visit asks on the due day, and a worker may answer a few days later.
ON_TIME_GRACE = timedelta(days=7)
CHINA = timezone(timedelta(hours=8))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _scoped(query, scope: Optional[str]):
    return query if scope is None else query.where(Case.station_id == scope)


def _share(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 3) if whole else None


def outcome_figures(session: Session, scope: Optional[str], now: datetime) -> Dict[str, Any]:
    events = session.execute(
        _scoped(
            select(Case.id, Case.created_at, CaseEvent.from_status, CaseEvent.to_status, CaseEvent.at)
            .join(CaseEvent, CaseEvent.case_id == Case.id)
            .order_by(CaseEvent.id),
            scope,
        )
    ).all()
    agreed = failed = 0
    first_outcome: Dict[int, float] = {}
    for case_id, created, before, after, at in events:
        if before == "mediating" and after == "agreement":
            agreed += 1
        elif before == "mediating" and after == "mediation_failed":
            failed += 1
        if after in OUTCOMES and before != after and case_id not in first_outcome:
            first_outcome[case_id] = (_aware(at) - _aware(created)).total_seconds() / 86400
    instalments = session.execute(
        _scoped(
            select(InstalmentRow.due, InstalmentRow.paid, InstalmentRow.confirmed_at).join(
                Case, Case.id == InstalmentRow.case_id
            ),
            scope,
        )
    ).all()
    today = _aware(now).astimezone(CHINA).date()
    due = [(d, paid, at) for d, paid, at in instalments if d <= today and paid is not None]
    on_time = sum(
        1 for d, paid, at in due if paid and at is not None and _aware(at).astimezone(CHINA).date() <= d + ON_TIME_GRACE
    )
    ratings = [r for (r,) in session.execute(_scoped(select(Case.rating).where(Case.rating.is_not(None)), scope))]
    days = sorted(first_outcome.values())
    return {
        "mediation": {"agreements": agreed, "failures": failed, "success_rate": _share(agreed, agreed + failed)},
        "days_to_outcome": {"cases": len(days), "median_days": round(statistics.median(days), 1) if days else None},
        "instalments": {
            "due_and_answered": len(due),
            "paid_on_time": on_time,
            "on_time_share": _share(on_time, len(due)),
            "unpaid": sum(1 for _, paid, _ in due if paid is False),
        },
        "satisfaction": {
            "ratings": len(ratings),
            "mean": round(statistics.mean(ratings), 2) if ratings else None,
            "by_score": {str(s): sum(1 for r in ratings if r == s) for s in range(1, 6)},
        },
    }


def _recent(session: Session, scope: Optional[str], since: datetime, until: datetime) -> List[Dict[str, Any]]:
    from bot.console.stats import district_name

    rows = session.execute(
        _scoped(
            select(Case, StationRow.district_code)
            .outerjoin(StationRow, StationRow.id == Case.station_id)
            .where(Case.created_at >= since, Case.created_at <= until)
            .order_by(Case.id),
            scope,
        )
    ).all()
    return [
        {
            "case": case,
            "employer": (case.employer_key and case.employer) or None,
            "employer_key": case.employer_key,
            "district": district_name(code) or case.station_name,
            "industry": industry_of(case.employer, case.description),
        }
        for case, code in rows
    ]


def early_warnings(
    session: Session,
    scope: Optional[str],
    now: datetime,
    threshold: Optional[int] = None,
    days: Optional[int] = None,
) -> Dict[str, Any]:
    """Groups (employer, district, industry) with at least `threshold` cases created in the last `days`."""
    threshold = threshold or settings.warning_threshold()
    days = days or settings.warning_days()
    recent = _recent(session, scope, _aware(now) - timedelta(days=days), _aware(now))
    found: List[Dict[str, Any]] = []
    for dimension, key, label in (
        ("employer", "employer_key", "employer"),
        ("district", "district", "district"),
        ("industry", "industry", "industry"),
    ):
        groups: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
        for item in recent:
            if item[key]:
                groups[item[key]].append(item)
        for members in groups.values():
            if len(members) < threshold:
                continue
            if dimension == "industry" and members[0]["industry"] == industry_of(None):
                continue  # "unknown" is not an industry to warn about
            found.append(
                {
                    "dimension": dimension,
                    "name": members[-1][label] or members[-1]["case"].employer,
                    "cases": len(members),
                    "workers": sum(m["case"].worker_count or 1 for m in members),
                    "amount": round(sum(m["case"].amount or 0 for m in members), 2),
                    "first": _aware(members[0]["case"].created_at).isoformat(),
                }
            )
    found.sort(key=lambda w: -w["cases"])
    return {"threshold": threshold, "days": days, "warnings": found}


def weekly_report(session: Session, scope: Optional[str], now: datetime) -> bytes:
    """The week's report as CSV (UTF-8 with BOM, for Excel): the figures, the warnings, and the
    week's new cases without personal data (no name, phone, ID number, address or description)."""
    since = _aware(now) - timedelta(days=7)
    figures = outcome_figures(session, scope, now)
    warnings = early_warnings(session, scope, now)
    out = io.StringIO()
    write = csv.writer(out).writerow
    write(["工友周报", f"{since.astimezone(CHINA):%Y-%m-%d} 至 {_aware(now).astimezone(CHINA):%Y-%m-%d}"])
    write([])
    write(["指标", "数值"])
    mediation, inst, sat = figures["mediation"], figures["instalments"], figures["satisfaction"]
    write(["调解成功率", _percent(mediation["success_rate"])])
    write(["调解达成协议（件）", mediation["agreements"]])
    write(["调解未成功（件）", mediation["failures"]])
    write(["登记到办理结果（中位数，天）", figures["days_to_outcome"]["median_days"] or "—"])
    write(["分期按时到账比例", _percent(inst["on_time_share"])])
    write(["满意度（平均分）", sat["mean"] or "—"])
    write(["满意度（评价数）", sat["ratings"]])
    write([])
    write([f"预警（{warnings['days']}天内同一单位/区县/行业达到{warnings['threshold']}件）"])
    write(["维度", "名称", "案件", "涉及人数", "金额（元）"])
    names = {"employer": "用人单位", "district": "区县", "industry": "行业"}
    for w in warnings["warnings"]:
        write([names[w["dimension"]], w["name"], w["cases"], w["workers"], w["amount"]])
    write([])
    write(["本周新登记案件（不含个人信息）"])
    write(["案件编号", "类别", "状态", "用人单位", "行业", "区县/服务站", "人数", "金额（元）", "登记时间"])
    for item in _recent(session, scope, since, _aware(now)):
        case = item["case"]
        write(
            [
                case.case_no,
                case.category,
                STATUS_TITLES.get(case.status, case.status),
                case.employer or "",
                item["industry"],
                item["district"] or "",
                case.worker_count or "",
                case.amount or "",
                _aware(case.created_at).astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _percent(share: Optional[float]) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"
