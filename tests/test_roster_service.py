"""The group roster service (issue 17) on real SQLite and PostgreSQL databases: a collective case's group code,
joining with it, operators' members, 3–5 representatives (劳动争议调解仲裁法 §7), erasure."""

from datetime import datetime, timezone

import pytest

from bot.cases.erasure import Eraser
from bot.cases.group_code import find_code, join_span, normalise_code
from bot.cases.roster import RosterProblem, RosterService, masked_member
from bot.cases.service import CaseService
from bot.console.audit import Audit
from bot.dialogue import privacy_notice
from bot.storage.engine import make_engine, session_factory, upgrade
from tests.services import create_database, drop_database, unique

pytestmark = pytest.mark.db

CONSENT = privacy_notice.agreement(datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc))
FIRST = {
    "category": "wage_arrears",
    "name": "孙芳",
    "phone": "13812345678",
    "employer": "某建筑劳务公司",
    "location": "巫溪县",
    "amount": 200000,
    "period_months": 3,
    "worker_count": 16,
    "sender_id": "rest-first",
    "consent": CONSENT,
}


@pytest.fixture(params=["sqlite", "postgresql"])
def services(request, tmp_path):
    """On SQLite and on PostgreSQL (production's database): a missing server fails, never skips."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    else:
        name = unique()
        engine = make_engine(create_database(name))
    upgrade(engine)
    upgrade(engine)  # the new migration is idempotent too
    sessions = session_factory(engine)
    yield CaseService(sessions), RosterService(sessions)
    engine.dispose()
    if request.param == "postgresql":
        drop_database(name)


@pytest.fixture
def opened(services):
    cases, rosters = services
    case, _ = cases.open_draft(FIRST, "first-key")
    return case, rosters.open_group(case["case_no"])


def test_a_group_gets_one_code_that_is_not_the_case_number(services, opened):
    cases, rosters = services
    case, group = opened
    assert normalise_code(group["code"]) == group["code"] and group["code"] not in case["case_no"]
    assert rosters.open_group(case["case_no"])["code"] == group["code"]  # asked again: the same code
    # The worker who opened the case is the first member, with the consent the case recorded.
    (first,) = group["members"]
    assert first["name"] == "孙芳" and first["phone"] == "13812345678" and first["consent_at"]
    assert first["amount"] is None  # 200,000 is the 16 workers' total, not hers
    assert first["months"] == 3
    other, _ = cases.open_draft({**FIRST, "employer": "另一家公司", "phone": "13900000000"}, "other-key")
    assert rosters.open_group(other["case_no"])["code"] != group["code"]
    assert rosters.open_group("GY20990101-9999") is None


def test_workers_join_by_code_and_a_second_join_updates(services, opened):
    _, rosters = services
    case, group = opened
    code = group["code"]
    joined = rosters.join(
        code.lower(),
        {"name": "王强", "phone": "139 1111 2222", "amount": "一万二", "months": "三个月"},
        CONSENT,
        "rest-w",
    )
    assert joined["employer"] == "某建筑劳务公司" and joined["members"] == 2
    again = rosters.join(code[:3] + "-" + code[3:], {"name": "王强", "phone": "13911112222", "amount": 13000}, CONSENT)
    assert again["members"] == 2
    wang = rosters.group(case["case_no"])["members"][1]
    assert (wang["name"], wang["phone"], wang["amount"], wang["months"]) == ("王强", "13911112222", 13000, 3)
    assert wang["consent_version"] == privacy_notice.VERSION and wang["added_by"] == "worker"


def test_wrong_or_forged_codes_change_nothing(services, opened):
    _, rosters = services
    case, group = opened
    before = rosters.group(case["case_no"])
    worker = {"name": "李梅", "phone": "13722223333"}
    forged = "".join("A" if c != "A" else "B" for c in group["code"])
    for code in (forged, "", "123", case["case_no"], group["code"] + "X", "' OR 1=1 --"):
        assert rosters.join(code, worker, CONSENT) is None
        assert rosters.check_code(code) is None
    with pytest.raises(RosterProblem):
        rosters.join(group["code"], worker, None)  # no consent, no row
    with pytest.raises(RosterProblem) as bad:
        rosters.join(group["code"], {"name": "李梅", "phone": "1372222"}, CONSENT)
    assert "11位" in bad.value.message
    assert rosters.group(case["case_no"]) == before


def test_three_to_five_representatives(services, opened):
    _, rosters = services
    case, group = opened
    for i, name in enumerate(["王强", "李梅", "赵刚", "钱亮", "周海"]):
        rosters.add_member(case["case_no"], {"name": name, "phone": f"1391111000{i}"}, "operator-token")
    ids = [m["id"] for m in rosters.group(case["case_no"])["members"]]
    assert len(ids) == 6
    for wrong in (ids[:2], ids[:6], [ids[0], ids[1], 99999], ["x", "y", "z"]):
        with pytest.raises(RosterProblem):
            rosters.choose_representatives(case["case_no"], wrong)
    assert not any(m["representative"] for m in rosters.group(case["case_no"])["members"])
    rosters.choose_representatives(case["case_no"], ids[:3])
    marked = rosters.choose_representatives(case["case_no"], ids[2:5])  # a new choice replaces the old
    assert [m["representative"] for m in marked] == [False, False, True, True, True, False]
    printed = rosters.for_document(case["case_no"])
    # Representatives are reachable in full; the others' phones are partly hidden on paper.
    assert printed[2]["phone"] == "13911110001" and printed[0]["phone"] == "138****5678"
    attached = rosters.attach({"case_no": case["case_no"], "details": {"sex": "女"}})
    assert attached["details"]["sex"] == "女" and len(attached["details"]["roster"]) == 6


def test_erasing_the_case_erases_the_roster(services, opened):
    cases, rosters = services
    case, group = opened
    rosters.join(group["code"], {"name": "王强", "phone": "13911112222", "amount": 8000}, CONSENT, "rest-w")
    done = Eraser(cases, Audit(cases.sessions)).erase(case["case_no"], "test")
    assert done["case"] is True
    members = rosters.group(case["case_no"])["members"]
    assert all(m["name"] is None and m["phone"] is None and m["erased"] for m in members)
    assert members[1]["amount"] == 8000  # the non-personal figure stays for statistics
    assert rosters.for_document(case["case_no"]) == []
    assert rosters.join(group["code"], {"name": "李梅", "phone": "13722223333"}, CONSENT) is None  # closed


def test_one_member_is_erased_alone(services, opened):
    _, rosters = services
    case, group = opened
    rosters.join(group["code"], {"name": "王强", "phone": "13911112222"}, CONSENT, "rest-w")
    wang = rosters.group(case["case_no"])["members"][1]
    assert rosters.erase_member(case["case_no"], wang["id"]) == "rest-w"
    assert rosters.erase_member(case["case_no"], wang["id"]) is None  # gone already
    assert [m["name"] for m in rosters.for_document(case["case_no"])] == ["孙芳"]


def test_codes_in_chat_and_masking():
    assert find_code("我要加入 群码 k7p-q4x") == "K7PQ4X"
    assert find_code("工友让我加入") is None
    assert find_code("GY20261123-0042") is None
    for joining in ("工友让我加入", "我要加入 群码 K7PQ4X", "帮工友加入名单", "再加一个老乡"):
        assert join_span(joining), joining
    for other in ("我想加入工会", "怎么加入社保", "帮我登记", "我们16个工人被欠工资", "帮我们工友登记一下"):
        assert join_span(other) is None, other
    shown = masked_member({"name": "王强", "phone": "13911112222", "amount": 1})
    assert shown["name"] == "王*" and "1111" not in shown["phone"]


def test_the_arbitration_documents_attach_the_roster(services, opened):
    import io
    from datetime import date

    from docx import Document as Docx
    from pypdf import PdfReader

    from bot.documents.files import document_file

    cases, rosters = services
    case, group = opened
    rosters.join(group["code"], {"name": "王强", "phone": "13911112222", "amount": 12000, "months": 3}, CONSENT)
    rosters.join(group["code"], {"name": "李梅", "phone": "13722223333"}, CONSENT)
    ids = [m["id"] for m in rosters.group(case["case_no"])["members"]]
    rosters.choose_representatives(case["case_no"], ids)
    full = rosters.attach(cases.get(case["case_no"]))
    pdf = document_file(full, "arbitration", "pdf", date(2026, 11, 30))[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "附：劳动者名单3人" in text and "第七条" in text
    for shown in ("孙芳", "13812345678", "王强", "13911112222", "12000", "李梅", "13722223333"):
        assert shown in text
    docx = document_file(full, "arbitration", "docx", date(2026, 11, 30))[0]
    rows = [[c.text for c in row.cells] for t in Docx(io.BytesIO(docx)).tables for row in t.rows]
    assert ["2", "王强", "13911112222", "12000", "3", "是"] in rows
    # Without a roster the document is a single worker's, with no list attached.
    alone = document_file(cases.get(case["case_no"]), "arbitration", "pdf", date(2026, 11, 30))[0]
    assert "劳动者名单" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(alone)).pages)
