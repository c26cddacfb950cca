"""Answers to the common questions under each topic (`bot/law/faq.yml`), found by similarity.

The complaint intent says the topic (work_injury); this module picks the question within it
(work_injury/deadline) by character n-gram similarity to the phrasings in faq.yml. Plain Python
with scikit-learn: no training step, well under a millisecond a lookup.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np
import yaml

FAQ_FILE = Path(__file__).with_name("faq.yml")
# Below this cosine similarity a question is answered with the topic's general guidance.
MIN_SIMILARITY = 0.3
_QUESTION = re.compile(r"[吗么嘛呢？?]|怎么|怎样|如何|多久|多少|多长|能不能|可不可以|可以|是否|有没有|咋|啥|什么|哪|谁|算不算|要不要|会不会|几")
# A question outside the intent's own topic must match more closely to be answered there.
CROSS_TOPIC_MARGIN = 0.1


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


@lru_cache(maxsize=1)
def entries() -> List[FaqEntry]:
    raw = yaml.safe_load(FAQ_FILE.read_text(encoding="utf-8"))
    return [FaqEntry(e["key"], e["title"], tuple(e["questions"]), " ".join(e["answer"].split()),
                     tuple((c[0], int(c[1])) for c in e.get("citations") or [])) for e in raw]


@lru_cache(maxsize=1)
def _index():
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = [(i, q) for i, e in enumerate(entries()) for q in (e.title,) + e.questions]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    matrix = vectorizer.fit_transform([q for _, q in rows])
    owners = [i for i, _ in rows]
    return vectorizer, matrix, owners, np.array([entries()[i].topic for i in owners])


def looks_like_a_question(text: str) -> bool:
    return bool(_QUESTION.search(text or ""))


def match(text: str, topic: Optional[str] = None) -> Optional[Tuple[FaqEntry, float]]:
    """The best entry for a worker's question (within `topic` if given), or None."""
    if not text or not text.strip():
        return None
    vectorizer, matrix, owners, topics = _index()
    scores = (matrix @ vectorizer.transform([text[:500]]).T).toarray().ravel()
    candidates = []
    if topic:
        own = np.where(topics == topic, scores, -1.0)
        candidates.append((int(own.argmax()), MIN_SIMILARITY))
    candidates.append((int(scores.argmax()), MIN_SIMILARITY + (CROSS_TOPIC_MARGIN if topic else 0)))
    for row, floor in candidates:
        if scores[row] >= floor:
            return entries()[owners[row]], float(scores[row])
    return None


def answer_for(text: str, topic: str) -> Optional[FaqEntry]:
    """An FAQ answer when the worker asked a question that one of the topic's entries answers."""
    if not looks_like_a_question(text):
        return None
    found = match(text, topic)
    return found[0] if found else None
