"""The labour-law calculators (bot/law/calculators.py): figures, limits, input checks, citations.

Rules are pinned twice: by figures worked out by hand, and by the statute wording they rest on
(read from ../shared/law), so a calculator and its citation cannot drift apart.
"""

import math
import re
from datetime import date
from decimal import Decimal

import pytest

from bot.law import calculators as calc
from bot.law.calculators import (
    CITATIONS,
    Calculation,
    DeadlineResult,
    arbitration_deadline,
    double_wage_difference,
    economic_compensation,
    unlawful_termination_damages,
)
from tests.test_citations import chinese_numeral, statute_text

pytestmark = pytest.mark.unit

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def article(stem: str, number: int) -> str:
    """The text of one article: its line up to the next article or heading."""
    text = statute_text(stem)
    match = re.search(
        rf"^第{chinese_numeral(number)}条 .*?(?=^第[零一二三四五六七八九十百]+条 |^#|\Z)", text, re.M | re.S
    )
    assert match, f"{stem} 第{number}条 not found"
    return match.group(0)


def paragraphs(stem: str, number: int):
    """Paragraphs (款) of an article; numbered items （一）（二） belong to the paragraph before."""
    lines = [ln.strip() for ln in article(stem, number).splitlines() if ln.strip()]
    return [ln for ln in lines if not ln.startswith("（")]


# ---------------------------------------------------------------------------------------------
# Economic compensation N (劳动合同法 §47)


@pytest.mark.parametrize(
    "months_worked,n,amount",
    [
        (43, 4, 24000),  # 3 years 7 months: the 7 months count as a year
        (41, 3.5, 21000),  # 3 years 5 months: half a month for the 5
        (4, 0.5, 3000),  # under 6 months: half a month
        (6, 1, 6000),  # "六个月以上" includes six
        (12, 1, 6000),
        (18, 2, 12000),
        (17.5, 1.5, 9000),
        (0.3, 0.5, 3000),  # a few days still earn half a month
        (36, 3, 18000),
    ],
)
def test_economic_compensation_counts_years_as_section_47_says(months_worked, n, amount):
    result = economic_compensation(6000, months_worked)
    assert isinstance(result, Calculation)
    assert result.months == n
    assert result.amount == amount


def test_amount_is_rounded_to_the_fen():
    result = economic_compensation(3333.333, 43)
    assert result.amount == 13333.33
    assert economic_compensation(1234.565, 12).amount == 1234.57  # half up, not banker's


def test_high_earner_base_and_years_are_capped():
    result = economic_compensation(40000, 15 * 12, local_average_monthly_wage=10000)
    assert result.months == 12
    assert result.amount == 12 * 30000 == 360000
    assert "30,000元" in result.explain() and "360,000元" in result.explain()


def test_high_earner_under_twelve_years_only_the_base_is_capped():
    result = economic_compensation(40000, 5 * 12, local_average_monthly_wage=10000)
    assert (result.months, result.amount) == (5, 150000)
    result = economic_compensation(40000, 12 * 12 + 8, local_average_monthly_wage=10000)
    assert (result.months, result.amount) == (12, 360000)  # 13 years counted, capped at 12


def test_twelve_year_cap_applies_only_above_three_times_the_average():
    # §47 ¶2: the twelve-year limit is part of the high-earner rule, not a general one.
    result = economic_compensation(10000, 15 * 12, local_average_monthly_wage=10000)
    assert (result.months, result.amount) == (15, 150000)
    # 高于 three times: exactly three times is not above it.
    result = economic_compensation(30000, 15 * 12, local_average_monthly_wage=10000)
    assert (result.months, result.amount) == (15, 450000)
    assert any("没有高于" in a for a in result.assumptions)


def test_without_the_local_average_the_cap_is_said_to_be_unchecked():
    result = economic_compensation(40000, 15 * 12)
    assert (result.months, result.amount) == (15, 600000)
    assert any("没有检查封顶" in a and "三倍" in a for a in result.assumptions)


def test_compensation_states_its_assumptions():
    text = "".join(economic_compensation(6000, 43).assumptions)
    assert "十二个月的平均工资" in text  # §47 ¶3: definition of 月工资
    assert "最低工资标准" in text  # 实施条例 §27
    assert "2008年1月1日" in text  # pre-2008 split not modelled (§97 ¶3)
    assert "第四十六条" in text  # whether N is owed at all


