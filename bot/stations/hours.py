"""Opening hours as stations write them ("周一至周五 9:00-12:00 14:00-17:30"), and open-now."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import List, Optional, Tuple

_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_RANGE = re.compile(r"周([一二三四五六日天])(?:至|到|-|—|~)周([一二三四五六日天])")
_WINDOW = re.compile(r"(\d{1,2}):(\d{2})\s*[-—~至到]\s*(\d{1,2}):(\d{2})")


def parse_hours(text: str) -> Optional[Tuple[List[int], List[Tuple[time, time]]]]:
    """(weekdays 0=Monday, time windows), or None when the text cannot be read."""
    if not text:
        return None
    days_match = _DAY_RANGE.search(text)
    if days_match:
        first, last = _DAYS[days_match.group(1)], _DAYS[days_match.group(2)]
        days = list(range(first, last + 1)) if first <= last else list(range(first, 7)) + list(range(0, last + 1))
    elif "每天" in text or "全天" in text:
        days = list(range(7))
    else:
        return None
    windows = [
        (time(int(a), int(b)), time(int(c), int(d)))
        for a, b, c, d in _WINDOW.findall(text)
        if int(a) < 24 and int(c) < 24
    ]
    if not windows and "24小时" in text:
        windows = [(time(0, 0), time(23, 59))]
    return (days, windows) if windows else None


def open_now(text: str, now: datetime) -> Optional[bool]:
    """True/False, or None when the hours are unknown (then say nothing rather than guess)."""
    parsed = parse_hours(text)
    if parsed is None:
        return None
    days, windows = parsed
    if now.weekday() not in days:
        return False
    return any(start <= now.time() <= end for start, end in windows)
