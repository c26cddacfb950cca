"""PostgreSQL and Redis restarted under load: what the workers see, and what the case table keeps.

    .venv/bin/python bench/disrupt.py [--users 10] [--duration 60]

The machine's own servers are shared with other work, so this starts a private PostgreSQL
cluster (initdb as the postgres user, a free port) and a private Redis, runs the production
command on them (two Rasa replicas behind nginx, RabbitMQ as usual), drives the load of
bench/load.py and restarts PostgreSQL at a quarter of the run and Redis at the half. It prints
every error the workers got, by kind (they are reported, not hidden), and checks the case table:
every case number a worker was shown is there, none twice.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  bench/load.py

PG_BIN = Path(sorted(glob("/usr/lib/postgresql/*/bin"))[-1]) if glob("/usr/lib/postgresql/*/bin") else None


def as_postgres(*cmd: str) -> None:
    # PostgreSQL refuses to run as root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(prefix + list(cmd), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=120)


class PrivatePostgres:
    def __init__(self, workdir: Path) -> None:
        self.dir, self.port = workdir / "pg", load.free_port()
        self.dir.mkdir()
        shutil.chown(self.dir, "postgres") if os.geteuid() == 0 else None
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.dir), "-U", "postgres", "--auth=trust")
        self.start()

    def _ctl(self, action: str) -> None:
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.dir),
            "-w",
            "-l",
            str(self.dir / "log"),
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
            action,
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        self._ctl("stop")


class PrivateRedis:
    def __init__(self) -> None:
        self.port = load.free_port()
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


async def delete_queue(name: str) -> None:
    """Nothing consumes this run's events (no consumer here): the queue and exchange go with it."""
    import aio_pika

    connection = await aio_pika.connect("amqp://guest:guest@127.0.0.1:5672/", timeout=10)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)
        await channel.exchange_delete(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=float, default=60)
    args = parser.parse_args()
    from sqlalchemy import create_engine, text

    from bot.runtime.production import Deployment

    workdir = Path(tempfile.mkdtemp(prefix="gongyou-disrupt-"))
    shutil.chown(workdir, "postgres") if os.geteuid() == 0 else None
    pg, rd = PrivatePostgres(workdir), PrivateRedis()
    env = {k: v for k, v in os.environ.items() if k not in ("CASES_API_URL", "GONGYOU_SERVICE_TOKEN")}
    env.update(
        {
            "TRACKER_DB_PORT": str(pg.port),
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{pg.port}/gongyou",
            "REDIS_PORT": str(rd.port),
            "RABBITMQ_QUEUE": f"gongyou_disrupt_{pg.port}",
            "RABBITMQ_EXCHANGE": f"gongyou_disrupt_{pg.port}",
            "TICKET_LOCK_LIFETIME": "10",
        }
    )
    # Production refuses to start without it; this run's own.
    env.setdefault("RASA_AUTH_TOKEN", secrets.token_urlsafe(24))
    deployment = Deployment(
        ROOT / "models" / "gongyou.tar.gz",
        workdir / "run",
        replicas=2,
        actions=1,
        web=1,
        public_port=load.free_port(),
        env=env,
        consumer=False,
        restart=False,
    )
    events = []
    try:
        deployment.start()
        down = deployment.wait_until_up()
        if down:
            print("did not start:", down)
            return 1
        url = f"http://127.0.0.1:{deployment.entry.public}/webhooks/rest/webhook"

        async def run():
            async def disrupt():
                await asyncio.sleep(args.duration / 4)
                events.append(("PostgreSQL restart", time.perf_counter()))
                await asyncio.get_running_loop().run_in_executor(None, pg.restart)
                events.append(("PostgreSQL back", time.perf_counter()))
                await asyncio.sleep(args.duration / 4)
                events.append(("Redis restart", time.perf_counter()))
                await asyncio.get_running_loop().run_in_executor(None, rd.restart)
                events.append(("Redis back", time.perf_counter()))

            task = asyncio.create_task(disrupt())
            result = await load.drive(url, args.users, args.duration, (0.1, 0.5), load.gongyou_conversation)
            await task
            return result

        start = time.perf_counter()
        res, elapsed = asyncio.run(run())
        for what, at in events:
            print(f"{at - start:6.1f} s  {what}")
        figures = load.figures(res, elapsed)
        print(
            f"{figures['turns']} turns, {figures['turns/s']:.1f}/s, p50 {figures['p50 ms']:.0f} ms, "
            f"p95 {figures['p95 ms']:.0f} ms, p99 {figures['p99 ms']:.0f} ms, "
            f"{res.conversations} conversations completed"
        )
        print(f"errors the workers saw: {res.errors or 'none'}")
        if res.error_times:
            seconds = sorted({int(t - start) for t in res.error_times})
            print(f"seconds of the run with errors: {seconds}")
        slow = [(s, round(b - a, 1)) for s, a, b in res.turns if b - a > 2]
        print(f"turns slower than 2 s: {len(slow)}")
        engine = create_engine(env["DATABASE_URL"])
        with engine.connect() as conn:
            stored = [r.case_no for r in conn.execute(text("SELECT case_no FROM cases"))]
        engine.dispose()
        shown = set(res.cases)
        print(
            f"cases shown {len(shown)}, stored {len(stored)}, shown but missing {len(shown - set(stored))}, "
            f"stored twice {len(stored) - len(set(stored))}, stored but never shown {len(set(stored) - shown)}"
        )
        outboxes = [p.name for p in (workdir / "run").glob("outbox-*.sqlite3")]
        print(f"outboxes: {outboxes} (drafts kept while the case service was down)")
    finally:
        deployment.stop()
        rd.stop()
        pg.stop()
        asyncio.run(delete_queue(env["RABBITMQ_QUEUE"]))
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
