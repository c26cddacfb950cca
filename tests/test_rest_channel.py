"""GongYou over HTTP, as a client meets it: the real Rasa server and action server."""

import json

import pytest
import requests

pytestmark = pytest.mark.stack

TIMEOUT = 60


@pytest.fixture(scope="module")
def webhook(servers):
    return f"{servers}/webhooks/rest/webhook"


def say(webhook, message, sender="tester", **extra):
    reply = requests.post(webhook, json={"sender": sender, "message": message, **extra}, timeout=TIMEOUT)
    return reply.status_code, reply.json()


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_wage_complaint_gets_a_relevant_chinese_reply(webhook):
    status, messages = say(webhook, "老板欠我两个月工资，一共八千", sender="worker-1")
    assert status == 200
    reply = texts(messages)
    assert "拖欠工资" in reply and "8000元" in reply and "2个月" in reply
    assert "劳动争议调解仲裁法" in reply
    assert any(b["payload"] == "/find_station" for m in messages for b in m.get("buttons", []))


def test_collective_complaint_is_flagged_urgent(webhook):
    _, messages = say(webhook, "我们16个工人被巫溪县一家鞋厂欠了三个月工资", sender="worker-2")
    assert "群体性" in texts(messages)


def test_nearest_mediation_from_a_district_in_text(webhook):
    status, messages = say(webhook, "我在渝中区，最近的调解的地方在哪", sender="worker-3")
    reply = texts(messages)
    assert status == 200 and "渝中区总工会职工服务站" in reply and "公里" in reply
    cards = [m["custom"]["stations"] for m in messages if "custom" in m][0]
    assert len(cards) == 3 and cards[0]["km"] < 5


def test_nearest_from_a_shared_position(webhook):
    status, messages = say(
        webhook,
        "最近的服务站在哪",
        sender="worker-3b",
        metadata={"location": {"latitude": 29.557, "longitude": 106.577}},
    )
    reply = texts(messages)
    assert status == 200 and "渝中区" in reply and "0.9公里" in reply


@pytest.mark.parametrize(
    "position",
    [
        {"latitude": "NaN", "longitude": 106.5},
        {"latitude": 48.85, "longitude": 2.35},
        {"latitude": 200, "longitude": 10},
    ],
)
def test_bad_positions_get_a_clear_message(webhook, position):
    _, messages = say(webhook, "附近的服务站", sender="worker-3c", metadata={"location": position})
    assert "位置有问题" in texts(messages)


def test_unknown_and_ambiguous_places(webhook):
    assert "有好几个" in texts(say(webhook, "我在朝阳区，最近的服务站在哪", sender="worker-3d")[1])
    assert "没找到这个地方" in texts(say(webhook, "我在火星", sender="worker-3d")[1])


@pytest.mark.parametrize("message", ["", "   ", None])
def test_empty_message_gets_a_polite_prompt(webhook, message):
    status, messages = say(webhook, message, sender="worker-4")
    assert status == 200 and "还没有输入内容" in texts(messages)


def test_empty_message_changes_nothing(webhook, stack):
    say(webhook, "你好", sender="worker-5")
    before = stack.tracker_events("rest-worker-5")
    say(webhook, "", sender="worker-5")
    assert len(stack.tracker_events("rest-worker-5")) == len(before)


def test_rasa_http_api_needs_its_token(stack):
    reply = requests.get(f"{stack.rasa}/conversations/worker-5/tracker", timeout=TIMEOUT)
    assert reply.status_code == 401


def test_100kb_message_is_cut_with_a_note(webhook):
    status, messages = say(webhook, "老板欠我工资" * 17_000, sender="worker-6")
    assert status == 200
    assert "先看前2000个字" in texts(messages)
    assert len(messages) >= 2


@pytest.mark.parametrize("message", ["😀😀😀", "\x00\x01\x1b", "asdf qwer", "<script>alert('x')</script>"])
def test_odd_messages_get_a_polite_chinese_answer(webhook, message):
    status, messages = say(webhook, message, sender="worker-7")
    assert status == 200 and messages
    reply = texts(messages)
    assert any(polite in reply for polite in ("没太明白", "帮不上忙", "还没有输入内容", "转给工作人员", "只能用中文"))
    assert "Traceback" not in reply and "<script>" not in reply.replace(message, "")


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2, 3]",
        b'{"message": "hi"}',
        b'{"sender": "x", "message": 42}',
        b'{"sender": "", "message": "hi"}',
        b'{"sender": {"a": 1}, "message": "hi"}',
    ],
)
def test_malformed_requests_get_a_polite_400(webhook, body):
    reply = requests.post(webhook, data=body, headers={"Content-Type": "application/json"}, timeout=TIMEOUT)
    assert reply.status_code == 400
    assert "消息格式不对" in texts(reply.json())


def test_traditional_characters_over_http(webhook):
    _, messages = say(webhook, "工傷認定要多久", sender="worker-8")
    assert "工伤" in texts(messages)


def test_reply_is_json_list_of_texts(webhook):
    reply = requests.post(
        webhook,
        data=json.dumps({"sender": "worker-9", "message": "你好"}),
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert reply.status_code == 200
    assert all("text" in m for m in reply.json())
