"""A request's JSON object body, or None for anything else (bad JSON, a list, nothing)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from sanic.request import Request


def json_object(request: Request) -> Optional[Dict[str, Any]]:
    try:
        body = request.json
    except Exception:
        return None
    return body if isinstance(body, dict) else None
