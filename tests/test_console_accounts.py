"""Console accounts, sessions, audit, queue scope, exports and dashboard on real databases.

SQLite and PostgreSQL on localhost:5432 (required: these tests fail without it, they do not skip).
"""

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from bot.cases.service import CaseService
from bot.console.accounts import AccountError, Accounts
from bot.console.audit import Audit
from bot.console.exports import to_csv, to_xlsx
from bot.console.queue import Filters, Queue
from bot.console.ratelimit import PER_ACCOUNT, LoginThrottle
from bot.console.sessions import IDLE, LIFETIME, Sessions
from bot.console.stats import Dashboard
from bot.storage.engine import session_factory, upgrade
from tests.test_case_service import engine  # noqa: F401  (the sqlite/postgresql fixture)

pytestmark = pytest.mark.db


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def db(engine):  # noqa: F811
    upgrade(engine)
    upgrade(engine)
    return session_factory(engine)


def test_passwords_are_argon2_hashes_and_verify(db):
    accounts = Accounts(db)
    made = accounts.add("lead", "a long password", "supervisor", display_name="王主管")
    assert made.supervisor and made.display_name == "王主管"
    with db() as session:
        stored = session.execute(__import__("sqlalchemy").text("SELECT password_hash FROM operators")).scalar_one()
    assert stored.startswith("$argon2id$") and "a long password" not in stored
    assert accounts.verify("lead", "a long password").username == "lead"
    assert accounts.verify("lead", "a long passwore") is None
    assert accounts.verify("nobody", "a long password") is None
    accounts.set_active("lead", False)
    assert accounts.verify("lead", "a long password") is None


def test_account_rules(db):
    accounts = Accounts(db)
    with pytest.raises(AccountError):
        accounts.add("x y", "a long password", "supervisor")
    with pytest.raises(AccountError):
        accounts.add("short", "short", "supervisor")
    with pytest.raises(AccountError):
        accounts.add("nostation", "a long password", "station")
    with pytest.raises(AccountError):
        accounts.add("who", "a long password", "admin")
    accounts.add("twice", "a long password", "station", "cq-wuxi")
    with pytest.raises(AccountError):
        accounts.add("twice", "another long one", "supervisor")


def test_sessions_expire_when_idle_and_in_all(db):
    clock = Clock()
    principal = Accounts(db).add("op", "a long password", "station", "jdz-taoxichuan")
    sessions = Sessions(db, clock)
    token, csrf = sessions.start(principal)
    assert sessions.resolve(token).principal.station_id == "jdz-taoxichuan"
    assert sessions.resolve(token).csrf_token == csrf
    assert sessions.resolve("forged") is None and sessions.resolve(None) is None
    clock.now += IDLE - timedelta(minutes=2)
    assert sessions.resolve(token) is not None  # activity slides the idle deadline
    clock.now += IDLE - timedelta(minutes=2)
    assert sessions.resolve(token) is not None
    clock.now += IDLE + timedelta(seconds=1)
    assert sessions.resolve(token) is None  # idle too long

    token, _ = sessions.start(principal)
    end = clock.now + LIFETIME
    while clock.now < end - timedelta(minutes=10):
        clock.now += IDLE / 2
        sessions.resolve(token)
    clock.now = end + timedelta(seconds=1)
    assert sessions.resolve(token) is None  # busy all day, still ends

    token, _ = sessions.start(principal)
    sessions.end(token)
    assert sessions.resolve(token) is None


def test_throttle_pauses_an_account_after_failures():
    now = [0.0]
    throttle = LoginThrottle(lambda: now[0])
    for _ in range(PER_ACCOUNT):
        assert throttle.retry_after("op", "1.2.3.4") is None
        throttle.failed("op", "1.2.3.4")
    assert throttle.retry_after("op", "1.2.3.4") > 0
    assert throttle.retry_after("OP", "5.6.7.8") > 0  # per account, whatever the address
    assert throttle.retry_after("other", "1.2.3.4") is None
    now[0] += 16 * 60
    assert throttle.retry_after("op", "1.2.3.4") is None


