"""A conversation idle past domain.yml's session expiry (60 minutes) starts a new session with
Rasa's own mechanism: the next message runs `action_session_start`, the case's slots come along
(carry_over_slots_to_new_session), a form left midway is no longer active, and the new session's
history starts from the new session (so a tracker's replays do not grow forever). Idle for less
than the expiry, the conversation goes on in its session. The trained model, the real action
server and the store of endpoints.yml, with GongYou's speed-ups installed; the idle time is made
by moving the stored conversation's timestamps back."""

import asyncio
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import MODEL, ROOT

pytestmark = pytest.mark.stack

SENDER = "idle-worker"
CASE = ["老板欠我两个月工资", "我想立案"]


async def conversation(idle_minutes):
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.core.trackers import DialogueStateTracker

    agent = await load_agent(
        model_path=str(MODEL), endpoints=AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    )
    assert agent.domain.session_config.session_expiration_time == 60
    assert agent.domain.session_config.carry_over_slots

    async def say(text):
        out = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, out, SENDER))
        return [m.get("text") or "" for m in out.messages]

    for text in CASE:
        await say(text)
    before = await agent.tracker_store.retrieve_full_tracker(SENDER)
    # Idle: the whole conversation moved back in time, saved as Rasa would have saved it then.
    events = list(before.events)
    for event in events:
        event.timestamp -= idle_minutes * 60
    await agent.tracker_store.save(
        DialogueStateTracker.from_events(SENDER, events, agent.domain.slots, sender_source=before.sender_source)
    )
    replies = await say("你好")
    after = await agent.tracker_store.retrieve_full_tracker(SENDER)
    session = await agent.tracker_store.retrieve(SENDER)
    return before, after, session, replies


def run(idle_minutes):
    from bench.turns import start_action_server
    from bot.runtime import rasa_speedups

    assert MODEL.exists(), "no trained model: run the tests through `make test`"
    rasa_speedups.install()
    workdir = Path(tempfile.mkdtemp(prefix="gongyou-session-"))
    actions = start_action_server(workdir)
    try:
        return asyncio.run(conversation(idle_minutes))
    finally:
        actions.terminate()
        actions.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


def session_starts(tracker):
    return [e for e in tracker.events if getattr(e, "action_name", None) == "action_session_start"]


def case_slots(tracker):
    """The slots the conversation filled (what the form was asking is the form's, not the case's)."""
    return {k: v for k, v in tracker.current_slot_values().items() if v is not None and k != "requested_slot"}


@pytest.fixture(scope="module")
def idle_past_expiry():
    return run(61)


def test_the_conversation_filled_slots_and_opened_a_form(idle_past_expiry):
    before, _, _, _ = idle_past_expiry
    assert case_slots(before).get("category") == "wage_arrears"
    assert before.active_loop_name is not None, [e.as_dict() for e in before.events][-6:]


def test_a_new_session_starts_with_the_case_slots(idle_past_expiry):
    before, after, session, replies = idle_past_expiry
    assert len(session_starts(before)) == 1
    assert len(session_starts(after)) == 2
    assert session.events[0].action_name == "action_session_start"
    assert len(session.events) < len(before.events)
    carried = case_slots(before)
    assert {k: session.get_slot(k) for k in carried} == carried
    # The new session replays only itself: the form of the old one is over.
    assert session.active_loop_name is None
    assert [e for e in session.applied_events() if getattr(e, "action_name", None) == "case_form"] == []
    assert replies and all(replies)


def test_idle_under_the_expiry_the_session_goes_on():
    before, after, session, _ = run(59)
    assert len(session_starts(after)) == 1
    assert len(session.events) > len(before.events)
