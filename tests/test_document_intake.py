"""The document form's rules (issue 17): which document is asked for, how each answer is read,
"不清楚" and corrections, the evidence checklist, the masked summary and what is sent."""

from datetime import date

import pytest

from bot.dialogue import document_intake as doc
from bot.stations import routing

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 30)
ID = "11010519491231002X"


@pytest.mark.parametrize(
    "text,kind",
    [
        ("帮我写仲裁申请书", "arbitration"),
        ("我不会写申请书", "arbitration"),
        ("帮我写劳动监察投诉书", "complaint"),
        ("给我弄个调解申请书", "mediation"),
        ("我要登记", None),
        ("老板欠我工资", None),
    ],
)
def test_the_document_a_message_asks_for(text, kind):
    assert doc.kind_asked(text) == kind


def test_a_pension_case_gets_the_complaint_not_an_arbitration():
    assert doc.kind_asked("帮我写申请书", "pension_adjustment") == "complaint"
    assert doc.document_offer("pension_adjustment")[1][0]["payload"] == '/open_case{"document": "complaint"}'
    assert doc.document_offer(None) is None


@pytest.mark.parametrize(
    "slot", [s for s in doc.SLOTS if s not in ("doc_consent", "doc_construction", "doc_confirmed")]
)
@pytest.mark.parametrize("said", ["不清楚", "跳过", "不记得了"])
def test_every_question_can_be_skipped(slot, said):
    assert doc.read(slot, said, TODAY) == (doc.UNKNOWN, None)


def test_the_id_number_is_read_and_checked():
    assert doc.read("doc_id_number", "1101 0519 4912 3100 2x", TODAY) == (ID, None)
    value, problem = doc.read("doc_id_number", "110105194912310021", TODAY)
    assert value is None and "校验码" in problem


def test_dates_wage_and_still_working():
    assert doc.read("doc_start_date", "2025年3月5日", TODAY) == ("2025-03-05", None)
    assert doc.read("doc_leaving_date", "还在干", TODAY) == (doc.WORKING, None)
    assert doc.read("doc_leaving_date", "2026年9月15日", TODAY) == ("2026-09-15", None)
    late, problem = doc.read("doc_leaving_date", "2024年1月1日", TODAY, {"doc_start_date": "2025-03-05"})
    assert late is None and "2025-03-05" in problem
    assert doc.read("doc_start_date", "2099年1月1日", TODAY)[0] is None
    assert doc.read("doc_monthly_wage", "六千五", TODAY) == (6500.0, None)
    assert doc.read("doc_monthly_wage", "好多", TODAY)[0] is None


@pytest.mark.parametrize(
    "said,site", [("是工地", True), ("在工地上干的 盖楼", True), (True, True), ("不是", False), ("在厂里", False)]
)
def test_construction_or_not(said, site):
    assert doc.read("doc_construction", said, TODAY) == (site, None)


def test_the_project_questions_only_on_a_construction_site():
    assert "doc_general_contractor" in doc.required({"doc_construction": True})
    assert "doc_general_contractor" not in doc.required({"doc_construction": False})
    assert "doc_general_contractor" not in doc.required({})


def test_evidence_is_ticked_one_by_one_or_in_a_sentence():
    have, done = doc.add_evidence("工资条", [])
    assert have == ["工资条"] and not done
    have, done = doc.add_evidence("还有微信转账和打卡记录", have)
    assert have == ["工资条", "转账记录", "考勤"] and not done
    have, done = doc.add_evidence("工资条", have)
    assert have == ["工资条", "转账记录", "考勤"]
    assert doc.add_evidence("选好了", have) == (have, True)
    assert doc.add_evidence("都没有", []) == ([], True)
    text, buttons = doc.evidence_question("wage_arrears", have)
    assert "工资条、转账记录、考勤" in text and buttons[0] == doc.DONE and "工资条" not in buttons
    first, choices = doc.evidence_question("dismissal", [])
    assert "劳动合同" in choices and "辞退通知" in choices


