"""A worker whose case was opened in an earlier conversation asks for a document (issue 17):
through the real Rasa server, they are asked for the case number and follow code, a wrong code
is refused, and the right pair leads to the document form of that case, with no second case."""

import re
import uuid

import pytest

from bot.cases.numbers import PATTERN as CASE_NUMBER
from tests.test_document_form_e2e import open_case_for_the_document, say

pytestmark = pytest.mark.stack


def test_a_case_from_an_earlier_conversation_is_proven_not_opened_again(stack):
    first = f"earlier-{uuid.uuid4().hex[:8]}"
    assert "拖欠工资" in say(stack, first, "包工头欠了我三个月工资，一共两万四")
    done = open_case_for_the_document(stack, first, f"138{uuid.uuid4().int % 10**8:08d}")
    case_no = re.search(CASE_NUMBER, done).group(0)
    code = re.search(r"查询码是 ([A-Z0-9]{8})", done).group(1)
    wrong = "23456789" if code != "23456789" else "98765432"
    before = len(stack.api("/api/cases").json()["cases"])

    later = f"later-{uuid.uuid4().hex[:8]}"  # another day, another conversation
    asked = say(stack, later, "帮我写仲裁申请书")
    assert "登记编号和查询码" in asked
    assert "查询码也发一下" in say(stack, later, case_no)
    assert "没查到" in say(stack, later, f"{case_no} {wrong}")
    found = say(stack, later, f"编号 {case_no} 查询码 {code}")
    assert f"找到了您的登记 {case_no}" in found and "身份证号" in found and "同意" in found
    assert "身份证号是多少" in say(stack, later, "/affirm")
    assert not re.search(r"编号是 GY", found)
    assert len(stack.api("/api/cases").json()["cases"]) == before
