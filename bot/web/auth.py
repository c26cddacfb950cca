"""Bearer tokens: the operator token (contract §4) and the bot's own service token; and the
start-up check every shared secret of a deployment must pass."""

from __future__ import annotations

import functools
import hmac
import os
import re
from typing import Any, Callable, Coroutine, Dict, List, Mapping, Optional

from sanic import response
from sanic.request import Request

from bot.cases.numbers import within_length
from bot.web.replies import BAD_BODY, BAD_CASE_NO, refusal
from bot.web.request_body import json_object

OPERATOR, SERVICE = "operator", "service"
Handler = Callable[..., Coroutine[Any, Any, response.HTTPResponse]]

# Every shared secret of a deployment. Each one opens something different, so none may equal another.
SECRET_VARIABLES = ("GONGYOU_OPERATOR_TOKEN", "GONGYOU_SERVICE_TOKEN", "RASA_AUTH_TOKEN", "GONGYOU_ACTION_SECRET")
MIN_TOKEN_CHARS = 16
MIN_DISTINCT_CHARS = 6
# Words that mark a value copied from an example rather than made up (compared without case or
# punctuation): `change-me`, `CHANGE_ME`, `replace-me-please`, `<your-token-here>`…
PLACEHOLDER_WORDS = (
    "changeme",
    "replaceme",
    "placeholder",
    "example",
    "yourtoken",
    "yoursecret",
    "tokenhere",
    "secrethere",
    "password",
    "xxxxxx",
    "123456",
    "qwerty",
)


def tokens_from_env() -> dict:
    tokens = {}
    for role, var in ((OPERATOR, "GONGYOU_OPERATOR_TOKEN"), (SERVICE, "GONGYOU_SERVICE_TOKEN")):
        value = os.environ.get(var, "").strip()
        if value:
            tokens[role] = value
    return tokens


def role_of(authorization: Optional[str], tokens: dict) -> Optional[str]:
    """The role a request's `Authorization: Bearer …` header grants, or None."""
    if not authorization or not authorization.startswith("Bearer "):
        return None
    presented = authorization[len("Bearer ") :].strip()
    for role, token in tokens.items():
        if presented and hmac.compare_digest(presented.encode(), token.encode()):
            return role
    return None


def weak_secrets(env: Mapping[str, str]) -> List[str]:
    """Why the secrets set in `env` are unfit (empty: all fit). Unset ones are not judged here.

    The rule, applied everywhere (make run, tests, production): at least 16 characters, at least
    6 different ones, no placeholder word, and no two secrets alike — the operator token must not
    also be the bot's token, nor open Rasa's API.
    """
    problems: List[str] = []
    seen: Dict[str, str] = {}
    for var in SECRET_VARIABLES:
        value = (env.get(var) or "").strip()
        if not value:
            continue
        plain = re.sub(r"[^0-9a-z]", "", value.lower())
        if len(value) < MIN_TOKEN_CHARS:
            problems.append(f"{var} is shorter than {MIN_TOKEN_CHARS} characters")
        elif len(set(value)) < MIN_DISTINCT_CHARS:
            problems.append(f"{var} repeats too few characters to be hard to guess")
        elif any(word in plain for word in PLACEHOLDER_WORDS):
            problems.append(f"{var} is a placeholder, not a secret")
        if value in seen:
            problems.append(f"{var} equals {seen[value]}: every secret must be different")
        seen.setdefault(value, var)
    return problems


def refuse_weak_secrets(env: Optional[Mapping[str, str]] = None, require: tuple = ()) -> None:
    """Stop the process before it serves anything when a secret is weak or a required one missing."""
    env = os.environ if env is None else env
    problems = [f"{var} is not set" for var in require if not (env.get(var) or "").strip()]
    problems += weak_secrets(env)
    if problems:
        raise SystemExit(
            "GongYou will not start with these secrets:\n  - "
            + "\n  - ".join(problems)
            + "\nMake one up with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )


def bearer(tokens: dict, *roles: str, body: bool = False) -> Callable[[Handler], Handler]:
    """The handler runs only for a token of one of `roles` (else 401/403), with a
    `case_no` in the path (else 400) and, if asked, a JSON object body passed as `body=` (else 400)."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request, **path: Any) -> response.HTTPResponse:
            role = role_of(request.headers.get("authorization"), tokens)
            if role is None:
                return refusal(401, "unauthorized")
            if role not in roles:
                return refusal(403, "forbidden")
            if "case_no" in path and not within_length(path["case_no"]):
                return refusal(400, BAD_CASE_NO)
            if body:
                path["body"] = json_object(request)
                if path["body"] is None:
                    return refusal(400, BAD_BODY)
            return await handler(request, **path)

        return guarded

    return wrap
