"""Score a trained model on held-out examples: intents, entity values, parse latency.

Shared by `bench/nlu.py` (prints figures) and `tests/test_nlu_quality.py` (asserts the floors).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from sklearn.metrics import f1_score

NUMERIC = {"amount", "duration", "worker_count"}


@dataclass
class Example:
    text: str
    intent: str
    entities: List[Tuple[str, str]]  # (entity, gold value as text)


@dataclass
class Report:
    n: int
    accuracy: float
    macro_f1: float
    confusions: List[Tuple[str, str, int]]
    entity_gold: int
    entity_matched: int
    entity_predicted: int
    latencies_ms: List[float] = field(default_factory=list)
    misses: List[Tuple[str, str, str]] = field(default_factory=list)
    entity_misses: List[Tuple[str, str, str, Any]] = field(default_factory=list)

    @property
    def entity_accuracy(self) -> float:
        return self.entity_matched / self.entity_gold if self.entity_gold else 1.0

    @property
    def entity_precision(self) -> float:
        return self.entity_matched / self.entity_predicted if self.entity_predicted else 1.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def load_examples(path: str) -> List[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(path)
    return [
        Example(
            m.get("text"), m.get("intent"), [(e["entity"], str(e.get("value", ""))) for e in (m.get("entities") or [])]
        )
        for m in data.training_examples
    ]


def top_intent(name: Optional[str]) -> str:
    return (name or "").split("/")[0]


def value_matches(entity: str, gold: str, predicted: Any) -> bool:
    if entity in NUMERIC or entity == "phone":
        try:
            return abs(float(gold) - float(predicted)) < 0.01
        except (TypeError, ValueError):
            return False
    return str(gold).strip() == str(predicted).strip()


def score(examples: List[Example], parses: List[Dict[str, Any]], latencies: List[float]) -> Report:
    gold = [e.intent for e in examples]
    pred = [top_intent((p.get("intent") or {}).get("name")) for p in parses]
    labels = sorted(set(gold))
    confusions = Counter((g, p) for g, p in zip(gold, pred) if g != p)
    matched = predicted = total = 0
    entity_misses = []
    for example, parse in zip(examples, parses):
        found = [(e["entity"], e.get("value")) for e in parse.get("entities") or []]
        predicted += len(found)
        remaining = list(found)
        for entity, value in example.entities:
            total += 1
            hit = next((f for f in remaining if f[0] == entity and value_matches(entity, value, f[1])), None)
            if hit:
                matched += 1
                remaining.remove(hit)
            else:
                entity_misses.append((example.text, entity, value, found))
    return Report(
        n=len(examples),
        accuracy=sum(g == p for g, p in zip(gold, pred)) / len(examples),
        macro_f1=f1_score(gold, pred, labels=labels, average="macro", zero_division=0),
        confusions=[(g, p, n) for (g, p), n in confusions.most_common()],
        entity_gold=total,
        entity_matched=matched,
        entity_predicted=predicted,
        latencies_ms=latencies,
        misses=[(e.text, e.intent, p) for e, p in zip(examples, pred) if e.intent != p],
        entity_misses=entity_misses,
    )


async def parse_all(agent: Any, texts: List[str], warmup: int = 5) -> Tuple[List[Dict[str, Any]], List[float]]:
    for text in texts[:warmup]:
        await agent.parse_message(text)
    parses, latencies = [], []
    for text in texts:
        start = time.perf_counter()
        parses.append(await agent.parse_message(text))
        latencies.append((time.perf_counter() - start) * 1000)
    return parses, latencies


def evaluate(agent: Any, path: str) -> Report:
    examples = load_examples(path)
    parses, latencies = asyncio.run(parse_all(agent, [e.text for e in examples]))
    return score(examples, parses, latencies)


def load_agent(model_path: str) -> Any:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's structured log prints every parse (user text included) at debug level.
    configure_structlog(logging.WARNING)
    return Agent.load(model_path)


def format_report(name: str, report: Report) -> str:
    lines = [
        f"== {name}: {report.n} held-out examples",
        f"intent accuracy        {report.accuracy:.3f}",
        f"intent macro-F1        {report.macro_f1:.3f}",
        f"entity value accuracy  {report.entity_accuracy:.3f}  ({report.entity_matched}/{report.entity_gold}),"
        f" precision {report.entity_precision:.3f}",
        f"parse latency p50      {report.percentile(50):.1f} ms",
        f"parse latency p95      {report.percentile(95):.1f} ms",
        f"mean latency           {statistics.mean(report.latencies_ms):.1f} ms" if report.latencies_ms else "",
        "confusion pairs (gold → predicted: count):",
    ]
    lines += [f"  {g} → {p}: {n}" for g, p, n in report.confusions[:15]]
    return "\n".join(line for line in lines if line)
