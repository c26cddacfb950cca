"""Whether a message is written in another language than Chinese (GongYou answers in Chinese)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def is_foreign(text: str) -> bool:
    """ "my boss did not pay me" is; "ok", "KFC欠我工资", "13512345678" and "/affirm" are not."""
    text = text or ""
    if text.startswith("/") or _CJK.search(text):
        return False
    words = _LATIN_WORD.findall(text)
    return len(words) >= 2 and sum(len(w) for w in words) >= 6
