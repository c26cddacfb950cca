"""The document form (issue 17): what a ready-to-file document needs beyond the draft, asked only
when the worker wants a document, each question skippable, any answer correctable.

Plain Python: actions/documents.py only wires these into Rasa's form validation.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List, Optional, Tuple

from bot.cases import id_number as ids
from bot.dialogue.intake import is_cancel
from bot.stations.routing import construction_basis
from bot.text.chinese_numbers import parse_amount
from bot.text.dates import parse_date

UNKNOWN = "不清楚"
WORKING = "还在干"
DONE = "选好了"
KINDS = {"arbitration": "劳动仲裁申请书", "complaint": "劳动保障监察投诉书", "mediation": "调解申请书"}
# In the order asked; the project questions only for a construction site.
SLOTS = (
    "doc_consent",
    "doc_id_number",
    "doc_home_address",
    "doc_employer_address",
    "doc_legal_rep",
    "doc_start_date",
    "doc_leaving_date",
    "doc_monthly_wage",
    "doc_construction",
    "doc_project",
    "doc_general_contractor",
    "doc_subcontractor",
    "doc_evidence",
    "doc_witnesses",
    "doc_confirmed",
)
PROJECT = ("doc_project", "doc_general_contractor", "doc_subcontractor")
# Slots the form keeps between turns besides its questions.
STATE = ("doc_kind", "doc_evidence_items")
LABELS = {
    "doc_id_number": "身份证号",
    "doc_home_address": "家庭住址",
    "doc_employer_address": "单位注册地址",
    "doc_legal_rep": "单位法定代表人",
    "doc_start_date": "入职时间",
    "doc_leaving_date": "离职时间",
    "doc_monthly_wage": "月工资",
    "doc_construction": "是否建筑工地",
    "doc_project": "工程项目名称",
    "doc_general_contractor": "施工总承包单位",
    "doc_subcontractor": "包工头或分包单位",
    "doc_evidence": "手里的证据",
    "doc_witnesses": "证人",
}
QUESTIONS = {
    "doc_id_number": "您的身份证号是多少？18位，写在申请书上（别处只显示前6位和后4位）。",
    "doc_home_address": "您现在住在哪里？写申请书上的住所，比如“重庆市巫溪县城厢镇某某路12号”。",
    "doc_employer_address": "单位的注册地址在哪？营业执照上有，也可以在“国家企业信用信息公示系统”查到。",
    "doc_legal_rep": "单位的法定代表人（老板）叫什么？营业执照上写着。",
    "doc_start_date": "哪天开始在这里干活的？比如“2025年3月5日”，记不清说大概的月份也行。",
    "doc_leaving_date": "哪天离开的？还在这里干就说“还在干”。",
    "doc_monthly_wage": "每月工资大概多少？比如“6500”。",
    "doc_construction": "是在建筑工地（工程项目）上干活吗？",
    "doc_project": "工程项目叫什么名字？工地门口的牌子上一般写着。",
    "doc_general_contractor": "这个项目的施工总承包单位（总包）是哪家公司？工地门口的维权告示牌上有。",
    "doc_subcontractor": "招您干活的包工头或分包公司叫什么？",
    "doc_evidence": "手里有哪些证据？点选您有的，可以选几个，选完点“选好了”。",
    "doc_witnesses": "有没有人能给您作证？写名字就行，几个人用逗号隔开，比如“李强，王红”。没有就说“没有”。",
}
QUICK = {
    "doc_leaving_date": [WORKING, UNKNOWN],
    "doc_construction": ["是工地", "不是"],
    "doc_witnesses": ["没有"],
}
# Evidence by topic: what a station would ask to see for that kind of claim.
EVIDENCE = {
    "wage_arrears": ["工资条", "转账记录", "考勤", "工牌", "聊天记录", "欠条", "证人"],
    "dismissal": ["劳动合同", "辞退通知", "工资条", "转账记录", "聊天记录", "社保记录", "证人"],
    "labor_contract": ["工牌", "工资条", "转账记录", "考勤", "聊天记录", "招聘信息", "证人"],
    "overtime": ["考勤", "排班表", "工资条", "聊天记录", "证人"],
    "social_insurance": ["社保记录", "工资条", "劳动合同", "聊天记录"],
    "work_injury": ["病历", "诊断证明", "工牌", "考勤", "聊天记录", "证人"],
    "platform_work": ["接单记录", "收入记录", "处罚记录", "聊天记录", "证人"],
}
DEFAULT_EVIDENCE = EVIDENCE["wage_arrears"]
# Words a worker uses for an item: "微信转账" is a 转账记录, "打卡" is 考勤.
_EVIDENCE_WORDS = (
    ("工资条", r"工资条|工资单"),
    ("转账记录", r"转账|银行流水|流水|发工资记录"),
    ("考勤", r"考勤|打卡|记工|工时"),
    ("工牌", r"工牌|工作证|胸牌|门禁卡"),
    ("聊天记录", r"聊天|微信记录|短信"),
    ("欠条", r"欠条|白条|欠据|结算单"),
    ("证人", r"证人|工友作证"),
    ("劳动合同", r"合同"),
    ("辞退通知", r"辞退|解除通知|开除"),
    ("社保记录", r"社保"),
    ("排班表", r"排班"),
    ("病历", r"病历"),
    ("诊断证明", r"诊断"),
    ("招聘信息", r"招聘"),
    ("接单记录", r"接单|订单"),
    ("收入记录", r"收入"),
    ("处罚记录", r"处罚|罚款"),
)
_DONE = re.compile(
    r"^(选好了|好了|就这些|就这么多|没了|没有了|没有|都没有|啥都没有|什么都没有|完了|都选了|可以了|就这样)[了啊呀吧。.!！]*$"
)
_SKIP = re.compile(r"^(不知道|不清楚|不记得|记不清|跳过|不好说|不晓得|莫得|冇|不想说|不想填|不方便)[了啊呀吧。.!！]*$")
_NONE = re.compile(r"^(没有|没|无|没人|没有人)[了啊呀吧。.!！]*$")
_STILL_WORKING = re.compile(r"还在|在职|没走|没离|还没|继续干|还干着|仍在|至今")
_YES_SITE = re.compile(r"^(是|对|嗯|是的|对的|是啊|没错)|工地|建筑|工程|项目|盖楼|修路|装修|钢筋|木工|泥瓦")
_NO_SITE = re.compile(r"不是|没有|不在|工厂|厂里|店|公司|餐馆|饭店|超市")
_PREFIX = re.compile(r"^(我住在|住在|我家在|家在|地址是|在|是|叫|他叫|她叫|老板叫|法人是|法人叫|就是)")
_CORRECTION_CUE = re.compile(r"错|改|不对|更正|修正|重新|重填|写反")
CORRECTIONS = (
    ("doc_id_number", r"身份证"),
    ("doc_home_address", r"住址|家庭地址|家里地址|住的地方|家住"),
    ("doc_employer_address", r"单位地址|公司地址|注册地址|厂址|单位的地址"),
    ("doc_legal_rep", r"法人|法定代表人|老板的?名字"),
    ("doc_start_date", r"入职|开始干|进厂"),
    ("doc_leaving_date", r"离职|离开|走的"),
    ("doc_monthly_wage", r"工资|月薪"),
    ("doc_project", r"项目"),
    ("doc_general_contractor", r"总包|总承包"),
    ("doc_subcontractor", r"包工头|分包"),
    ("doc_evidence", r"证据"),
    ("doc_witnesses", r"证人"),
)


def is_skip(text: Any) -> bool:
    return isinstance(text, str) and bool(_SKIP.match(text.strip()))


def kind_asked(text: str, category: Optional[str] = None) -> Optional[str]:
    """The document a message asks for ("帮我写仲裁申请书" → arbitration), or None when it asks for
    none. A pension case gets the complaint: arbitration and mediation are the wrong route for it."""
    text = text or ""
    if not re.search(r"申请书|投诉书|文书|起诉状|诉状|申请表|写.{0,4}(申请|材料)", text):
        return None
    if "投诉" in text or "监察" in text or category == "pension_adjustment":
        return "complaint"
    if "调解" in text:
        return "mediation"
    return "arbitration"


def required(slots: Dict[str, Any]) -> List[str]:
    """The questions for these answers: the project's only on a construction site; none once the
    worker cancelled (doc_confirmed False), so the form ends and nothing is sent."""
    if slots.get("doc_confirmed") is False:
        return []
    if slots.get("doc_construction") is True:
        return list(SLOTS)
    return [s for s in SLOTS if s not in PROJECT]


def correction_field(text: str) -> Optional[str]:
    """The question a correction such as "身份证号写错了" names, or None."""
    if not _CORRECTION_CUE.search(text or ""):
        return None
    for field, pattern in CORRECTIONS:
        if re.search(pattern, text or ""):
            return field
    return None


def _named(text: str, problem: str) -> Tuple[Optional[str], Optional[str]]:
    text = _PREFIX.sub("", text.strip()).strip("。.，, ")
    if len(text) < 2:
        return None, problem
    return text[:200], None


def read(slot: str, value: Any, today: date, slots: Optional[Dict[str, Any]] = None) -> Tuple[Any, Optional[str]]:
    """(value as kept, None) or (None, what to say before asking again). "不清楚" answers every
    question but the agreement and the confirmation."""
    slots = slots or {}
    text = str(value if value is not None else "").strip()
    if slot not in ("doc_construction",) and is_skip(text):
        return UNKNOWN, None
    if slot == "doc_id_number":
        return ids.check(text, today)
    if slot in ("doc_home_address", "doc_employer_address"):
        return _named(text, "请写详细一点，到区县和街道，比如“重庆市渝中区解放碑街道某某路8号”。")
    if slot in ("doc_legal_rep", "doc_project", "doc_general_contractor", "doc_subcontractor"):
        return _named(text, "请写全一点，两个字以上。不清楚可以说“跳过”。")
    if slot in ("doc_start_date", "doc_leaving_date"):
        if slot == "doc_leaving_date" and _STILL_WORKING.search(text) and parse_date(text, today) is None:
            return WORKING, None
        found = parse_date(text, today)
        if found is None:
            return None, "请说一个日期，比如“2025年3月5日”；记不清就说大概的月份，比如“去年10月”。"
        if found > today:
            return None, "这个日期还没到呢，请再核对一下。"
        start = slots.get("doc_start_date")
        if slot == "doc_leaving_date" and start not in (None, UNKNOWN) and found.isoformat() < start:
            return None, f"离开的日子比入职（{start}）还早，请再核对一下。"
        return found.isoformat(), None
    if slot == "doc_monthly_wage":
        wage = value if isinstance(value, (int, float)) and not isinstance(value, bool) else parse_amount(text)
        if not wage or wage <= 0 or wage > 1_000_000:
            return None, "请说一个数，比如“6500”或“六千五”。"
        return float(wage), None
    if slot == "doc_construction":
        if value is True or (_YES_SITE.search(text) and not _NO_SITE.search(text)):
            return True, None
        if value is False or _NO_SITE.search(text) or is_skip(text):
            return False, None
        return None, "是建筑工地就点“是工地”，不是就点“不是”。"
    if slot == "doc_witnesses":
        if _NONE.match(text):
            return UNKNOWN, None
        names = [n.strip() for n in re.split(r"[，,、;；/\s]+|还有|和", text) if len(n.strip()) >= 2]
        if not names:
            return None, "请写证人的名字，几个人用逗号隔开；没有就说“没有”。"
        return names[:10], None
    return value, None


def evidence_choices(category: Optional[str]) -> List[str]:
    return EVIDENCE.get(category or "", DEFAULT_EVIDENCE)


def add_evidence(text: str, have: List[str]) -> Tuple[List[str], bool]:
    """(the items ticked so far, whether the worker is done). A tap adds its item; a sentence adds
    every item it names; words for no known item are kept as the worker wrote them."""
    text = (text or "").strip()
    have = list(have or [])
    if _DONE.match(text) or is_skip(text):
        return have, True
    named = [item for item, pattern in _EVIDENCE_WORDS if re.search(pattern, text)]
    if not named and 2 <= len(text) <= 30:
        named = [text]
    for item in named:
        if item not in have:
            have.append(item)
    return have[:20], False


def evidence_question(category: Optional[str], have: List[str]) -> Tuple[str, List[str]]:
    """The question with what is ticked so far, and the buttons for the rest."""
    if not have:
        return QUESTIONS["doc_evidence"], evidence_choices(category) + ["都没有"]
    rest = [item for item in evidence_choices(category) if item not in have]
    return f"已选：{'、'.join(have)}。还有别的吗？没有了就点“{DONE}”。", [DONE] + rest


def shown(slot: str, value: Any) -> str:
    if value in (None, "", UNKNOWN):
        return "（未填）"
    if slot == "doc_id_number":
        return ids.masked(str(value)) or ""
    if slot == "doc_monthly_wage" and isinstance(value, (int, float)):
        return f"{value:g}元"
    if slot == "doc_construction":
        return "是" if value is True else "不是"
    if isinstance(value, list):
        return "、".join(value)
    return str(value)


def summary(slots: Dict[str, Any]) -> str:
    """What the document will say, to check; the ID number masked, like everywhere in the chat."""
    kind = KINDS.get(slots.get("doc_kind") or "arbitration", KINDS["arbitration"])
    lines = [f"请核对一下写进{kind}的信息："]
    lines += [f"· {LABELS[s]}：{shown(s, slots.get(s))}" for s in required(slots) if s in LABELS]
    lines.append("没问题就点“确认”；要改哪一项就说，比如“身份证号写错了”。")
    return "\n".join(lines)


CONFIRM_BUTTONS = [{"title": "确认", "payload": "/affirm"}, {"title": "不写了", "payload": "/deny"}]


def details(slots: Dict[str, Any], consent: Dict[str, str]) -> Dict[str, Any]:
    """What the case service stores (bot/cases/details.py); unknown answers are left blank."""

    def known(slot: str) -> Any:
        value = slots.get(slot)
        return None if value in (None, "", UNKNOWN, WORKING) else value

    out: Dict[str, Any] = {
        "consent": consent,
        "document_kind": slots.get("doc_kind") or "arbitration",
        "id_number": known("doc_id_number"),
        "home_address": known("doc_home_address"),
        "employer_address": known("doc_employer_address"),
        "legal_representative": known("doc_legal_rep"),
        "start_date": known("doc_start_date"),
        "leaving_date": known("doc_leaving_date"),
        "still_working": slots.get("doc_leaving_date") == WORKING,
        "monthly_wage": known("doc_monthly_wage"),
        "evidence": known("doc_evidence"),
        "witnesses": known("doc_witnesses"),
    }
    if isinstance(slots.get("doc_construction"), bool):
        out["construction"] = slots["doc_construction"]
    if slots.get("doc_construction") is True:
        out.update(
            project_name=known("doc_project"),
            general_contractor=known("doc_general_contractor"),
            subcontractor=known("doc_subcontractor"),
        )
    return out


def ready_text(case_no: str, kind: str, base_url: str, construction: Dict[str, Any]) -> str:
    """The link to the document and how to file it (劳动争议调解仲裁法 §21, §27)."""
    title = KINDS.get(kind, KINDS["arbitration"])
    basis = construction_basis(construction)
    where = (
        f"打开 {base_url}/follow?case={case_no} ，输入登记时给您的查询码"
        if base_url
        else f"在工友网页的“查进度”页面输入登记编号 {case_no} 和查询码"
    )
    lines = [
        f"{title}准备好了。{where}，就能下载（PDF可以直接打印，Word可以修改）。",
        "怎么递交：打印出来，空着的横线补上，手写签名和日期；带上身份证复印件、证据原件和复印件，"
        "按被申请人的数量多带几份副本，交到干活所在地或单位所在地的劳动人事争议仲裁委员会（《劳动争议调解仲裁法》第二十一条）。",
        "在这里写好不等于已经递交，交上去仲裁时效才中断（第二十七条），请尽早去。也可以到服务站打印，请工作人员帮您看一遍。",
    ]
    if kind == "complaint":
        lines[1] = "怎么递交：打印出来签名，带上身份证复印件和证据，交到单位所在地人社局的劳动保障监察机构。"
        lines[2] = "在这里写好不等于已经递交，请尽早去。也可以到服务站打印，请工作人员帮您看一遍。"
    if kind == "mediation":
        lines[1] = "怎么递交：打印出来签名，带上身份证复印件和证据，交到附近的劳动争议调解组织，也可以口头申请。"
    if basis:
        lines.insert(1, basis)
    return "\n".join(lines)


def document_offer(category: Optional[str]) -> Optional[Tuple[str, List[Dict[str, str]]]]:
    """The offer under a new case: the document its category can be filed with, as a button."""
    if not category:
        return None
    kind = "complaint" if category == "pension_adjustment" else "arbitration"
    title = "写投诉书" if kind == "complaint" else "写仲裁申请书"
    text = f"不会写申请书也没关系：我可以帮您写好{KINDS[kind]}，打印出来签名就能交。"
    return text, [{"title": title, "payload": f'/open_case{{"document": "{kind}"}}'}]


NEED_CASE = (
    "写申请书要先登记一下（编号用来保存和下载文书）。以前登记过的，请直接发登记编号和查询码"
    "（回执上都有）；还没登记的，我们先登记，登记好了接着写。"
)
EARLIER_FOUND = "找到了您的登记 {case_no}，接着写申请书。"
EARLIER_NEEDS_CODE = "请把查询码也发一下（8位字母和数字，在登记编号旁边或回执上），和编号一起发就行。"
EARLIER_NOT_FOUND = "没查到，编号或查询码对不上。请核对一下再发；没登记过的话，我们接着登记。"
QUEUED = "登记还在排队提交，等拿到编号再写申请书：稍后说“查进度”，再说“帮我写申请书”。"
CANCELLED = "好的，申请书先不写了，刚才填的都没有保存。需要时说“帮我写申请书”。"
ASK_CONSENT_AGAIN = "请点“同意”或“不同意”。不同意也可以到服务站请工作人员帮您写。"


def cancels(text: str) -> bool:
    return is_cancel(text) or bool(re.search(r"不写了|先不写|不用写", text or ""))
