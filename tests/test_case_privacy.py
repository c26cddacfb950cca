"""Follow codes, consent, erasure and retention on the real databases (SQLite file and
PostgreSQL on localhost:5432, which must be running: these tests fail without it)."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from bot.cases import follow_code, purge
from bot.cases.client import Outbox
from bot.cases.erasure import Eraser
from bot.cases.lifecycle import InvalidCase
from bot.cases.service import CaseService
from bot.console.audit import Audit
from bot.storage.engine import MIGRATIONS, session_factory, upgrade
from tests.test_case_service import WAGES, engine, service  # noqa: F401  (fixtures: both databases)

pytestmark = pytest.mark.db

CONSENT = WAGES["consent"]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class NoRasa:
    """A tracker store that keeps everything, as Rasa's SQL store does: erasure must say so."""

    def __init__(self) -> None:
        self.asked = []

    def forget(self, sender_id):
        self.asked.append(sender_id)
        return False


# -- follow codes ---------------------------------------------------------------------------
def test_follow_codes_are_random_unambiguous_and_read_leniently():
    codes = {follow_code.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)
    assert len(follow_code.ALPHABET) ** follow_code.LENGTH > 10**11
    assert follow_code.normalise(" k7pq-4xz2 ") == "K7PQ4XZ2"
    assert follow_code.normalise("K7PQ4XZ0") is None and follow_code.normalise("1234") is None
    assert follow_code.find_in("GY20261123-0042 查询码 k7pq-4xz2") == "K7PQ4XZ2"
    assert follow_code.find_in("编号GY20261123-0042，码K7PQ4XZ2") == "K7PQ4XZ2"
    assert follow_code.find_in("GY20261123-0042") is None and follow_code.find_in("电话5678") is None


def test_every_case_gets_its_own_follow_code_and_operators_see_it(service):
    a, _ = service.open_draft(WAGES, "fc-1")
    b, _ = service.open_draft(WAGES, "fc-2")
    assert follow_code.normalise(a["follow_code"]) == a["follow_code"] != b["follow_code"]
    assert service.get(a["case_no"])["follow_code"] == a["follow_code"]
    # A retried submission gives the same code back (why it is not stored hashed).
    assert service.open_draft(WAGES, "fc-1")[0]["follow_code"] == a["follow_code"]


def test_old_cases_get_a_follow_code_from_the_migration(engine):  # noqa: F811
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_events")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cases (case_no, status, category, phone, priority, collective, created_at, updated_at) "
                "VALUES ('GY20250101-0001', 'draft', 'wage_arrears', '13812345678', 1, false, :t, :t)"
            ),
            {"t": datetime(2025, 1, 1, tzinfo=timezone.utc)},
        )
    upgrade(engine)
    case = CaseService(session_factory(engine)).get("GY20250101-0001")
    assert follow_code.normalise(case["follow_code"]) == case["follow_code"]


