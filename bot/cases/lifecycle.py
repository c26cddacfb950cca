"""What a draft case must hold, and how a case moves from draft to closed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional

from bot.topics import TOPICS
from bot.text.chinese_numbers import normalise_phone

STATUSES = ("draft", "accepted", "mediating", "closed")
TRANSITIONS = {
    "draft": {"accepted", "closed"},
    "accepted": {"mediating", "closed"},
    "mediating": {"closed"},
    "closed": set(),
}
# What a worker reads about each status depends on the case's category: bot/cases/wording.py.

DESCRIPTION_LIMIT = 1000
AMOUNT_CEILING = 100_000_000  # a figure above this is a typo, not a wage claim
WORKER_CEILING = 100_000
COLLECTIVE_LINKED = 3
LINK_WINDOW_DAYS = 30
PRIORITY_NORMAL, PRIORITY_COLLECTIVE = 1, 2


class InvalidCase(ValueError):
    """A field a draft cannot be opened with; `message` is shown to the user as it is."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Draft:
    category: str
    name: Optional[str] = None
    phone: Optional[str] = None
    employer: Optional[str] = None
    location: Optional[str] = None
    amount: Optional[float] = None
    period_months: Optional[float] = None
    worker_count: Optional[int] = None
    description: Optional[str] = None
    station_id: Optional[str] = None
    station_name: Optional[str] = None
    sender_id: Optional[str] = None


def _text(value: Any, limit: int) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return text[:limit] or None


def _number(field: str, value: Any, ceiling: float, label: str) -> Optional[float]:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidCase(field, f"{label}应该是一个数字。")
    if number != number or number < 0:
        raise InvalidCase(field, f"{label}不能是负数。")
    if number > ceiling:
        raise InvalidCase(field, f"{label}太大了，请再核对一下。")
    return number


def validate_draft(data: Dict[str, Any]) -> Draft:
    """A Draft from untrusted input; text is kept verbatim (never interpreted), only bounded."""
    category = data.get("category")
    if category not in TOPICS:
        raise InvalidCase("category", "请先说说遇到的是什么问题。")
    phone = data.get("phone")
    if phone not in (None, ""):
        phone = normalise_phone(str(phone))
        if phone is None:
            raise InvalidCase("phone", "电话号码不对：手机号是11位数字，座机要带区号。")
    count = _number("worker_count", data.get("worker_count"), WORKER_CEILING, "人数")
    return Draft(
        category=category,
        name=_text(data.get("name"), 64),
        phone=phone or None,
        employer=_text(data.get("employer"), 200),
        location=_text(data.get("location"), 200),
        amount=_number("amount", data.get("amount"), AMOUNT_CEILING, "金额"),
        period_months=_number("period_months", data.get("period_months"), 600, "时长"),
        worker_count=int(count) if count is not None else None,
        description=_text(data.get("description"), DESCRIPTION_LIMIT),
        station_id=_text(data.get("station_id"), 64),
        station_name=_text(data.get("station_name"), 200),
        sender_id=_text(data.get("sender_id"), 128),
    )


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())
