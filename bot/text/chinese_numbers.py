"""Read the numbers workers type: 一万二, 1.2万, 8,000块, 三个多月, 二十来个人.

Plain functions, no Rasa: the NLU components and the form validators both use them.
A figure that cannot be read returns None rather than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "仨": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}
LETTER_UNITS = {"k": 1000, "K": 1000}

CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "".join(LETTER_UNITS)
# A number as typed: Arabic (with , or . separators), Chinese, or a mix such as 3万5 / 1.2万.
NUMBER_RE = re.compile(r"(?:\d[\d,，]*(?:\.\d+)?|[" + CN_CHARS + r"])(?:[\d.]|[" + CN_CHARS + r"])*")

_FUZZY = re.compile(r"[多余来几把左右上下出头]+$")


def _chinese_section(text: str) -> Optional[float]:
    """Value of a run without 万/亿: 三千五 → 3500, 十二 → 12, 二十 → 20, 3千 → 3000."""
    if not text:
        return 0
    total: float = 0
    current: Optional[float] = None
    last_unit = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            j = i
            while j < len(text) and (text[j].isdigit() or text[j] == "."):
                j += 1
            try:
                current = float(text[i:j])
            except ValueError:
                return None
            i = j
            continue
        if ch in DIGITS:
            if current is not None and last_unit is None and DIGITS[ch] is not None:
                # 二五 (digit by digit) is read as 25
                current = current * 10 + DIGITS[ch]
            else:
                current = DIGITS[ch]
            i += 1
            continue
        if ch in SMALL_UNITS or ch in LETTER_UNITS:
            unit = SMALL_UNITS.get(ch) or LETTER_UNITS[ch]
            total += (1 if current is None else current) * unit
            current = None
            last_unit = unit
            i += 1
            continue
        return None
    if current is not None:
        # 三千五 → 3500: a bare digit after a unit means one step below that unit.
        if (
            last_unit
            and last_unit >= 100
            and current < 10
            and "." not in text
            and len(text) >= 2
            and (text[-2] in SMALL_UNITS or text[-2] in LETTER_UNITS)
        ):
            total += current * last_unit / 10
        else:
            total += current
    return total


def parse_number(text: str) -> Optional[float]:
    """一万二 → 12000, 两万五 → 25000, 1.2万 → 12000, 8,000 → 8000, 3万5 → 35000."""
    if text is None:
        return None
    s = str(text).strip().replace(",", "").replace("，", "")
    s = _FUZZY.sub("", s)
    if not s:
        return None
    if s == "半":
        return 0.5
    # Split on the largest unit first: 1亿2000万 → 1*亿 + 2000万
    for unit_char, unit in (("亿", 100_000_000),):
        if unit_char in s:
            head, _, tail = s.partition(unit_char)
            h = parse_number(head) if head else 1
            t = _tail_value(tail, unit)
            if h is None or t is None:
                return None
            return h * unit + t
    for unit_char in ("万", "萬", "w", "W"):
        if unit_char in s:
            head, _, tail = s.partition(unit_char)
            h = _chinese_section(head) if head else 1
            t = _tail_value(tail, 10_000)
            if h is None or t is None:
                return None
            return h * 10_000 + t
    value = _chinese_section(s)
    return value


def _tail_value(tail: str, unit: int) -> Optional[float]:
    """What follows 万: 一万二 → 2000, 一万零五百 → 500, 3万5 → 5000."""
    if not tail:
        return 0
    tail = tail.lstrip("零〇")
    if not tail:
        return 0
    if len(tail) == 1 and (tail in DIGITS or tail.isdigit()):
        d = DIGITS.get(tail)
        if d is None:
            d = int(tail)
        return d * unit / 10
    return parse_number(tail)


def _clean(value: Optional[float]) -> Optional[float]:
    if value is None:
        return None
    if value == int(value):
        return int(value)
    return round(value, 2)


# Two digit words in a row before a unit are a range (四五千, 七八个月): keep the larger.
_RANGE = re.compile(r"([一二两三四五六七八九])([一二两三四五六七八九])(?=[十百千万个名位块元年月天])")


def _collapse_range(text: str) -> str:
    def pick(m: re.Match) -> str:
        a, b = DIGITS[m.group(1)], DIGITS[m.group(2)]
        return m.group(2) if b > a else m.group(1)

    return _RANGE.sub(pick, text)


_AMOUNT_STRIP = re.compile(r"(人民币|块钱|块|元|圆|大洋|rmb|RMB|￥|¥|钱|来|多|左右|的|工资|欠|共|一共|总共)")


def parse_amount(text: str) -> Optional[float]:
    """Money in yuan: 8000块 → 8000, 五十块 → 50, 一万二 → 12000, 1.2万 → 12000, 四五千 → 5000."""
    if not text:
        return None
    s = _collapse_range(str(text))
    s = s.replace("￥", "").replace("¥", "")
    # 3块5 / 五块五: yuan and jiao
    m = re.fullmatch(r"\s*(.+?)块(.)(?:毛)?\s*", s)
    if m and (m.group(2) in DIGITS or m.group(2).isdigit()):
        yuan = parse_number(m.group(1))
        jiao = DIGITS.get(m.group(2), None)
        if jiao is None:
            jiao = int(m.group(2))
        if yuan is not None:
            return _clean(yuan + jiao / 10)
    m = NUMBER_RE.search(_AMOUNT_STRIP.sub(" ", s).strip())
    if not m:
        return None
    value = parse_number(m.group(0))
    if value is None or value < 0:
        return None
    return _clean(value)


_YEAR_HALF = re.compile(r"^(.*?)年半$")
_MONTH_HALF = re.compile(r"^(.*?)个半月$")
_YEARS_AND_MONTHS = re.compile(r"^(.+?)年(?:零|又)?(.+?)个?(?:多)?月$")


def parse_duration(text: str) -> Optional[float]:
    """Months: 两个月 → 2, 半年 → 6, 一年 → 12, 一年半 → 18, 三个多月 → 3, 半个月 → 0.5, 20天 → 0.67."""
    if not text:
        return None
    s = _collapse_range(str(text)).strip()
    s = re.sub(r"^(整整|足足|快|近|将近|差不多|大概|大约|约|有|都|已经|好|长达|连续|前后)+", "", s)
    s = re.sub(r"(了|左右|的时间|时间|之久)+$", "", s)
    s = s.replace("大半年", "半年").replace("多半年", "半年")
    if s in ("半年",):
        return 6
    if s in ("半个月", "半月"):
        return 0.5
    m = _YEARS_AND_MONTHS.match(s)
    if m:
        years, months = parse_number(m.group(1)), parse_number(m.group(2))
        if years is not None and months is not None:
            return _clean(years * 12 + months)
    m = _YEAR_HALF.match(s)
    if m:
        n = parse_number(m.group(1))
        return None if n is None else _clean(n * 12 + 6)
    m = _MONTH_HALF.match(s)
    if m:
        n = parse_number(m.group(1))
        return None if n is None else _clean(n + 0.5)
    m = re.match(r"^(.+?)(?:个)?(?:多)?(?:个)?(月|年|周|星期|礼拜|天|日)(?:多)?$", s)
    if not m:
        return None
    n = parse_number(m.group(1))
    if n is None or n <= 0:
        return None
    unit = m.group(2)
    factor = {"月": 1, "年": 12, "周": 7 / 30, "星期": 7 / 30, "礼拜": 7 / 30, "天": 1 / 30, "日": 1 / 30}[unit]
    return _clean(n * factor)


def parse_count(text: str) -> Optional[int]:
    """People: 16个工人 → 16, 二十个人 → 20, 三十多名工友 → 30, 俩人 → 2."""
    if not text:
        return None
    s = _collapse_range(str(text))
    m = NUMBER_RE.search(s)
    if not m:
        return None
    n = parse_number(m.group(0))
    if n is None or n <= 0 or n != int(n):
        return None
    return int(n)


_SPOKEN_DIGITS = str.maketrans({**{k: str(v) for k, v in DIGITS.items() if k not in "两俩仨"}, "洞": "0"})


def phone_digits(text: str) -> str:
    """Every digit of a typed or spoken number, as ASCII: "幺八六 2345-6789" → 18623456789."""
    spoken = unicodedata.normalize("NFKC", str(text or "")).translate(_SPOKEN_DIGITS)
    return re.sub(r"[^0-9]", "", spoken)


def normalise_phone(text: str) -> Optional[str]:
    """Digits only, when they form a mainland mobile (11 digits) or a landline with area code."""
    if not text:
        return None
    # Voice input writes digits as words: 一八六二三四五六七八九零 (幺 for 1, 洞 for 0 on the radio).
    digits = phone_digits(text)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    if re.fullmatch(r"0\d{9,11}", digits):
        return digits
    return None
