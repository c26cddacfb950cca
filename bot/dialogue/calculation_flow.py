"""Which questions each calculator asks, how answers are read, and the final explanation."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List, Optional, Tuple

from bot.law import calculators
from bot.text.chinese_numbers import parse_amount, parse_duration
from bot.text.dates import parse_date

# The questions each calculator asks, in order; `required` drops those the answers make moot.
CALCULATORS = {
    "compensation": ["calc_wage", "calc_months", "calc_average"],
    "double_wages": ["calc_wage", "calc_start", "calc_signed", "calc_left"],
    # Wages owed while employed have no time limit, and after leaving it runs from the last
    # day (劳动争议调解仲裁法 §27 ¶4): only other claims need the day the worker found out.
    "deadline": ["calc_claim", "calc_left", "calc_knew"],
}
BUTTONS = {
    "compensation": {"title": "算算经济补偿", "payload": '/inform{"calculator": "compensation"}'},
    "double_wages": {"title": "算算双倍工资", "payload": '/inform{"calculator": "double_wages"}'},
    "deadline": {"title": "算算仲裁截止日", "payload": '/inform{"calculator": "deadline"}'},
}
# The calculators offered under each topic's guidance.
BY_TOPIC = {
    "dismissal": ["compensation", "deadline"],
    "labor_contract": ["double_wages", "deadline"],
    "wage_arrears": ["deadline"],
    "overtime": ["deadline"],
    "platform_work": ["deadline"],
}
NEVER_SIGNED = ("没签", "没有签", "一直没", "没", "无", "没有")
UNKNOWN, WORKING, WAGES, OTHER, NEVER = "unknown", "working", "wages", "other", "never"
INJURY, PENSION = "injury", "pension"  # claims whose limit is not the arbitration one
_SKIP = re.compile(r"^(不知道|不清楚|不记得|记不清|不晓得|不好说|跳过|没查过|查不到)[了啊呀吧。.!！]*$")
_STILL_WORKING = re.compile(r"还在|在职|没走|没离|没有离|没辞|还没|继续干|现在还|还干着|仍在")
_LEFT = re.compile(r"不干|走了|离职|辞职|不在|离开|辞了|开了|被辞|被开")
_INJURY_CLAIM = re.compile(r"工伤|受伤|职业病|伤残")
_PENSION_CLAIM = re.compile(r"养老|退休金|退休工资")
# Named as claims other than wages first: "二倍工资" and "经济补偿" are not 劳动报酬 owed.
_OTHER_CLAIM = re.compile(r"别的|其他|其它|二倍|双倍|补偿|赔偿|社保|工伤|合同|辞退|开除|解除|养老|公积金|不是工资")
_WAGE_CLAIM = re.compile(r"工资|欠薪|薪水|薪资|工钱|加班费|劳动报酬|提成|欠钱|血汗钱|绩效|奖金")


def required(calculator: Optional[str], slots: Optional[Dict[str, Any]] = None) -> List[str]:
    needed = list(CALCULATORS.get(calculator or "", []))
    claim = (slots or {}).get("calc_claim")
    if calculator == "deadline" and claim == WAGES:
        needed.remove("calc_knew")
    if calculator == "deadline" and claim in (INJURY, PENSION):
        needed = ["calc_claim"]
    return needed


def read(slot: str, value: Any, today: date) -> Tuple[Optional[Any], Optional[str]]:
    """(value as stored, None) or (None, what to ask again)."""
    text = str(value or "").strip()
    if slot == "calc_wage":
        wage = parse_amount(text) if not isinstance(value, (int, float)) else value
        if not wage or wage <= 0 or wage > 1_000_000:
            return None, "请说一下每月工资大概多少，比如“6000”。"
        return wage, None
    if slot == "calc_months":
        months = (parse_duration(text) or last_duration(text)) if not isinstance(value, (int, float)) else value
        if not months or months <= 0 or months > 600:
            return None, "请说一下在这家单位干了多久，比如“3年7个月”或“两年半”。"
        return months, None
    if slot == "calc_average":
        if _SKIP.match(text):
            return UNKNOWN, None
        average = parse_amount(text) if not isinstance(value, (int, float)) else value
        if not average or average < 500 or average > 100_000:
            return None, "请说当地上年度职工月平均工资，比如“9000”；不知道就说“不清楚”。"
        return average, None
    if slot == "calc_claim":
        if _INJURY_CLAIM.search(text):
            return INJURY, None
        if _PENSION_CLAIM.search(text):
            return PENSION, None
        if _OTHER_CLAIM.search(text):
            return OTHER, None
        if _WAGE_CLAIM.search(text):
            return WAGES, None
        return None, "要的是工资（含加班费），还是别的（比如补偿、赔偿）？请说“工资”或“别的”。"
    if slot == "calc_left":
        found = parse_date(text, today)
        if found is None and _STILL_WORKING.search(text):
            return WORKING, None
        if found is None and _LEFT.search(text):
            return None, "请说哪天走的，比如“2026年3月5日”；记不清就说大概的月份，比如“去年10月”。"
        if found is None:
            return None, "还在干就说“还在干”；已经走了，请说哪天走的，比如“2026年3月5日”。"
        if found > today:
            return None, "离职日期还没到呢。还在干的话，请说“还在干”。"
        return found.isoformat(), None
    if slot == "calc_knew":
        found = parse_date(text, today)
        if found is None:
            return None, "请说一个日期，比如“2026年3月5日”或“3月5号”。"
        if found > today:
            return None, "这个日期还没到呢。请说您已经知道权益受侵害的那一天，比如“2026年3月5日”。"
        return found.isoformat(), None
    if slot in ("calc_start", "calc_signed"):
        if slot == "calc_signed" and any(word in text for word in NEVER_SIGNED) and not parse_date(text, today):
            return NEVER, None
        found = parse_date(text, today)
        if found is None or found > today:
            return None, "请说一个日期，比如“2026年3月5日”或“3月5号”。"
        return found.isoformat(), None
    return value, None


def _day(value: Any) -> Optional[date]:
    return date.fromisoformat(value) if value not in (None, "", NEVER, WORKING, UNKNOWN) else None


def explain(calculator: str, slots: Dict[str, Any], today: date) -> str:
    try:
        if calculator == "compensation":
            average = slots.get("calc_average")
            return calculators.economic_compensation(
                slots["calc_wage"], slots["calc_months"], None if average in (None, UNKNOWN) else average, today=today
            ).explain()
        if calculator == "double_wages":
            return calculators.double_wage_difference(
                slots["calc_wage"],
                date.fromisoformat(slots["calc_start"]),
                _day(slots.get("calc_signed")),
                today,
                left=_day(slots.get("calc_left")),
            ).explain()
        if calculator == "deadline" and slots.get("calc_claim") in (INJURY, PENSION):
            return calculators.other_clock(slots["calc_claim"]).explain()
        if calculator == "deadline":
            return calculators.arbitration_deadline(
                _day(slots.get("calc_knew")),
                wage_arrears=slots.get("calc_claim") == WAGES,
                employment_ended=_day(slots.get("calc_left")),
                today=today,
            ).explain()
    except (ValueError, KeyError, TypeError) as problem:
        return f"没法计算：{problem}"
    return "请先选一个要算的项目。"


def deny_answers(slot: Optional[str], text: str, today: date) -> Tuple[Optional[Any], Optional[str]]:
    """A message read as "no" may still answer the question ("不清楚", "没签", "还没走"):
    (value, None) to take it, (None, question) to ask again, (None, None) to stop the calculation."""
    if slot not in QUESTIONS:
        return None, None
    value, problem = read(slot, text, today)
    if value is not None:
        return value, None
    if slot == "calc_left" and _LEFT.search(text):
        return None, "明白，您已经离开了。"
    return None, None


QUESTIONS = {
    "calc_wage": "您每月工资大概多少？（按离职前一年的平均工资算，包括奖金、补贴）",
    "calc_months": "在这家单位一共干了多久？比如“3年7个月”。",
    "calc_average": "当地上年度职工月平均工资是多少？（人社局每年公布，用来算封顶）不知道就说“不清楚”。",
    "calc_start": "哪天入职（开始干活）的？比如“2026年3月5日”。",
    "calc_signed": "哪天签的书面劳动合同？一直没签就说“没签”。",
    "calc_left": "您哪天离开这家单位的？还在这里干就说“还在干”。",
    "calc_claim": "要讨的是工资（含加班费），还是别的（比如补偿、赔偿）？",
    "calc_knew": "您哪天知道自己的权益受了侵害？比如收到辞退通知、发现被克扣的那天。",
}
# Quick answers shown under a question.
QUICK_ANSWERS = {
    "calc_average": ["不清楚"],
    "calc_signed": ["没签"],
    "calc_left": ["还在干"],
    "calc_claim": ["工资", "别的"],
}


# ---- what the conversation already told (issue 15: "我记下了：时长：48个月" and then asked again) ----
_NUM = r"[\d０-９一二三四五六七八九十百千万两俩半零幺.]+"
_SPAN = re.compile(rf"{_NUM}\s*(年半?|个半月|个月|个多月|月)(\s*[零又]?\s*{_NUM}\s*(个月|个多月|月))?")
# "干了4年", "在厂里做了两年半", "工作了3年7个月": how long the worker was there, not how long unpaid.
_TENURE = re.compile(rf"(干了|做了|工作了|上了|待了|呆了|干满|做满|入职|工龄)\D{{0,3}}({_SPAN.pattern})")
_WAGE = re.compile(
    r"(月薪|月工资|每个?月(工资)?|一个月(工资)?|工资每个?月|月收入|底薪|工资是?)\D{0,3}?"
    r"(\d+(\.\d+)?\s*(万|千|k|K)?|[一二三四五六七八九十百千万两]+)"
)
_CORRECTION = re.compile(r"不是|不对|说了|说过|错了|改成|应该是|其实是")


def last_duration(text: str) -> Optional[float]:
    """The last span of time in a message: "不是说了4年吗 4年零3个月" → 51."""
    spans = [m.group(0) for m in _SPAN.finditer(text or "")]
    for span in reversed(spans):
        months = parse_duration(span)
        if months:
            return months
    return None


def tenure_in(text: str) -> Optional[float]:
    found = [m.group(2) for m in _TENURE.finditer(text or "")]
    months = parse_duration(found[-1]) if found else None
    return months if months and 0 < months <= 600 else None


def wage_in(text: str) -> Optional[float]:
    found = [m.group(4) for m in _WAGE.finditer(text or "")]
    wage = parse_amount(found[-1]) if found else None
    return wage if wage and 100 <= wage <= 1_000_000 else None


def known(calculator: Optional[str], slots: Dict[str, Any], said: List[str]) -> Dict[str, Any]:
    """The answers the worker already gave, earlier in the conversation, for this calculator's
    questions: the monthly wage and how long they worked, as they said them."""
    needed = set(CALCULATORS.get(calculator or "", []))
    found: Dict[str, Any] = {}
    for text in said:
        if "calc_wage" in needed and wage_in(text):
            found["calc_wage"] = wage_in(text)
        if "calc_months" in needed and tenure_in(text):
            found["calc_months"] = tenure_in(text)
    duration = slots.get("duration")
    if "calc_months" in needed and "calc_months" not in found and slots.get("category") == "dismissal":
        # A dismissal's complaint gives how long the worker was there (not how long wages were owed).
        if isinstance(duration, (int, float)) and 0 < duration <= 600:
            found["calc_months"] = duration
    return {slot: value for slot, value in found.items() if slots.get(slot) in (None, "")}


def correction(calculator: Optional[str], text: str) -> Dict[str, Any]:
    """A correction in words, whatever was asked: "不是说了4年吗 4年零3个月" → calc_months 51."""
    if not _CORRECTION.search(text or ""):
        return {}
    needed = CALCULATORS.get(calculator or "", [])
    months = last_duration(text)
    if "calc_months" in needed and months and 0 < months <= 600:
        return {"calc_months": months}
    return {}


def noted(found: Dict[str, Any]) -> str:
    """ "按您说的：月工资9000元，干了51个月。" — what was taken, so the worker can correct it."""
    parts = []
    if "calc_wage" in found:
        parts.append(f"月工资{found['calc_wage']:g}元")
    if "calc_months" in found:
        parts.append(f"干了{found['calc_months']:g}个月")
    return f"按您前面说的：{'，'.join(parts)}。说得不对可以直接告诉我。" if parts else ""
