"""Reading a conversation's events: its transcript and how often the bot failed in a row."""

from __future__ import annotations

import re
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
            lines.append(
                {
                    "who": "worker" if event["event"] == "user" else "bot",
                    "text": event["text"],
                    "at": event.get("timestamp"),
                }
            )
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


REACH_A_PERSON = f"着急可以直接打{hotlines.RENSHE}（人社）或{hotlines.UNION}（工会），也可以去附近的服务站。"


def handoff_text(recorded: bool, phone: Optional[str], after_fallbacks: bool = False) -> str:
    """What the worker is told when a person is asked for: only what is true. Staff call back only
    when a phone number was left; a request the case service did not take is said so (it is kept
    and sent later)."""
    opening = "抱歉，我两次都没听懂。" if after_fallbacks else "好的。"
    if not recorded:
        return f"{opening}现在系统有点忙，没能马上转给工作人员，我会稍后再转。{REACH_A_PERSON}"
    if phone:
        return (
            f"{opening}我已经把我们的对话转给工作人员，他们会打您留的电话（尾号{phone[-4:]}）联系您。{REACH_A_PERSON}"
        )
    return (
        f"{opening}我已经把我们的对话转给工作人员。您还没有留电话，他们没法主动联系您："
        f"想让工作人员回电，可以点“登记求助”留下电话。{REACH_A_PERSON}"
    )


# Not "帮不上忙": the service itself works, in Chinese; the 人社 hotline answers callers who need more help.
FOREIGN_LANGUAGE_TEXT = (
    f"您好！工友助手目前只能用中文交流。可以用中文打字或发语音，也可以拨打{hotlines.RENSHE}（人社服务热线）求助。"
)


# ---- a worker's own erasure request (PIPL §47: the right to have one's data deleted) ----
# Said in many ways and classified as whatever intent comes closest, so the actions that may
# receive it (case_status, nlu_fallback, out_of_scope) look at the words themselves.
_ERASE_VERB = r"(删除|删掉|删了|删去|清除|清掉|清空|注销|抹掉|销毁)"
_ERASE_WHAT = r"(信息|资料|记录|登记|数据|电话|名字|姓名|案件|个人)"
_ERASE_REQUEST = re.compile(f"{_ERASE_VERB}.{{0,10}}{_ERASE_WHAT}|{_ERASE_WHAT}.{{0,8}}{_ERASE_VERB}")


def is_erase_request(text: str) -> bool:
    """ "删除我的信息", "把我登记的资料删掉", "清除记录" — not "删除" alone or "记录一下"."""
    return bool(_ERASE_REQUEST.search(text or ""))


_ERASE_NO = re.compile(r"不删|先不|算了|取消|不要删|别删")
_ERASE_YES = re.compile(r"确定|确认|删吧|删掉吧|删除")


def erase_answer(text: str) -> Optional[bool]:
    """The answer to "确定删除吗" typed rather than tapped (WeChat shows the buttons as words)."""
    if _ERASE_NO.search(text or ""):
        return False
    if _ERASE_YES.search(text or ""):
        return True
    return None


ERASE_CONFIRM = (
    "核对好了。确定删除吗？删除后，您的姓名、电话、情况说明和聊天记录都会清掉，"
    "工作人员就没法联系您了；案件编号和不含个人信息的统计会保留。"
)
ERASE_BUTTONS = [{"title": "确定删除", "payload": "/affirm"}, {"title": "先不删", "payload": "/deny"}]
ERASE_ASK_AGAIN = "请点“确定删除”或“先不删”。"
ERASE_DONE = "已经删除了。您的个人信息不再保存，需要帮助时随时再来。"
ERASE_KEPT = "好的，不删除，信息照旧保留。"
ERASE_NO_MATCH = "编号和查询码对不上，没有删除。请核对一下再试，或者带身份证去服务站办理。"
# An action that failed (bot/runtime/rasa_action_failure.py): a reply instead of silence.
ACTION_FAILED = (
    f"抱歉，刚才系统出了点问题，没能处理好。请再说一次，或者说“转人工”找工作人员；也可以拨打{hotlines.RENSHE}。"
)
ERASE_BUSY = f"系统有点忙，这次没能删除，请稍后再说一次“删除我的信息”，或者拨打{hotlines.RENSHE}。"
ERASE_THROTTLED = f"试错的次数太多了，为了保护您的信息，请过一阵再试，或拨打{hotlines.RENSHE}。"
ERASE_BAD_CASE_NO = "编号好像不对，应该像 GY20261123-0042 这样。"
ERASE_BAD_CODE = "查询码是登记时给您的8位字母和数字，请再输一遍。"
