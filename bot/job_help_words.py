"""The words of job help (issue 16), shared by the chat (bot/dialogue/job_help.py) and a closed
case's status text (bot/cases/wording.py), which must not pull in the station search.

What a worker can ask is kept general and true: job fairs, skills training, and the 创业担保贷款
policy; the union's hotline answers job questions beside 人社's (the seeds: 工会帮就业 and its app).
"""

from __future__ import annotations

from bot.hotlines import RENSHE, UNION

WHAT_TO_ASK = "可以问招聘会、职业技能培训；想自己做点小生意的，也可以问创业担保贷款的政策。"
OFFER = f"想找新工作的话：工会有就业帮扶，拨打{UNION}（工会）或{RENSHE}（人社）都能问，{WHAT_TO_ASK}"
# The same, short enough for a closed case's status line.
SHORT = f"想找新工作，可以问{UNION}（工会）或{RENSHE}（人社）：招聘会、技能培训、创业担保贷款。"
