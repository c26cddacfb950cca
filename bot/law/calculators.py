"""Labour-law calculators: the figures a worker asks about, each tied to statute and article.

Plain Python, standard library only, no Rasa. Every rule is checked against the statute texts
in ../shared/law (one Markdown file per statute, articles on lines beginning 第N条):

- economic compensation N: 劳动合同法 §47 (wage definition ¶3, cap ¶2), 实施条例 §27, §10,
  劳动合同法 §46 (when it is owed), §97 ¶3 (years before 2008, not modelled: said when it applies);
- unlawful termination 2N: 劳动合同法 §87, §48, 实施条例 §25;
- double wages for no written contract: 劳动合同法 §10, §82, §14 ¶3, 实施条例 §5, §6, §7;
- arbitration time limit: 劳动争议调解仲裁法 §27; what is left once it has passed: 劳动保障监察条例 §20.

Inputs a worker could get wrong raise ValueError with a short Chinese message the caller shows
as is. Every assumption and simplification is stated, in Chinese, in the result; the caveats that
can change the answer for this worker (`caveats`) are part of the explanation the worker reads.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import List, Optional, Tuple

# (statute file stem, article number), as in ../shared/law/<stem>(<date>).md
Citation = Tuple[str, int]

LCL = "劳动合同法"
LCL_REGS = "劳动合同法实施条例"
LDMAL = "劳动争议调解仲裁法"
INSPECTION = "劳动保障监察条例"
INJURY_INSURANCE = "工伤保险条例"
REVIEW = "行政复议法"
SOCIAL_INSURANCE = "社会保险法"

# Every citation any calculator here can produce (tests check each against the statute texts).
CITATIONS: Tuple[Citation, ...] = (
    (LCL, 10),
    (LCL, 14),
    (LCL, 46),
    (LCL, 47),
    (LCL, 48),
    (LCL, 82),
    (LCL, 87),
    (LCL, 97),
    (LCL_REGS, 5),
    (LCL_REGS, 6),
    (LCL_REGS, 7),
    (LCL_REGS, 10),
    (LCL_REGS, 25),
    (LCL_REGS, 27),
    (LDMAL, 27),
    (INSPECTION, 20),
    (INJURY_INSURANCE, 17),
    (INJURY_INSURANCE, 54),
    (REVIEW, 20),
    (SOCIAL_INSURANCE, 83),
)

LAW_IN_FORCE = date(2008, 1, 1)  # 劳动合同法 §98
# Below this monthly wage the minimum-wage floor (实施条例 §27) may matter: every local minimum
# wage published so far is under it. Above it the caveat cannot apply and is left out.
MINIMUM_WAGE_CHECK_BELOW = 3000
# A deadline this close is said with the days left.
DEADLINE_SOON_DAYS = 60

CLOSING = "以上是按您提供的信息做的估算，最终以劳动争议仲裁委员会或法院的认定为准。"


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Calculation:
    """A sum of money: `amount` yuan (2 decimals) = monthly base × `months`."""

    amount: float
    months: float
    assumptions: List[str] = field(default_factory=list)
    citations: List[Citation] = field(default_factory=list)
    summary: str = ""
    notes: List[str] = field(default_factory=list)
    caveats: List[str] = field(default_factory=list)

    def explain(self) -> str:
        return "".join([self.summary, *self.caveats, *self.notes, CLOSING])


@dataclass
class DoubleWageCalculation(Calculation):
    """Double wages for no written contract; the period is inclusive, None when it is empty."""

    period_start: Optional[date] = None
    period_end: Optional[date] = None
    open_ended_deemed_from: Optional[date] = None

    @property
    def open_ended_contract_deemed(self) -> bool:
        return self.open_ended_deemed_from is not None


@dataclass
class DeadlineResult:
    """The last day to apply for labour arbitration, or None while no time limit runs."""

    last_day: Optional[date]
    assumptions: List[str] = field(default_factory=list)
    citations: List[Citation] = field(default_factory=list)
    summary: str = ""
    notes: List[str] = field(default_factory=list)
    caveats: List[str] = field(default_factory=list)

    def explain(self) -> str:
        return "".join([self.summary, *self.caveats, *self.notes])


# ---------------------------------------------------------------------------------------------
# Formatting

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1–999 as written in article numbers: 10 → 十, 27 → 二十七, 101 → 一百零一."""
    if not 0 < n < 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = _DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and units:
        out += "零"
    if units:
        out += _DIGITS[units]
    return out


