"""After the draft on real databases (contract §6): the seed's story through the case service,
moves refused by category, referral between stations, and the follow-up scheduler: a restart
(a new engine, a new process) loses nothing and sends nothing twice, and two replicas claiming
at once on PostgreSQL send each follow-up exactly once.

PostgreSQL is required: when it is not running these tests fail, they do not skip.
"""

import json
import os
import subprocess
import sys
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from bot.cases.follow_view import timeline
from bot.cases.lifecycle import InvalidCase
from bot.cases.service import CaseService
from bot.console.accounts import Principal
from bot.console.audit import Audit
from bot.console.casework import REFERRED_AWAY, Casework
from bot.console.queue import Filters, Queue
from bot.followups import replies, scheduler
from bot.followups.channels import CALL, SMS, WEB, Channels, WebInbox
from bot.followups.texts import TARGET_NAMES
from bot.storage.engine import make_engine, session_factory, upgrade
from bot.storage.operators import STATION, SUPERVISOR
from bot.storage.tables import Followup, StationRow

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("GONGYOU_TEST_PG", "postgresql://postgres@localhost:5432/postgres")
STORY = {
    "category": "wage_arrears",
    "employer": "綦江区某建筑劳务公司",
    "amount": 48000,
    "worker_count": 16,
    "station_id": "st-union",
    "station_name": "綦江区总工会职工服务站",
}
THREE = [
    {"amount": 16000, "due": "2026-12-15"},
    {"amount": 16000, "due": "2027-01-15"},
    {"amount": 16000, "due": "2027-02-15"},
]
BOSS = Principal("boss", "主管", SUPERVISOR)


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def pg_database():
    name = f"gongyou_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, name, PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop(admin, name):
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.sqlite3'}"
        return
    admin, name, url = pg_database()
    yield url
    drop(admin, name)


@pytest.fixture
def engine(url):
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        for sid, name in (
            ("st-union", "綦江区总工会职工服务站"),
            ("st-proc", "綦江区人民检察院12309服务站"),
            ("st-court", "綦江区人民法院诉讼服务站"),
        ):
            session.add(StationRow(id=sid, name=name, kind="union", address="綦江区", latitude=29.0, longitude=106.6))
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def service(engine):
    return CaseService(session_factory(engine))


def open_story(service, sender="rest-w16", key=None):
    case, _ = service.open_draft({**STORY, "sender_id": sender}, key or f"story-{uuid.uuid4().hex[:6]}")
    return case["case_no"]


def to_agreement(service, no):
    service.change_status(no, "accepted", "op", "已联系")
    service.change_status(no, "mediating", "op", "约了调解")
    service.change_status(no, "mediation_failed", "op", "多次调解均未成功")
    service.change_status(no, "referred", "op", "转检察院", {"to": "procuratorate", "station_id": "st-proc"})
    return service.change_status(no, "agreement", "op", "检察和解，司法确认", {"instalments": THREE})


