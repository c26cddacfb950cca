"""Which questions each calculator asks, how answers are read, and the final explanation."""
from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Optional, Tuple

from bot.law import calculators
from bot.text.dates import parse_date
from bot.text.chinese_numbers import parse_amount, parse_duration

CALCULATORS = {
    "compensation": ["calc_wage", "calc_months"],
    "double_wages": ["calc_wage", "calc_start", "calc_signed"],
    "deadline": ["calc_start"],
}
BUTTONS = {
    "compensation": {"title": "算算经济补偿", "payload": '/inform{"calculator": "compensation"}'},
    "double_wages": {"title": "算算双倍工资", "payload": '/inform{"calculator": "double_wages"}'},
    "deadline": {"title": "算算仲裁截止日", "payload": '/inform{"calculator": "deadline"}'},
}
# The calculators offered under each topic's guidance.
BY_TOPIC = {"dismissal": ["compensation", "deadline"], "labor_contract": ["double_wages", "deadline"],
            "wage_arrears": ["deadline"], "overtime": ["deadline"], "platform_work": ["deadline"]}
NEVER_SIGNED = ("没签", "没有签", "一直没", "没", "无", "没有")


def required(calculator: Optional[str]) -> List[str]:
    return CALCULATORS.get(calculator or "", [])


def read(slot: str, value: Any, today: date) -> Tuple[Optional[Any], Optional[str]]:
    """(value as stored, None) or (None, what to ask again)."""
    text = str(value or "").strip()
    if slot == "calc_wage":
        wage = parse_amount(text) if not isinstance(value, (int, float)) else value
        if not wage or wage <= 0 or wage > 1_000_000:
            return None, "请说一下每月工资大概多少，比如“6000”。"
        return wage, None
    if slot == "calc_months":
        months = parse_duration(text) if not isinstance(value, (int, float)) else value
        if not months or months <= 0 or months > 600:
            return None, "请说一下在这家单位干了多久，比如“3年7个月”或“两年半”。"
        return months, None
    if slot in ("calc_start", "calc_signed"):
        if slot == "calc_signed" and any(word in text for word in NEVER_SIGNED) and not parse_date(text, today):
            return "never", None
        found = parse_date(text, today)
        if found is None or found > today:
            return None, "请说一个日期，比如“2026年3月5日”或“3月5号”。"
        return found.isoformat(), None
    return value, None


def explain(calculator: str, slots: Dict[str, Any], today: date) -> str:
    try:
        if calculator == "compensation":
            return calculators.economic_compensation(slots["calc_wage"], slots["calc_months"]).explain()
        if calculator == "double_wages":
            signed = None if slots.get("calc_signed") in (None, "never") else date.fromisoformat(slots["calc_signed"])
            start = date.fromisoformat(slots["calc_start"])
            return calculators.double_wage_difference(slots["calc_wage"], start, signed, today).explain()
        if calculator == "deadline":
            return calculators.arbitration_deadline(date.fromisoformat(slots["calc_start"])).explain()
    except (ValueError, KeyError, TypeError) as problem:
        return f"没法计算：{problem}"
    return "请先选一个要算的项目。"


QUESTIONS = {
    "calc_wage": "您每月工资大概多少？（按离职前一年的平均工资算，包括奖金、补贴）",
    "calc_months": "在这家单位一共干了多久？比如“3年7个月”。",
    "calc_start": "从哪天开始的？计算双倍工资请说入职日期；计算仲裁截止日请说离职或权益受侵害的日期。",
    "calc_signed": "哪天签的书面劳动合同？一直没签就说“没签”。",
}
