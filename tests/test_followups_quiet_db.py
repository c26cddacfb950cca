"""The case service's side of the cheap chat hook (bot/followups/replies.py) on SQLite and
PostgreSQL: how long a sender may be skipped ("quiet": the bound, cut at the next follow-up due,
none while one is due and unsent, a question is open or a follow-up waits in the inbox), the
answers still taken, and the WeChat worker's last-seen time kept to a grain that never makes the
48-hour window look open when it is closed.

PostgreSQL is required: when it is not running these tests fail, they do not skip.
"""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.followups import answers, replies, scheduler
from bot.followups.channels import Channels
from bot.followups.planning import INSTALMENT, morning_of
from bot.storage.engine import session_factory
from bot.storage.tables import Case, Followup
from tests.fake_wechat import FakeWeChat
from tests.test_followups_db import STORY, engine, service, url  # noqa: F401  (fixtures: both databases)

pytestmark = pytest.mark.db

BOUND = 60
VISIT = morning_of(date(2026, 12, 15))  # the return visit's moment


def agreement(service, sender):  # noqa: F811
    case, _ = service.open_draft({**STORY, "sender_id": sender}, f"quiet-{sender}")
    no = case["case_no"]
    service.change_status(no, "accepted", "op", "")
    service.change_status(no, "mediating", "op", "")
    service.change_status(no, "agreement", "op", "", {"instalments": [{"amount": 2000, "due": "2026-12-15"}]})
    return no


def turn(sessions, sender, text, now):
    return replies.turn(sessions, sender, text, now, BOUND)


def test_quiet_is_the_bound_cut_at_the_next_due_and_none_while_anything_waits(service, engine):  # noqa: F811
    sessions, channels = session_factory(engine), Channels()
    assert turn(sessions, "rest-nobody", "你好", VISIT) == {"handled": False, "messages": [], "quiet": BOUND}
    sender = "rest-quiet"
    agreement(service, sender)
    # The three status notices are due and not sent: nothing is granted until they are.
    assert turn(sessions, sender, "你好", VISIT - timedelta(hours=2))["quiet"] == 0
    assert scheduler.run_due(sessions, channels, VISIT - timedelta(hours=1)) == 3
    shown = turn(sessions, sender, "你好", VISIT - timedelta(minutes=30))
    assert len(shown["messages"]) == 3 and "quiet" not in shown  # shown: the next message asks again
    assert turn(sessions, sender, "你好", VISIT - timedelta(minutes=30))["quiet"] == BOUND
    assert turn(sessions, sender, "你好", VISIT - timedelta(seconds=30))["quiet"] == 30  # the visit is next
    assert turn(sessions, sender, "你好", VISIT + timedelta(seconds=1))["quiet"] == 0  # due, not sent yet

    assert scheduler.run_due(sessions, channels, VISIT) == 1
    asked = turn(sessions, sender, "你好", VISIT + timedelta(minutes=1))
    assert "今天该到账" in asked["messages"][0] and "quiet" not in asked
    # Asked and not answered: every message is looked at, none is granted quiet.
    assert turn(sessions, sender, "在吗", VISIT + timedelta(minutes=2)) == {"handled": False, "messages": []}
    paid = turn(sessions, sender, "收到了", VISIT + timedelta(minutes=3))
    assert paid["handled"] and "打个分" in paid["messages"][-1] and "quiet" not in paid
    rated = turn(sessions, sender, "5", VISIT + timedelta(minutes=4))
    assert rated["handled"] and "quiet" not in rated
    assert turn(sessions, sender, "调解员很耐心", VISIT + timedelta(minutes=5))["handled"]  # the free comment
    assert turn(sessions, sender, "你好", VISIT + timedelta(minutes=6)) == {
        "handled": False,
        "messages": [],
        "quiet": BOUND,
    }
    assert service.get(service_case_no(engine, sender))["rating_comment"] == "调解员很耐心"


def service_case_no(engine, sender):  # noqa: F811
    with session_factory(engine)() as session:
        return session.execute(select(Case.case_no).where(Case.sender_id == sender)).scalar_one()


