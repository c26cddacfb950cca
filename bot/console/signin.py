"""Signing an operator in: the throttle, the password, the audit row and the new session together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from bot.console.accounts import Accounts, Principal, login_name
from bot.console.audit import Audit
from bot.console.ratelimit import LoginThrottle
from bot.console.sessions import Sessions


@dataclass(frozen=True)
class Attempt:
    """A sign-in's outcome: `principal` and the session's tokens, or `retry_after` seconds, or neither (wrong)."""

    principal: Optional[Principal] = None
    token: str = ""
    csrf: str = ""
    retry_after: Optional[int] = None


class SignIn:
    def __init__(
        self, accounts: Accounts, sessions: Sessions, audit: Audit, throttle: Optional[LoginThrottle] = None
    ) -> None:
        self._accounts, self._sessions, self._audit = accounts, sessions, audit
        self._throttle = throttle or LoginThrottle()

    def attempt(self, username: str, password: str, address: str) -> Attempt:
        # The throttle counts the name `verify` looks up: " boss" and "boss" are one account.
        username = login_name(username)
        wait = self._throttle.retry_after(username, address)
        if wait:
            return Attempt(retry_after=wait)
        principal = self._accounts.verify(username, password)
        if principal is None:
            self._throttle.failed(username, address)
            self._audit.record(username or "?", "login.failed", None, {"ip": address})
            return Attempt()
        self._throttle.succeeded(username)
        token, csrf = self._sessions.start(principal)
        self._audit.record(principal.username, "login", None, {"ip": address})
        return Attempt(principal, token, csrf)
