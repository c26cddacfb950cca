"""The chat channels' per-message call to the case service (bot/followups/chat.py) goes over one
kept connection, message after message, and still reads the answer and sends the service token:
a real HTTP/1.1 server on a free port sees one client connection for several messages, and a
cookie it sets is never sent back with another worker's message."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.followups import chat

pytestmark = pytest.mark.unit


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open, as the web side's server does
    seen: list = []
    cookies: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Recorder.seen.append((self.client_address, self.path, self.headers["Authorization"], body))
        Recorder.cookies.append(self.headers.get("Cookie"))
        answer = json.dumps({"handled": False, "messages": ["您上次问的事有进展了"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", f"who={body['sender_id']}; Path=/")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def case_service(monkeypatch):
    Recorder.seen = []
    Recorder.cookies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CASES_API_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("GONGYOU_SERVICE_TOKEN", "token-for-the-test")
    yield Recorder.seen
    server.shutdown()
    server.server_close()


def test_messages_share_one_connection(case_service):
    answers = [chat.turn("worker-1", text) for text in ("你好", "老板欠我工资", "谢谢")]
    assert answers == [{"handled": False, "messages": ["您上次问的事有进展了"]}] * 3
    assert [body["text"] for *_, body in case_service] == ["你好", "老板欠我工资", "谢谢"]
    assert {path for _, path, _, _ in case_service} == {"/api/followups/turn"}
    assert {auth for _, _, auth, _ in case_service} == {"Bearer token-for-the-test"}
    assert len({address for address, *_ in case_service}) == 1


def test_no_cookie_goes_from_one_worker_to_another(case_service):
    chat.turn("worker-1", "你好")
    chat.turn("worker-2", "你好")
    assert Recorder.cookies == [None, None]
