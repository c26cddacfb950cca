"""Group rosters over HTTP: the bot (service token) opens a case's group and lets co-workers join
with its code; operators (operator token) read the roster, add and correct members, choose the
representatives (劳动争议调解仲裁法 §7) and erase a member. Every operator act is audited.

A group code is a secret like the follow code, only shorter: wrong codes are counted per
conversation and in all (bot/throttle.py), and a wrong one answers the same 404 whatever the reason.
"""

from __future__ import annotations

from typing import Any, Dict

from sanic import Sanic, response
from sanic.request import Request

from bot import hotlines
from bot.cases.erasure import Eraser
from bot.cases.group_code import normalise_code
from bot.cases.numbers import is_case_no
from bot.cases.roster import RosterProblem, RosterService
from bot.console.audit import Audit
from bot.throttle import Throttle
from bot.web.auth import OPERATOR, SERVICE, bearer
from bot.web.blocking import run
from bot.web.console_guard import TOKEN_PRINCIPAL
from bot.web.lookup_guard import TOO_MANY
from bot.web.lookup_guard import Guard as LookupGuard
from bot.web.replies import refusal
from bot.web.roster_desk import RosterDesk, problem_reply

WRONG_CODE = "没找到这个群码。请跟发码给您的工友核对一下，码是6个字母和数字。"
# Wrong group codes allowed per conversation, and from everyone together, in 15 minutes: a
# guesser meets the second limit long before a 6-character code is likely to fall.
CLIENT_TRIES, ALL_TRIES = 10, 300
CODE_TOO_MANY = f"试错的次数太多了，请过一会儿再试，或打{hotlines.RENSHE}询问。"


def register_roster_api(app: Sanic, rosters: RosterService, tokens: dict, guard: LookupGuard, eraser: Eraser) -> None:
    codes = Throttle({"client": CLIENT_TRIES, "all": ALL_TRIES})
    audit = Audit(rosters.sessions)

    def code_try(body: Dict[str, Any]):
        """(code, client) with the try counted as failed until it succeeds, or (None, refusal)."""
        client = "chat:" + str(body.get("client") or "")[:128]
        if codes.attempt(client=client, all="all"):
            return None, refusal(429, CODE_TOO_MANY)
        code = normalise_code(body.get("code"))
        if code is None:
            return None, refusal(404, WRONG_CODE)
        return (code, client), None

    @app.post("/api/groups")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def open_group(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        """The bot, for the worker who just opened a collective case: number and follow code in."""
        case_no = str(body.get("case_no") or "").strip().upper()
        client = "chat:" + str(body.get("client") or "")[:128]
        if not is_case_no(case_no):
            return refusal(404, "not found")
        if guard.begin(case_no, client):
            return refusal(429, TOO_MANY)
        if not await run(rosters.owns, case_no, str(body.get("follow_code") or "")):
            return refusal(404, "not found")
        guard.succeeded(case_no, client)
        group = await run(rosters.open_group, case_no)
        if group is None:
            return refusal(404, "not found")
        return response.json({"case_no": case_no, "code": group["code"]}, status=201)

    @app.post("/api/groups/check")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def check(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        asked, refused = code_try(body)
        if asked is None:
            return refused or refusal(404, WRONG_CODE)
        found = await run(rosters.check_code, asked[0])
        if found is None:
            return refusal(404, WRONG_CODE)
        codes.undo(client=asked[1], all="all")
        return response.json(found)

    @app.post("/api/groups/join")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def join(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        asked, refused = code_try(body)
        if asked is None:
            return refused or refusal(404, WRONG_CODE)
        consent = body.get("consent") if isinstance(body.get("consent"), dict) else None
        sender = str(body.get("sender_id") or "")[:128] or None
        try:
            joined = await run(rosters.join, asked[0], body, consent, sender)
        except RosterProblem as problem:
            codes.undo(client=asked[1], all="all")
            return problem_reply(problem)
        if joined is None:
            return refusal(404, WRONG_CODE)
        codes.undo(client=asked[1], all="all")
        return response.json({"employer": joined["employer"], "members": joined["members"]}, status=201)

    # -- operators -------------------------------------------------------------------------
    desk = RosterDesk(rosters, eraser, audit)
    actor = TOKEN_PRINCIPAL.username

    @app.get("/api/cases/<case_no:str>/roster")
    @bearer(tokens, OPERATOR)
    async def read(request: Request, case_no: str) -> response.HTTPResponse:
        return await desk.read(actor, case_no, "api")

    @app.post("/api/cases/<case_no:str>/roster")
    @bearer(tokens, OPERATOR, body=True)
    async def add(request: Request, case_no: str, body: Dict[str, Any]) -> response.HTTPResponse:
        return await desk.add(actor, case_no, body)

    @app.post("/api/cases/<case_no:str>/roster/<member_id:int>")
    @bearer(tokens, OPERATOR, body=True)
    async def update(request: Request, case_no: str, member_id: int, body: Dict[str, Any]) -> response.HTTPResponse:
        return await desk.update(actor, case_no, member_id, body)

    @app.post("/api/cases/<case_no:str>/roster/<member_id:int>/erase")
    @bearer(tokens, OPERATOR)
    async def erase(request: Request, case_no: str, member_id: int) -> response.HTTPResponse:
        return await desk.erase(actor, case_no, member_id)

    @app.post("/api/cases/<case_no:str>/representatives")
    @bearer(tokens, OPERATOR, body=True)
    async def representatives(request: Request, case_no: str, body: Dict[str, Any]) -> response.HTTPResponse:
        return await desk.representatives(actor, case_no, body)
