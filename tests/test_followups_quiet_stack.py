"""The cheap follow-up hook on the real stack (issue 18): GongYou started as `make run` starts it,
with the chat channels' calls to the case service going through a counting proxy (a real HTTP
server in front of the web side), so a test sees which messages reached the case service.

- Every chat channel (REST, the web chat's socket.io, the kiosk's, WeChat) asks once while
  nothing is pending, not once per message.
- A follow-up planned after the case service said "nothing for a while" opens the worker's reply
  at the first message after the bound (GONGYOU_FOLLOWUP_QUIET_SECONDS), not before it.
- A question WeChat delivered meanwhile still gets the worker's answer ("收到了" marks it paid).
"""

import asyncio
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from bot.channels.wechat_sim import Simulator
from bot.web.health import free_port
from tests.conftest import SERVICE_TOKEN, WECHAT, start_stack, stop_stack

pytestmark = pytest.mark.stack

QUIET = 15  # seconds: long enough that a few turns fit inside it on a busy machine
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class CountingProxy:
    """Forwards every request to the web side; remembers the sender of each follow-up call."""

    def __init__(self, target: str) -> None:
        self.turns: list = []
        proxy = self
        forward = requests.Session()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/api/followups/turn"):
                    proxy.turns.append(json.loads(body or b"{}").get("sender_id"))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
                reply = forward.request(self.command, target + self.path, data=body, headers=headers, timeout=60)
                self.send_response(reply.status_code)
                for key, value in reply.headers.items():
                    if key.lower() not in HOP | {"content-encoding"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def calls(self, sender: str) -> int:
        return self.turns.count(sender)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hooked(tmp_path_factory, fake_wechat):
    web_port = free_port()
    proxy = CountingProxy(f"http://127.0.0.1:{web_port}")
    proc, running = start_stack(
        tmp_path_factory.mktemp("quiet"),
        {
            **WECHAT,
            "WECHAT_API_BASE": fake_wechat.url,
            "GONGYOU_SERVICE_TOKEN": SERVICE_TOKEN,
            "GONGYOU_WEB_PORT": str(web_port),
            "CASES_API_URL": proxy.url,
            "GONGYOU_FOLLOWUP_QUIET_SECONDS": str(QUIET),
        },
    )
    yield running, proxy
    stop_stack(proc)
    proxy.close()


def rest(stack, sender, text):
    reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200
    return [m.get("text") or "" for m in reply.json()]


async def socket_chat(stack, texts, metadata=None):
    """The web chat page's (or the kiosk's) conversation over socket.io: the replies to each text."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    session = uuid.uuid4().hex
    confirmed, done = asyncio.Event(), asyncio.Event()
    said: list = []
    client.on("session_confirm", lambda *_: confirmed.set())
    client.on("bot_uttered", lambda data: said[-1].append((data or {}).get("text") or ""))
    client.on("bot_done", lambda *_: done.set())
    await client.connect(stack.rasa, socketio_path="/socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session})
        await asyncio.wait_for(confirmed.wait(), 30)
        for text in texts:
            said.append([])
            done.clear()
            await client.emit("user_uttered", {"message": text, "session_id": session, "metadata": metadata or {}})
            await asyncio.wait_for(done.wait(), 60)
    finally:
        await client.disconnect()
    return "web-" + session, said


def simulator(stack):
    url = f"{stack.rasa}/webhooks/wechat/webhook"
    return Simulator(WECHAT["WECHAT_TOKEN"], url, WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APPID"])


TEXTS = ["你好", "老板欠我两个月工资", "谢谢"]  # none of them could answer a return visit


def test_rest_asks_once_while_nothing_is_pending(hooked):
    stack, proxy = hooked
    sender = f"rest-q-{uuid.uuid4().hex[:8]}"
    for text in TEXTS:
        assert rest(stack, sender, text)
    assert proxy.calls(sender) == 1


@pytest.mark.parametrize("metadata", [None, {"kiosk_station": "cq-yuzhong-union"}], ids=["web chat", "kiosk"])
def test_the_web_chat_and_the_kiosk_ask_once_while_nothing_is_pending(hooked, metadata):
    stack, proxy = hooked
    sender, said = asyncio.run(socket_chat(stack, TEXTS, metadata))
    assert all(said) and len(said) == 3
    assert proxy.calls(sender) == 1


def test_wechat_asks_once_while_nothing_is_pending(hooked):
    stack, proxy = hooked
    wechat = simulator(stack)
    openid = f"o_{uuid.uuid4().hex[:12]}"
    for text in TEXTS:
        assert wechat.say(openid, text)
    assert proxy.calls(openid) == 1


def open_case(stack, sender, *moves):
    opened = stack.api(
        "/api/cases",
        method="POST",
        token=SERVICE_TOKEN,
        json={"category": "wage_arrears", "employer": "某鞋业有限公司", "amount": 2000, "sender_id": sender},
    )
    assert opened.status_code == 201
    no = opened.json()["case_no"]
    for status, body in moves:
        assert stack.api(f"/api/cases/{no}/status", method="POST", json={"status": status, **body}).status_code == 200
    return no


def test_a_follow_up_planned_meanwhile_opens_the_first_reply_after_the_bound(hooked):
    stack, proxy = hooked
    sender = f"rest-q-{uuid.uuid4().hex[:8]}"
    asked = time.monotonic()
    rest(stack, sender, "你好")  # no case yet: nothing pending for QUIET seconds
    no = open_case(stack, sender, ("accepted", {}))
    assert stack.api("/api/followups/run", method="POST", json={}).json()["sent"] >= 1  # in the inbox now
    said = rest(stack, sender, "老板欠我两个月工资")
    if time.monotonic() - asked < QUIET:  # inside the bound: skipped, the notice waits
        assert proxy.calls(sender) == 1 and not any(no in text for text in said)
    time.sleep(max(0.0, asked + QUIET + 0.5 - time.monotonic()))
    said = rest(stack, sender, "谢谢")
    assert said[0].startswith("服务站已受理您的案件" + no)
    assert all(no not in text for text in rest(stack, sender, "你好"))  # shown once


def test_a_question_wechat_delivered_meanwhile_gets_the_answer(hooked, fake_wechat):
    stack, proxy = hooked
    wechat = simulator(stack)
    openid = f"o_{uuid.uuid4().hex[:12]}"
    asked = time.monotonic()
    wechat.say(openid, "你好")  # nothing pending for QUIET seconds
    no = open_case(
        stack,
        openid,
        ("accepted", {}),
        ("mediating", {}),
        ("agreement", {"instalments": [{"amount": 2000, "due": "2026-12-15"}]}),
    )
    run = stack.api("/api/followups/run", method="POST", json={"now": "2026-12-15T10:00:00+08:00"})
    assert run.json()["sent"] == 4  # three notices and the return visit, through WeChat
    assert any("第一期2000元今天该到账了" in text for text in fake_wechat.messages_for(openid))
    assert "今天该到账" not in wechat.say(openid, "谢谢")  # not an answer: Rasa's alone
    paid = wechat.say(openid, "收到了")
    inside = time.monotonic() - asked < QUIET
    assert "第一期已经到账" in paid
    if inside:  # the answer went to the case service although the sender was quiet
        assert proxy.calls(openid) == 2
    case = stack.api(f"/api/cases/{no}").json()
    assert [i["paid"] for i in case["instalments"]] == [True]