def _reference(stem: str, article: int, paragraph: Optional[int] = None) -> str:
    para = f"第{chinese_numeral(paragraph)}款" if paragraph else ""
    return f"《{stem}》第{chinese_numeral(article)}条{para}"


def cite(stem: str, article: int, paragraph: Optional[int] = None) -> str:
    """（《劳动合同法》第四十七条第二款）"""
    return f"（{_reference(stem, article, paragraph)}）"


def cites(*refs: tuple) -> str:
    """（《劳动合同法》第八十二条、《劳动合同法实施条例》第六条）"""
    return "（" + "、".join(_reference(*ref) for ref in refs) + "）"


def _yuan(value) -> str:
    text = f"{Decimal(str(value)):,.2f}"
    return (text[:-3] if text.endswith(".00") else text) + "元"


def _months_text(months: Fraction) -> str:
    if months.denominator == 1:
        return f"{months.numerator}个月"
    if (months * 2).denominator == 1:
        return f"{float(months):g}个月"
    return f"约{float(months):.2f}个月"


def _duration_text(months: Fraction) -> str:
    years, rest = divmod(months, 12)
    rest_text = f"{float(rest):g}个月" if rest else ""
    if years:
        return f"{int(years)}年{rest_text}"
    return rest_text


def _date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _round_yuan(value: Fraction) -> float:
    """Half up to the fen (values here are never negative)."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return float(Decimal(cents) / 100)


# ---------------------------------------------------------------------------------------------
# Validation


def _number(value, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        raise ValueError(f"{what}应当是一个数字。")
    if isinstance(value, (float, Decimal)):
        if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
            raise ValueError(f"{what}应当是一个有效的数字。")
        return Fraction(str(value))  # the decimal the user typed, not its binary neighbour
    return Fraction(value)


def _positive(value, what: str) -> Fraction:
    number = _number(value, what)
    if number <= 0:
        raise ValueError(f"{what}必须大于零，请检查一下。")
    return number


def _date(value, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValueError(f"{what}不是有效的日期。")
    return value


def add_months(d: date, months: int) -> date:
    """The corresponding day `months` later; the month's last day when there is none (1-31 → 2-28)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------------
# Economic compensation (劳动合同法 §47) and unlawful-termination damages (§87)


def _compensation_months(months_worked: Fraction) -> Fraction:
    """§47 ¶1: a month's wage per full year; 6 months or more (以上, so 6 included) counts as a
    year, less than 6 months as half a month."""
    years, rest = divmod(months_worked, 12)
    multiplier = Fraction(years)
    if rest >= 6:
        multiplier += 1
    elif rest > 0:
        multiplier += Fraction(1, 2)
    return multiplier


@dataclass
class _Basis:
    """What N and 2N share: the monthly base, N, the assumptions and the figure sentence."""

    base: Fraction
    months: Fraction
    assumptions: List[str]
    worked_text: str
    figure: str
    caveats: List[str]


