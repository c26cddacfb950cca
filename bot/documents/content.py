"""What each document says, filled from a case; a blank line wherever the worker gave nothing.

Contents follow the law: the arbitration application 劳动争议调解仲裁法 §28 (parties, claims with
facts and reasons, evidence and witnesses, one copy per respondent); the inspection complaint
劳动保障监察条例 §20–§21 (what inspection takes and what it does not); the mediation application
劳动争议调解仲裁法 §12. Amounts come from bot/law/calculators.py with their article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional, Tuple

from bot.hotlines import LEGAL_AID, RENSHE
from bot.law import calculators
from bot.law.guidance import guidance_for

KINDS = {
    "arbitration": "劳动人事争议仲裁申请书",
    "complaint": "劳动保障监察投诉书",
    "mediation": "调解申请书",
}
# A pension decision is made by the social-insurance agency and reviewed administratively
# (社会保险法 §83): a labour arbitration application for it would be refused, so none is written.
NOT_FOR = {"arbitration": {"pension_adjustment"}, "mediation": {"pension_adjustment"}}
BLANK = None
# Under the roster: why most phones are partly hidden (bot/cases/roster.py prints them so).
ROSTER_NOTE = (
    "劳动者一方在十人以上并有共同请求的，可以推举代表参加调解、仲裁或者诉讼活动（《劳动争议调解仲裁法》第七条）。"
    "代表的电话完整列出，其他劳动者的电话隐去中间四位，需要时经代表联系。"
)


class NotApplicable(ValueError):
    """This kind of document is the wrong route for this case; `message` says the right one."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Party:
    role: str  # 申请人 / 被申请人 / 投诉人 / 被投诉单位
    fields: List[Tuple[str, Optional[str]]]  # (label, value or BLANK)

    def __post_init__(self) -> None:
        self.fields = [(label, None if value in (None, "") else str(value)) for label, value in self.fields]


@dataclass
class Claim:
    text: str  # what is asked, as the worker will sign it
    basis: str  # how the figure was reached and the article it rests on
    amount: Optional[float] = None


@dataclass
class Document:
    kind: str
    title: str
    addressee: str
    parties: List[Party]
    claims: List[Claim]
    facts: str
    evidence: List[str]
    witnesses: List[str]
    closing: List[str]
    how_to_file: List[str]
    roster: List[Dict[str, Any]] = field(default_factory=list)

    def text(self) -> str:
        """Every word of the document, in order (tests and a plain-text preview read this)."""
        lines = [self.title, self.addressee]
        for party in self.parties:
            lines.append(party.role)
            lines += [f"{label}：{value or '＿＿＿＿'}" for label, value in party.fields]
        lines += [c.text + "（" + c.basis + "）" for c in self.claims]
        lines += [self.facts, *self.evidence, *self.witnesses, *self.closing, *self.how_to_file]
        lines += [" ".join(str(v) for v in r.values()) for r in self.roster]
        return "\n".join(lines)


def _yuan(value: Optional[float]) -> str:
    return "＿＿＿＿元" if value is None else f"{value:,.2f}元".replace(".00元", "元")


def _details(case: Dict[str, Any]) -> Dict[str, Any]:
    return dict(case.get("details") or {})


def _worker(case: Dict[str, Any], role: str) -> Party:
    d = _details(case)
    return Party(
        role,
        [
            ("姓名", case.get("name")),
            ("性别", d.get("sex")),
            ("年龄", d.get("age")),
            ("身份证号码", d.get("id_number")),
            ("职业（工种）", d.get("occupation")),
            ("工作单位", case.get("employer")),
            ("住所", d.get("home_address")),
            ("联系电话", case.get("phone")),
        ],
    )


def _employers(case: Dict[str, Any], role: str) -> List[Party]:
    d = _details(case)
    parties = [
        Party(
            role,
            [
                # On a construction site the one who hired the worker may be a 包工头 known by name only.
                ("单位名称", case.get("employer") or d.get("subcontractor")),
                ("住所", d.get("employer_address")),
                ("法定代表人或主要负责人", d.get("legal_representative")),
                ("职务", d.get("representative_title")),
                ("联系电话", d.get("employer_phone")),
            ],
        )
    ]
    # 保障农民工工资支付条例 §30: on a construction project the general contractor pays first
    # when a subcontractor owes the wages (§36: it pays when it sublet the work to a 包工头), so it
    # is named too: only on a construction project, which bot/cases/details.py decides.
    if d.get("general_contractor") and d.get("general_contractor") != case.get("employer"):
        parties.append(
            Party(
                f"{role}（施工总承包单位）",
                [
                    ("单位名称", d.get("general_contractor")),
                    ("住所", d.get("general_contractor_address")),
                    ("法定代表人或主要负责人", BLANK),
                    ("职务", BLANK),
                ],
            )
        )
    return parties


