"""A case service that accepts connections and never answers must not stall other conversations
(issue 13 item 8): the actions' blocking calls run off the action server's event loop, and
"查进度" does not wait for the outbox to be flushed. GongYou is started as `make run` starts it,
with the bot's case client pointed at such a service."""

import socket
import threading
import time
import uuid

import pytest
import requests

from bot.cases.numbers import find_case_no
from bot.dialogue import intake
from tests.conftest import start_stack, stop_stack

pytestmark = pytest.mark.stack

STALL_LIMIT = 5.0  # seconds; one stalled submission takes ~35 s (3 tries × 10 s read timeout + backoff)


class Blackhole:
    """Accepts every connection and never answers, like a case service stuck on its database."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.held = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture(scope="module")
def stalled(tmp_path_factory):
    hole = Blackhole()
    proc, running = start_stack(tmp_path_factory.mktemp("stalled"), {"CASES_API_URL": hole.url})
    yield running, hole
    stop_stack(proc)
    hole.close()


def say(stack, sender, message):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120
    )
    assert reply.status_code == 200
    return "\n".join(m.get("text") or "" for m in reply.json())


def timed(stack, sender, message):
    start = time.monotonic()
    text = say(stack, sender, message)
    return time.monotonic() - start, text


def test_other_conversations_are_answered_while_a_submission_hangs(stalled):
    stack, hole = stalled
    worker = f"stall-{uuid.uuid4().hex[:8]}"
    say(stack, worker, "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万")
    assert "同意" in say(stack, worker, "/open_case")
    assert "姓名" in say(stack, worker, "/affirm")
    say(stack, worker, "孙芳")
    say(stack, worker, "13912345678")
    assert "请核对" in say(stack, worker, "老板跑了，有工资条")

    confirmed = {}
    submitting = threading.Thread(target=lambda: confirmed.update(reply=timed(stack, worker, "/affirm")))
    submitting.start()
    deadline = time.monotonic() + 10
    while not hole.held and time.monotonic() < deadline:  # the submission is on the wire, and stuck
        time.sleep(0.1)
    assert hole.held, "the case client never reached the stalled service"

    other = f"other-{uuid.uuid4().hex[:8]}"
    complaint, text = timed(stack, other, "老板欠我两个月工资")
    assert "拖欠工资" in text
    greet, text = timed(stack, other, "你好")
    assert "工友" in text
    stations, text = timed(stack, other, "渝中区的服务站在哪")  # an action that reads the station list
    assert "服务站" in text
    print(f"\nwhile a submission hangs: complaint {complaint:.2f}s, greet {greet:.2f}s, stations {stations:.2f}s")
    assert max(complaint, greet, stations) < STALL_LIMIT
    assert submitting.is_alive()  # they were answered while the submission was still stuck

    submitting.join(timeout=120)
    took, text = confirmed["reply"]
    print(f"the stalled submission itself answered after {took:.1f}s")
    assert intake.QUEUED_TEXT in text and not find_case_no(text)

    # "查进度" with the draft still in the outbox: the flush starts but the reply does not wait for it.
    follow, text = timed(stack, worker, "查进度")
    print(f"查进度 with the service still stuck: {follow:.2f}s")
    assert follow < STALL_LIMIT and "还在提交中" in text
