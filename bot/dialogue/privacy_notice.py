"""What a worker is told before GongYou keeps anything personal, and the record of the agreement.

PIPL §17 (tell, plainly, before processing: who, why, what, how long, how to exercise rights),
§14 (consent informed, voluntary, explicit) and §29 with §28 (sensitive data: health, whereabouts:
a separate consent). One place for every channel's text: the chat, the kiosk and WeChat all show
these words, and the version id below goes with the case so a changed text is a new version.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Dict, Optional

from bot.hotlines import NAMES, RENSHE, UNION

# Change the version whenever a word of the texts below changes.
VERSION = "2026-11-v1"
# How long personal data is kept: bot/cases/purge.py's default retention, held to these words by
# tests/test_consent.py (a deployment that changes the retention changes this text and the version).
KEEP_TEXT = "案件办结后保存1年，没有受理的登记保存90天，到期删除"

NOTICE = (
    "登记前，先说清楚您的信息怎么用：\n"
    "· 记什么：姓名、电话、单位、干活地点、金额和经过。\n"
    "· 为什么：交给负责的服务站，工作人员好联系您、帮您调解维权。\n"
    "· 谁能看：只有负责的服务站和它的工作人员，不会告诉您的单位。\n"
    f"· 存多久：{KEEP_TEXT}。您随时可以说“删除我的信息”。\n"
    "同意就点“同意”，我们再开始填。"
)
CONSENT_BUTTONS = [{"title": "同意", "payload": "/affirm"}, {"title": "不同意", "payload": "/deny"}]
ASK_AGAIN = "请点“同意”或“不同意”。不同意也没关系，不影响您咨询。"

# Health is sensitive (PIPL §28): the injury is described only after its own yes.
HEALTH_NOTICE = (
    "工伤登记要写受伤和治疗的情况，这属于健康信息，比较敏感。它只给负责的服务站处理您的工伤事项用。同意写吗？"
)
HEALTH_BUTTONS = CONSENT_BUTTONS
HEALTH_SKIPPED = "好的，受伤情况先不写，到服务站当面说也可以。"
HEALTH_LEFT_OUT = "（未填：没同意写健康信息）"

DECLINED = (
    "好的，不登记，您刚才说的个人信息都不保存。\n"
    "不留名字电话也能得到帮助：\n"
    f"· 打{RENSHE}（{NAMES[RENSHE]}服务热线）或{UNION}（{NAMES[UNION]}热线）咨询；\n"
    "· 直接去附近的服务站，当面问、不用先登记。\n"
    "想找服务站就说“最近的服务站”。"
)

# Whereabouts are sensitive too (§28): the phone page asks before sending the browser's position
# (bot/web/static/chat/chat.js asks in the same words); WeChat shares it first, so it is said on the first one.
LOCATION_NOTICE = "您发来的位置只用来找附近的服务站，不写进登记、不给别人看。"


# Consent must be explicit (PIPL §14): a tapped button or a plain yes, never a classifier's guess
# that a name such as "周海" was probably an "affirm".
_YES = re.compile(r"同意|好的?|可以|行|嗯|是的|对的?|没问题|愿意|要得|ok|OK|Ok|yes")
_NO = re.compile(r"不同意|不行|不要|不愿意|不可以|不好|不用|别|算了|拒绝")


def says_yes(text: str) -> bool:
    text = (text or "").strip()
    if text.startswith("/affirm"):
        return True
    return len(text) <= 12 and bool(_YES.search(text)) and not _NO.search(text)


def agreement(now: Optional[datetime] = None) -> Dict[str, str]:
    """What the case stores: which text was agreed to, and when (UTC, ISO 8601)."""
    at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    return {"version": VERSION, "at": at.isoformat()}  # "2026-11-30T21:05:07+00:00"


def is_agreement(value: object) -> bool:
    return isinstance(value, dict) and value.get("version") == VERSION and bool(value.get("at"))


# A co-worker joining a group's roster (劳动争议调解仲裁法 §7) agrees to its own notice: the
# roster goes with the group's document, so the representatives and the commission see it.
ROSTER_VERSION = "2026-11-roster-v1"
ROSTER_NOTICE = (
    "加入工友名单前，先说清楚您的信息怎么用：\n"
    "· 记什么：姓名、电话、被欠的钱和月数。\n"
    "· 为什么：写进大家一起递交的申请书名单，服务站好联系您。\n"
    "· 谁能看：负责的服务站、大家推选的代表，以及收申请书的调解组织或仲裁委。"
    "申请书上只有代表的电话是完整的。\n"
    f"· 存多久：跟这件案子一样，{KEEP_TEXT}。\n"
    "同意就点“同意”。"
)


# The first worker adding a co-worker who is not in the chat: the co-worker's agreement comes
# through them, and is recorded as such so the station confirms it when it calls.
ROSTER_PROXY_VERSION = "2026-11-roster-proxy-v1"
ROSTER_PROXY_NOTICE = "替工友登记前，请先把下面这些告诉他，他本人同意了再点“同意”：\n" + ROSTER_NOTICE.split("\n", 1)[1]


def roster_agreement(now: Optional[datetime] = None, proxy: bool = False) -> Dict[str, str]:
    return {**agreement(now), "version": ROSTER_PROXY_VERSION if proxy else ROSTER_VERSION}


def is_roster_agreement(value: object) -> bool:
    return (
        isinstance(value, dict)
        and value.get("version") in (ROSTER_VERSION, ROSTER_PROXY_VERSION)
        and bool(value.get("at"))
    )


# The document form asks for more than the intake did (ID number, home address, witnesses): its own
# notice and yes (PIPL §14, §17), with its own version, stored with the case's details.
DOCUMENT_VERSION = "2026-11-doc-v1"
DOCUMENT_NOTICE = (
    "写申请书还要几项信息，先说清楚怎么用：\n"
    "· 记什么：身份证号、家庭住址、单位地址和法定代表人、入职离职时间、工资、证据和证人。\n"
    "· 为什么：填进您的申请书；仲裁委、监察机构要靠这些找到双方。\n"
    "· 谁能看：只有您本人（凭编号和查询码）和负责的服务站。身份证号在别处只显示前6位和后4位。\n"
    f"· 存多久：和登记信息一样，{KEEP_TEXT}。说“删除我的信息”就一起删除。\n"
    "每一项都可以说“跳过”。同意就点“同意”。"
)
DOCUMENT_DECLINED = "好的，不写了，刚才的信息都不保存。申请书也可以到服务站请工作人员帮您写，或者说“转人工”。"


def document_agreement(now: Optional[datetime] = None) -> Dict[str, str]:
    return {**agreement(now), "version": DOCUMENT_VERSION}


def is_document_agreement(value: object) -> bool:
    return isinstance(value, dict) and value.get("version") == DOCUMENT_VERSION and bool(value.get("at"))