def _months(case: Dict[str, Any]) -> Optional[float]:
    months = case.get("period_months")
    return float(months) if isinstance(months, (int, float)) and months > 0 else None


def claims_for(case: Dict[str, Any]) -> List[Claim]:
    """Each claim on its own line with the figure's basis, so the worker can check or strike it."""
    d = _details(case)
    category, amount, months = case.get("category"), case.get("amount"), _months(case)
    claims: List[Claim] = []
    if category in ("wage_arrears", "platform_work", "dismissal") and amount:
        period = f"共{months:g}个月" if months else "拖欠期间＿＿个月"
        claims.append(
            Claim(
                f"支付拖欠的劳动报酬{_yuan(amount)}（{period}）",
                "金额按申请人提供的数字；《劳动合同法》第三十条：用人单位应当及时足额支付劳动报酬",
                amount,
            )
        )
    wage, worked = d.get("monthly_wage"), d.get("months_worked")
    if category == "dismissal":
        if wage and worked:
            n = calculators.economic_compensation(float(wage), float(worked), d.get("local_average_wage"))
            claims.append(Claim(f"支付解除劳动合同经济补偿{_yuan(n.amount)}", n.summary, n.amount))
        else:
            claims.append(
                Claim(
                    "支付解除劳动合同经济补偿＿＿＿＿元",
                    "每满一年支付一个月工资，《劳动合同法》第四十六条、第四十七条；"
                    "违法解除的，赔偿金为其两倍（第八十七条）",
                )
            )
    if category == "labor_contract":
        if wage and d.get("start_date"):
            left = date.fromisoformat(d["leaving_date"]) if d.get("leaving_date") else None
            calc = calculators.double_wage_difference(
                float(wage),
                date.fromisoformat(d["start_date"]),
                None,
                today=date.fromisoformat(case["today"]),
                left=left,
            )
            claims.append(Claim(f"支付未签订书面劳动合同的二倍工资差额{_yuan(calc.amount)}", calc.summary, calc.amount))
        else:
            claims.append(
                Claim(
                    "支付未签订书面劳动合同的二倍工资差额＿＿＿＿元",
                    "《劳动合同法》第八十二条：超过一个月不满一年未签书面合同，每月支付二倍工资",
                )
            )
    if category == "overtime":
        claims.append(
            Claim("支付加班费＿＿＿＿元", "《劳动法》第四十四条：延长工作时间150%，休息日200%，法定休假日300%")
        )
    if category == "social_insurance":
        claims.append(
            Claim(
                "依法为申请人补缴社会保险费（险种、期间：＿＿＿＿）",
                "《社会保险法》第五十八条、第六十条；未参保造成的损失可一并请求赔偿",
            )
        )
    if category == "work_injury":
        claims.append(
            Claim("支付工伤保险待遇＿＿＿＿元（依工伤认定和劳动能力鉴定结论）", "《工伤保险条例》第三十条至第三十七条")
        )
    contractor = d.get("general_contractor")
    owed_wages = any(c.text.startswith("支付拖欠的劳动报酬") for c in claims)
    if contractor and contractor != case.get("employer") and owed_wages:  # §30 and §36 are about wages
        claims.append(
            Claim(
                f"{contractor}（施工总承包单位）对上述劳动报酬先行清偿",
                "《保障农民工工资支付条例》第三十条：分包单位拖欠农民工工资的，由施工总承包单位先行清偿；"
                "第三十六条：发包或者分包给个人或者不具备合法经营资格的单位的，由施工总承包单位清偿",
            )
        )
    if not claims:
        claims.append(Claim("＿＿＿＿＿＿＿＿", "请写明要求和金额"))
    return claims


def _facts(case: Dict[str, Any]) -> str:
    parts = []
    if case.get("employer"):
        parts.append(f"申请人在{case['employer']}工作")
    if case.get("location"):
        parts.append(f"工作地点在{case['location']}")
    d = _details(case)
    if d.get("project_name"):
        parts.append(f"工程项目为{d['project_name']}")
    if d.get("subcontractor") and d.get("subcontractor") != case.get("employer"):
        parts.append(f"招用申请人的包工头（分包方）为{d['subcontractor']}")
    if d.get("start_date"):
        ended = f"至{d['leaving_date']}离开" if d.get("leaving_date") else "至今仍在工作"
        parts.append(f"申请人自{d['start_date']}起工作，{ended}")
    if d.get("monthly_wage"):
        parts.append(f"月工资{_yuan(float(d['monthly_wage']))}")
    if case.get("worker_count") and case["worker_count"] > 1:
        parts.append(f"共{case['worker_count']}名劳动者有相同请求")
    topic = guidance_for(case.get("category") or "")
    if topic:
        parts.append(f"争议事项：{topic.title}")
    described = (case.get("description") or "").strip()
    return "；".join(parts) + ("。" if parts else "") + (described or "＿＿＿＿＿＿＿＿＿＿＿＿")


