"""The intake form's rules: what each answer must look like and what to say when it does not.

Plain Python: actions/intake.py only wires these into Rasa's form validation.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List, Optional, Tuple

from bot.cases.lifecycle import AMOUNT_CEILING, DESCRIPTION_LIMIT
from bot.cases.wording import draft_reminder
from bot.dialogue import fields, form_exits
from bot.dialogue.privacy_notice import is_agreement, says_yes
from bot.law.faq import looks_like_a_question
from bot.law.guidance import guidance_for
from bot.text.chinese_numbers import normalise_phone, parse_amount, parse_count, parse_duration, phone_digits
from bot.text.dates import parse_date
from bot.topics import TOPICS

UNKNOWN = "不清楚"
FIELDS = ("category", "name", "phone", "employer", "location", "amount", "duration", "worker_count", "description")
LABELS = {
    "category": "问题类型",
    "name": "姓名",
    "phone": "电话",
    "employer": "单位全称",
    "location": "工作地点",
    "amount": "金额",
    "duration": "时长",
    "worker_count": "涉及人数",
    "description": "情况说明",
}
# "电话写错了" → phone: which field a correction names.
CORRECTION_WORDS = (
    ("phone", r"电话|手机|号码"),
    ("name", r"名字|姓名|叫什么"),
    ("employer", r"单位|公司|老板|厂"),
    ("location", r"地点|地方|地址|在哪"),
    ("amount", r"金额|钱|工资数"),
    ("duration", r"时间|几个月|多久|时长"),
    ("worker_count", r"人数|几个人|多少人"),
    ("description", r"描述|情况|经过"),
    ("category", r"类型|问题"),
)
_SKIP = re.compile(r"^(不知道|不清楚|不记得|记不清|没有|无|跳过|不好说|不晓得|莫得|冇)[了啊呀吧。.!！]*$")
_NAME_PREFIX = re.compile(r"^(我叫|我是|名字是|姓名是|叫|名字叫)")
_DONT_KNOW = re.compile(r"^(不知道|不清楚|不记得|记不清|不晓得)")
_EMPLOYER_PREFIX = re.compile(r"^(好吧|好的|好|嗯|行吧|行|那)?[，, ]*(单位是|公司是|是|在|就是|叫)?")


def is_skip(text: Any) -> bool:
    return isinstance(text, str) and bool(_SKIP.match(text.strip()))


def check_name(value: Any) -> Tuple[Optional[str], Optional[str]]:
    """(clean value, None) or (None, why it is re-asked)."""
    text = _NAME_PREFIX.sub("", str(value or "").strip()).strip("。.，, ")
    if not text or len(text) > 20 or re.search(r"\d", text):
        return None, "请告诉我您的姓名，几个字就行。"
    return text, None


def check_phone(value: Any) -> Tuple[Optional[str], Optional[str]]:
    phone = normalise_phone(str(value or ""))
    if phone:
        return phone, None
    digits = phone_digits(str(value or ""))
    if digits.startswith("1") and len(digits) != 11:
        return None, f"手机号是11位数字，您输入的是{len(digits)}位，请再输一遍。"
    return None, "电话号码好像不对。手机号是11位数字，座机请带区号，比如023-63801234。"


def _named(value: Any, problem: str, prefix: Optional[re.Pattern] = None) -> Tuple[Optional[str], Optional[str]]:
    """A name as written (an employer, a place): "不清楚" is an answer, one character is not."""
    text = str(value or "").strip()
    if prefix is not None:
        text = prefix.sub("", text)
    text = text.strip("。.，, ")
    if is_skip(text) or _DONT_KNOW.match(text):
        return UNKNOWN, None
    if len(text) < 2:
        return None, problem
    return text[:200], None


def check_employer(value: Any) -> Tuple[Optional[str], Optional[str]]:
    return _named(
        value, "请写单位的全称，比如“重庆某某建筑劳务有限公司”。不知道全称就写您知道的名字。", _EMPLOYER_PREFIX
    )


def check_location(value: Any) -> Tuple[Optional[str], Optional[str]]:
    return _named(value, "请说一下在哪里干活，区县或者街道都可以，比如“渝中区解放碑”。")


def check_amount(value: Any) -> Tuple[Optional[Any], Optional[str]]:
    if is_skip(value):
        return UNKNOWN, None
    text = str(value).strip()
    if re.match(r"^\s*(-|负)", text):
        return None, "金额不能是负数哦。请再说一下欠了（或涉及）多少钱，比如“八千块”。"
    amount = value if isinstance(value, (int, float)) else parse_amount(text)
    if amount is None:
        return None, "没看懂金额。请说一个数，比如“8000块”或“一万二”。不清楚就说“不清楚”。"
    if amount <= 0 or amount > AMOUNT_CEILING:
        return None, f"{amount:g}元这个数好像不太对，请再核对一下金额。"
    return amount, None


def months_since(text: str, today: Optional[date] = None) -> Optional[float]:
    """ "从5月20号开始就没发了": a date given for "how long" is the start; the months since then."""
    today = today or date.today()
    start = parse_date(text, today)
    if start is None or start >= today:
        return None
    return max(1, round((today - start).days / 30.44))


def check_duration(value: Any) -> Tuple[Optional[Any], Optional[str]]:
    if is_skip(value):
        return UNKNOWN, None
    months = value if isinstance(value, (int, float)) else parse_duration(str(value))
    if months is None and not isinstance(value, (int, float)):
        months = months_since(str(value))
    if months is None or months <= 0 or months > 600:
        return None, "请说一下大概多长时间，比如“两个月”“半年”。不清楚就说“不清楚”。"
    return months, None


def check_worker_count(value: Any) -> Tuple[Optional[Any], Optional[str]]:
    if is_skip(value):
        return UNKNOWN, None
    text = str(value).strip()
    if re.search(r"就我|我自己|只有我|一个人", text):
        return 1, None
    count = value if isinstance(value, int) else parse_count(text)
    if count is None or count <= 0 or count > 100_000:
        return None, "请说一下一共几个人，比如“就我一个”或“16个人”。"
    return int(count), None


def check_description(value: Any) -> Tuple[Optional[str], Optional[str], bool]:
    """(text, problem, cut): a long description is kept up to the limit, and the worker told."""
    text = str(value or "").strip()
    if not text:
        return None, "请简单说说经过：在哪干活、干了多久、对方怎么说的。", False
    return text[:DESCRIPTION_LIMIT], None, len(text) > DESCRIPTION_LIMIT


def check_category(value: Any) -> Tuple[Optional[str], Optional[str]]:
    if value in TOPICS:
        return value, None
    return None, "请选一下是哪类问题。"


_CORRECTION_CUE = re.compile(r"错|改|不对|更正|修正|重新|重填|换一?个|写反")


def correction_field(text: str) -> Optional[str]:
    """The field a correction such as "电话写错了" names, or None when the text is no correction."""
    if not _CORRECTION_CUE.search(text or ""):
        return None
    for field, pattern in CORRECTION_WORDS:
        if re.search(pattern, text or ""):
            return field
    return None


def corrects_another_field(text: str, field: str) -> bool:
    """ "电话写错了，是139…" given while the form asks for the employer is not the employer."""
    named = correction_field(text)
    return named is not None and named != field


def shown(value: Any, field: str) -> str:
    if value in (None, ""):
        return "（未填）"
    if field == "amount" and isinstance(value, (int, float)):
        return f"{value:g}元"
    if field == "duration" and isinstance(value, (int, float)):
        return f"{value:g}个月"
    if field == "worker_count" and isinstance(value, (int, float)):
        return f"{int(value)}人"
    if field == "category":
        guidance = guidance_for(str(value))
        return guidance.title if guidance else str(value)
    return str(value)


def summary(slots: Dict[str, Any]) -> str:
    lines = ["请核对一下登记信息："]
    lines += [f"· {LABELS[f]}：{shown(slots.get(f), f)}" for f in FIELDS]
    lines.append(draft_reminder(slots.get("category")))
    return "\n".join(lines)


# Asked only after the worker agreed to the notice (PIPL §14, §17).
PERSONAL = ("name", "phone", "description")
HEALTH_TOPIC = "work_injury"  # its description is about an injury: health data (PIPL §28, §29)


def required_slots(form_slots: List[str], slots: Dict[str, Any]) -> List[str]:
    """The form's questions for these answers: only a work injury asks its own agreement before
    the description (health_consent), and leaves the description out when the worker said no."""
    if slots.get("category") != HEALTH_TOPIC:
        return [s for s in form_slots if s != "health_consent"]
    if slots.get("health_consent") is False:
        return [s for s in form_slots if s != "description"]
    return list(form_slots)


def payload(slots: Dict[str, Any], sender_id: str) -> Dict[str, Any]:
    """The draft for the case service; nothing personal without the worker's agreement."""

    def known(value: Any) -> Any:
        return None if value in (None, "", UNKNOWN) else value

    agreed = is_agreement(slots.get("consent"))
    draft = {
        "category": slots.get("category"),
        "name": known(slots.get("name")),
        "phone": known(slots.get("phone")),
        "employer": known(slots.get("employer")),
        "location": known(slots.get("location")),
        "amount": known(slots.get("amount")),
        "period_months": known(slots.get("duration")),
        "worker_count": known(slots.get("worker_count")),
        "description": known(slots.get("description")),
        "sender_id": sender_id,
    }
    if agreed:
        draft["consent"] = dict(slots["consent"])
    else:
        draft.update({field: None for field in PERSONAL})
    if slots.get("category") == HEALTH_TOPIC and slots.get("health_consent") is not True:
        draft["description"] = None
    return draft