def test_compensation_explanation_has_figures_and_citation():
    text = economic_compensation(6000, 43).explain()
    assert "3年7个月" in text and "6,000元 × 4 = 24,000元" in text
    assert "（《劳动合同法》第四十七条）" in text


# ---------------------------------------------------------------------------------------------
# Unlawful termination 2N (劳动合同法 §87)


def test_unlawful_termination_is_twice_the_compensation():
    result = unlawful_termination_damages(6000, 43)
    assert (result.months, result.amount) == (8, 48000)
    assert "（《劳动合同法》第八十七条）" in result.explain()
    assert (calc.LCL, 87) in result.citations


@pytest.mark.parametrize("args", [(6000, 41), (6000, 4), (40000, 180, 10000), (10000, 180, 10000)])
def test_damages_double_every_compensation(args):
    n, two_n = economic_compensation(*args), unlawful_termination_damages(*args)
    assert two_n.months == 2 * n.months
    assert two_n.amount == 2 * n.amount


def test_damages_count_years_from_the_start_of_work():
    text = "".join(unlawful_termination_damages(6000, 43).assumptions)
    assert "自用工之日起计算" in text and "第二十五条" in text
    assert "施行前的部分按当时的规定" not in text


# ---------------------------------------------------------------------------------------------
# Double wages for no written contract (劳动合同法 §82, 实施条例 §6, §7)


def test_double_wages_never_signed_counts_whole_months_and_days():
    result = double_wage_difference(6000, date(2026, 1, 10), None, date(2026, 6, 10))
    # From 2026-02-10 (the day after the first full month) to today inclusive:
    # 4 whole months (2-10..6-09) and 1 day of the 30-day month 6-10..7-09.
    assert result.period_start == date(2026, 2, 10)
    assert result.period_end == date(2026, 6, 10)
    assert math.isclose(result.months, 4 + 1 / 30)
    assert result.amount == 24200.00
    assert not result.open_ended_contract_deemed
    assert "6,000元 × (4 + 1/30) = 24,200元" in result.explain()


def test_double_wages_whole_months():
    result = double_wage_difference(6000, date(2026, 1, 10), None, date(2026, 6, 9))
    assert (result.months, result.amount) == (4, 24000)


def test_double_wages_stop_the_day_before_signing():
    result = double_wage_difference(6000, date(2026, 1, 10), date(2026, 5, 10), date(2026, 6, 10))
    assert result.period_end == date(2026, 5, 9)
    assert (result.months, result.amount) == (3, 18000)


def test_double_wages_a_partial_first_month():
    result = double_wage_difference(5600, date(2026, 1, 10), None, date(2026, 2, 16))
    # 2-10..2-16 is 7 days of the 28-day month 2-10..3-09.
    assert math.isclose(result.months, 7 / 28)
    assert result.amount == 1400.00


def test_double_wages_are_capped_at_eleven_months_and_open_ended_contract_is_deemed():
    result = double_wage_difference(6000, date(2026, 1, 10), None, date(2027, 6, 10))
    assert (result.months, result.amount) == (11, 66000)
    assert result.period_end == date(2027, 1, 9)
    assert result.open_ended_contract_deemed
    assert result.open_ended_deemed_from == date(2027, 1, 10)
    text = result.explain()
    assert "无固定期限劳动合同" in text and "第十四条第三款" in text
    assert (calc.LCL, 14) in result.citations and (calc.LCL_REGS, 7) in result.citations


def test_the_day_before_the_first_anniversary_is_not_yet_open_ended():
    result = double_wage_difference(6000, date(2026, 1, 10), None, date(2027, 1, 9))
    assert result.months == 11
    assert not result.open_ended_contract_deemed
    assert "如果到2027年1月10日还没签" in result.explain()
    assert double_wage_difference(6000, date(2026, 1, 10), None, date(2027, 1, 10)).open_ended_contract_deemed


def test_signed_after_a_year_is_still_eleven_months_and_open_ended():
    result = double_wage_difference(6000, date(2026, 1, 10), date(2027, 3, 1), date(2027, 6, 10))
    assert (result.months, result.amount) == (11, 66000)
    assert result.open_ended_deemed_from == date(2027, 1, 10)


