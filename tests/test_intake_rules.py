"""The intake form's rules (bot/dialogue/intake.py) without Rasa: what each answer must look like, what the
worker is told when it does not, and which field a correction names."""

import pytest

from bot.cases.lifecycle import AMOUNT_CEILING, DESCRIPTION_LIMIT
from bot.cases.wording import draft_reminder
from bot.dialogue import intake
from bot.dialogue.intake import (
    CANCELLED_TEXT,
    UNKNOWN,
    case_card,
    check_amount,
    check_category,
    check_description,
    check_duration,
    check_employer,
    check_location,
    check_name,
    check_phone,
    check_worker_count,
    correction_field,
    corrects_another_field,
    deny_means_skip,
    payload,
    submitted_text,
    summary,
)
from bot.stations.station import Station

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text,value", [("我叫孙芳", "孙芳"), ("孙芳。", "孙芳"), ("名字是 李师傅", "李师傅")])
def test_names_lose_their_lead_in(text, value):
    assert check_name(text) == (value, None)


@pytest.mark.parametrize("text", ["", "   ", "张三123", "孙" * 21, None])
def test_no_name_is_asked_again(text):
    value, problem = check_name(text)
    assert value is None and "姓名" in problem


@pytest.mark.parametrize(
    "text,value",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("023-63801234", "02363801234"),
    ],
)
def test_phones_are_kept_as_digits(text, value):
    assert check_phone(text) == (value, None)


@pytest.mark.parametrize("text,digits", [("1381234567", 10), ("138123456789", 12)])
def test_a_mobile_of_the_wrong_length_says_how_many_digits_it_had(text, digits):
    value, problem = check_phone(text)
    assert value is None and f"{digits}位" in problem and "11位" in problem


def test_a_phone_that_is_no_phone_gets_an_example():
    value, problem = check_phone("不告诉你")
    assert value is None and "023-63801234" in problem


@pytest.mark.parametrize(
    "text,value",
    [
        ("重庆某某建筑劳务有限公司", "重庆某某建筑劳务有限公司"),
        ("公司是某鞋业公司", "某鞋业公司"),
        ("不知道", UNKNOWN),
        ("不清楚了", UNKNOWN),
    ],
)
def test_employers(text, value):
    assert check_employer(text) == (value, None)


@pytest.mark.parametrize("text", ["厂", "是", ""])
def test_one_character_is_no_employer(text):
    value, problem = check_employer(text)
    assert value is None and "全称" in problem


def test_places_as_written_and_too_short():
    assert check_location("渝中区解放碑") == ("渝中区解放碑", None)
    assert check_location("不清楚") == (UNKNOWN, None)
    assert check_location("x")[0] is None
    assert len(check_location("街" * 500)[0]) == 200


@pytest.mark.parametrize("text,value", [("8000块", 8000), ("一万二", 12000), (8000, 8000), ("不清楚", UNKNOWN)])
def test_amounts(text, value):
    assert check_amount(text) == (value, None)


@pytest.mark.parametrize(
    "text,why",
    [
        ("负500", "负数"),
        ("-3", "负数"),
        ("abc", "没看懂"),
        ("0", "不太对"),
        (AMOUNT_CEILING + 1, "不太对"),
    ],
)
def test_bad_amounts_say_why(text, why):
    value, problem = check_amount(text)
    assert value is None and why in problem


def test_the_ceiling_itself_is_still_an_amount():
    assert check_amount(AMOUNT_CEILING) == (AMOUNT_CEILING, None)


@pytest.mark.parametrize("text,value", [("两个月", 2), ("半年", 6), (3, 3), ("不知道", UNKNOWN)])
def test_durations(text, value):
    assert check_duration(text) == (value, None)


@pytest.mark.parametrize("text", ["700个月", "x", 0, -2])
def test_bad_durations_are_asked_again(text):
    value, problem = check_duration(text)
    assert value is None and "多长时间" in problem


@pytest.mark.parametrize(
    "text,value",
    [
        ("就我一个", 1),
        ("我自己", 1),
        ("16个人", 16),
        ("十来个人", 10),
        (12, 12),
        ("不清楚", UNKNOWN),
    ],
)
def test_worker_counts(text, value):
    assert check_worker_count(text) == (value, None)


@pytest.mark.parametrize("text", ["0个", "一百万人", "很多"])
def test_bad_worker_counts_are_asked_again(text):
    value, problem = check_worker_count(text)
    assert value is None and "几个人" in problem


