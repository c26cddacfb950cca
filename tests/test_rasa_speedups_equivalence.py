"""GongYou's Rasa speed-ups change nothing Rasa does: the same conversations, run live now with
and without them (bench/turns.py, the trained model and the real action server), give the same
predictions, events and replies; and so do GongYou's actions run inside the Rasa process
(ACTION_SERVER_URL=local, as `make run` runs them) rather than on the action server. Recorded
conversations: every story of tests/stories/conversations.yml (detours, denials, handoffs), the
whole case of bench/load.py twice over under one sender (two forms, a confirmation, status
queries), the issue's short script, and bench/turns.py's detours (a question, nonsense and a
station search inside the case form, the calculator's form, a restart and a form after it), so a
dialogue change elsewhere changes all runs alike."""

import json
import subprocess
import sys

import pytest

from tests.conftest import MODEL, ROOT

pytestmark = pytest.mark.stack


def run_conversations(tmp_path, *flags):
    out = tmp_path / ("-".join(flag.strip("-") for flag in flags) + ".json")
    done = subprocess.run(
        [
            sys.executable,
            "bench/turns.py",
            "--quiet",
            "--script",
            "stories",
            "case",
            "short",
            "detours",
            "--turns",
            "20",
            "--repeat",
            "2",
            "--dump",
            str(out),
            *flags,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    assert MODEL.exists(), "no trained model: run the tests through `make test`"
    tmp = tmp_path_factory.mktemp("equivalence")
    return {
        "in-process": run_conversations(tmp, "--actions", "local"),
        "action server": run_conversations(tmp, "--actions", "http"),
        "stock": run_conversations(tmp, "--stock-rasa"),
    }


# GongYou with its actions in-process (make run) and on an action server (production), each against stock Rasa.
@pytest.fixture(scope="module", params=["in-process", "action server"])
def both(runs, request):
    return runs[request.param], runs["stock"]


def test_the_same_conversations_were_run(both):
    ours, rasa = both
    assert list(ours) == list(rasa)
    assert len(ours) >= 6
    assert [c["said"] for c in ours.values()] == [c["said"] for c in rasa.values()]


def test_same_events_and_predictions(both):
    ours, rasa = both
    for sender in rasa:
        assert len(ours[sender]["events"]) == len(rasa[sender]["events"]), sender
        for i, (a, b) in enumerate(zip(ours[sender]["events"], rasa[sender]["events"])):
            assert a == b, (sender, i)


def test_same_replies(both):
    ours, rasa = both
    for sender in rasa:
        assert ours[sender]["replies"] == rasa[sender]["replies"], sender


def test_the_conversations_reach_the_forms(both):
    """The comparison covers forms: a case opened with its confirmation, and a form left midway."""
    ours, _ = both
    actions = [e.get("name") for c in ours.values() for e in c["events"] if e.get("event") == "action"]
    assert "action_submit_case" in actions
    assert actions.count("case_form") >= 4
    assert any(e.get("event") == "active_loop" and e.get("name") is None for c in ours.values() for e in c["events"])


def test_the_conversations_take_the_detours(both):
    """Forms interrupted and resumed, the calculator's form, a fallback, a restart and a form after it."""
    ours, _ = both
    actions = [e.get("name") for c in ours.values() for e in c["events"] if e.get("event") == "action"]
    for detour in ("utter_iamabot", "action_find_station", "calc_form", "action_calculate", "action_fallback"):
        assert detour in actions, detour
    restarted = [c for c in ours.values() if "/restart" in c["said"]]
    assert restarted
    for conversation in restarted:
        # A dump holds the events since the last restart: a new session, and a form in it.
        names = [e.get("name") for e in conversation["events"] if e.get("event") == "action"]
        assert names[0] == "action_session_start" and "case_form" in names
