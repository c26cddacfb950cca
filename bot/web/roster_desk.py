"""What an operator does to a group's roster (劳动争议调解仲裁法 §7), the same whether the call comes
with the operator token (bot/web/roster_api.py) or from a signed-in console (bot/web/console_roster.py):
read it, open the group, add and correct members, choose the representatives, erase a member.
Every act is audited under the caller's name.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from sanic import response

from bot.cases.erasure import Eraser
from bot.cases.numbers import is_case_no
from bot.cases.roster import RosterProblem, RosterService
from bot.console.audit import Audit
from bot.web.blocking import run
from bot.web.replies import BAD_BODY, refusal

CONSENT_FIRST = "请先把告知内容念给这位工友听，本人同意后再加（consent: true）。"


def problem_reply(problem: RosterProblem) -> response.HTTPResponse:
    return response.json({"error": problem.message, "field": problem.field}, status=422)


class RosterDesk:
    def __init__(self, rosters: RosterService, eraser: Eraser, audit: Audit) -> None:
        self.rosters, self._eraser, self._audit = rosters, eraser, audit

    async def read(self, actor: str, case_no: str, via: str, none_yet_ok: bool = False) -> response.HTTPResponse:
        """The roster in full. `none_yet_ok`: a case without a group answers an empty roster (the
        console offers to open one) instead of 404."""
        group = await run(self.rosters.group, case_no) if is_case_no(case_no) else None
        if group is None:
            if none_yet_ok and is_case_no(case_no):
                return response.json({"case_no": case_no.upper(), "code": None, "members": []})
            return refusal(404, "not found")
        await run(self._audit.record, actor, "roster.view", case_no, {"via": via})
        return response.json(group)

    async def open(self, actor: str, case_no: str) -> response.HTTPResponse:
        group = await run(self.rosters.open_group, case_no, actor) if is_case_no(case_no) else None
        if group is None:
            return refusal(404, "not found")
        await run(self._audit.record, actor, "roster.open", case_no, None)
        return response.json(group, status=201)

    async def add(self, actor: str, case_no: str, body: Dict[str, Any]) -> response.HTTPResponse:
        if body.get("consent") is not True:
            return response.json({"error": CONSENT_FIRST, "field": "consent"}, status=422)
        if not is_case_no(case_no):
            return refusal(404, "not found")
        try:
            member = await run(self.rosters.add_member, case_no, body, actor)
        except RosterProblem as problem:
            return problem_reply(problem)
        if member is None:
            return refusal(404, "not found")
        await run(self._audit.record, actor, "roster.add", case_no, {"member": member["id"]})
        return response.json(member, status=201)

    async def update(self, actor: str, case_no: str, member_id: int, body: Dict[str, Any]) -> response.HTTPResponse:
        try:
            member = await run(self.rosters.update_member, case_no, member_id, body)
        except RosterProblem as problem:
            return problem_reply(problem)
        if member is None:
            return refusal(404, "not found")
        await run(self._audit.record, actor, "roster.update", case_no, {"member": member_id})
        return response.json(member)

    async def erase(self, actor: str, case_no: str, member_id: int) -> response.HTTPResponse:
        sender: Optional[str] = await run(self.rosters.erase_member, case_no, member_id)
        if sender is None:
            return refusal(404, "not found")
        forgotten = await run(self._eraser.forget_member, sender) if sender else None
        await run(self._audit.record, actor, "roster.erase", case_no, {"member": member_id, "tracker": forgotten})
        return response.json({"case_no": case_no, "member": member_id, "erased": True})

    async def representatives(self, actor: str, case_no: str, body: Dict[str, Any]) -> response.HTTPResponse:
        if not isinstance(body.get("members"), list):
            return refusal(400, BAD_BODY)
        try:
            members = await run(self.rosters.choose_representatives, case_no, body["members"])
        except RosterProblem as problem:
            return problem_reply(problem)
        if members is None:
            return refusal(404, "not found")
        chosen = [m["id"] for m in members if m["representative"]]
        await run(self._audit.record, actor, "roster.representatives", case_no, {"members": chosen})
        return response.json({"case_no": case_no, "members": members})
