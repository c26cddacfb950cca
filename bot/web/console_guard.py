"""Who is calling a console route: a session cookie (browsers) or a bearer token (scripts).

- no credentials, an unknown or expired session, a wrong token → 401
- the bot's service token, or a station operator on a supervisor's route → 403
- a cookie-authenticated request that changes something without the session's CSRF header → 403
The operator token of contract §4 acts as a supervisor, so scripts and the first account work.
Routes declare what they need with `@guard.route(...)` and get the caller as an argument.
"""

from __future__ import annotations

import functools
import hmac
from typing import Any, Callable, Coroutine, Optional, Tuple

from sanic import response
from sanic.request import Request

from bot import settings
from bot.cases.numbers import within_length
from bot.console.accounts import Principal
from bot.console.sessions import COOKIE, LIFETIME, Sessions
from bot.storage.operators import SUPERVISOR
from bot.web.auth import OPERATOR, role_of
from bot.web.blocking import run
from bot.web.replies import BAD_BODY, BAD_CASE_NO, refusal
from bot.web.request_body import json_object

CSRF_HEADER = "x-csrf-token"
TOKEN_PRINCIPAL = Principal("operator-token", "接口令牌", SUPERVISOR)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

Handler = Callable[..., Coroutine[Any, Any, response.HTTPResponse]]


class Guard:
    def __init__(
        self,
        sessions: Sessions,
        tokens: dict,
        case_refusal: Optional[Callable[[Principal, str, bool], Optional[Tuple[int, str]]]] = None,
    ) -> None:
        """`case_refusal(principal, case_no, write)`: (status, message) when that caller may not open
        (or, with write, change) the case."""
        self._sessions = sessions
        self._tokens = tokens
        self._case_refusal = case_refusal

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

    def require(
        self, request: Request, supervisor: bool = False
    ) -> Tuple[Optional[Principal], Optional[response.HTTPResponse]]:
        principal, _, refused = self.identify(request)
        if refused or principal is None:
            return None, refused
        if supervisor and not principal.supervisor:
            return None, refusal(403, "forbidden")
        return principal, None

    def route(
        self, supervisor: bool = False, body: bool = False, case: bool = False, write: bool = False
    ) -> Callable[[Handler], Handler]:
        """The handler runs as `handler(request, principal, **path)` only for a caller who passes:
        signed in (and a supervisor, if asked), with a JSON object body passed as `body=` (if asked),
        and allowed to open the case in the path's `case_no` (if asked), and to change it (`write`)."""
        case_refusal = self._case_refusal
        if case and case_refusal is None:
            raise ValueError("this guard was made without a case check")

        def wrap(handler: Handler) -> Handler:
            @functools.wraps(handler)
            async def guarded(request: Request, **path: Any) -> response.HTTPResponse:
                principal, refused = await run(self.require, request, supervisor)
                if refused:
                    return refused
                if case and case_refusal is not None:
                    if not within_length(path["case_no"]):
                        return refusal(400, BAD_CASE_NO)
                    problem = await run(case_refusal, principal, path["case_no"], write)
                    if problem:
                        return refusal(*problem)
                if body:
                    path["body"] = json_object(request)
                    if path["body"] is None:
                        return refusal(400, BAD_BODY)
                return await handler(request, principal, **path)

            return guarded

        return wrap


def start_session_cookie(reply: response.HTTPResponse, token: str, request: Request) -> response.HTTPResponse:
    """The session's cookie: never readable by scripts, never sent cross-site, HTTPS-only when served so
    (or told so by GONGYOU_COOKIE_SECURE=1, behind a proxy that ends TLS)."""
    reply.cookies[COOKIE] = token
    cookie = reply.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = int(LIFETIME.total_seconds())
    if request.scheme == "https" or settings.cookie_secure():
        cookie["secure"] = True
    return reply


def end_session_cookie(reply: response.HTTPResponse) -> response.HTTPResponse:
    del reply.cookies[COOKIE]
    return reply
