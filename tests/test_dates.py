from datetime import date

import pytest

from bot.text.dates import parse_date

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026年3月5日", date(2026, 3, 5)),
        ("2026-03-05", date(2026, 3, 5)),
        ("2025.12.1", date(2025, 12, 1)),
        ("3月5号", date(2026, 3, 5)),
        ("12月1号", date(2025, 12, 1)),
        ("去年11月", date(2025, 11, 1)),
        ("昨天", date(2026, 11, 22)),
        ("三月五号离职的", date(2026, 3, 5)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "不知道", "2026年13月5日", "2月30号"])
def test_unreadable_dates(text):
    assert parse_date(text, TODAY) is None
