"""Consent before personal data, the erasure request's words, and the actions around them,
run as Rasa would run them (no action server, no mocks)."""

import asyncio
from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import ActionIntakeDeny, ValidateCaseForm
from bot.dialogue import conversation, intake, privacy_notice

pytestmark = pytest.mark.unit

FORM = [
    "category",
    "consent",
    "name",
    "phone",
    "employer",
    "location",
    "amount",
    "duration",
    "worker_count",
    "health_consent",
    "description",
    "confirmed",
]


def tracker(slots, text="x", intent="inform", entities=()):
    return Tracker(
        sender_id="consent-1",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities)},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "case_form"},
        latest_action_name="action_listen",
    )


def test_agreement_is_the_version_and_a_utc_time():
    agreed = privacy_notice.agreement(datetime(2026, 11, 30, 21, 5, 7, 123, tzinfo=timezone.utc))
    assert agreed == {"version": privacy_notice.VERSION, "at": "2026-11-30T21:05:07+00:00"}
    assert datetime.fromisoformat(privacy_notice.agreement()["at"]).tzinfo is not None
    assert privacy_notice.is_agreement(agreed)
    assert not privacy_notice.is_agreement(True) and not privacy_notice.is_agreement({"version": "old", "at": "x"})


def test_notice_says_what_why_who_and_how_long():
    for said in ("姓名", "电话", "为什么", "服务站", "工作人员", "存多久", "删除我的信息"):
        assert said in privacy_notice.NOTICE
    assert [b["payload"] for b in privacy_notice.CONSENT_BUTTONS] == ["/affirm", "/deny"]
    assert "12333" in privacy_notice.DECLINED


def test_the_draft_carries_the_agreement_and_nothing_personal_without_it():
    agreed = privacy_notice.agreement()
    slots = {
        "category": "wage_arrears",
        "consent": agreed,
        "name": "孙芳",
        "phone": "13912345678",
        "employer": "某鞋业公司",
        "description": "老板跑了",
    }
    draft = intake.payload(slots, "s1")
    assert draft["consent"] == agreed and draft["name"] == "孙芳" and draft["phone"] == "13912345678"
    unsigned = intake.payload({**slots, "consent": None}, "s1")
    assert "consent" not in unsigned
    assert unsigned["name"] is None and unsigned["phone"] is None and unsigned["description"] is None
    assert unsigned["employer"] == "某鞋业公司"  # not personal: an anonymous report still helps


def test_a_work_injury_asks_its_own_agreement_before_the_description():
    assert "health_consent" not in intake.required_slots(FORM, {"category": "wage_arrears"})
    injury = intake.required_slots(FORM, {"category": "work_injury"})
    assert injury.index("health_consent") == injury.index("description") - 1
    declined = intake.required_slots(FORM, {"category": "work_injury", "health_consent": False})
    assert "description" not in declined
    slots = {"category": "work_injury", "consent": privacy_notice.agreement(), "description": "摔断了腿"}
    assert intake.payload(slots, "s")["description"] is None
    assert intake.payload({**slots, "health_consent": True}, "s")["description"] == "摔断了腿"


def test_a_phone_said_before_the_agreement_is_not_kept():
    form = ValidateCaseForm()
    dispatcher = CollectingDispatcher()
    assert form.validate_phone("13812345678", dispatcher, tracker({"requested_slot": "consent"}), {}) == {"phone": None}
    agreed = tracker({"requested_slot": "phone", "consent": privacy_notice.agreement()}, text="13812345678")
    assert form.validate_phone("13812345678", dispatcher, agreed, {}) == {"phone": "13812345678"}


def test_yes_to_the_notice_stores_the_agreement_anything_else_asks_again():
    form = ValidateCaseForm()
    dispatcher = CollectingDispatcher()
    stored = form.validate_consent(True, dispatcher, tracker({"requested_slot": "consent"}, "同意"), {})["consent"]
    assert privacy_notice.is_agreement(stored)
    assert form.validate_consent("什么意思", dispatcher, tracker({}), {}) == {"consent": None}
    assert dispatcher.messages[-1]["text"] == privacy_notice.ASK_AGAIN


