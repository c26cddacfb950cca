"""No form is a trap, and what the worker said is what the case holds (issue 15), through the REST
channel on the real stack (Rasa, action server, case service)."""

import re
import uuid

import pytest

from bot.cases.numbers import PATTERN as CASE_NUMBER
from tests.test_intake_e2e import say

pytestmark = pytest.mark.stack

BAD_NUMBER = "编号好像不对"


def me(kind):
    return f"rest-forms-{kind}-{uuid.uuid4().hex[:8]}"  # the REST channel's own prefix, so the tracker is found


def active_loop(stack, sender):
    loops = [e.get("name") for e in stack.tracker_events(sender) if e.get("event") == "active_loop"]
    return loops[-1] if loops else None


def to_the_story(stack, sender):
    """ "不清楚" to each optional question left, until the form asks for the story."""
    for _ in range(6):
        if "经过" in say(stack, sender, "不清楚"):
            return
    raise AssertionError("the intake never asked for the story")


def last_value(stack, sender, slot):
    values = [e["value"] for e in stack.tracker_events(sender) if e.get("event") == "slot" and e.get("name") == slot]
    return values[-1] if values else None


def consent_and_name(stack, sender, complaint):
    say(stack, sender, complaint)
    say(stack, sender, "/open_case")
    say(stack, sender, "同意")
    say(stack, sender, "王建国")
    return say(stack, sender, f"139{uuid.uuid4().int % 10**8:08d}")


# ---- A form must never be a trap ----


def test_procedure_question_then_cancel_then_handoff_is_no_trap(stack):
    sender = me("trap")
    first = say(stack, sender, "仲裁多久出结果")
    assert BAD_NUMBER not in first and active_loop(stack, sender) is None
    say(stack, sender, "结果出来了吗")  # about their own case: the lookup opens
    assert active_loop(stack, sender) == "status_form"
    cancel = say(stack, sender, "取消")
    person = say(stack, sender, "转人工")
    for reply in (cancel, person):
        assert BAD_NUMBER not in reply
    assert "工作人员" in person and active_loop(stack, sender) is None


def test_status_form_lets_go_on_cancel_handoff_button_and_after_two_misses(stack):
    sender = me("status")
    say(stack, sender, "查进度")
    assert active_loop(stack, sender) == "status_form"
    assert "不查了" in say(stack, sender, "算了") and active_loop(stack, sender) is None

    say(stack, sender, "查进度")
    person = say(stack, sender, "/human_handoff")
    assert BAD_NUMBER not in person and "工作人员" in person and active_loop(stack, sender) is None

    say(stack, sender, "查进度")
    say(stack, sender, "我也不记得了好像是上个月")
    gave_up = say(stack, sender, "就是那个啊")
    assert "12333" in gave_up and active_loop(stack, sender) is None


def test_a_question_inside_the_status_form_is_answered_and_the_form_resumes(stack):
    sender = me("digress")
    say(stack, sender, "查进度")
    answer = say(stack, sender, "劳动仲裁要交钱吗")
    assert BAD_NUMBER not in answer and "取消" in answer and "编号" in answer
    assert active_loop(stack, sender) == "status_form"
    assert "不查了" in say(stack, sender, "不弄了")


def test_a_question_inside_the_intake_is_answered_and_the_question_asked_again(stack):
    sender = me("intake-digress")
    asked = consent_and_name(stack, sender, "老板欠了我三个月工资")
    assert "单位" in asked
    answer = say(stack, sender, "劳动仲裁要交钱吗")
    assert "不收费" in answer and "单位" in answer.splitlines()[-1]
    assert last_value(stack, sender, "employer") in (None, "")
    assert "鸿发" not in say(stack, sender, "鸿发陶瓷厂")
    assert last_value(stack, sender, "employer") == "鸿发陶瓷厂"


@pytest.mark.parametrize("step", ["consent", "name", "phone", "employer"])
def test_the_intake_ends_on_cancel_at_every_step(stack, step):
    sender = me(f"cancel-{step}")
    say(stack, sender, "老板欠了我三个月工资")
    say(stack, sender, "/open_case")
    if step != "consent":
        say(stack, sender, "同意")
    if step in ("phone", "employer"):
        say(stack, sender, "王建国")
    if step == "employer":
        say(stack, sender, f"139{uuid.uuid4().int % 10**8:08d}")
    reply = say(stack, sender, "不弄了")
    assert "不登记" in reply or "已取消" in reply
    assert active_loop(stack, sender) is None
    assert "没太明白" not in say(stack, sender, "谢谢")