def _compensation(monthly_wage, months_worked, local_average_monthly_wage, today: Optional[date] = None) -> _Basis:
    wage = _positive(monthly_wage, "月工资")
    worked = _positive(months_worked, "工作时间（月数）")
    average = None
    if local_average_monthly_wage is not None:
        average = _positive(local_average_monthly_wage, "当地上年度职工月平均工资")

    months = _compensation_months(worked)
    base = wage
    capped = average is not None and wage > 3 * average  # 高于: strictly above
    if capped and average is not None:
        # §47 ¶2: both limits apply only to a wage above three times the local average.
        base = 3 * average
        months = min(months, Fraction(12))

    assumptions = [
        "按您说的月工资计算。法律上的月工资是劳动合同解除或者终止前十二个月的平均工资"
        + cite(LCL, 47, 3)
        + "，按应得工资算，包括计时或计件工资以及奖金、津贴和补贴，"
        "工作不满十二个月的按实际工作的月数平均" + cite(LCL_REGS, 27) + "。",
        "前十二个月的平均工资低于当地最低工资标准的，按当地最低工资标准计算"
        + cite(LCL_REGS, 27)
        + "；这里没有核对最低工资标准。",
        "工作年限按您在本单位工作的时间计算；非因本人原因被安排到新单位的，原单位的年限可以合并计算"
        + cite(LCL_REGS, 10)
        + "。",
    ]
    if average is None:
        assumptions.append(
            "您没有提供当地上年度职工月平均工资，所以没有检查封顶：月工资高于所在直辖市或设区的市公布的"
            "上年度职工月平均工资三倍的，按三倍计算，年限最多算十二年" + cite(LCL, 47, 2) + "。"
        )
    elif capped:
        assumptions.append(
            "当地上年度职工月平均工资按您说的" + _yuan(float(average)) + "计算，应以所在直辖市或设区的市"
            "人民政府公布的数字为准。"
        )
    else:
        assumptions.append(
            "您的月工资没有高于当地上年度职工月平均工资（" + _yuan(float(average)) + "）的三倍，"
            "不受封顶限制，工作年限也不受十二年的限制" + cite(LCL, 47, 2) + "。"
        )

    caveats = []
    if average is None:
        caveats.append(
            "封顶规则：月工资高于当地上年度职工月平均工资三倍的，按三倍算，年限最多算十二年"
            + cite(LCL, 47, 2)
            + "。您没有提供当地平均工资，上面的数没有封顶。"
        )
    if wage < MINIMUM_WAGE_CHECK_BELOW:
        caveats.append("前十二个月平均工资低于当地最低工资标准的，按最低工资标准算" + cite(LCL_REGS, 27) + "。")
    if today is not None and add_months(today, -math.ceil(worked)) < LAW_IN_FORCE:
        caveats.append(
            "您有2008年以前的工作年限：这部分按当时的规定算，当时不该给补偿的就没有，结果可能比上面少"
            + cite(LCL, 97, 3)
            + "。"
        )

    worked_text = _duration_text(worked)
    if capped and average is not None:
        figure = (
            f"您的月工资高于当地上年度职工月平均工资{_yuan(float(average))}的三倍，"
            f"所以月工资按三倍即{_yuan(float(base))}计算，年限最多算十二年{cite(LCL, 47, 2)}，"
            f"按{_months_text(months)}计算"
        )
    else:
        figure = f"按{_months_text(months)}工资计算"
    return _Basis(
        base=base, months=months, assumptions=assumptions, worked_text=worked_text, figure=figure, caveats=caveats
    )


# When N is owed at all (劳动合同法 §46): the worker is never asked why the job ended, so say it.
WHEN_N_IS_OWED = (
    "要不要付经济补偿，看合同是怎么结束的" + cite(LCL, 46) + "：单位提出、双方协商解除，您没有过错却被辞退或者裁员，"
    "合同到期单位不按原条件续签，或者单位欠薪、不交社保您才辞职的，要付；"
    "您自己要走、单位又没有过错的，没有经济补偿。"
)


