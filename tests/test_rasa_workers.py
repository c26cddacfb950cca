"""Conversations spread over Rasa workers forked after the model is loaded (bot/runtime/rasa_workers.py).

Measured in a fresh process that loads the trained model through Rasa's own start-up function,
as the Rasa server `make run` starts does, with two workers: the same conversations handled by
the workers and by an agent without them end in the same events; each conversation lives in the
one worker its sender belongs to; the API's lock holds that worker's turn back; a tracker saved
through the Rasa process (erasure) is what the worker keeps; a worker that dies is noticed and
the other goes on."""

import json
import os
import subprocess
import sys

import pytest

from bot import settings
from bot.runtime import rasa_workers
from tests.conftest import LAW_DIR, MODEL, ROOT

PROCESS = r"""
import asyncio
import json
import os
import re
import signal
import sys
import types

import psutil
import rasa.core.run
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime import rasa_local_actions, rasa_speedups, rasa_workers

rasa_speedups.install()
rasa_local_actions.executor()
rasa_workers.install()
SCRIPT = ["你好", "老板欠我两个月工资，一共八千，在渝中区", "/open_case", "/affirm", "谢谢"]
SENDERS = [f"rest-worker-test-{i}" for i in range(8)]
out = {"installed": rasa_workers.installed()}


def events(tracker):
    # A bot's words may be any of a response's variants (Rasa draws one): compared by kind only.
    seen = []
    for event in tracker.events:
        data = event.as_dict()
        data.pop("timestamp", None)
        data.pop("message_id", None)  # a new one for every message
        data.get("parse_data", {}).pop("message_id", None)
        # as JSON, as the store keeps it (one side was read through the store, one was not)
        # (the consent's time is a slot: compared as a time)
        text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"]*", "<time>", json.dumps(data))
        seen.append({"event": "bot"} if data["event"] == "bot" else json.loads(text))
    return seen


def diff(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: diff(a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
    return [a, b]


async def talk(agent, sender):
    replies = []
    for text in SCRIPT:
        channel = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, channel, sender, input_channel="rest"))
        replies.append([m.get("text", "") for m in channel.messages])
    return replies


async def main():
    loop = asyncio.get_running_loop()
    endpoints = AvailableEndpoints.read_endpoints("endpoints.yml")
    app = types.SimpleNamespace(ctx=types.SimpleNamespace())
    agent = await rasa.core.run.load_agent_on_start(sys.argv[1], endpoints, None, app, loop)
    pool = app.ctx.rasa_workers
    lost = []
    pool.on_lost = lambda link: lost.append(link.index)
    me = psutil.Process()
    out["workers"] = sorted(p.pid for p in me.children())
    out["links"] = sorted(link.pid for link in pool.links)

    replies = await asyncio.gather(*(talk(agent, s) for s in SENDERS))
    out["replied"] = [all(turn for turn in r) for r in replies]
    spread = {}
    for s in SENDERS:
        spread[s] = await agent.tracker_store.retrieve(s)
    kept = [await link.call("keys") for link in pool.links]
    out["kept_by"] = {s: [i for i, keys in enumerate(kept) if s in keys] for s in SENDERS}
    out["owner"] = {s: rasa_workers.owner(s, 2) for s in SENDERS}
    out["keys"] = sorted(await agent.tracker_store.keys())

    bare_app = types.SimpleNamespace(ctx=types.SimpleNamespace())
    plain = await rasa_workers._ORIGINAL["load"](sys.argv[1], endpoints, None, bare_app, loop)
    for s in SENDERS:
        await talk(plain, s)
    out["same_events"] = [events(spread[s]) == events(await plain.tracker_store.retrieve(s)) for s in SENDERS]
    out["event_counts"] = [len(spread[s].events) for s in SENDERS]
    first, second = events(spread[SENDERS[0]]), events(await plain.tracker_store.retrieve(SENDERS[0]))
    out["first_difference"] = next((diff(a, b) for a, b in zip(first, second) if a != b), None)

    # The API's lock: a turn for that sender waits until it is let go.
    held = SENDERS[0]
    async with agent.lock_store.lock(held):
        turn = asyncio.ensure_future(agent.handle_message(UserMessage("你好", CollectingOutputChannel(), held)))
        await asyncio.sleep(1.5)
        out["turn_waited_for_lock"] = not turn.done()
    await asyncio.wait_for(turn, 30)
    out["turn_after_lock"] = turn.done() and not turn.exception()

    # Erasure as the API does it: an empty tracker saved under the lock, then read back.
    async with agent.lock_store.lock(held):
        await agent.tracker_store.save(DialogueStateTracker.from_events(held, [], agent.domain.slots))
    out["erased_events"] = len((await agent.tracker_store.retrieve(held)).events)

    # A worker dies: its senders get an error at once, the other worker's still an answer.
    dead = pool.links[0]
    os.kill(dead.pid, signal.SIGKILL)
    for _ in range(100):
        if lost:
            break
        await asyncio.sleep(0.05)
    out["lost"] = lost
    on_dead = next(s for s in SENDERS if rasa_workers.owner(s, 2) == 0)
    on_live = next(s for s in SENDERS if rasa_workers.owner(s, 2) == 1)
    try:
        await agent.handle_message(UserMessage("你好", CollectingOutputChannel(), on_dead))
        out["dead_raised"] = None
    except rasa_workers.WorkerLost as exc:
        out["dead_raised"] = type(exc).__name__
    channel = CollectingOutputChannel()
    await agent.handle_message(UserMessage("你好", channel, on_live))
    out["live_answered"] = bool(channel.messages)
    pool.close()
    out["left"] = [p.pid for p in me.children()]


asyncio.run(main())
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("workers")
    env = dict(os.environ)
    env.update(
        {
            "GONGYOU_LAW_DIR": str(LAW_DIR),
            "GONGYOU_RASA_WORKERS": "2",
            "ACTION_SERVER_URL": "local",
            "GONGYOU_ACTION_SECRET": "a-secret-for-this-test-only-0123456789",
            "CASES_API_URL": "local",
            "DATABASE_URL": f"sqlite:///{workdir / 'cases.sqlite3'}",
            "GONGYOU_OUTBOX": str(workdir / "outbox.sqlite3"),
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, str(MODEL)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.model
def test_two_workers_are_forked_after_loading(run):
    assert run["installed"] is True
    assert len(run["workers"]) == 2
    assert run["links"] == run["workers"]


@pytest.mark.model
def test_every_turn_is_answered_and_ends_as_without_workers(run):
    assert all(run["replied"])
    assert all(n > 10 for n in run["event_counts"])
    assert all(run["same_events"]), run["first_difference"]


@pytest.mark.model
def test_each_conversation_is_kept_by_its_senders_worker_only(run):
    assert run["kept_by"] == {s: [i] for s, i in run["owner"].items()}
    assert set(run["owner"].values()) == {0, 1}  # the eight senders landed on both
    assert set(run["keys"]) >= set(run["owner"])


@pytest.mark.model
def test_the_apis_lock_holds_the_senders_turn_back(run):
    assert run["turn_waited_for_lock"] is True
    assert run["turn_after_lock"] is True


@pytest.mark.model
def test_a_tracker_saved_through_the_rasa_process_is_what_the_worker_keeps(run):
    assert run["erased_events"] == 0


@pytest.mark.model
def test_a_dead_worker_is_noticed_and_the_other_goes_on(run):
    assert run["lost"] == [0]
    assert run["dead_raised"] == "WorkerLost"
    assert run["live_answered"] is True
    assert run["left"] == []


@pytest.mark.unit
def test_a_sender_always_belongs_to_the_same_worker():
    # crc32, not Python's per-process string hash: the same in every process and run
    assert rasa_workers.owner("rest-abc", 2) == rasa_workers.owner("rest-abc", 2) == 1
    assert {rasa_workers.owner(f"web-{i:032x}", 3) for i in range(50)} == {0, 1, 2}


@pytest.mark.unit
def test_how_many_workers():
    class Store:
        def __init__(self, kind):
            self.type = kind

    class Endpoints:
        def __init__(self, kind):
            self.tracker_store = Store(kind)

    cores = len(os.sched_getaffinity(0))
    auto = min(cores, 4) if cores > 1 else 0
    assert rasa_workers.count(Endpoints("bot.runtime.tracker_store.BoundedInMemoryTrackerStore"), {}) == auto
    assert rasa_workers.count(Endpoints("in_memory"), {}) == auto
    assert rasa_workers.count(None, {"GONGYOU_RASA_WORKERS": "auto"}) == auto
    # a store shared between processes: the production command's replicas scale instead
    assert rasa_workers.count(Endpoints("sql"), {}) == 0
    assert rasa_workers.count(Endpoints("sql"), {"GONGYOU_RASA_WORKERS": "3"}) == 3
    assert rasa_workers.count(None, {"GONGYOU_RASA_WORKERS": "1"}) == 0
    assert rasa_workers.count(None, {"GONGYOU_RASA_WORKERS": "0"}) == 0
    assert rasa_workers.count(None, {"GONGYOU_RASA_WORKERS": "8"}) == 8  # a number is taken as given
    with pytest.raises(ValueError):
        settings.rasa_workers({"GONGYOU_RASA_WORKERS": "many"})
