"""CPU time of one NLU parse (`agent.parse_message`), with and without bot/runtime/rasa_nlu.py.

    .venv/bin/python bench/parse_cpu.py [--rounds 4] [--repeat 3] [--test tests/data/nlu_test.yml]

Each round starts two fresh processes, Rasa's code then the speed-ups (the order swapped every
other round, so a busy machine's drift falls on both alike); each loads the trained model, parses
the held-out file once to warm up, then --repeat times, taking `time.process_time()` around every
parse. Printed: mean and p95 per message of each side over all rounds, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def measure(model: str, test: str, repeat: int, fast: bool) -> List[float]:
    import asyncio
    import time

    from bot.nlu.evaluation import load_agent, load_examples
    from bot.runtime import rasa_nlu

    logging.disable(logging.WARNING)
    if fast:
        rasa_nlu.install()
    agent = load_agent(model)
    texts = [e.text for e in load_examples(test)]
    loop = asyncio.new_event_loop()
    for text in texts:
        loop.run_until_complete(agent.parse_message(text))
    cpu = []
    for _ in range(repeat):
        for text in texts:
            start = time.process_time()
            loop.run_until_complete(agent.parse_message(text))
            cpu.append((time.process_time() - start) * 1000)
    return cpu


def p95(values: List[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/gongyou.tar.gz")
    parser.add_argument("--test", default="tests/data/nlu_test.yml")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", choices=["rasa", "fast"], help=argparse.SUPPRESS)  # a child process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.model, args.test, args.repeat, args.one == "fast")))
        return
    cpu: Dict[str, List[float]] = {"rasa": [], "fast": []}
    for i in range(args.rounds):
        for side in ("rasa", "fast") if i % 2 == 0 else ("fast", "rasa"):
            done = subprocess.run(
                [sys.executable, __file__, "--one", side, "--model", args.model, "--test", args.test]
                + ["--repeat", str(args.repeat)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            values = json.loads(done.stdout.strip().splitlines()[-1])
            cpu[side] += values
            mean = statistics.mean(values)
            print(f"round {i + 1} {side:4}: mean {mean:.2f} ms, p95 {p95(values):.2f} ms", flush=True)
    n = len(cpu["rasa"]) // max(1, args.rounds * args.repeat)
    print(f"{n} held-out messages × {args.repeat} × {args.rounds} rounds, CPU per parse (process_time):")
    for side, label in (("rasa", "Rasa's own code"), ("fast", "with rasa_nlu.py")):
        print(f"  {label:17} mean {statistics.mean(cpu[side]):.2f} ms   p95 {p95(cpu[side]):.2f} ms")
    print(
        f"  ratio             mean {statistics.mean(cpu['rasa']) / statistics.mean(cpu['fast']):.2f}×"
        f"   p95 {p95(cpu['rasa']) / p95(cpu['fast']):.2f}×"
    )


if __name__ == "__main__":
    main()
