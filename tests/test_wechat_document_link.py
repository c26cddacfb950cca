"""How a finished document reads on WeChat (issue 17): a link to the follow page, once, and
only for a well-formed case number (tests/test_wechat_document.py walks it on the real stack)."""

import pytest

from bot.channels.wechat_support import render

pytestmark = pytest.mark.unit


def test_render_links_a_document_once_and_only_a_real_case_number():
    ready = {"text": "劳动仲裁申请书准备好了。"}
    card = {"custom": {"document": {"case_no": "GY20261130-0007", "kind": "arbitration"}}}
    text = render([ready, card], "https://gongyou.example")
    assert text.endswith("下载文书：https://gongyou.example/follow?case=GY20261130-0007 （打开后输入登记编号和查询码）")
    already = {"text": "打开 https://gongyou.example/follow?case=GY20261130-0007 ，输入查询码"}
    assert "下载文书" not in render([already, card], "https://gongyou.example")
    forged = {"custom": {"document": {"case_no": "GY1?code=K7PQ4XZ2"}}}
    assert render([ready, forged], "https://gongyou.example") == "劳动仲裁申请书准备好了。"
