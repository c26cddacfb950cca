"""The calculator dialogue (bot/dialogue/calculation_flow.py) asks what changes the answer and shows
the caveats that apply (issue 14 §3). Each test walks the questions the form would ask, in order,
answering as a worker types."""

from datetime import date

import pytest

from bot.dialogue import calculation_flow as flow

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 30)


def walk(calculator, answers, today=TODAY):
    """Ask what `required` asks, answer from `answers`, and return (slots asked, explanation)."""
    slots = {"calculator": calculator}
    asked = []
    while True:
        missing = [s for s in flow.required(calculator, slots) if slots.get(s) is None]
        if not missing:
            return asked, flow.explain(calculator, slots, today)
        slot = missing[0]
        assert slot in answers, f"asked {slot}, which the test did not expect"
        asked.append(slot)
        value, problem = flow.read(slot, answers[slot], today)
        assert problem is None, (slot, problem)
        slots[slot] = value


# ---------------------------------------------------------------------------------------------
# 1. The deadline: still employed? what is owed? (劳动争议调解仲裁法 §27 ¶4)


def test_still_employed_and_owed_wages_since_2024_is_not_told_a_passed_date():
    asked, text = walk("deadline", {"calc_claim": "欠工资", "calc_left": "还在干"})
    assert asked == ["calc_claim", "calc_left"]
    assert "不受一年时效的限制" in text and "第二十七条第四款" in text
    assert "最后一天是" not in text and "2025年" not in text


def test_wages_after_leaving_run_a_year_from_the_last_day():
    asked, text = walk("deadline", {"calc_claim": "工资", "calc_left": "2026年5月31日"})
    assert asked == ["calc_claim", "calc_left"]
    assert "最后一天是2027年5月31日" in text


def test_a_passed_deadline_says_what_can_still_be_done():
    _, text = walk("deadline", {"calc_claim": "工资", "calc_left": "2025年3月1日"})
    assert "已经过了" in text and "建议尽早申请，不要拖到最后一天" not in text
    assert "重新算一年（《劳动争议调解仲裁法》第二十七条第二款）" in text
    assert "2年内" in text and "《劳动保障监察条例》第二十条" in text


def test_other_claims_ask_the_day_the_worker_found_out():
    asked, text = walk(
        "deadline", {"calc_claim": "经济补偿", "calc_left": "2026年10月8日", "calc_knew": "2026年10月8日"}
    )
    assert asked == ["calc_claim", "calc_left", "calc_knew"]
    assert "最后一天是2027年10月8日" in text


def test_a_deadline_close_at_hand_says_how_many_days_are_left():
    _, text = walk("deadline", {"calc_claim": "别的", "calc_left": "还在干", "calc_knew": "2025年12月20日"})
    assert "只剩20天" in text


def test_an_injury_is_told_the_recognition_limit_not_the_arbitration_one():
    asked, text = walk("deadline", {"calc_claim": "工伤的赔偿"})
    assert asked == ["calc_claim"]
    assert "1年内" in text and "单位所在地的社保行政部门" in text and "《工伤保险条例》第十七条" in text
    assert "仲裁时效是一年" not in text


def test_a_pension_is_told_review_in_60_days_not_arbitration():
    asked, text = walk("deadline", {"calc_claim": "养老金"})
    assert asked == ["calc_claim"]
    assert "60日内申请行政复议（《行政复议法》第二十条）" in text and "不走劳动仲裁" in text


@pytest.mark.parametrize("slot,answer", [("calc_knew", "2027年5月1日"), ("calc_left", "2027年5月1日")])
def test_a_date_in_the_future_is_refused_politely(slot, answer):
    value, problem = flow.read(slot, answer, TODAY)
    assert value is None and "还没到" in problem


def test_an_unclear_claim_is_asked_again():
    value, problem = flow.read("calc_claim", "嗯", TODAY)
    assert value is None and "工资" in problem and "别的" in problem


@pytest.mark.parametrize("text,value", [("不清楚", "unknown"), ("没签", "never"), ("还没走", "working")])
def test_a_no_that_answers_the_question_keeps_the_form_going(text, value):
    slot = {"不清楚": "calc_average", "没签": "calc_signed", "还没走": "calc_left"}[text]
    assert flow.deny_answers(slot, text, TODAY) == (value, None)


def test_a_plain_no_stops_the_calculation():
    assert flow.deny_answers("calc_claim", "不要了", TODAY) == (None, None)


# ---------------------------------------------------------------------------------------------
# 3. Compensation: the local average wage and the §47 ¶2 cap