def test_the_seed_story_through_the_service(service, engine):
    no = open_story(service)
    case = to_agreement(service, no)
    sessions, channels = session_factory(engine), Channels()
    assert case["status"] == "agreement" and case["referred_to"] == "procuratorate"
    assert [i["paid"] for i in case["instalments"]] == [None, None, None]
    assert [t["status"] for t in case["timeline"]] == [
        "draft",
        "accepted",
        "mediating",
        "mediation_failed",
        "referred",
        "agreement",
    ]
    kinds = [f["kind"] for f in case["followups"]]
    assert kinds.count("status") == 5 and kinds.count("instalment") == 3

    # The five notices are due at once; the first instalment's visit waits for its morning.
    assert scheduler.run_due(sessions, channels, at("2026-12-15T08:59:00+08:00")) == 5
    first = replies.turn(sessions, "rest-w16", "你好")
    assert not first["handled"] and first["messages"][0].startswith("服务站已受理您的案件" + no)
    assert any("人民检察院" in m for m in first["messages"])
    assert scheduler.run_due(sessions, channels, at("2026-12-15T09:00:00+08:00")) == 1

    def visit(now, answer):
        assert scheduler.run_due(sessions, channels, at(now)) == 1
        asked = replies.turn(sessions, "rest-w16", "在吗")
        assert not asked["handled"] and "今天该到账" in asked["messages"][0]
        return replies.turn(sessions, "rest-w16", answer)

    first = replies.turn(sessions, "rest-w16", "在吗")
    assert "第一期16000元" in first["messages"][0]
    paid = replies.turn(sessions, "rest-w16", "收到了")
    assert paid == {"handled": True, "messages": ["好的，记下了：第一期已经到账。有问题随时找我们。"]}

    missing = visit("2027-01-15T09:30:00+08:00", "没有")
    assert missing["handled"] and "支付令" in missing["messages"][0] and "司法确认" in missing["messages"][0]
    case = service.get(no)
    assert case["overdue"] and [i["paid"] for i in case["instalments"]] == [True, False, None]
    # Back at the top of its station's queue, above a newer collective case.
    open_story(service, "rest-other")
    top = Queue(session_factory(engine)).cases(Principal("p", "检察院", STATION, "st-proc"), Filters())
    assert top[0].case_no == no

    last = visit("2027-02-15T10:00:00+08:00", "收到了")
    assert last["handled"] and len(last["messages"]) == 1  # one still unpaid: no rating yet
    service.confirm_instalment(no, 2, True, "op", "单位补付")
    done = service.change_status(no, "closed", "op", "三期全部到账")
    assert not done["overdue"] and [i["paid"] for i in done["instalments"]] == [True, True, True]

    # The return visit a week after closing asks for the rating, then a comment.
    week_later = datetime.now(timezone.utc) + timedelta(days=8)
    assert scheduler.run_due(sessions, channels, week_later) == 2  # the closing notice and the visit
    rating_asked = replies.turn(sessions, "rest-w16", "你好")
    assert any("打个分" in m for m in rating_asked["messages"])
    assert replies.turn(sessions, "rest-w16", "5")["messages"][0].startswith("谢谢您打分")
    assert replies.turn(sessions, "rest-w16", "调解员很耐心")["handled"]
    case = service.get(no)
    assert case["rating"] == 5 and case["rating_comment"] == "调解员很耐心"
    assert all(f["sent_at"] for f in case["followups"])
    assert {f["answer"] for f in case["followups"] if f["kind"] == "instalment"} == {"paid", "missing"}


def test_the_last_instalment_paid_asks_for_a_rating(service, engine):
    no = open_story(service, "rest-rate")
    service.change_status(no, "accepted", "op", "")
    service.change_status(no, "mediating", "op", "")
    service.change_status(no, "agreement", "op", "", {"instalments": [{"amount": 2000, "due": "2026-12-20"}]})
    sessions = session_factory(engine)
    scheduler.run_due(sessions, Channels(), at("2026-12-20T12:00:00+08:00"))
    replies.turn(sessions, "rest-rate", "你好")
    paid = replies.turn(sessions, "rest-rate", "到账了")
    assert paid["handled"] and "打个分" in paid["messages"][-1]
    assert replies.turn(sessions, "rest-rate", "４分")["handled"]
    assert replies.turn(sessions, "rest-rate", "没有")["messages"] == ["谢谢您的意见，我们会转给服务站。祝您工作顺利！"]
    case = service.get(no)
    assert case["rating"] == 4 and case["rating_comment"] is None


@pytest.mark.parametrize(
    "category,moves,refused",
    [
        ("pension_adjustment", [], ("mediating", {})),
        ("pension_adjustment", [], ("referred", {"to": "arbitration"})),
        ("wage_arrears", ["accepted"], ("agreement", {"instalments": THREE})),  # not mediating yet
        ("wage_arrears", ["accepted", "mediating"], ("agreement", {"instalments": [{"amount": -5, "due": "x"}]})),
        ("wage_arrears", ["accepted", "mediating"], ("agreement", {})),
        ("wage_arrears", [], ("referred", {"to": "moon"})),
        ("wage_arrears", ["withdrawn"], ("accepted", {})),
    ],
)
def test_impossible_moves_are_refused_and_change_nothing(service, category, moves, refused):
    case, _ = service.open_draft({**STORY, "category": category, "sender_id": "rest-x"}, uuid.uuid4().hex)
    for status in moves:
        service.change_status(case["case_no"], status, "op", "")
    before = service.get(case["case_no"])
    with pytest.raises(InvalidCase):
        service.change_status(case["case_no"], refused[0], "op", "", refused[1])
    after = service.get(case["case_no"])
    assert after["status"] == before["status"] and after["followups"] == before["followups"]
    assert after["instalments"] == before["instalments"] == []


