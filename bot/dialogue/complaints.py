"""Turn a classified complaint and its facts into the first reply a worker reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from bot.dialogue.answers import CHOICE, NONE, Finding, find, nearest, related
from bot.dialogue.calculation_flow import BUTTONS as CALCULATOR_BUTTONS
from bot.dialogue.calculation_flow import BY_TOPIC as CALCULATORS_BY_TOPIC
from bot.dialogue.problems import asked, mentioned
from bot.law.faq import looks_like_a_question
from bot.law.guidance import guidance_for
from bot.topics import COLLECTIVE_WORKERS, FALLBACK_INTENT, PROCEDURE, is_topic

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
    # What was answered, for the category slot and the answers benchmark: ANSWER with the FAQ key,
    # CHOICE (two close answers offered), NONE (guidance or nothing close).
    kind: str = NONE
    key: Optional[str] = None
    topic: Optional[str] = None


# The first answer of a conversation opens with one of these, picked by the message so the same
# words are not read by every worker; later answers go straight to the point.
OPENINGS = (
    "您遇到的是「{}」的问题，别着急，我们一起想办法。",
    "明白，是「{}」的事。",
    "「{}」的事，我帮您理一理。",
    "听明白了，说的是「{}」。",
)
ASK_NEXT = "接下来您想怎么办？"
DID_YOU_MEAN = "您是不是想问下面这些？"


def opening(title: str, text: str) -> str:
    return OPENINGS[sum(map(ord, text or title)) % len(OPENINGS)].format(title)


def _button(entry) -> Dict[str, str]:
    # The payload is the entry's own title: sent back, it matches itself whatever the intent.
    return {"title": entry.title, "payload": entry.title}


def _answer_lines(finding: Finding, fallback_text: str) -> Tuple[List[str], List[Dict[str, str]]]:
    """The body of a reply: the answer, a choice of two, or the topic's guidance and the nearest."""
    entry = finding.entry
    if entry is not None:
        # The question's title goes first so a worker sees at once if we understood another one.
        extra = related(finding)
        return [f"关于「{entry.title}」：{entry.answer}"], ([_button(extra)] if extra else [])
    if finding.kind == CHOICE:
        first, second = finding.hits[0].entry, finding.hits[1].entry
        return [f"您问的是「{first.title}」还是「{second.title}」？请点一个。"], [_button(first), _button(second)]
    if looks_like_a_question(finding.text):
        near = nearest(finding)
        lines = ["这个问题没找到对得上的答案，先说一般的情况：", fallback_text]
        return lines + ([DID_YOU_MEAN] if near else []), [_button(e) for e in near]
    return [fallback_text], []


def _problems_line(finding: Finding) -> Optional[str]:
    if not finding.asked or len(finding.problems) < 2:
        return None
    labels = "、".join(p.label for p in finding.problems)
    count = "两三四五六七八"[len(finding.problems) - 2] if len(finding.problems) <= 8 else str(len(finding.problems))
    return f"您说了{count}件事：{labels}。先说「{finding.asked.label}」，另外的可以点下面的按钮。"


# A brief for another problem is its guidance's first sentence, said while the whole reply still
# fits a phone screen without much scrolling (tests/test_hearing_whole.py holds answers to it).
BRIEF_CHARS = 90
PHONE_CHARS = 340
_OTHERS_HEAD = "另外几件也别耽误："


def _brief(topic: str) -> Optional[str]:
    guidance = guidance_for(topic)
    if guidance is None:
        return None
    first = guidance.text.split("。")[0] + "。"
    return first if len(first) <= BRIEF_CHARS else None


def _others_lines(finding: Finding, answered_topic: Optional[str], used: int) -> List[str]:
    """A line each for the problems named but not answered, as many as the screen holds after
    `used` characters: a worker with a crushed hand and four months unpaid reads about both; the
    rest are behind the buttons."""
    lines: List[str] = []
    room = PHONE_CHARS - used - len(ASK_NEXT) - len(_OTHERS_HEAD) - 2
    seen = {answered_topic, finding.asked.topic if finding.asked else None}
    for problem in finding.others:
        brief = None if problem.topic in seen else _brief(problem.topic)
        seen.add(problem.topic)
        line = f"· {problem.label}：{brief}" if brief else ""
        if line and len(line) + 1 <= room:
            lines.append(line)
            room -= len(line) + 1
    return [_OTHERS_HEAD] + lines if lines else []