@pytest.mark.parametrize("signed", [date(2026, 1, 10), date(2026, 2, 10), date(2025, 12, 20)])
def test_signed_in_time_or_before_work_means_no_double_wages(signed):
    result = double_wage_difference(6000, date(2026, 1, 10), signed, date(2026, 6, 10))
    assert (result.months, result.amount) == (0, 0)
    assert result.period_start is None and not result.open_ended_contract_deemed
    assert "不涉及未签合同的二倍工资" in result.explain()


def test_first_month_not_over_yet():
    result = double_wage_difference(6000, date(2026, 1, 10), None, date(2026, 2, 9))
    assert (result.months, result.amount) == (0, 0)
    assert "2026年2月10日" in result.explain()


def test_month_ends_without_a_corresponding_day():
    # Start on 31 January: the first full month ends 27 February, double wages from 28 February.
    result = double_wage_difference(5000, date(2026, 1, 31), date(2026, 4, 15), date(2026, 6, 10))
    assert result.period_start == date(2026, 2, 28)
    assert math.isclose(result.months, 1.5)  # 2-28..3-30, then 15 of the 30 days 3-31..4-29
    assert result.amount == 7500


def test_work_begun_before_2008_counts_from_the_law():
    # 劳动合同法 §97 ¶2: a contract was due within a month of 2008-01-01; no double wages before.
    result = double_wage_difference(3000, date(2007, 6, 1), None, date(2008, 5, 31))
    assert result.period_start == date(2008, 2, 1)
    assert (result.months, result.amount) == (4, 12000)
    assert not result.open_ended_contract_deemed
    assert any("第九十七条第二款" in a for a in result.assumptions)
    assert (calc.LCL, 97) in result.citations
    assert double_wage_difference(3000, date(2007, 6, 1), None, date(2009, 1, 1)).open_ended_deemed_from == date(
        2009, 1, 1
    )
    later = double_wage_difference(3000, date(2008, 6, 1), None, date(2009, 6, 1))
    assert (calc.LCL, 97) not in later.citations


def test_double_wage_assumptions_explain_partial_months():
    text = "".join(double_wage_difference(6000, date(2026, 1, 10), None, date(2026, 6, 10)).assumptions)
    assert "不满一个月的部分按日历天数折算" in text
    assert "最多11个月" in text and "满一个月的次日" in text


# ---------------------------------------------------------------------------------------------
# Arbitration time limit (劳动争议调解仲裁法 §27)


def test_arbitration_deadline_is_one_year_later():
    result = arbitration_deadline(date(2026, 3, 1))
    assert isinstance(result, DeadlineResult)
    assert result.last_day == date(2027, 3, 1)
    assert "2027年3月1日" in result.explain() and "（《劳动争议调解仲裁法》第二十七条）" in result.explain()


def test_arbitration_deadline_from_29_february():
    assert arbitration_deadline(date(2028, 2, 29)).last_day == date(2029, 2, 28)


def test_wage_arrears_while_employed_have_no_deadline():
    result = arbitration_deadline(date(2024, 5, 1), wage_arrears=True)
    assert result.last_day is None
    text = result.explain()
    assert "不受一年时效的限制" in text and "终止之日起一年内" in text
    assert "第二十七条第四款" in text


def test_wage_arrears_after_the_job_ends_run_a_year_from_the_end():
    result = arbitration_deadline(date(2024, 5, 1), wage_arrears=True, employment_ended=date(2026, 5, 31))
    assert result.last_day == date(2027, 5, 31)


def test_wage_arrears_learned_after_leaving_are_counted_from_leaving_to_be_safe():
    result = arbitration_deadline(date(2026, 7, 15), wage_arrears=True, employment_ended=date(2026, 5, 31))
    assert result.last_day == date(2027, 5, 31)
    assert any("稳妥起见" in a for a in result.assumptions)


def test_other_claims_ignore_the_end_of_employment():
    result = arbitration_deadline(date(2026, 3, 1), employment_ended=date(2026, 5, 31))
    assert result.last_day == date(2027, 3, 1)


@pytest.mark.parametrize(
    "kwargs", [{}, {"wage_arrears": True}, {"wage_arrears": True, "employment_ended": date(2026, 5, 31)}]
)
def test_deadline_notes_interruption_and_suspension(kwargs):
    text = arbitration_deadline(date(2026, 3, 1), **kwargs).explain()
    assert "中断" in text and "第二十七条第二款" in text
    assert "中止" in text and "第二十七条第三款" in text


