"""Homophone slips that workers' phone keyboards make, put right before a message is read.

Pinyin input picks a wrong character of the same sound: "老版欠我工姿" is "老板欠我工资". Each fix
replaces a word by one of the same length, so the characters' positions (and entity offsets) stay
where the worker typed them. Only words that mean nothing else in a labour complaint are listed.
"""

from __future__ import annotations

import re
from typing import Dict

# wrong → right, the same length each
_SLIPS: Dict[str, str] = {
    "老版": "老板",
    "老扳": "老板",
    "老班": "老板",
    "工姿": "工资",
    "工咨": "工资",
    "工支": "工资",
    "公资": "工资",
    "攻资": "工资",
    "工自": "工资",
    "怎么版": "怎么办",
    "怎么半": "怎么办",
    "咋版": "咋办",
    "拖前": "拖欠",
    "托欠": "拖欠",
    "社宝": "社保",
    "射保": "社保",
    "公伤": "工伤",
    "攻伤": "工伤",
    "辞推": "辞退",
    "词退": "辞退",
    "加斑": "加班",
    "仲栽": "仲裁",
    "冲裁": "仲裁",
}
assert all(len(wrong) == len(right) for wrong, right in _SLIPS.items())
_SLIP = re.compile("|".join(sorted(map(re.escape, _SLIPS), key=len, reverse=True)))


def fix_typos(text: str) -> str:
    """The message with known slips put right; the same length as the message."""
    return _SLIP.sub(lambda m: _SLIPS[m.group(0)], text) if text else text
