"""The kiosk prints a worker's document (issue 17) in Debian's Chromium: a notice that the paper
holds personal data first; "不打印" fetches and prints nothing; "确定打印" fetches the PDF with the
number and follow code in a POST body (nothing personal in any URL, no-store), prints it from
memory and then drops it (the frame removed, the object URL revoked).

Headless Chromium cannot print a PDF frame (the page crashes) and has no printer: the page hands
the loaded frame to `window.gongyouPrintFrame` when a kiosk shell defines it, which this test
does to see what would have gone to the printer."""

import re

import pytest
import requests as http
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import KIOSK
from tests.test_document_form_browser import ID, kiosk_document_ready
from tests.test_web_chat import keep

pytestmark = [pytest.mark.stack, pytest.mark.browser]

PRINTER = """
window.__printed = [];
window.__revoked = [];
window.gongyouPrintFrame = function (frame) {
  window.__printed.push({ src: frame.src, inPage: document.body.contains(frame) });
};
var revoke = URL.revokeObjectURL.bind(URL);
URL.revokeObjectURL = function (url) { window.__revoked.push(url); revoke(url); };
"""


def test_kiosk_prints_the_document_after_the_notice_and_keeps_nothing(stack, new_page, tmp_path):
    page = new_page(KIOSK)
    page.add_init_script(PRINTER)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(stack.web + "/kiosk?station=cq-yuzhong-union")
    case_no, code = kiosk_document_ready(page)

    card = page.locator(".card.document").last
    card.locator("button", has_text="打印申请书").click()
    notice = page.locator(".msg.ask").last
    expect(notice).to_contain_text("申请书上有您的身份证号、电话等个人信息，打印后请马上取走")
    expect(notice.locator("#print-code")).to_have_count(0)  # the code of the case on screen is known
    notice.locator("button", has_text="不打印").click()
    expect(page.locator(".msg.ask")).to_have_count(0)
    page.wait_for_timeout(500)
    assert not [u for u in requests if "/api/follow/documents" in u]
    assert page.evaluate("window.__printed") == []
    expect(page.locator("#print-frame")).to_have_count(0)

    card.locator("button", has_text="打印申请书").click()
    with page.expect_response(lambda r: r.url.endswith("/api/follow/documents")) as answer:
        page.locator(".msg.ask button", has_text="确定打印").last.click()
    pdf = answer.value
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    sent = pdf.request
    assert sent.method == "POST" and sent.url == stack.web + "/api/follow/documents"
    assert sent.post_data_json == {"case_no": case_no, "follow_code": code, "file": "arbitration.pdf"}
    # What that request answers is the worker's own document (the same request, made again).
    again = http.post(sent.url, json=sent.post_data_json, timeout=60)
    assert again.status_code == 200 and again.content.startswith(b"%PDF")
    saved = tmp_path / "printed.pdf"
    saved.write_bytes(again.content)
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(str(saved)).pages))
    assert ID in text and "劳动人事争议仲裁申请书" in text

    expect(page.locator(".msg.ask").last).to_contain_text("已经发送到打印机", timeout=10_000)
    printed = page.evaluate("window.__printed")
    assert len(printed) == 1 and printed[0]["src"].startswith("blob:") and printed[0]["inPage"]
    keep(page, "kiosk-document-print.png")
    # Once printed, nothing of the document stays on the machine.
    expect(page.locator("#print-frame")).to_have_count(0, timeout=15_000)
    assert printed[0]["src"] in page.evaluate("window.__revoked")
    for url in requests:
        assert code not in url and ID not in url, url
        if "/api/follow/documents" in url:
            assert case_no not in url
    assert page.locator("iframe, object, embed").count() == 0
