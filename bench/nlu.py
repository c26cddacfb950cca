"""NLU figures on the held-out set: accuracy, macro-F1, confusions, entity values, latency.

make bench                                   # the model `make train` built
python bench/nlu.py --model a.tar.gz --model b.tar.gz --show-misses
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bot.nlu.evaluation import evaluate, format_report, load_agent  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", help="model archive (repeatable)")
    parser.add_argument("--test", default="tests/data/nlu_test.yml")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    for model in args.model or ["models/gongyou.tar.gz"]:
        report = evaluate(load_agent(model), args.test)
        print(format_report(model, report))
        if args.show_misses:
            print("intent misses (text | gold | predicted):")
            for text, gold, pred in report.misses:
                print(f"  {text} | {gold} | {pred}")
            print("entity misses (text | entity | gold | found):")
            for text, entity, value, found in report.entity_misses:
                print(f"  {text} | {entity} | {value} | {found}")


if __name__ == "__main__":
    main()
