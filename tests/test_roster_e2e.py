"""Group rosters through the whole stack (issue 17): the first worker of a collective case gets a
group code, co-workers join with it through Rasa's REST channel, operators choose representatives,
and the roster is in the arbitration application's PDF; wrong codes change nothing; erasure
takes the roster's personal data."""

import io
import json
import re
import uuid

import pytest
import requests
from pypdf import PdfReader

from bot.cases.numbers import PATTERN as CASE_NUMBER
from bot.dialogue import privacy_notice
from tests.conftest import SERVICE_TOKEN

pytestmark = pytest.mark.stack

GROUP_CODE = re.compile(r"群码 ([A-Z0-9]{3}-[A-Z0-9]{3})")


def say(stack, sender, message):
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert reply.status_code == 200
    text = "\n".join(m.get("text") or "" for m in reply.json())
    assert "Traceback" not in text and "Error" not in text
    return text


def phone() -> str:
    return f"139{uuid.uuid4().int % 10**8:08d}"


def first_worker(stack):
    """A worker opens a 16-worker wage case: (case number, follow code, group code, phone, sender)."""
    sender, mine = f"first-{uuid.uuid4().hex[:8]}", phone()
    say(stack, sender, "我们16个工人被巫溪县某鞋业公司欠了三个月工资，一共八万")
    say(stack, sender, "/open_case")
    say(stack, sender, "/affirm")
    say(stack, sender, "孙芳")
    say(stack, sender, mine)
    say(stack, sender, "老板跑了，我们去工地找不到人")
    done = say(stack, sender, "/affirm")
    case_no = re.search(CASE_NUMBER, done).group(0)
    follow = re.search(r"查询码是 ([A-Z0-9]{8})", done).group(1)
    shared = GROUP_CODE.search(done)
    assert shared, done
    # The code to pass on is neither the case number nor the worker's own follow code.
    assert "把这个群码发给" in done and shared.group(1).replace("-", "") not in (follow, case_no)
    return case_no, follow, shared.group(1), mine, sender


def join(stack, name, number, amount="一万二", months="三个月", code=None, words=None):
    """A co-worker joins through the chat: with the code in the request, or asked for it."""
    sender = f"join-{uuid.uuid4().hex[:8]}"
    found = say(stack, sender, words or f"我要加入 群码 {code}")
    if words:
        assert "群码" in found and "找到了" not in found  # asked for it
        found = say(stack, sender, code)
    assert "找到了" in found and "某鞋业公司" in found and "加入工友名单前" in found, found
    assert "名字" in say(stack, sender, "/affirm")
    assert "手机号" in say(stack, sender, name)
    assert "欠您多少钱" in say(stack, sender, number)
    assert "几个月" in say(stack, sender, amount)
    done = say(stack, sender, months)
    assert "已经加入" in done and "第七条" in done, done
    return sender


def roster(stack, case_no):
    reply = stack.api(f"/api/cases/{case_no}/roster")
    assert reply.status_code == 200
    return reply.json()["members"]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_three_workers_join_by_group_code_and_are_in_the_arbitration_pdf(stack):
    case_no, follow, code, first_phone, first = first_worker(stack)
    phones = [phone(), phone(), phone()]
    join(stack, "王强", phones[0], code=code)
    join(stack, "李梅", phones[1], code=code, words="工友让我加入")  # no code yet: asked for it
    join(stack, "赵刚", phones[2], amount="不清楚", months="两个月", code=code.lower())
    members = roster(stack, case_no)
    assert [m["name"] for m in members] == ["孙芳", "王强", "李梅", "赵刚"]
    assert [m["phone"] for m in members] == [first_phone, *phones]
    assert [m["amount"] for m in members] == [None, 12000, 12000, None]
    assert [m["months"] for m in members] == [3, 3, 3, 2]
    assert all(m["consent_at"] for m in members)
    assert {m["consent_version"] for m in members[1:]} == {privacy_notice.ROSTER_VERSION}

    # The first worker adds a co-worker who has no phone of his own, with his agreement relayed.
    assert "替工友登记前" in say(stack, first, "帮工友加入名单")
    assert "这位工友叫什么名字" in say(stack, first, "/affirm")
    assert "他的手机号" in say(stack, first, "吴军")
    wu = phone()
    assert "欠他多少钱" in say(stack, first, wu)
    assert "几个月" in say(stack, first, "八千")
    assert "名单上有5人" in say(stack, first, "三个月")
    added_by_first = roster(stack, case_no)[-1]
    assert (added_by_first["name"], added_by_first["phone"], added_by_first["amount"]) == ("吴军", wu, 8000)
    assert added_by_first["consent_version"] == privacy_notice.ROSTER_PROXY_VERSION

    # An operator adds a worker who came to the station, only with that worker's agreement.
    refused = stack.api(f"/api/cases/{case_no}/roster", method="POST", json={"name": "钱亮", "phone": phone()})
    assert refused.status_code == 422 and "同意" in refused.json()["error"]
    qian = phone()
    added = stack.api(
        f"/api/cases/{case_no}/roster",
        method="POST",
        json={"name": "钱亮", "phone": qian, "amount": 9000, "months": 3, "consent": True},
    )
    assert added.status_code == 201
    ids = [m["id"] for m in roster(stack, case_no)]
    too_few = stack.api(f"/api/cases/{case_no}/representatives", method="POST", json={"members": ids[:2]})
    assert too_few.status_code == 422 and "3到5" in too_few.json()["error"]
    chosen = stack.api(f"/api/cases/{case_no}/representatives", method="POST", json={"members": ids[1:4]})
    assert chosen.status_code == 200
    assert [m["representative"] for m in roster(stack, case_no)] == [False, True, True, True, False, False]

    document = stack.api(f"/api/cases/{case_no}/documents/arbitration.pdf")
    assert document.status_code == 200 and document.headers["cache-control"] == "no-store"
    text = pdf_text(document.content)
    assert "附：劳动者名单6人" in text.replace(" ", "") and "劳动者名单" in text
    for name in ("孙芳", "王强", "李梅", "赵刚", "吴军", "钱亮"):
        assert name in text
    for representative in phones:  # in full: the commission calls the representatives
        assert representative in text
    # Partly hidden for the others on the list (the first worker is the applicant above, in full).
    roster_page = text[text.index("劳动者名单\n") :]
    for other in (first_phone, wu, qian):
        assert other not in roster_page and f"{other[:3]}****{other[-4:]}" in roster_page
    assert qian not in text
    assert "12000" in text and "9000" in text

    # The same roster in the .docx a station edits.
    word = stack.api(f"/api/cases/{case_no}/documents/arbitration.docx")
    from docx import Document

    cells = [c.text for t in Document(io.BytesIO(word.content)).tables for row in t.rows for c in row.cells]
    assert "钱亮" in cells and phones[0] in cells and "是" in cells

    # The worker who opened the case gets the same roster with number and follow code (contract §7).
    own = requests.post(
        f"{stack.web}/api/follow/documents",
        json={"case_no": case_no, "follow_code": follow, "file": "arbitration.pdf"},
        timeout=60,
    )
    assert own.status_code == 200 and "钱亮" in pdf_text(own.content)