def economic_compensation(
    monthly_wage: float,
    months_worked: float,
    local_average_monthly_wage: Optional[float] = None,
    today: Optional[date] = None,
) -> Calculation:
    """经济补偿 N (劳动合同法 §47): amount = monthly base × months. With `today`, work before
    2008 (§97 ¶3) is recognised and said."""
    basis = _compensation(monthly_wage, months_worked, local_average_monthly_wage, today)
    base, months, worked_text, figure = basis.base, basis.months, basis.worked_text, basis.figure
    assumptions = basis.assumptions + [
        "这里只计算金额。单位是否应当支付经济补偿，要看劳动合同是因为什么解除或者终止的" + cite(LCL, 46) + "。",
        "没有区分2008年1月1日《劳动合同法》施行前后的工作年限；施行前的部分按当时的规定计算，"
        "结果可能不同" + cite(LCL, 97, 3) + "。",
    ]
    amount = _round_yuan(base * months)
    summary = (
        f"您在本单位工作了{worked_text}。经济补偿按每满一年支付一个月工资，六个月以上不满一年的"
        f"按一年算，不满六个月的支付半个月工资{cite(LCL, 47)}，{figure}："
        f"{_yuan(float(base))} × {float(months):g} = {_yuan(amount)}。"
    )
    notes = [f"如果单位是违法解除或者终止劳动合同，赔偿金是经济补偿的两倍{cite(LCL, 87)}。"]
    citations = [(LCL, 47), (LCL_REGS, 27), (LCL_REGS, 10), (LCL, 46), (LCL, 97), (LCL, 87)]
    return Calculation(
        amount=amount,
        months=float(months),
        assumptions=assumptions,
        citations=citations,
        summary=summary,
        notes=notes,
        caveats=[WHEN_N_IS_OWED] + basis.caveats,
    )


def unlawful_termination_damages(
    monthly_wage: float, months_worked: float, local_average_monthly_wage: Optional[float] = None
) -> Calculation:
    """赔偿金 2N (劳动合同法 §87): twice the §47 compensation, cap included."""
    basis = _compensation(monthly_wage, months_worked, local_average_monthly_wage)
    base, months, worked_text, figure = basis.base, 2 * basis.months, basis.worked_text, basis.figure
    assumptions = basis.assumptions + [
        "这里假设单位确实是违法解除或者终止劳动合同；是否违法，由仲裁委或法院认定。",
        "赔偿金的计算年限自用工之日起计算，2008年以前的工作年限也算在内" + cite(LCL_REGS, 25) + "。",
    ]
    amount = _round_yuan(base * months)
    summary = (
        f"您在本单位工作了{worked_text}。单位违法解除或者终止劳动合同的，应当按经济补偿标准的两倍"
        f"支付赔偿金{cite(LCL, 87)}。经济补偿按每满一年一个月工资计算{cite(LCL, 47)}，"
        f"{figure}，两倍就是{_months_text(months)}："
        f"{_yuan(float(base))} × {float(months):g} = {_yuan(amount)}。"
    )
    notes = [
        f"您也可以不要赔偿金，而是要求单位继续履行劳动合同{cite(LCL, 48)}。",
        f"拿了赔偿金，就不再另拿经济补偿{cite(LCL_REGS, 25)}。",
    ]
    citations = [(LCL, 87), (LCL, 47), (LCL_REGS, 27), (LCL_REGS, 10), (LCL, 48), (LCL_REGS, 25)]
    # No `today` here: 2N counts every year from the start of work (实施条例 §25), 2008 or not.
    return Calculation(
        amount=amount,
        months=float(months),
        assumptions=assumptions,
        citations=citations,
        summary=summary,
        notes=notes,
        caveats=basis.caveats,
    )


# ---------------------------------------------------------------------------------------------
# Double wages for no written contract (劳动合同法 §10, §82, §14 ¶3; 实施条例 §6, §7)


