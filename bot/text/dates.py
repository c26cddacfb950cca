"""Read the dates workers type: 2026年3月5日, 2026-03-05, 3月5号, 去年11月, 昨天."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from bot.text.chinese_numbers import parse_number

_NUM = r"(\d{1,4}|[零〇一二两三四五六七八九十]{1,4})"
_FULL = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]?\s*(?:(\d{1,2})\s*[日号]?)?")
_PARTIAL = re.compile(rf"(去年|今年|前年)?\s*{_NUM}\s*月\s*(?:{_NUM}\s*[日号])?")
_RELATIVE = {"今天": 0, "昨天": 1, "前天": 2}


def _int(text: Optional[str]) -> Optional[int]:
    if not text:
        return None
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


def parse_date(text: str, today: date) -> Optional[date]:
    """The date meant, or None. A month without a day is its first day; a bare month and day
    that would lie in the future is last year's."""
    if not text:
        return None
    for word, back in _RELATIVE.items():
        if word in text:
            return today - timedelta(days=back)
    try:
        match = _FULL.search(text)
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        match = _PARTIAL.search(text)
        if match:
            month, day = _int(match.group(2)), _int(match.group(3)) or 1
            if month is None:
                return None
            year = {"去年": today.year - 1, "前年": today.year - 2}.get(match.group(1), today.year)
            found = date(year, month, day)
            if match.group(1) is None and found > today:
                found = date(year - 1, month, day)
            return found
    except (TypeError, ValueError):
        return None
    return None
