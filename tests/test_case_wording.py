"""What a worker reads about their case depends on its category (issue 14 §3): a pension decision is
not taken to labour arbitration, a 工伤认定 decision is reviewed or taken to court, and the clock
that matters is named for each kind of case."""

import re

import pytest

from bot.cases import lifecycle, outcomes, wording
from bot.dialogue import intake
from bot.law.calculators import chinese_numeral
from bot.topics import TOPICS

pytestmark = pytest.mark.unit

# Today's statuses and issue 16's (contract §6), until the case service moves to the latter.
STATUSES = tuple(dict.fromkeys(lifecycle.STATUSES + outcomes.STATUSES))
LABOUR_DISPUTES = [t for t in TOPICS if t not in ("pension_adjustment", "work_injury")]


@pytest.mark.parametrize("category", TOPICS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_status_has_words_for_every_category(status, category):
    text = wording.status_words(status, category)
    assert text and re.search(r"[\u4e00-\u9fff]", text) and len(text) < 200
    assert "正在办理中" not in text, f"status {status} has no words of its own in bot/cases/wording.py"


@pytest.mark.parametrize("status", STATUSES)
def test_pension_texts_never_send_the_worker_to_arbitration(status):
    text = wording.status_words(status, "pension_adjustment")
    assert "申请劳动仲裁" not in text and "申请仲裁" not in text and "仲裁时效" not in text
    assert "不走劳动仲裁" in text


def test_a_closed_pension_case_names_review_in_60_days_or_a_lawsuit():
    text = wording.status_words("closed", "pension_adjustment")
    assert "60日内" in text and "行政复议" in text and "《行政复议法》第二十条" in text
    assert "行政诉讼" in text and "《社会保险法》第八十三条" in text


def test_a_closed_injury_case_names_the_routes_against_a_work_injury_decision():
    text = wording.status_words("closed", "work_injury")
    assert "工伤认定" in text and "行政复议" in text and "行政诉讼" in text
    assert "《工伤保险条例》第五十五条" in text
    # arbitration only for benefits once the injury is recognised (§54), never against the decision
    assert "单位不给工伤待遇的，可以申请劳动仲裁（同条例第五十四条）" in text


@pytest.mark.parametrize("status", [s for s in STATUSES if s not in wording.FINAL])
def test_an_open_injury_case_names_the_one_year_for_the_recognition(status):
    text = wording.status_words(status, "work_injury")
    assert "1年内" in text and "工伤认定" in text and "《工伤保险条例》第十七条" in text
    assert "仲裁时效" not in text


@pytest.mark.parametrize("status", [s for s in STATUSES if s not in wording.FINAL])
def test_open_wage_cases_say_no_limit_runs_while_employed(status):
    text = wording.status_words(status, "wage_arrears")
    assert "还在职的，追讨欠薪不受一年时效限制" in text
    assert "仲裁时效还在计算" not in text


@pytest.mark.parametrize("status", sorted(wording.FINAL))
@pytest.mark.parametrize("category", LABOUR_DISPUTES)
def test_final_labour_disputes_go_to_arbitration(category, status):
    assert "劳动争议仲裁委员会申请仲裁" in wording.status_words(status, category)


@pytest.mark.parametrize("category", TOPICS)
def test_the_intake_reminder_follows_the_category(category):
    summary = intake.summary({"category": category})
    submitted = intake.submitted_text({"case_no": "GY-2026-000001", "category": category})
    card = intake.case_card({"case_no": "GY-2026-000001", "category": category})
    for text in (summary, submitted, card["reminder"]):
        assert wording.draft_reminder(category) in text
        assert "受理之前，仲裁时效还在计算" not in text
    if category == "pension_adjustment":
        assert "仲裁申请" not in summary + submitted


def test_every_article_named_is_a_listed_citation():
    for text in wording.all_texts():
        named = re.findall(r"《([^》]+)》第([一二三四五六七八九十百零]+)条", text)
        for stem, numeral in named:
            assert any(s == stem and chinese_numeral(a) == numeral for s, a in wording.CITATIONS), (stem, numeral)