# ---------------------------------------------------------------------------------------------
# Input checks: a short Chinese message the caller can show


def raises_chinese(call, *args, **kwargs):
    with pytest.raises(ValueError) as error:
        call(*args, **kwargs)
    message = str(error.value)
    assert CHINESE.search(message) and len(message) < 60, message
    return message


@pytest.mark.parametrize("wage", [0, -100, float("nan"), float("inf"), Decimal("sNaN"), "6000", None, True])
def test_bad_wages_are_refused(wage):
    raises_chinese(economic_compensation, wage, 12)
    raises_chinese(unlawful_termination_damages, wage, 12)
    raises_chinese(double_wage_difference, wage, date(2026, 1, 1), None, date(2026, 6, 1))


@pytest.mark.parametrize("months", [-1, 0, float("nan")])
def test_bad_months_are_refused(months):
    assert "工作时间" in raises_chinese(economic_compensation, 6000, months)
    raises_chinese(unlawful_termination_damages, 6000, months)


@pytest.mark.parametrize("average", [0, -5000])
def test_bad_local_average_is_refused(average):
    assert "平均工资" in raises_chinese(economic_compensation, 6000, 12, average)


def test_decimal_input_is_accepted():
    assert economic_compensation(Decimal("6000.50"), 12).amount == 6000.50


def test_dates_in_the_wrong_order_are_refused():
    assert "入职日期" in raises_chinese(double_wage_difference, 6000, date(2026, 6, 1), None, date(2026, 1, 1))
    assert "签合同" in raises_chinese(
        double_wage_difference, 6000, date(2026, 1, 1), date(2026, 7, 1), date(2026, 6, 1)
    )


def test_non_dates_are_refused():
    raises_chinese(double_wage_difference, 6000, "2026-01-01", None, date(2026, 6, 1))
    raises_chinese(arbitration_deadline, "2026-01-01")
    raises_chinese(arbitration_deadline, date(2026, 1, 1), wage_arrears=True, employment_ended="昨天")


# ---------------------------------------------------------------------------------------------
# Citations: every one exists, is stated inline, and says what the calculator does


def all_results():
    return [
        economic_compensation(6000, 43),
        economic_compensation(40000, 180, 10000),
        economic_compensation(10000, 180, 10000),
        unlawful_termination_damages(6000, 43),
        unlawful_termination_damages(40000, 180, 10000),
        double_wage_difference(6000, date(2026, 1, 10), None, date(2026, 6, 10)),
        double_wage_difference(6000, date(2026, 1, 10), None, date(2027, 6, 10)),
        double_wage_difference(6000, date(2026, 1, 10), date(2026, 1, 20), date(2026, 6, 10)),
        double_wage_difference(6000, date(2026, 1, 10), None, date(2026, 1, 20)),
        double_wage_difference(3000, date(2007, 6, 1), date(2008, 9, 1), date(2009, 6, 1)),
        arbitration_deadline(date(2026, 3, 1)),
        arbitration_deadline(date(2026, 3, 1), employment_ended=date(2026, 5, 31)),
        arbitration_deadline(date(2026, 3, 1), wage_arrears=True),
        arbitration_deadline(date(2026, 3, 1), wage_arrears=True, employment_ended=date(2026, 5, 31)),
        arbitration_deadline(date(2026, 7, 1), wage_arrears=True, employment_ended=date(2026, 5, 31)),
        arbitration_deadline(None, wage_arrears=True, employment_ended=date(2025, 3, 1), today=date(2026, 11, 30)),
        economic_compensation(2000, 240, today=date(2026, 11, 30)),
        double_wage_difference(6000, date(2024, 1, 1), None, date(2026, 11, 30), left=date(2024, 6, 30)),
        double_wage_difference(6000, date(2026, 1, 1), None, date(2026, 11, 30), left=date(2026, 4, 15)),
        calc.other_clock("injury"),
        calc.other_clock("pension"),
    ]


@pytest.mark.parametrize("stem,number", CITATIONS)
def test_every_citation_exists_in_the_statutes(stem, number):
    assert article(stem, number)


def test_results_cite_only_known_articles_and_state_them_inline():
    for result in all_results():
        assert result.citations
        text = result.explain() + "".join(result.assumptions)
        for stem, number in result.citations:
            assert (stem, number) in CITATIONS
            assert f"《{stem}》第{chinese_numeral(number)}条" in text, (stem, number)


