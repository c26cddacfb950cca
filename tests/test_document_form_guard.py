"""The document form lets the worker out at every step like the other forms (issue 17,
actions/form_guard.py), through the real Rasa server: a question asked at a step is answered
and the same question comes back (not taken as the answer); "找人工" hands over and ends the
form; "取消" ends it and keeps nothing."""

import re
import uuid

import pytest

from bot.cases.numbers import PATTERN as CASE_NUMBER
from tests.test_document_form_e2e import ID, open_case_for_the_document, say

pytestmark = pytest.mark.stack

RESUME = "我们接着刚才的"


def document_form_at_home_address(stack):
    sender = f"guard-{uuid.uuid4().hex[:8]}"
    assert "拖欠工资" in say(stack, sender, "包工头欠了我三个月工资，一共两万四")
    done = open_case_for_the_document(stack, sender, f"139{uuid.uuid4().int % 10**8:08d}")
    case_no = re.search(CASE_NUMBER, done).group(0)
    assert "身份证号" in say(stack, sender, "/affirm")
    assert "住在哪里" in say(stack, sender, ID)
    return sender, case_no


def test_a_question_in_the_document_form_is_answered_then_asked_again(stack):
    sender, case_no = document_form_at_home_address(stack)
    reply = say(stack, sender, "申请仲裁要交钱吗？")
    assert RESUME in reply and "住在哪里" in reply
    assert "仲裁" in reply.split(RESUME)[0]  # the answer comes first
    assert "注册地址" in say(stack, sender, "巫溪县城厢镇柏杨街6号")
    cancelled = say(stack, sender, "取消")
    assert "申请书先不写了" in cancelled
    details = stack.api(f"/api/cases/{case_no}").json().get("details") or {}
    assert "id_number" not in details and "home_address" not in details
    # The form is over: the next words are not taken as the registered address.
    assert "注册地址" not in say(stack, sender, "巫溪县工业园区8号")


def test_a_person_asked_for_in_the_document_form_ends_it(stack):
    sender, case_no = document_form_at_home_address(stack)
    handed = say(stack, sender, "找人工")
    assert "转给工作人员" in handed and "住在哪里" not in handed
    assert "住在哪里" not in say(stack, sender, "你好")
    details = stack.api(f"/api/cases/{case_no}").json().get("details") or {}
    assert "id_number" not in details
