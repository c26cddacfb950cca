"""What the worker's /follow page shows of their case beyond its status: one dated timeline
across the parties it went through, who has it now, the legal clocks that run
(bot/cases/clocks.py) and the instalments with what was confirmed.

Built from the case as CaseService returns it; operators' free notes stay in the console (they
may name other people or internal matters), the worker reads fixed words for each step.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Dict, List, Optional

from bot.cases.clocks import china_day, clocks_of_case
from bot.followups.texts import TARGET_NAMES, ordinal, yuan

STATUS_TITLES = {
    "draft": "草稿",
    "accepted": "已受理",
    "mediating": "调解中",
    "agreement": "达成协议",
    "mediation_failed": "调解未成功",
    "referred": "已转交",
    "withdrawn": "已撤回",
    "closed": "已办结",
}
_STEP = {
    "draft": "登记了求助",
    "accepted": "服务站受理了案件",
    "mediating": "开始调解",
    "agreement": "达成调解协议",
    "mediation_failed": "调解没有成功",
    "referred": "案件转给了其他部门",
    "withdrawn": "案件撤回",
    "closed": "案件办结",
}
# The generated part of an instalment's confirmation note ("第2期没有到账：…" keeps only "第2期没有到账").
_INSTALMENT_NOTE = re.compile(r"^第(\d+)期(已到账|没有到账)")


def _step_words(step: Dict[str, Any], previous: Optional[str], referred_to: Optional[str], last_referral: bool) -> str:
    status = step["status"]
    # Each referral names its own party (one referral on from another too); one made before they
    # were kept takes the case's latest.
    target = step.get("referred_to") or (referred_to if last_referral else None)
    if status == "referred" and target and (previous != status or step.get("referred_to")):
        return f"案件转给{TARGET_NAMES.get(target, target)}，材料一并转过去"
    if status == previous:
        note = step.get("note") or ""
        if note.startswith("回访："):  # written by bot/followups/replies.py from the worker's own answer
            return note
        found = _INSTALMENT_NOTE.match(note)
        if found:
            return f"第{ordinal(int(found.group(1)))}期{found.group(2)}（服务站确认）"
        return "服务站更新了进展"
    return _STEP.get(status, "有新进展")


def timeline(case: Dict[str, Any]) -> List[Dict[str, Any]]:
    steps = case.get("timeline") or []
    last_referral = max((n for n, s in enumerate(steps) if s["status"] == "referred"), default=-1)
    out, previous = [], None
    for n, step in enumerate(steps):
        out.append(
            {
                "at": step["at"],
                "day": china_day(step["at"]).isoformat() if step.get("at") else None,
                "status": step["status"],
                "title": STATUS_TITLES.get(step["status"], step["status"]),
                "what": _step_words(step, previous, case.get("referred_to"), n == last_referral),
            }
        )
        previous = step["status"]
    for visit in case.get("followups") or []:
        # The payment answers are in the timeline already (as events); a rating is not.
        if visit.get("answered_at") and visit.get("kind") in ("after_close", "rating") and visit.get("answer"):
            out.append(
                {
                    "at": visit["answered_at"],
                    "day": china_day(visit["answered_at"]).isoformat(),
                    "status": case["status"],
                    "title": "回访",
                    "what": f"您给服务打了{visit['answer']}分",
                }
            )
    return sorted(out, key=lambda s: s["at"] or "")


def holder(case: Dict[str, Any]) -> Dict[str, Any]:
    """Who has the case now: the station (and the party it was referred to), and who still looks on."""
    station = (case.get("station") or {}).get("name")
    party = TARGET_NAMES.get(case.get("referred_to") or "") if case.get("status") == "referred" else None
    words = "还没有分配服务站，工作人员会尽快分配。" if not station else f"由{station}办理。"
    if party:
        words = f"已转给{party}" + (f"（{station}）" if station else "") + "办理。"
    if case.get("referred_from_station"):
        words += "原来的服务站仍能看到您的案件。"
    return {"station": station, "party": party, "words": words}


def instalments(case: Dict[str, Any], today: date) -> List[Dict[str, Any]]:
    out = []
    for n, item in enumerate(case.get("instalments") or [], start=1):
        due = date.fromisoformat(item["due"])
        if item.get("paid") is True:
            state = "已到账" + (f"（{china_day(item['confirmed_at'])}确认）" if item.get("confirmed_at") else "")
        elif item.get("paid") is False:
            state = "没有按时到账，服务站正在处理"
        else:
            state = "还没到期" if due > today else "待确认"
        out.append(
            {
                "seq": n,
                "amount": item["amount"],
                "due": item["due"],
                "paid": item.get("paid"),
                "words": f"第{ordinal(n)}期 {yuan(item['amount'])}元，{item['due']}到期：{state}",
            }
        )
    return out


def follow_view(case: Dict[str, Any], now: datetime) -> Dict[str, Any]:
    """The extra fields /api/follow returns for a worker's own case (nothing personal)."""
    return {
        "status_title": STATUS_TITLES.get(case["status"], case["status"]),
        "timeline": timeline(case),
        "holder": holder(case),
        "clocks": clocks_of_case(case, now),
        "instalments": instalments(case, china_day(now)),
        "overdue": bool(case.get("overdue")),
        "rating": case.get("rating"),
    }