def test_witnesses_are_split_and_none_is_an_answer():
    assert doc.read("doc_witnesses", "李强，王红和张有才", TODAY) == (["李强", "王红", "张有才"], None)
    assert doc.read("doc_witnesses", "没有", TODAY) == (doc.UNKNOWN, None)


@pytest.mark.parametrize(
    "text,field",
    [
        ("身份证号写错了", "doc_id_number"),
        ("住址不对", "doc_home_address"),
        ("公司地址要改一下", "doc_employer_address"),
        ("入职时间写错了", "doc_start_date"),
        ("工资填错了", "doc_monthly_wage"),
        ("总包单位写错了", "doc_general_contractor"),
        ("工资条", None),
    ],
)
def test_a_correction_names_its_question(text, field):
    assert doc.correction_field(text) == field


def test_the_summary_masks_the_id_number_and_lists_skips():
    slots = {"doc_id_number": ID, "doc_home_address": doc.UNKNOWN, "doc_construction": False, "doc_kind": "arbitration"}
    text = doc.summary(slots)
    assert ID not in text and "110105********002X" in text
    assert "家庭住址：（未填）" in text and "仲裁申请书" in text and "施工总承包单位" not in text


def test_what_is_sent_leaves_unknowns_blank():
    consent = {"version": "2026-11-doc-v1", "at": "2026-11-30T08:00:00+00:00"}
    slots = {
        "doc_kind": "arbitration",
        "doc_id_number": ID,
        "doc_home_address": doc.UNKNOWN,
        "doc_leaving_date": doc.WORKING,
        "doc_construction": True,
        "doc_general_contractor": "某建工集团",
        "doc_evidence": ["考勤"],
    }
    sent = doc.details(slots, consent)
    assert sent["id_number"] == ID and sent["home_address"] is None and sent["leaving_date"] is None
    assert sent["still_working"] is True and sent["construction"] is True
    assert sent["general_contractor"] == "某建工集团" and sent["consent"] == consent
    assert "general_contractor" not in doc.details({**slots, "doc_construction": False}, consent)


def test_the_ready_text_links_the_document_and_says_how_to_file():
    text = doc.ready_text(
        "GY20261130-0001",
        "arbitration",
        "https://gongyou.example.cn",
        {"construction": True, "general_contractor": "某建工集团"},
    )
    assert "https://gongyou.example.cn/follow?case=GY20261130-0001" in text and "查询码" in text
    assert "第二十一条" in text and "第二十七条" in text and "签名" in text
    assert "第三十条" in text and "第三十六条" in text and "某建工集团" in text
    plain = doc.ready_text("GY20261130-0001", "arbitration", "", {"construction": False})
    assert "第三十条" not in plain and "“查进度”页面输入登记编号 GY20261130-0001" in plain and "/follow" not in plain


def test_construction_routing_names_the_articles():
    assert routing.construction_basis({}) is None
    told = routing.construction_basis({"construction": True})
    assert "第三十条" in told and "第三十六条" in told and "告示牌" in told


def test_a_cancel_ends_the_form_whatever_was_asked():
    assert doc.cancels("取消") and doc.cancels("算了 不写了") and not doc.cancels("不清楚")
    assert doc.required({"doc_confirmed": False}) == []
    assert doc.required({"doc_construction": True, "doc_confirmed": None})[0] == "doc_consent"


def test_the_general_contractor_pays_first_only_for_owed_wages():
    from bot.documents import content

    site = {"general_contractor": "重庆某建工集团有限公司", "construction": True}
    wages = {"category": "wage_arrears", "employer": "某劳务公司", "amount": 16000, "details": site}
    text = content.build("arbitration", wages, TODAY).text()
    assert "重庆某建工集团有限公司（施工总承包单位）对上述劳动报酬先行清偿" in text
    injury = {**wages, "category": "work_injury", "amount": None}
    assert "先行清偿" not in content.build("arbitration", injury, TODAY).text()
