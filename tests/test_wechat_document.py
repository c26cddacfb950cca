"""A worker on WeChat finishes the document form (issue 17) and gets the document as a link to
the follow page: the real Rasa server over signed, encrypted XML. WeChat has no cards or
buttons, so the link is the way to the file; it names the case number only (public), never the
follow code or anything personal, and the page it opens asks for the code."""

import re
import uuid
from urllib.parse import urlsplit

import pytest
import requests

from bot.cases.numbers import PATTERN as CASE_NUMBER
from tests.test_wechat import openid, safe, url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.stack

ID = "50023719800615179X"
NAME = "郑国强"

# The worker's answers, found by the question's words (the order depends on what was said).
ANSWERS = (
    ("请核对一下写进", "确认"),  # the document's summary, before the intake's cues below
    ("请核对", "确认提交"),
    ("登记前", "同意"),
    ("身份证号、家庭住址", "同意"),
    ("身份证号是多少", ID),
    ("姓名", NAME),
    ("单位的全称", "奉节县某建筑劳务有限公司"),
    ("在哪里干活", "奉节县"),
    ("几个人", "就我一个"),
    ("经过", "包工头一直拖着不给，我有工资条。"),
    ("建筑工地", "不是"),
    ("证据", "都没有"),
    ("作证", "没有"),
    ("哪天离开", "还在干"),
)


def test_document_on_wechat_comes_as_a_link_without_the_code(safe, stack):  # noqa: F811
    user = openid()
    phone = f"135{uuid.uuid4().int % 10**8:08d}"
    assert "拖欠工资" in safe.say(user, "老板欠了我两个月工资，一共一万二")
    reply = safe.say(user, "帮我写仲裁申请书")
    assert "先登记" in reply
    case_no = code = None
    for _ in range(40):
        if "准备好了" in reply:
            break
        found = re.search(CASE_NUMBER, reply)
        if found and case_no is None:
            case_no = found.group(0)
            code = re.search(r"查询码是 ([A-Z0-9]{8})", reply).group(1)
        answer = phone if "手机号" in reply else next((a for cue, a in ANSWERS if cue in reply), "不清楚")
        reply = safe.say(user, answer)
    assert "准备好了" in reply, reply
    assert case_no and code

    links = re.findall(r"https?://[^\s，。）]+", reply)
    follow = [link for link in links if "/follow" in link]
    assert follow, reply
    for link in follow:
        parts = urlsplit(link)
        assert parts.path == "/follow" and parts.query == f"case={case_no}" and not parts.fragment
        for secret in (code, ID, phone, NAME):
            assert secret not in link
    assert code not in reply and ID not in reply  # nor anywhere in the WeChat message

    # The page behind the link asks for the follow code; it holds nothing of the case.
    page = requests.get(f"{stack.web}/follow?case={case_no}", timeout=30)
    assert page.status_code == 200 and 'id="code"' in page.text
    assert code not in page.text and NAME not in page.text
