"""Public hotlines the bot gives workers: one place for the numbers and the words around them."""

from __future__ import annotations

RENSHE = "12333"  # 人力资源社会保障 (labour, social insurance, arbitration questions)
UNION = "12351"  # 全国总工会职工服务热线
LEGAL_AID = "12348"  # 公共法律服务 / 法律援助
PROCURATORATE = "12309"  # 检察服务热线
COURT = "12368"  # 人民法院诉讼服务热线
TAX = "12366"  # 纳税缴费服务热线
CITIZEN = "12345"  # 政务服务便民热线 (where 信访 questions are taken by phone)

NAMES = {
    RENSHE: "人社",
    UNION: "工会",
    LEGAL_AID: "法律援助",
    PROCURATORATE: "检察院",
    COURT: "法院",
    TAX: "税务",
    CITIZEN: "政务服务",
}

# "12333（人社）或12351（工会）": the pair most replies give.
RENSHE_OR_UNION = f"{RENSHE}（{NAMES[RENSHE]}）或{UNION}（{NAMES[UNION]}）"
