"""Cost of a turn by its index in one conversation, measured inside one Rasa process.

    .venv/bin/python bench/turns.py [--script case|short] [--turns 20] [--stock-rasa] [--profile out.prof]
                                   [--dump events.json] [--repeat 3] [--actions local|http]

GongYou's model is loaded here as an Agent with endpoints.yml (the bounded in-memory tracker store,
the action endpoint). With --actions local (the default, as `make run` runs them) the actions run
in this process (bot/runtime/rasa_local_actions.py); with --actions http (always with
--stock-rasa) an action server is started alongside on a free port. One sender says the
script's turns one after the other (the script repeats until --turns), and for every turn this
process's CPU time and its wall time are recorded. In-process, that CPU time includes the
actions' own (all threads); over HTTP the action server's CPU over the measured turns is printed
apart, and the sum beside it. CPU time is what a busy shared machine changes least, so decisions
rest on it; the wall time is printed too.

With --stock-rasa the speed-ups of bot/runtime/rasa_speedups.py are NOT installed: the same
Rasa as `rasa run` without GongYou's entry point. --dump writes every conversation's events
(timestamps left out) and predictions for the equivalence test (tests/test_rasa_speedups_equivalence.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import FOLLOW_CODE, FOLLOWED, gongyou_script  # noqa: E402
from bot.web.health import free_port, wait_until_healthy  # noqa: E402

# The short script of issue 18.
SHORT = ["你好", "老板欠我两个月工资", "渝中区的服务站在哪", "谢谢"]
# Detours for the equivalence test: questions, nonsense and a station search inside the case form,
# the calculator's form, nonsense outside a form; then every other time a restart and a form after
# it (a dump holds the events since the last restart only, so the detours are dumped whole once).
DETOURS = [
    "工伤了老板不管",
    "/open_case",
    "好的",
    "王强",
    "你是机器人吗",
    "qwxz",
    "最近的服务站在哪",
    "算了，不登记了",
    "干了好几个月公司一直不签合同",
    '/inform{"calculator": "double_wages"}',
    "6000",
    "2025年1月1日",
    "没签",
    "2025年4月15日",
    "#%&@",
]
AFTER_DETOURS = (["谢谢"], ["/restart"])
CASE_AGAIN = ["老板欠我工资", "/open_case", "/affirm", "孙芳"]


def messages(script: str, turns: int, seed: int) -> List[str]:
    """The script's messages, repeated until `turns`; FOLLOWED stands for the follow code the bot gave."""
    # short: the greeting, wage complaint, station search, thanks; case: bench/load.py's
    rng = random.Random(seed)
    out: List[str] = []
    while len(out) < turns:
        if script == "detours":
            out += DETOURS + AFTER_DETOURS[seed % 2] + CASE_AGAIN
        else:
            out += SHORT if script == "short" else [text for text, _ in gongyou_script(rng)]
    return out[:turns]


def recorded_stories() -> List[List[str]]:
    """What the user says in each of tests/stories/conversations.yml's stories, in order."""
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "stories" / "conversations.yml").read_text(encoding="utf-8"))
    return [[step["user"].strip() for step in story["steps"] if "user" in step] for story in data.get("stories") or []]


def conversations_to_run(args) -> List[Tuple[str, List[str]]]:
    out: List[Tuple[str, List[str]]] = []
    for script in args.script:
        said = (
            recorded_stories()
            if script == "stories"
            else [messages(script, args.turns, seed=r + 1) for r in range(args.repeat)]
        )
        out += [(f"turns-{script}-{r}", texts) for r, texts in enumerate(said)]
    return out


def follow_code(replies: List[str], text: str) -> str:
    """The worker types back the follow code the bot gave with the case number."""
    if text != FOLLOWED:
        return text
    for reply in reversed(replies):
        found = FOLLOW_CODE.search(reply or "")
        if found:
            return found.group(1)
    return "ABCD-1234"


