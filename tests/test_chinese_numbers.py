import pytest

from bot.text.chinese_numbers import normalise_phone, parse_amount, parse_count, parse_duration, parse_number

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text,value",
    [
        ("一万二", 12000),
        ("8000块", 8000),
        ("两万五", 25000),
        ("五十块", 50),
        ("1.2万", 12000),
        ("三千五", 3500),
        ("八千", 8000),
        ("3万5", 35000),
        ("8,000元", 8000),
        ("一万块钱", 10000),
        ("两千八百元", 2800),
        ("3千", 3000),
        ("5w", 50000),
        ("一万零五百", 10500),
        ("十二萬", 120000),
        ("四五千", 5000),
        ("三千多", 3000),
        ("2800", 2800),
        ("一百二十块", 120),
        ("十万", 100000),
    ],
)
def test_amounts_in_yuan(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    "text,value",
    [
        ("两个月", 2),
        ("半年", 6),
        ("三个月", 3),
        ("一年", 12),
        ("一年半", 18),
        ("三个多月", 3),
        ("半个月", 0.5),
        ("一个半月", 1.5),
        ("3个月", 3),
        ("两年", 24),
        ("大半年", 6),
        ("两三个月", 3),
        ("整整五个月", 5),
        ("两年半", 30),
        ("3年7个月", 43),
        ("两年零三个月", 27),
    ],
)
def test_durations_in_months(text, value):
    assert parse_duration(text) == value


@pytest.mark.parametrize(
    "text,value",
    [
        ("16个工人", 16),
        ("二十个人", 20),
        ("三十多名工友", 30),
        ("100多个农民工", 100),
        ("四十二名退休教师", 42),
    ],
)
def test_worker_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["", "老板", "个月", "块钱", None])
def test_unreadable_figures_are_none_not_guesses(text):
    assert parse_amount(text) is None
    assert parse_duration(text) is None
    assert parse_count(text) is None


def test_plain_numbers():
    assert parse_number("二十") == 20
    assert parse_number("十二") == 12
    assert parse_number("一百零五") == 105


@pytest.mark.parametrize(
    "text,value",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("023-63801234", "02363801234"),
        ("1381234567", None),
        ("12345678901", None),
        ("电话", None),
    ],
)
def test_phones_are_digits_only_and_valid(text, value):
    assert normalise_phone(text) == value
