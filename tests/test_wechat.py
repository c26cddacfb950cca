"""The WeChat channel over real HTTP: the real Rasa server, a fake WeChat API server."""

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot.cases.numbers import PATTERN as CASE_NUMBER
from bot.channels.wechat_sim import Simulator, message_xml, sign
from bot.channels.wechat_support import TYPE_PLEASE, VOICE_UNCLEAR, WELCOME
from bot.dialogue.privacy_notice import LOCATION_NOTICE
from tests.conftest import WECHAT, start_stack, stop_stack

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def url(stack):
    return f"{stack.rasa}/webhooks/wechat/webhook"


@pytest.fixture(scope="module")
def safe(url):
    return Simulator(WECHAT["WECHAT_TOKEN"], url, WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APPID"])


def openid():
    return f"o_{uuid.uuid4().hex[:12]}"


def msg_id():
    return int(time.time() * 1000) * 1000 + int(uuid.uuid4().int % 1000)


def test_url_verification(url):
    ts, nonce = str(int(time.time())), "12345"
    ok = requests.get(
        url,
        params={
            "signature": sign(WECHAT["WECHAT_TOKEN"], ts, nonce),
            "timestamp": ts,
            "nonce": nonce,
            "echostr": "hello",
        },
        timeout=10,
    )
    assert ok.status_code == 200 and ok.text == "hello"
    forged = requests.get(
        url, params={"signature": "0" * 40, "timestamp": ts, "nonce": nonce, "echostr": "x"}, timeout=10
    )
    assert forged.status_code == 403


def test_text_gets_a_passive_reply_with_guidance(safe):
    reply = safe.say(openid(), "老板欠我两个月工资，一共八千")
    assert "拖欠工资" in reply and "8000元" in reply and "可以回复" in reply


def test_encrypted_round_trip(safe):
    reply = safe.say(openid(), "老板欠我两个月工资")
    assert "拖欠工资" in reply


def test_conversation_continues_by_openid(safe):
    user = openid()
    safe.say(user, "老板欠我工资")
    notice = safe.say(user, "/open_case")
    # The same notice as the chat, its buttons as words to reply with.
    assert "谁能看" in notice and "可以回复：同意 / 不同意" in notice
    assert "姓名" in safe.say(user, "同意")
    assert "手机号" in safe.say(user, "张三")


@pytest.mark.parametrize("forge_aes", [False, True])
def test_forged_signature_is_refused(slow, safe, forge_aes):
    sim = safe if forge_aes else slow
    assert sim.post(message_xml(openid(), "text", "你好", msg_id()), forge=True).status_code == 403


def test_replayed_request_is_refused(safe):
    stale = int(time.time()) - 3600
    assert safe.post(message_xml(openid(), "text", "你好", msg_id()), timestamp=stale).status_code == 403


def test_malformed_and_oversized_xml(safe):
    params, _ = safe.signed("")
    assert requests.post(safe.url, params=params, data=b"<xml><broken", timeout=10).status_code == 400
    assert requests.post(safe.url, params=params, data=b"not xml at all", timeout=10).status_code == 400
    huge = message_xml(openid(), "text", "欠" * 40_000, msg_id())
    assert safe.post(huge).status_code == 413


def test_other_message_kinds(safe):
    user = openid()
    assert (
        safe.reply_text(safe.post(message_xml(user, "image", PicUrl="http://x/y.jpg", MediaId="m", msg_id=msg_id())))
        == TYPE_PLEASE
    )
    assert (
        safe.reply_text(safe.post(message_xml(user, "voice", MediaId="m", Format="amr", msg_id=msg_id())))
        == VOICE_UNCLEAR
    )
    heard = safe.reply_text(
        safe.post(message_xml(user, "voice", MediaId="m", Format="amr", Recognition="老板欠我工资", msg_id=msg_id()))
    )
    assert "拖欠工资" in heard
    assert safe.reply_text(safe.post(message_xml(user, "event", Event="subscribe"))) == WELCOME
    near = safe.reply_text(
        safe.post(
            message_xml(
                user, "location", Location_X="29.557", Location_Y="106.577", Scale="15", Label="解放碑", msg_id=msg_id()
            )
        )
    )
    assert "渝中区" in near and "公里" in near
    # Whereabouts are sensitive: what the position is used for is said the first time, once.
    assert LOCATION_NOTICE in near and near.index(LOCATION_NOTICE) < near.index("公里")
    again = safe.reply_text(
        safe.post(
            message_xml(
                user, "location", Location_X="29.557", Location_Y="106.577", Scale="15", Label="解放碑", msg_id=msg_id()
            )
        )
    )
    assert "公里" in again and LOCATION_NOTICE not in again


def test_retry_storm_is_processed_once(safe, stack):
    user, mid = openid(), msg_id()
    xml = message_xml(user, "text", "公司不给交社保", mid)
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda _: safe.post(xml), range(10)))
    assert all(r.status_code == 200 for r in replies)
    assert sum("社保" in safe.reply_text(r) for r in replies) == 1
    events = stack.tracker_events(user)
    assert [e["text"] for e in events if e["event"] == "user"] == ["公司不给交社保"]


