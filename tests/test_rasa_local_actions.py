"""The actions in Rasa's process (ACTION_SERVER_URL=local, bot/runtime/rasa_local_actions.py)
answer as the action server answers, errors included, cannot change Rasa's tracker, and a sync
action that waits does not stop other conversations.

One subprocess (rasa_sdk registers every action class its process has imported, so the
misbehaving ones of tests/actions_overridden.py stay out of pytest's own) loads the trained
model as an Agent, runs the same actions in-process and on a real action server serving the same
package, and reports what each gave."""

import json
import subprocess
import sys

import pytest

from tests.conftest import MODEL, ROOT

pytestmark = pytest.mark.stack

PROCESS = r"""
import asyncio
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

from bench import turns
from bot.runtime import rasa_local_actions, rasa_speedups

rasa_speedups.install()
# A service that accepts connections and never answers, for the stalled action.
hole = socket.socket()
hole.bind(("127.0.0.1", 0))
hole.listen(64)
os.environ["GONGYOU_TEST_STALLED_URL"] = f"http://127.0.0.1:{hole.getsockname()[1]}/stations"
workdir = Path(tempfile.mkdtemp(prefix="gongyou-local-actions-"))
import tests.actions_overridden as overridden  # before the executor registers the package

turns.actions_in_this_process(workdir)
server = turns.start_action_server(workdir, "tests.actions_overridden")
http_url = os.environ["ACTION_SERVER_URL"]
os.environ["ACTION_SERVER_URL"] = "local"

from rasa.core.actions.action import RemoteAction
from rasa.core.agent import load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import EventVerbosity
from rasa.utils.endpoints import EndpointConfig

ENDPOINTS = {
    "http": EndpointConfig(http_url, headers={"X-GongYou-Action-Secret": os.environ["GONGYOU_ACTION_SECRET"]}),
    "local": EndpointConfig("local"),
}


async def say(agent, sender, text):
    out = CollectingOutputChannel()
    await agent.handle_message(UserMessage(text, out, sender))
    return [m.get("text") or "" for m in out.messages]


def plain(events):
    out = []
    for event in events:
        event = event.as_dict()
        event.pop("timestamp", None)
        out.append(event)
    return out


async def main():
    agent = await load_agent(model_path=str(Path("models") / "gongyou.tar.gz"),
                             endpoints=AvailableEndpoints.read_endpoints("endpoints.yml"))
    report = {"endpoint": agent.processor.action_endpoint.url, "failing": {}, "calls": {}}

    # A raising action in a whole conversation, over HTTP and in-process.
    for mode, endpoint in ENDPOINTS.items():
        agent.processor.action_endpoint = endpoint
        sender = f"failing-{mode}"
        replies = [await say(agent, sender, text) for text in ("你好", "老板欠我两个月工资")]
        tracker = await agent.tracker_store.retrieve_full_tracker(sender)
        report["failing"][mode] = {"replies": replies, "events": turns.plain_events(tracker)}

    # GongYou's Rasa answers the worker when an action fails (bot/runtime/rasa_action_failure.py),
    # in both modes; the events otherwise are Rasa's own.
    from bot.runtime import rasa_action_failure
    rasa_action_failure.install()
    report["guarded"] = {}
    for mode, endpoint in ENDPOINTS.items():
        agent.processor.action_endpoint = endpoint
        sender = f"guarded-{mode}"
        replies = [await say(agent, sender, text) for text in ("你好", "老板欠我两个月工资", "渝中区的服务站在哪")]
        tracker = await agent.tracker_store.retrieve_full_tracker(sender)
        report["guarded"][mode] = {"replies": replies, "events": turns.plain_events(tracker),
                                   "failed_text": rasa_action_failure.FAILED}

    # Rasa's own RemoteAction on both endpoints: a rejection, an unknown action, a raising one, real ones.
    tracker = await agent.tracker_store.retrieve_full_tracker("failing-local")
    for mode, endpoint in ENDPOINTS.items():
        report["calls"][mode] = {}
        for name in ("action_test_rejects", "action_nobody_has", "action_complaint_reply",
                     "action_answer_question", "validate_case_form", "action_find_station"):
            out = CollectingOutputChannel()
            try:
                events = await RemoteAction(name, endpoint).run(out, agent.processor.nlg, tracker, agent.domain)
                got = {"events": plain(events)}
            except Exception as error:
                got = {"raised": type(error).__name__, "message": str(error)}
            report["calls"][mode][name] = got

    # An action that changes everything it is handed, in place: Rasa's tracker and domain stay as they were.
    tracker.update(SlotSet("category", ["wage_arrears", {"nested": [1, 2]}]))
    before = json.dumps([tracker.current_state(EventVerbosity.ALL), agent.domain.as_dict()])
    events = await RemoteAction("action_test_meddles", ENDPOINTS["local"]).run(
        CollectingOutputChannel(), agent.processor.nlg, tracker, agent.domain)
    after = json.dumps([tracker.current_state(EventVerbosity.ALL), agent.domain.as_dict()])
    again = await RemoteAction("action_test_meddles", ENDPOINTS["local"]).run(
        CollectingOutputChannel(), agent.processor.nlg, tracker, agent.domain)
    report["meddled"] = {"unchanged": before == after, "events": plain(events), "again": plain(again),
                         "domain_parts": sum(value is not None for value in agent.domain.as_dict().values())}

    # A sync action waiting on a service that never answers; another worker talks meanwhile.
    agent.processor.action_endpoint = ENDPOINTS["local"]
    started = time.monotonic()
    stalled = asyncio.ensure_future(say(agent, "stalled-worker", "渝中区的服务站在哪"))
    await asyncio.sleep(0.5)
    other = []
    for text in ("你好", "仲裁要钱吗", "谢谢"):
        t0 = time.monotonic()
        other.append({"text": text, "replies": await say(agent, "other-worker", text), "s": time.monotonic() - t0})
    other_done = time.monotonic() - started
    stalled_pending = not stalled.done()
    other_actions = [e.action_name for e in (await agent.tracker_store.retrieve_full_tracker("other-worker")).events
                     if getattr(e, "action_name", None)]
    stalled_replies = await stalled
    report["blocking"] = {"other": other, "other_done_s": other_done, "stalled_pending": stalled_pending,
                          "other_actions": other_actions,
                          "stalled_replies": stalled_replies, "stalled_s": time.monotonic() - started,
                          "stall_s": overridden.STALL_S, "stalled_reply": overridden.STALLED_REPLY}
    return report


try:
    print(json.dumps(asyncio.run(main()), ensure_ascii=False))
finally:
    server.terminate()
    server.wait(timeout=30)
"""


