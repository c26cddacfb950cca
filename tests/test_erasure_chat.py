"""A worker asks the chat to delete their data (PIPL §47): case number + follow code, a yes,
and the case service's erasure runs; read back from the case API and the conversation."""

import re
import uuid

import pytest

from bot.cases.numbers import PATTERN as CASE_NUMBER
from bot.dialogue import conversation
from tests.test_intake_e2e import say, slots

pytestmark = pytest.mark.stack

CASE_NO = re.compile(CASE_NUMBER)


def open_case(stack, sender, phone):
    say(stack, sender, "老板欠我两个月工资，一共一万二")
    say(stack, sender, "/open_case")
    say(stack, sender, "同意")
    say(stack, sender, "刘强")
    reply = say(stack, sender, phone)
    for answer in ("恒通建材", "渝中区", "不清楚", "就我一个人", "工头说等结账"):
        if "请核对" in reply:
            break
        reply = say(stack, sender, answer)
    assert "请核对" in reply
    return CASE_NO.search(say(stack, sender, "/affirm")).group(0)


def test_erasure_asked_in_the_chat_with_number_and_follow_code(stack):
    sender = f"erase-{uuid.uuid4().hex[:8]}"
    phone = f"135{uuid.uuid4().int % 10**8:08d}"
    case_no = open_case(stack, sender, phone)
    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["phone"] == phone and case["follow_code"]

    # A wrong code erases nothing. The number of the case opened here is already known.
    assert "查询码" in say(stack, sender, "删除我的信息")
    assert conversation.ERASE_CONFIRM in say(stack, sender, "ZZZZ9999")
    assert conversation.ERASE_NO_MATCH in say(stack, sender, "确定删除")  # typed, as on WeChat
    assert stack.api(f"/api/cases/{case_no}").json()["phone"] == phone

    # "先不删" keeps everything.
    say(stack, sender, "把我登记的资料删掉")
    say(stack, sender, case["follow_code"])
    assert conversation.ERASE_KEPT in say(stack, sender, "/deny")
    assert stack.api(f"/api/cases/{case_no}").json()["phone"] == phone

    # From another conversation (a new phone): number, then code, then yes.
    other = f"erase-{uuid.uuid4().hex[:8]}"
    asked = say(stack, other, "清除我的记录")
    # A co-worker who joined by group code has no number: told how to have it erased.
    assert "编号" in asked and "群码" in asked and "转人工" in asked
    assert "查询码" in say(stack, other, case_no)
    assert conversation.ERASE_CONFIRM in say(stack, other, case["follow_code"])
    assert conversation.ERASE_DONE in say(stack, other, "/affirm")
    erased = stack.api(f"/api/cases/{case_no}").json()
    assert erased["phone"] is None and erased["name"] is None and erased["description"] is None
    assert erased["category"] == "wage_arrears"  # the non-personal facts stay for statistics
    assert all(slots(stack, other).get(s) is None for s in ("erase_case_no", "erase_follow_code", "erase_confirmed"))