@pytest.mark.parametrize("said", ["同意", "好的", "可以", "/affirm", "嗯 没问题"])
def test_a_plain_yes_is_consent(said):
    stored = ValidateCaseForm().validate_consent(True, CollectingDispatcher(), tracker({}, said, "affirm"), {})
    assert privacy_notice.is_agreement(stored["consent"])


@pytest.mark.parametrize("said", ["周海", "孙芳", "不同意", "算了吧", "我先问问"])
def test_a_name_the_classifier_took_for_affirm_is_not_consent(said):
    """PIPL §14: consent is explicit. "周海" parses as affirm (0.34) on today's model."""
    dispatcher = CollectingDispatcher()
    assert ValidateCaseForm().validate_consent(True, dispatcher, tracker({}, said, "affirm"), {}) == {"consent": None}
    assert dispatcher.messages[-1]["text"] == privacy_notice.ASK_AGAIN
    assert ValidateCaseForm().validate_health_consent(True, CollectingDispatcher(), tracker({}, said), {}) == {
        "health_consent": None
    }


def run_deny(slots, text):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionIntakeDeny().run(dispatcher, tracker(slots, text=text, intent="deny"), {}))
    return dispatcher.messages, events


def test_no_to_the_notice_ends_the_intake_and_clears_everything():
    messages, events = run_deny({"requested_slot": "consent", "category": "wage_arrears", "employer": "某厂"}, "不同意")
    assert messages[0]["text"] == privacy_notice.DECLINED
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    cleared = {e["name"] for e in events if e["event"] == "slot" and e["value"] is None}
    assert {"name", "phone", "description", "employer", "consent", "health_consent"} <= cleared


def test_no_to_the_health_question_skips_only_the_description():
    messages, events = run_deny(
        {"requested_slot": "health_consent", "category": "work_injury", "consent": privacy_notice.agreement()}, "不同意"
    )
    assert messages[0]["text"] == privacy_notice.HEALTH_SKIPPED
    assert {"event": "slot", "name": "health_consent", "timestamp": None, "value": False} in events
    assert not any(e["event"] == "active_loop" for e in events)
    # "算了" there still cancels the whole intake.
    messages, events = run_deny({"requested_slot": "health_consent"}, "算了，不登记了")
    assert "已取消" in messages[0]["text"] and {"event": "active_loop", "timestamp": None, "name": None} in events


def test_erasure_requests_are_recognised_in_the_words():
    for asked in ("删除我的信息", "把我登记的资料删掉", "清除记录", "帮我把电话号码删掉", "注销我的登记信息"):
        assert conversation.is_erase_request(asked), asked
    for other in ("删除", "记录一下加班时间", "老板删了我的微信", "我要登记", "查进度"):
        assert not conversation.is_erase_request(other), other


def test_follow_code_is_read_from_an_answer():
    assert conversation.find_follow_code("K7P2XM9Q") == "K7P2XM9Q"
    assert conversation.find_follow_code("查询码是 K7P2 XM9Q") == "K7P2XM9Q"
    assert conversation.find_follow_code("GY20261123-0042 K7P2XM9Q") == "K7P2XM9Q"
    assert conversation.find_follow_code("不知道") is None


def test_the_erase_question_answered_in_words():
    assert conversation.erase_answer("确定删除") is True
    assert conversation.erase_answer("先不删") is False and conversation.erase_answer("算了，别删") is False
    assert conversation.erase_answer("啥意思") is None


def test_the_notice_says_how_long_the_purge_keeps_data():
    from bot.cases.purge import Retention

    kept = Retention()
    assert kept.closed_days == 365 and "办结后保存1年" in privacy_notice.NOTICE
    assert f"保存{kept.draft_days}天" in privacy_notice.NOTICE
