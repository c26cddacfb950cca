"""The document form through the real Rasa server (REST channel), from "帮我写仲裁申请书" with no
case yet to the worker's own PDF (issue 17): the intake first, the document's own notice, a
"不清楚", a correction, the construction questions; then the PDF's text holds the fields and the
claims, and the ID number appears unmasked in no log, list or chat echo."""

import io
import re
import uuid

import pytest
import requests
from pypdf import PdfReader

from bot.cases.id_number import masked
from bot.cases.numbers import PATTERN as CASE_NUMBER

pytestmark = pytest.mark.stack

FIRST_ID = "11010519491231002X"  # typed first, then corrected
ID = "50023719800615179X"  # the right one (check digit X: GB 11643)
WRONG_CHECK = "500237198006151791"


def say(stack, sender, message):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert reply.status_code == 200
    return "\n".join(m.get("text") or "" for m in reply.json())


# What the worker answers to each intake question, found by the question's words (the intake
# asks only what the complaint did not already say, so the order is not fixed).
INTAKE = (
    ("请核对", "/affirm"),  # first: the summary names every other question's words
    ("登记前", "/affirm"),
    ("姓名", "刘建国"),
    ("手机号", None),  # the test's own phone
    ("单位的全称", "巫溪县某建筑劳务有限公司"),
    ("在哪里干活", "巫溪县"),
    ("涉及多少钱", "两万四"),
    ("持续多久", "三个月"),
    ("几个人", "就我一个人"),
    ("经过", "包工头周某拖欠三个月工资后不接电话，我有工资条和考勤。"),
)


def open_case_for_the_document(stack, sender, phone):
    """The intake, answered question by question, up to the case number and its follow code."""
    reply = say(stack, sender, "帮我写仲裁申请书")
    assert "先登记" in reply
    for _ in range(15):
        if re.search(CASE_NUMBER, reply):
            return reply
        answer = next((a for cue, a in INTAKE if cue in reply), "不清楚")
        reply = say(stack, sender, phone if answer is None else answer)
    pytest.fail("the intake did not open a case: " + reply)


def test_a_document_from_the_chat_with_a_skip_and_a_correction(stack):
    sender = f"doc-{uuid.uuid4().hex[:8]}"
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    assert "拖欠工资" in say(stack, sender, "包工头欠了我三个月工资，一共两万四")
    done = open_case_for_the_document(stack, sender, phone)
    case_no = re.search(CASE_NUMBER, done).group(0)
    code = re.search(r"查询码是 ([A-Z0-9]{8})", done).group(1)
    # The case opened, the document form follows at once with its own notice.
    assert "身份证号" in done and "同意" in done

    asked = say(stack, sender, "/affirm")
    assert "身份证号" in asked
    assert "校验码" in say(stack, sender, WRONG_CHECK)  # one digit off: asked again
    assert "住在哪里" in say(stack, sender, FIRST_ID)
    assert "注册地址" in say(stack, sender, "不清楚")  # the home address is skipped
    assert "法定代表人" in say(stack, sender, "巫溪县工业园区8号")
    assert "开始在这里干活" in say(stack, sender, "钱大有")
    assert "还在干" in say(stack, sender, "2026年3月1日")
    assert "工资" in say(stack, sender, "还在干")
    assert "建筑工地" in say(stack, sender, "8000")
    assert "项目" in say(stack, sender, "是工地")
    assert "总承包" in say(stack, sender, "滨河安置房二期")
    assert "包工头" in say(stack, sender, "重庆某建工集团有限公司")
    assert "证据" in say(stack, sender, "包工头周某")
    assert "已选：工资条" in say(stack, sender, "工资条")
    assert "已选：工资条、考勤" in say(stack, sender, "考勤")
    assert "作证" in say(stack, sender, "选好了")
    summary = say(stack, sender, "李强，王红")
    assert "请核对" in summary and masked(FIRST_ID) in summary and FIRST_ID not in summary
    assert "家庭住址：（未填）" in summary and "重庆某建工集团有限公司" in summary

    # A correction at the summary: only the ID number is asked again.
    assert "身份证号" in say(stack, sender, "身份证号写错了")
    summary = say(stack, sender, ID)
    assert masked(ID) in summary and ID not in summary and "钱大有" in summary
    ready = say(stack, sender, "/affirm")
    assert "查进度" in ready and case_no in ready and "查询码" in ready and "第二十一条" in ready
    assert "第三十条" in ready and "第三十六条" in ready

    # The operator's case detail has it all; the list masks the ID number.
    case = stack.api(f"/api/cases/{case_no}").json()
    d = case["details"]
    assert case["id_number"] == ID and d["sex"] == "男" and "home_address" not in d
    assert d["employer_address"] == "巫溪县工业园区8号" and d["legal_representative"] == "钱大有"
    assert d["start_date"] == "2026-03-01" and d["still_working"] is True and d["monthly_wage"] == 8000
    assert d["general_contractor"] == "重庆某建工集团有限公司" and d["subcontractor"] == "包工头周某"
    assert d["evidence"] == ["工资条", "考勤"] and d["witnesses"] == ["李强", "王红"]
    listed = stack.api("/api/cases").text
    assert ID not in listed and FIRST_ID not in listed and masked(ID) in listed

    # The worker's own PDF, with the number and the follow code.
    pdf = requests.post(
        f"{stack.web}/api/follow/documents",
        json={"case_no": case_no, "follow_code": code, "file": "arbitration.pdf"},
        timeout=60,
    )
    assert pdf.status_code == 200 and pdf.headers["Cache-Control"] == "no-store"
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    for field in (
        "刘建国",
        ID,
        "巫溪县某建筑劳务有限公司",
        "巫溪县工业园区8号",
        "钱大有",
        "重庆某建工集团有限公司",
        "施工总承包单位",
        "滨河安置房二期",
        "24,000元",
        "先行清偿",
        "第三十条",
        "工资条",
        "李强",
        "2026-03-01",
        "8,000元",
    ):
        assert field in text, field
    assert FIRST_ID not in text

    # No log of the running stack holds either ID number in full.
    logs = "".join(p.read_text(errors="replace") for p in stack.workdir.glob("*.log"))
    assert "launcher" in " ".join(p.name for p in stack.workdir.glob("*.log")) and logs.strip()
    assert ID not in logs and FIRST_ID not in logs and WRONG_CHECK not in logs


def test_a_document_for_the_case_just_opened_and_a_no_to_its_notice(stack):
    sender = f"doc-{uuid.uuid4().hex[:8]}"
    assert "拖欠工资" in say(stack, sender, "老板欠我两个月工资八千块")
    reply = say(stack, sender, "/open_case")
    for _ in range(15):
        if re.search(CASE_NUMBER, reply):
            break
        answer = next((a for cue, a in INTAKE if cue in reply), "不清楚")
        reply = say(stack, sender, f"137{uuid.uuid4().int % 10**8:08d}" if answer is None else answer)
    case_no = re.search(CASE_NUMBER, reply).group(0)
    assert "不会写申请书也没关系" in reply  # the offer under the new case, a button
    notice = say(stack, sender, '/open_case{"document": "arbitration"}')
    assert "身份证号" in notice and "同意" in notice
    declined = say(stack, sender, "/deny")
    assert "不保存" in declined
    details = stack.api(f"/api/cases/{case_no}").json()["details"]
    assert "document_consent" not in details and "id_number" not in details
