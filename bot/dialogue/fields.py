"""Which answer a case field keeps: only one that fits it, and never a vaguer or passing mention
over what the worker already said (issue 15: "问这么多干嘛" saved as the employer, "景德镇鸿发陶瓷厂"
replaced by "一家陶瓷厂", the description overwriting answers)."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List

UNKNOWN = "不清楚"
NAMED = ("employer", "location")
# Facts the case keeps that a later message may mention again in passing.
REMEMBERED = ("employer", "location", "amount", "duration", "worker_count")

_EVASIVE = re.compile(
    r"问这么多|问那么多|问这个|干嘛|干什么|关你|你管|管得着|管那么多|不想说|不告诉|不方便|凭什么|为什么要|有必要吗|"
    r"别问|少管|啰嗦|烦不烦|烦死|无可奉告|保密|不说"
)
# "一家陶瓷厂", "那个公司", "老板", "工地上": no name, only a kind of place.
_VAGUE = re.compile(
    r"^(一|那|这|某|个|我们|我的|我们的)?(家|个|间|所|座)?[^\s]{0,4}(厂|公司|工地|单位|老板|店|饭店|餐馆|项目|地方)$"
)
_GENERIC = re.compile(r"^(厂里|公司|工地|单位|老板|店里|那边|这边|那里|这里|外地|本地|城里|市里)$")


def is_evasive(text: Any) -> bool:
    """ "问这么多干嘛", "你管呢", "不想说": a refusal to answer, never the answer."""
    return isinstance(text, str) and len(text.strip()) <= 16 and bool(_EVASIVE.search(text))


def is_vague(field: str, value: Any) -> bool:
    if field not in NAMED or not isinstance(value, str):
        return False
    value = value.strip()
    return bool(_GENERIC.match(value)) or (
        bool(_VAGUE.match(value)) and bool(re.match(r"^(一|那|这|某|个|我们|我的)", value))
    )


def _known(value: Any) -> bool:
    return value not in (None, "", UNKNOWN)


def choose(field: str, earlier: Any, new: Any, asked: bool, corrected: bool) -> Any:
    """The value the field keeps when `new` is heard after `earlier`.

    asked: the form had just asked for this field; corrected: the worker said it was wrong
    ("单位写错了"). Otherwise a mention in passing (a description, another question) only fills a
    gap or replaces a vague name with a precise one.
    """
    if not _known(earlier) or new == earlier:
        return new
    if new in (None, ""):
        return earlier
    if corrected:
        return new
    if is_vague(field, new):
        return earlier
    if asked:
        return new
    if is_vague(field, earlier) or earlier == UNKNOWN:
        return new
    return earlier


def settle(field: str, history: Iterable[Any]) -> Any:
    """The value a chain of settings leaves, each a mention in passing (None clears the field:
    a cancelled intake, or a correction)."""
    kept: Any = None
    for value in history:
        kept = None if value is None else choose(field, kept, value, asked=False, corrected=False)
    return kept


def history_before_last_message(events: Iterable[Dict[str, Any]], field: str) -> List[Any]:
    """The value the field ended each earlier turn with, before the worker's latest message (a
    form's candidates come after it). Only a turn's last setting counts: what the form's
    validation kept, not the raw text it refused ("问这么多干嘛")."""
    events = list(events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    values: List[Any] = []
    turn_value, seen = None, False
    for event in events[:last_user]:
        if event.get("event") == "user":
            if seen:
                values.append(turn_value)
            seen = False
        elif event.get("event") == "slot" and event.get("name") == field:
            turn_value, seen = event.get("value"), True
    if seen:
        values.append(turn_value)
    return values


def set_since_last_message(events: Iterable[Dict[str, Any]], field: str) -> bool:
    events = list(events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    return any(e.get("event") == "slot" and e.get("name") == field for e in events[last_user:])


EVASIVE_OPTIONAL = "没关系，这一项不想说可以不填，我先跳过。"
EVASIVE_PERSONAL = (
    "理解您的顾虑。姓名和电话只用来让服务站工作人员联系您，不会给别人。"
    "愿意的话请再说一下；不想留可以说“取消”，不登记也能咨询。"
)
EVASIVE_DESCRIPTION = "没关系，简单说一句发生了什么就行，比如“干完活老板不给钱”。不想登记可以说“取消”。"
