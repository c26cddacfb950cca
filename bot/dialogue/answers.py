"""Which FAQ answer a message gets: one answer, a choice of two, or none close enough."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from bot.dialogue.problems import WORDED_TOPICS, Problem, added_on, asked, mentioned, names_topic
from bot.law import faq
from bot.topics import PROCEDURE, is_topic

# An intent with no answer of its own (out of scope, not understood, job seeking) is overruled only
# by an entry this close that leads the runner-up this clearly. Of the 395 training examples of
# the intents routed here (out of scope, bot challenge, job seeking, inform), 4 pass (landlords'
# deposits three times, a school's papers); a lead of 0.6 passed 3 but kept out legal questions
# that match two neighbouring entries ("怎么证明我加过班": overtime evidence 0.42, proving
# employment 0.26); 0.9 would also take "合同到期不续了 接下来去哪找工作" (0.82) from job help
# (bench/answers.py --calibrate).
SURE_SIMILARITY = 0.35
SURE_LEAD = 0.8
# A message the NLU could not place at all (nlu_fallback) is answered by a question-shaped entry
# this close: gibberish and emoji score 0, and the intent carries no answer of its own to lose.
LIKELY_SIMILARITY = 0.3

# A story with no question is answered from another topic than its intent's only this closely.
STORY_ELSEWHERE = 0.3

ANSWER, CHOICE, NONE = "answer", "choice", "none"


@dataclass
class Finding:
    kind: str  # ANSWER, CHOICE or NONE
    text: str = ""
    hits: List[faq.Hit] = field(default_factory=list)
    problems: List[Problem] = field(default_factory=list)
    asked: Optional[Problem] = None
    topic: Optional[str] = None  # the topic the message was read as (its words', else the NLU's)

    @property
    def entry(self) -> Optional[faq.FaqEntry]:
        return self.hits[0].entry if self.kind == ANSWER and self.hits else None

    @property
    def score(self) -> float:
        return self.hits[0].score if self.hits else 0.0

    @property
    def clear(self) -> bool:
        """An answer sure enough to overrule an intent that has no answer of its own."""
        hits = self.hits
        return (
            self.kind == ANSWER
            and self.score >= SURE_SIMILARITY
            and (len(hits) < 2 or hits[1].score <= SURE_LEAD * hits[0].score)
        )

    @property
    def likely(self) -> bool:
        """An answer good enough for a message nothing else understood."""
        return self.kind == ANSWER and self.score >= LIKELY_SIMILARITY

    @property
    def others(self) -> List[Problem]:
        """Problems the worker named but did not ask about."""
        return [p for p in self.problems if p != self.asked]


def worded_topic(text: str, prior: Optional[str]) -> Optional[str]:
    """The NLU's topic, unless the words name one other problem plainly.

    "公司突然把我辞退了 说是经营困难" names a dismissal; the NLU may hear "经营困难" as the
    social insurance payment's hardship. The words decide, as they do when several problems are
    named (`asked`).
    """
    problems = mentioned(text)
    if len(problems) != 1 or not is_topic(prior) or prior not in WORDED_TOPICS:
        return prior
    if names_topic(text, prior) or added_on(text, problems[0]):
        # "多发点钱就不给我上社保": the NLU's topic is in the words too, behind another cue; and a
        # problem only added at the end ("不让我跳槽去同行 也没给钱") is not what the message is about.
        return prior
    named = problems[0].topic
    return named if named in WORDED_TOPICS else prior


def find(text: str, prior: Optional[str] = None) -> Finding:
    """The answer to a worker's message; the NLU's topic (`prior`) only tips close scores.

    A message naming several problems is answered for the one it asks about, from the clause
    that asks it.
    """
    problems = mentioned(text)
    question, query = asked(text) if len(problems) > 1 else (None, text)
    prior = question.topic if question is not None else worded_topic(text, prior)
    hits = faq.rank(query, prior, limit=10)
    floor = faq.MIN_SIMILARITY
    if question is not None:
        # The clause alone can be too short to place ("这种能要补偿吗"): the whole message ranks
        # too, and the asked problem's own answers (or the procedure's) go first.
        best = {h.entry.key: h for h in faq.rank(text, prior, limit=10)}
        for h in hits:
            if h.entry.key not in best or h.score > best[h.entry.key].score:
                best[h.entry.key] = h
        merged = sorted(best.values(), key=lambda h: -h.score)
        own = [h for h in merged if h.entry.topic in (question.topic, PROCEDURE)]
        if own and own[0].score >= faq.MIN_SIMILARITY / 2:
            # The problem is known from its own words, so a weaker match to it still answers.
            merged, floor = own + [h for h in merged if h not in own], faq.MIN_SIMILARITY / 2
        hits = merged
        if any(p.topic == question.topic and p != question for p in problems):
            # A rider's fine and a rider's crash share a topic, so the topic cannot tell them
            # apart: the asked problem's own question picks its answer.
            mine = faq.rank(question.question, prior, limit=1)
            if mine:
                hits = mine + [h for h in hits if h.entry.key != mine[0].entry.key]
    named_alone = len(problems) == 1 and problems[0].topic == prior
    if question is None and is_topic(prior) and (named_alone or not faq.looks_like_a_question(text)):
        # (Also when the words name this one problem: "厂里好几个月没发工资了" reads as a question
        # for its "几", and the injury deadline's "几个月" is no answer to unpaid wages.)
        # A story that asks nothing ("老板三个月没发工资了") is about the problem it names: an
        # answer from another topic that only shares a word (the "三个月" of probation, 0.25) is
        # not what the worker needs, so another topic's answer must match it well.
        # A story that names its problem and asks nothing is answered from that problem alone: its
        # other words ("说是经营困难") are the boss's excuse, not a second problem.
        elsewhere = STORY_ELSEWHERE if faq.looks_like_a_question(text) or not named_alone else float("inf")
        hits = [h for h in hits if h.entry.topic in (prior, PROCEDURE) or h.score >= elsewhere]
    finding = Finding(NONE, text, hits, problems, question, prior)
    if not hits or hits[0].score < floor:
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
    return [h.entry for h in finding.hits[:count] if h.score > 0]


VENUE_KEY = "dispute_procedure/venue"
# "在哪仲裁" asked of the station finder: the venue rule is said when it ranks first this clearly.
VENUE_SIMILARITY = 0.25
VENUE_LEAD = 0.75


def venue_note(text: str) -> Optional[str]:
    """The jurisdiction rule (劳动争议调解仲裁法 §21) when a "where" question is about it."""
    hits = faq.rank(text, None, limit=2)
    if not hits or hits[0].entry.key != VENUE_KEY or hits[0].score < VENUE_SIMILARITY:
        return None
    if len(hits) > 1 and hits[1].score > VENUE_LEAD * hits[0].score:
        return None
    return f"关于「{hits[0].entry.title}」：{hits[0].entry.answer}"
