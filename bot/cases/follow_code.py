"""The follow code: a worker's secret for their own case, shown with the case number.

Case numbers are sequential per day, so the number alone is public. The code is 8 characters
from 31 that are hard to confuse when read off a receipt or said on the phone (no 0/O, 1/I/L):
31**8 ≈ 8.5e11 values, against a lookup throttle that lets at most a few hundred guesses a day
at one case (bot/web/lookup_guard.py).

Stored as written, not hashed: a retried submission (the outbox after an outage, a reply lost
on the network) must give the worker the same code again, and station operators read it out to
a worker who lost their receipt. Only authenticated operators read case rows; a worker's lookup
answers status, category, station and dates only.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Optional

from bot.cases.numbers import without_case_numbers

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
# In free text ("GY20261123-0042 码 K7PQ-4XZ2"): 8 code characters, maybe split by one dash or space.
_IN_TEXT = re.compile(rf"(?<![0-9A-Z])([{ALPHABET}]{{4}})[-\s]?([{ALPHABET}]{{4}})(?![0-9A-Z])")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: object) -> Optional[str]:
    """The code a worker typed (any case, spaces or dashes), or None when it cannot be one."""
    cleaned = re.sub(r"[\s\-—_·.]", "", str(text or "")).upper()
    if len(cleaned) != LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def find_in(text: str) -> Optional[str]:
    """A code inside a chat message, the case number taken out first."""
    rest = without_case_numbers(str(text or "")).upper()
    match = _IN_TEXT.search(rest)
    return match.group(1) + match.group(2) if match else None


def same(stored: Optional[str], given: Optional[str]) -> bool:
    return bool(stored and given) and hmac.compare_digest(str(stored).encode(), str(given).encode())
