"""Reading a conversation's events: its transcript and how often the bot failed in a row."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from bot import hotlines
from bot.cases import follow_code
from bot.topics import FALLBACK_INTENT

HANDOFF_AFTER_FALLBACKS = 2


def transcript(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Who said what, in order, as operators read it."""
    lines = []
    for event in events:
        if event.get("event") in ("user", "bot") and event.get("text"):
            lines.append({"who": "worker" if event["event"] == "user" else "bot", "text": event["text"],
                          "at": event.get("timestamp")})
    return lines


def fallbacks_in_a_row(events: Iterable[Dict[str, Any]]) -> int:
    count = 0
    for event in reversed(list(events)):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") == FALLBACK_INTENT:
            count += 1
        else:
            break
    return count


def find_follow_code(text: str) -> Optional[str]:
    """The follow code in a message ("K7PQ4XZ2", "查询码 k7pq-4xz2", after the case number too)."""
    return follow_code.find_in(text)


HANDOFF_TEXT = (f"好的，我已经请工作人员看我们的对话记录，他们会联系您。现在就想找人可以打：{hotlines.RENSHE}（人社服务热线）、"
                f"{hotlines.UNION}（工会服务热线），也可以直接去附近的服务站。")
FALLBACK_HANDOFF_TEXT = (f"抱歉，我两次都没听懂。我把对话转给工作人员，他们会联系您。"
                         f"着急可以直接打{hotlines.RENSHE}或{hotlines.UNION}。")
# Not "帮不上忙": the service itself works, in Chinese; the 人社 hotline answers callers who need more help.
FOREIGN_LANGUAGE_TEXT = (f"您好！工友助手目前只能用中文交流。可以用中文打字或发语音，也可以拨打{hotlines.RENSHE}"
                         f"（人社服务热线）求助。")