def double_wage_months(start: date, end_inclusive: date) -> Fraction:
    """Months of double wages in the period [start + 1 month, end_inclusive], at most 11.

    Month j (j = 1..11) of the period runs from the j-month anniversary of `start` to the day
    before the next one; a month covered in part counts as days covered / days in that month.
    """
    end = end_inclusive + timedelta(days=1)  # exclusive
    total = Fraction(0)
    for j in range(1, 12):
        lo, hi = add_months(start, j), add_months(start, j + 1)
        covered = (min(end, hi) - lo).days
        if covered <= 0:
            break
        total += Fraction(covered, (hi - lo).days)
    return total


def _double_wage_figure(wage: Fraction, months: Fraction, start: date, end: date) -> str:
    """ "共4个整月零1天（不满一个月的1天按那个月30天折算）：6,000元 × (4 + 1/30)" """
    whole = math.floor(months)
    if months == whole:
        return f"共{whole}个月，按月工资{_yuan(float(wage))}计算，单位还应另外支付{_yuan(float(wage))} × {whole}"
    lo, hi = add_months(start, whole + 1), add_months(start, whole + 2)
    days, month_days = (end - lo).days + 1, (hi - lo).days
    head = f"{whole}个整月零{days}天" if whole else f"{days}天"
    factor = f"({whole} + {days}/{month_days})" if whole else f"{days}/{month_days}"
    return (
        f"共{head}（不满一个月的{days}天按那个月{month_days}天折算，共{_months_text(months)}），"
        f"按月工资{_yuan(float(wage))}计算，单位还应另外支付{_yuan(float(wage))} × {factor}"
    )


