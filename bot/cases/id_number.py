"""The resident identity card number (GB 11643-1999): its check digit, what it tells a document
(sex and age), and how it is shown outside the document and the operator's case detail."""

from __future__ import annotations

import re
from datetime import date
from typing import Optional, Tuple

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"  # the check character for each remainder of the weighted sum mod 11
_TO_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")

WRONG_LENGTH = "身份证号是18位（最后一位可能是X），您输入的是{n}位，请再输一遍。不清楚可以说“跳过”。"
WRONG_CHECK = "这个身份证号对不上（最后一位校验码不对），可能有一位输错了，请再核对一遍。不清楚可以说“跳过”。"


def normalise(text: object) -> str:
    """Digits and X only: "1101 0119 9003 07123x" → "11010119900307123X"."""
    return re.sub(r"[^0-9X]", "", str(text or "").translate(_TO_ASCII).upper())


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def birth_date(number: str) -> Optional[date]:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def valid(number: str, today: Optional[date] = None) -> bool:
    """18 characters, a real birth date not in the future, and the right check digit."""
    if not _SHAPE.match(number or ""):
        return False
    born = birth_date(number)
    if born is None or born > (today or date.today()) or born.year < 1900:
        return False
    return check_digit(number[:17]) == number[17]


def check(text: object, today: Optional[date] = None) -> Tuple[Optional[str], Optional[str]]:
    """(the number, None) or (None, why it is asked again, in Chinese)."""
    number = normalise(text)
    if len(number) != 18:
        return None, WRONG_LENGTH.format(n=len(number))
    if not valid(number, today):
        return None, WRONG_CHECK
    return number, None


def sex(number: str) -> str:
    """The 17th digit: odd for a man, even for a woman."""
    return "男" if int(number[16]) % 2 else "女"


def age(number: str, today: date) -> Optional[int]:
    born = birth_date(number)
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def masked(number: Optional[str]) -> Optional[str]:
    """110101199003071234 → 110101********1234 (the same shape bot/privacy.py gives a log)."""
    if not number:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)
