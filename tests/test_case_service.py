"""The case service on real databases: an SQLite file and PostgreSQL on localhost:5432.

PostgreSQL is required: when it is not running these tests fail, they do not skip.
"""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, select, text

from bot.cases.employer import employer_key
from bot.cases.lifecycle import InvalidCase
from bot.cases.service import CaseService, masked
from bot.storage.engine import make_engine, session_factory, upgrade
from bot.storage.tables import Case

pytestmark = pytest.mark.db

PG_ADMIN = os.environ.get("GONGYOU_TEST_PG", "postgresql://postgres@localhost:5432/postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'cases.sqlite3'}")
        yield engine
        engine.dispose()
        return
    name = f"gongyou_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def service(engine):
    upgrade(engine)
    upgrade(engine)  # migrations are idempotent
    return CaseService(session_factory(engine))


WAGES = {
    "category": "wage_arrears",
    "name": "孙芳",
    "phone": "13812345678",
    "employer": "巫溪县某鞋业有限公司",
    "location": "巫溪县",
    "amount": 8000,
    "period_months": 3,
    "worker_count": 2,
    "description": "三个月没发工资",
    "consent": {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"},
}


def test_a_draft_gets_a_contract_case_number(service):
    case, created = service.open_draft(WAGES, "k-1")
    today = datetime.now(timezone.utc)
    assert created and case["status"] == "draft" and case["category"] == "wage_arrears"
    assert case["case_no"] == f"GY{today:%Y%m%d}-0001"
    assert service.open_draft(WAGES, "k-2")[0]["case_no"] == f"GY{today:%Y%m%d}-0002"
    assert case["history"][0]["to"] == "draft"


def test_the_same_key_never_makes_a_second_case(service):
    first, _ = service.open_draft(WAGES, "same")
    again, created = service.open_draft({**WAGES, "amount": 1}, "same")
    assert not created and again["case_no"] == first["case_no"] and again["amount"] == 8000
    assert len(service.list()) == 1


def test_concurrent_retries_make_one_case(service):
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: service.open_draft(WAGES, "storm")[0]["case_no"], range(16)))
    assert len(set(results)) == 1 and len(service.list()) == 1


def test_concurrent_drafts_get_distinct_numbers(service):
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda i: service.open_draft(WAGES, f"n-{i}")[0]["case_no"], range(20)))
    assert len(set(numbers)) == 20


def test_status_lifecycle_is_recorded(service):
    case, _ = service.open_draft(WAGES, "life")
    service.change_status(case["case_no"], "accepted", "op-1", "电话联系了")
    service.change_status(case["case_no"], "mediating", "op-1", "约了周三调解")
    # Mediation ends in an agreement (contract §6), closed once the money is confirmed or noted.
    with pytest.raises(InvalidCase):
        service.change_status(case["case_no"], "closed", "op-2", "调解成功")
    service.change_status(
        case["case_no"], "agreement", "op-2", "调解成功", {"instalments": [{"amount": 3000, "due": "2026-12-15"}]}
    )
    done = service.change_status(case["case_no"], "closed", "op-2", "单位当场付清")
    assert [h["to"] for h in done["history"]] == ["draft", "accepted", "mediating", "agreement", "closed"]
    assert done["history"][1]["actor"] == "op-1" and done["history"][1]["note"] == "电话联系了"
    with pytest.raises(InvalidCase):
        service.change_status(case["case_no"], "draft", "op-1")


def test_lookup_needs_the_follow_code_and_speaks_plainly(service):
    case, _ = service.open_draft(WAGES, "look")
    code = case["follow_code"]
    found = service.lookup(case["case_no"].lower(), code.lower())
    assert found["status"] == "draft" and "一年时效" in found["status_words"]
    # Status, category, station and dates only: nothing that names the worker.
    assert set(found) == {"case_no", "status", "status_words", "category", "station", "created_at", "updated_at"}
    assert service.lookup(case["case_no"], "5678") is None  # the phone's last four digits are not enough
    assert service.lookup(case["case_no"], "") is None
    assert service.lookup("GY20990101-0001", code) is None


