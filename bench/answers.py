"""Answer figures on the held-out questions (tests/data/answers_heldout.yml), through the real NLU.

Each question is parsed by the trained model, routed as data/rules.yml routes its intent, and
answered by the same functions the actions call. Reported: the share answered with the right
fact, answered wrongly (a listed wrong statement appears), answered without the fact, and fallen
to a chooser or a fallback; topic accuracy on the long multi-problem messages apart.

    make bench                                     # after `make train`
    python bench/answers.py --show-misses
    python bench/answers.py --rankers              # retrieval alone: TF-IDF and BM25 variants
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

HELDOUT = ROOT / "tests" / "data" / "answers_heldout.yml"
RIGHT, WRONG, MISSED, FALLBACK = "right", "wrong", "missed", "fallback"


@dataclass
class Outcome:
    question: str
    intent: str
    verdict: str
    kind: str
    key: Optional[str]
    topic: Optional[str]
    text: str


def load(path: Path = HELDOUT) -> List[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def respond(intent: str, text: str):
    """The reply the rules give this intent: (kind, FAQ key, topic, text)."""
    from bot.dialogue import complaints
    from bot.topics import TOPICS

    if intent in TOPICS:
        reply = complaints.complaint_reply(intent, complaints.Facts(), text)
    elif hasattr(complaints, "question_reply") and intent in ("dispute_procedure", "out_of_scope", "nlu_fallback",
                                                             "job_seeking"):
        reply = complaints.question_reply(intent, text)
    elif hasattr(complaints, "question_reply") and intent == "find_station":
        from bot.dialogue.answers import procedure_note

        note = procedure_note(text)  # said before "您在哪个区县或街道？"
        return ("answer", None, "dispute_procedure", note) if note else \
            ("fallback:find_station", None, None, "")
    else:
        reply = None  # case status, job seeking, stations, small talk: no answer to the question
    if reply is None:
        return "fallback:" + intent, None, None, ""
    kind = getattr(reply, "kind", "answer" if "关于「" in reply.text else "none")
    return kind, getattr(reply, "key", None), getattr(reply, "topic", None) or intent, reply.text


def verdict(item: dict, kind: str, text: str) -> str:
    if any(w in text for w in item.get("wrong") or []):
        return WRONG
    if kind.startswith("fallback") or kind == "choice" or "没找到对得上" in text:
        return FALLBACK
    return RIGHT if any(str(m) in text for m in item["must"]) else MISSED


def run(parse, items: List[dict]) -> List[Outcome]:
    outcomes = []
    for item in items:
        intent = parse(item["q"])["intent"]["name"]
        kind, key, topic, text = respond(intent, item["q"])
        if key and key.startswith("dispute_procedure/"):
            topic = "dispute_procedure"
        outcomes.append(Outcome(item["q"], intent, verdict(item, kind, text), kind, key, topic, text))
    return outcomes


def report(items: List[dict], outcomes: List[Outcome]) -> str:
    n = len(outcomes)
    counts = Counter(o.verdict for o in outcomes)
    multi = [(i, o) for i, o in zip(items, outcomes) if i.get("multi")]
    topic_right = sum(1 for i, o in multi if o.topic == i.get("topic"))
    lines = [f"answers on {n} held-out questions ({HELDOUT.relative_to(ROOT)})",
             f"  right fact     {counts[RIGHT] / n:6.1%}  ({counts[RIGHT]})",
             f"  wrong fact     {counts[WRONG] / n:6.1%}  ({counts[WRONG]})",
             f"  no fact        {counts[MISSED] / n:6.1%}  ({counts[MISSED]})",
             f"  chooser/fallback {counts[FALLBACK] / n:4.1%}  ({counts[FALLBACK]})"]
    if multi:
        lines.append(f"  multi-problem messages: topic accuracy {topic_right / len(multi):.1%} "
                     f"({topic_right}/{len(multi)}), right fact "
                     f"{sum(1 for _, o in multi if o.verdict == RIGHT) / len(multi):.1%}")
    return "\n".join(lines)


# --- retrieval alone: which ranker ------------------------------------------------------------

def rankers():
    from bot.law import faq
    from sklearn.feature_extraction.text import TfidfVectorizer
    import numpy as np

    class CharTfidf(faq.TfidfRanker):
        """The ranker before issue 14: character 1-3-grams only."""

        def __init__(self, docs):
            self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
            self.matrix = self.vectorizer.fit_transform(docs)

    class RankBm25:
        def __init__(self, docs):
            from rank_bm25 import BM25Okapi

            self.bm25 = BM25Okapi([faq.tokens(d) for d in docs])

        def scores(self, query):
            return np.asarray(self.bm25.get_scores(faq.tokens(query)))

    class Bm25s:
        def __init__(self, docs):
            import bm25s

            self.bm25 = bm25s.BM25()
            self.bm25.index([faq.tokens(d) for d in docs], show_progress=False)

        def scores(self, query):
            return np.asarray(self.bm25.get_scores(faq.tokens(query)))

    return {"char TF-IDF (before)": CharTfidf, "words+chars TF-IDF": faq.TfidfRanker,
            "rank-bm25 words+chars": RankBm25, "bm25s words+chars": Bm25s}


def compare_rankers(items: List[dict]) -> None:
    """Dev: each FAQ phrasing against the others (leave one out). Held-out: the top entry's
    answer carries the fact (no NLU, no prior): reported, not tuned on."""
    import numpy as np
    from bot.law import faq

    rows = [(e, q) for e in faq.entries() for q in e.phrasings]
    keys = np.array([e.key for e, _ in rows])
    for name, make in rankers().items():
        try:
            ranker = make([q for _, q in rows])
        except ImportError as missing:
            print(f"{name:24s} not installed ({missing.name})")
            continue
        start = time.perf_counter()
        dev = 0
        for i, (entry, q) in enumerate(rows):
            scores = ranker.scores(q)
            scores[i] = -np.inf
            dev += keys[int(scores.argmax())] == entry.key
        held = 0
        for item in items:
            scores = ranker.scores(item["q"])
            best = {}
            for key, score in zip(keys, scores):
                best[key] = max(best.get(key, -np.inf), score)
            answer = faq.by_key(max(best, key=best.get)).answer
            held += any(str(m) in answer for m in item["must"])
        ms = (time.perf_counter() - start) * 1000 / (len(rows) + len(items))
        print(f"{name:24s} dev top-1 {dev / len(rows):6.1%}   held-out fact {held / len(items):6.1%}   {ms:5.2f} ms/query")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/gongyou.tar.gz")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--rankers", action="store_true", help="compare retrieval methods, then stop")
    args = parser.parse_args()
    items = load()
    if args.rankers:
        compare_rankers(items)
        return
    logging.disable(logging.WARNING)
    from bot.nlu.evaluation import load_agent

    agent = load_agent(args.model)
    loop = asyncio.new_event_loop()
    outcomes = run(lambda text: loop.run_until_complete(agent.parse_message(text)), items)
    print(report(items, outcomes))
    if args.show_misses:
        for item, o in zip(items, outcomes):
            if o.verdict != RIGHT or (item.get("multi") and o.topic != item.get("topic")):
                print(f"  [{o.verdict}] {o.question} | {o.intent} | {o.kind} {o.key} | {o.text[:60]!r}")


if __name__ == "__main__":
    main()