TEXTS = ["收到了", "没有", "只收到一半", "你好", "5", "四分", "谢谢", "老板欠我工资", "是的", "好的", "没给", "/affirm"]


def test_an_answer_is_taken_only_from_a_message_that_could_answer(service, engine):  # noqa: F811
    """What the chat channels never skip (answers.could_answer) covers every answer taken."""
    sessions = session_factory(engine)
    sender = "oAnswers"
    agreement(service, sender)
    scheduler.run_due(sessions, Channels(), VISIT)
    for text in TEXTS:
        with sessions() as session:  # the question asked again, unanswered, the instalment unpaid
            session.execute(update(Followup).where(Followup.kind == INSTALMENT).values(answer=None, shown_at=VISIT))
            session.execute(update(Case).where(Case.sender_id == sender).values(overdue=False, priority=1, rating=None))
            session.commit()
        handled = turn(sessions, sender, text, VISIT + timedelta(minutes=1))["handled"]
        assert not handled or answers.could_answer(text), text


def last_seen(engine, sender):  # noqa: F811
    with session_factory(engine)() as session:
        moment, updated = session.execute(
            select(Case.last_seen_at, Case.updated_at).where(Case.sender_id == sender)
        ).one()
    return scheduler.utc(moment) if moment else None, updated


def test_last_seen_is_written_once_per_grain_and_never_later_than_the_last_message(service, engine):  # noqa: F811
    sessions = session_factory(engine)
    case, _ = service.open_draft({**STORY, "sender_id": "oSeen"}, "seen")
    service.open_draft({**STORY, "sender_id": "rest-seen"}, "seen-web")
    start = datetime.now(timezone.utc) - timedelta(hours=47)
    turn(sessions, "oSeen", "你好", start)
    assert last_seen(engine, "oSeen")[0] == start
    written = last_seen(engine, "oSeen")
    turn(sessions, "oSeen", "在吗", start + timedelta(minutes=3))
    assert last_seen(engine, "oSeen") == written  # fresh: nothing written, not even updated_at
    for minutes in (4, 5.5, 7, 9, 12, 12.5, 20):
        moment = start + timedelta(minutes=minutes)
        turn(sessions, "oSeen", "你好", moment)
        seen = last_seen(engine, "oSeen")[0]
        assert moment - replies.LAST_SEEN_GRAIN <= seen <= moment
    turn(sessions, "rest-seen", "你好", start)
    assert last_seen(engine, "rest-seen")[0] is None  # only WeChat's window needs it


@pytest.fixture
def fake(monkeypatch, tmp_path):
    wechat = FakeWeChat()
    monkeypatch.setenv("WECHAT_APPID", "wx0123456789abcdef")
    monkeypatch.setenv("WECHAT_SECRET", "test-secret")
    monkeypatch.setenv("WECHAT_API_BASE", wechat.url)
    monkeypatch.setenv("WECHAT_FOLLOWUP_TEMPLATE", "tmpl-huifang")
    monkeypatch.setenv("WECHAT_TOKEN_FILE", str(tmp_path / "token.json"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("WECHAT_OFFLINE", raising=False)
    yield wechat
    wechat.close()


def test_the_48_hour_window_is_never_open_when_it_is_closed(service, engine, fake):  # noqa: F811
    """Messages a few minutes apart keep the first time: a window that closed by the last message
    is closed by the kept time too (the template goes); one open by the kept time is open."""
    sessions = session_factory(engine)
    now = datetime.now(timezone.utc)
    for sender, hours_ago in (("oClosed", 48.1), ("oOpen", 47)):
        service.open_draft({**STORY, "sender_id": sender}, f"window-{sender}")
        for minutes in (0, 2, 4):
            turn(sessions, sender, "你好", now - timedelta(hours=hours_ago) + timedelta(minutes=minutes))
    service.change_status(service_case_no(engine, "oClosed"), "accepted", "op", "")
    service.change_status(service_case_no(engine, "oOpen"), "accepted", "op", "")
    assert scheduler.run_due(sessions, Channels(), now + timedelta(seconds=1)) == 2
    assert fake.messages_for("oClosed") == [] and [who for who, _, _ in fake.templates] == ["oClosed"]
    assert len(fake.messages_for("oOpen")) == 1