@pytest.mark.parametrize(
    "category,door,never",
    [
        ("pension_adjustment", "行政复议", "可以申请劳动仲裁"),
        ("work_injury", "《工伤保险条例》第五十五条", "对结果不满意，可以申请劳动仲裁"),
        ("wage_arrears", "劳动争议仲裁委员会申请仲裁", "行政复议"),
    ],
)
def test_a_closed_case_names_the_door_of_its_category(service, category, door, never):
    case, _ = service.open_draft({**WAGES, "category": category}, f"door-{category}")
    service.change_status(case["case_no"], "closed", "op-1")
    words = service.lookup(case["case_no"], case["follow_code"])["status_words"]
    assert door in words and never not in words


def test_same_employer_drafts_link_and_three_make_a_collective(service):
    a, _ = service.open_draft({**WAGES, "employer": "巫溪县某鞋业有限公司"}, "c1")
    b, _ = service.open_draft({**WAGES, "employer": "巫溪县某鞋业公司"}, "c2")
    assert b["linked_cases"] == [a["case_no"]] and not b["collective"]
    c, _ = service.open_draft({**WAGES, "employer": "「巫溪县 某鞋业」"}, "c3")
    assert c["collective"] and c["priority"] > 1
    assert service.get(a["case_no"])["collective"]


def test_a_growing_group_relinks_every_member_older_and_newer(service, monkeypatch):
    # Several UPDATE statements for one group (the chunk made small): each member is linked.
    monkeypatch.setattr(service, "LINK_UPDATE_CHUNK", 2)
    first, _ = service.open_draft({**WAGES, "employer": "南岸区某物流公司"}, "g0")
    assert first["linked_cases"] == [] and not first["collective"]

    def updated_at():
        with service.sessions() as session:
            return session.execute(select(Case.updated_at).where(Case.case_no == first["case_no"])).scalar_one()

    before = updated_at()
    opened = [first] + [service.open_draft({**WAGES, "employer": "南岸区某物流公司"}, f"g{i}")[0] for i in range(1, 7)]
    numbers = [case["case_no"] for case in opened]
    for case in opened:
        seen = service.get(case["case_no"])
        assert seen["collective"] and seen["priority"] > 1
        assert seen["linked_cases"] == [n for n in numbers if n != case["case_no"]]
    assert updated_at() > before  # the change to the first draft is dated, as any change


def test_ten_workers_is_collective_at_once(service):
    case, _ = service.open_draft({**WAGES, "worker_count": 16, "employer": "另一家厂"}, "big")
    assert case["collective"] and case["priority"] > 1


def test_old_drafts_do_not_link(engine):
    upgrade(engine)
    past = CaseService(session_factory(engine), clock=lambda: datetime.now(timezone.utc) - timedelta(days=40))
    old, _ = past.open_draft(WAGES, "old")
    new, _ = CaseService(session_factory(engine)).open_draft(WAGES, "new")
    assert new["linked_cases"] == []


@pytest.mark.parametrize(
    "field,value",
    [("phone", "1381234567"), ("amount", -5), ("amount", 1e12), ("worker_count", "many"), ("category", "greet")],
)
def test_bad_fields_are_refused_and_nothing_is_stored(service, field, value):
    with pytest.raises(InvalidCase):
        service.open_draft({**WAGES, field: value}, f"bad-{field}")
    assert service.list() == []


def test_hostile_text_is_stored_verbatim(service):
    evil = "<script>alert(1)</script>'; DROP TABLE cases; --"
    case, _ = service.open_draft({**WAGES, "description": evil, "employer": evil}, "evil")
    assert service.get(case["case_no"])["description"] == evil
    assert len(service.list()) == 1


def test_long_description_is_kept_up_to_the_limit(service):
    case, _ = service.open_draft({**WAGES, "description": "欠" * 5000}, "long")
    assert len(case["description"]) == 1000


def test_handoff_keeps_the_transcript(service):
    service.record_handoff("w1", "fallback", [{"who": "worker", "text": "转人工"}], "13812345678")
    (handoff,) = service.handoffs()
    assert handoff["transcript"][0]["text"] == "转人工" and handoff["reason"] == "fallback"


def test_exports_mask_personal_data(service):
    case, _ = service.open_draft(WAGES, "mask")
    shown = masked(case)
    assert shown["phone"] == "138****5678" and shown["name"] == "孙*"


@pytest.mark.parametrize(
    "a,b",
    [
        ("巫溪县某鞋业有限公司", "巫溪县某鞋业公司"),
        ("那家火锅店", "火锅店"),
        ("重庆XX建筑劳务有限责任公司", "重庆XX建筑劳务"),
    ],
)
def test_employer_keys(a, b):
    assert employer_key(a) == employer_key(b)
