"""The first reply to a complaint, composed without Rasa (bot/dialogue/complaints.py)."""

import pytest

from bot.dialogue.complaints import Facts, complaint_reply, summarise
from bot.topics import COLLECTIVE_WORKERS, TOPICS

pytestmark = pytest.mark.unit


def test_reply_uses_the_workers_facts():
    reply = complaint_reply("wage_arrears", Facts(amount=8000, duration=2))
    assert "8000元" in reply.text and "2个月" in reply.text
    assert [b["payload"] for b in reply.buttons][:3] == ["/find_station", "/open_case", "/human_handoff"]


def test_dismissal_offers_the_compensation_calculator():
    titles = [b["title"] for b in complaint_reply("dismissal", Facts()).buttons]
    assert "算算经济补偿" in titles and "算算仲裁截止日" in titles


def test_ten_or_more_workers_is_collective():
    assert "群体性" in complaint_reply("wage_arrears", Facts(worker_count=16)).text
    assert "群体性" not in complaint_reply("wage_arrears", Facts(worker_count=3)).text


@pytest.mark.parametrize("intent", TOPICS)
def test_every_complaint_has_guidance(intent):
    reply = complaint_reply(intent, Facts())
    assert reply and "《" in reply.text


def test_pension_goes_to_the_agency_not_arbitration():
    text = complaint_reply("pension_adjustment", Facts()).text
    assert "社会保险经办机构" in text and "行政复议" in text and "不走劳动仲裁" in text


def test_unknown_intent_has_no_complaint_reply():
    assert complaint_reply("greet", Facts()) is None


def test_slots_with_junk_are_ignored():
    facts = Facts.from_slots({"amount": "abc", "duration": None, "worker_count": "12", "employer": ""})
    assert facts.amount is None and facts.worker_count == 12 and facts.employer is None
    assert summarise(Facts(amount=1.5, duration=0.5)) == "时长：0.5个月；金额：1.5元"


def test_the_collective_line_starts_at_the_threshold():
    assert "群体性" in complaint_reply("wage_arrears", Facts(worker_count=COLLECTIVE_WORKERS)).text
    assert "群体性" not in complaint_reply("wage_arrears", Facts(worker_count=COLLECTIVE_WORKERS - 1)).text


def test_the_summary_names_employer_and_place_first():
    facts = Facts(amount=8000, duration=2, worker_count=3, employer="某鞋业公司", location="巫溪县")
    assert summarise(facts) == "单位：某鞋业公司；地点：巫溪县；时长：2个月；金额：8000元；涉及：3人"
    assert summarise(Facts()) == ""
    assert "我记下了" not in complaint_reply("wage_arrears", Facts()).text


def test_slot_values_as_rasa_sends_them():
    facts = Facts.from_slots({"amount": "8000", "duration": 2.0, "worker_count": 16.0, "location": "巫溪县"})
    assert (facts.amount, facts.duration, facts.worker_count, facts.location) == (8000.0, 2.0, 16, "巫溪县")
    assert Facts.from_slots({"worker_count": 0}).worker_count is None
    assert Facts.from_slots({}) == Facts()


def test_the_workers_own_question_is_answered_before_the_general_guidance():
    general = complaint_reply("wage_arrears", Facts())
    asked = complaint_reply("wage_arrears", Facts(), "老板欠工资不给，可以去哪里投诉")
    assert asked.text != general.text and "关于「" in asked.text
    assert asked.text.endswith("接下来您想怎么办？") and general.text.endswith("接下来您想怎么办？")


@pytest.mark.parametrize("intent", TOPICS)
def test_every_reply_offers_the_three_next_steps_first(intent):
    buttons = complaint_reply(intent, Facts()).buttons
    assert [b["payload"] for b in buttons][:3] == ["/find_station", "/open_case", "/human_handoff"]
    assert len({b["payload"] for b in buttons}) == len(buttons)