@pytest.fixture(scope="module")
def report():
    assert MODEL.exists(), "no trained model: run the tests through `make test`"
    done = subprocess.run([sys.executable, "-c", PROCESS], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_endpoints_yml_says_local_and_rasa_takes_it(report):
    assert report["endpoint"] == "local"


def test_a_raising_action_gives_the_same_answer_as_over_http(report):
    """The same as over HTTP: Rasa drops the action's events and goes on. (For a complaint that is
    no answer at all to that message; nothing of the error reaches the worker.)"""
    http, local = report["failing"]["http"], report["failing"]["local"]
    assert local["replies"] == http["replies"]
    assert local["events"] == http["events"]
    said = "".join(text for reply in local["replies"] for text in reply)
    assert "Error" not in said and "Traceback" not in said and "answer could not be built" not in said


def test_gongyous_rasa_answers_the_worker_when_an_action_fails(report):
    """Rasa alone leaves the complaint unanswered (above); GongYou's says so politely, in both
    modes, and the conversation goes on (the next question is answered as usual)."""
    http, local = report["guarded"]["http"], report["guarded"]["local"]
    assert local["replies"] == http["replies"]
    failed = local["failed_text"]
    greeting, complaint, station = local["replies"]
    assert complaint == [failed] and "转人工" in failed
    assert failed not in greeting and failed not in station and station
    said = "".join(text for reply in local["replies"] for text in reply)
    assert "Error" not in said and "answer could not be built" not in said


def test_rejection_unknown_action_and_exception_as_rasa_sees_them_over_http(report):
    http, local = report["calls"]["http"], report["calls"]["local"]
    assert local == http
    assert local["action_test_rejects"] == {"raised": "ActionExecutionRejection", "message": "不是这个动作的活"}
    assert local["action_nobody_has"]["raised"] == "RasaException"
    assert local["action_complaint_reply"]["raised"] == "RasaException"
    assert local["action_answer_question"]["events"]  # real actions answered, the same way
    assert local["validate_case_form"] == http["validate_case_form"]


def test_an_action_cannot_change_rasas_tracker_or_domain(report):
    assert report["meddled"]["unchanged"]
    # nor what the next action is handed (the domain's JSON is written once and read for each call)
    said = [[e["text"] for e in report["meddled"][run] if e["event"] == "bot"] for run in ("events", "again")]
    assert said[0] == said[1] == [f"动过了，领域有 {report['meddled']['domain_parts']} 部分"]
    assert report["meddled"]["domain_parts"] > 5
    assert {"event": "slot", "name": "category", "value": "meddled"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in report["meddled"]["events"]
    ]


def test_a_sync_action_that_waits_does_not_stop_another_workers_turns(report):
    blocking = report["blocking"]
    each = ", ".join(f"{turn['s']:.2f}" for turn in blocking["other"])
    print(
        f"\nthe other worker's three turns in {blocking['other_done_s']:.2f}s ({each}); "
        f"the stalled one answered after {blocking['stalled_s']:.1f}s"
    )
    assert blocking["stalled_pending"], "the stalled action had finished before the other worker's turns"
    assert blocking["other_done_s"] < blocking["stall_s"]
    assert all(turn["replies"] and any(turn["replies"]) for turn in blocking["other"])
    assert "action_answer_question" in blocking["other_actions"]  # a custom action ran meanwhile, in-process
    assert blocking["stalled_reply"] in blocking["stalled_replies"]
    assert blocking["stalled_s"] >= blocking["stall_s"]
