"""What a worker's reply to a follow-up means, in plain Python (no model needed for three answers).

The phrasings GongYou must understand are in data/nlu/followups.yml, under the contract's own
intents (affirm: paid, deny: missing, inform: partly paid); tests/test_followup_answers.py reads
them from there, so a new phrasing added to the file is checked against these rules.
"""

from __future__ import annotations

import re
from typing import Optional

PAID, MISSING, PARTIAL = "paid", "missing", "partial"

# Checked in this order: "只收到一半" says 收到 too, and "没收到" says 收到.
_PARTIAL = re.compile(
    r"(只|才)(收到|到了?|到账|给了?|打了?|发了?)|一半|一部分|部分|不够|不全|少了|少给|少打|差\S*[0-9零一二两三四五六七八九十百千万]"
)
_MISSING = re.compile(
    r"^((没有?|无|否|不是|还没)[，,。！!.\s]*)+$|没(有)?(收到|到账|到|给|打|发|见|动静)|未(收到|到账)|还没|一分(钱)?(都|也)?没|不到账|没钱"
)
_PAID = re.compile(r"收到|到账|到了|拿到|给了|打了|发了|已付|付了|^(是|是的|对|嗯|有|有了)[了的啊呀。！!.\s]*$")
_RATING = re.compile(r"^\s*([1-5１-５一二三四五])\s*(分|星)?[。！!.\s]*$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_NOTHING = re.compile(r"^\s*(没有?|不用|不写|无|没了|算了|没什么)[了的啊。！!.\s]*$")


def payment(text: str) -> Optional[str]:
    """paid / missing / partial for an answer to "did the instalment arrive?", else None."""
    said = (text or "").strip()
    if not said or len(said) > 60:
        return None
    if _PARTIAL.search(said):
        return PARTIAL
    if _MISSING.search(said):
        return MISSING
    if _PAID.search(said):
        return PAID
    return None


def rating(text: str) -> Optional[int]:
    match = _RATING.match((text or "").strip())
    if not match:
        return None
    digit = match.group(1)
    if digit in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[digit]
    return int(digit) if digit.isdigit() else ord(digit) - ord("０")


def no_comment(text: str) -> bool:
    return bool(_NOTHING.match(text or ""))


def could_answer(text: str) -> bool:
    """Whether a message could answer an open return visit or rating question: every message the
    case service may take as such an answer (bot/followups/replies.py) is one of these, so the
    chat channels never skip one (bot/followups/quiet.py)."""
    return payment(text) is not None or rating(text) is not None
