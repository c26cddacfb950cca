"""A group's code, and a co-worker's words asking to join a group (no database here: the NLU
pipeline reads these too).

6 characters from follow_code's alphabet (no 0/O, 1/I/L): 31**6 ≈ 8.9e8 values, random, never the
case number. With a thousand open groups one guess hits one in ~900,000, and the web side
throttles guesses (bot/web/roster_api.py).
"""

from __future__ import annotations

import re
import secrets
from typing import Optional, Tuple

from bot.cases.follow_code import ALPHABET

CODE_LENGTH = 6
_CODE_IN_TEXT = re.compile(rf"(?<![0-9A-Za-z])([{ALPHABET}]{{3}})[-\s]?([{ALPHABET}]{{3}})(?![0-9A-Za-z])", re.I)
# Not a union, an insurance scheme or a company: those are other questions.
_NOT_A_GROUP = r"(?!工会|社保|医保|保险|养老|党|公司|企业|厂)"
_JOIN = re.compile(
    rf"(?:我要|我想|想|要|让我|叫我|喊我|申请|怎么|帮我)[\s也来都去]{{0,2}}(?:登记)?加入{_NOT_A_GROUP}"
    r"|加入.{0,6}?(?:群|名单|小组|工友|大家|你们|他们)"
    r"|群码|组码|名单码"
    # The first worker adding a co-worker: "帮工友加入名单", "替老乡登记进名单", "再加一个工友".
    r"|(?:帮|替|给)(?:我的?)?(?:工友|老乡|同事|师傅|兄弟)[^，。,.]{0,4}?(?:登记|加|报名)"
    r"|再加一?个(?:工友|老乡|同事|人)"
)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: object) -> Optional[str]:
    cleaned = re.sub(r"[\s\-—_·.]", "", str(text or "")).upper()
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def find_code(text: str) -> Optional[str]:
    """A group code inside a chat message ("我要加入 群码 K7P-Q4X"), or None."""
    match = _CODE_IN_TEXT.search(str(text or ""))
    return (match.group(1) + match.group(2)).upper() if match else None


def join_span(text: str) -> Optional[Tuple[int, int]]:
    """Where a message asks to join a group ("我要加入 群码 K7PQ4X", "工友让我加入") or to add a
    co-worker to one ("帮工友加入名单"), or None."""
    match = _JOIN.search(str(text or ""))
    return (match.start(), match.end()) if match else None