@pytest.fixture(scope="module")
def slow(tmp_path_factory, fake_wechat):
    """A second GongYou, in plaintext mode (no AES key), whose reply deadline is shorter than any real answer."""
    plaintext = {k: v for k, v in WECHAT.items() if k != "WECHAT_AES_KEY"}
    proc, running = start_stack(
        tmp_path_factory.mktemp("slow"),
        {**plaintext, "WECHAT_API_BASE": fake_wechat.url, "WECHAT_REPLY_DEADLINE": "0.001"},
    )
    yield Simulator(WECHAT["WECHAT_TOKEN"], f"{running.rasa}/webhooks/wechat/webhook")
    stop_stack(proc)


def wait_for(check, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_slow_answer_goes_through_the_customer_service_api(slow, fake_wechat):
    user = openid()
    reply = slow.post(message_xml(user, "text", "老板欠我两个月工资", msg_id()))
    assert reply.status_code == 200 and reply.text == "success"
    assert wait_for(lambda: fake_wechat.messages_for(user))
    assert "拖欠工资" in fake_wechat.messages_for(user)[0]


def test_expired_token_is_refreshed(slow, fake_wechat):
    first = openid()
    slow.post(message_xml(first, "text", "公司不给交社保", msg_id()))
    assert wait_for(lambda: fake_wechat.messages_for(first))
    current = fake_wechat.sent[-1][2]
    issued = len(fake_wechat.tokens_issued)
    fake_wechat.expired.add(current)
    second = openid()
    slow.post(message_xml(second, "text", "加班不给加班费", msg_id()))
    assert wait_for(lambda: fake_wechat.messages_for(second))
    assert len(fake_wechat.tokens_issued) == issued + 1 and fake_wechat.sent[-1][2] != current


def test_whole_draft_case_over_encrypted_xml(safe, stack):
    user = openid()
    assert "拖欠工资" in safe.say(user, "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万")
    assert "谁能看" in safe.say(user, "登记求助")
    assert "姓名" in safe.say(user, "同意")
    assert "手机号" in safe.say(user, "孙芳")
    assert "经过" in safe.say(user, "13812345678")
    assert "请核对" in safe.say(user, "老板跑了，有工资条")
    done = safe.say(user, "确认提交")
    case_no = re.search(CASE_NUMBER, done).group(0)
    case = stack.api(f"/api/cases/{case_no}").json()
    assert case["worker_count"] == 16 and case["amount"] == 80000


def test_token_and_dedupe_are_shared_through_redis(fake_wechat, monkeypatch, tmp_path):
    """Requires Redis on localhost:6379 (fails, does not skip, without it)."""
    from bot.channels.wechat_support import Dedupe, WeChatApi

    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/15")
    monkeypatch.setenv("WECHAT_TOKEN_FILE", str(tmp_path / "unused.json"))
    import redis

    redis.Redis.from_url("redis://localhost:6379/15").flushdb()
    issued = len(fake_wechat.tokens_issued)
    first, second = (WeChatApi("wx_shared", "s", fake_wechat.url) for _ in range(2))
    assert first.token() == second.token()
    assert len(fake_wechat.tokens_issued) == issued + 1
    assert not (tmp_path / "unused.json").exists()
    a, b = Dedupe(), Dedupe()
    assert a.claim("msg:42") and not b.claim("msg:42")