def test_a_high_wage_is_capped_at_three_times_the_local_average_and_twelve_years():
    asked, text = walk("compensation", {"calc_wage": "40000", "calc_months": "15年", "calc_average": "10000"})
    assert asked == ["calc_wage", "calc_months", "calc_average"]
    assert "30,000元 × 12 = 360,000元" in text and "600,000" not in text
    assert "第四十七条第二款" in text


def test_without_the_local_average_the_cap_rule_is_said_in_words():
    _, text = walk("compensation", {"calc_wage": "40000", "calc_months": "15年", "calc_average": "不清楚"})
    assert "600,000元" in text
    assert "三倍" in text and "十二年" in text and "没有封顶" in text


def test_a_wage_under_the_cap_is_not_capped():
    _, text = walk("compensation", {"calc_wage": "6000", "calc_months": "3年7个月", "calc_average": "9000"})
    assert "24,000元" in text and "没有封顶" not in text


# ---------------------------------------------------------------------------------------------
# 4. Double wages stop when the worker left (劳动合同法 §82; 实施条例 §6, §7)


def test_someone_who_left_after_three_and_a_half_months_gets_two_and_a_half():
    asked, text = walk(
        "double_wages",
        {"calc_wage": "6000", "calc_start": "2026年1月1日", "calc_signed": "没签", "calc_left": "2026年4月15日"},
    )
    assert asked == ["calc_wage", "calc_start", "calc_signed", "calc_left"]
    assert "= 15,000元" in text and "66,000" not in text
    assert "无固定期限" not in text
    assert "仲裁时效" in text and "《劳动争议调解仲裁法》第二十七条" in text


def test_still_working_after_a_year_is_eleven_months_and_open_ended():
    _, text = walk(
        "double_wages",
        {"calc_wage": "6000", "calc_start": "2025年1月1日", "calc_signed": "没签", "calc_left": "还在干"},
    )
    assert "= 66,000元" in text and "无固定期限劳动合同" in text


def test_left_more_than_a_year_ago_warns_the_limit_may_have_passed():
    _, text = walk(
        "double_wages",
        {"calc_wage": "6000", "calc_start": "2024年1月1日", "calc_signed": "没签", "calc_left": "2024年6月30日"},
    )
    assert "离职已经超过一年" in text and "第二十七条第二款" in text


def test_left_within_the_first_month_owes_no_double_wages():
    _, text = walk(
        "double_wages",
        {"calc_wage": "6000", "calc_start": "2026年10月1日", "calc_signed": "没签", "calc_left": "2026年10月20日"},
    )
    assert "不到一个月就离开了" in text and "还没超过一个月" not in text


def test_a_leaving_date_before_the_start_is_refused():
    _, text = walk(
        "double_wages",
        {"calc_wage": "6000", "calc_start": "2026年5月1日", "calc_signed": "没签", "calc_left": "2026年4月1日"},
    )
    assert text.startswith("没法计算") and "离职日期不能早于入职日期" in text


# ---------------------------------------------------------------------------------------------
# 5. The caveats that apply are shown


def test_compensation_says_when_n_is_owed_at_all():
    _, text = walk("compensation", {"calc_wage": "6000", "calc_months": "3年", "calc_average": "9000"})
    assert "《劳动合同法》第四十六条" in text and "您自己要走、单位又没有过错的，没有经济补偿" in text


def test_years_before_2008_are_said_only_when_there_are_some():
    _, long_ago = walk("compensation", {"calc_wage": "6000", "calc_months": "20年", "calc_average": "9000"})
    _, recent = walk("compensation", {"calc_wage": "6000", "calc_months": "3年", "calc_average": "9000"})
    assert "2008年以前" in long_ago and "《劳动合同法》第九十七条第三款" in long_ago
    assert "2008年以前" not in recent


def test_the_minimum_wage_floor_is_said_for_a_low_wage_only():
    _, low = walk("compensation", {"calc_wage": "1800", "calc_months": "2年", "calc_average": "8000"})
    _, usual = walk("compensation", {"calc_wage": "6000", "calc_months": "2年", "calc_average": "8000"})
    assert "最低工资标准" in low and "《劳动合同法实施条例》第二十七条" in low
    assert "最低工资标准" not in usual


def test_double_wages_say_a_refusal_after_written_notice_gives_none():
    _, text = walk(
        "double_wages",
        {"calc_wage": "6000", "calc_start": "2026年1月1日", "calc_signed": "没签", "calc_left": "还在干"},
    )
    assert "书面通知您签合同、您自己不签" in text
    assert "《劳动合同法实施条例》第五条、《劳动合同法实施条例》第六条" in text
