"""Public hotlines the bot gives workers: one place for the numbers and the words around them."""

from __future__ import annotations

RENSHE = "12333"  # 人力资源社会保障 (labour, social insurance, arbitration questions)
UNION = "12351"  # 全国总工会职工服务热线
LEGAL_AID = "12348"  # 公共法律服务 / 法律援助

NAMES = {RENSHE: "人社", UNION: "工会", LEGAL_AID: "法律援助"}

# "12333（人社）或12351（工会）": the pair most replies give.
RENSHE_OR_UNION = f"{RENSHE}（{NAMES[RENSHE]}）或{UNION}（{NAMES[UNION]}）"
