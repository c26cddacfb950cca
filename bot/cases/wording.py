"""What a worker reads about their case: the status, then the clock and the next door for its kind.

The route after a station differs by category, and so does the time limit that matters:
labour disputes go to arbitration within a year (劳动争议调解仲裁法 §5, §27), wages owed while
employed have no limit until the job ends (§27 ¶4), a pension decision of the 社保经办机构 is
reviewed (60 days, 行政复议法 §20) or taken to court (社会保险法 §83 ¶2), never to arbitration,
and an injury needs its 工伤认定 within a year (工伤保险条例 §17), reviewed under §55.

A new status needs one line in `_STATUS` (and a place in `FINAL` and `_LEAD` when the station does
nothing more after it); tests/test_case_wording.py fails for a status of bot/cases/lifecycle.py or
bot/cases/outcomes.py without words.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from bot.job_help_words import SHORT as JOB_HELP

LABOUR, WAGES, PENSION, INJURY = "labour", "wages", "pension", "injury"
ROUTES = {"wage_arrears": WAGES, "pension_adjustment": PENSION, "work_injury": INJURY}  # others: LABOUR

# What has happened, by status.
_STATUS: Dict[str, str] = {
    "draft": "已登记，正在等服务站工作人员受理。",
    "accepted": "服务站已经受理，工作人员会打电话联系您。",
    "mediating": "正在调解中，调解员在和单位沟通。",
    "closed": "已经办结。",
    # issue 16's statuses (bot/cases/outcomes.py)
    "agreement": "已经达成调解协议，单位应当按协议付款；欠薪、工伤医疗费、经济补偿或赔偿金到期不付的，"
    "可以拿调解协议书向法院申请支付令（《劳动争议调解仲裁法》第十六条）。",
    "mediation_failed": "调解没有成功。",
    "referred": "已经转给有关部门办理，工作人员会告诉您进展。",
    "withdrawn": "已经撤回。",
}
# Where the general words are wrong for a route.
_STATUS_BY_ROUTE: Dict[Tuple[str, str], str] = {
    ("mediating", PENSION): "工作人员正在和社保经办机构沟通。",
    ("agreement", PENSION): "已经和社保经办机构谈妥，请留意到账。",
}
# Statuses after which the station does nothing more: the worker reads where to go next.
FINAL = frozenset({"closed", "withdrawn"})
# How the next door is introduced after a final status.
_LEAD = {"closed": "如果对结果不满意：", "withdrawn": "以后还想追究的话："}

# While a case is open: which clock runs (a station's case stops none of them).
_CLOCK = {
    LABOUR: "申请仲裁的时效一般是一年，从知道权益受侵害之日算起（《劳动争议调解仲裁法》第二十七条），"
    "快到一年请直接去仲裁委申请。",
    WAGES: "还在职的，追讨欠薪不受一年时效限制；已经离职的，要在离职之日起一年内申请仲裁"
    "（《劳动争议调解仲裁法》第二十七条），快到一年请直接去仲裁委申请。",
    PENSION: "养老金由社保经办机构核定，不走劳动仲裁。对它的书面决定不服的，要在知道之日起60日内"
    "申请行政复议（《行政复议法》第二十条），或者提起行政诉讼（《社会保险法》第八十三条）。",
    INJURY: "单位30日内没申请工伤认定的，您或家属要在事故发生之日起1年内，"
    "向单位所在地的社保行政部门申请（《工伤保险条例》第十七条），请别拖。",
}
# What a registration is not, said while the case is still a draft.
_NOT_AN_APPLICATION = {
    LABOUR: "这只是登记，不是正式的仲裁申请。",
    WAGES: "这只是登记，不是正式的仲裁申请。",
    PENSION: "",
    INJURY: "这只是登记，不是工伤认定申请。",
}
# After the case is closed: the next door if the worker is not satisfied.
_NEXT = {
    LABOUR: "可以向劳动争议仲裁委员会申请仲裁（《劳动争议调解仲裁法》第五条），时效一般是一年（同法第二十七条）。",
    WAGES: "可以向劳动争议仲裁委员会申请仲裁（《劳动争议调解仲裁法》第五条），"
    "还在职的不受一年时效限制，离职的要在一年内（同法第二十七条）。"
    "达成了调解协议、单位到期不付钱的，也可以拿调解协议书向法院申请支付令（同法第十六条）。",
    PENSION: "对社保经办机构的决定，可以在知道之日起60日内申请行政复议（《行政复议法》第二十条），"
    "也可以提起行政诉讼（《社会保险法》第八十三条）。这类问题不走劳动仲裁。",
    INJURY: "对工伤认定不予受理或者认定结论不服的，可以申请行政复议（一般在知道之日起60日内，"
    "《行政复议法》第二十条），也可以提起行政诉讼（《工伤保险条例》第五十五条）；"
    "认定了工伤、单位不给工伤待遇的，可以申请劳动仲裁（同条例第五十四条）。",
}

# Routes whose closing words also offer job help: a worker who fought for wages or a job may need
# the next one ("维权赢了，饭碗丢了"). Not a pension case (a retiree asks if they want it), nor an
# injury case (the worker is healing, and the employer keeps the job through treatment).
JOB_HELP_ROUTES = frozenset({LABOUR, WAGES})

# Every article the texts above name (tests/test_citations.py checks them against the statutes).
CITATIONS = (
    ("劳动争议调解仲裁法", 5),
    ("劳动争议调解仲裁法", 16),
    ("劳动争议调解仲裁法", 27),
    ("行政复议法", 20),
    ("社会保险法", 83),
    ("工伤保险条例", 17),
    ("工伤保险条例", 54),
    ("工伤保险条例", 55),
)


def route(category: Optional[str]) -> str:
    return ROUTES.get(category or "", LABOUR)


def status_words(status: str, category: Optional[str]) -> str:
    """The status in words, then the clock (open case) or the next door (final status)."""
    way = route(category)
    said = _STATUS_BY_ROUTE.get((status, way)) or _STATUS.get(status) or "正在办理中。"
    if status in FINAL:
        job_help = "\n" + JOB_HELP if status == "closed" and way in JOB_HELP_ROUTES else ""
        return said + _LEAD.get(status, "") + _NEXT[way] + job_help
    return said + "提醒：" + (_NOT_AN_APPLICATION[way] if status == "draft" else "") + _CLOCK[way]


def draft_reminder(category: Optional[str]) -> str:
    """What the intake says when it saves a draft: what it is not, and the clock for this kind of case."""
    way = route(category)
    return "提醒：" + _NOT_AN_APPLICATION[way] + _CLOCK[way]


def all_texts() -> Tuple[str, ...]:
    return (
        tuple(_STATUS.values())
        + tuple(_STATUS_BY_ROUTE.values())
        + tuple(_CLOCK.values())
        + tuple(_NOT_AN_APPLICATION.values())
        + tuple(_LEAD.values())
        + tuple(_NEXT.values())
        + (JOB_HELP,)
    )
