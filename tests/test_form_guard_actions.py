"""The forms' validation actions run on trackers as Rasa sends them (no action server, no mocks):
the way out, the field that keeps its precise answer, and the calculator's head start."""

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.calculate import ValidateCalcForm
from actions.intake import ActionIntakeDeny, ValidateCaseForm
from actions.status import ValidateStatusForm
from bot.dialogue import intake
from bot.dialogue.privacy_notice import agreement

pytestmark = pytest.mark.unit
DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text(encoding="utf-8"))


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def tracker(text, intent, slots, form, history=(), candidates=(), confidence=0.9):
    """A form's validation tracker: the history, the worker's message, the form, its candidates."""
    events = [
        *history,
        {"event": "user", "text": text},
        {"event": "action", "name": form},
        *[slot(k, v) for k, v in candidates],
    ]
    return Tracker(
        sender_id="t-forms",
        slots={**slots, **dict(candidates)},
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name=form,
    )


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return [m.get("text") or m.get("response") for m in dispatcher.messages], events


def values(events, name):
    return [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]


def test_cancel_inside_the_status_lookup_closes_it_and_listens():
    said, events = run(
        ValidateStatusForm(),
        tracker(
            "取消", "deny", {"requested_slot": "lookup_case_no"}, "status_form", candidates=[("lookup_case_no", "取消")]
        ),
    )
    assert "不查了" in said[0]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert values(events, "lookup_case_no") == [None]
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_listen"


def test_the_status_lookup_gives_up_after_two_misses():
    missed = {"event": "bot", "text": "编号好像不对，应该像 GY20261123-0042 这样。"}
    said, events = run(
        ValidateStatusForm(),
        tracker(
            "就是上个月那个",
            "inform",
            {"requested_slot": "lookup_case_no"},
            "status_form",
            history=[{"event": "active_loop", "name": "status_form"}, missed],
            candidates=[("lookup_case_no", "就是上个月那个")],
        ),
    )
    assert "我先不问了" in said[0] and any(e["event"] == "active_loop" for e in events)


def consented(**more):
    return {"consent": agreement(), "category": "wage_arrears", **more}


def test_a_rude_reply_is_skipped_not_saved_as_the_employer():
    said, events = run(
        ValidateCaseForm(),
        tracker(
            "问这么多干嘛",
            "dispute_procedure",
            consented(requested_slot="employer"),
            "case_form",
            candidates=[("employer", "问这么多干嘛")],
            confidence=0.36,
        ),
    )
    assert values(events, "employer") == [intake.UNKNOWN] and "跳过" in said[0]


def test_the_description_does_not_replace_a_precise_employer_or_the_amount():
    history = [slot("employer", "景德镇鸿发陶瓷厂"), slot("amount", 24000)]
    story = "我在一家陶瓷厂做了两年，后来有一个月只发了3000"
    _, events = run(
        ValidateCaseForm(),
        tracker(
            story,
            "dismissal",
            consented(requested_slot="description", employer="景德镇鸿发陶瓷厂", amount=24000),
            "case_form",
            history=history,
            candidates=[("employer", "一家陶瓷厂"), ("amount", 3000), ("description", story)],
        ),
    )
    assert values(events, "employer")[-1] == "景德镇鸿发陶瓷厂"
    assert values(events, "amount")[-1] == 24000
    assert values(events, "description")[-1] == story


def test_a_story_read_as_no_is_kept_not_a_cancel():
    dispatcher = CollectingDispatcher()
    sent = Tracker(
        "t-forms",
        consented(requested_slot="description"),
        {"text": "老板不给钱也不接电话", "intent": {"name": "deny", "confidence": 0.6}, "entities": []},
        [],
        False,
        None,
        {"name": "case_form"},
        "action_listen",
    )
    events = asyncio.run(ActionIntakeDeny().run(dispatcher, sent, {}))
    assert values(events, "description") == ["老板不给钱也不接电话"]
    assert not any(e["event"] == "active_loop" for e in events)


def test_the_calculator_starts_with_what_was_said():
    start = Tracker(
        "t-forms",
        {"calculator": "compensation", "requested_slot": None},
        {"text": '/inform{"calculator": "compensation"}', "intent": {"name": "inform"}, "entities": []},
        [
            {"event": "user", "text": "在厂里干了4年 月工资9000 上周突然被辞退了"},
            {"event": "user", "text": '/inform{"calculator": "compensation"}'},
            {"event": "action", "name": "calc_form"},
        ],
        False,
        None,
        {"name": "calc_form"},
        "calc_form",
    )
    said, events = run(ValidateCalcForm(), start)
    assert values(events, "calc_wage")[0] == 9000 and values(events, "calc_months")[0] == 48
    assert "9000" in said[0]


def test_a_correction_in_words_while_the_average_is_asked():
    said, events = run(
        ValidateCalcForm(),
        tracker(
            "不是说了4年吗 4年零3个月",
            "overtime",
            {"calculator": "compensation", "calc_wage": 8000, "calc_months": 48, "requested_slot": "calc_average"},
            "calc_form",
            candidates=[("calc_average", "不是说了4年吗 4年零3个月")],
        ),
    )
    assert values(events, "calc_months") == [51] and values(events, "requested_slot") == ["calc_average"]
    assert "改过来" in said[0]


def test_a_story_the_classifier_took_for_a_status_question_is_still_the_story():
    story = "入职两年了 公司说交了 查了一分没有"
    _, events = run(
        ValidateCaseForm(),
        tracker(story, "case_status", consented(requested_slot="description"), "case_form"),
    )
    assert values(events, "description") == [story]


def test_the_employer_given_for_the_place_goes_to_the_employer():
    said, events = run(
        ValidateCaseForm(),
        tracker(
            "好吧 是景德镇市昌南瓷业有限公司",
            "inform",
            consented(requested_slot="location", employer=intake.UNKNOWN),
            "case_form",
            candidates=[("location", "好吧 是景德镇市昌南瓷业有限公司")],
        ),
    )
    assert values(events, "location")[-1] is None and values(events, "employer")[-1] == "景德镇市昌南瓷业有限公司"


def test_the_calculators_wage_is_not_the_cases_amount():
    _, events = run(
        ValidateCalcForm(),
        tracker(
            "6000",
            "inform",
            {"calculator": "compensation", "requested_slot": "calc_wage", "amount": 6000},
            "calc_form",
            candidates=[("amount", 6000), ("calc_wage", "6000")],
        ),
    )
    assert values(events, "amount")[0] is None and 6000 in values(events, "calc_wage")


def test_a_name_that_is_also_a_place_fills_no_workplace():
    _, events = run(
        ValidateCaseForm(),
        tracker("吴江", "inform", consented(requested_slot="name"), "case_form", candidates=[("location", "吴江")]),
    )
    assert values(events, "location") == [None]


@pytest.mark.parametrize("intent", ["deny", "human_handoff", "greet", "out_of_scope"])
def test_a_follow_code_is_the_answer_whatever_the_classifier_made_of_it(intent):
    """Random Latin codes are words the classifier never learned: the load benchmark saw a code
    read now and then as a no (the lookup was cancelled) or a person (handed over)."""
    code = "K7PQ4XZ2"
    said, events = run(
        ValidateStatusForm(),
        tracker(
            code,
            intent,
            {"requested_slot": "lookup_follow_code", "lookup_case_no": "GY20261123-0042"},
            "status_form",
            candidates=[("lookup_follow_code", code)],
            confidence=0.95,
        ),
    )
    assert values(events, "lookup_follow_code") == [code]
    assert not any(e.get("event") == "active_loop" and e.get("name") is None for e in events)
    assert not said
