"""The calculators through the REST channel on the real stack (Rasa, action server, database):
the questions that change the answer are asked, and a "no" that answers one keeps the form going."""

import uuid

import pytest

from tests.test_intake_e2e import say

pytestmark = pytest.mark.stack


def sender():
    return f"calc-{uuid.uuid4().hex[:8]}"


def test_deadline_for_wages_while_still_employed(stack):
    me = sender()
    say(stack, me, "老板欠了我半年工资")
    assert "工资" in say(stack, me, '/inform{"calculator": "deadline"}')
    assert "哪天离开这家单位" in say(stack, me, "工资")
    result = say(stack, me, "还在干")
    assert "不受一年时效的限制" in result and "第二十七条第四款" in result
    assert "最后一天是" not in result


def test_deadline_for_other_claims_refuses_a_date_in_the_future(stack):
    me = sender()
    say(stack, me, "公司把我辞退了")
    say(stack, me, '/inform{"calculator": "deadline"}')
    say(stack, me, "经济补偿")
    assert "哪天知道" in say(stack, me, "2025年3月1日")
    assert "还没到" in say(stack, me, "2099年1月1日")
    result = say(stack, me, "2025年3月1日")
    assert "已经过了" in result and "《劳动保障监察条例》第二十条" in result


def test_double_wages_stop_on_the_day_the_worker_left(stack):
    me = sender()
    say(stack, me, "干了好几个月公司一直不签合同")
    assert "工资" in say(stack, me, '/inform{"calculator": "double_wages"}')
    assert "入职" in say(stack, me, "6000")
    assert "签的书面劳动合同" in say(stack, me, "2025年1月1日")
    assert "哪天离开这家单位" in say(stack, me, "没签")
    result = say(stack, me, "2025年4月15日")
    assert "15,000元" in result and "无固定期限" not in result
    assert "自己不签" in result and "已经超过一年" in result


def test_compensation_capped_with_the_local_average(stack):
    me = sender()
    say(stack, me, "公司把我辞退了")
    say(stack, me, '/inform{"calculator": "compensation"}')
    say(stack, me, "40000")
    assert "平均工资" in say(stack, me, "15年")
    result = say(stack, me, "10000")
    assert "360,000元" in result and "第四十七条第二款" in result


def test_a_plain_no_stops_the_calculation(stack):
    me = sender()
    say(stack, me, "公司把我辞退了")
    say(stack, me, '/inform{"calculator": "deadline"}')
    assert "没问题" in say(stack, me, "不用了")
    # The form is gone: the next message is a new question, not an answer to the old one.
    assert "哪天离开这家单位" not in say(stack, me, "工资")


def test_an_injury_gets_the_recognition_limit(stack):
    me = sender()
    say(stack, me, "在工地上摔伤了")
    say(stack, me, '/inform{"calculator": "deadline"}')
    result = say(stack, me, "工伤")
    assert "《工伤保险条例》第十七条" in result and "1年内" in result