CASE = {
    "category": "wage_arrears",
    "name": "孙芳",
    "phone": "13812345678",
    "employer": '=HYPERLINK("x")鞋业公司',
    "location": "巫溪县",
    "amount": 8000,
    "worker_count": 2,
    "description": "电话13812345678，三个月没发",
    "consent": {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"},
}


def test_station_operators_see_their_station_only(db):
    service, accounts, queue = CaseService(db), Accounts(db), Queue(db)
    service.open_draft({**CASE, "station_id": "a", "station_name": "甲站"}, None)
    service.open_draft({**CASE, "station_id": "b", "station_name": "乙站", "worker_count": 12}, None)
    boss = accounts.add("boss", "a long password", "supervisor")
    station_a = accounts.add("opa", "a long password", "station", "a")
    assert {r["station"]["id"] for r in queue.rows(boss, Filters())} == {"a", "b"}
    assert queue.rows(boss, Filters())[0]["collective"]  # collective disputes first
    assert [r["station"]["id"] for r in queue.rows(station_a, Filters())] == ["a"]
    assert [r["station"]["id"] for r in queue.rows(station_a, Filters(station="b"))] == ["a"]
    assert [r["station"]["id"] for r in queue.rows(boss, Filters(station="b"))] == ["b"]
    rows = queue.rows(boss, Filters())
    assert all(
        r["phone"] == "138****5678" and r["name"] == "孙*" and "13812345678" not in r["description"] for r in rows
    )


def test_exports_mask_and_defuse_formulas(db):
    service, queue = CaseService(db), Queue(db)
    service.open_draft(CASE, None)
    boss = Accounts(db).add("boss", "a long password", "supervisor")
    cases = queue.cases(boss, Filters())
    raw = to_csv(cases)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "案件编号" and rows[1][2] == "被拖欠工资"
    assert "13812345678" not in raw.decode("utf-8-sig") and "138****5678" in rows[1][11]
    assert rows[1][5].startswith("'=")
    full = list(csv.reader(io.StringIO(to_csv(cases, unmasked=True).decode("utf-8-sig"))))
    assert full[1][11] == "13812345678" and full[1][10] == "孙芳"
    sheet = load_workbook(io.BytesIO(to_xlsx(cases))).active
    assert sheet["A1"].value == "案件编号" and sheet["L2"].value == "138****5678"
    assert sheet["F2"].data_type == "s" and sheet["F2"].value.startswith("'=")


def test_dashboard_counts_what_the_database_holds(db, engine):  # noqa: F811
    from bot.stations.store import ensure_some

    ensure_some(engine)  # the demo stations, whose district codes name the districts
    clock = Clock()
    service = CaseService(db, clock)
    first, _ = service.open_draft({**CASE, "station_id": "jdz-taoxichuan"}, None)
    service.open_draft({**CASE, "category": "work_injury", "worker_count": 15, "employer": "某瓷厂"}, None)
    clock.now += timedelta(weeks=1)
    service.open_draft({**CASE, "category": "work_injury", "employer": "别的厂"}, None)
    clock.now += timedelta(hours=6)
    service.change_status(first["case_no"], "accepted", "op", "已联系")
    boss = Accounts(db).add("boss", "a long password", "supervisor")
    figures = Dashboard(db, clock).figures(boss)
    assert figures["total"] == 3 and figures["by_status"] == {"draft": 2, "accepted": 1}
    assert {c["category"]: c["count"] for c in figures["by_category"]} == {"work_injury": 2, "wage_arrears": 1}
    assert {d["district"]: d["count"] for d in figures["by_district"]} == {"未分配服务站": 2, "珠山区": 1}
    assert [w["count"] for w in figures["by_week"]][-2:] == [2, 1]
    assert figures["collective"]["cases"] == 1 and figures["collective"]["employers"][0]["workers"] == 15
    assert figures["draft_to_accepted"] == {"cases": 1, "median_hours": 174.0}


def test_audit_log_keeps_who_what_when(db):
    clock = Clock()
    audit = Audit(db, clock)
    audit.record("boss", "export.unmasked", None, {"rows": 3})
    audit.record("op", "case.status", "GY20261102-0001", {"to": "accepted"})
    latest = audit.entries()
    assert [e["action"] for e in latest] == ["case.status", "export.unmasked"]
    assert latest[1]["actor"] == "boss" and latest[1]["detail"] == {"rows": 3}
    assert latest[1]["at"].startswith("2026-11-02")
    assert [e["actor"] for e in audit.entries(case_no="GY20261102-0001")] == ["op"]


def test_command_line_adds_lists_and_disables(tmp_path, monkeypatch, capsys):
    from bot.console import accounts as cli

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("GONGYOU_NEW_PASSWORD", "cli password 123")
    assert cli.main(["add", "zhang", "--role", "station", "--station", "jdz-taoxichuan", "--display", "张站长"]) == 0
    assert cli.main(["add", "zhang", "--role", "supervisor"]) == 2  # taken
    assert cli.main(["list"]) == 0
    assert "zhang\tstation\tjdz-taoxichuan\t启用" in capsys.readouterr().out
    assert cli.main(["disable", "zhang"]) == 0
    from bot.storage.engine import make_engine

    db = session_factory(make_engine())
    assert Accounts(db).verify("zhang", "cli password 123") is None
    assert [e["action"] for e in Audit(db).entries()] == ["account.disable", "account.add"]


def test_dashboard_shows_conversation_figures_once_the_consumer_counted_some(db, engine):  # noqa: F811
    import json
    import time as clock_time

    from bot.events.counting import count_event

    boss = Accounts(db).add("chief", "a long password", "supervisor")
    clerk = Accounts(db).add("clerk", "a long password", "station", station_id="jdz-taoxichuan")
    assert Dashboard(db).figures(boss)["conversations"] is None  # no consumer ran: nothing, not zeros
    said = {
        "event": "user",
        "sender_id": "web-" + "a" * 32,
        "timestamp": clock_time.time(),
        "text": "老板欠我工资",
        "parse_data": {"intent": {"name": "wage_arrears", "confidence": 0.9}},
    }
    assert count_event(engine, json.dumps(said).encode())
    assert not count_event(engine, json.dumps(said).encode())  # redelivered: counted once
    shown = Dashboard(db).figures(boss)["conversations"]
    assert shown["对话"] == 1 and shown["消息"] == 1 and shown["转人工"] == 0
    assert Dashboard(db).figures(clerk)["conversations"] is None  # events name no station


def test_handoffs_go_to_their_station_and_each_showing_is_on_record(db):
    from bot.console.handoffs import Handoffs

    service, accounts, audit = CaseService(db), Accounts(db), Audit(db)
    service.open_draft({**CASE, "station_id": "b", "station_name": "乙站", "sender_id": "web-case-b"}, None)
    at_kiosk = service.record_handoff("web-kiosk-a", "asked", [{"who": "worker", "text": "找人"}], "13800000001", "a")
    from_case = service.record_handoff("web-case-b", "fallback", [], "13800000002")
    nowhere = service.record_handoff("web-nobody", "asked", [], None)
    boss = accounts.add("boss", "a long password", "supervisor")
    op_a = accounts.add("opa", "a long password", "station", "a")
    op_b = accounts.add("opb", "a long password", "station", "b")
    handoffs = Handoffs(service, db, audit)
    assert {h["id"] for h in handoffs.shown(boss)} == {at_kiosk["id"], from_case["id"], nowhere["id"]}
    assert [h["id"] for h in handoffs.shown(op_a)] == [at_kiosk["id"]]
    assert [h["id"] for h in handoffs.shown(op_b)] == [from_case["id"]]
    # The queue polls: a request shown again to the same operator, even after a restart, is logged once.
    handoffs.shown(op_a)
    Handoffs(service, db, audit).shown(op_a)
    views = [(e["actor"], e["detail"]["handoff"]) for e in audit.entries(action="handoff.view")]
    assert sorted(views) == sorted(
        [
            ("boss", at_kiosk["id"]),
            ("boss", from_case["id"]),
            ("boss", nowhere["id"]),
            ("opa", at_kiosk["id"]),
            ("opb", from_case["id"]),
        ]
    )
    assert not handoffs.done(op_a, from_case["id"])  # another station's caller
    assert handoffs.done(op_b, from_case["id"]) and not handoffs.done(op_b, from_case["id"])
    assert [e["actor"] for e in audit.entries(action="handoff.done")] == ["opb"]
    assert [h["id"] for h in handoffs.shown(op_b)] == []
    # A request made before the worker's case existed goes to the case's station once it does.
    early = service.record_handoff("web-later-case", "asked", [], None)
    assert early["id"] not in {h["id"] for h in handoffs.shown(op_a)}
    service.open_draft({**CASE, "station_id": "a", "station_name": "甲站", "sender_id": "web-later-case"}, None)
    assert early["id"] in {h["id"] for h in handoffs.shown(op_a)}


def test_sign_in_throttles_the_name_verify_looks_up(db):
    from bot.console.signin import SignIn

    accounts = Accounts(db)
    accounts.add("lead", "a long password", "supervisor")
    signin = SignIn(accounts, Sessions(db), Audit(db))
    for spelled in ("lead", " lead", "lead ", " LEAD ", "\tlead\n"):
        assert signin.attempt(spelled, "wrong password", "1.2.3.4").principal is None
    # Five tries at one account, however it was spelled: the right password waits too.
    assert signin.attempt("lead", "a long password", "5.6.7.8").retry_after > 0
    fresh = SignIn(accounts, Sessions(db), Audit(db))
    signed = fresh.attempt("  lead  ", "a long password", "1.2.3.4")
    assert signed.principal.username == "lead" and signed.token and signed.csrf
    assert fresh.attempt("x" * 65_536, "wrong password", "1.2.3.4").principal is None
    logged = Audit(db).entries(action="login.failed")
    assert logged[0]["actor"] == "x" * 64 and all(e["actor"].lower() == "lead" for e in logged[1:])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "﹦"])
def test_exports_defuse_full_width_and_whitespace_formula_starts(start):
    from bot.storage.tables import Case

    # Built in memory: the intake strips a leading tab, but an export must not rely on that.
    case = Case(
        case_no="GY20261102-0001",
        status="draft",
        category="wage_arrears",
        collective=False,
        priority=1,
        employer=start + 'HYPERLINK("http://x","点这里")',
        description=start + "1+1",
        created_at=datetime(2026, 11, 2, tzinfo=timezone.utc),
    )
    rows = list(csv.reader(io.StringIO(to_csv([case], unmasked=True).decode("utf-8-sig"))))
    assert rows[1][5] == "'" + case.employer and rows[1][14] == "'" + case.description
    sheet = load_workbook(io.BytesIO(to_xlsx([case], unmasked=True))).active
    # (XML keeps a CR as a line feed: the quote in front is what matters.)
    cell = sheet["F2"]
    assert cell.data_type == "s" and cell.value.startswith("'") and cell.value.endswith('点这里")')
    assert rows[1][6] == ""  # an empty cell stays empty
