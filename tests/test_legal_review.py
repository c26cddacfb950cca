"""Guidance and FAQ texts after the legal review of issue 14 §3: each text says the rule the statute
says, with its conditions, and cites the article that says it."""

import re

import pytest

from bot.law import faq, guidance
from tests.test_citations import statute_text

pytestmark = pytest.mark.unit


def answer(key: str) -> str:
    return next(e.answer for e in faq.entries() if e.key == key)


def sentence_with(text: str, words: str) -> str:
    return next(s for s in re.split(r"(?<=[。；])", text) if words in s)


def all_texts():
    return [g.text for g in guidance.GUIDANCE.values()] + [e.answer for e in faq.entries()]


def test_dismissal_guidance_gives_n_with_its_cap():
    text = guidance.guidance_for("dismissal").text
    cap = sentence_with(text, "三倍")
    assert "当地上年度职工月平均工资三倍" in cap and "十二年" in cap and "第四十七条" in cap


@pytest.mark.parametrize("three_doors", ["调解、仲裁或起诉", "调解、仲裁或到法院起诉", "调解、仲裁或者起诉"])
def test_no_text_offers_mediation_arbitration_and_court_as_equal_doors(three_doors):
    assert not [t for t in all_texts() if three_doors in t]


def test_wage_guidance_puts_arbitration_first_and_names_the_exceptions():
    text = guidance.guidance_for("wage_arrears").text
    assert "先申请劳动仲裁" in text and "不服裁决再起诉" in text and "《劳动争议调解仲裁法》第五条" in text
    assert "欠条" in sentence_with(text, "第十五条")
    assert "支付令" in sentence_with(text, "《劳动合同法》第三十条")
    assert "先予执行" in sentence_with(text, "第四十四条")


def test_where_to_complain_about_wages_puts_arbitration_before_court():
    text = answer("wage_arrears/where_to_complain")
    assert "一般先申请劳动仲裁，不服再起诉" in text and "支付令" in text


def test_the_crime_answer_states_all_three_conditions_of_article_276_1():
    text = answer("wage_arrears/crime")
    assert "《刑法》第二百七十六条之一" in text
    for condition in ("以转移财产、逃匿等方法逃避支付", "有能力支付而不支付", "数额较大", "责令支付仍不支付"):
        assert condition in text, condition
    crime = next(line for line in statute_text("刑法").splitlines() if line.startswith("第二百七十六条之一 "))
    for words in ("以转移财产、逃匿等方法逃避支付", "有能力支付而不支付", "数额较大", "经政府有关部门责令支付仍不支付"):
        assert words in crime  # the conditions are the statute's own


@pytest.mark.parametrize(
    "text",
    [
        guidance.guidance_for("pension_adjustment").text,
        answer("pension_adjustment/dispute_route"),
        answer("work_injury/disagree_decision"),
    ],
    ids=["pension_guidance", "pension_faq", "injury_faq"],
)
def test_review_of_a_pension_or_injury_decision_names_its_60_days(text):
    review = sentence_with(text, "60日")
    assert "行政复议" in review and "《行政复议法》第二十条" in review
    assert "都有期限" not in text
    assert "六十日内提出行政复议申请" in statute_text("行政复议法")


def test_platform_status_cites_article_7_only_for_what_it_says():
    text = answer("platform_work/employee_status")
    cited = sentence_with(text, "《劳动合同法》第七条")
    assert "用工之日起建立" in cited and "不看" not in cited and "协议" not in cited
    assert "自用工之日起即与劳动者建立劳动关系" in statute_text("劳动合同法")


def test_injury_recognition_goes_where_the_employer_is():
    text = guidance.guidance_for("work_injury").text
    assert "单位所在地的社保行政部门" in sentence_with(text, "第十七条")
