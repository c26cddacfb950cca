"""Documents over the running web side (contract §7): the operator token or the worker's number and
follow code; 401 and 404 as the contract says; nothing cached; the right route for the category."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import SERVICE_TOKEN

pytestmark = [pytest.mark.stack, pytest.mark.system]

CONSENT = {"version": "2026-11-v1", "at": "2026-11-30T08:00:00Z"}


def a_case(stack, **fields):
    body = {
        "category": "wage_arrears",
        "name": "赵春梅",
        "phone": "13912345678",
        "employer": "渝中区某火锅店",
        "location": "渝中区",
        "amount": 12000,
        "period_months": 3,
        "consent": CONSENT,
        **fields,
    }
    reply = stack.api("/api/cases", method="POST", json=body, token=SERVICE_TOKEN)
    assert reply.status_code == 201
    return reply.json()


def test_operator_downloads_each_kind_and_format(stack):
    case = a_case(stack)
    for name in ("arbitration.pdf", "complaint.pdf", "mediation.pdf", "arbitration.docx"):
        reply = stack.api(f"/api/cases/{case['case_no']}/documents/{name}")
        assert reply.status_code == 200, reply.text
        assert reply.headers["Cache-Control"] == "no-store"
        assert f'filename="{case["case_no"]}-{name}"' in reply.headers["Content-Disposition"]
    text = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(stack.api(f"/api/cases/{case['case_no']}/documents/arbitration.pdf").content)
        ).pages
    )
    assert "赵春梅" in text and "12,000元" in text and "劳动人事争议仲裁申请书" in text


def test_contract_answers_without_a_token_or_for_an_unknown_case(stack):
    case = a_case(stack)
    assert stack.api(f"/api/cases/{case['case_no']}/documents/arbitration.pdf", token=None).status_code == 401
    assert stack.api(f"/api/cases/{case['case_no']}/documents/arbitration.pdf", token="wrong").status_code == 401
    assert stack.api("/api/cases/GY20990101-0001/documents/arbitration.pdf").status_code == 404
    assert stack.api(f"/api/cases/{case['case_no']}/documents/will.pdf").status_code == 404
    assert stack.api(f"/api/cases/{case['case_no']}/documents/arbitration.exe").status_code == 404


def test_no_arbitration_paper_for_a_pension_case(stack):
    case = a_case(stack, category="pension_adjustment")
    reply = stack.api(f"/api/cases/{case['case_no']}/documents/arbitration.pdf")
    assert reply.status_code == 409 and "社会保险法" in reply.json()["error"]
    assert stack.api(f"/api/cases/{case['case_no']}/documents/complaint.pdf").status_code == 200


def test_worker_gets_the_document_with_number_and_code_only(stack):
    import requests

    case = a_case(stack)
    url = f"{stack.web}/api/follow/documents"
    mine = {"case_no": case["case_no"], "follow_code": case["follow_code"], "file": "complaint.pdf"}
    reply = requests.post(url, json=mine, timeout=60)
    assert reply.status_code == 200 and reply.content.startswith(b"%PDF")
    assert reply.headers["Cache-Control"] == "no-store"
    assert requests.post(url, json={**mine, "follow_code": "ABCDEFGH"}, timeout=60).status_code == 404
    assert requests.post(url, json={**mine, "file": "../../etc/passwd"}, timeout=60).status_code == 400
    assert requests.post(url, data=b"not json", timeout=60).status_code == 400
