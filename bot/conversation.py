"""Reading a conversation's events: its transcript and how often the bot failed in a row."""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional

FALLBACK_INTENT = "nlu_fallback"
HANDOFF_AFTER_FALLBACKS = 2
CASE_NO = re.compile(r"GY\d{8}-\d{4,}", re.I)


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


def find_case_no(text: str) -> Optional[str]:
    match = CASE_NO.search(text or "")
    return match.group(0).upper() if match else None


def find_last4(text: str) -> Optional[str]:
    digits = re.sub(r"GY\d{8}-\d{4,}", "", text or "", flags=re.I)
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", digits) or re.search(r"(\d{4})(?!\d)", digits)
    return match.group(1) if match else None


HANDOFF_TEXT = ("好的，我已经请工作人员看我们的对话记录，他们会联系您。现在就想找人可以打：12333（人社服务热线）、"
                "12351（工会服务热线），也可以直接去附近的服务站。")
FALLBACK_HANDOFF_TEXT = "抱歉，我两次都没听懂。我把对话转给工作人员，他们会联系您。着急可以直接打12333或12351。"
