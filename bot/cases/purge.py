"""Retention (PIPL art. 19: keep personal data no longer than the purpose needs; art. 47: delete
it when the purpose is reached) and the purge that applies it.

Defaults, each an environment variable (days):

- GONGYOU_RETAIN_CLOSED_DAYS=365: a closed case's personal data. The arbitration limitation period
  is one year and is interrupted by asking a department for help (劳动争议调解仲裁法第二十七条):
  a worker whose mediation ended may still need the station's record of when they came, so one year
  after closing, not less.
- GONGYOU_RETAIN_DRAFT_DAYS=90: a draft no station ever accepted. Three months without contact means
  the draft will not be worked; the worker can register again.
- GONGYOU_RETAIN_HANDOFF_DAYS=30: a handoff (phone number and transcript) after the call-back was
  marked done: its purpose, calling the worker, is reached.
- GONGYOU_RETAIN_AUDIT_DAYS=365: audit rows, as long as the longest personal data they account for.
- Delivered outbox rows: none; their payload is emptied on delivery (bot/cases/client.py).

Erasing keeps the case's non-personal facts (category, status, employer, amounts, station, dates)
for statistics. `python -m bot.cases.purge` runs it once by hand; the web side runs it every
GONGYOU_PURGE_EVERY_SECONDS (3600), and a "last run" row lets only one web process purge per round.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Dict, Optional

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.orm import sessionmaker

from bot import settings
from bot.storage.operators import AuditEntry, OperatorSession
from bot.storage.tables import Case, CaseEvent, Handoff, MaintenanceRun

logger = logging.getLogger(__name__)
JOB = "purge"
FINISHED = ("closed", "withdrawn")  # a case that will not move again


@dataclass(frozen=True)
class Retention:
    closed_days: int = 365
    draft_days: int = 90
    handoff_days: int = 30
    audit_days: int = 365

    @classmethod
    def from_env(cls) -> "Retention":
        return cls(
            closed_days=settings.retain_closed_days(),
            draft_days=settings.retain_draft_days(),
            handoff_days=settings.retain_handoff_days(),
            audit_days=settings.retain_audit_days(),
        )


def purge_every_seconds() -> int:
    return settings.purge_every_seconds()


def due_cases(sessions: sessionmaker, retention: Retention, now: datetime) -> list:
    """Case numbers whose personal data has outlived its purpose and is still there."""
    closed_at = (
        select(CaseEvent.case_id, func.max(CaseEvent.at).label("at"))
        .where(CaseEvent.to_status.in_(FINISHED))
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    with sessions() as session:
        closed = (
            session.execute(
                select(Case.case_no)
                .join(closed_at, closed_at.c.case_id == Case.id)
                .where(
                    Case.status.in_(FINISHED),
                    Case.erased_at.is_(None),
                    closed_at.c.at < now - timedelta(days=retention.closed_days),
                )
            )
            .scalars()
            .all()
        )
        drafts = (
            session.execute(
                select(Case.case_no).where(
                    Case.status == "draft",
                    Case.erased_at.is_(None),
                    Case.created_at < now - timedelta(days=retention.draft_days),
                )
            )
            .scalars()
            .all()
        )
        return sorted(set(closed) | set(drafts))


def purge(eraser, retention: Retention, now: Optional[datetime] = None) -> Dict[str, int]:
    """Apply the retention settings once; returns how much was removed. `eraser` is a
    bot.cases.erasure.Eraser (its clock is the service's)."""
    # Stored times are UTC (SQLite keeps no offset): compare in UTC.
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    sessions = eraser.service.sessions
    counts = {"cases": 0, "handoffs": 0, "audit": 0, "sessions": 0, "trackers": 0}
    for case_no in due_cases(sessions, retention, now):
        if eraser.erase(case_no, "retention", via="purge") is not None:
            counts["cases"] += 1
    with sessions() as session:
        counts["handoffs"] = session.execute(
            delete(Handoff).where(
                Handoff.status == "done", Handoff.done_at < now - timedelta(days=retention.handoff_days)
            )
        ).rowcount
        counts["audit"] = session.execute(
            delete(AuditEntry).where(AuditEntry.at < now - timedelta(days=retention.audit_days))
        ).rowcount
        counts["sessions"] = session.execute(delete(OperatorSession).where(OperatorSession.expires_at < now)).rowcount
        session.commit()
        pending = session.execute(
            select(Case.case_no, Case.sender_id).where(
                Case.erased_at.is_not(None), Case.tracker_erased_at.is_(None), Case.sender_id.is_not(None)
            )
        ).all()
    # Trackers Rasa could not erase at the time (down, or a store that keeps events): again.
    for case_no, sender_id in pending:
        if eraser.forget_conversation(case_no, sender_id):
            counts["trackers"] += 1
    if any(counts.values()):
        eraser.audit.record("retention", "purge", None, {**counts, "retention": asdict(retention)})
    return counts


def claim(sessions: sessionmaker, now: datetime, every_seconds: int, holder: str = "") -> bool:
    """Take this round of the purge: true for exactly one process per `every_seconds`.

    One conditional UPDATE on the "last run" row; both SQLite and PostgreSQL apply it atomically,
    so two web processes that wake at once cannot both win.
    """
    with sessions() as session:
        won = session.execute(
            update(MaintenanceRun)
            .where(
                and_(
                    MaintenanceRun.job == JOB,
                    MaintenanceRun.last_run <= now - timedelta(seconds=every_seconds),
                )
            )
            .values(last_run=now, holder=(holder or socket.gethostname())[:64])
        ).rowcount
        if not won and session.get(MaintenanceRun, JOB) is None:
            session.add(MaintenanceRun(job=JOB, last_run=now, holder=holder[:64] or None))
            won = 1
        session.commit()
        return bool(won)


def run_if_due(
    eraser, retention: Retention, now: Optional[datetime] = None, every_seconds: Optional[int] = None, holder: str = ""
) -> Optional[Dict[str, int]]:
    """The scheduled round: purge when this process wins the claim, else None."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    if not claim(eraser.service.sessions, now, every_seconds or purge_every_seconds(), holder):
        return None
    return purge(eraser, retention, now)


def schedule(loop_sleep: Callable, run_blocking: Callable, eraser, retention: Retention):
    """The web side's coroutine: every few minutes, try to claim and run a round."""

    async def forever() -> None:
        while True:
            try:
                counts = await run_blocking(run_if_due, eraser, retention)
                if counts:
                    logger.info("retention purge: %s", json.dumps(counts))
            except Exception:  # a failed round must not end the schedule
                logger.exception("retention purge failed")
            await loop_sleep(min(300, purge_every_seconds()))

    return forever()


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description="Apply GongYou's retention settings once.")
    parser.add_argument("--now", help="ISO 8601 moment to purge as of (default: now)")
    args = parser.parse_args(argv)
    from bot.cases.erasure import Eraser
    from bot.cases.service import CaseService
    from bot.storage.engine import make_engine, session_factory, upgrade

    engine = make_engine()
    upgrade(engine)
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    counts = purge(Eraser.local(CaseService(session_factory(engine))), Retention.from_env(), now)
    print(json.dumps(counts, ensure_ascii=False))


if __name__ == "__main__":
    main()
