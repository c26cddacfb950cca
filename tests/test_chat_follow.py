"""The chat's "查进度" through Rasa's REST channel and the real action server: a case number and
its follow code, in two answers or in one; the phone's digits are not enough; wrong codes are
throttled by the case service the action asks."""

import uuid

import pytest
import requests

from tests.conftest import SERVICE_TOKEN

pytestmark = pytest.mark.stack

CONSENT = {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"}


def say(stack, sender, message):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert reply.status_code == 200
    return "\n".join(m.get("text") or "" for m in reply.json())


def open_case(stack):
    phone = f"137{uuid.uuid4().int % 10**8:08d}"
    body = {
        "category": "wage_arrears",
        "name": "钱师傅",
        "phone": phone,
        "sender_id": f"x-{uuid.uuid4().hex[:6]}",
        "consent": CONSENT,
        "idempotency_key": uuid.uuid4().hex,
    }
    case = stack.api("/api/cases", method="POST", json=body, token=SERVICE_TOKEN).json()
    return case["case_no"], case["follow_code"], phone


def wrong(code):
    return ("Z" if code[0] != "Z" else "Y") + code[1:]


def test_status_needs_the_follow_code(stack):
    case_no, code, phone = open_case(stack)
    sender = f"follow-{uuid.uuid4().hex[:8]}"
    assert "编号" in say(stack, sender, "查进度")
    assert "查询码" in say(stack, sender, case_no)
    answer = say(stack, sender, phone[-4:])  # the old secret is not a code: asked again
    assert "查询码" in answer and "受理" not in answer
    answer = say(stack, sender, code.lower())
    assert case_no in answer and "等服务站工作人员受理" in answer and "钱师傅" not in answer and phone not in answer


def test_number_and_code_in_one_message(stack):
    case_no, code, _ = open_case(stack)
    sender = f"follow-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "查进度")
    answer = say(stack, sender, f"{case_no} 查询码{code[:4]}-{code[4:]}")
    assert "等服务站工作人员受理" in answer


def test_the_chat_path_is_throttled_too(stack):
    case_no, code, _ = open_case(stack)
    answers = []
    for i in range(11):
        sender = f"guess-{i}-{uuid.uuid4().hex[:6]}"  # a new conversation for every guess
        say(stack, sender, "查进度")
        answers.append(say(stack, sender, f"{case_no} {wrong(code) if i < 10 else code}"))
    assert all("没查到" in a for a in answers[:10]), answers
    assert "次数太多" in answers[10] and "受理" not in answers[10]
