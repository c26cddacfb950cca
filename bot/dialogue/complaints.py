"""Turn a classified complaint and its facts into the first reply a worker reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from bot.dialogue.calculation_flow import BUTTONS as CALCULATOR_BUTTONS
from bot.dialogue.calculation_flow import BY_TOPIC as CALCULATORS_BY_TOPIC
from bot.law.faq import answer_for
from bot.law.guidance import guidance_for
from bot.topics import COLLECTIVE_WORKERS


NEXT_STEPS = [
    {"title": "找最近的服务站", "payload": "/find_station"},
    {"title": "登记求助", "payload": "/open_case"},
    {"title": "转人工", "payload": "/human_handoff"},
]


@dataclass
class Facts:
    amount: Optional[float] = None
    duration: Optional[float] = None
    worker_count: Optional[int] = None
    employer: Optional[str] = None
    location: Optional[str] = None

    @classmethod
    def from_slots(cls, slots: Dict[str, Any]) -> "Facts":
        def number(value: Any) -> Optional[float]:
            try:
                return float(value) if value is not None else None
            except (TypeError, ValueError):
                return None

        count = number(slots.get("worker_count"))
        return cls(
            amount=number(slots.get("amount")),
            duration=number(slots.get("duration")),
            worker_count=int(count) if count else None,
            employer=slots.get("employer") or None,
            location=slots.get("location") or None,
        )


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def summarise(facts: Facts) -> str:
    parts: List[str] = []
    if facts.employer:
        parts.append(f"单位：{facts.employer}")
    if facts.location:
        parts.append(f"地点：{facts.location}")
    if facts.duration:
        parts.append(f"时长：{_figure(facts.duration)}个月")
    if facts.amount:
        parts.append(f"金额：{_figure(facts.amount)}元")
    if facts.worker_count:
        parts.append(f"涉及：{facts.worker_count}人")
    return "；".join(parts)


@dataclass
class Reply:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)


def complaint_reply(intent: str, facts: Facts, text: str = "") -> Optional[Reply]:
    """Guidance for the topic, or the answer to the worker's own question when the FAQ has it."""
    guidance = guidance_for(intent)
    if guidance is None:
        return None
    faq = answer_for(text, intent)
    lines = [f"您遇到的是「{guidance.title}」的问题，别着急，我们一起想办法。"]
    summary = summarise(facts)
    if summary:
        lines.append(f"我记下了：{summary}。")
    if facts.worker_count and facts.worker_count >= COLLECTIVE_WORKERS:
        lines.append("这么多人一起被侵权，属于群体性纠纷，服务站会优先处理，请尽快登记。")
    # The question's title goes first so a worker sees at once if we understood another one.
    lines.append(f"关于「{faq.title}」：{faq.answer}" if faq else guidance.text)
    lines.append("接下来您想怎么办？")
    calculators = [CALCULATOR_BUTTONS[c] for c in CALCULATORS_BY_TOPIC.get(intent, [])]
    return Reply("\n".join(lines), list(NEXT_STEPS) + calculators)
