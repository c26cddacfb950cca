"""The console's tables (migration 0003_console): operators, their sessions, the audit log."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text

from bot.storage.tables import Base, utcnow

SUPERVISOR, STATION = "supervisor", "station"
ROLES = (SUPERVISOR, STATION)


class Operator(Base):
    __tablename__ = "operators"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(64), nullable=False)
    password_hash = Column(String(256), nullable=False)
    role = Column(String(16), nullable=False)
    station_id = Column(String(64))
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class OperatorSession(Base):
    """A signed-in browser. Only a hash of the cookie's token is stored: a leaked table opens nothing."""

    __tablename__ = "operator_sessions"

    token_hash = Column(String(64), primary_key=True)
    operator_id = Column(Integer, ForeignKey("operators.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class AuditEntry(Base):
    """Who did what and when: status changes, unmasked views and exports, sign-ins, accounts."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    case_no = Column(String(32), index=True)
    detail = Column(Text)