def _evidence(case: Dict[str, Any]) -> List[str]:
    have = _details(case).get("evidence") or []
    listed = [f"{i}. {item}" for i, item in enumerate(have, start=1)]
    return listed + [f"{len(listed) + 1}. ＿＿＿＿＿＿（证据来源：＿＿＿＿）"]


def _witnesses(case: Dict[str, Any]) -> List[str]:
    named = _details(case).get("witnesses") or []
    return [f"证人：{w}" for w in named] or ["证人姓名：＿＿＿＿  住所：＿＿＿＿"]


def _where(case: Dict[str, Any], kind: str) -> str:
    station = (case.get("station") or {}).get("name")
    if kind == "arbitration":
        return (
            "向劳动合同履行地或者用人单位所在地的劳动人事争议仲裁委员会递交；两地都申请的，"
            "由履行地受理（《劳动争议调解仲裁法》第二十一条）。" + (f"离您最近的是：{station}。" if station else "")
        )
    if kind == "complaint":
        return "向用人单位所在地的人社局劳动保障监察机构递交。" + (f"也可以先到{station}咨询。" if station else "")
    return (
        f"向{station}或单位所在地的劳动争议调解组织递交，也可以口头申请（第十二条）。"
        if station
        else "向单位所在地的劳动争议调解组织递交，也可以口头申请（《劳动争议调解仲裁法》第十二条）。"
    )


def _how_to_file(case: Dict[str, Any], kind: str, respondents: int) -> List[str]:
    lines = [
        "怎样递交",
        "1. 在哪里：" + _where(case, kind),
        f"2. 带什么：身份证复印件；本文书原件，另按被申请人数带副本{respondents}份；证据原件和复印件。",
        "3. 签名和日期要手写。空着的横线请补上，不清楚的可以到窗口请工作人员帮忙。",
        "4. 在工友助手登记不等于递交。向对方主张权利或向有关部门递交申请，仲裁时效才中断"
        "（《劳动争议调解仲裁法》第二十七条）。请尽早递交。",
        f"5. 有疑问可以拨打{RENSHE}（人社）；请不起律师可以拨打{LEGAL_AID}申请法律援助。",
    ]
    if kind == "complaint":
        lines.append(
            "注意：违法行为超过两年未被发现、也未被举报投诉的，监察机构不再查处（《劳动保障监察条例》第二十条）；"
            "已经申请调解、仲裁或者起诉的事项，监察机构会告知按那条途径办理（第二十一条）。"
        )
    if kind == "mediation":
        lines.append("调解自受理之日起十五日内未达成协议的，可以申请仲裁（《劳动争议调解仲裁法》第十四条）。")
    return lines


def build(kind: str, case: Dict[str, Any], today: date) -> Document:
    if kind not in KINDS:
        raise KeyError(kind)
    if case.get("category") in NOT_FOR.get(kind, set()):
        raise NotApplicable(
            "养老金核定的问题由社保经办机构处理，不服可以申请行政复议或者提起行政诉讼"
            "（《社会保险法》第八十三条），不走劳动仲裁和调解。可以下载投诉书，或到社保经办机构反映。"
        )
    case = {**case, "today": today.isoformat()}
    roles = {
        "arbitration": ("申请人", "被申请人"),
        "complaint": ("投诉人", "被投诉单位"),
        "mediation": ("申请人", "被申请人"),
    }[kind]
    respondents = _employers(case, roles[1])
    addressee = {
        "arbitration": "此致 ＿＿＿＿劳动人事争议仲裁委员会",
        "complaint": "此致 ＿＿＿＿人力资源和社会保障局（劳动保障监察机构）",
        "mediation": "此致 ＿＿＿＿劳动争议调解组织",
    }[kind]
    closing = [f"{roles[0]}（签名）：＿＿＿＿＿＿", f"日期：{today.year}年＿＿月＿＿日"]
    roster = list(_details(case).get("roster") or [])
    if roster:
        closing.append(f"附：劳动者名单{len(roster)}人（推选代表见名单）。")
    if kind == "arbitration":
        closing.append(f"附：本申请书副本{len(respondents)}份（按被申请人人数）。")
    return Document(
        kind=kind,
        title=KINDS[kind],
        addressee=addressee,
        parties=[_worker(case, roles[0]), *respondents],
        claims=claims_for(case),
        facts=_facts(case),
        evidence=_evidence(case),
        witnesses=_witnesses(case),
        closing=closing,
        how_to_file=_how_to_file(case, kind, len(respondents)),
        roster=roster,
    )