def test_a_long_description_is_cut_and_the_worker_told():
    text, problem, cut = check_description("欠" * (DESCRIPTION_LIMIT + 1))
    assert len(text) == DESCRIPTION_LIMIT and problem is None and cut is True
    assert check_description("老板跑了") == ("老板跑了", None, False)
    assert check_description("  ")[:2] == (None, "请简单说说经过：在哪干活、干了多久、对方怎么说的。")


def test_only_the_eight_topics_are_categories():
    assert check_category("wage_arrears") == ("wage_arrears", None)
    assert check_category("greet")[0] is None


@pytest.mark.parametrize(
    "text,field",
    [
        ("电话写错了", "phone"),
        ("手机号不对", "phone"),
        ("名字不对", "name"),
        ("公司写错了", "employer"),
        ("金额改一下", "amount"),
        ("几个月不对", "duration"),
        ("人数错了", "worker_count"),
        ("地址要改", "location"),
    ],
)
def test_a_correction_names_its_field(text, field):
    assert correction_field(text) == field


@pytest.mark.parametrize("text", ["我的电话是13812345678", "重新来", "", None, "没错"])
def test_no_correction(text):
    # "没错" has the cue 错 but names no field: nothing is cleared.
    assert correction_field(text) is None


def test_a_correction_of_another_field_is_not_this_fields_answer():
    assert corrects_another_field("电话写错了，是13912345678", "employer") is True
    assert corrects_another_field("电话写错了，是13912345678", "phone") is False
    assert corrects_another_field("某鞋业公司", "employer") is False


@pytest.mark.parametrize(
    "slot,text,skip",
    [
        ("amount", "不清楚", True),
        ("employer", "不知道", True),
        ("worker_count", "没有", True),
        ("name", "不清楚", False),
        ("phone", "不知道", False),  # required: no skipping
        ("amount", "算了，不登记了", False),
        ("amount", "不要了", False),  # a cancel, not an answer
        (None, "不清楚", False),
    ],
)
def test_deny_is_a_skip_only_for_optional_questions(slot, text, skip):
    assert deny_means_skip(slot, text) is skip


def test_the_summary_lists_every_field_and_the_time_limit_warning():
    text = summary({"category": "wage_arrears", "name": "孙芳", "amount": 8000, "duration": 2, "worker_count": 16})
    assert "问题类型：被拖欠工资" in text and "金额：8000元" in text and "时长：2个月" in text
    assert "涉及人数：16人" in text and "电话：（未填）" in text
    assert text.count("\n· ") == len(intake.FIELDS)
    assert text.endswith(draft_reminder("wage_arrears"))  # the time limit for the worker's own topic


def test_the_payload_drops_unknowns():
    consent = {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"}
    sent = payload(
        {
            "category": "wage_arrears",
            "name": "孙芳",
            "employer": UNKNOWN,
            "duration": 2,
            "amount": "",
            "consent": consent,
        },
        "s1",
    )
    assert sent["employer"] is None and sent["amount"] is None and sent["period_months"] == 2
    assert sent["sender_id"] == "s1" and sent["name"] == "孙芳"


def test_submitted_text_has_the_number_the_station_and_the_warning():
    case = {"case_no": "GY20261123-0001", "station": {"name": "巫溪县总工会服务站"}, "collective": True}
    text = submitted_text(case)
    assert "GY20261123-0001" in text and "巫溪县总工会服务站" in text and "群体性" in text
    assert draft_reminder(None) in text
    plain = submitted_text({"case_no": "GY20261123-0002"})
    assert "服务站工作人员会尽快联系您" in plain and "群体性" not in plain


def test_the_case_card_carries_nothing_personal():
    station = Station("s1", "渝中工会", "工会服务站", "渝中区", "", 29.55, 106.57, hours="周一至周五")
    case = {
        "case_no": "GY20261123-0001",
        "category": "wage_arrears",
        "name": "孙芳",
        "phone": "13812345678",
        "created_at": "2026-11-23T08:00:00",
    }
    card = case_card(case, station)
    assert card["category"] == "被拖欠工资" and card["station"]["name"] == "渝中工会"
    assert "孙芳" not in repr(card) and "13812345678" not in repr(card)
    assert case_card({"case_no": "GY20261123-0001"})["station"] is None
    assert case_card({"case_no": "x", "station": {"name": "某站"}})["station"]["name"] == "某站"


def test_cancel_text_says_nothing_was_sent():
    assert "没有提交" in CANCELLED_TEXT
