"""Reading a conversation's events (bot/dialogue/conversation.py): the transcript operators read, the
fallbacks that hand a worker to a person, and case numbers and follow codes in free text."""

import pytest

from bot import hotlines
from bot.cases.numbers import find_case_no
from bot.dialogue.conversation import (
    HANDOFF_AFTER_FALLBACKS,
    fallbacks_in_a_row,
    find_follow_code,
    handoff_text,
    transcript,
)
from bot.topics import FALLBACK_INTENT

pytestmark = pytest.mark.unit


def user(intent, text="…"):
    return {"event": "user", "text": text, "timestamp": 1.0, "parse_data": {"intent": {"name": intent}}}


def test_transcript_keeps_who_said_what_in_order_and_nothing_else():
    events = [
        user("greet", "你好"),
        {"event": "action", "name": "action_listen"},
        {"event": "bot", "text": "您好", "timestamp": 2.0},
        {"event": "slot", "name": "phone", "value": "1"},
        {"event": "bot", "text": None},
        {"event": "user", "text": ""},
    ]
    assert transcript(events) == [
        {"who": "worker", "text": "你好", "at": 1.0},
        {"who": "bot", "text": "您好", "at": 2.0},
    ]


def test_fallbacks_are_counted_from_the_end_until_an_understood_message():
    events = [
        user(FALLBACK_INTENT),
        user("wage_arrears"),
        user(FALLBACK_INTENT),
        {"event": "bot", "text": "抱歉"},
        user(FALLBACK_INTENT),
    ]
    assert fallbacks_in_a_row(events) == 2
    assert fallbacks_in_a_row(events[:2]) == 0
    assert fallbacks_in_a_row([]) == 0
    assert fallbacks_in_a_row([{"event": "user", "parse_data": None}, user(FALLBACK_INTENT)]) == 1


def test_the_handoff_comes_after_two_fallbacks_and_names_the_hotlines():
    assert HANDOFF_AFTER_FALLBACKS == 2
    for recorded in (True, False):
        for phone in (None, "13812345678"):
            text = handoff_text(recorded, phone, after_fallbacks=not recorded)
            assert hotlines.RENSHE in text and hotlines.UNION in text


def test_the_handoff_promises_a_call_only_with_a_phone_and_only_when_recorded():
    assert "会打您留的电话（尾号5678）" in handoff_text(True, "13812345678")
    assert "没法主动联系您" in handoff_text(True, None) and "他们会" not in handoff_text(True, None)
    failed = handoff_text(False, "13812345678")
    assert "没能马上转给工作人员" in failed and "会打您" not in failed


@pytest.mark.parametrize(
    "text,case_no",
    [
        ("我的编号是GY20261123-0001", "GY20261123-0001"),
        ("gy20261123-0042 查一下", "GY20261123-0042"),
        ("GY20261123-12345", "GY20261123-12345"),
        ("GY2026112-0001", None),
        ("没有编号", None),
        ("", None),
        (None, None),
    ],
)
def test_case_numbers_in_text(text, case_no):
    assert find_case_no(text) == case_no


@pytest.mark.parametrize(
    "text,code",
    [
        ("K7PQ4XZ2", "K7PQ4XZ2"),
        ("我的查询码是 k7pq-4xz2", "K7PQ4XZ2"),
        ("GY20261123-0001 K7PQ4XZ2", "K7PQ4XZ2"),
        ("GY20261123-0001", None),
        ("5678", None),
        ("K7PQ4XZ", None),
        ("", None),
        (None, None),
    ],
)
def test_follow_codes_in_text_skip_the_case_number(text, code):
    assert find_follow_code(text) == code
