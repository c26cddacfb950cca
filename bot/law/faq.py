"""Answers to the questions workers ask (`bot/law/faq.yml`), found across the whole FAQ.

Every entry has several phrasings; a worker's question is ranked against all of them, whatever
topic the NLU gave it. The topic is a prior (a small boost), not a gate, so "欠工资能不能走支付令"
classified as wage_arrears still finds the 支付令 answer filed under dispute_procedure.

Ranking: TF-IDF over jieba words plus character uni- and bigrams, cosine similarity, an entry
scored by its best phrasing. Chosen by measurement against BM25 (rank-bm25, bm25s) on the
same tokens and against the earlier character-only TF-IDF: `python bench/answers.py --rankers`
(README "Answers"). Plain scikit-learn, no training step, under a millisecond a lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from bot.text.typos import fix_typos

FAQ_FILE = Path(__file__).with_name("faq.yml")
TERMS_FILE = Path(__file__).resolve().parents[1] / "nlu" / "dictionary" / "labour_terms.txt"

# Thresholds on `scores` (0 to 1), set on the FAQ's own phrasings, each left out in turn, and on the
# NLU's small-talk and out-of-scope examples (bench/answers.py --calibrate); never on the held-out set.
# Below this nothing is close enough: the worker is told so and offered the nearest (keeps 95%
# of the phrasings whose entry ranks first).
MIN_SIMILARITY = 0.2
# A message that is not phrased as a question is answered only when it matches this closely
# (a button's payload is an entry's own title, which scores 0.62 or more against itself).
STATEMENT_SIMILARITY = 0.6
# A story with no question ("怀孕了公司要辞退我") is answered by an entry this close that also
# leads the runner-up; otherwise it gets the topic's guidance. 0.25 keeps 84% of the right-ranked
# phrasings (--calibrate) and leaves plain stories ("老板欠我两个月工资，一共八千", 0.21) on guidance.
# The lead is a question's (CLOSE_RATIO): a story close to two answers gets the better one with a
# button for the other, not the general guidance that has neither fact.
NARRATIVE_SIMILARITY = 0.25
NARRATIVE_LEAD = 0.999
# An entry's score: its best phrasing, plus these shares of its answer's and of all its phrasings'
# similarity (leave-one-out over the FAQ's own phrasings: 43% top-1 without, 50% with).
ANSWER_WEIGHT = 0.5
TOGETHER_WEIGHT = 0.5
# The NLU's topic multiplies the scores of its own entries by this much.
PRIOR_BOOST = 1.15
# A runner-up within this share of the best is close enough to offer both.
CLOSE_RATIO = 0.99
# A runner-up within this share is offered as a button beside the answer.
RELATED_RATIO = 0.85

_QUESTION = re.compile(
    r"[吗么嘛呢？?]|怎么|怎样|如何|多久|多少|多长|能不能|可不可以|可以|是否|有没有|咋|啥|什么|哪|谁|"
    r"算不算|要不要|会不会|几|[还]能|行不行|合法|正常|管不管|找谁|给不给|点算|点办|点搞|点样"
)
_PUNCTUATION = re.compile(r"[\s，。、；：！？,.;:!?“”\"'（）()《》【】…—\-~～]+")
# Words that carry no meaning for matching (kept short: most question words are signal here).
# Colloquial words written as the FAQ writes them, before tokens are taken.
_SYNONYMS = (
    ("咋个", "怎么"),
    ("咋样", "怎样"),
    # Cantonese: 点算、点办 are "what should I do".
    ("点算", "怎么办"),
    ("点办", "怎么办"),
    ("点搞", "怎么办"),
    ("咋", "怎么"),
    ("啥", "什么"),
    ("补交", "补缴"),
    ("工钱", "工资"),
    ("要工资", "讨工资"),
    ("薪水", "工资"),
    ("薪资", "工资"),
    ("炒鱿鱼", "辞退"),
    ("炒了", "辞退了"),
    ("俺", "我"),
    ("公司", "单位"),
    ("厂里", "单位"),
    ("老板", "单位"),
)
_STOP = frozenset(
    "的 了 吗 呢 啊 吧 呀 嘛 么 我 我们 你 您 他 她 是 在 有 和 就 都 也 还 要 会 能 请问 你好 您好 一下 想 问".split()
)


@dataclass(frozen=True)
class FaqEntry:
    key: str
    title: str
    questions: Tuple[str, ...]
    answer: str
    citations: Tuple[Tuple[str, int], ...]

    @property
    def topic(self) -> str:
        return self.key.split("/")[0]

    @property
    def phrasings(self) -> Tuple[str, ...]:
        return (self.title,) + self.questions


@dataclass(frozen=True)
class Hit:
    entry: FaqEntry
    score: float


@lru_cache(maxsize=1)
def entries() -> List[FaqEntry]:
    raw = yaml.safe_load(FAQ_FILE.read_text(encoding="utf-8"))
    return [
        FaqEntry(
            e["key"],
            e["title"],
            tuple(e["questions"]),
            " ".join(e["answer"].split()),
            tuple((c[0], int(c[1])) for c in e.get("citations") or []),
        )
        for e in raw
    ]


def by_key(key: str) -> Optional[FaqEntry]:
    return next((e for e in entries() if e.key == key), None)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if TERMS_FILE.exists():
        tokenizer.load_userdict(str(TERMS_FILE))
    return tokenizer


def tokens(text: str) -> List[str]:
    """jieba words plus character unigrams and bigrams: words carry meaning, characters survive
    the spelling and segmentation of colloquial questions."""
    text = _PUNCTUATION.sub(" ", fix_typos(text or "")[:500]).strip()
    for colloquial, written in _SYNONYMS:
        text = text.replace(colloquial, written)
    words = [w for w in _jieba().lcut(text) if w.strip() and w not in _STOP]
    chars = [c for c in text if not c.isspace()]
    bigrams = [a + b for a, b in zip(chars, chars[1:]) if not (a.isspace() or b.isspace())]
    return ["w:" + w for w in words] + ["c:" + c for c in chars if c not in _STOP] + ["b:" + b for b in bigrams]


class TfidfRanker:
    """Cosine similarity of TF-IDF vectors over `tokens` (the one GongYou uses)."""

    def __init__(self, docs: Sequence[str], analyzer: Callable[[str], List[str]] = tokens):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform(docs)

    def scores(self, query: str) -> np.ndarray:
        return (self.matrix @ self.vectorizer.transform([query]).T).toarray().ravel()


@lru_cache(maxsize=1)
def _index():
    """One TF-IDF space over every phrasing, every answer and every entry's phrasings together."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = [(i, q) for i, e in enumerate(entries()) for q in e.phrasings]
    vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True)
    matrix = vectorizer.fit_transform(
        [q for _, q in rows] + [e.answer for e in entries()] + [" ".join(e.phrasings) for e in entries()]
    )
    n, m = len(rows), len(entries())
    return vectorizer, matrix[:n], matrix[n : n + m], matrix[n + m :], np.array([i for i, _ in rows])


