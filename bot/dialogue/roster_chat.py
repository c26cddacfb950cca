"""What the chat says about group rosters: the code for the first worker to pass on, the questions a
joining co-worker answers, and the answers to a join. Plain Python; actions/roster.py wires it in."""

from __future__ import annotations

from typing import Any, Dict, Optional

from bot.cases.group_code import join_span
from bot.dialogue import intake

SLOTS = ("join_code", "join_consent", "join_name", "join_phone", "join_amount", "join_months", "join_proxy")
# Amount and months may be "不清楚"; the rest are needed for the roster.
SKIPPABLE = ("join_amount", "join_months")

BAD_CODE = "群码是6个字母和数字，比如 K7P-Q4X。请再看一下工友发给您的码。"
WRONG_CODE = "没找到这个群码。请跟发码给您的工友核对一下；不想加入了就说“算了”。"
FOUND = "找到了，是关于「{employer}」的工友名单。"
# The first worker adding a co-worker who is not in the chat (their own group's code).
PROXY_FOUND = "好的，帮工友加进「{employer}」的名单。"
PROXY_JOINED = "加好了，现在名单上有{members}人。还要加别的工友，就再说“帮工友加入名单”。"
DECLINED = "好的，不加入，您刚才说的信息都不保存。有别的问题随时问我。"
BUSY = "现在连不上登记系统，您的信息没有保存。请过一会儿再说一次“我要加入 群码 …”。"
JOINED = (
    "好了，您已经加入「{employer}」的工友名单，现在名单上有{members}人。\n"
    "劳动者十人以上有共同请求的，可以推举代表参加调解、仲裁（《劳动争议调解仲裁法》第七条），"
    "大家商量好3到5名代表，告诉服务站就行。名单会附在申请书后面。"
)
# The first worker of a collective case: the code to pass on (not the case number, not the follow code).
SHARE = (
    "你们是{count}一起的，可以建一个工友名单：把这个群码发给一起被欠钱的工友——群码 {code}\n"
    "让他们跟我说“我要加入 群码 {code}”，各自填上姓名、电话、被欠的钱和月数，"
    "名单会附在申请书后面。不方便用手机的工友，您征得他同意后可以说“帮工友加入名单”替他填。"
    "查询码是您自己的，不要发给别人。"
)


def wants_to_join(text: str) -> bool:
    """ "我要加入 群码 K7PQ4X", "工友让我加入": a co-worker asking to join a group's roster."""
    return join_span(text) is not None


def share_text(case: Dict[str, Any], code: str) -> str:
    count = f"{case['worker_count']}个人" if (case.get("worker_count") or 0) > 1 else "好几个人"
    return SHARE.format(count=count, code=code[:3] + "-" + code[3:])


def joined_text(employer: Optional[str], members: int, proxy: bool = False) -> str:
    if proxy:
        return PROXY_JOINED.format(members=members)
    return JOINED.format(employer=employer or "你们单位", members=members)


def member(slots: Dict[str, Any]) -> Dict[str, Any]:
    """The roster row the join sends ("不清楚" sends nothing for that field)."""

    def given(value: Any) -> Any:
        return None if value in (None, intake.UNKNOWN) else value

    return {
        "name": slots.get("join_name"),
        "phone": slots.get("join_phone"),
        "amount": given(slots.get("join_amount")),
        "months": given(slots.get("join_months")),
    }
