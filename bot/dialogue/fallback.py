"""What a message that was not understood gets: a request to say it again, with buttons and an
example that fit what this worker has talked about (a retiree is not offered 工资被拖欠 first)."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Tuple

from bot.dialogue.problems import mentioned
from bot.topics import is_topic

# Each topic's button and the example sentence the worker may copy.
_TOPIC = {
    "wage_arrears": ("工资被拖欠", "老板欠我两个月工资"),
    "pension_adjustment": ("养老金问题", "我的养老金比去年少了"),
    "social_insurance": ("社保没交", "公司一直没给我交社保"),
    "labor_contract": ("劳动合同", "干了半年还没签合同"),
    "dismissal": ("被辞退", "公司突然不让我上班了"),
    "work_injury": ("工伤", "干活时手被机器压伤了"),
    "overtime": ("加班休假", "天天加班没有加班费"),
    "platform_work": ("骑手跑单", "送外卖被平台罚款了"),
}
_RETIRED = re.compile(r"退休|养老金|退休金|养老保险|社保局")
STATION = {"title": "找服务站", "payload": "/find_station"}
HANDOFF = {"title": "转人工", "payload": "/human_handoff"}
DEFAULT_TOPIC = "wage_arrears"


def conversation_topic(category: Optional[str], intents: Iterable[str], texts: Iterable[str]) -> Optional[str]:
    """What the conversation is about: the topic answered last, else the last complaint intent,
    else a problem or a retiree's words in what the worker wrote (newest first)."""
    if is_topic(category):
        return category
    for intent in intents:
        if is_topic(intent):
            return intent
    for text in texts:
        if _RETIRED.search(text or ""):
            return "pension_adjustment"
        problems = mentioned(text)
        if problems and is_topic(problems[0].topic):
            return problems[0].topic
    return None


def not_understood(topic: Optional[str]) -> Tuple[str, List[Dict[str, str]]]:
    title, example = _TOPIC[topic if topic in _TOPIC else DEFAULT_TOPIC]
    text = f"抱歉，我没太明白。能换个说法，或者说说遇到了什么事吗？比如“{example}”。"
    return text, [{"title": title, "payload": f"/{topic or DEFAULT_TOPIC}"}, STATION, HANDOFF]
