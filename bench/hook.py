"""What the chat channels' follow-up hook costs per message (issue 18): the web side started alone
on a free port with its own SQLite file, the hook (bot/followups/chat.py `before_reply`) called
here as the Rasa process calls it, over HTTP with the service token.

    .venv/bin/python bench/hook.py [--conversations 20] [--calls 300]

Prints, for three kinds of sender (no case yet; a web chat worker with a case and a return
visit planned for later; a WeChat worker likewise, whose last message time is kept):
- web CPU per call to /api/followups/turn (the web process's user + system time over --calls calls),
- per whole-case conversation (bench/load.py's script, no think time): calls that reached the web
  side, the web process's CPU per message, this process's CPU per message (the HTTP client's work,
  which the Rasa process pays), and the hook's wall time per message (median and p95).
CPU, not wall, is the figure to compare on a busy machine; run it A/B interleaved.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import FOLLOWED, gongyou_script  # noqa: E402
from bot.storage.engine import make_engine, session_factory, upgrade  # noqa: E402
from bot.storage.tables import Case, Followup  # noqa: E402
from bot.web.health import free_port  # noqa: E402

KINDS = {"no case": "rest-new-", "web case": "rest-case-", "WeChat case": "oWeChat-"}


def start_web(workdir: Path) -> tuple:
    port, token = free_port(), secrets.token_urlsafe(32)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'cases.sqlite3'}",
        "GONGYOU_WEB_PORT": str(port),
        "GONGYOU_SERVICE_TOKEN": token,
        "GONGYOU_OPERATOR_TOKEN": secrets.token_urlsafe(32),
        "GONGYOU_FOLLOWUP_EVERY_SECONDS": "0",  # no scheduler rounds in the figures
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.web.app"],
        cwd=ROOT,
        env=env,
        stdout=open(workdir / "web.log", "w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 120
    while True:  # any answer will do: /healthz says 503 without Rasa and the action server
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.terminate()
            raise RuntimeError(f"web side not up (see {workdir / 'web.log'})")
        try:
            requests.get(url + "/healthz", timeout=5)
            return proc, url, token, env["DATABASE_URL"]
        except requests.RequestException:
            time.sleep(0.5)


def seed(database: str, senders: List[str]) -> None:
    """A draft case with a return visit due in a month for each sender."""
    engine = make_engine(database)
    upgrade(engine)
    due = datetime.now(timezone.utc) + timedelta(days=30)
    with session_factory(engine)() as session:
        for n, sender in enumerate(senders):
            case = Case(case_no=f"GY20261130-{n + 1:04d}", category="wage_arrears", sender_id=sender)
            session.add(case)
            session.flush()
            session.add(Followup(case_id=case.id, kind="instalment", seq=1, due=due, text="第一期今天该到账了吗？"))
        session.commit()
    engine.dispose()


def cpu(proc: psutil.Process) -> float:
    return sum(proc.cpu_times()[:2])


def per_call(web: psutil.Process, senders: List[str], calls: int) -> float:
    from bot.followups import chat

    before = cpu(web)
    for n in range(calls):
        chat.turn(senders[n % len(senders)], "你好")
    return (cpu(web) - before) * 1000 / calls


def conversations(web: psutil.Process, senders: List[str], rng: random.Random) -> Dict[str, float]:
    from bot.followups import chat

    calls = [0]
    real_turn = chat.turn

    def counted(sender_id: str, text: str):
        calls[0] += 1
        return real_turn(sender_id, text)

    walls: List[float] = []

    async def talk() -> None:
        # One event loop and its executor for every message, as in the Rasa process.
        for sender in senders:
            for text, _ in gongyou_script(rng):
                text = "ABCD-1234" if text == FOLLOWED else text
                started = time.perf_counter()
                await chat.before_reply(sender, text)
                walls.append((time.perf_counter() - started) * 1000)

    chat.turn = counted
    web_before, here_before = cpu(web), time.process_time()
    try:
        asyncio.run(talk())
    finally:
        chat.turn = real_turn
    messages = len(walls)
    walls.sort()
    return {
        "messages": messages / len(senders),
        "calls": calls[0] / len(senders),
        "web_cpu": (cpu(web) - web_before) * 1000 / messages,
        "here_cpu": (time.process_time() - here_before) * 1000 / messages,
        "wall_p50": statistics.median(walls),
        "wall_p95": walls[int(0.95 * (len(walls) - 1))],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="gongyou-hook-"))
    proc, url, token, database = start_web(workdir)
    try:
        os.environ.update(CASES_API_URL=url, GONGYOU_SERVICE_TOKEN=token)
        web = psutil.Process(proc.pid)
        rng = random.Random(18)
        senders = {kind: [f"{prefix}{n}" for n in range(args.conversations)] for kind, prefix in KINDS.items()}
        seed(database, senders["web case"] + senders["WeChat case"])
        from bot.followups import chat

        for prefix in KINDS.values():  # warm-up: connections, the web side's first queries
            for n in range(5):
                chat.turn(f"{prefix}{n}", "你好")
        print(f"{ROOT.name}: web side CPU per call to /api/followups/turn, and per whole-case conversation")
        for kind in KINDS:
            once = per_call(web, [f"{KINDS[kind]}{n}" for n in range(args.conversations)], args.calls)
            fig = conversations(web, [f"{s}-c" if kind == "no case" else s for s in senders[kind]], rng)
            print(
                f"  {kind:12} {once:5.2f} ms per call; per conversation of {fig['messages']:.1f} messages: "
                f"{fig['calls']:.1f} calls, web CPU {fig['web_cpu']:.2f} ms/message, hook client CPU "
                f"{fig['here_cpu']:.2f} ms/message, wall p50 {fig['wall_p50']:.2f} ms, p95 {fig['wall_p95']:.2f} ms",
                flush=True,
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
