"""A worker's whole way through the REST channel: complaint → guidance → intake → case → API."""

import re
import uuid
from datetime import datetime, timezone

import pytest
import requests

from bot.cases.numbers import PATTERN as CASE_NUMBER
from bot.dialogue import privacy_notice

pytestmark = pytest.mark.stack

CASE_NO = re.compile(CASE_NUMBER)


def moment(text):
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def say(stack, sender, message):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert reply.status_code == 200
    return "\n".join(m.get("text") or "" for m in reply.json())


def test_complaint_to_case_readable_from_the_api(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    phone = f"139{uuid.uuid4().int % 10**8:08d}"  # this test's own, whatever else the stack holds
    assert "拖欠工资" in say(stack, sender, "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万")
    notice = say(stack, sender, "/open_case")
    assert "谁能看" in notice and "存多久" in notice and "姓名" not in notice.splitlines()[-1]
    assert "姓名" in say(stack, sender, "/affirm")
    assert "手机号" in say(stack, sender, "孙芳")
    assert "10位" in say(stack, sender, "1381234567")
    # Employer, place, amount, months and workers came with the complaint: only the story is left.
    assert "经过" in say(stack, sender, phone)
    summary = say(stack, sender, "老板跑了，我们去厂里找不到人，有工资条")
    assert "请核对" in summary and "不是正式的仲裁申请" in summary
    for shown in ("某鞋业公司", "巫溪县", "80000元", "3个月", "16人", phone):
        assert shown in summary
    done = say(stack, sender, "/affirm")
    case_no = CASE_NO.search(done).group(0)
    assert "群体性" in done and "第二十一条" in done and "巫溪县" in done
    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["status"] == "draft" and case["category"] == "wage_arrears"
    assert case["employer"] == "某鞋业公司" and case["amount"] == 80000 and case["worker_count"] == 16
    assert case["phone"] == phone and case["created_at"]
    # The agreement is stored with the case: which notice, and when (before the case was opened).
    assert case["consent_version"] == privacy_notice.VERSION
    assert moment(case["consent_at"]) <= moment(case["created_at"])
    assert case["station"]["id"].startswith("cq-wuxi")  # the workplace's station (§21), not the worker's

    # A client that sends the confirmation again does not open a second case.
    say(stack, sender, "/affirm")
    mine = [c for c in stack.api("/api/cases").json()["cases"] if c["phone"] == phone]
    assert len(mine) == 1

    # The worker follows the case with its number and the follow code shown with it.
    code = re.search(r"查询码是 ([A-Z0-9]{8})", done).group(1)
    assert code == case["follow_code"]
    assert "查询码" in say(stack, sender, "查进度")
    assert "8位" in say(stack, sender, phone[-4:])  # the phone digits are no code: asked again
    assert "等服务站工作人员受理" in say(stack, sender, code)


def test_cancel_leaves_nothing(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    before = len(stack.api("/api/cases").json()["cases"])
    say(stack, sender, "公司不给交社保")
    say(stack, sender, "/open_case")
    say(stack, sender, "同意")
    say(stack, sender, "李师傅")
    reply = say(stack, sender, "算了，不登记了")
    assert "已取消" in reply and "没太明白" not in reply
    assert len(stack.api("/api/cases").json()["cases"]) == before


def test_digression_then_back_to_the_form(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "工伤了老板不管")
    say(stack, sender, "/open_case")
    say(stack, sender, "好的")
    say(stack, sender, "王强")
    reply = say(stack, sender, "你是机器人吗")
    assert "机器人" in reply and "手机号" in reply
    reply = say(stack, sender, "最近的服务站在哪")
    assert "区县" in reply and "手机号" in reply


def test_handoff_is_recorded_with_the_transcript(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "老板欠我工资")
    assert "12333" in say(stack, sender, "转人工")
    handoffs = [h for h in stack.api("/api/handoffs").json()["handoffs"] if h["sender_id"] == "rest-" + sender]
    assert handoffs and any("老板欠我工资" in line["text"] for line in handoffs[0]["transcript"])


def test_two_fallbacks_in_a_row_hand_over(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    assert "没太明白" in say(stack, sender, "qwxz")
    assert "转给工作人员" in say(stack, sender, "#%&@")
    assert any(
        h["sender_id"] == "rest-" + sender and h["reason"] == "fallback"
        for h in stack.api("/api/handoffs").json()["handoffs"]
    )


def test_api_refuses_without_a_token_and_404s_unknown_cases(stack):
    assert stack.api("/api/cases/GY20260101-0001", token=None).status_code == 401
    assert stack.api("/api/cases/GY20260101-0001", token="wrong").status_code == 401
    assert stack.api("/api/cases/GY20990101-9999").status_code == 404
    assert stack.api("/api/cases", token=None).status_code == 401
    assert stack.api("/api/handoffs", token=None).status_code == 401


def test_healthz_reports_every_part(stack):
    """The actions run inside Rasa (`make run`): no action server to report on."""
    reply = requests.get(f"{stack.web}/healthz", timeout=30)
    assert reply.status_code == 200
    assert reply.json()["parts"] == {"database": True, "rasa": True}


def test_compensation_calculator_from_its_button(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "公司把我辞退了，一分钱补偿都不给")
    assert "工资" in say(stack, sender, '/inform{"calculator": "compensation"}')
    assert "干了多久" in say(stack, sender, "6000")
    assert "平均工资" in say(stack, sender, "3年7个月")
    result = say(stack, sender, "不清楚")  # read as "no", yet it answers the question
    assert "24,000元" in result and "劳动合同法》第四十七条" in result
    assert "封顶规则" in result and "第四十六条" in result


def test_unknown_answers_an_optional_question_and_the_form_goes_on(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "公司不给交社保")
    say(stack, sender, "/open_case")
    say(stack, sender, "同意")
    say(stack, sender, "李师傅")
    assert "单位的全称" in say(stack, sender, "13812345678")
    reply = say(stack, sender, "不清楚")
    assert "在哪里干活" in reply and "已取消" not in reply


def slots(stack, sender):
    """The slots of a REST conversation as Rasa keeps it (REST senders live under `rest-`)."""
    events = stack.tracker_events("rest-" + sender)
    values = {}
    for event in events:
        if event["event"] == "slot":
            values[event["name"]] = event["value"]
    return values


def test_no_to_the_notice_keeps_nothing_and_says_what_still_helps(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    before = len(stack.api("/api/cases").json()["cases"])
    say(stack, sender, "老板欠我两个月工资")
    assert "谁能看" in say(stack, sender, "我要登记")
    # A phone number given before the agreement is not taken; the question is asked again.
    assert privacy_notice.ASK_AGAIN in say(stack, sender, "13812345678")
    reply = say(stack, sender, "不同意")
    assert "不保存" in reply and "12333" in reply and "服务站" in reply
    kept = slots(stack, sender)
    assert all(kept.get(field) is None for field in ("name", "phone", "consent", "description", "requested_slot"))
    assert len(stack.api("/api/cases").json()["cases"]) == before
    # The conversation goes on normally afterwards.
    assert "服务站" in say(stack, sender, "渝中区的服务站在哪")


def test_a_work_injury_asks_separately_before_the_injury_is_described(stack):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    phone = f"137{uuid.uuid4().int % 10**8:08d}"
    say(stack, sender, "在工地摔断了腿老板不管")
    say(stack, sender, "/open_case")
    assert "姓名" in say(stack, sender, "可以")
    assert slots(stack, sender)["consent"]["version"] == privacy_notice.VERSION
    say(stack, sender, "王强")
    reply = say(stack, sender, phone)
    for answer in ("重庆某某建筑劳务有限公司", "渝中区解放碑", "不清楚", "不清楚", "就我一个人"):
        if "健康信息" in reply:
            break
        reply = say(stack, sender, answer)
    assert "健康信息" in reply and "经过" not in reply
    reply = say(stack, sender, "不同意")
    assert privacy_notice.HEALTH_SKIPPED in reply and "请核对" in reply and "（未填）" in reply
    done = say(stack, sender, "/affirm")
    case = stack.api(f"/api/cases/{CASE_NO.search(done).group(0)}").json()
    assert case["category"] == "work_injury" and case["phone"] == phone and case["description"] is None
