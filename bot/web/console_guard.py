"""Who is calling a console route: a session cookie (browsers) or a bearer token (scripts).

- no credentials, an unknown or expired session, a wrong token → 401
- the bot's service token, or a station operator on a supervisor's route → 403
- a cookie-authenticated request that changes something without the session's CSRF header → 403
The operator token of contract §4 acts as a supervisor, so scripts and the first account work.
"""
from __future__ import annotations

import hmac
from typing import Optional, Tuple

from sanic import response
from sanic.request import Request

from bot.console.accounts import Principal
from bot.storage.operators import SUPERVISOR
from bot.console.sessions import COOKIE, Sessions
from bot.web.auth import OPERATOR, role_of

CSRF_HEADER = "x-csrf-token"
TOKEN_PRINCIPAL = Principal("operator-token", "接口令牌", SUPERVISOR)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def refusal(status: int, message: str) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


class Guard:
    def __init__(self, sessions: Sessions, tokens: dict) -> None:
        self._sessions = sessions
        self._tokens = tokens

    def identify(self, request: Request) -> Tuple[Optional[Principal], Optional[str], Optional[response.HTTPResponse]]:
        """(principal, its CSRF token or None for bearer callers, None) or (None, None, refusal)."""
        authorization = request.headers.get("authorization")
        if authorization:
            role = role_of(authorization, self._tokens)
            if role is None:
                return None, None, refusal(401, "unauthorized")
            if role != OPERATOR:
                return None, None, refusal(403, "forbidden")
            return TOKEN_PRINCIPAL, None, None
        signed = self._sessions.resolve(request.cookies.get(COOKIE))
        if signed is None:
            return None, None, refusal(401, "unauthorized")
        if request.method not in SAFE_METHODS:
            presented = request.headers.get(CSRF_HEADER) or ""
            if not hmac.compare_digest(presented.encode(), signed.csrf_token.encode()):
                return None, None, refusal(403, "csrf")
        return signed.principal, signed.csrf_token, None

    def require(self, request: Request, supervisor: bool = False
                ) -> Tuple[Optional[Principal], Optional[response.HTTPResponse]]:
        principal, _, refused = self.identify(request)
        if refused:
            return None, refused
        if supervisor and not principal.supervisor:
            return None, refusal(403, "forbidden")
        return principal, None
