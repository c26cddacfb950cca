"""What a draft case must hold, and how a case moves from draft to closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Optional

from bot.text.chinese_numbers import normalise_phone
from bot.topics import TOPICS

STATUSES = ("draft", "accepted", "mediating", "closed")
TRANSITIONS = {
    "draft": {"accepted", "closed"},
    "accepted": {"mediating", "closed"},
    "mediating": {"closed"},
    "closed": set(),
}
# What a worker reads about each status depends on the case's category: bot/cases/wording.py.
# The case service moves cases by bot/cases/outcomes.py (contract §6: agreement, referral, …);
# these four steps remain the console's status picker until its outcome forms come.

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
    id_number: Optional[str] = None
    consent_version: Optional[str] = None
    consent_at: Optional[datetime] = None


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
        raise InvalidCase(field, f"{label}应该是一个数字。") from None
    if number != number or number < 0:
        raise InvalidCase(field, f"{label}不能是负数。")
    if number > ceiling:
        raise InvalidCase(field, f"{label}太大了，请再核对一下。")
    return number


# Fields that identify the worker: a draft carrying any of them needs the worker's agreement
# (contract §5; PIPL art. 14, 17). Description and place are personal too, but an anonymous
# draft ("a shoe factory in Yuzhong owes 16 of us") is a report the station may act on.
NO_CONSENT = (
    "登记姓名、电话等个人信息之前，需要您先看过《个人信息告知》并同意。请重新点“登记求助”，看完说明后选“同意”。"
)


def _consent(value: Any) -> tuple:
    """(version, at) from the draft's `consent: {"version", "at"}`, or (None, None) when absent or malformed."""
    if not isinstance(value, dict):
        return None, None
    version = _text(value.get("version"), 32)
    at = value.get("at")
    if not version or not isinstance(at, str):
        return None, None
    try:
        moment = datetime.fromisoformat(at.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, None
    return version, (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


def _id_number(value: Any) -> Optional[str]:
    """18 characters whose last is the GB 11643 check digit of the others."""
    if value in (None, ""):
        return None
    from bot.cases.id_number import check

    number, problem = check(value)
    if problem:
        raise InvalidCase("id_number", problem)
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
    id_number = _id_number(data.get("id_number"))
    name = _text(data.get("name"), 64)
    consent_version, consent_at = _consent(data.get("consent"))
    if (name or phone or id_number) and consent_version is None:
        raise InvalidCase("consent", NO_CONSENT)
    return Draft(
        category=category,
        name=name,
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
        id_number=id_number,
        consent_version=consent_version,
        consent_at=consent_at,
    )


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())
