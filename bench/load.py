"""Load benchmark: GongYou against a stock `rasa init` assistant, same machine, same load.

    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--think 0.1 0.5] [--url URL] [--no-stock]
                                   [--actions local|http]

N simulated workers each run whole conversations over the REST channel, one after the other until
the time is up: a wage-arrears complaint, the guidance, the intake (name, phone, the story), the
confirmation that opens a case, then a status query with the phone's last four digits. Each
reply is checked (it must be the answer to that turn, in order); a wrong or missing one is an
error. Think time between turns is drawn uniformly from --think (seconds).

Without --url, GongYou is started here in embedded mode (bot/runtime/launcher.py: in-memory tracker,
SQLite cases, the actions inside the Rasa process), which is what `make run` starts; with
--actions http, with an action server as production runs them. The stock assistant (`rasa init --no-prompt`,
trained once into build/stock-rasa/) is then started with its own action server and driven by the
same number of users with its own seven-turn script. Prints turns/s, p50/p95/p99, errors, the
resident memory and CPU per turn of every process of each stack, and the ratio. Then, on each
stack, one user alone: the mean latency and Rasa CPU of turns 1-4 against turns 17-20 of a
20-turn conversation, on the short script (GongYou: greeting, wage complaint, station search,
thanks) and on the whole case repeated under one sender.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.cases.numbers import PATTERN as CASE_NUMBER  # noqa: E402
from bot.web.health import free_port, wait_until_healthy  # noqa: E402

CASE_NO = re.compile(CASE_NUMBER)
# (complaint, whether it names how many workers): a complaint without a number gets the extra
# "一共几个人" question of the intake form.
COMPLAINTS = [
    ("我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万", True),
    ("老板欠我两个月工资，一共八千，在渝中区某火锅店干活", False),
    ("包工头跑了，沙坪坝区某建筑公司欠我们半年工资两万五", False),
]
NAMES = ["孙芳", "李建国", "王强", "张秀英", "刘师傅"]
STORIES = ["老板跑了，我们去厂里找不到人，有工资条", "一直说下个月给，拖到现在也没给，有聊天记录"]

# A turn: (message, check of the joined reply text). The check is what proves order: each reply
# must be the answer to this turn, not a late answer to the previous one.
Turn = Tuple[str, Callable[[str], bool]]
# The follow code the bot gave with the case number, typed back when the worker follows the case.
FOLLOWED = "<the follow code>"
FOLLOW_CODE = re.compile(r"查询码是 ([A-Z0-9-]{8,9})")


def gongyou_script(rng: random.Random) -> List[Turn]:
    """complaint → guidance → intake → confirmed case → status: 9 or 10 turns."""
    complaint, counted = rng.choice(COMPLAINTS)
    phone = f"13{rng.randint(5, 9)}{rng.randint(0, 10**8 - 1):08d}"
    turns: List[Turn] = [
        (complaint, lambda r: "拖欠工资" in r),
        ("/open_case", lambda r: "谁能看" in r),
        ("/affirm", lambda r: "姓名" in r),
        (rng.choice(NAMES), lambda r: "手机号" in r),
    ]
    if counted:
        turns.append((phone, lambda r: "经过" in r))
    else:
        turns += [(phone, lambda r: "几个人" in r), ("就我一个", lambda r: "经过" in r)]
    return turns + [
        (rng.choice(STORIES), lambda r: "请核对" in r and phone in r),
        ("/affirm", lambda r: bool(CASE_NO.search(r) and FOLLOW_CODE.search(r))),
        ("查进度", lambda r: "查询码" in r),
        (FOLLOWED, lambda r: "等服务站工作人员受理" in r),
    ]


STOCK_TURNS: List[Turn] = [
    ("hello", lambda r: "How are you" in r),
    ("I am sad", lambda r: "Did that help you?" in r),
    ("yes", lambda r: "Great, carry on!" in r),
    ("are you a bot?", lambda r: "I am a bot" in r),
    ("hi there", lambda r: "How are you" in r),
    ("I am great", lambda r: "Great, carry on!" in r),
    ("goodbye", lambda r: "Bye" in r),
]


@dataclass
class Results:
    latencies: List[float] = field(default_factory=list)
    errors: Dict[str, int] = field(default_factory=dict)
    conversations: int = 0
    cases: List[str] = field(default_factory=list)
    turns: List[Tuple[str, float, float]] = field(default_factory=list)  # sender, sent, answered
    error_times: List[float] = field(default_factory=list)
    client_cpu: float = 0.0  # CPU seconds this load generator used, on the same cores

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.error_times.append(time.perf_counter())


# aiohttp, not httpx: this generator runs on the same two cores as the stack it measures, and
# httpx spent 4.0 ms of CPU a turn at 100 turns/s (bench/load.py's own figure), a fifth of a core
# taken from the server under test.
TIMEOUT = aiohttp.ClientTimeout(total=60)


async def say(client: aiohttp.ClientSession, url: str, sender: str, text: str, res: Results) -> Optional[str]:
    start = time.perf_counter()
    try:
        async with client.post(
            url, json={"sender": sender, "message": text, "message_id": uuid.uuid4().hex}, timeout=TIMEOUT
        ) as reply:
            status = reply.status
            body = await reply.read()
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        res.error(type(exc).__name__)
        return None
    res.latencies.append(time.perf_counter() - start)
    res.turns.append((sender, start, time.perf_counter()))
    if status != 200:
        res.error(f"HTTP {status}")
        return None
    return "\n".join(m.get("text") or "" for m in json.loads(body))


async def gongyou_conversation(client, url, rng, think, res: Results, deadline: float) -> None:
    await run_script(client, url, rng, think, res, gongyou_script(rng))


async def run_script(client, url, rng, think, res: Results, turns: List[Turn]) -> None:
    sender = f"load-{uuid.uuid4().hex[:12]}"
    code = ""
    for text, check in turns:
        last = await say(client, url, sender, code if text == FOLLOWED else text, res)
        if last is None:
            return
        if not check(last):
            res.error(f"unexpected reply to {text[:8]!r}")
            return
        found = CASE_NO.search(last) if text == "/affirm" else None
        if found:
            res.cases.append(found.group(0))
            code = FOLLOW_CODE.search(last).group(1)  # type: ignore[union-attr]
        await asyncio.sleep(rng.uniform(*think))
    res.conversations += 1


async def stock_conversation(client, url, rng, think, res: Results, deadline: float) -> None:
    await run_script(client, url, rng, think, res, STOCK_TURNS)


async def drive(
    url: str, users: int, duration: float, think: Sequence[float], conversation, seed: int = 1
) -> Tuple[Results, float]:
    res = Results()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=users + 10)) as client:
        start = time.monotonic()
        deadline = start + duration

        async def worker(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            await asyncio.sleep(rng.uniform(0, think[1] * 2))  # workers do not all arrive in the same millisecond
            while time.monotonic() < deadline:
                await conversation(client, url, rng, think, res, deadline)
                # A worker whose conversation failed tries again after a pause, not at once.
                await asyncio.sleep(rng.uniform(*think))

        me = psutil.Process()
        cpu = sum(me.cpu_times()[:2])
        await asyncio.gather(*(worker(i) for i in range(users)))
        res.client_cpu = sum(me.cpu_times()[:2]) - cpu
        return res, time.monotonic() - start


# -- one user, by turn index ------------------------------------------------------------------
# The short script for GongYou: greeting, wage complaint, station search, thanks; for the
# stock assistant its own first four turns. The whole case: each stack's load script.
GONGYOU_SHORT = ["你好", "老板欠我两个月工资", "渝中区的服务站在哪", "谢谢"]
STOCK_SHORT = [text for text, _ in STOCK_TURNS[:4]]


def repeated(make: Callable[[], List[str]], turns: int) -> List[str]:
    out: List[str] = []
    while len(out) < turns:
        out += make()
    return out[:turns]


async def one_user(url: str, texts: List[str], rasa_pid: Optional[int]) -> List[Tuple[float, float]]:
    """Each turn's latency and the Rasa process's CPU for it (ms), one sender, no think time
    (the next message goes when the reply is in, so nothing else runs in Rasa meanwhile)."""
    res = Results()
    sender = f"one-{uuid.uuid4().hex[:12]}"
    out: List[Tuple[float, float]] = []
    code = "ABCD-1234"
    async with aiohttp.ClientSession() as client:
        for text in texts:
            cpu = rasa_cpu(rasa_pid) if rasa_pid else 0.0
            start = time.perf_counter()
            reply = await say(client, url, sender, code if text == FOLLOWED else text, res)
            latency = (time.perf_counter() - start) * 1000
            out.append((latency, (rasa_cpu(rasa_pid) - cpu) * 1000 if rasa_pid else float("nan")))
            found = FOLLOW_CODE.search(reply or "")
            code = found.group(1) if found else code
    return out


def rasa_cpu(pid: int) -> float:
    """CPU seconds of the Rasa process and the workers it forked (bot/runtime/rasa_workers.py)."""
    return sum(tree_cpu([pid]).values())


def by_turn_index(url: str, rasa_pid: Optional[int], scripts: Dict[str, Callable[[], List[str]]]) -> Dict[str, str]:
    """Mean latency and Rasa CPU of turns 1-4 and 17-20 over three 20-turn conversations per script."""
    rows = {}
    for name, make in scripts.items():
        runs = [asyncio.run(one_user(url, repeated(make, 20), rasa_pid)) for _ in range(4)][1:]  # first: warm-up
        early, late = mean_of(runs, range(1, 5), 0), mean_of(runs, range(17, 21), 0)
        rows[name] = (
            f"turns 1-4 {early:.1f} ms, 17-20 {late:.1f} ms ({late / early:.2f}×); Rasa CPU "
            f"{mean_of(runs, range(1, 5), 1):.1f} / {mean_of(runs, range(17, 21), 1):.1f} ms"
        )
    return rows


def mean_of(runs: List[List[Tuple[float, float]]], turns: range, what: int) -> float:
    return statistics.mean(run[i - 1][what] for run in runs for i in turns)


def rasa_process(root_pids: List[int]) -> Optional[int]:
    for pid in root_pids:
        try:
            root = psutil.Process(pid)
        except psutil.NoSuchProcess:
            continue
        for proc in [root] + root.children(recursive=True):
            try:
                cmd = proc.cmdline()
                if describe(cmd) == "rasa" and not forked_from_rasa(proc, cmd):
                    return proc.pid
            except psutil.Error:
                continue
    return None


# -- stacks ---------------------------------------------------------------------------------
def wait_for(urls: List[str], proc: subprocess.Popen, timeout: float = 420) -> None:
    down = wait_until_healthy({u: u for u in urls}, timeout, {"process": proc})
    if down == ["process"]:
        raise RuntimeError(f"{proc.args[:3]} exited")
    if down:
        raise RuntimeError(f"not up after {timeout}s: {down}")


def start_gongyou(workdir: Path, actions: str = "local") -> Tuple[subprocess.Popen, str]:
    """`make run`'s embedded stack on free ports, with its own SQLite database; `actions`: in the
    Rasa process as `make run` runs them, or "http" on an action server."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CASES_API_URL", "GONGYOU_SERVICE_TOKEN", "DATABASE_URL", "ACTION_SERVER_URL")
    }
    ports = {"GONGYOU_RASA_PORT": free_port(), "GONGYOU_ACTIONS_PORT": free_port(), "GONGYOU_WEB_PORT": free_port()}
    env.update({k: str(v) for k, v in ports.items()})
    if actions == "http":
        env["ACTION_SERVER_URL"] = f"http://localhost:{ports['GONGYOU_ACTIONS_PORT']}/webhook"
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'cases.sqlite3'}"
    env["GONGYOU_OUTBOX"] = str(workdir / "outbox.sqlite3")
    env["PYTHONPATH"] = str(ROOT)
    log = open(workdir / "gongyou.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.runtime.launcher", "--model", str(ROOT / "models" / "gongyou.tar.gz")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for([f"http://localhost:{ports['GONGYOU_WEB_PORT']}/healthz"], proc)
    return proc, f"http://localhost:{ports['GONGYOU_RASA_PORT']}"


STOCK_DIR = ROOT / "build" / "stock-rasa"


def stock_project() -> Path:
    """A stock `rasa init` assistant, trained once (its model is cached in build/)."""
    rasa = str(Path(sys.executable).parent / "rasa")
    if not list((STOCK_DIR / "models").glob("*.tar.gz")):
        shutil.rmtree(STOCK_DIR, ignore_errors=True)
        STOCK_DIR.mkdir(parents=True)
        print("training the stock `rasa init` assistant (once) …", flush=True)
        subprocess.run(
            [rasa, "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
            cwd=STOCK_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=1800,
        )
    return STOCK_DIR


def start_stock() -> Tuple[subprocess.Popen, subprocess.Popen, str]:
    project = stock_project()
    rasa = str(Path(sys.executable).parent / "rasa")
    port, actions_port = free_port(), free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    log = open(project / "run.log", "w")
    # Its own action server, as `rasa init` sets it up (the template's actions.py).
    actions = subprocess.Popen(
        [rasa, "run", "actions", "--port", str(actions_port)],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = subprocess.Popen(
        [rasa, "run", "--enable-api", "--port", str(port)], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    wait_for([f"http://localhost:{port}/", f"http://localhost:{actions_port}/health"], server)
    return server, actions, f"http://localhost:{port}"


def tree_rss(root_pids: List[int]) -> Dict[str, float]:
    """Resident memory (MB) of each process under these pids, by a readable name: its
    proportional share (PSS), so that the pages GongYou's Rasa workers share with the process
    they were forked from count once, not once per process as their RSS would; a process whose
    share cannot be read counts its RSS."""

    def pss(proc: psutil.Process) -> float:
        try:
            return proc.memory_full_info().pss / 2**20
        except (psutil.AccessDenied, AttributeError):
            return proc.memory_info().rss / 2**20

    return tree_measure(root_pids, pss)


def tree_cpu(root_pids: List[int]) -> Dict[str, float]:
    """CPU seconds (user + system) used so far by each process under these pids. The difference
    over a run, per turn, says where the time goes whatever else the machine is doing."""
    return tree_measure(root_pids, lambda proc: sum(proc.cpu_times()[:2]))


def tree_measure(root_pids: List[int], measure) -> Dict[str, float]:
    out: Dict[str, float] = {}
    for pid in root_pids:
        try:
            root = psutil.Process(pid)
        except psutil.NoSuchProcess:
            continue
        for proc in [root] + root.children(recursive=True):
            try:
                cmd = proc.cmdline()
                value = measure(proc)
            except psutil.Error:
                continue
            name = describe(cmd)
            if name == "rasa" and forked_from_rasa(proc, cmd):
                name = "rasa worker"
            if name:
                key, n = name, 2
                while key in out:
                    key, n = f"{name} #{n}", n + 1
                out[key] = value
    return out


def forked_from_rasa(proc: psutil.Process, cmd: List[str]) -> bool:
    """A worker forked by the Rasa process after loading shares its command line."""
    try:
        parent = proc.parent()
        return parent is not None and parent.cmdline() == cmd
    except psutil.Error:
        return False


def print_cpu(title: str, before: Dict[str, float], after: Dict[str, float], turns: int, client: float = 0.0) -> None:
    parts = ", ".join(f"{name} {(after[name] - before.get(name, 0)) * 1000 / max(turns, 1):.1f}" for name in after)
    total = sum(after[name] - before.get(name, 0) for name in after) * 1000 / max(turns, 1)
    print(
        f"CPU ms per turn {title}: {parts}; total {total:.1f}; "
        f"this load generator {client * 1000 / max(turns, 1):.1f} more on the same cores"
    )


def describe(cmd: List[str]) -> str:
    text = " ".join(cmd)
    if "bot.runtime.launcher" in text:
        return "launcher"
    if "rasa_sdk" in text or " actions" in text:
        return "action server"
    if "bot.web.app" in text:
        return "web"
    if "bot.events.consumer" in text:
        return "events consumer"
    if "bot.runtime.production" in text:
        return "supervisor"
    if "nginx" in text:
        return "nginx"
    if " run" in text and "rasa" in text:
        return "rasa"
    return Path(cmd[0]).name if cmd else ""


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


# -- report ---------------------------------------------------------------------------------
def figures(res: Results, elapsed: float) -> Dict[str, float]:
    lat = sorted(res.latencies)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(round(q / 100 * (len(lat) - 1))))] * 1000 if lat else float("nan")

    return {
        "turns": len(lat),
        "turns/s": len(lat) / elapsed,
        "p50 ms": pct(50),
        "p95 ms": pct(95),
        "p99 ms": pct(99),
        "errors": sum(res.errors.values()),
        "conversations": res.conversations,
    }


def print_table(rows: Dict[str, Dict[str, float]]) -> None:
    names = list(rows)
    keys = list(next(iter(rows.values())))
    print(f"{'':16}" + "".join(f"{n:>16}" for n in names))
    for key in keys:
        cells = "".join(
            f"{rows[n][key]:>16.1f}" if isinstance(rows[n][key], float) else f"{rows[n][key]:>16}" for n in names
        )
        print(f"{key:16}{cells}")


def print_rss(title: str, rss: Dict[str, float]) -> None:
    parts = ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items())
    print(f"memory (PSS) {title}: {parts}; total {sum(rss.values()):.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=(0.1, 0.5), metavar=("MIN", "MAX"))
    parser.add_argument("--url", help="a running GongYou (e.g. the production entry http://127.0.0.1:8080)")
    parser.add_argument("--pids", type=int, nargs="*", default=[], help="processes to report RSS for with --url")
    parser.add_argument("--no-stock", action="store_true")
    parser.add_argument("--stock-only", action="store_true")
    parser.add_argument(
        "--actions", choices=["local", "http"], default="local", help="GongYou's actions in Rasa (make run) or on HTTP"
    )
    args = parser.parse_args()
    rows: Dict[str, Dict[str, float]] = {}
    single: Dict[str, Dict[str, str]] = {}
    case_rng = random.Random(7)
    print(
        f"{args.users} simulated workers, {args.duration:.0f} s each stack, think time "
        f"{args.think[0]}–{args.think[1]} s, REST channel"
        + ("" if args.url else f"; GongYou's actions {'in Rasa' if args.actions == 'local' else 'over HTTP'}"),
        flush=True,
    )

    if not args.stock_only:
        workdir = Path(tempfile.mkdtemp(prefix="gongyou-load-"))
        proc, url = (None, args.url.rstrip("/")) if args.url else start_gongyou(workdir, args.actions)
        pids = [proc.pid] if proc else args.pids
        try:
            cpu = tree_cpu(pids)
            res, elapsed = asyncio.run(
                drive(url + "/webhooks/rest/webhook", args.users, args.duration, args.think, gongyou_conversation)
            )
            cpu_after = tree_cpu(pids)
            rss = tree_rss(pids)
            single["GongYou"] = by_turn_index(
                url + "/webhooks/rest/webhook",
                rasa_process(pids),
                {
                    "short script": lambda: list(GONGYOU_SHORT),
                    "whole case": lambda: [text for text, _ in gongyou_script(case_rng)],
                },
            )
        finally:
            if proc:
                stop(proc)
            shutil.rmtree(workdir, ignore_errors=True)
        rows["GongYou"] = figures(res, elapsed)
        dup = len(res.cases) - len(set(res.cases))
        print(
            f"GongYou: {len(res.cases)} cases opened, {dup} case numbers shown twice; errors: {res.errors or 'none'}",
            flush=True,
        )
        print_rss("GongYou", rss)
        print_cpu("GongYou", cpu, cpu_after, len(res.latencies), res.client_cpu)

    if not args.no_stock:
        server, actions, url = start_stock()
        try:
            cpu = tree_cpu([server.pid, actions.pid])
            res, elapsed = asyncio.run(
                drive(url + "/webhooks/rest/webhook", args.users, args.duration, args.think, stock_conversation)
            )
            cpu_after = tree_cpu([server.pid, actions.pid])
            rss = tree_rss([server.pid, actions.pid])
            single["stock rasa init"] = by_turn_index(
                url + "/webhooks/rest/webhook",
                server.pid,
                {"short script": lambda: list(STOCK_SHORT), "whole case": lambda: [t for t, _ in STOCK_TURNS]},
            )
        finally:
            stop(server, actions)
        rows["stock rasa init"] = figures(res, elapsed)
        print(f"stock: errors: {res.errors or 'none'}")
        print_rss("stock rasa init", rss)
        print_cpu("stock rasa init", cpu, cpu_after, len(res.latencies), res.client_cpu)

    print()
    print_table(rows)
    print("\none user, three 20-turn conversations per script (mean by turn index):")
    for stack, scripts in single.items():
        for script, line in scripts.items():
            print(f"  {stack}, {script}: {line}")
    if len(rows) == 2:
        g, s = rows["GongYou"]["turns/s"], rows["stock rasa init"]["turns/s"]
        print(f"\nthroughput ratio GongYou / stock: {g / s:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
