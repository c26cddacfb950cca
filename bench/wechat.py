"""Passive-reply time of the WeChat channel under concurrent simulated users.

Start GongYou with WECHAT_TOKEN set (e.g. `WECHAT_TOKEN=bench make run`), then:
    .venv/bin/python bench/wechat.py --token bench [--users 20] [--turns 5] [--aes-key K --appid A]
Each user sends signed XML with think time and waits for the passive reply; a `success`
(answer sent later through the customer-service API) is counted separately.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.channels.wechat_sim import Simulator, message_xml, simulator_from, simulator_parser  # noqa: E402

TURNS = [
    "老板欠我两个月工资，一共八千",
    "我们16个工人被拖了三个月工资",
    "公司不给交社保怎么办",
    "工伤认定要多久",
    "被辞退了有补偿吗",
    "最近的服务站在哪",
    "我在渝中区",
    "加班费怎么算",
    "谢谢",
]


def user(sim: Simulator, turns: int, seed: int):
    rng = random.Random(seed)
    openid = f"o_bench_{uuid.uuid4().hex[:10]}"
    times, deferred, errors = [], 0, 0
    for _ in range(turns):
        text = rng.choice(TURNS)
        start = time.perf_counter()
        try:
            reply = sim.post(message_xml(openid, "text", text, uuid.uuid4().int % 10**16), timeout=10)
            elapsed = time.perf_counter() - start
            if reply.status_code != 200:
                errors += 1
            elif reply.text == "success":
                deferred += 1
            else:
                times.append(elapsed)
        except Exception:
            errors += 1
        time.sleep(rng.uniform(0.2, 0.8))  # think time
    return times, deferred, errors


def main() -> None:
    parser = simulator_parser(__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--turns", type=int, default=5)
    args = parser.parse_args()
    sim = simulator_from(args)
    with ThreadPoolExecutor(max_workers=args.users) as pool:
        results = list(pool.map(lambda i: user(sim, args.turns, i), range(args.users)))
    times = sorted(t for r in results for t in r[0])
    deferred, errors = sum(r[1] for r in results), sum(r[2] for r in results)
    pct = lambda q: times[min(len(times) - 1, int(round(q / 100 * (len(times) - 1))))] * 1000  # noqa: E731
    mode = "safe (AES)" if args.aes_key else "plaintext"
    print(
        f"{args.users} users × {args.turns} turns, {mode}: {len(times)} passive replies, "
        f"{deferred} deferred to the customer-service API, {errors} errors"
    )
    if times:
        print(
            f"passive reply p50 {pct(50):.0f} ms, p95 {pct(95):.0f} ms, max {times[-1] * 1000:.0f} ms, "
            f"mean {statistics.mean(times) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
