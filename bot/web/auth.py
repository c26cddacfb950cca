"""Bearer tokens: the operator token (contract §4) and the bot's own service token."""
from __future__ import annotations

import hmac
import os
from typing import Optional

OPERATOR, SERVICE = "operator", "service"


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
    presented = authorization[len("Bearer "):].strip()
    for role, token in tokens.items():
        if presented and hmac.compare_digest(presented.encode(), token.encode()):
            return role
    return None
