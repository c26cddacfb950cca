"""The answers end to end: the real stack (Rasa, the action server, the web side) over REST."""

import uuid

import pytest
import requests

pytestmark = pytest.mark.stack

BASIC = [
    ("申请仲裁收费吗", "不收费"),
    ("申请仲裁有没有期限", "一年"),
    ("工伤认定要在多久内申请", "30日"),
    ("上班半年了老板一直不签合同", "二倍工资"),
    ("被公司辞退能拿多少补偿", "每满一年"),
    ("工地老板拖欠工资 包工头也不见了 找谁要", "总承包"),
    ("退休金算少了找谁", "经办机构"),
]


def say(stack, sender, text):
    reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200
    return reply.json()


@pytest.mark.parametrize("question,fact", BASIC)
def test_basic_facts_over_rest(stack, question, fact):
    messages = say(stack, f"answers-{uuid.uuid4().hex[:8]}", question)
    text = "\n".join(m.get("text") or "" for m in messages)
    assert fact in text, text


def test_a_button_for_the_other_problem_answers_it(stack):
    sender = f"answers-{uuid.uuid4().hex[:8]}"
    messages = say(stack, sender, "没签合同，辞职后老板不给工资怎么办")
    assert messages[0]["text"].startswith("您说了两件事：没签合同、不给工资")
    button = next(b for b in messages[0]["buttons"] if b["title"] == "没签合同")
    text = "\n".join(m.get("text") or "" for m in say(stack, sender, button["payload"]))
    assert "二倍工资" in text and "《劳动合同法》第八十二条" in text


def test_a_procedure_question_and_an_unrelated_one(stack):
    sender = f"answers-{uuid.uuid4().hex[:8]}"
    text = "\n".join(m.get("text") or "" for m in say(stack, sender, "裁决下来我不认可能怎么办"))
    assert "15日内" in text and "《劳动争议调解仲裁法》第四十八条、第五十条" in text
    text = "\n".join(m.get("text") or "" for m in say(stack, sender, "今天天气怎么样"))
    assert "帮不上忙" in text
