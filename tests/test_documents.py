"""Ready-to-file documents (issue 17, contract §7): every field and claim in place, amounts equal to
the calculators', the Chinese font embedded with no missing glyph, and a first page kept as an image."""

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from bot.documents import content, fonts
from bot.documents.files import document_file
from bot.law import calculators

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "documents"
TODAY = date(2026, 11, 30)

# The seed's case: 16 workers on a construction site, three months of wages, a subcontractor who
# left and the general contractor that pays first (保障农民工工资支付条例 §30).
CONSTRUCTION = {
    "case_no": "GY20261130-0016",
    "category": "wage_arrears",
    "name": "刘建国",
    "phone": "13512345678",
    "employer": "巫溪县某建筑劳务有限公司",
    "location": "重庆市巫溪县",
    "amount": 384000,
    "period_months": 3,
    "worker_count": 16,
    "station": {"id": "cq-wuxi-union", "name": "巫溪县总工会职工服务站"},
    "description": "包工头拖欠16名工人三个月工资后失联。",
    "details": {
        "sex": "男",
        "age": 46,
        "occupation": "钢筋工",
        "home_address": "重庆市巫溪县城厢镇",
        "general_contractor": "重庆某建工集团有限公司",
        "evidence": ["考勤表", "工友微信群聊天记录"],
        "roster": [
            {"name": f"工友{n}", "phone": f"1380000{n:04d}", "amount": 24000, "months": 3, "representative": n <= 3}
            for n in range(1, 17)
        ],
    },
}
DISMISSED = {
    "case_no": "GY20261130-0017",
    "category": "dismissal",
    "name": "王芳",
    "phone": "18623456789",
    "employer": "景德镇鸿发陶瓷厂",
    "location": "景德镇珠山区",
    "amount": None,
    "period_months": None,
    "worker_count": 1,
    "station": None,
    "description": "怀孕后被口头辞退。",
    "details": {"monthly_wage": 4500, "months_worked": 40},
}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("kind", sorted(content.KINDS))
@pytest.mark.parametrize("case", [CONSTRUCTION, DISMISSED], ids=["construction16", "dismissed"])
@pytest.mark.system
def test_every_field_and_claim_is_in_the_pdf_and_the_docx(case, kind):
    document = content.build(kind, case, TODAY)
    pdf, pdf_type, name = document_file(case, kind, "pdf", TODAY)
    docx, docx_type, _ = document_file(case, kind, "docx", TODAY)
    assert pdf.startswith(b"%PDF") and pdf_type == "application/pdf" and name == f"{case['case_no']}-{kind}.pdf"
    assert "wordprocessingml" in docx_type
    for text in (pdf_text(pdf).replace("\n", ""), docx_text(docx)):
        compact = text.replace(" ", "")
        assert content.KINDS[kind] in compact
        for value in (case["name"], case["phone"], case["employer"]):
            assert value in compact
        for claim in document.claims:
            assert claim.text.replace(" ", "") in compact
        assert "签名" in compact and "怎样递交" in compact


@pytest.mark.system
def test_construction_case_names_the_general_contractor_and_attaches_the_roster():
    document = content.build("arbitration", CONSTRUCTION, TODAY)
    assert [p.role for p in document.parties] == ["申请人", "被申请人", "被申请人（施工总承包单位）"]
    assert "副本2份" in document.text()  # one per respondent (劳动争议调解仲裁法 §28)
    text = pdf_text(document_file(CONSTRUCTION, "arbitration", "pdf", TODAY)[0])
    assert "重庆某建工集团有限公司" in text and "工友16" in text and "劳动者名单" in text
    assert "384,000元" in document.claims[0].text


@pytest.mark.unit
def test_dismissal_claim_equals_the_calculator():
    expected = calculators.economic_compensation(4500, 40)
    claim = content.build("arbitration", DISMISSED, TODAY).claims[-1]
    assert claim.amount == expected.amount and f"{expected.amount:,.0f}" in claim.text
    assert "第四十七条" in claim.basis


@pytest.mark.unit
def test_blank_lines_where_the_worker_gave_nothing():
    document = content.build("complaint", DISMISSED, TODAY)
    employer = document.parties[1]
    assert dict(employer.fields)["住所"] is None and "＿＿＿＿" in document.text()
    assert "两年" in document.text() and "第二十条" in document.text()


@pytest.mark.unit
def test_no_arbitration_application_for_a_pension_decision():
    with pytest.raises(content.NotApplicable) as refused:
        content.build("arbitration", {**DISMISSED, "category": "pension_adjustment"}, TODAY)
    assert "社会保险法" in refused.value.message
    assert content.build("complaint", {**DISMISSED, "category": "pension_adjustment"}, TODAY)


@pytest.mark.parametrize("kind", sorted(content.KINDS))
@pytest.mark.system
def test_every_character_has_a_glyph_and_the_first_page_is_kept(kind):
    document = content.build(kind, CONSTRUCTION, TODAY)
    assert fonts.missing_glyphs(document.text()) == set()
    data = document_file(CONSTRUCTION, kind, "pdf", TODAY)[0]
    assert b"/FontFile2" in data  # the TrueType font travels inside the file
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run the tests through `make test`"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{kind}.pdf"
    source.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(ARTIFACTS / f"{kind}-page1"),
        ],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / f"{kind}-page1.png").stat().st_size > 10_000


@pytest.mark.unit
def test_double_wage_claim_counts_only_to_the_leaving_date():
    case = {
        **DISMISSED,
        "category": "labor_contract",
        "details": {"monthly_wage": 6000, "start_date": "2026-03-01", "leaving_date": "2026-06-15"},
    }
    expected = calculators.double_wage_difference(6000, date(2026, 3, 1), None, today=TODAY, left=date(2026, 6, 15))
    claim = content.build("arbitration", case, TODAY).claims[0]
    assert claim.amount == expected.amount == 15000