def test_a_referral_moves_the_queue_and_the_sender_keeps_read_access(service, engine):
    no = open_story(service, "rest-ref")
    service.change_status(no, "referred", "op", "转检察院", {"to": "procuratorate", "station_id": "st-proc"})
    sessions = session_factory(engine)
    queue = Queue(sessions)
    work = Casework(service, sessions, queue, Audit(sessions))
    union, proc, other = (Principal(n, n, STATION, s) for n, s in (("u", "st-union"), ("p", "st-proc"), ("o", "st-x")))
    assert [c.case_no for c in queue.cases(proc, Filters())] == [no]
    assert queue.cases(union, Filters()) == []
    assert work.refusal(proc, no) is None and work.refusal(union, no) is None
    assert work.refusal(other, no) == (403, "forbidden")
    assert service.get(no)["station"] == {"id": "st-proc", "name": "綦江区人民检察院12309服务站"}
    with pytest.raises(InvalidCase):
        service.change_status(no, "referred", "op", "", {"to": "court", "station_id": "no-such-station"})


def test_every_station_on_a_chain_of_referrals_reads_it_and_only_the_holder_acts(service, engine):
    no = open_story(service, "rest-chain")
    service.change_status(no, "referred", "op", "转检察院", {"to": "procuratorate", "station_id": "st-proc"})
    service.change_status(no, "referred", "op", "转法院", {"to": "court", "station_id": "st-court"})
    sessions = session_factory(engine)
    queue = Queue(sessions)
    work = Casework(service, sessions, queue, Audit(sessions))
    union, proc, court, other = (
        Principal(n, n, STATION, s) for n, s in (("u", "st-union"), ("p", "st-proc"), ("c", "st-court"), ("o", "st-x"))
    )
    # The first sender too, not only the latest: each reads the case, none but the holder acts on it.
    for sender in (union, proc):
        assert work.refusal(sender, no) is None
        assert work.refusal(sender, no, write=True) == (403, REFERRED_AWAY)
        assert [c.case_no for c in queue.cases(sender, Filters(referred_out=True))] == [no]
        assert queue.cases(sender, Filters()) == []
    assert work.refusal(court, no) is None and work.refusal(court, no, write=True) is None
    assert [c.case_no for c in queue.cases(court, Filters())] == [no]
    assert queue.cases(court, Filters(referred_out=True)) == []
    assert work.refusal(other, no) == (403, "forbidden") == work.refusal(other, no, write=True)
    assert work.detail(proc, no)["read_only"] and not work.detail(court, no)["read_only"]
    # The worker's timeline names each party the case went to, not the latest twice.
    said = [s["what"] for s in timeline(service.get(no)) if s["status"] == "referred"]
    assert said == [
        f"案件转给{TARGET_NAMES['procuratorate']}，材料一并转过去",
        f"案件转给{TARGET_NAMES['court']}，材料一并转过去",
    ]


class Recording:
    """A channel that remembers every send (thread-safe), to count deliveries. With `together`,
    each replica's first send waits until every replica is sending: the claims really overlap."""

    name = SMS

    def __init__(self, together=None):
        self.sent, self._lock, self._together, self._local = [], threading.Lock(), together, threading.local()

    def send(self, to, text):
        if self._together is not None and not getattr(self._local, "met", False):
            self._local.met = True
            self._together.wait(60)
        with self._lock:
            self.sent.append(text)
        return True


def many_due(service, n=30, sender_prefix="rest-many"):
    """n cases each with a status notice and a due instalment visit: 2n follow-ups due by 2026-12-16."""
    for i in range(n):
        no = open_story(service, f"{sender_prefix}-{i}")
        service.change_status(no, "accepted", "op", "")
        service.change_status(no, "mediating", "op", "")
        service.change_status(no, "agreement", "op", "", {"instalments": [{"amount": 100 + i, "due": "2026-12-15"}]})
    return 4 * n  # accepted, mediating, agreement notices + one visit