def submitted_text(case: Dict[str, Any]) -> str:
    station = case.get("station") or {}
    where = f"由「{station['name']}」跟进。" if station.get("name") else "服务站工作人员会尽快联系您。"
    urgent = "涉及人数多，已标记为群体性纠纷，优先处理。" if case.get("collective") else ""
    code = f"查询码是 {case['follow_code']}，" if case.get("follow_code") else ""
    return (
        f"登记好了，编号是 {case['case_no']}，{code}请一起记下来，查询码不要告诉别人。{where}{urgent}\n"
        f"{draft_reminder(case.get('category'))}查进度可以说“查进度”，要用编号和查询码。"
    )


def case_card(case: Dict[str, Any], station: Any = None) -> Dict[str, Any]:
    """What the chat page shows and the kiosk prints: the number, its follow code (the worker's own
    secret, so it is on their screen and receipt only) and where to go; nothing else personal."""
    where = case.get("station") or {}
    return {
        "case_no": case["case_no"],
        "follow_code": case.get("follow_code"),
        "category": shown(case.get("category"), "category") if case.get("category") else "其他",
        "created_at": case.get("created_at"),
        "collective": bool(case.get("collective")),
        "reminder": draft_reminder(case.get("category")),
        "station": {
            "name": station.name,
            "address": station.address,
            "phone": station.phone_or_hotline,
            "hours": station.hours,
        }
        if station is not None
        else ({"name": where["name"], "address": "", "phone": "", "hours": ""} if where.get("name") else None),
    }