def test_every_inline_reference_names_an_existing_article_and_paragraph():
    seen = set()
    for result in all_results():
        text = result.explain() + "".join(result.assumptions)
        cited = r"《([^》]+)》第([零一二三四五六七八九十百]+)条(?:第([一二三四五六七八九十]+)款)?"
        for stem, art, para in re.findall(cited, text):
            number = next(n for n in range(1, 200) if chinese_numeral(n) == art)
            paras = paragraphs(stem, number)
            if para:
                index = next(n for n in range(1, 20) if chinese_numeral(n) == para)
                assert index <= len(paras), f"{stem} 第{art}条 has no 第{para}款"
            seen.add((stem, number))
    assert seen <= set(CITATIONS)


def test_calculator_numerals_match():
    assert all(calc.chinese_numeral(n) == chinese_numeral(n) for n in range(1, 200))


@pytest.mark.parametrize(
    "stem,number,paragraph,words",
    [
        (
            "劳动合同法",
            47,
            1,
            ["每满一年支付一个月工资", "六个月以上不满一年的，按一年计算", "不满六个月的，向劳动者支付半个月工资"],
        ),
        ("劳动合同法", 47, 2, ["高于", "三倍", "最高不超过十二年"]),
        ("劳动合同法", 47, 3, ["前十二个月的平均工资"]),
        ("劳动合同法", 87, 1, ["第四十七条规定的经济补偿标准的二倍"]),
        ("劳动合同法", 82, 1, ["超过一个月不满一年", "二倍的工资"]),
        ("劳动合同法", 14, 3, ["满一年不与劳动者订立书面劳动合同", "无固定期限劳动合同"]),
        ("劳动合同法", 10, 2, ["自用工之日起一个月内订立书面劳动合同"]),
        ("劳动合同法", 97, 2, ["本法施行前已建立劳动关系，尚未订立书面劳动合同的", "自本法施行之日起一个月内订立"]),
        ("劳动合同法", 97, 3, ["经济补偿年限自本法施行之日起计算"]),
        ("劳动合同法实施条例", 6, 2, ["满一个月的次日", "补订书面劳动合同的前一日"]),
        ("劳动合同法实施条例", 7, 1, ["满一个月的次日至满一年的前一日", "满一年的当日", "无固定期限劳动合同"]),
        ("劳动合同法实施条例", 25, 1, ["不再支付经济补偿", "赔偿金的计算年限自用工之日起计算"]),
        ("劳动合同法实施条例", 27, 1, ["应得工资", "最低工资标准", "不满12个月的，按照实际工作的月数"]),
        ("劳动争议调解仲裁法", 27, 1, ["时效期间为一年", "知道或者应当知道"]),
        ("劳动争议调解仲裁法", 27, 2, ["中断", "重新计算"]),
        ("劳动争议调解仲裁法", 27, 3, ["中止", "继续计算"]),
        ("劳动争议调解仲裁法", 27, 4, ["拖欠劳动报酬", "不受本条第一款规定的仲裁时效期间的限制", "终止之日起一年内"]),
        ("劳动合同法", 46, 1, ["应当向劳动者支付经济补偿"]),
        (
            "劳动合同法实施条例",
            5,
            1,
            ["经用人单位书面通知后，劳动者不与用人单位订立书面劳动合同", "无需向劳动者支付经济补偿"],
        ),
        ("劳动合同法实施条例", 6, 1, ["劳动者不与用人单位订立书面劳动合同的", "书面通知劳动者终止劳动关系"]),
        ("劳动保障监察条例", 20, 1, ["2年内", "不再查处"]),
        ("劳动保障监察条例", 20, 2, ["有连续或者继续状态的，自行为终了之日起计算"]),
        ("工伤保险条例", 17, 2, ["1年内", "用人单位所在地"]),
        ("行政复议法", 20, 1, ["六十日内提出行政复议申请"]),
        ("社会保险法", 83, 2, ["社会保险经办机构", "行政复议或者提起行政诉讼"]),
    ],
)
def test_rules_rest_on_the_statute_wording(stem, number, paragraph, words):
    text = paragraphs(stem, number)[paragraph - 1]
    for w in words:
        assert w in text, f"{stem} 第{number}条第{paragraph}款 lacks {w}"
