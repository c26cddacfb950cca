"""What a case number looks like (contract §4: GY + the date opened + a sequence)."""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

PATTERN = r"GY\d{8}-\d{4,}"
_ANYWHERE = re.compile(PATTERN, re.I)
_WHOLE = re.compile(rf"^{PATTERN}$")
# Long enough for any real sequence; anything longer is refused before it reaches a throttle or query.
MAX_LENGTH = 20


def format_case_no(day: date, sequence: int) -> str:
    return f"GY{day:%Y%m%d}-{sequence:04d}"


def is_case_no(text: object) -> bool:
    return isinstance(text, str) and len(text) <= MAX_LENGTH and bool(_WHOLE.match(text))


def within_length(text: str) -> bool:
    """Worth looking up at all: not empty and no longer than any case number. Paths of the case API
    check only this (an unknown number stays a 404); where a worker types one, `is_case_no`."""
    return 0 < len(text) <= MAX_LENGTH


def find_case_no(text: Optional[str]) -> Optional[str]:
    """The first case number in a message, upper-cased (workers type gy20261123-0042 too)."""
    match = _ANYWHERE.search(text or "")
    return match.group(0).upper() if match else None


def without_case_numbers(text: Optional[str]) -> str:
    return _ANYWHERE.sub("", text or "")
