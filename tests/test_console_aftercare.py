"""The console's outcome forms and 回访 desk over its API on the real running GongYou: an agreement
with instalments, the call list for a worker with only a phone, answers recorded by phone, the
overdue list, and the station scope of each."""

import pytest

from tests.test_console_api import Browser, add_operator, draft

pytestmark = pytest.mark.stack

STATION = "cq-wuxi-hrss"


def to_agreement(boss, case_no, instalments):
    for status, extra in (("accepted", {}), ("mediating", {}), ("agreement", {"instalments": instalments})):
        reply = boss.post(f"/api/console/cases/{case_no}/status", json={"status": status, "note": "测试", **extra})
        assert reply.status_code == 200, reply.text
    return reply.json()


def test_the_detail_offers_only_the_moves_of_the_category(stack):
    boss = Browser(stack, add_operator(stack))
    pension = draft(stack, category="pension_adjustment")
    assert boss.post(
        f"/api/console/cases/{pension['case_no']}/status", json={"status": "accepted", "note": "已联系"}
    ).ok
    detail = boss.get(f"/api/console/cases/{pension['case_no']}").json()
    assert "mediating" not in detail["moves"] and "referred" in detail["moves"]
    assert "arbitration" not in detail["targets"] and "court" in detail["targets"]
    assert detail["worker_view"]["clocks"] == []
    refused = boss.post(
        f"/api/console/cases/{pension['case_no']}/status", json={"status": "mediating", "note": "试试调解"}
    )
    assert refused.status_code == 409 and "社会保险法" in refused.json()["error"]
    wages = draft(stack)
    detail = boss.get(f"/api/console/cases/{wages['case_no']}").json()
    assert [c["kind"] for c in detail["worker_view"]["clocks"]] == ["limitation"]


def test_a_phone_only_worker_is_on_the_call_list_and_the_answer_by_phone_counts(stack):
    boss = Browser(stack, add_operator(stack))
    case = draft(stack, station_id=STATION, station_name="巫溪县人社局", name="钱七", phone="13811112222")
    no = case["case_no"]
    to_agreement(boss, no, [{"amount": 3000, "due": "2031-01-10"}, {"amount": 3000, "due": "2031-02-10"}])
    bad = boss.post(
        f"/api/console/cases/{no}/status", json={"status": "agreement", "note": "x", "instalments": [{"amount": -1}]}
    )
    assert bad.status_code == 409
    assert stack.api("/api/followups/run", method="POST", json={"now": "2031-01-10T09:30:00+08:00"}).json()["sent"] >= 1

    lists = boss.get("/api/console/aftercare").json()
    call = next(c for c in lists["calls"] if c["case_no"] == no)
    assert call["kind"] == "instalment" and call["seq"] == 1 and call["phone"] == "13811112222"
    assert "第一期3000元" in call["question"]

    # Someone else's station sees neither the call nor the case.
    other = Browser(stack, add_operator(stack, "station", "jdz-taoxichuan"))
    assert all(c["case_no"] != no for c in other.get("/api/console/aftercare").json()["calls"])
    assert other.post(f"/api/console/followups/{call['id']}/answer", json={"answer": "没有"}).status_code == 404
    own = Browser(stack, add_operator(stack, "station", STATION))
    assert any(c["case_no"] == no for c in own.get("/api/console/aftercare").json()["calls"])

    assert own.post(f"/api/console/followups/{call['id']}/answer", json={"answer": "嗯嗯好的吧"}).status_code == 422
    answered = own.post(f"/api/console/followups/{call['id']}/answer", json={"answer": "没有"})
    assert answered.status_code == 200 and answered.json()["answer"] == "missing"
    seen = stack.api(f"/api/cases/{no}").json()
    assert seen["overdue"] is True and [i["paid"] for i in seen["instalments"]] == [False, None]

    lists = own.get("/api/console/aftercare").json()
    assert all(c["id"] != call["id"] for c in lists["calls"])  # answered: off the call list
    overdue = next(c for c in lists["overdue"] if c["case_no"] == no)
    assert overdue["unpaid"] == [{"seq": 1, "amount": 3000, "due": "2031-01-10"}]
    assert any(r["case_no"] == no and r["answer"] == "missing" for r in lists["results"])
    # Answered twice is not answered again.
    assert own.post(f"/api/console/followups/{call['id']}/answer", json={"answer": "收到了"}).status_code == 404

    # The money came after all: the operator confirms it and the case leaves the overdue list.
    paid = own.post(f"/api/console/cases/{no}/instalments/1", json={"paid": True})
    assert paid.status_code == 200 and paid.json()["overdue"] is False
    assert all(c["case_no"] != no for c in own.get("/api/console/aftercare").json()["overdue"])
    assert own.post(f"/api/console/cases/{no}/instalments/9", json={"paid": True}).status_code == 404
    assert own.post(f"/api/console/cases/{no}/instalments/1", json={"paid": "yes"}).status_code == 400


def test_the_weekly_report_leaves_people_out_and_is_audited(stack):
    boss_name = add_operator(stack)
    boss = Browser(stack, boss_name)
    case = draft(stack, name="孙八", phone="13655556666", employer="某鞋业周报测试公司")
    reply = boss.get("/api/console/report.csv")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    text = reply.content.decode("utf-8-sig")
    assert text.startswith("工友周报") and "调解成功率" in text and case["case_no"] in text
    assert "孙八" not in text and "13655556666" not in text and "两个月没发工资" not in text
    entries = stack.api("/api/console/audit", params={"action": "report.weekly"}).json()["entries"]
    assert any(e["actor"] == boss_name for e in entries)
