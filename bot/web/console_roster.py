"""The group roster on the console's case page: a signed-in operator of the station holding the case
opens the group, adds the co-workers who came in person (after reading them the notice), corrects
them, chooses the 3–5 representatives (劳动争议调解仲裁法 §7) and erases a member. A station that
referred the case on only reads it."""

from __future__ import annotations

from typing import Any, Dict

from sanic import Blueprint, response
from sanic.request import Request

from bot.console.accounts import Principal
from bot.web.console_guard import Guard
from bot.web.roster_desk import RosterDesk

BASE = "/api/console/cases/<case_no:str>"


def roster_routes(bp: Blueprint, guard: Guard, desk: RosterDesk) -> None:
    @bp.get(BASE + "/roster")
    @guard.route(case=True)
    async def read(request: Request, who: Principal, case_no: str) -> response.HTTPResponse:
        return await desk.read(who.username, case_no, "console", none_yet_ok=True)

    @bp.post(BASE + "/roster/open")
    @guard.route(case=True, write=True)
    async def open_group(request: Request, who: Principal, case_no: str) -> response.HTTPResponse:
        return await desk.open(who.username, case_no)

    @bp.post(BASE + "/roster")
    @guard.route(case=True, body=True, write=True)
    async def add(request: Request, who: Principal, case_no: str, body: Dict[str, Any]) -> response.HTTPResponse:
        return await desk.add(who.username, case_no, body)

    @bp.post(BASE + "/roster/<member_id:int>")
    @guard.route(case=True, body=True, write=True)
    async def update(
        request: Request, who: Principal, case_no: str, member_id: int, body: Dict[str, Any]
    ) -> response.HTTPResponse:
        return await desk.update(who.username, case_no, member_id, body)

    @bp.post(BASE + "/roster/<member_id:int>/erase")
    @guard.route(case=True, write=True)
    async def erase(request: Request, who: Principal, case_no: str, member_id: int) -> response.HTTPResponse:
        return await desk.erase(who.username, case_no, member_id)

    @bp.post(BASE + "/representatives")
    @guard.route(case=True, body=True, write=True)
    async def representatives(
        request: Request, who: Principal, case_no: str, body: Dict[str, Any]
    ) -> response.HTTPResponse:
        return await desk.representatives(who.username, case_no, body)
