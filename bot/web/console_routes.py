"""The operator console: its page at /console and its API under /api/console (issue 7).

Registered from create_app with one line; each route asks the Guard who is calling first.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Optional

from sanic import Blueprint, response
from sanic.request import Request

from bot.storage.engine import session_factory
from bot.cases.lifecycle import STATUSES, TRANSITIONS, InvalidCase
from bot.cases.service import CaseService
from bot.topics import TOPICS
from bot.console import transcripts
from bot.console.accounts import AccountError, Accounts, Principal
from bot.console.assist import AssistUnavailable, assist
from bot.console.audit import Audit
from bot.console.exports import STATUS_NAMES, to_csv, to_xlsx
from bot.console.handoffs import mark_done
from bot.console.queue import EXPORT_LIMIT, Filters, Queue
from bot.console.ratelimit import LoginThrottle
from bot.console.sessions import COOKIE, IDLE, LIFETIME, Sessions
from bot.console.stats import Dashboard
from bot.law.guidance import guidance_for
from bot.web.console_guard import Guard, refusal
from bot.web.request_body import json_object
from bot.web.static_files import html_page
from bot import settings

logger = logging.getLogger(__name__)
HOTLINE = "hotline:"  # sender id prefix of drafts saved from the console, which have no Rasa conversation
HOTLINE_CONSENT = "hotline-oral-v1"  # the notice read out on the phone (console.html says what it covers)
# Names the page shows, from the modules that own them, so the page holds no second copy.
VOCABULARY = {
    "categories": [{"id": c, "title": guidance_for(c).title} for c in TOPICS],
    "statuses": [{"id": s, "title": STATUS_NAMES[s], "next": sorted(TRANSITIONS[s], key=STATUSES.index)}
                 for s in STATUSES],
}


def console_blueprint(service: CaseService, engine, tokens: dict) -> Blueprint:
    sessions_db = session_factory(engine)
    accounts, sessions, audit = Accounts(sessions_db), Sessions(sessions_db), Audit(sessions_db)
    queue, dashboard, guard, throttle = Queue(sessions_db), Dashboard(sessions_db), Guard(sessions, tokens), LoginThrottle()
    finder = _station_finder(engine)
    bp = Blueprint("console")

    async def run(fn: Callable, *args: Any, **kwargs: Any) -> Any:
        # Database, argon2 and HTTP calls block; the event loop keeps serving the bot meanwhile.
        return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kwargs))

    async def who(request: Request, supervisor: bool = False):
        return await run(guard.require, request, supervisor)

    async def who_on_case(request: Request, case_no: str):
        """(principal, None) for someone allowed to see this case, else (None, 401/403/404)."""
        principal, refused = await who(request)
        if refused:
            return None, refused
        exists, station_id = await run(queue.station_of, case_no)
        if not exists:
            return None, refusal(404, "not found")
        if not principal.sees_station(station_id):
            return None, refusal(403, "forbidden")
        return principal, None

    # -- the page -------------------------------------------------------------------------
    @bp.get("/console")
    async def page(request: Request) -> response.HTTPResponse:
        return html_page("console.html")

    # -- signing in and out ----------------------------------------------------------------
    @bp.post("/api/console/login")
    async def login(request: Request) -> response.HTTPResponse:
        # JSON only: a cross-site form cannot send it without a CORS preflight we never grant.
        if not (request.headers.get("content-type") or "").startswith("application/json"):
            return refusal(415, "请求格式不对")
        body = json_object(request) or {}
        username, password = str(body.get("username") or "")[:64], str(body.get("password") or "")[:256]
        address = request.ip or "?"
        wait = throttle.retry_after(username, address)
        if wait:
            return response.json({"error": "尝试次数过多，请稍后再试。"}, status=429, headers={"Retry-After": str(wait)})
        principal = await run(accounts.verify, username, password)
        if principal is None:
            throttle.failed(username, address)
            await run(audit.record, username or "?", "login.failed", None, {"ip": address})
            return refusal(401, "用户名或密码不对。")
        throttle.succeeded(username)
        token, csrf = await run(sessions.start, principal)
        await run(audit.record, principal.username, "login", None, {"ip": address})
        reply = response.json({"user": principal.as_dict(), "csrf": csrf})
        reply.cookies[COOKIE] = token
        cookie = reply.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/"
        cookie["max-age"] = int(LIFETIME.total_seconds())
        if request.scheme == "https" or settings.cookie_secure():
            cookie["secure"] = True
        return reply

    @bp.post("/api/console/logout")
    async def logout(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        await run(sessions.end, request.cookies.get(COOKIE))
        reply = response.json({"ok": True})
        del reply.cookies[COOKIE]
        return reply

    @bp.get("/api/console/me")
    async def me(request: Request) -> response.HTTPResponse:
        principal, csrf, refused = await run(guard.identify, request)
        if refused:
            return refused
        return response.json({"user": principal.as_dict(), "csrf": csrf,
                              "idle_minutes": int(IDLE.total_seconds() // 60), **VOCABULARY})

    # -- accounts (supervisors; the operator token bootstraps the first) -------------------
    @bp.get("/api/console/operators")
    async def operators(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request, supervisor=True)
        if refused:
            return refused
        return response.json({"operators": await run(accounts.list)})

    @bp.post("/api/console/operators")
    async def add_operator(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request, supervisor=True)
        if refused:
            return refused
        body = json_object(request)
        if body is None:
            return refusal(400, "请求格式不对")
        try:
            made = await run(accounts.add, str(body.get("username") or ""), str(body.get("password") or ""),
                             str(body.get("role") or ""), body.get("station_id"), body.get("display_name"))
        except AccountError as problem:
            return refusal(422, str(problem))
        await run(audit.record, principal.username, "account.add", None,
                  {"username": made.username, "role": made.role, "station_id": made.station_id})
        return response.json(made.as_dict(), status=201)

    @bp.get("/api/console/audit")
    async def audit_log(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request, supervisor=True)
        if refused:
            return refused
        return response.json({"entries": await run(audit.entries, request.args.get("case_no"),
                                                   request.args.get("action"))})

    # -- the queue and a case ----------------------------------------------------------------
    @bp.get("/api/console/cases")
    async def cases(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        return response.json({"cases": await run(queue.rows, principal, Filters.from_args(request.args)),
                              "now": datetime.now(timezone.utc).isoformat()})

    @bp.get("/api/console/stations")
    async def stations(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        return response.json({"stations": await run(queue.stations, principal)})

    @bp.get("/api/console/cases/<case_no:str>")
    async def case_detail(request: Request, case_no: str) -> response.HTTPResponse:
        principal, refused = await who_on_case(request, case_no)
        if refused:
            return refused
        case = await run(service.get, case_no)
        sender = await run(_sender_of, sessions_db, case_no)
        case["same_employer"] = await run(queue.same_employer, case_no, principal)
        case["opened_by"] = "api" if not sender else "hotline" if sender.startswith(HOTLINE) else "bot"
        case["transcript"] = await run(transcripts.conversation, sender) if case["opened_by"] == "bot" else None
        # The one place personal data shows in full: who looked is on record.
        await run(audit.record, principal.username, "case.view", case_no)
        return response.json(case)

    @bp.post("/api/console/cases/<case_no:str>/status")
    async def case_status(request: Request, case_no: str) -> response.HTTPResponse:
        principal, refused = await who_on_case(request, case_no)
        if refused:
            return refused
        body = json_object(request)
        if body is None or not isinstance(body.get("status"), str):
            return refusal(400, "请求格式不对")
        note = str(body.get("note") or "").strip()
        if not note:
            return response.json({"error": "请写一句处理说明。", "field": "note"}, status=422)
        before = (await run(service.get, case_no))["status"]
        try:
            case = await run(service.change_status, case_no, body["status"], principal.username, note[:1000])
        except InvalidCase as problem:
            return response.json({"error": problem.message, "field": problem.field}, status=409)
        await run(audit.record, principal.username, "case.status", case_no,
                  {"from": before, "to": case["status"], "note": note[:1000]})
        return response.json(case)

    # -- handoff requests ------------------------------------------------------------------
    @bp.get("/api/console/handoffs")
    async def handoffs(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        return response.json({"handoffs": await run(service.handoffs)})

    @bp.post("/api/console/handoffs/<handoff_id:int>/done")
    async def handoff_done(request: Request, handoff_id: int) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        if not await run(mark_done, sessions_db, handoff_id):
            return refusal(404, "not found")
        await run(audit.record, principal.username, "handoff.done", None, {"handoff": handoff_id})
        return response.json({"ok": True})

    # -- agent assist and drafts from the hotline --------------------------------------------
    @bp.post("/api/console/assist")
    async def assist_route(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        body = json_object(request)
        text = str((body or {}).get("text") or "").strip()
        if not text:
            return refusal(400, "请先输入来电人说的话。")
        try:
            result = await run(assist, text)
        except AssistUnavailable:
            return refusal(503, "智能识别暂时不可用，请直接填写表单。")
        result["draft"].update(await run(_station_for, finder, principal, result["draft"]))
        return response.json(result)

    @bp.post("/api/console/drafts")
    async def save_draft(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        body = json_object(request)
        if body is None:
            return refusal(400, "请求格式不对")
        data = {k: body.get(k) for k in ("category", "name", "phone", "employer", "location", "amount",
                                          "period_months", "worker_count", "description", "station_id", "station_name")}
        data.update(await run(_station_for, finder, principal, data))
        data["sender_id"] = HOTLINE + principal.username
        if body.get("consent") is True:
            # The operator read the notice on the phone and the caller agreed (contract §5).
            data["consent"] = {"version": HOTLINE_CONSENT, "at": datetime.now(timezone.utc).isoformat()}
        key = request.headers.get("idempotency-key") or body.get("idempotency_key")
        try:
            case, created = await run(service.open_draft, data, key)
        except InvalidCase as problem:
            return response.json({"error": problem.message, "field": problem.field}, status=422)
        if created:
            await run(audit.record, principal.username, "case.draft", case["case_no"], {"via": "hotline"})
        return response.json(case, status=201 if created else 200)

    # -- exports and the dashboard ---------------------------------------------------------
    async def export(request: Request, kind: str) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        unmasked = request.args.get("unmasked") == "1"
        if unmasked and not principal.supervisor:
            return refusal(403, "forbidden")
        filters = Filters.from_args(request.args)
        found = await run(queue.cases, principal, filters, EXPORT_LIMIT)
        body = await run(to_csv if kind == "csv" else to_xlsx, found, unmasked)
        await run(audit.record, principal.username, "export.unmasked" if unmasked else "export", None,
                  {"format": kind, "rows": len(found), "filters": {k: v for k, v in vars(filters).items() if v is not None}})
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
        mime = ("text/csv; charset=utf-8" if kind == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return response.raw(body, content_type=mime, headers={
            "Content-Disposition": f'attachment; filename="gongyou-cases-{stamp}.{kind}"',
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

    @bp.get("/api/console/export.csv")
    async def export_csv(request: Request) -> response.HTTPResponse:
        return await export(request, "csv")

    @bp.get("/api/console/export.xlsx")
    async def export_xlsx(request: Request) -> response.HTTPResponse:
        return await export(request, "xlsx")

    @bp.get("/api/console/dashboard")
    async def dashboard_route(request: Request) -> response.HTTPResponse:
        principal, refused = await who(request)
        if refused:
            return refused
        return response.json(await run(dashboard.figures, principal))

    return bp


def _sender_of(sessions_db, case_no: str) -> Optional[str]:
    from sqlalchemy import select

    from bot.storage.tables import Case

    with sessions_db() as session:
        return session.execute(select(Case.sender_id).where(Case.case_no == case_no)).scalar_one_or_none()


def _station_finder(engine):
    from bot.stations.finder import StationFinder
    from bot.stations.store import load_all

    return StationFinder(lambda: load_all(engine))


def _station_for(finder, principal: Principal, draft: Dict[str, Any]) -> Dict[str, Any]:
    """A station operator's drafts are their station's; otherwise the station serving the workplace (§21)."""
    if not principal.supervisor:
        station = finder.index().by_id.get(principal.station_id)
        return {"station_id": principal.station_id, "station_name": station.name if station else principal.station_id}
    if draft.get("station_id"):
        station = finder.index().by_id.get(draft["station_id"])
        return {"station_id": draft["station_id"], "station_name": station.name if station else draft.get("station_name")}
    try:
        routed = finder.for_case(draft.get("location"), draft.get("category"))
    except Exception:  # the gazetteer or the index failing must not stop a hotline draft
        logger.exception("station routing failed")
        routed = None
    return {"station_id": routed[0].id, "station_name": routed[0].name} if routed else {}
