"""The services behind issue 15's forms: the ways out of a form, which answer a field keeps, and
what the calculator already knows."""

from datetime import date

import pytest

from bot.dialogue import calculation_flow as flow
from bot.dialogue import fields, form_exits, intake
from bot.dialogue.form_exits import ANSWER, CANCEL, DIGRESS, HANDOFF, Heard

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text", ["取消", "算了", "不弄了", "算了，不登记了", "不查了", "先不查了"])
def test_cancel_words_end_any_form(text):
    assert form_exits.decide(Heard(text, "deny", 0.9), answers_it=False) == CANCEL


def test_cancel_inside_a_long_story_is_no_cancel():
    story = "老板说算了不给了，我们去厂里找了三次都没人，工资条还在我手上"
    assert form_exits.decide(Heard(story, "wage_arrears", 0.9), answers_it=False, free_text=True) == ANSWER


@pytest.mark.parametrize(
    "heard",
    [Heard("转人工"), Heard("/human_handoff"), Heard("我要找工作人员", "human_handoff", 0.95), Heard("人工")],
)
def test_a_person_is_handed_over_from_any_form(heard):
    assert form_exits.decide(heard, answers_it=False) == HANDOFF


def test_a_question_is_a_digression_unless_it_answers():
    question = Heard("仲裁要交钱吗", "dispute_procedure", 0.95)
    assert form_exits.decide(question, answers_it=False) == DIGRESS
    assert form_exits.decide(Heard("GY20261123-0042", "case_status", 0.9), answers_it=True) == ANSWER
    assert form_exits.decide(Heard("/affirm", "affirm", 1.0), answers_it=False) == ANSWER


def test_the_status_form_counts_its_own_misses_since_it_began():
    said = "编号好像不对，应该像 GY20261123-0042 这样。"
    events = [
        {"event": "bot", "text": said},
        {"event": "active_loop", "name": "status_form"},
        {"event": "bot", "text": said},
    ]
    assert form_exits.failures_since_form_began(events, "status_form", said) == 1


def test_how_the_last_registration_ended():
    cancelled = [{"event": "bot", "text": intake.CANCELLED_TEXT}]
    assert form_exits.registration_outcome(cancelled, [intake.CANCELLED_TEXT]) == "cancelled"
    later_case = cancelled + [{"event": "slot", "name": "case_no", "value": "GY20261123-0042"}]
    assert form_exits.registration_outcome(later_case, [intake.CANCELLED_TEXT]) == "submitted"
    assert form_exits.registration_outcome([], [intake.CANCELLED_TEXT]) is None


@pytest.mark.parametrize(
    "text, procedure",
    [
        ("我刚才登记的呢", False),
        ("查进度", False),
        ("结果出来了吗", False),
        ("仲裁多久出结果", True),
        ("/case_status", False),
    ],
)
def test_own_case_or_procedure(text, procedure):
    assert form_exits.asks_about_procedure(text) is procedure


@pytest.mark.parametrize("text", ["问这么多干嘛", "你管呢", "不想说", "关你什么事"])
def test_evasive_replies_fill_nothing(text):
    assert fields.is_evasive(text)
    assert intake.answers("employer", text)  # goes to the employer's validator, which skips it


@pytest.mark.parametrize("text", ["景德镇鸿发陶瓷厂", "重庆某某建筑劳务有限公司", "不清楚"])
def test_real_answers_are_not_evasive(text):
    assert not fields.is_evasive(text)


def test_a_vaguer_mention_never_replaces_a_precise_one():
    precise = "景德镇鸿发陶瓷厂"
    assert fields.choose("employer", precise, "一家陶瓷厂", asked=False, corrected=False) == precise
    assert fields.choose("employer", "一家陶瓷厂", precise, asked=False, corrected=False) == precise
    assert fields.settle("employer", ["景德镇鸿发陶瓷厂", "一家陶瓷厂"]) == "景德镇鸿发陶瓷厂"
    assert fields.settle("employer", ["景德镇鸿发陶瓷厂", None, "一家陶瓷厂"]) == "一家陶瓷厂"  # cleared between


def test_a_passing_mention_keeps_the_answer_but_a_correction_changes_it():
    assert fields.choose("duration", 4, 24, asked=False, corrected=False) == 4
    assert fields.choose("duration", 4, 5, asked=False, corrected=True) == 5
    assert fields.choose("amount", None, 3000, asked=False, corrected=False) == 3000
    assert fields.choose("employer", intake.UNKNOWN, "鸿发陶瓷厂", asked=False, corrected=False) == "鸿发陶瓷厂"


def test_history_stops_at_the_latest_message():
    events = [
        {"event": "slot", "name": "employer", "value": "鸿发陶瓷厂"},
        {"event": "user", "text": "一家陶瓷厂"},
        {"event": "slot", "name": "employer", "value": "一家陶瓷厂"},
    ]
    assert fields.history_before_last_message(events, "employer") == ["鸿发陶瓷厂"]


