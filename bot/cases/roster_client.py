"""How actions reach the roster side of the case service: the same HTTP client, token and timeouts
as bot/cases/client.py (or in-process when CASES_API_URL is `local`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional

from bot.cases.client import CaseClient, ServiceUnavailable, ThrottledLookup


@dataclass
class Joined:
    ok: bool = False
    employer: Optional[str] = None
    members: int = 0
    wrong_code: bool = False  # no open group has this code
    problem: Optional[str] = None  # a field refused (polite Chinese), or a throttle's wait
    busy: bool = False  # the service could not be reached: nothing kept


class RosterClient:
    def __init__(self, cases: CaseClient) -> None:
        self._cases = cases

    def _local(self):
        from bot.cases.roster import RosterService

        local = self._cases._local
        return RosterService(local.sessions) if local is not None else None

    def open_group(self, case_no: str, follow_code: str, client: str = "") -> Optional[str]:
        """The group code of the worker's own case (made on first call), or None."""
        local = self._local()
        if local is not None:
            if not local.owns(case_no, follow_code):
                return None
            group = local.open_group(case_no)
            return group["code"] if group else None
        body = {"case_no": case_no, "follow_code": follow_code, "client": client}
        try:
            reply = self._cases._request("POST", "/api/groups", body)
        except ServiceUnavailable:
            return None
        return reply.json().get("code") if reply.status_code == 201 else None

    def check(self, code: str, client: str = "") -> Optional[Dict[str, Any]]:
        """{"employer": …} for a group's code, None for a wrong one; ThrottledLookup after too many
        wrong ones; ServiceUnavailable when the service is away."""
        local = self._local()
        if local is not None:
            return local.check_code(code)
        reply = self._cases._request("POST", "/api/groups/check", {"code": code, "client": client})
        if reply.status_code == 429:
            raise ThrottledLookup(reply.json().get("error", ""))
        return reply.json() if reply.status_code == 200 else None

    def join(self, code: str, member: Dict[str, Any], consent: Dict[str, Any], sender_id: str) -> Joined:
        local = self._local()
        if local is not None:
            from bot.cases.roster import RosterProblem

            try:
                done = local.join(code, member, consent, sender_id)
            except RosterProblem as problem:
                return Joined(problem=problem.message)
            if done is None:
                return Joined(wrong_code=True)
            return Joined(ok=True, employer=done["employer"], members=done["members"])
        body = {**member, "code": code, "consent": consent, "sender_id": sender_id, "client": sender_id}
        try:
            reply = self._cases._request("POST", "/api/groups/join", body)
        except ServiceUnavailable:
            return Joined(busy=True)
        answer = reply.json() if reply.headers.get("content-type", "").startswith("application/json") else {}
        if reply.status_code == 201:
            return Joined(ok=True, employer=answer.get("employer"), members=int(answer.get("members") or 0))
        if reply.status_code == 404:
            return Joined(wrong_code=True)
        if reply.status_code in (422, 429):
            return Joined(problem=answer.get("error") or "")
        return Joined(busy=True)
