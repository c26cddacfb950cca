"""Station figures: nearest-station query time over 100,000 stations, and how well places named
in text resolve (bench/data/place_phrasings.csv: message, expected 12-digit code or
AMBIGUOUS/UNKNOWN).

    .venv/bin/python bench/stations.py [--stations 100000] [--queries 2000]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.stations.locate import AMBIGUOUS, UNKNOWN, locate_text  # noqa: E402
from bot.stations.nearest import StationIndex  # noqa: E402
from bot.stations.station import KINDS, Station  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def bench_nearest(n_stations: int, n_queries: int) -> None:
    rng = random.Random(1)
    stations = [
        Station(str(i), f"站{i}", KINDS[i % len(KINDS)], "", "", rng.uniform(18, 50), rng.uniform(75, 134))
        for i in range(n_stations)
    ]
    start = time.perf_counter()
    index = StationIndex(stations)
    build_ms = (time.perf_counter() - start) * 1000
    points = [(rng.uniform(20, 45), rng.uniform(100, 122)) for _ in range(n_queries)]
    for kinds, label in ((None, "any kind"), (("工会服务站", "劳动争议调解中心"), "two kinds")):
        for p in points[:50]:
            index.nearest(*p, k=3, kinds=kinds)
        times = []
        for p in points:
            t = time.perf_counter()
            index.nearest(*p, k=3, kinds=kinds)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"nearest 3 of {n_stations:,} stations ({label}): p50 {percentile(times, 50):.3f} ms, "
            f"p95 {percentile(times, 95):.3f} ms, mean {statistics.mean(times):.3f} ms"
        )
    print(f"index build: {build_ms:.0f} ms")


def bench_places(path: Path) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    right, misses, times = 0, [], []
    for row in rows:
        t = time.perf_counter()
        where = locate_text(row["text"])
        times.append((time.perf_counter() - t) * 1000)
        got = {AMBIGUOUS: "AMBIGUOUS", UNKNOWN: "UNKNOWN"}.get(where.status, where.code)
        if got == row["expected"]:
            right += 1
        else:
            misses.append((row["text"], row["expected"], got))
    print(
        f"text → place: {right}/{len(rows)} = {right / len(rows):.3f} (p50 {percentile(times, 50):.3f} ms per message)"
    )
    for text, expected, got in misses:
        print(f"  miss: {text} | expected {expected} | got {got}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--places", type=Path, default=ROOT / "bench" / "data" / "place_phrasings.csv")
    args = parser.parse_args()
    bench_nearest(args.stations, args.queries)
    locate_text("预热")
    bench_places(args.places)


if __name__ == "__main__":
    main()
