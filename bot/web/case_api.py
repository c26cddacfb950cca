"""The case API of contract §4–§5 (bearer tokens): the bot opens drafts, looks a worker's case up or
erases it with the follow code, and asks for a person; scripts with the operator token read, move
and erase cases, every call of theirs audited."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional, Tuple

from sanic import Sanic, response
from sanic.request import Request

from bot.cases.erasure import Eraser
from bot.cases.lifecycle import InvalidCase
from bot.cases.numbers import is_case_no
from bot.cases.roster import RosterService
from bot.cases.service import CaseService
from bot.console.audit import Audit
from bot.console.casework import Casework
from bot.console.handoffs import Handoffs
from bot.console.queue import Queue
from bot.stations.store import load_all
from bot.storage.engine import session_factory
from bot.web import documents
from bot.web.auth import OPERATOR, SERVICE, bearer, role_of
from bot.web.blocking import run
from bot.web.console_guard import TOKEN_PRINCIPAL
from bot.web.followups import register_followup_routes
from bot.web.lookup_guard import TOO_MANY
from bot.web.lookup_guard import Guard as LookupGuard
from bot.web.replies import BAD_BODY, invalid_case, refusal


def register_case_api(
    app: Sanic, service: CaseService, engine, tokens: dict, guard: LookupGuard, eraser: Eraser
) -> None:
    db = session_factory(engine)
    audit = Audit(db)
    casework, handoffs = Casework(service, db, Queue(db), audit), Handoffs(service, db, audit)
    _draft_routes(app, service, tokens)
    _own_case_routes(app, service, tokens, guard, eraser)
    _operator_routes(app, casework, handoffs, tokens, eraser, RosterService(db))
    register_followup_routes(app, db, tokens)

    @app.get("/api/stations")
    async def stations(request: Request) -> response.HTTPResponse:
        return response.json({"stations": [s.as_dict() for s in await run(load_all, engine)]})


def _draft_routes(app: Sanic, service: CaseService, tokens: dict) -> None:
    """What the bot (service token) and the operator token may both do."""

    @app.post("/api/cases")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def open_case(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        key = request.headers.get("idempotency-key") or body.get("idempotency_key")
        try:
            case, created = await run(service.open_draft, body, key)
        except InvalidCase as problem:
            return invalid_case(problem, 422)
        return response.json(case, status=201 if created else 200)

    @app.post("/api/cases/<case_no:str>/details")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def case_details(request: Request, case_no: str, body: Dict[str, Any]) -> response.HTTPResponse:
        """What a document needs (issue 17). The bot may add it only to its own conversation's case
        (`sender_id`); the answer names the fields saved and echoes nothing personal."""
        details = body.get("details")
        if not is_case_no(case_no):
            return refusal(404, "not found")
        if not isinstance(details, dict):
            return refusal(400, BAD_BODY)
        sender = None
        if role_of(request.headers.get("authorization"), tokens) == SERVICE:
            if not isinstance(body.get("sender_id"), str) or not body["sender_id"]:
                return refusal(400, BAD_BODY)
            sender = body["sender_id"]
        try:
            saved = await run(service.save_details, case_no, details, sender)
        except InvalidCase as problem:
            return invalid_case(problem, 422)
        if saved is None:
            return refusal(404, "not found")
        return response.json({"case_no": case_no, "saved": saved})

    @app.post("/api/handoffs")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def handoff(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        if not isinstance(body.get("sender_id"), str) or not isinstance(body.get("transcript", []), list):
            return refusal(400, BAD_BODY)
        station = body.get("station_id") if isinstance(body.get("station_id"), str) else None
        record = await run(
            service.record_handoff,
            body["sender_id"],
            str(body.get("reason") or "asked"),
            body.get("transcript") or [],
            body.get("phone"),
            station,
        )
        return response.json(record, status=201)


def _own_case_routes(app: Sanic, service: CaseService, tokens: dict, guard: LookupGuard, eraser: Eraser) -> None:
    """The bot asking on a worker's behalf with the case number and follow code (contract §4–§5)."""

    def own_case(body: Dict[str, Any]) -> Tuple[Optional[Tuple[str, str, str]], Optional[response.HTTPResponse]]:
        """((case_no, follow_code, client), None) with the try already counted, else (None, the
        refusal). `client` is the conversation, so one chat's wrong guesses do not lock out another's."""
        case_no = str(body.get("case_no") or "").strip().upper()
        code = str(body.get("follow_code") or "")
        client = "chat:" + str(body.get("client") or "")[:128]
        if not is_case_no(case_no):
            return None, refusal(404, "not found")
        if guard.begin(case_no, client):
            return None, refusal(429, TOO_MANY)
        return (case_no, code, client), None

    @app.post("/api/cases/lookup")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def lookup(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        asked, refused = own_case(body)
        if asked is None:
            return refused or refusal(404, "not found")
        found = await run(service.lookup, asked[0], asked[1])
        if not found:
            return refusal(404, "not found")
        guard.succeeded(asked[0], asked[2])
        return response.json(found)

    @app.post("/api/cases/erase-own")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def erase_own(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        """A worker's erasure asked in the chat: the bot passes the number and follow code."""
        asked, refused = own_case(body)
        if asked is None:
            return refused or refusal(404, "not found")
        if not await run(service.owns, asked[0], asked[1]):
            return refusal(404, "not found")
        guard.succeeded(asked[0], asked[2])
        # Asked from inside the conversation's turn: its tracker can only be erased after it.
        done = await run(eraser.erase, asked[0], "worker", "chat", False)
        app.add_task(eraser.forget_later(asked[0], run, asyncio.sleep))
        return response.json({"case_no": asked[0], "erased": done})


def _operator_routes(
    app: Sanic, casework: Casework, handoffs: Handoffs, tokens: dict, eraser: Eraser, rosters: RosterService
) -> None:
    """The operator token only; it acts as the supervisor "operator-token" in the audit log."""

    @app.get("/api/cases")
    @bearer(tokens, OPERATOR)
    async def list_cases(request: Request) -> response.HTTPResponse:
        return response.json({"cases": await run(casework.listed, TOKEN_PRINCIPAL, request.args.get("status"))})

    @app.get("/api/cases/<case_no:str>")
    @bearer(tokens, OPERATOR)
    async def get_case(request: Request, case_no: str) -> response.HTTPResponse:
        case = await run(casework.read, TOKEN_PRINCIPAL, case_no)
        return response.json(case) if case else refusal(404, "not found")

    @app.post("/api/cases/<case_no:str>/status")
    @bearer(tokens, OPERATOR, body=True)
    async def change_status(request: Request, case_no: str, body: Dict[str, Any]) -> response.HTTPResponse:
        if not isinstance(body.get("status"), str):
            return refusal(400, BAD_BODY)
        try:
            # Any "actor" in the body is ignored: the token is who acted.
            return response.json(
                await run(casework.move, TOKEN_PRINCIPAL, case_no, body["status"], str(body.get("note") or ""), body)
            )
        except KeyError:
            return refusal(404, "not found")
        except InvalidCase as problem:
            return invalid_case(problem, 409)

    @app.post("/api/cases/<case_no:str>/instalments/<seq:int>")
    @bearer(tokens, OPERATOR, body=True)
    async def confirm_instalment(
        request: Request, case_no: str, seq: int, body: Dict[str, Any]
    ) -> response.HTTPResponse:
        """{"paid": true|false, "note": TEXT}: what the station learned of one instalment."""
        if not isinstance(body.get("paid"), bool):
            return refusal(400, BAD_BODY)
        try:
            return response.json(
                await run(casework.confirm, TOKEN_PRINCIPAL, case_no, seq, body["paid"], str(body.get("note") or ""))
            )
        except KeyError:
            return refusal(404, "not found")

    @app.get("/api/cases/<case_no:str>/documents/<name:str>")
    @bearer(tokens, OPERATOR)
    async def case_document(request: Request, case_no: str, name: str) -> response.HTTPResponse:
        asked = documents.wanted(name)
        if asked is None or not is_case_no(case_no):
            return refusal(404, "not found")
        case = await run(casework.read, TOKEN_PRINCIPAL, case_no)
        # A collective case's document carries its group's roster (劳动争议调解仲裁法 §7).
        return await documents.send(await run(rosters.attach, case), *asked)

    @app.post("/api/cases/<case_no:str>/erase")
    @bearer(tokens, OPERATOR)
    async def erase(request: Request, case_no: str) -> response.HTTPResponse:
        if not is_case_no(case_no):
            return refusal(404, "not found")
        done = await run(eraser.erase, case_no, TOKEN_PRINCIPAL.username, "api")
        return response.json({"case_no": case_no, "erased": done}) if done else refusal(404, "not found")

    @app.get("/api/handoffs")
    @bearer(tokens, OPERATOR)
    async def list_handoffs(request: Request) -> response.HTTPResponse:
        return response.json({"handoffs": await run(handoffs.listed, TOKEN_PRINCIPAL)})
