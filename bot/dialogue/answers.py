"""Which FAQ answer a message gets: one answer, a choice of two, or none close enough."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from bot.dialogue.problems import Problem, asked, mentioned
from bot.law import faq

# An intent the NLU is unsure of (out of scope, not understood) is overruled only this clearly
# (4 of 447 small-talk and out-of-scope training examples score this high).
SURE_SIMILARITY = 0.4

ANSWER, CHOICE, NONE = "answer", "choice", "none"


@dataclass
class Finding:
    kind: str                                     # ANSWER, CHOICE or NONE
    text: str = ""
    hits: List[faq.Hit] = field(default_factory=list)
    problems: List[Problem] = field(default_factory=list)
    asked: Optional[Problem] = None

    @property
    def entry(self) -> Optional[faq.FaqEntry]:
        return self.hits[0].entry if self.kind == ANSWER and self.hits else None

    @property
    def score(self) -> float:
        return self.hits[0].score if self.hits else 0.0

    @property
    def others(self) -> List[Problem]:
        """Problems the worker named but did not ask about."""
        return [p for p in self.problems if p != self.asked]


def find(text: str, prior: Optional[str] = None) -> Finding:
    """The answer to a worker's message; the NLU's topic (`prior`) only tips close scores.

    A message naming several problems is answered for the one it asks about, from the clause
    that asks it.
    """
    problems = mentioned(text)
    question, query = (asked(text) if len(problems) > 1 else (None, text))
    if question is not None:
        prior = question.topic
    hits = faq.rank(query, prior)
    if query != text:
        # The clause alone can be too short to place ("这种能要补偿吗"): the whole message may
        # rank its answer higher, still under the asked problem's topic.
        whole = faq.rank(text, prior)
        if whole and (not hits or whole[0].score > hits[0].score):
            hits = whole
    finding = Finding(NONE, text, hits, problems, question)
    if not hits or hits[0].score < faq.MIN_SIMILARITY:
        return finding
    if not faq.looks_like_a_question(text) and not faq.answers_a_statement(hits):
        return finding
    close = len(hits) > 1 and hits[1].score >= faq.CLOSE_RATIO * hits[0].score
    finding.kind = CHOICE if close else ANSWER
    return finding


def related(finding: Finding) -> Optional[faq.FaqEntry]:
    """A runner-up worth a button beside the answer."""
    hits = finding.hits
    if finding.kind == ANSWER and len(hits) > 1 and hits[1].score >= faq.RELATED_RATIO * hits[0].score:
        return hits[1].entry
    return None


def nearest(finding: Finding, count: int = 3) -> List[faq.FaqEntry]:
    return [h.entry for h in finding.hits[:count] if h.score >= faq.MIN_SIMILARITY / 2]


def procedure_note(text: str) -> Optional[str]:
    """The procedure answer a "where" question also needs ("在哪仲裁": 劳动争议调解仲裁法 §21)."""
    finding = find(text, None)
    entry = finding.entry
    if entry and entry.topic == "dispute_procedure" and finding.score >= SURE_SIMILARITY:
        return f"关于「{entry.title}」：{entry.answer}"
    return None