def double_wage_difference(
    monthly_wage: float, start: date, signed: Optional[date], today: date, left: Optional[date] = None
) -> DoubleWageCalculation:
    """The extra month's wage for each month without a written contract (二倍工资差额).

    `left` is the worker's last day at work (None: still working there): nothing is owed for
    days after it, and an open-ended contract is deemed only when the job lasted a full year.
    """
    wage = _positive(monthly_wage, "月工资")
    start = _date(start, "入职（用工）日期")
    today = _date(today, "今天的日期")
    if signed is not None:
        signed = _date(signed, "签订书面劳动合同的日期")
    if left is not None:
        left = _date(left, "离职日期")
    if today < start:
        raise ValueError("入职日期不能晚于今天，请检查一下日期。")
    if signed is not None and signed > today:
        raise ValueError("签合同的日期不能晚于今天，请检查一下日期。")
    if left is not None and left > today:
        raise ValueError("离职日期不能晚于今天，请检查一下日期。")
    if left is not None and left < start:
        raise ValueError("离职日期不能早于入职日期，请检查一下日期。")

    # Work begun before the law: a contract was due within a month of 2008-01-01 (§97 ¶2).
    counted_from = max(start, LAW_IN_FORCE)
    first_day = add_months(counted_from, 1)  # 用工之日起满一个月的次日
    one_year = add_months(counted_from, 12)  # 满一年的当日: open-ended contract deemed made
    last_possible = one_year - timedelta(days=1)  # 满一年的前一日
    worked_until = left if left is not None else today
    end = (signed - timedelta(days=1)) if signed is not None else worked_until
    end = min(end, worked_until, last_possible)
    months = double_wage_months(counted_from, end) if end >= first_day else Fraction(0)
    amount = _round_yuan(wage * months)

    deemed = None
    if worked_until >= one_year and (signed is None or signed >= one_year):
        deemed = one_year

    assumptions = [
        f"用工之日按{_date_text(counted_from)}算。二倍工资从用工满一个月的次日算起（这里是{_date_text(first_day)}），"
        f"算到补签书面合同的前一日" + cite(LCL_REGS, 6, 2) + "；一直没签的，算到今天，"
        f"最多算到用工满一年的前一日（这里是{_date_text(last_possible)}），也就是最多11个月"
        + cite(LCL_REGS, 7)
        + "。已经离职的，只算到离职那天为止。",
        "不满一个月的部分按日历天数折算：这个月里没签合同的天数 ÷ 这个月的总天数。有的地方按月工资÷21.75天"
        "折算日工资再乘以计薪天数，结果会略有不同。",
        "按您说的月工资计算；各地对月工资是否包括加班费、奖金的做法不一样。这里算的是单位还应额外支付的"
        "那一倍工资，正常工资另算。",
        "前提是没签合同的原因在单位；单位书面通知您签、您却不签的，情况不同"
        + cites((LCL_REGS, 5), (LCL_REGS, 6))
        + "。",
        "二倍工资差额的仲裁时效从什么时候算，各地做法不一，有的按月分别计算，时间越久能拿到的月份可能越少，"
        "请尽快申请仲裁" + cite(LDMAL, 27) + "。",
    ]
    citations = [(LCL, 10), (LCL, 82), (LCL_REGS, 5), (LCL_REGS, 6), (LCL_REGS, 7), (LDMAL, 27)]
    caveats = []
    if months > 0:
        caveats.append(
            "如果是单位书面通知您签合同、您自己不签，单位可以书面通知终止劳动关系，"
            "这种情况一般拿不到二倍工资" + cites((LCL_REGS, 5), (LCL_REGS, 6)) + "。"
        )
        if left is not None and add_years(left, 1) < today:
            caveats.append(
                f"您离职已经超过一年，这笔钱很可能已经过了一年的仲裁时效{cite(LDMAL, 27)}。"
                f"这期间向单位讨要过、向有关部门投诉过的，时效从那时重新算{cite(LDMAL, 27, 2)}，"
                "请带上记录尽快咨询当地仲裁委或法律援助机构。"
            )
        else:
            caveats.append(
                "二倍工资的仲裁时效是一年，各地从哪天起算不一样，有的按月分别算，拖得越久能拿的越少，"
                "请尽快申请仲裁" + cite(LDMAL, 27) + "。"
            )
    if start < LAW_IN_FORCE:
        assumptions.append(
            "您在2008年1月1日《劳动合同法》施行前就开始工作。施行前已建立劳动关系、还没签书面合同的，"
            "应当自施行之日起一个月内订立" + cite(LCL, 97, 2) + "，所以这里从2008年1月1日起算；"
            "这种情况各地认定可能不同。"
        )
        citations.append((LCL, 97))

    if months == 0:
        if signed is not None and signed <= first_day:
            summary = (
                f"您在用工前或者用工之日起一个月内就签了书面劳动合同{cite(LCL, 10)}，"
                f"不涉及未签合同的二倍工资{cite(LCL, 82)}，差额为0元。"
            )
        elif left is not None:
            summary = (
                f"单位应当自用工之日起一个月内与您订立书面劳动合同{cite(LCL, 10)}；"
                f"您干了不到一个月就离开了，不涉及未签合同的二倍工资{cite(LCL, 82)}，"
                f"干活那些天的工资单位照样要付。"
            )
        else:
            summary = (
                f"单位应当自用工之日起一个月内与您订立书面劳动合同{cite(LCL, 10)}。"
                f"到今天还没超过一个月，暂时没有二倍工资；如果到{_date_text(first_day)}还没签，"
                f"从那天起单位每月应当多付您一倍工资{cite(LCL, 82)}。"
            )
        period_start = period_end = None
    else:
        period_start, period_end = first_day, end
        summary = (
            f"单位从{_date_text(start)}用工，应当在一个月内和您订立书面劳动合同{cite(LCL, 10)}；"
            f"超过一个月没有订立的，应当每月向您支付二倍的工资{cites((LCL, 82), (LCL_REGS, 6))}。"
            f"从{_date_text(first_day)}到{_date_text(end)}，"
            f"{_double_wage_figure(wage, months, counted_from, end)} = {_yuan(amount)}。"
        )

    notes = []
    if deemed is not None:
        citations.append((LCL, 14))
        notes.append(
            f"用工满一年还没签书面合同，依法视为从{_date_text(deemed)}起您和单位已经订立无固定期限劳动合同，"
            f"单位应当立即与您补签{cites((LCL, 14, 3), (LCL_REGS, 7))}；二倍工资只算到满一年的前一日。"
        )
    elif signed is None and left is None:
        notes.append(
            f"如果到{_date_text(one_year)}还没签书面合同，依法视为您和单位已经订立无固定期限劳动合同"
            f"{cite(LCL, 14, 3)}。"
        )
        citations.append((LCL, 14))
    notes.append("请保留工资流水、考勤、工牌和工作群聊天记录，用来证明您在这家单位工作。")

    return DoubleWageCalculation(
        amount=amount,
        months=float(months),
        assumptions=assumptions,
        citations=citations,
        summary=summary,
        notes=notes,
        caveats=caveats,
        period_start=period_start,
        period_end=period_end,
        open_ended_deemed_from=deemed,
    )