def _length(lines: List[str]) -> int:
    return len("\n".join(lines))


def _problem_buttons(finding: Finding) -> List[Dict[str, str]]:
    if not finding.asked:
        return []
    return [{"title": p.label, "payload": p.question} for p in finding.others]


def complaint_reply(intent: str, facts: Facts, text: str = "", first: bool = True) -> Optional[Reply]:
    """Guidance for the topic, or the answer to the worker's own question, found across the FAQ.

    `first`: this is the conversation's first answer (only it opens with a kind word and asks
    what next; later ones are read one after another on a small screen).
    """
    own_guidance = guidance_for(intent)
    if own_guidance is None:
        return None
    finding = find(text, intent)
    answered = finding.entry
    # The topic is what the worker asked about: the answer's, the asked problem's, or the intent's.
    topic = (
        answered.topic
        if answered and is_topic(answered.topic)
        else finding.asked.topic
        if finding.asked
        else finding.topic or intent
    )
    guidance = guidance_for(topic) or own_guidance
    problems = _problems_line(finding)
    lines = [problems] if problems else [opening(guidance.title, text)] if first else []
    summary = summarise(facts)
    if summary:
        lines.append(f"我记下了：{summary}。")
    if facts.worker_count and facts.worker_count >= COLLECTIVE_WORKERS:
        lines.append("这么多人一起被侵权，属于群体性纠纷，服务站会优先处理，请尽快登记。")
    body, buttons = _answer_lines(finding, guidance.text)
    lines += body
    if body[-1] != DID_YOU_MEAN:
        lines += _others_lines(finding, topic, _length(lines))
    if first and lines[-1] != DID_YOU_MEAN:  # that line already ends the reply with a question
        lines.append(ASK_NEXT)
    calculators = [CALCULATOR_BUTTONS[c] for c in CALCULATORS_BY_TOPIC.get(topic, [])]
    return Reply(
        "\n".join(lines),
        buttons + _problem_buttons(finding) + list(NEXT_STEPS) + calculators,
        finding.kind,
        answered.key if answered else None,
        topic if is_topic(topic) else None,
    )


def question_reply(intent: str, text: str, first: bool = True) -> Optional[Reply]:
    """A question about the procedure, or one the NLU was unsure of that the FAQ answers clearly.

    None when the NLU was unsure and the FAQ has nothing clear either: the caller says so.
    """
    # A procedure question that names its problem ("总包不给钱怎么办") leans to that problem's answers.
    named = mentioned(text)
    finding = find(text, named[0].topic if named else PROCEDURE if intent == PROCEDURE else None)
    sure_enough = finding.likely if intent == FALLBACK_INTENT else finding.clear
    if intent != PROCEDURE and not sure_enough:
        return None
    answered = finding.entry
    if answered and is_topic(answered.topic):
        # A topic question the NLU took for something else is answered as that topic's complaint.
        return complaint_reply(answered.topic, Facts(), text, first)
    lines = [line for line in [_problems_line(finding)] if line]
    procedure = guidance_for(PROCEDURE)
    assert procedure is not None  # bot/law/guidance.py has it; tests/test_single_owner.py holds it there
    body, buttons = _answer_lines(finding, procedure.text)
    lines += body
    if body[-1] != DID_YOU_MEAN:
        lines += _others_lines(finding, None, _length(lines))
    return Reply(
        "\n".join(lines),
        buttons + _problem_buttons(finding) + list(NEXT_STEPS),
        finding.kind,
        answered.key if answered else None,
        None,
    )


def worded_complaint(text: str, facts: Facts, first: bool = True) -> Optional[Reply]:
    """A complaint the NLU took for something else ("老板欠我5000块 在渝中区" read as a bare
    statement, "包工头跑了" not placed at all): the problem named in the words decides the topic."""
    problems = mentioned(text)
    if not problems:
        return None
    problem = (asked(text)[0] if len(problems) > 1 else None) or problems[0]
    return complaint_reply(problem.topic, facts, text, first)