QUEUED_TEXT = "系统繁忙，您的信息已保存，恢复后会自动提交，不用重新填写。稍后说“查进度”就能看到编号。"
CANCELLED_TEXT = "好的，已取消登记，刚才填的信息没有提交，也不会保存。需要时随时说“我要登记”。"


OPTIONAL = ("employer", "location", "amount", "duration", "worker_count")
# Questions whose answer is taken whatever intent the classifier gave it (not the personal ones).
TAKES_ANY_INTENT = (*OPTIONAL, "description")
_CANCEL = re.compile(r"取消|不登记|不办了|不弄了|不填了|算了|退出|不要了|不用了|不想登记")


def is_cancel(text: str) -> bool:
    """ "算了，不登记了" ends the intake, whatever was asked."""
    return bool(_CANCEL.search(text or ""))


_PLAIN_NO = re.compile(r"^(不|不要|不用|不是|没|没有|不想|不了|不干|不行|否|no|No|NO)[了啊吧呢的。！!]*$")


def deny_cancels(requested_slot: Optional[str], text: str) -> bool:
    """Whether a message the classifier took for "no" ends the intake: a no to the notice, the
    cancel button, a cancel or a plain no do; "老板不接电话" (a description read as "no") does not."""
    text = (text or "").strip()
    return (
        requested_slot in ("consent", "confirmed")
        or text.startswith("/")
        or form_exits.is_cancel(text)
        or bool(_PLAIN_NO.match(text))
    )