def scores(text: str) -> np.ndarray:
    """Similarity of a message to each entry, 0 to 1: its best phrasing, its answer and all its
    phrasings together, weighted as measured (bench/answers.py --rankers)."""
    vectorizer, phrasings, answers, together, owners = _index()
    query = vectorizer.transform([text[:500]]).T
    best = np.zeros(len(entries()))
    np.maximum.at(best, owners, (phrasings @ query).toarray().ravel())
    combined = (
        best
        + ANSWER_WEIGHT * (answers @ query).toarray().ravel()
        + TOGETHER_WEIGHT * (together @ query).toarray().ravel()
    )
    return combined / (1 + ANSWER_WEIGHT + TOGETHER_WEIGHT)


def looks_like_a_question(text: str) -> bool:
    return bool(_QUESTION.search(text or ""))


def rank(text: str, prior: Optional[str] = None, limit: int = 5) -> List[Hit]:
    """The closest entries to a worker's message, best first, each scored by its best phrasing."""
    if not text or not text.strip():
        return []
    best = scores(text)
    if prior:
        best = best * np.array([PRIOR_BOOST if e.topic == prior else 1.0 for e in entries()])
    order = np.argsort(-best)[:limit]
    return [Hit(entries()[i], float(best[i])) for i in order if best[i] > 0]


def match(text: str, topic: Optional[str] = None) -> Optional[Tuple[FaqEntry, float]]:
    """The best entry for a worker's question (the topic only as a prior), or None."""
    hits = rank(text, topic, limit=1)
    if hits and hits[0].score >= MIN_SIMILARITY:
        return hits[0].entry, hits[0].score
    return None


def answers_a_statement(hits: Sequence[Hit]) -> bool:
    """Whether a message not phrased as a question is still answered by the best of `hits`."""
    if not hits:
        return False
    top = hits[0].score
    clear = len(hits) < 2 or hits[1].score <= NARRATIVE_LEAD * top
    return top >= STATEMENT_SIMILARITY or (top >= NARRATIVE_SIMILARITY and clear)


def answer_for(text: str, topic: Optional[str] = None) -> Optional[FaqEntry]:
    """An FAQ answer when the worker asked a question one of the entries answers."""
    hits = rank(text, topic, limit=2)
    if not hits or hits[0].score < MIN_SIMILARITY:
        return None
    if not looks_like_a_question(text) and not answers_a_statement(hits):
        return None
    return hits[0].entry
