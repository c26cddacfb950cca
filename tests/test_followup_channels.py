"""The follow-up channels over real HTTP: WeChat's customer-service message inside the 48-hour
window and the template message outside it (tests/fake_wechat.py stands in for WeChat), WeChat
offline (nothing sent, the follow-up stays due), and the SMS provider interface (a real HTTP
gateway by configuration, the fake one recording with the phone masked)."""

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.cases.service import CaseService
from bot.followups import scheduler, sms
from bot.followups.channels import CALL, SMS, WEB, WECHAT, CallList, Channels, Recipient, SmsChannel, WebInbox
from bot.storage.engine import make_engine, session_factory, upgrade
from tests.fake_wechat import FakeWeChat

pytestmark = pytest.mark.db

NOW = datetime.fromisoformat("2026-12-15T10:00:00+08:00")


@pytest.fixture
def wechat(monkeypatch, tmp_path):
    fake = FakeWeChat()
    monkeypatch.setenv("WECHAT_APPID", "wx0123456789abcdef")
    monkeypatch.setenv("WECHAT_SECRET", "test-secret")
    monkeypatch.setenv("WECHAT_API_BASE", fake.url)
    monkeypatch.setenv("WECHAT_FOLLOWUP_TEMPLATE", "tmpl-huifang")
    monkeypatch.setenv("WECHAT_TOKEN_FILE", str(tmp_path / "token.json"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("WECHAT_OFFLINE", raising=False)
    monkeypatch.delenv("GONGYOU_SMS_PROVIDER", raising=False)
    yield fake
    fake.close()


@pytest.fixture
def service(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    upgrade(engine)
    yield CaseService(session_factory(engine))
    engine.dispose()


def accepted_case(service, sender, phone=None):
    case, _ = service.open_draft({"category": "wage_arrears", "employer": "某厂", "sender_id": sender}, sender)
    if phone:
        with service.sessions() as session:
            from bot.storage.tables import Case

            session.query(Case).filter(Case.case_no == case["case_no"]).update({"phone": phone})
            session.commit()
    service.change_status(case["case_no"], "accepted", "op", "已联系")
    return case["case_no"]


def test_wechat_inside_the_window_then_a_template_outside_it(wechat, service):
    inside, outside = accepted_case(service, "oWorkerInside"), accepted_case(service, "oWorkerOutside")
    wechat.out_of_window.add("oWorkerOutside")
    channels = Channels()
    assert channels.pick(Recipient("oWorkerInside", None)).name == WECHAT
    assert scheduler.run_due(service.sessions, channels, NOW) == 2
    assert wechat.messages_for("oWorkerInside")[0].startswith("服务站已受理您的案件" + inside)
    assert [(who, tid) for who, tid, _ in wechat.templates] == [("oWorkerOutside", "tmpl-huifang")]
    assert outside in wechat.templates[0][2]["remark"]["value"]
    assert [f["channel"] for f in service.get(inside)["followups"]] == [WECHAT]


def test_a_worker_silent_for_more_than_48_hours_gets_the_template_at_once(wechat, service):
    from datetime import timedelta, timezone

    from bot.followups import replies

    no = accepted_case(service, "oWorkerQuiet")
    replies.turn(service.sessions, "oWorkerQuiet", "你好", datetime.now(timezone.utc) - timedelta(hours=49))
    assert scheduler.run_due(service.sessions, Channels(), NOW) == 1
    assert wechat.messages_for("oWorkerQuiet") == []  # no customer-service call bound to fail
    assert len(wechat.templates) == 1 and no in wechat.templates[0][2]["remark"]["value"]


def test_wechat_offline_sends_nothing_and_the_follow_up_waits(wechat, service, monkeypatch):
    monkeypatch.setenv("WECHAT_OFFLINE", "1")
    no = accepted_case(service, "oWorkerOffline")
    assert scheduler.run_due(service.sessions, Channels(), NOW) == 0
    assert wechat.sent == [] and wechat.tokens_issued == []
    assert service.get(no)["followups"][0]["sent_at"] is None
    monkeypatch.delenv("WECHAT_OFFLINE")
    assert scheduler.run_due(service.sessions, Channels(), NOW) == 1  # back online: sent, once
    assert scheduler.run_due(service.sessions, Channels(), NOW) == 0
    assert len(wechat.messages_for("oWorkerOffline")) == 1


class Gateway:
    """A stand-in SMS gateway over HTTP that records what it was asked to send."""

    def __init__(self, status=200):
        self.received = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.received.append((self.headers.get("Authorization"), body))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def test_sms_through_the_configured_gateway_for_a_worker_with_only_a_phone(service, monkeypatch):
    gateway = Gateway()
    monkeypatch.delenv("WECHAT_APPID", raising=False)
    monkeypatch.setenv("GONGYOU_SMS_PROVIDER", "http")
    monkeypatch.setenv("SMS_API_URL", gateway.url)
    monkeypatch.setenv("SMS_API_KEY", "sms-key")
    try:
        no = accepted_case(service, "hotline:42", phone="13912345678")
        assert scheduler.run_due(service.sessions, Channels(), NOW) == 1
        assert gateway.received == [
            (
                "Bearer sms-key",
                {"to": "13912345678", "text": f"服务站已受理您的案件{no}，工作人员会打电话联系您。", "sign": "工友"},
            )
        ]
    finally:
        gateway.close()


def test_a_refusing_gateway_leaves_the_follow_up_due(service, monkeypatch):
    gateway = Gateway(status=500)
    monkeypatch.delenv("WECHAT_APPID", raising=False)
    monkeypatch.setenv("GONGYOU_SMS_PROVIDER", "http")
    monkeypatch.setenv("SMS_API_URL", gateway.url)
    try:
        no = accepted_case(service, "hotline:43", phone="13912345678")
        assert scheduler.run_due(service.sessions, Channels(), NOW) == 0
        assert service.get(no)["followups"][0]["sent_at"] is None and len(gateway.received) == 1
    finally:
        gateway.close()


def test_no_channel_reaches_a_worker_puts_them_on_the_call_list(service, monkeypatch, tmp_path):
    monkeypatch.delenv("WECHAT_APPID", raising=False)
    monkeypatch.delenv("GONGYOU_SMS_PROVIDER", raising=False)
    no = accepted_case(service, "hotline:44", phone="13912345678")
    assert scheduler.run_due(service.sessions, Channels(), NOW) == 1
    assert service.get(no)["followups"][0]["channel"] == CALL
    fake = sms.FakeSms(tmp_path / "sms.jsonl")
    worker = Recipient("hotline:45", "13912345678")
    channel = Channels({WEB: WebInbox(), CALL: CallList(), SMS: SmsChannel(fake)}).pick(worker)
    assert channel.name == SMS and channel.send(worker, "测试")
    assert fake.sent() == [{"to": "139****5678", "text": "测试"}]