# ---------------------------------------------------------------------------------------------
# Arbitration time limit (劳动争议调解仲裁法 §27)


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


URGE = "建议尽早申请，不要拖到最后一天。"


def arbitration_deadline(
    knew: Optional[date],
    *,
    wage_arrears: bool = False,
    employment_ended: Optional[date] = None,
    today: Optional[date] = None,
) -> DeadlineResult:
    """Last day to apply for labour arbitration (§27), or None while wage arrears are claimed
    during employment. `knew` may be None only for wage arrears (the clock is the job's end).
    With `today`, a date in the future is refused and a passed deadline says what is left."""
    if knew is not None or not wage_arrears:
        knew = _date(knew, "知道权利受侵害的日期")
    if employment_ended is not None:
        employment_ended = _date(employment_ended, "劳动关系结束的日期")
    if today is not None:
        today = _date(today, "今天的日期")
        if knew is not None and knew > today:
            raise ValueError("这个日期还没到呢。请说您已经知道权益受侵害的那一天。")
        if employment_ended is not None and employment_ended > today:
            raise ValueError("离职日期还没到呢。还在干的话，请说“还在干”。")

    counting = (
        "期限按日历计算：起算的当天不算，到一年后的同一天为最后一天"
        "（没有同一天的，比如2月29日，算到那个月的最后一天）。"
    )
    assumptions: List[str] = []
    interrupted = (
        "如果您向单位讨要过、向劳动监察等有关部门投诉或求助过，或者单位同意支付，时效中断，"
        f"从那时起重新计算一年{cite(LDMAL, 27, 2)}，所以请保留讨要和投诉的记录。"
    )
    suspended = f"因为不可抗力或者其他正当理由没法在时效内申请的，时效中止，原因消除后继续计算{cite(LDMAL, 27, 3)}。"
    notes = [interrupted, suspended]

    if wage_arrears and employment_ended is None:
        last_day = None
        assumptions.append("这里假设您和单位的劳动关系还在继续，争议是拖欠劳动报酬。")
        summary = (
            f"您还在职，因为拖欠劳动报酬申请劳动仲裁，不受一年时效的限制；"
            f"但劳动关系终止后，要在终止之日起一年内提出{cite(LDMAL, 27, 4)}。"
            f"证据放久了不好找，还是建议早点行动。"
        )
        notes = [
            "离职后的这一年时效，也会因为您向单位讨要、向有关部门投诉求助或者单位同意支付而中断，"
            f"从那时起重新计算{cite(LDMAL, 27, 2)}；因为不可抗力或者其他正当理由没法按时申请的，"
            f"时效中止，原因消除后继续计算{cite(LDMAL, 27, 3)}。"
        ]
    elif wage_arrears and employment_ended is not None:  # (not None: the branch above)
        last_day = add_years(employment_ended, 1)
        assumptions.append("这里假设欠的是在职期间的劳动报酬，一年从劳动关系终止之日起算。" + counting)
        if knew is not None and knew > employment_ended:
            assumptions.append(
                "您是离职后才知道被欠薪的；稳妥起见，仍按离职之日起算一年。如果已经过了这个日期，也不要放弃，"
                "可以先咨询当地仲裁委或法律援助机构。"
            )
        summary = (
            f"在职期间被拖欠的劳动报酬，劳动关系终止后要在终止之日起一年内申请仲裁"
            f"{cite(LDMAL, 27, 4)}。您的劳动关系在{_date_text(employment_ended)}终止，"
            f"最后一天是{_date_text(last_day)}。{URGE}"
        )
    else:
        assert knew is not None  # checked by _date above: only wage arrears may go without it
        last_day = add_years(knew, 1)
        assumptions.append(f"这里按您说的{_date_text(knew)}作为您知道或者应当知道权利被侵害的日期。" + counting)
        if employment_ended is not None:
            assumptions.append("这不是在职期间追讨欠薪的情况，时效从知道权利被侵害之日起算，与离职日期无关。")
        summary = (
            f"申请劳动仲裁的时效是一年，从知道或者应当知道权利被侵害之日起计算{cite(LDMAL, 27)}。"
            f"您在{_date_text(knew)}知道，最后一天是{_date_text(last_day)}，"
            f"{URGE}"
        )
    citations = [(LDMAL, 27)]
    caveats = []
    if today is not None and last_day is not None:
        if last_day < today:
            # Never stop at "too late": interruption may have restarted the year, and the
            # inspection complaint has its own two years.
            summary = summary.replace(URGE, "")
            notes = [n for n in notes if n != interrupted]  # said in the caveat, with what else is left
            caveats.append(
                f"按这个日期，一年的时效在{_date_text(last_day)}已经过了。先别放弃：这期间您向单位讨要过、"
                f"向劳动监察等部门投诉求助过，或者单位答应过给钱的，时效从那时重新算一年{cite(LDMAL, 27, 2)}。"
                f"欠薪等违法行为，还可以向劳动保障监察投诉：违法行为发生（持续的从结束）之日起2年内投诉的，"
                f"劳动保障部门会查处{cite(INSPECTION, 20)}。请带上记录尽快咨询当地仲裁委或法律援助机构。"
            )
            citations.append((INSPECTION, 20))
        elif last_day == today:
            caveats.append("今天就是最后一天，请今天就去仲裁委申请。")
        elif (last_day - today).days <= DEADLINE_SOON_DAYS:
            caveats.append(f"离最后一天只剩{(last_day - today).days}天了，请这几天就去申请。")
    return DeadlineResult(
        last_day=last_day, assumptions=assumptions, citations=citations, summary=summary, notes=notes, caveats=caveats
    )


def other_clock(kind: str) -> DeadlineResult:
    """An injury or a pension: the limit that matters is not the arbitration one, so say which it is."""
    if kind == "injury":
        summary = (
            "工伤要先做工伤认定，期限和仲裁时效不一样：单位应当自事故发生之日起30日内申请；单位没申请的，"
            "您或家属、工会可以在事故发生之日起1年内，直接向单位所在地的社保行政部门申请"
            f"{cite(INJURY_INSURANCE, 17)}。认定工伤后单位不给待遇的，再按劳动争议申请仲裁"
            f"{cite(INJURY_INSURANCE, 54)}。"
        )
        citations = [(INJURY_INSURANCE, 17), (INJURY_INSURANCE, 54)]
    elif kind == "pension":
        summary = (
            "养老金由社保经办机构核定，不走劳动仲裁。对它的决定不服的，可以在知道之日起60日内申请行政复议"
            f"{cite(REVIEW, 20)}，也可以提起行政诉讼{cite(SOCIAL_INSURANCE, 83, 2)}。"
        )
        citations = [(REVIEW, 20), (SOCIAL_INSURANCE, 83)]
    else:
        raise ValueError("请说要讨的是什么。")
    return DeadlineResult(last_day=None, citations=citations, summary=summary)
