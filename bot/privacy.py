"""Mask personal data (phones, ID numbers, bank cards) wherever text leaves for a log or an export.

A number is found however it is written: ASCII or full-width digits (１３８…), in groups split by
spaces, hyphens or dots (138 1234 5678, 138-1234-5678, 138.1234.5678), after +86/0086. Its
length decides what it is: 18 (17 and X) or 15 digits an ID card, 16 to 19 a bank card, 11 from
1[3-9] a mobile, 0 and 9 to 11 more a landline. Dates, amounts and case numbers have other
lengths and stay as they are; an unlucky run of digits is masked rather than missed.
"""

from __future__ import annotations

import logging
import re

_D = "[0-9\uff10-\uff19]"  # a digit, ASCII or full-width
_S = "[ \u3000.\\-\uff0d\uff0e]?"  # at most one separator between two digits
_X = "[Xx\uff38\uff58]"
_TO_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def _number(length: str, first: str = _D, last: str = _D) -> "re.Pattern[str]":
    """`first`, then digits (`length` more in all, before `last`), then `last`, alone in the text."""
    return re.compile(rf"(?<!{_D}){first}(?:{_S}{_D}){length}{_S}{last}(?!{_D})")


def _digits(found: str) -> str:
    return re.sub(r"[^0-9Xx]", "", found.translate(_TO_ASCII))


# Longest first, so that a bank card's or ID card's first digits are never taken for a phone.
_RULES = (
    # bank card: 16–19 digits (after any ID card it could contain) → all but the last four hidden
    ("id18", _number("{16}", last=f"(?:{_D}|{_X})"), lambda d: d[:6] + "*" * 8 + d[-4:]),
    ("card", _number("{14,17}"), lambda d: "*" * (len(d) - 4) + d[-4:]),
    ("id15", _number("{13}", first="[1-9\uff11-\uff19]"), lambda d: d[:6] + "*" * 6 + d[-3:]),
    (
        "mobile",
        re.compile(
            rf"(?<!{_D})(?:(?:[+\uff0b]|00|\uff10\uff10)[8\uff18]{_S}[6\uff16][ \u3000\-\uff0d]?)?"
            rf"[1\uff11]{_S}[3-9\uff13-\uff19](?:{_S}{_D}){{9}}(?!{_D})"
        ),
        lambda d: (d[2:] if len(d) == 13 else d[4:] if len(d) == 15 else d)[:3] + "****" + d[-4:],
    ),
    (
        "landline",
        _number("{8,10}", first="[0\uff10]"),
        lambda d: d[: 3 if d[1] in "12" else 4] + "-****" + d[-4:],
    ),  # 010, 02x: three-digit area codes
)
# A case's follow code (bot/cases/follow_code.py) where GongYou itself writes it: in the bot's
# "查询码是 …" and in JSON. Whoever reads a log must not be able to follow the case.
_FOLLOW_CODE = re.compile(r"""(查询码[是为：:\s]*|["']follow_code["']\s*:\s*["'])[2-9A-HJKMNP-Z]{8}""")


def mask_text(text: str) -> str:
    """13812345678 → 138****5678; 110101199003071234 → 110101********1234; 023-63801234 → 023-****1234."""
    if not text:
        return text
    for _, pattern, mask in _RULES:
        # sub() calls the lambda before the loop moves on, so it sees this turn's mask.
        text = pattern.sub(lambda m: mask(_digits(m.group(0))), text)  # noqa: B023
    return _FOLLOW_CODE.sub(lambda m: m.group(1) + "********", text)


def mask_person(view: dict) -> dict:
    """A copy of a record with its name (张** ) and phone (138****5678) masked, as exports and logs
    show a person: a case, a roster member."""
    out = dict(view)
    if out.get("phone"):
        out["phone"] = mask_text(out["phone"])
    if out.get("name"):
        out["name"] = out["name"][0] + "*" * (len(out["name"]) - 1)
    return out


class MaskingFilter(logging.Filter):
    """Rewrites every record's message, traceback and stack with personal data masked."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        # An exception's text quotes what it failed on (a phone in a ValueError, a row's values).
        # Formatters use exc_text when it is set, so the masked traceback is the one written.
        if record.exc_info and not record.exc_text:
            try:
                record.exc_text = self._formatter.formatException(record.exc_info)
            except Exception:
                pass
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def install_log_masking() -> None:
    """Attach the filter to every handler there is: the root logger's and those of loggers that do
    not propagate to it (Sanic's access and error logs). Idempotent."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    loggers = [root] + [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())
