"""What a document needs, stored on the case (issue 17) on the real databases (SQLite file and
PostgreSQL on localhost:5432): checked on the way in, laid out as the document reads it, masked
outside the case detail, and erased with the rest of the worker's personal data (contract §5)."""

import json
import logging
from datetime import date, datetime, timezone

import pytest
from alembic import command
from alembic.config import Config

from bot.cases.client import Outbox
from bot.cases.erasure import Eraser
from bot.cases.lifecycle import InvalidCase
from bot.cases.service import CaseService, masked
from bot.console.audit import Audit
from bot.console.exports import to_csv
from bot.documents import content
from bot.storage.engine import MIGRATIONS, session_factory
from bot.storage.tables import Case
from tests.test_case_privacy import NoRasa
from tests.test_case_service import WAGES, engine, service  # noqa: F401  (fixtures: both databases)

pytestmark = pytest.mark.db

ID = "50023719800615179X"  # check digit X (GB 11643), born 1980-06-15, 17th digit odd: a man
DOC_CONSENT = {"version": "2026-11-doc-v1", "at": "2026-11-30T08:05:00Z"}
DETAILS = {
    "consent": DOC_CONSENT,
    "id_number": ID,
    "home_address": "重庆市巫溪县城厢镇滨河路12号",
    "employer_address": "重庆市巫溪县工业园区8号",
    "legal_representative": "钱大有",
    "start_date": "2025-03-01",
    "leaving_date": "2026-09-15",
    "monthly_wage": 6500,
    "construction": True,
    "project_name": "巫溪县滨河安置房二期",
    "general_contractor": "重庆某建工集团有限公司",
    "subcontractor": "包工头周某",
    "evidence": ["考勤", "欠条"],
    "witnesses": ["李强", "王红"],
}
PERSONAL_WORDS = (ID, "滨河路12号", "钱大有", "包工头周某", "李强", "王红", "工业园区8号")


def opened(service, sender="rest-doc-1"):
    case, _ = service.open_draft({**WAGES, "sender_id": sender}, f"{sender}:1")
    return case["case_no"]


def test_the_id_number_is_checked_by_its_check_digit(service):
    case_no = opened(service)
    with pytest.raises(InvalidCase) as refused:
        service.save_details(case_no, {**DETAILS, "id_number": ID[:-1] + "1"}, "rest-doc-1")
    assert refused.value.field == "id_number" and "校验码" in refused.value.message
    assert service.get(case_no)["id_number"] is None


def test_personal_details_need_the_documents_own_consent(service):
    case_no = opened(service)
    without = {k: v for k, v in DETAILS.items() if k != "consent"}
    with pytest.raises(InvalidCase) as refused:
        service.save_details(case_no, without, "rest-doc-1")
    assert refused.value.field == "consent"
    # Facts that name nobody need none: a wage and dates.
    assert service.save_details(case_no, {"monthly_wage": 5000, "start_date": "2025-01-01"}, "rest-doc-1")


def test_the_bot_writes_only_to_its_own_conversations_case(service):
    case_no = opened(service)
    assert service.save_details(case_no, DETAILS, "rest-someone-else") is None
    assert service.save_details("GY20990101-0001", DETAILS, "rest-doc-1") is None
    assert service.get(case_no)["id_number"] is None


def test_bad_dates_and_wages_are_refused_with_a_reason(service):
    case_no = opened(service)
    for wrong, field in (
        ({"start_date": "2026-05-01", "leaving_date": "2026-01-01"}, "leaving_date"),
        ({"start_date": "2099-01-01"}, "start_date"),
        ({"monthly_wage": -5}, "monthly_wage"),
        ({"monthly_wage": "很多"}, "monthly_wage"),
        ({"evidence": "工资条"}, "evidence"),
    ):
        with pytest.raises(InvalidCase) as refused:
            service.save_details(case_no, wrong, "rest-doc-1")
        assert refused.value.field == field and refused.value.message