def test_handoff_inside_the_intake_and_the_calculator(stack):
    sender = me("handoff")
    consent_and_name(stack, sender, "老板欠了我三个月工资")
    person = say(stack, sender, "转人工")
    assert "工作人员" in person and active_loop(stack, sender) is None

    sender = me("calc-handoff")
    say(stack, sender, "公司把我辞退了")
    say(stack, sender, '/inform{"calculator": "compensation"}')
    person = say(stack, sender, "/human_handoff")
    assert "工作人员" in person and active_loop(stack, sender) is None


def test_the_calculator_ends_on_cancel(stack):
    sender = me("calc-cancel")
    say(stack, sender, "公司把我辞退了")
    say(stack, sender, '/inform{"calculator": "compensation"}')
    assert "不算了" in say(stack, sender, "不算了") and active_loop(stack, sender) is None


def test_the_erase_request_ends_on_cancel(stack):
    sender = me("erase")
    say(stack, sender, "删除我的信息")
    assert active_loop(stack, sender) == "erase_form"
    reply = say(stack, sender, "取消")
    assert "不删除" in reply and active_loop(stack, sender) is None


def test_the_roster_join_lets_go_on_cancel_and_answers_a_question(stack):
    sender = me("roster")
    say(stack, sender, "我要加入工友的登记")
    assert active_loop(stack, sender) == "roster_form"
    answer = say(stack, sender, "劳动仲裁要交钱吗")
    assert "不收费" in answer and "群码" in answer and active_loop(stack, sender) == "roster_form"
    assert "不加入" in say(stack, sender, "不弄了") and active_loop(stack, sender) is None


def test_asking_after_a_cancelled_registration_says_it_was_cancelled(stack):
    sender = me("after-cancel")
    consent_and_name(stack, sender, "老板欠了我三个月工资")
    assert "已取消" in say(stack, sender, "算了")
    reply = say(stack, sender, "我刚才登记的呢")
    assert "取消" in reply and "重新登记" in reply and BAD_NUMBER not in reply
    assert active_loop(stack, sender) is None


def test_asking_after_a_confirmed_case_gives_its_number(stack):
    sender = me("after-case")
    consent_and_name(stack, sender, "老板欠了我两个月工资 一共一万二")
    to_the_story(stack, sender)
    say(stack, sender, "干完活老板就不接电话了")
    done = say(stack, sender, "/affirm")
    case_no = re.search(CASE_NUMBER, done).group(0)
    reply = say(stack, sender, "我刚才登记的呢")
    assert case_no in reply and "查询码" in reply
    assert "不查了" in say(stack, sender, "取消")


# ---- What the worker said is what the case holds ----


def test_a_rude_reply_is_not_the_employer(stack):
    sender = me("rude")
    asked = consent_and_name(stack, sender, "我在工地干活 老板欠了我八千块")
    assert "单位" in asked
    reply = say(stack, sender, "问这么多干嘛")
    assert "不想说" in reply or "跳过" in reply
    assert last_value(stack, sender, "employer") != "问这么多干嘛"
    assert "你管呢" not in say(stack, sender, "你管呢")  # nor the next field
    assert all(last_value(stack, sender, slot) != "你管呢" for slot in ("location", "amount", "worker_count"))


def test_a_vaguer_mention_and_the_description_keep_the_answers(stack):
    sender = me("precise")
    asked = consent_and_name(stack, sender, "老板欠了我4个月工资 一共两万四")
    assert "单位" in asked
    say(stack, sender, "景德镇鸿发陶瓷厂")
    to_the_story(stack, sender)
    summary = say(stack, sender, "我在一家陶瓷厂做了两年，后来有一个月只发了3000")
    assert "请核对" in summary
    assert "景德镇鸿发陶瓷厂" in summary and "24000元" in summary and "4个月" in summary


# ---- The calculator uses what is known ----


def test_the_calculator_asks_only_what_is_missing(stack):
    sender = me("calc-known")
    say(stack, sender, "在厂里干了4年 月工资9000 上周突然被辞退了")
    first = say(stack, sender, '/inform{"calculator": "compensation"}')
    assert "9000" in first and "48个月" in first
    assert "每月工资" not in first and "干了多久" not in first
    assert "平均工资" in first


def test_the_calculator_accepts_a_correction_in_words(stack):
    sender = me("calc-fix")
    say(stack, sender, "公司把我辞退了")
    say(stack, sender, '/inform{"calculator": "compensation"}')
    say(stack, sender, "8000")
    say(stack, sender, "4年")
    fixed = say(stack, sender, "不是说了4年吗 4年零3个月")
    assert "改过来" in fixed and "51个月" in fixed and "平均工资" in fixed
    result = say(stack, sender, "不清楚")
    assert "4.5个月" in result or "4.5" in result
