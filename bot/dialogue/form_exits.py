"""Ways out of a form, whatever it asked: cancel, a person, or a question on another subject.

A form is a question the bot is waiting on; the worker must always be free to stop, to ask for a
person, or to ask something else first (issue 15: "仲裁多久出结果" → "取消" → "转人工" got twelve
turns of "编号好像不对"). Plain Python: actions/form_guard.py wires it into every form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional

from bot import hotlines
from bot.law.faq import looks_like_a_question
from bot.topics import PROCEDURE, TOPICS

CANCEL, HANDOFF, DIGRESS, ANSWER = "cancel", "handoff", "digress", "answer"

# Long messages (a description, a story) may say "算了" about the boss; only a short one is a command.
SHORT = 16
# Unambiguous anywhere in a short message.
_CANCEL = re.compile(
    r"取消|不弄了|不办了|不查了|不删了|不登记|不填了|退出|不想(登记|查|弄|算|删|填|办)了?|先不(查|弄|办|算|登记|填|删)|别问了|不聊了"
)
# Ordinary words elsewhere ("工龄算了28年", "停止发工资"): a cancel only as a clause of their own.
_CANCEL_CLAUSE = re.compile(r"^(那|那就|就|还是|我)?(算了|不算了|不要了|不用了|没事了|结束|停|不了)[吧啊呀了。！!]*$")
_CLAUSES = re.compile(r"[，,。.！!？?\s]+")
_HANDOFF = re.compile(r"转人工|找人工|要人工|人工服务|人工客服|^人工$|真人|工作人员|客服")
HANDOFF_BUTTON = "/human_handoff"
# Intents that are a question or a new subject, not an answer to what the form asked.
DIGRESSIONS = frozenset((*TOPICS, PROCEDURE, "find_station", "job_seeking", "bot_challenge", "out_of_scope"))
SURE = 0.7


@dataclass(frozen=True)
class Heard:
    """The latest message as a form sees it."""

    text: str
    intent: str = ""
    confidence: float = 0.0

    @classmethod
    def from_message(cls, message: Dict[str, Any]) -> "Heard":
        intent = message.get("intent") or {}
        return cls((message.get("text") or "").strip(), intent.get("name") or "", float(intent.get("confidence") or 0))


def is_cancel(text: str) -> bool:
    """ "取消", "算了", "不弄了" — said as a command, not inside a long story."""
    text = (text or "").strip()
    if len(text) > SHORT:
        return False
    return bool(_CANCEL.search(text)) or any(_CANCEL_CLAUSE.match(c) for c in _CLAUSES.split(text) if c)


def is_handoff(heard: Heard) -> bool:
    if heard.text == HANDOFF_BUTTON:
        return True
    if heard.intent == "human_handoff" and heard.confidence >= SURE:
        return True
    return len(heard.text) <= SHORT and bool(_HANDOFF.search(heard.text))


def decide(heard: Heard, answers_it: bool, free_text: bool = False) -> str:
    """What the worker wants: CANCEL, HANDOFF, DIGRESS (answer that first) or ANSWER.

    answers_it: the message is a well-formed answer to the question asked (a case number, an amount);
    free_text: the question takes any words (a description), so only cancel and a person stop it.
    """
    if heard.text.startswith("/") and heard.text != HANDOFF_BUTTON:
        return ANSWER  # a button's payload is the form's own answer (/affirm, /deny)
    if heard.text == HANDOFF_BUTTON or (len(heard.text) <= SHORT and _HANDOFF.search(heard.text)):
        return HANDOFF
    if is_cancel(heard.text):
        return CANCEL
    # A well-formed answer is the answer whatever the classifier made of it: a follow code like
    # "K7PQ4XZ2" is Latin letters it never learned, and was now and then read as a person or a no.
    if answers_it:
        return ANSWER
    if is_handoff(heard):
        return HANDOFF
    if free_text:
        return ANSWER
    if heard.intent in DIGRESSIONS and heard.confidence >= SURE:
        return DIGRESS
    if heard.intent in DIGRESSIONS and looks_like_a_question(heard.text):
        return DIGRESS
    return ANSWER


# Each form's own words: what ending it means, and how to go on after a question.
CANCELLED = {
    "status_form": "好的，不查了。以后想查进度，随时说“查进度”，准备好编号和查询码就行。",
    "erase_form": "好的，不删除，您的信息照旧保留。",
    "calc_form": "好的，没问题，不算了。需要时随时再点“算一算”。",
}
# Digressions the domain already has words for (the same answers as outside a form).
RESPONSES = {"bot_challenge": "utter_iamabot", "job_seeking": "utter_job_seeking", "greet": "utter_greet"}
STATIONS_LATER = "找服务站的话，先说“取消”结束这一步，再说“最近的服务站”。"
NOT_SURE = f"这个问题我一时答不好，可以打{hotlines.RENSHE}问问。"
RESUME = "我们接着刚才的，不想继续可以说“取消”。"
# After this many answers that are not a case number the status lookup stops asking.
STATUS_TRIES = 2
STATUS_GIVE_UP = (
    "编号一直对不上，我先不问了。编号在登记成功的那条消息里，像 GY20261123-0042 这样；"
    f"找不到的话，可以带身份证去服务站，或打{hotlines.RENSHE}查询。"
)


def fresh(events: Iterable[Dict[str, Any]]) -> bool:
    """Whether the form is reading the worker's latest message for the first time: only the form
    itself ran since (not coming back after a rule answered a question, or after a "no")."""
    events = list(events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return len([e for e in events[last_user + 1 :] if e.get("event") == "action"]) <= 1


def failures_since_form_began(events: Iterable[Dict[str, Any]], form: str, complaint: str) -> int:
    """How many times this form already said `complaint` since it last started."""
    count = 0
    for event in reversed(list(events)):
        if event.get("event") == "active_loop" and event.get("name") == form:
            break
        if event.get("event") == "bot" and event.get("text") == complaint:
            count += 1
    return count


def registration_outcome(events: Iterable[Dict[str, Any]], cancelled_texts: Iterable[str]) -> Optional[str]:
    """How the last registration in this conversation ended: "cancelled", "submitted" or None."""
    cancelled = set(cancelled_texts)
    for event in reversed(list(events)):
        if event.get("event") == "slot" and event.get("name") == "case_no" and event.get("value"):
            return "submitted"
        if event.get("event") == "bot" and event.get("text") in cancelled:
            return "cancelled"
    return None


_OWN_CASE = re.compile(r"我的|我(刚才|刚刚|之前|上次|前面)|登记|案子|案件|进度|编号|查询码|受理|申请的")


_PROCEDURE_WORDS = re.compile(r"仲裁|调解|起诉|诉讼|法院|监察|投诉|认定|鉴定|多久|多长时间|几天|几个月|一般")


def asks_about_procedure(text: str) -> bool:
    """ "仲裁多久出结果" asks how the procedure goes; "我刚才登记的呢", "查进度", "结果出来了吗"
    ask about the worker's own case."""
    return not _OWN_CASE.search(text or "") and bool(_PROCEDURE_WORDS.search(text or ""))


REGISTRATION_CANCELLED = "您刚才的登记已经取消了，填的信息没有提交，也没有保存。要重新登记吗？"
RESTART_BUTTONS = [{"title": "重新登记", "payload": "/open_case"}, {"title": "先不用", "payload": "/deny"}]