def test_wrong_and_forged_codes_get_a_polite_answer_and_change_nothing(stack):
    case_no, _, code, _, _ = first_worker(stack)
    before = roster(stack, case_no)
    raw = code.replace("-", "")
    forged = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    sender = f"forger-{uuid.uuid4().hex[:8]}"
    reply = say(stack, sender, f"我要加入 群码 {forged[:3]}-{forged[3:]}")
    assert "没找到这个群码" in reply and "加入工友名单前" not in reply
    assert "6个字母和数字" in say(stack, sender, case_no)  # a case number is no group code
    assert "6个字母和数字" in say(stack, sender, "随便")
    assert "不保存" in say(stack, sender, "算了")
    assert roster(stack, case_no) == before

    # The API answers the same way to the bot's token, and refuses without it.
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    body = {"code": forged, "name": "冒名", "phone": phone(), "consent": {"version": "x", "at": "2026-11-30T00:00:00"}}
    refused = requests.post(f"{stack.web}/api/groups/join", json=body, headers=service, timeout=30)
    assert (
        refused.status_code == 404
        and refused.json()["error"] == "没找到这个群码。请跟发码给您的工友核对一下，码是6个字母和数字。"
    )
    assert requests.post(f"{stack.web}/api/groups/join", json={**body, "code": raw}, timeout=30).status_code == 401
    no_consent = requests.post(
        f"{stack.web}/api/groups/join", json={**body, "code": raw, "consent": None}, headers=service, timeout=30
    )
    assert no_consent.status_code == 422
    # The bot may not read or change a roster: that is the operator's.
    assert stack.api(f"/api/cases/{case_no}/roster", token=SERVICE_TOKEN).status_code == 403
    assert stack.api(f"/api/cases/{case_no}/roster", token=None).status_code == 401
    assert stack.api("/api/cases/GY20990101-9999/roster").status_code == 404
    assert roster(stack, case_no) == before

    # Guessing is throttled per conversation: the tenth wrong code is the last one looked at.
    client = f"guesser-{uuid.uuid4().hex[:8]}"
    guesses = [c + raw[1:] for c in "ABCDEFGHJKMNPQRS" if c != raw[0]][:11]
    answers = [
        requests.post(
            f"{stack.web}/api/groups/check", json={"code": guess, "client": client}, headers=service, timeout=30
        ).status_code
        for guess in guesses
    ]
    assert answers[-1] == 429 and 429 not in answers[:10]


def test_erasure_takes_the_rosters_personal_data(stack):
    case_no, _, code, _, _ = first_worker(stack)
    wang = phone()
    sender = join(stack, "王强", wang, code=code)
    # REST conversations live under `rest-` in Rasa.
    assert "王强" in json.dumps(stack.tracker_events("rest-" + sender), ensure_ascii=False)
    erased = stack.api(f"/api/cases/{case_no}/erase", method="POST")
    assert erased.status_code == 200 and erased.json()["erased"]["roster_conversations"] == 1
    members = roster(stack, case_no)
    assert all(m["name"] is None and m["phone"] is None and m["erased"] for m in members)
    assert members[1]["amount"] == 12000  # the figures stay, for statistics
    # The joiner's own conversation is erased too; the code opens nothing any more.
    assert "王强" not in json.dumps(stack.tracker_events("rest-" + sender), ensure_ascii=False)
    assert "没找到这个群码" in say(stack, f"late-{uuid.uuid4().hex[:8]}", f"我要加入 群码 {code}")
    text = pdf_text(stack.api(f"/api/cases/{case_no}/documents/arbitration.pdf").content)
    assert "王强" not in text and wang not in text and "劳动者名单" not in text


def test_a_join_request_with_more_facts_in_it_still_joins(stack):
    # Rasa's rule for joining matched the message's entities as a set: "老板欠我八千" beside the
    # code (or a code like 4TV-6KY, read as 6,000 yuan) sent the co-worker to a case of their own.
    case_no, _, code, _, _ = first_worker(stack)
    sender = f"join-{uuid.uuid4().hex[:8]}"
    found = say(stack, sender, f"我要加入 群码 {code}，老板欠我八千，在巫溪县干了三个月")
    assert "找到了" in found and "加入工友名单前" in found, found