def test_a_database_stamped_with_the_two_old_heads_upgrades(engine):  # noqa: F811
    """Before the chain was made linear, databases were stamped 0003_console and 0003_events both."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_events")
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0003_console')"))
    upgrade(engine)
    with engine.connect() as connection:
        versions = [r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))]
        assert versions == [newest_revision()]


# -- consent --------------------------------------------------------------------------------
def test_consent_is_stored_with_the_case(service):
    case, _ = service.open_draft(WAGES, "consent")
    assert case["consent_version"] == "2026-11-v1"
    assert datetime.fromisoformat(case["consent_at"]) == datetime(2026, 11, 30, 8, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "consent",
    [
        None,
        {},
        {"version": "v1"},
        {"version": "v1", "at": "yesterday"},
        {"version": "", "at": "2026-11-30T08:00:00Z"},
        "yes",
    ],
)
@pytest.mark.parametrize("personal", [{"name": "孙芳"}, {"phone": "13812345678"}, {"id_number": "50010119900101123X"}])
def test_personal_fields_without_consent_are_refused_and_nothing_kept(service, consent, personal):
    data = {"category": "wage_arrears", "employer": "某厂", **personal, "consent": consent}
    with pytest.raises(InvalidCase) as refused:
        service.open_draft(data, "no-consent")
    assert refused.value.field == "consent" and "同意" in refused.value.message
    assert service.list() == []


def test_an_anonymous_report_needs_no_consent(service):
    case, _ = service.open_draft({"category": "wage_arrears", "employer": "某鞋厂", "worker_count": 16}, "anon")
    assert case["consent_version"] is None and case["name"] is None


# -- erasure --------------------------------------------------------------------------------
def test_erase_removes_personal_data_and_keeps_the_facts(service, tmp_path):
    case, _ = service.open_draft({**WAGES, "id_number": "50010119900101123X", "sender_id": "web-abc"}, "web-abc:7")
    service.change_status(case["case_no"], "accepted", "op-1", "给孙芳打了电话")
    service.record_handoff("web-abc", "asked", [{"who": "worker", "text": "我叫孙芳"}], "13812345678")
    service.record_handoff("web-other", "asked", [{"who": "worker", "text": "别人的"}], "13900000000")
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.put("web-abc:9", {**WAGES, "sender_id": "web-abc"})  # another draft, still pending
    outbox.put("web-zzz:1", {**WAGES, "sender_id": "web-zzz"})  # someone else's
    rasa = NoRasa()
    audit = Audit(service.sessions)
    done = Eraser(service, audit, rasa, outbox).erase(case["case_no"], "op-boss")
    assert done == {"case": True, "handoffs": 1, "outbox": 1, "tracker": False}
    after = service.get(case["case_no"])
    for field in ("name", "phone", "id_number", "location", "description"):
        assert after[field] is None, field
    assert after["employer"] == WAGES["employer"] and after["amount"] == 8000 and after["status"] == "accepted"
    assert after["erased_at"] and [h["to"] for h in after["history"]] == ["draft", "accepted"]
    assert all(h["note"] is None for h in after["history"])
    handoffs = {h["sender_id"]: h for h in service.handoffs()}
    assert handoffs["web-abc"]["phone"] is None and handoffs["web-abc"]["transcript"] == []
    assert handoffs["web-other"]["phone"] == "13900000000"
    rows = {key: json.loads(payload) for key, payload, _, _ in outbox.rows()}
    assert rows["web-abc:9"]["name"] is None and rows["web-abc:9"]["phone"] is None
    assert rows["web-zzz:1"]["name"] == "孙芳"
    assert rasa.asked == ["web-abc"]
    (entry,) = audit.entries(case_no=case["case_no"], action="case.erase")
    assert entry["actor"] == "op-boss" and entry["detail"]["tracker"] is False
    # A late replay of the erased draft finds the same case and does not bring the data back.
    again, created = service.open_draft({**WAGES, "sender_id": "web-abc"}, "web-abc:7")
    assert not created and again["case_no"] == case["case_no"] and again["name"] is None
    assert service.erase("GY20990101-0001") is None


def test_delivered_outbox_rows_keep_nothing_personal(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.put("k1", WAGES)
    outbox.done("k1", "GY20261130-0001", "K7PQ4XZ2")
    ((key, payload, case_no, code),) = outbox.rows()
    assert json.loads(payload) == {} and (case_no, code) == ("GY20261130-0001", "K7PQ4XZ2")
    assert outbox.receipt("k1") == ("GY20261130-0001", "K7PQ4XZ2")
    outbox.forget("k1")
    assert outbox.rows() == []


# -- retention ------------------------------------------------------------------------------
def test_purge_applies_each_retention_period(engine):  # noqa: F811
    upgrade(engine)
    clock = Clock(datetime(2026, 1, 1, 9, tzinfo=timezone.utc))
    service = CaseService(session_factory(engine), clock=clock)
    audit = Audit(service.sessions, clock=clock)
    eraser = Eraser(service, audit, NoRasa(), None)
    closed, _ = service.open_draft({**WAGES, "sender_id": "w-closed"}, "closed")
    draft, _ = service.open_draft(WAGES, "draft")
    working, _ = service.open_draft(WAGES, "working")
    service.change_status(working["case_no"], "accepted", "op", "")
    clock.now += timedelta(days=10)
    service.change_status(closed["case_no"], "closed", "op", "调解成功")
    service.record_handoff("w-h", "asked", [{"who": "worker", "text": "喂"}], "13812345678")
    from sqlalchemy import update

    from bot.storage.tables import Handoff

    with service.sessions() as session:
        session.execute(update(Handoff).values(status="done", done_at=clock.now))
        session.commit()
    retention = purge.Retention(closed_days=365, draft_days=90, handoff_days=30, audit_days=365)

    def at(days):
        return datetime(2026, 1, 11, 9, tzinfo=timezone.utc) + timedelta(days=days)

    def run(days):
        clock.now = at(days)  # the service and the audit log live on the same clock
        return purge.purge(eraser, retention, clock.now)

    assert run(29) == {"cases": 0, "handoffs": 0, "audit": 0, "sessions": 0, "trackers": 0}
    assert run(31)["handoffs"] == 1
    assert service.get(draft["case_no"])["name"] == "孙芳"
    assert run(81)["cases"] == 1  # the draft is 91 days old
    assert service.get(draft["case_no"])["name"] is None and service.get(draft["case_no"])["category"] == "wage_arrears"
    assert service.get(closed["case_no"])["name"] == "孙芳"
    assert run(364)["cases"] == 0
    assert run(366)["cases"] == 1
    assert service.get(closed["case_no"])["phone"] is None
    assert service.get(working["case_no"])["phone"] == "13812345678"  # still being worked: kept
    # The tracker of the purged closed case could not be erased: every round tries it again.
    assert run(367)["trackers"] == 0 and eraser.trackers.asked.count("w-closed") >= 2
    # Audit rows older than a year go; the newer ones stay.
    assert run(800)["audit"] > 0
    kept = audit.entries()
    assert kept and all(datetime.fromisoformat(e["at"]) >= at(800) - timedelta(days=365) for e in kept)


def test_only_one_process_wins_a_purge_round(engine):  # noqa: F811
    upgrade(engine)
    sessions = session_factory(engine)
    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    with ThreadPoolExecutor(max_workers=6) as pool:
        wins = list(pool.map(lambda i: purge.claim(sessions, now, 3600, f"web-{i}"), range(6)))
    assert wins.count(True) == 1
    assert not purge.claim(sessions, now + timedelta(minutes=59), 3600, "web-9")
    assert purge.claim(sessions, now + timedelta(minutes=61), 3600, "web-9")


def test_retention_defaults_and_environment(monkeypatch):
    assert purge.Retention.from_env() == purge.Retention(365, 90, 30, 365)
    monkeypatch.setenv("GONGYOU_RETAIN_CLOSED_DAYS", "180")
    monkeypatch.setenv("GONGYOU_RETAIN_DRAFT_DAYS", "junk")
    assert purge.Retention.from_env().closed_days == 180 and purge.Retention.from_env().draft_days == 90


def test_logs_do_not_carry_follow_codes():
    from bot.privacy import mask_text

    assert (
        mask_text("登记好了，编号是 GY20261130-0001，查询码是 K7PQ4XZ2，请一起记下来")
        == "登记好了，编号是 GY20261130-0001，查询码是 ********，请一起记下来"
    )
    assert (
        mask_text('{"case_no": "GY20261130-0001", "follow_code": "K7PQ4XZ2"}')
        == '{"case_no": "GY20261130-0001", "follow_code": "********"}'
    )


def newest_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bot.storage.engine import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()
