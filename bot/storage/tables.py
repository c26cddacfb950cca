"""Tables of the case database. Changes go through an Alembic migration in `migrations/`."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

# Any: SQLAlchemy 1.4 ships no type information, and mypy needs a declared base to subclass.
Base: Any = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    case_no = Column(String(32), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default="draft")
    category = Column(String(32), nullable=False)
    name = Column(String(64))
    phone = Column(String(16))
    employer = Column(String(200))
    employer_key = Column(String(200), index=True)
    location = Column(String(200))
    amount = Column(Float)
    period_months = Column(Float)
    worker_count = Column(Integer)
    description = Column(Text)
    station_id = Column(String(64))
    station_name = Column(String(200))
    id_number = Column(String(18))
    sender_id = Column(String(128), index=True)
    follow_code = Column(String(16))
    consent_version = Column(String(32))
    consent_at = Column(DateTime(timezone=True))
    erased_at = Column(DateTime(timezone=True))
    tracker_erased_at = Column(DateTime(timezone=True))
    priority = Column(Integer, nullable=False, default=1)
    collective = Column(Boolean, nullable=False, default=False)
    group_id = Column(Integer, index=True)
    # After the draft (contract §6, migration 0006_outcomes): where a referral sent it, the station
    # that sent it (it keeps read access), an instalment not paid, and the worker's rating.
    referred_to = Column(String(32))
    referred_from_station = Column(String(64))
    # Every station that held the case before (JSON list, migration 0009): a chain of referrals
    # leaves each sender its read access, not only the latest.
    referral_chain = Column(Text)
    overdue = Column(Boolean, nullable=False, default=False)
    rating = Column(Integer)
    rating_comment = Column(Text)
    # The worker's last message in their chat: WeChat lets a customer-service message through
    # only within 48 hours of it (bot/followups/wechat.py).
    last_seen_at = Column(DateTime(timezone=True))
    # What a ready-to-file document needs (migration 0007; bot/cases/details.py).
    start_date = Column(Date)
    leaving_date = Column(Date)
    monthly_wage = Column(Float)
    construction = Column(Boolean)
    project_name = Column(String(200))
    general_contractor = Column(String(200))
    details = Column(Text)  # JSON: addresses, legal representative, 包工头, evidence, witnesses
    idempotency_key = Column(String(128), unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    events = relationship("CaseEvent", back_populates="case", order_by="CaseEvent.id")


class CaseEvent(Base):
    """Every status change, with who made it and why."""

    __tablename__ = "case_events"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=False, index=True)
    from_status = Column(String(16))
    to_status = Column(String(16), nullable=False)
    actor = Column(String(64), nullable=False)
    note = Column(Text)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # The party a referral sent the case to (migration 0009): the worker's timeline names each one.
    referred_to = Column(String(32))

    case = relationship("Case", back_populates="events")


class CaseCounter(Base):
    """The day's last sequence number, so case numbers never repeat."""

    __tablename__ = "case_counters"
    __table_args__ = (UniqueConstraint("day"),)

    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False)
    last = Column(Integer, nullable=False, default=0)


class Handoff(Base):
    """A worker asked for a person (or the bot failed twice): operators call back."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)
    reason = Column(String(32), nullable=False)
    phone = Column(String(16))
    transcript = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="open")
    # The kiosk's station, else the station of the conversation's case; None: supervisors only.
    station_id = Column(String(64))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    done_at = Column(DateTime(timezone=True))


class StationRow(Base):
    """A service station (bot/stations); replaced as a whole by bot/stations/importer.py."""

    __tablename__ = "stations"

    id = Column(String(64), primary_key=True)
    name = Column(String(200), nullable=False)
    kind = Column(String(32), nullable=False)
    address = Column(String(300), nullable=False)
    district_code = Column(String(12))
    latitude = Column(Float, nullable=False)
    longitude = Column(Float, nullable=False)
    phone = Column(String(16))
    hours = Column(String(200))
    services = Column(String(300))


class MaintenanceRun(Base):
    """When a scheduled job (the retention purge) last started: one web process wins each round."""

    __tablename__ = "maintenance_runs"

    job = Column(String(32), primary_key=True)
    last_run = Column(DateTime(timezone=True), nullable=False)
    holder = Column(String(64))


class Roster(Base):
    """A collective case's group (劳动争议调解仲裁法 §7): co-workers join it with its code."""

    __tablename__ = "rosters"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=False, unique=True)
    # Short enough to pass on by word of mouth, not the case number (which is sequential).
    code = Column(String(12), nullable=False, unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class RosterMember(Base):
    """One worker of a group; name and phone are personal (erased with the case, contract §5)."""

    __tablename__ = "roster_members"

    id = Column(Integer, primary_key=True)
    roster_id = Column(Integer, ForeignKey("rosters.id"), nullable=False, index=True)
    name = Column(String(64))
    phone = Column(String(16))
    amount = Column(Float)
    months = Column(Float)
    representative = Column(Boolean, nullable=False, default=False)
    consent_version = Column(String(32))
    consent_at = Column(DateTime(timezone=True))
    # The conversation the worker joined from, so erasure reaches its tracker too.
    sender_id = Column(String(128))
    added_by = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    erased_at = Column(DateTime(timezone=True))


class InstalmentRow(Base):
    """One payment an agreement promises; `paid` is what the worker answered (None: not asked yet)."""

    __tablename__ = "instalments"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=False, index=True)
    seq = Column(Integer, nullable=False)
    amount = Column(Float, nullable=False)
    due = Column(Date, nullable=False)
    paid = Column(Boolean)
    confirmed_at = Column(DateTime(timezone=True))


class Followup(Base):
    """A message to the worker at a due time (回访, a status change), sent once by the scheduler.

    `claimed_by`/`claimed_at` is the exactly-once claim (bot/followups/scheduler.py), `sent_at`
    when a channel took it, `shown_at` when the worker saw it (web chat: at their next message),
    `answer` what they said to it."""

    __tablename__ = "followups"
    __table_args__ = (UniqueConstraint("case_id", "kind", "seq"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=False, index=True)
    kind = Column(String(16), nullable=False)
    seq = Column(Integer, nullable=False, default=0)
    due = Column(DateTime(timezone=True), nullable=False, index=True)
    text = Column(Text, nullable=False)
    channel = Column(String(16))
    claimed_by = Column(String(64))
    claimed_at = Column(DateTime(timezone=True))
    sent_at = Column(DateTime(timezone=True))
    shown_at = Column(DateTime(timezone=True))
    answer = Column(Text)
    answered_at = Column(DateTime(timezone=True))