@pytest.mark.parametrize(
    "requested, text, fits",
    [
        ("employer", "仲裁要多久？", False),
        ("employer", "鸿发陶瓷厂", True),
        ("name", "社保怎么查", False),
        ("amount", "八千块", True),
        ("amount", "能赔多少", False),
        ("confirmed", "确认", True),
    ],
)
def test_an_answer_fits_its_question(requested, text, fits):
    assert intake.answers(requested, text) is fits


def test_a_dont_know_is_no_employer():
    assert intake.check_employer("不知道叫啥") == (intake.UNKNOWN, None)


def test_the_calculator_takes_what_the_worker_said():
    said = ["在厂里干了4年 月工资9000 上周突然被辞退了"]
    assert flow.known("compensation", {}, said) == {"calc_wage": 9000, "calc_months": 48}
    assert flow.known("compensation", {"calc_wage": 7000}, said) == {"calc_months": 48}
    assert flow.known("deadline", {}, said) == {}
    # How long wages are owed is not how long the worker was there.
    assert flow.known("compensation", {"duration": 3, "category": "wage_arrears"}, ["欠了三个月工资"]) == {}
    assert flow.known("compensation", {"duration": 48, "category": "dismissal"}, ["被辞退了"]) == {"calc_months": 48}


@pytest.mark.parametrize("text, months", [("不是说了4年吗 4年零3个月", 51), ("干了两年半", 30), ("3年7个月", 43)])
def test_durations_in_words(text, months):
    assert flow.read("calc_months", text, date(2026, 11, 30)) == (months, None)


def test_a_correction_while_something_else_was_asked():
    assert flow.correction("compensation", "不是说了4年吗 4年零3个月") == {"calc_months": 51}
    assert flow.correction("compensation", "4年") == {}
    assert flow.correction("deadline", "不是说了4年吗") == {}


@pytest.mark.parametrize("text, wage", [("工资9000一个月", 9000), ("月薪八千", 8000), ("欠了9000工资", None)])
def test_monthly_wage_in_words(text, wage):
    assert flow.wage_in(text) == wage


def test_a_form_reads_each_message_once():
    asked = [{"event": "user", "text": "最近的服务站"}, {"event": "action", "name": "case_form"}]
    assert form_exits.fresh(asked)
    after_a_rule = [
        {"event": "user", "text": "最近的服务站"},
        {"event": "action", "name": "action_find_station"},
        {"event": "action", "name": "case_form"},
    ]
    assert not form_exits.fresh(after_a_rule)


@pytest.mark.parametrize(
    "requested, text, cancels",
    [
        ("consent", "不同意", True),
        ("confirmed", "/deny", True),
        ("employer", "算了", True),
        ("employer", "不要", True),
        ("description", "老板不给钱也不接电话", False),
        ("employer", "不是美团 是一家劳务公司", False),
    ],
)
def test_only_a_real_no_cancels_the_intake(requested, text, cancels):
    assert intake.deny_cancels(requested, text) is cancels


def test_a_story_read_as_no_is_still_the_story():
    assert intake.taken_despite_no("description", "老板不给钱也不接电话") == "老板不给钱也不接电话"
    assert intake.taken_despite_no("name", "不是我") is None  # personal answers go through their own check


@pytest.mark.parametrize("text", ["退休时工龄算了28年 实际有31年", "停止发工资了", "合同结束了"])
def test_cancel_words_inside_a_fact_are_no_cancel(text):
    assert not form_exits.is_cancel(text)
    assert not intake.deny_cancels("description", text)


def test_a_correction_takes_the_figure_it_is_not_the_one_it_is_not():
    assert intake.corrected_number("amount", "金额不对 是一万二 不是一万") == 12000
    assert intake.corrected_number("duration", "不是两个月，是三个月") == 3


def test_a_refused_reply_is_not_the_turns_value():
    events = [
        {"event": "user", "text": "问这么多干嘛"},
        {"event": "slot", "name": "employer", "value": "问这么多干嘛"},  # the raw text, refused
        {"event": "slot", "name": "employer", "value": intake.UNKNOWN},  # what validation kept
        {"event": "user", "text": "好吧 是景德镇市昌南瓷业有限公司"},
    ]
    assert fields.history_before_last_message(events, "employer") == [intake.UNKNOWN]
    assert fields.settle("employer", [intake.UNKNOWN, "景德镇市昌南瓷业有限公司"]) == "景德镇市昌南瓷业有限公司"


def test_a_company_is_no_place():
    assert intake.is_company("好吧 是景德镇市昌南瓷业有限公司") and not intake.is_company("渝中区解放碑")
    assert intake.check_employer("好吧 是景德镇市昌南瓷业有限公司") == ("景德镇市昌南瓷业有限公司", None)


def test_a_date_given_for_how_long_counts_the_months_since():
    assert intake.months_since("从5月20号开始就没发了", date(2026, 11, 30)) == 6
    assert intake.months_since("两个月", date(2026, 11, 30)) is None
