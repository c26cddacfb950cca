"""A worker on the REST channel reads a due follow-up at the start of the reply to their next
message, and "收到了" marks the instalment paid (contract §6), through the real Rasa server."""

import uuid

import pytest
import requests

from tests.conftest import SERVICE_TOKEN

pytestmark = pytest.mark.stack


def talk(stack, sender, text):
    reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200
    return [m.get("text") or "" for m in reply.json()]


def test_the_next_message_opens_with_the_due_question_and_an_answer_marks_it_paid(stack):
    sender = f"rest-fu-{uuid.uuid4().hex[:8]}"
    opened = stack.api(
        "/api/cases",
        method="POST",
        token=SERVICE_TOKEN,
        json={"category": "wage_arrears", "employer": "某鞋业有限公司", "amount": 2000, "sender_id": sender},
    )
    assert opened.status_code == 201
    no = opened.json()["case_no"]
    for status, body in (
        ("accepted", {}),
        ("mediating", {}),
        ("agreement", {"instalments": [{"amount": 2000, "due": "2026-12-15"}]}),
    ):
        assert stack.api(f"/api/cases/{no}/status", method="POST", json={"status": status, **body}).status_code == 200
    run = stack.api("/api/followups/run", method="POST", json={"now": "2026-12-15T10:00:00+08:00"})
    assert run.status_code == 200

    said = talk(stack, sender, "你好")
    question = next(i for i, text in enumerate(said) if "第一期2000元今天该到账了" in text)
    assert said[0].startswith("服务站已受理您的案件" + no)  # the notices and the question come first
    assert question < len(said) - 1  # then Rasa's own answer to "你好"
    assert all("【回访】" not in text for text in said[question + 1 :])

    answered = talk(stack, sender, "收到了")
    assert answered[0] == "好的，记下了：第一期已经到账。有问题随时找我们。"
    assert "打个分" in answered[1]
    case = stack.api(f"/api/cases/{no}").json()
    assert [i["paid"] for i in case["instalments"]] == [True]
    assert [f["answer"] for f in case["followups"] if f["kind"] == "instalment"] == ["paid"]

    # Nothing waits any more: the next message is Rasa's alone, and a rating is taken.
    assert talk(stack, sender, "5")[0].startswith("谢谢您打分")
    assert stack.api(f"/api/cases/{no}").json()["rating"] == 5
