"""Follow-up scheduler figures: how fast due follow-ups are claimed and sent, by one replica and
by several claiming at once, on an SQLite file and on PostgreSQL (localhost:5432), and what the
chat hook adds to a message.

    python bench/followups.py                  # 2,000 follow-ups, 1 and 4 replicas, both databases
    python bench/followups.py --rows 10000 --replicas 8 --only postgresql
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bot.followups import replies, scheduler  # noqa: E402
from bot.followups.channels import CALL, WEB, CallList, Channels, WebInbox  # noqa: E402
from bot.storage.engine import make_engine, session_factory, upgrade  # noqa: E402
from bot.storage.tables import Case, Followup  # noqa: E402

PG_ADMIN = "postgresql://postgres@localhost:5432/postgres"
DUE = datetime(2026, 12, 15, 1, 0, tzinfo=timezone.utc)


def fill(url: str, rows: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        for n in range(rows // 2):
            case = Case(case_no=f"GY20261201-{n + 1:04d}", category="wage_arrears", sender_id=f"rest-b{n}")
            session.add(case)
            session.flush()
            for kind in ("status", "instalment"):
                session.add(Followup(case_id=case.id, kind=kind, seq=1, due=DUE, text=f"{kind} {n}"))
        session.commit()
    engine.dispose()


def round_(url: str, replicas: int) -> tuple:
    engines = [make_engine(url) for _ in range(replicas)]
    channels = Channels({WEB: WebInbox(), CALL: CallList()})
    counts: list = []
    gate = threading.Barrier(replicas)

    def one(engine) -> None:
        gate.wait()
        counts.append(scheduler.run_due(session_factory(engine), channels, DUE))

    threads = [threading.Thread(target=one, args=(e,)) for e in engines]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    for e in engines:
        e.dispose()
    return sum(counts), seconds


def turn_ms(url: str, samples: int = 200) -> float:
    engine = make_engine(url)
    sessions = session_factory(engine)
    times = []
    for n in range(samples):
        started = time.perf_counter()
        replies.turn(sessions, f"rest-b{n}", "你好")
        times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return statistics.median(times)


def database(kind: str):
    if kind == "sqlite":
        folder = tempfile.mkdtemp()
        return f"sqlite:///{folder}/bench.sqlite3", lambda: None
    name = f"gongyou_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))

    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--replicas", type=int, default=4)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    for kind in [args.only] if args.only else ["sqlite", "postgresql"]:
        for replicas in sorted({1, args.replicas}):
            url, drop = database(kind)
            try:
                fill(url, args.rows)
                sent, seconds = round_(url, replicas)
                again, _ = round_(url, replicas)
                line = f"{kind:10} replicas={replicas}: sent {sent}/{args.rows} in {seconds:.2f} s"
                print(f"{line} ({sent / seconds:.0f}/s), sent again: {again}")
                if replicas == 1:
                    print(f"{kind:10} chat hook (turn, nothing due): median {turn_ms(url):.1f} ms")
            finally:
                drop()


if __name__ == "__main__":
    main()
