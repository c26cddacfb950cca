"""What the worker said is what the bot hears (issue 15 repros): dates are not durations, a denied
employer is not the employer, a surname is not a place, spoken digits are a phone number, far
stations are not "nearby", and another language gets a Chinese answer instead of "帮不上忙"."""

import pytest
import requests

from bot.text.chinese_numbers import normalise_phone
from bot.text.language import is_foreign


def entities(parse, text, kind):
    return [e["value"] for e in parse(text)["entities"] if e["entity"] == kind]


@pytest.mark.parametrize("text", ["5月20号开始就没发工资了", "2025年8月到现在一分钱没给", "从去年十月份开始拖的"])
@pytest.mark.model
def test_a_date_is_not_a_duration(parse, text):
    assert entities(parse, text, "duration") == []


@pytest.mark.parametrize(
    "text, months", [("在厂里干了4年3个月", 51), ("干了两年零三个月被辞了", 27), ("欠了三个月", 3)]
)
@pytest.mark.model
def test_years_and_months_are_one_duration(parse, text, months):
    assert entities(parse, text, "duration") == [months]


@pytest.mark.model
def test_a_denied_employer_is_not_recorded(parse):
    assert "美团" not in entities(parse, "不是跟美团签的，是跟一家劳务公司", "employer")


@pytest.mark.model
def test_a_persons_name_is_not_a_place(parse):
    assert entities(parse, "我叫张秀英", "location") == []
    assert entities(parse, "我在秀英区上班", "location") == ["秀英区"]


@pytest.mark.parametrize(
    "spoken, phone",
    [
        ("一八六二三四五六七八九", "18623456789"),
        ("幺三五 一二三四 五六七八", "13512345678"),
        ("+86 186-2345-6789", "18623456789"),
        ("１８６２３４５６７８９", "18623456789"),
    ],
)
@pytest.mark.unit
def test_phone_numbers_as_voice_input_writes_them(spoken, phone):
    assert normalise_phone(spoken) == phone


@pytest.mark.model
def test_spoken_phone_is_found_in_a_sentence(parse):
    assert entities(parse, "电话是一八六二三四五六七八九", "phone") == ["18623456789"]


@pytest.mark.unit
def test_ten_digits_are_still_refused():
    assert normalise_phone("1862345678") is None and normalise_phone("一八六二三四五六七八") is None


@pytest.mark.parametrize(
    "text, foreign",
    [
        ("my boss did not pay my salary", True),
        ("ok", False),
        ("KFC欠我工资", False),
        ("13512345678", False),
        ("/affirm", False),
        ("thank you", True),
    ],
)
@pytest.mark.unit
def test_foreign_language_detection(text, foreign):
    assert is_foreign(text) is foreign


def say(stack, sender, text, **extra):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text, **extra}, timeout=60
    )
    assert reply.status_code == 200
    return reply.json()


def words(messages):
    return "\n".join(m.get("text") or "" for m in messages)


@pytest.mark.stack
def test_english_gets_a_chinese_answer_with_the_hotline(stack):
    reply = words(say(stack, "hear-en", "Hello, my employer has not paid me for two months"))
    assert "中文" in reply and "12333" in reply and "帮不上忙" not in reply


@pytest.mark.stack
def test_far_stations_are_not_listed_as_nearby(stack):
    messages = say(
        stack, "hear-far", "最近的服务站在哪", metadata={"location": {"latitude": 45.75, "longitude": 126.63}}
    )
    reply = words(messages)
    assert "50公里内还没有登记的服务站" in reply and "12333" in reply
    assert not [m for m in messages if "custom" in m] and "公里\n" not in reply


@pytest.mark.stack
def test_a_neighbourhood_of_banan_finds_banan(stack):
    messages = say(stack, "hear-lzw", "龙洲湾附近有调解的地方吗")
    cards = [m["custom"]["stations"] for m in messages if "custom" in m]
    assert cards and "巴南" in cards[0][0]["address"] + cards[0][0]["name"]