def taken_despite_no(requested_slot: Optional[str], text: str) -> Optional[Any]:
    """The answer in a message read as "no" that is no cancel ("老板不给钱也不接电话" as the story)."""
    if requested_slot == "description":
        value, problem, _ = check_description(text)
        return None if problem else value
    check = _FIELD_CHECKS.get(requested_slot or "")
    if check is None or requested_slot in PERSONAL or not answers(requested_slot, text):
        return None
    value, problem = check(text)
    return None if problem else value


_NEGATED = re.compile(r"^(不是|不对|错了|不)")
_CLAUSE_SPLIT = re.compile(r"[，,。.；;！!？?\s]+")


def corrected_number(field: str, text: str) -> Optional[Any]:
    """The new figure in a correction such as "金额不对 是一万二 不是一万": the clause that says
    what it is, not the one that says what it is not."""
    check = {"amount": check_amount, "duration": check_duration, "worker_count": check_worker_count}.get(field)
    if check is None:
        return None
    for clause in _CLAUSE_SPLIT.split(text or ""):
        if not clause or _NEGATED.match(clause):
            continue
        value, problem = check(re.sub(r"^(是|应该是|其实是|改成|改为)", "", clause))
        if not problem and value not in (None, UNKNOWN):
            return value
    return None


_COMPANY = re.compile(r"公司|集团")


def is_company(text: str) -> bool:
    """ "好吧 是景德镇市昌南瓷业有限公司" given for the place: a company, not where the work was."""
    return bool(_COMPANY.search(text or ""))


NOT_A_NO = "没太明白。要继续就回答上面的问题，要取消登记就说“取消”。"


def deny_means_skip(requested_slot: Optional[str], text: str) -> bool:
    """ "不清楚" to an optional question is an answer; "算了，不登记了" cancels the intake."""
    return requested_slot in OPTIONAL and is_skip(text) and not _CANCEL.search(text or "")


_CONFIRM = re.compile(r"^(确认|提交|确认提交|没错|没问题)")
_FIELD_CHECKS = {
    "name": check_name,
    "phone": check_phone,
    "employer": check_employer,
    "location": check_location,
    "amount": check_amount,
    "duration": check_duration,
    "worker_count": check_worker_count,
}


def answers(requested: Optional[str], text: str) -> bool:
    """Whether a message reads as the answer to the question asked (so it is no digression).

    A question ("仲裁要多久？") passes the loose checks of a name or an employer, so a message that
    looks like a question answers only a yes/no or numeric question it fits; a refusal
    ("问这么多干嘛") goes to the field's own validator, which explains or skips.
    """
    text = (text or "").strip()
    if is_skip(text) or fields.is_evasive(text) or correction_field(text) is not None:
        return True
    if requested in ("consent", "health_consent", "confirmed"):
        return says_yes(text) or (requested == "confirmed" and bool(_CONFIRM.match(text)))
    check = _FIELD_CHECKS.get(requested or "")
    if check is None:
        return True
    value, problem = check(text)
    if problem or value is None:
        return False
    return requested in ("phone", "amount", "duration", "worker_count") or not looks_like_a_question(text)
