"""Sending due follow-ups exactly once, however many web processes run the schedule.

A round claims due rows with a conditional UPDATE (`claimed_by` still empty, or a claim older
than LEASE whose holder died), which both SQLite and PostgreSQL apply atomically; on PostgreSQL
the candidates are read `FOR UPDATE SKIP LOCKED` first, so two replicas take different rows
instead of queueing behind each other. Only the holder of a claim sends the row and stamps
`sent_at`; a failed send gives the claim back for the next round. Everything lives in the
database, so a restart loses nothing: the next round finds what is still unsent.

A process that dies between sending and stamping leaves a claim that expires after LEASE and is
sent again: for WeChat and SMS that is at-least-once in that one window (the web chat's inbox is
written in the stamping transaction itself, exactly once).

APScheduler drives the rounds in the web side (`start`); `POST /api/followups/run` runs one on demand.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable, Collection, List, Optional, Set

from sqlalchemy import and_, or_, select, true, update
from sqlalchemy.orm import sessionmaker

from bot import settings
from bot.followups.channels import WECHAT, Channels, Recipient
from bot.followups.planning import AFTER_CLOSE
from bot.storage.tables import Case, Followup

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
# Claimed a few at a time, so replicas share a large round and a claim covers little at once.
BATCH = 20


def holder_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _claimable(now: datetime, stale: datetime):
    return and_(
        Followup.sent_at.is_(None),
        Followup.due <= now,
        or_(Followup.claimed_by.is_(None), Followup.claimed_at < stale),
    )


def claim(
    sessions: sessionmaker,
    now: datetime,
    holder: str,
    clock: Callable[[], datetime],
    skip: Collection[int] = (),
    batch: int = BATCH,
) -> List[int]:
    """The ids this holder won (at most `batch`, none of `skip`): due, unsent, not claimed by a live holder."""
    real_now = utc(clock())
    stale = real_now - LEASE
    won: List[int] = []
    with sessions() as session:
        candidates = (
            session.execute(
                select(Followup.id)
                .where(_claimable(now, stale), Followup.id.notin_(list(skip)) if skip else true())
                .order_by(Followup.due, Followup.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
            .scalars()
            .all()
        )
        for followup_id in candidates:
            taken = session.execute(
                update(Followup)
                .where(Followup.id == followup_id, _claimable(now, stale))
                .values(claimed_by=holder, claimed_at=real_now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken:
                won.append(followup_id)
        session.commit()
    return won


def run_due(
    sessions: sessionmaker,
    channels: Channels,
    now: Optional[datetime] = None,
    holder: Optional[str] = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> int:
    """Send every follow-up due by `now` that nobody sent yet; returns how many this call sent."""
    now = utc(now or clock())
    holder = holder or holder_name()
    sent = 0
    tried: Set[int] = set()  # a row that failed is left for the next round, not retried in a loop
    while True:
        claimed = claim(sessions, now, holder, clock, tried)
        if not claimed:
            return sent
        for followup_id in claimed:
            tried.add(followup_id)
            try:
                sent += _send_one(sessions, channels, followup_id, now, holder)
            except Exception:  # one row's failure must not stop the round
                logger.exception("follow-up %s could not be sent", followup_id)
                _release(sessions, followup_id, holder)


def _send_one(sessions: sessionmaker, channels: Channels, followup_id: int, now: datetime, holder: str) -> int:
    with sessions() as session:
        followup = session.get(Followup, followup_id)
        case = session.get(Case, followup.case_id) if followup else None
        if followup is None or case is None:
            return 0
        to = Recipient(case.sender_id, case.phone, case.last_seen_at)
        skip = case.erased_at is not None or (followup.kind == AFTER_CLOSE and case.rating is not None)
        text = followup.text
    if skip:  # erased, or already rated: nothing to ask, never sent
        _stamp(sessions, followup_id, holder, now, "none")
        return 0
    channel = channels.pick(to)
    if not channel.send(to, text):
        _release(sessions, followup_id, holder)
        return 0
    return _stamp(sessions, followup_id, holder, now, channel.name)


def _stamp(sessions: sessionmaker, followup_id: int, holder: str, now: datetime, channel: str) -> int:
    with sessions() as session:
        done = session.execute(
            update(Followup)
            .where(Followup.id == followup_id, Followup.claimed_by == holder, Followup.sent_at.is_(None))
            # WeChat delivers at once: the worker's next WeChat message may answer it.
            .values(sent_at=now, channel=channel, shown_at=now if channel == WECHAT else None)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
    if not done:
        logger.error("follow-up %s was sent but its claim was lost", followup_id)
    return 1 if done and channel != "none" else 0


def _release(sessions: sessionmaker, followup_id: int, holder: str) -> None:
    with sessions() as session:
        session.execute(
            update(Followup)
            .where(Followup.id == followup_id, Followup.claimed_by == holder, Followup.sent_at.is_(None))
            .values(claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()


def start(sessions: sessionmaker, channels: Channels, every_seconds: Optional[int] = None):
    """The web side's schedule: a round every GONGYOU_FOLLOWUP_EVERY_SECONDS in a background
    thread (APScheduler; one round at a time per process, late rounds coalesced). None when off."""
    every = settings.followup_every_seconds() if every_seconds is None else every_seconds
    if every <= 0:
        return None
    from apscheduler.schedulers.background import BackgroundScheduler

    holder = holder_name()

    def round_() -> None:
        try:
            sent = run_due(sessions, channels, holder=holder)
            if sent:
                logger.info("follow-ups sent: %d", sent)
        except Exception:
            logger.exception("follow-up round failed")

    scheduler = BackgroundScheduler(timezone=timezone.utc)
    scheduler.add_job(
        round_, "interval", seconds=every, max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc)
    )
    scheduler.start()
    return scheduler


def main(argv: Optional[List[str]] = None) -> None:
    """`python -m bot.followups.scheduler [--now ISO]`: one round, as `POST /api/followups/run`."""
    import argparse
    import json

    from bot.storage.engine import make_engine, session_factory, upgrade

    parser = argparse.ArgumentParser(description="Send the follow-ups due by a moment, once.")
    parser.add_argument("--now", help="ISO 8601 moment (default: now)")
    args = parser.parse_args(argv)
    engine = make_engine()
    upgrade(engine)
    now = datetime.fromisoformat(args.now) if args.now else None
    print(json.dumps({"sent": run_due(session_factory(engine), Channels(), now)}))


if __name__ == "__main__":
    main()