def test_a_restart_loses_nothing_and_sends_nothing_twice(url, engine, service):
    due = many_due(service, 5)
    first_engine = make_engine(url)
    recorder = Recording()
    channels = Channels({WEB: recorder, CALL: WebInbox()})
    # The first process sends the notices, then dies (its engine goes) before the visits are due.
    assert scheduler.run_due(session_factory(first_engine), channels, at("2026-12-14T12:00:00+08:00")) == due - 5
    first_engine.dispose()
    # A new engine, as after a restart: nothing again for the same moment; the visits when due.
    second = make_engine(url)
    assert scheduler.run_due(session_factory(second), channels, at("2026-12-14T12:00:00+08:00")) == 0
    assert scheduler.run_due(session_factory(second), channels, at("2026-12-15T12:00:00+08:00")) == 5
    assert scheduler.run_due(session_factory(second), channels, at("2026-12-16T12:00:00+08:00")) == 0
    second.dispose()
    assert len(recorder.sent) == len(set(recorder.sent)) == due
    # And a new process (the command line, as an operator or cron would run it) finds nothing.
    out = subprocess.run(
        [sys.executable, "-m", "bot.followups.scheduler", "--now", "2027-06-01T00:00:00+08:00"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"sent": 0}


def test_a_claim_of_a_dead_holder_is_taken_over_after_the_lease(engine, service):
    many_due(service, 1)
    sessions = session_factory(engine)
    now = at("2026-12-15T12:00:00+08:00")
    dead = scheduler.claim(sessions, now, "dead-replica", lambda: datetime.now(timezone.utc))
    assert len(dead) == 4
    recorder = Recording()
    channels = Channels({WEB: recorder, CALL: WebInbox()})
    assert scheduler.run_due(sessions, channels, now) == 0  # claimed by a live holder: left alone
    later = lambda: datetime.now(timezone.utc) + scheduler.LEASE * 2  # noqa: E731
    assert scheduler.run_due(sessions, channels, now, clock=later) == 4
    assert len(recorder.sent) == 4


def two_replicas(url, service, engine):
    due = many_due(service, 40, "rest-pg")
    engines = [make_engine(url) for _ in range(4)]
    recorder = Recording(threading.Barrier(len(engines)))
    counts = []
    start = threading.Barrier(len(engines))

    def replica(e):
        start.wait()
        counts.append(
            scheduler.run_due(
                session_factory(e), Channels({WEB: recorder, CALL: WebInbox()}), at("2026-12-16T00:00:00+08:00")
            )
        )

    threads = [threading.Thread(target=replica, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for e in engines:
        e.dispose()
    return due, recorder, counts


def test_two_replicas_on_postgresql_send_each_follow_up_once(tmp_path):
    admin, name, url = pg_database()
    try:
        engine = make_engine(url)
        upgrade(engine)
        service = CaseService(session_factory(engine))
        due, recorder, counts = two_replicas(url, service, engine)
        assert sum(counts) == due and len(recorder.sent) == due and len(set(recorder.sent)) == due
        assert len(counts) == 4 and all(counts)  # every replica sent while the others were sending

        # Two processes: the command line twice at once, sending SMS through the fake provider.
        for i in range(20):
            no = open_story(service, None, f"sms-{i}")
            with session_factory(engine)() as session:
                session.execute(
                    text("UPDATE cases SET phone = :p WHERE case_no = :n"), {"p": f"1380000{i:04d}", "n": no}
                )
                session.commit()
            service.change_status(no, "accepted", "op", "")
        sms_file = tmp_path / "sms.jsonl"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PYTHONPATH": str(ROOT),
            "GONGYOU_SMS_PROVIDER": "fake",
            "GONGYOU_SMS_FAKE_FILE": str(sms_file),
            "WECHAT_APPID": "",
        }
        command = [sys.executable, "-m", "bot.followups.scheduler", "--now", "2026-12-16T00:00:00+08:00"]
        procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=180)[0] for p in procs]
        assert sum(json.loads(o.strip().splitlines()[-1])["sent"] for o in outs) == 20
        lines = [json.loads(line) for line in sms_file.read_text().splitlines()]
        assert len(lines) == 20 and len({m["text"] for m in lines}) == 20
        assert all(m["to"].startswith("138****") for m in lines)  # the fake keeps phones masked
        with session_factory(engine)() as session:
            unsent = session.execute(select(Followup).where(Followup.sent_at.is_(None))).scalars().all()
            assert unsent == []
        engine.dispose()
    finally:
        drop(admin, name)
