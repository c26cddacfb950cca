"""The document form on the phone page in Debian's Chromium (issue 17): the button under a new
case, the notice, a "不清楚" tapped, a correction typed, the masked summary; then the follow page
downloads the worker's PDF with the number and code, and the PDF holds what was typed."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from bot.cases.id_number import masked
from tests.conftest import KIOSK, PHONE
from tests.test_web_chat import REPLY, bot_says, confirm, keep, tap, type_and_send

pytestmark = [pytest.mark.stack, pytest.mark.browser]

FIRST_ID = "11010519491231002X"
ID = "50023719800615179X"


def test_phone_page_document_form_and_download(stack, new_page, tmp_path):
    page = new_page(PHONE, accept_downloads=True)
    page.goto(stack.web + "/")
    expect(page.locator("#status")).to_be_hidden(timeout=20_000)
    type_and_send(page, "景德镇鸿发陶瓷厂欠我两个月工资，一共九千")
    bot_says(page, "拖欠工资")
    tap(page, "登记求助")
    bot_says(page, "谁能看")
    tap(page, "同意")
    for question, answer in (("姓名", "王芳"), ("手机号", f"186{uuid.uuid4().int % 10**8:08d}")):
        bot_says(page, question)
        type_and_send(page, answer)
    # Whatever else the intake still asks is answered "不清楚" or with a short story.
    for _ in range(6):
        page.wait_for_timeout(300)
        last = page.locator(".msg.bot .bubble").last.inner_text(timeout=REPLY)
        if "请核对" in last:
            break
        answer = "老板一直拖着不给" if "经过" in last else "景德镇鸿发陶瓷厂" if "单位的全称" in last else "不清楚"
        type_and_send(page, answer)
        expect(page.locator("#typing")).to_be_hidden(timeout=REPLY)
    bot_says(page, "请核对")
    card, case_no = confirm(page)
    code = card.locator(".follow-code").inner_text()

    tap(page, "写仲裁申请书")
    bot_says(page, "身份证号、家庭住址")
    tap(page, "同意")
    bot_says(page, "身份证号是多少")
    type_and_send(page, FIRST_ID)
    bot_says(page, "住在哪里")
    tap(page, "不清楚")
    for question, answer in (
        ("注册地址", "景德镇市珠山区新厂路9号"),
        ("法定代表人", "陈鸿发"),
        ("开始在这里干活", "2025年5月1日"),
        ("哪天离开", "2026年10月8日"),
        ("每月工资", "4500"),
    ):
        bot_says(page, question)
        type_and_send(page, answer)
    bot_says(page, "建筑工地")
    tap(page, "不是")
    bot_says(page, "证据")
    tap(page, "工资条")
    bot_says(page, "已选：工资条")
    tap(page, "选好了")
    bot_says(page, "作证")
    tap(page, "没有")
    bot_says(page, "请核对一下写进")
    summary = page.locator(".msg.bot .bubble").last.inner_text()
    assert masked(FIRST_ID) in summary and FIRST_ID not in summary and "家庭住址：（未填）" in summary
    type_and_send(page, "身份证号写错了")
    bot_says(page, "重新填一下身份证号")
    type_and_send(page, ID)
    bot_says(page, masked(ID))
    tap(page, "确认")
    bot_says(page, "准备好了")
    keep(page, "document-form-phone.png")
    said = page.locator(".msg.bot .bubble").all_inner_texts()
    assert not [t for t in said if ID in t or FIRST_ID in t]  # the bot never echoes it in full

    # The card's link leads to the follow page; number and code fetch the PDF.
    link = page.locator(".card.document a")
    assert link.get_attribute("href") == f"/follow?case={case_no}"
    link.click()
    page.fill("#code", code)
    page.click("button[type=submit]")
    expect(page.locator("#documents")).to_be_visible(timeout=10_000)
    with page.expect_download() as download:
        page.click("button[data-file='arbitration.pdf']")
    saved = tmp_path / "arbitration.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"{case_no}-arbitration.pdf"
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(str(saved)).pages))
    typed = ("王芳", ID, "景德镇鸿发陶瓷厂", "景德镇市珠山区新厂路9号", "陈鸿发", "9,000元", "工资条", "2025-05-01")
    for field in typed:
        assert field in text, field


def kiosk_document_ready(page):
    """Walks the kiosk from the first tile to a finished arbitration document by touch; returns
    the case number and its follow code."""
    page.locator(".tile", has_text="工资被拖欠").click()
    bot_says(page, "拖欠工资")
    tap(page, "登记求助")
    bot_says(page, "谁能看")
    tap(page, "同意")
    for question, answer in (
        ("姓名", "老周"),
        ("手机号", f"137{uuid.uuid4().int % 10**8:08d}"),
        ("单位的全称", "重庆某某建筑劳务有限公司"),
        ("在哪里干活", "渝中区解放碑"),
    ):
        bot_says(page, question)
        type_and_send(page, answer)
    for question in ("多少钱", "持续多久"):
        bot_says(page, question)
        tap(page, "不清楚")
    bot_says(page, "几个人")
    tap(page, "就我一个")
    bot_says(page, "经过")
    type_and_send(page, "工头说等结账，一直没给")
    bot_says(page, "请核对")
    card, case_no = confirm(page)
    code = card.locator(".follow-code").inner_text()
    tap(page, "写仲裁申请书")
    bot_says(page, "身份证号、家庭住址")
    expect(page.locator(".msg.bot .tiles button", has_text="不同意").last).to_be_visible()
    tap(page, "同意")
    bot_says(page, "身份证号是多少")
    type_and_send(page, ID)
    # Every other question is skipped by touch: its "不清楚" tile, or the one that says there is none.
    for question, tile in (
        ("住在哪里", "不清楚"),
        ("注册地址", "不清楚"),
        ("法定代表人", "不清楚"),
        ("开始在这里干活", "不清楚"),
        ("哪天离开", "还在干"),
        ("每月工资", "不清楚"),
        ("建筑工地", "不是"),
        ("证据", "都没有"),
        ("作证", "没有"),
    ):
        bot_says(page, question)
        tap(page, tile)
    bot_says(page, "请核对一下写进")
    assert masked(ID) in page.locator(".msg.bot .bubble").last.inner_text()
    tap(page, "确认")
    bot_says(page, "准备好了")
    return case_no, code


def test_kiosk_document_form_by_touch_keeps_no_file(stack, new_page):
    """At a station's kiosk the questions come as tiles; the finished document is not downloaded
    onto the shared machine: it is printed from memory (tests/test_kiosk_document_print.py)."""
    page = new_page(KIOSK)
    page.goto(stack.web + "/kiosk?station=cq-yuzhong-union")
    kiosk_document_ready(page)
    card = page.locator(".card.document").last
    expect(card).to_contain_text("这台机器不保存")
    assert card.locator("a").count() == 0
    keep(page, "document-form-kiosk.png")
