"""Server-side console sessions: a random token in an HttpOnly cookie, its SHA-256 in the database.

A session ends after IDLE of inactivity or LIFETIME in all, whichever comes first, and at logout.
Each session has its own CSRF token, which cookie-authenticated POSTs must echo in a header.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker

from bot import settings
from bot.console.accounts import Principal, principal_of
from bot.storage.operators import Operator, OperatorSession

COOKIE = "gy_console"
IDLE = settings.console_idle()
LIFETIME = settings.console_lifetime()
# Sliding the idle deadline on every poll would write every few seconds; once a minute is enough.
SLIDE_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; everything here is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Signed:
    principal: Principal
    csrf_token: str


class Sessions:
    def __init__(self, sessions: sessionmaker, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self._sessions = sessions
        self._clock = clock

    def start(self, principal: Principal) -> tuple[str, str]:
        """(cookie token, CSRF token) for a freshly signed-in operator."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = self._clock()
        with self._sessions() as session:
            # Old, expired sessions go when someone signs in: no separate cleaner to run.
            session.execute(delete(OperatorSession).where(OperatorSession.expires_at < now))
            session.add(
                OperatorSession(
                    token_hash=_hash(token),
                    operator_id=principal.operator_id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=min(now + IDLE, now + LIFETIME),
                )
            )
            session.commit()
        return token, csrf

    def resolve(self, token: Optional[str]) -> Optional[Signed]:
        if not token:
            return None
        now = self._clock()
        with self._sessions() as session:
            row = session.get(OperatorSession, _hash(token))
            if row is None:
                return None
            if _aware(row.expires_at) <= now:
                session.delete(row)
                session.commit()
                return None
            operator = session.get(Operator, row.operator_id)
            if operator is None or not operator.active:
                return None
            slid = min(now + IDLE, _aware(row.created_at) + LIFETIME)
            if slid - _aware(row.expires_at) >= SLIDE_EVERY:
                row.expires_at = slid
                session.commit()
            return Signed(principal_of(operator), row.csrf_token)

    def end(self, token: Optional[str]) -> None:
        if not token:
            return
        with self._sessions() as session:
            session.execute(delete(OperatorSession).where(OperatorSession.token_hash == _hash(token)))
            session.commit()
