"""First answer to each complaint: what the law gives the worker and where to go.

Each text cites its statute and article in `CITATIONS`; `tests/test_citations.py` checks every
one against the statute texts in ../shared/law. Keep texts short: they are read on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

# (statute file stem, article number) pairs, as in ../shared/law/<stem>(<date>).md
Citation = Tuple[str, int]


@dataclass(frozen=True)
class Guidance:
    title: str
    text: str
    citations: Tuple[Citation, ...]


GUIDANCE: Dict[str, Guidance] = {
    "wage_arrears": Guidance(
        "被拖欠工资",
        # Read on a phone (issue 15): every rule of the legal review, in fewer words.
        "欠薪可以向劳动保障监察投诉（《保障农民工工资支付条例》第十条）。"
        "要裁决，先申请劳动仲裁，不服裁决再起诉（《劳动争议调解仲裁法》第五条），仲裁不收费（同法第五十三条），"
        "生活困难的可以申请先予执行（同法第四十四条）。在职讨薪不受一年时效限制，离职后要在一年内申请（同法第二十七条）。"
        "有工资欠条的可以直接起诉（《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第十五条）；"
        "被欠工资也可以向法院申请支付令（《劳动合同法》第三十条）。"
        "工地分包单位欠薪的，由施工总承包单位先行清偿（《保障农民工工资支付条例》第三十条）。"
        "请留好工资条、转账记录和考勤。",
        (
            ("保障农民工工资支付条例", 10),
            ("劳动争议调解仲裁法", 5),
            ("劳动争议调解仲裁法", 53),
            ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）", 15),
            ("劳动合同法", 30),
            ("劳动争议调解仲裁法", 44),
            ("劳动争议调解仲裁法", 27),
            ("保障农民工工资支付条例", 30),
        ),
    ),
    "pension_adjustment": Guidance(
        "养老金和退休待遇",
        "养老金由社会保险经办机构核定和发放。对核定或发放有异议，先向当地社保经办机构书面反映；"
        "不服的，可以在知道决定之日起60日内申请行政复议（《行政复议法》第二十条），"
        "也可以提起行政诉讼（《社会保险法》第八十三条第二款），这类问题不走劳动仲裁。"
        "请带上身份证、退休审批表和历年缴费记录。",
        (("社会保险法", 83), ("行政复议法", 20)),
    ),
    "social_insurance": Guidance(
        "社保没交或少交",
        "单位应当自用工之日起三十日内为您办理社保登记（《社会保险法》第五十八条），"
        "没按时足额缴纳的，征收机构会责令限期补足（同法第六十三条）。"
        "您可以要求社保行政部门或征收机构依法处理；和单位的社保争议，也可以申请调解，"
        "或者先申请劳动仲裁、不服裁决再起诉（同法第八十三条第三款；《劳动争议调解仲裁法》第五条）。"
        "可以先在当地社保网厅或App查一下缴费记录。",
        (("社会保险法", 58), ("社会保险法", 63), ("社会保险法", 83), ("劳动争议调解仲裁法", 5)),
    ),
    "labor_contract": Guidance(
        "劳动合同",
        "建立劳动关系应当订立书面劳动合同（《劳动合同法》第十条）。"
        "用工超过一个月不满一年还没签的，单位应当每月付您二倍工资（同法第八十二条）。"
        "没有合同也能证明劳动关系：工资流水、工牌、考勤、工作群聊天记录都可以留着。",
        (("劳动合同法", 10), ("劳动合同法", 82)),
    ),
    "dismissal": Guidance(
        "被辞退",
        "单位解除合同，很多情况下要付经济补偿：每干满一年付一个月工资，六个月以上按一年算，"
        "不满六个月付半个月；月工资高于当地上年度职工月平均工资三倍的，按三倍算，最多算十二年"
        "（《劳动合同法》第四十七条）。违法解除的，赔偿金是经济补偿的两倍（同法第八十七条）。"
        "要在离职后一年内申请仲裁（《劳动争议调解仲裁法》第二十七条），请保留解除通知和聊天记录。",
        (("劳动合同法", 47), ("劳动合同法", 87), ("劳动争议调解仲裁法", 27)),
    ),
    "work_injury": Guidance(
        "工伤",
        "先治伤，保留病历和事故经过的证据。单位应在事故发生之日起30日内申请工伤认定；"
        "单位不申请的，您或家属、工会可以在1年内直接向单位所在地的社保行政部门申请（《工伤保险条例》第十七条）。"
        "时间很要紧，别拖。",
        (("工伤保险条例", 17),),
    ),
    "overtime": Guidance(
        "加班和休息",
        "延长工作时间，加班费不低于工资的150%；休息日加班又不能补休的，不低于200%；"
        "法定节假日加班，不低于300%（《劳动法》第四十四条）。"
        "请保存排班表、打卡记录和加班通知。",
        (("劳动法", 44),),
    ),
    "platform_work": Guidance(
        "平台和骑手",
        "平台用工先看您和谁、以什么方式建立关系：有没有排班考勤、谁发工资、能不能自由接单。"
        "跟站点或平台有争议的，可以申请调解、仲裁，仲裁不收费（《劳动争议调解仲裁法》第五十三条），"
        "一般要在一年内提出（同法第二十七条）。请保存App里的订单、罚款和封号截图。",
        (("劳动争议调解仲裁法", 53), ("劳动争议调解仲裁法", 27)),
    ),
    # Not a complaint topic: what to say about the procedure when no FAQ answer is close.
    "dispute_procedure": Guidance(
        "调解、仲裁和起诉",
        "劳动争议可以先调解，也可以直接申请劳动仲裁；仲裁不收费（《劳动争议调解仲裁法》第五十三条），"
        "一般要在知道权利被侵害之日起一年内申请（同法第二十七条）。对裁决不服的，收到裁决书15日内可以向法院起诉"
        "（同法第五十条）。也可以向劳动保障监察投诉（《劳动保障监察条例》第九条）。",
        (("劳动争议调解仲裁法", 53), ("劳动争议调解仲裁法", 27), ("劳动争议调解仲裁法", 50), ("劳动保障监察条例", 9)),
    ),
}


def guidance_for(intent: str) -> Optional[Guidance]:
    return GUIDANCE.get(intent)


def all_citations() -> List[Citation]:
    return sorted({c for g in GUIDANCE.values() for c in g.citations})