def actions_env(workdir: Path) -> Dict[str, str]:
    """What the actions run with here, in this process or an action server."""
    env = {k: v for k, v in os.environ.items() if k not in ("CASES_API_URL", "GONGYOU_SERVICE_TOKEN")}
    env.update(
        {
            "GONGYOU_ACTION_SECRET": env.get("GONGYOU_ACTION_SECRET") or "bench-turns-" + os.urandom(16).hex(),
            "DATABASE_URL": f"sqlite:///{workdir / 'cases.sqlite3'}",
            "GONGYOU_OUTBOX": str(workdir / "outbox.sqlite3"),
            # cases straight into that database (no web side runs here to take them over HTTP)
            "CASES_API_URL": "local",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def actions_in_this_process(workdir: Path) -> None:
    """The actions in this Rasa process (ACTION_SERVER_URL=local), their modules imported now."""
    os.environ.update(actions_env(workdir))
    os.environ.pop("GONGYOU_SERVICE_TOKEN", None)
    os.environ["ACTION_SERVER_URL"] = "local"
    from bot.runtime import rasa_local_actions

    rasa_local_actions.executor()


def start_action_server(workdir: Path, package: str = "actions") -> subprocess.Popen:
    port = free_port()
    env = actions_env(workdir)
    env.update({"GONGYOU_ACTIONS_PORT": str(port), "ACTION_SERVER_URL": f"http://127.0.0.1:{port}/webhook"})
    log = open(workdir / "actions.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.runtime.action_server", "--actions", package, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    down = wait_until_healthy({"actions": f"http://127.0.0.1:{port}/health"}, 180, {"process": proc})
    if down:
        proc.terminate()
        raise RuntimeError(f"action server not up: {down}; {(workdir / 'actions.log').read_text()[-2000:]}")
    os.environ["ACTION_SERVER_URL"] = env["ACTION_SERVER_URL"]
    os.environ["GONGYOU_ACTION_SECRET"] = env["GONGYOU_ACTION_SECRET"]
    return proc


def plain_events(tracker) -> List[Dict[str, Any]]:
    """The conversation's events without what differs from run to run (times, message ids)."""
    from rasa.shared.core.trackers import EventVerbosity

    out = []
    for event in tracker.current_state(EventVerbosity.ALL)["events"]:
        event = dict(event)
        event.pop("timestamp", None)
        if event.get("event") == "user":
            event.pop("message_id", None)
            parse = dict(event.get("parse_data") or {})
            parse.pop("message_id", None)
            event["parse_data"] = parse
        if event.get("event") == "bot":
            event["text"] = _without_codes(event.get("text"))
        if event.get("event") == "slot" and isinstance(event.get("value"), str):
            event["value"] = _without_codes(event["value"])
        out.append(event)
    # When consent was given (an ISO time in a slot) differs from run to run too.
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"]*", "<time>", json.dumps(out, ensure_ascii=False))
    text = re.sub(r'"follow_code": "[^"]*"', '"follow_code": "<code>"', text)
    # So are other codes the bot makes up (a roster's group code, 群码 ZDT-E5W, PSTEBQ in its slot):
    # six or more capitals and digits, or groups of three joined by hyphens.
    text = MADE_UP_CODE.sub("<code>", text)
    return json.loads(text)


MADE_UP_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?=[A-Z0-9-]{6,})(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*"
    r"|[A-Z0-9]{3,}(?:-[A-Z0-9]{3,})+)(?![A-Za-z0-9])"
)


def _without_codes(text: Optional[str]) -> Optional[str]:
    """Case numbers and follow codes are made up per run; everything else must match."""
    from bot.cases.numbers import PATTERN

    if text is None:
        return None
    text = re.sub(PATTERN, "<case>", text)
    return re.sub(r"查询码是 [A-Z0-9-]{8,9}", "查询码是 <code>", text)


async def run(args, other_cpu: Callable[[], float] = lambda: 0.0) -> Dict[str, Any]:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints

    agent = await load_agent(
        model_path=str(ROOT / "models" / "gongyou.tar.gz"),
        endpoints=AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml")),
    )
    if not args.stock_rasa:
        from bot.runtime import rasa_gc

        rasa_gc.settle()  # as the Rasa process does once its agent is loaded (rasa_gc.install)
    # A first conversation, not measured: first parses, the action server's first connections.
    warm: List[str] = []
    for i, text in enumerate(messages("short" if args.script == ["stories"] else args.script[0], args.turns, seed=0)):
        out = CollectingOutputChannel()
        await agent.handle_message(UserMessage(follow_code(warm, text), out, "turns-warm-up", message_id=f"w{i}"))
        warm += [m.get("text") or "" for m in out.messages]
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    conversations: Dict[str, Any] = {}
    cpu: Dict[int, List[float]] = {}
    wall: Dict[int, List[float]] = {}
    others_before = other_cpu()
    for sender, said in conversations_to_run(args):
        replies: List[List[str]] = []
        for i, text in enumerate(said, start=1):
            text = "ABCD-1234" if args.dump and text == FOLLOWED else follow_code([t for r in replies for t in r], text)
            out = CollectingOutputChannel()
            profiled = profiler and i >= args.profile_from and (not args.profile_turns or i in args.profile_turns)
            if profiled:
                profiler.enable()
            c0, w0 = time.process_time(), time.perf_counter()
            await agent.handle_message(UserMessage(text, out, sender, message_id=f"{sender}-{i}"))
            said[i - 1] = text
            c1, w1 = time.process_time(), time.perf_counter()
            if profiled:
                profiler.disable()
            cpu.setdefault(i, []).append((c1 - c0) * 1000)
            wall.setdefault(i, []).append((w1 - w0) * 1000)
            replies.append([m.get("text") or "" for m in out.messages])
        tracker = await agent.tracker_store.retrieve_full_tracker(sender)
        replies = [[MADE_UP_CODE.sub("<code>", _without_codes(text) or "") for text in reply] for reply in replies]
        conversations[sender] = {"said": said, "replies": replies, "events": plain_events(tracker)}
    if profiler:
        profiler.dump_stats(args.profile)
    # the action server's CPU over the measured turns (not the warm-up's first calls)
    others = other_cpu() - others_before
    return {"cpu": cpu, "wall": wall, "conversations": conversations, "action_server_cpu_s": others}


def mean_over(per_turn: Dict[int, List[float]], turns: range) -> float:
    values = [v for i in turns for v in per_turn.get(i, [])]
    return statistics.mean(values) if values else float("nan")


def quiet_logs() -> None:
    """INFO, the level `rasa run` logs at by default."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--script", choices=["case", "short", "stories", "detours"], nargs="+", default=["case"])
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="conversations (one sender each)")
    # stories: each story of tests/stories/conversations.yml once, for the equivalence test;
    # detours: forms left and resumed, nonsense, the calculator, a restart (DETOURS)
    parser.add_argument("--stock-rasa", action="store_true", help="without GongYou's speed-ups (actions over HTTP)")
    parser.add_argument(
        "--actions", choices=["local", "http"], help="in this process (default) or an action server (--stock-rasa)"
    )
    parser.add_argument("--profile", help="write a cProfile of the turns from --profile-from on")
    parser.add_argument("--profile-from", type=int, default=1)
    parser.add_argument("--profile-turns", type=int, nargs="*", default=[], help="profile only these turns")
    # Follow codes are made up per run: with --dump the worker types the same wrong one in every run.
    parser.add_argument("--dump", help="write conversations (events, replies) as JSON here")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    if args.actions is None:
        args.actions = "http" if args.stock_rasa else "local"
    if args.stock_rasa and args.actions == "local":
        parser.error("stock Rasa has no in-process actions: --stock-rasa runs them over HTTP")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    quiet_logs()
    if not args.stock_rasa:
        from bot.runtime import rasa_speedups

        rasa_speedups.install()
    workdir = Path(tempfile.mkdtemp(prefix="gongyou-turns-"))
    if args.actions == "local":
        actions_in_this_process(workdir)
        result = asyncio.run(run(args))
    else:
        actions = start_action_server(workdir)
        try:
            import psutil

            server = psutil.Process(actions.pid)
            result = asyncio.run(run(args, lambda: sum(server.cpu_times()[:2])))
        finally:
            actions.terminate()
            actions.wait(timeout=30)
    if args.dump:
        Path(args.dump).write_text(json.dumps(result["conversations"], ensure_ascii=False, indent=1))
    if not args.quiet:
        label = ("stock Rasa" if args.stock_rasa else "with speed-ups") + f", actions {args.actions}"
        print(f"{' + '.join(args.script)}, {args.turns} turns × {args.repeat}, {label}")
        print("turn  " + "".join(f"{i:>6}" for i in result["cpu"]))
        print("cpu ms" + "".join(f"{statistics.mean(v):>6.1f}" for v in result["cpu"].values()))
        print("wall  " + "".join(f"{statistics.mean(v):>6.1f}" for v in result["wall"].values()))
        last = max(result["cpu"])
        early, late = range(1, 5), range(last - 3, last + 1)
        for name, per in (("Rasa CPU", result["cpu"]), ("wall", result["wall"])):
            a, b = mean_over(per, early), mean_over(per, late)
            print(f"{name}: turns 1-4 {a:.1f} ms, turns {late.start}-{late.stop - 1} {b:.1f} ms, ratio {b / a:.2f}")
        turns = sum(len(v) for v in result["cpu"].values())
        rasa = sum(sum(v) for v in result["cpu"].values()) / turns
        if args.actions == "local":
            print(f"CPU per turn, actions included (in this process): {rasa:.1f} ms")
        else:
            server = result["action_server_cpu_s"] * 1000 / turns
            print(f"CPU per turn: Rasa {rasa:.1f} ms + action server {server:.1f} ms = {rasa + server:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
