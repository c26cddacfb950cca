"""One key per employer, however a worker writes its name (collective disputes are found by it)."""

from __future__ import annotations

import re

from bot.text.cleaning import normalise_script

_LEADING = re.compile(r"^(那家|这家|一家|那个|这个|某某|我们|我的|原来的|以前的)+")
_TRAILING = re.compile(r"(股份有限公司|有限责任公司|有限公司|分公司|总公司|公司|集团)$")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def employer_key(name: str | None) -> str | None:
    """巫溪县某鞋业有限公司 / 巫溪县某鞋业公司 / 「巫溪县 某鞋业」 → 巫溪县某鞋业."""
    if not name:
        return None
    key = _NOISE.sub("", normalise_script(str(name))).lower()
    key = _LEADING.sub("", key)
    for _ in range(2):
        key = _TRAILING.sub("", key)
    return key or None