def test_the_case_detail_holds_what_the_document_reads(service):
    case_no = opened(service)
    saved = service.save_details(case_no, DETAILS, "rest-doc-1")
    assert "id_number" in saved and "general_contractor" in saved
    case = service.get(case_no)
    d = case["details"]
    assert case["id_number"] == ID and d["id_number"] == ID
    today = date.today()
    assert d["sex"] == "男" and d["age"] == today.year - 1980 - (today < date(today.year, 6, 15))  # from the number
    assert d["home_address"] == DETAILS["home_address"] and d["legal_representative"] == "钱大有"
    assert d["start_date"] == "2025-03-01" and d["leaving_date"] == "2026-09-15"
    assert d["months_worked"] == 18 and d["monthly_wage"] == 6500
    assert d["general_contractor"] == "重庆某建工集团有限公司" and d["evidence"] == ["考勤", "欠条"]
    assert d["document_consent"] == DOC_CONSENT
    # A later call adds to what is there.
    service.save_details(case_no, {"witnesses": ["赵六"]}, "rest-doc-1")
    assert service.get(case_no)["details"]["witnesses"] == ["赵六"]
    assert service.get(case_no)["details"]["home_address"] == DETAILS["home_address"]

    text = content.build("arbitration", service.get(case_no), date(2026, 11, 30)).text()
    for shown in (
        ID,
        "男",
        str(case["details"]["age"]),
        DETAILS["home_address"],
        "钱大有",
        "重庆某建工集团有限公司",
        "考勤",
        "赵六",
    ):
        assert shown in text, shown
    assert "施工总承包单位" in text and "第三十条" in text and "巫溪县滨河安置房二期" in text


def test_no_general_contractor_is_named_off_a_construction_site(service):
    case_no = opened(service)
    service.save_details(case_no, {**DETAILS, "construction": False}, "rest-doc-1")
    case = service.get(case_no)
    assert "general_contractor" not in case["details"]
    text = content.build("arbitration", case, date(2026, 11, 30)).text()
    assert "重庆某建工集团有限公司" not in text and "施工总承包单位" not in text


def test_lists_exports_and_logs_mask_the_id_number(service, caplog):
    caplog.set_level(logging.DEBUG)
    case_no = opened(service)
    service.save_details(case_no, DETAILS, "rest-doc-1")
    listed = json.dumps(service.list(), ensure_ascii=False)
    shown = json.dumps(masked(service.get(case_no)), ensure_ascii=False)
    with service.sessions() as session:
        exported = to_csv(session.query(Case).all()).decode("utf-8-sig")
    for out in (listed, shown, exported):
        assert ID not in out
        assert "滨河路12号" not in out and "钱大有" not in out
    assert "500237********179X" in listed and "500237********179X" in shown
    Eraser(service, Audit(service.sessions), NoRasa(), None).erase(case_no, "op-boss")
    assert ID not in caplog.text and "滨河路12号" not in caplog.text


def test_erasure_removes_the_new_personal_fields_and_keeps_the_facts(service, tmp_path):
    case_no = opened(service)
    service.save_details(case_no, DETAILS, "rest-doc-1")
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    Eraser(service, Audit(service.sessions), NoRasa(), outbox).erase(case_no, "op-boss")
    after = service.get(case_no)
    assert after["id_number"] is None
    kept = after["details"]
    for field in ("id_number", "home_address", "employer_address", "legal_representative", "subcontractor"):
        assert field not in kept, field
    assert "witnesses" not in kept and "sex" not in kept and "age" not in kept
    assert kept["monthly_wage"] == 6500 and kept["general_contractor"] == "重庆某建工集团有限公司"
    assert kept["evidence"] == ["考勤", "欠条"] and kept["start_date"] == "2025-03-01"
    with service.sessions() as session:
        row = session.query(Case).filter(Case.case_no == case_no).one()
        stored = " ".join(str(getattr(row, c.name)) for c in Case.__table__.columns)
    for word in PERSONAL_WORDS:
        assert word not in stored, word


def test_the_migration_goes_down_and_up_again(engine):  # noqa: F811
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", str(engine.url).replace("%", "%%"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        command.downgrade(config, "0008_rosters")
        command.upgrade(config, "head")
    service = CaseService(session_factory(engine), clock=lambda: datetime(2026, 11, 30, 9, tzinfo=timezone.utc))
    case_no = opened(service)
    assert service.save_details(case_no, {"monthly_wage": 4000}, "rest-doc-1") == ["monthly_wage"]
