"""The operator console: its page at /console and its API under /api/console (issue 7).

Registered from create_app with one line. Each route says who may call it (`@guard.route`) and
hands the work to a service in bot/console, which also keeps the audit log.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict

from sanic import Blueprint, response
from sanic.request import Request

from bot.cases.erasure import Eraser
from bot.cases.lifecycle import InvalidCase
from bot.cases.outcomes import REFERRAL_TARGETS, STATUSES, moves_from
from bot.cases.roster import RosterService
from bot.cases.service import CaseService
from bot.console.accounts import AccountError, Accounts, Principal
from bot.console.aftercare import Aftercare, CallAnswerRefused
from bot.console.assist import AssistUnavailable, assist
from bot.console.audit import Audit
from bot.console.casework import Casework
from bot.console.downloads import Downloads
from bot.console.drafts import HotlineDrafts, station_for
from bot.console.exports import STATUS_NAMES
from bot.console.handoffs import Handoffs
from bot.console.queue import Filters, Queue
from bot.console.sessions import COOKIE, IDLE, Sessions
from bot.console.signin import SignIn
from bot.console.stats import Dashboard
from bot.followups.texts import TARGET_NAMES
from bot.law.guidance import guidance_for
from bot.storage.engine import session_factory
from bot.topics import TOPICS
from bot.web.blocking import run
from bot.web.console_guard import Guard, end_session_cookie, start_session_cookie
from bot.web.console_roster import roster_routes
from bot.web.replies import BAD_BODY, invalid_case, refusal
from bot.web.request_body import json_object
from bot.web.roster_desk import RosterDesk
from bot.web.static_files import html_page

# Names the page shows, from the modules that own them, so the page holds no second copy.
VOCABULARY = {
    "categories": [{"id": c, "title": topic.title if (topic := guidance_for(c)) else c} for c in TOPICS],
    "statuses": [
        {"id": s, "title": STATUS_NAMES[s], "next": sorted(moves_from(s, None), key=STATUSES.index)} for s in STATUSES
    ],
    "targets": [{"id": t, "title": TARGET_NAMES[t]} for t in REFERRAL_TARGETS],
}


def console_blueprint(service: CaseService, engine, tokens: dict, eraser: Eraser) -> Blueprint:
    db = session_factory(engine)
    audit, sessions, queue = Audit(db), Sessions(db), Queue(db)
    accounts = Accounts(db, audit)
    casework = Casework(service, db, queue, audit)
    guard = Guard(sessions, tokens, casework.refusal)
    bp = Blueprint("console")
    _account_routes(bp, guard, accounts, SignIn(accounts, sessions, audit), sessions, audit)
    _case_routes(bp, guard, queue, casework)
    _aftercare_routes(bp, guard, casework, Aftercare(service, db, audit))
    _desk_routes(bp, guard, Handoffs(service, db, audit), HotlineDrafts(service, audit))
    _report_routes(bp, guard, Downloads(queue, audit), Dashboard(db), audit)
    roster_routes(bp, guard, RosterDesk(RosterService(db), eraser, audit))
    return bp


def _account_routes(
    bp: Blueprint, guard: Guard, accounts: Accounts, signin: SignIn, sessions: Sessions, audit: Audit
) -> None:
    @bp.get("/console")
    async def page(request: Request) -> response.HTTPResponse:
        return html_page("console.html")

    @bp.post("/api/console/login")
    async def login(request: Request) -> response.HTTPResponse:
        # JSON only: a cross-site form cannot send it without a CORS preflight we never grant.
        if not (request.headers.get("content-type") or "").startswith("application/json"):
            return refusal(415, BAD_BODY)
        body = json_object(request) or {}
        tried = await run(
            signin.attempt, str(body.get("username") or ""), str(body.get("password") or "")[:256], request.ip or "?"
        )
        if tried.retry_after:
            return response.json(
                {"error": "尝试次数过多，请稍后再试。"}, status=429, headers={"Retry-After": str(tried.retry_after)}
            )
        if tried.principal is None:
            return refusal(401, "用户名或密码不对。")
        return start_session_cookie(
            response.json({"user": tried.principal.as_dict(), "csrf": tried.csrf}), tried.token, request
        )

    @bp.post("/api/console/logout")
    @guard.route()
    async def logout(request: Request, who: Principal) -> response.HTTPResponse:
        await run(sessions.end, request.cookies.get(COOKIE))
        return end_session_cookie(response.json({"ok": True}))

    @bp.get("/api/console/me")
    async def me(request: Request) -> response.HTTPResponse:
        principal, csrf, refused = await run(guard.identify, request)
        if refused:
            return refused
        return response.json(
            {"user": principal.as_dict(), "csrf": csrf, "idle_minutes": int(IDLE.total_seconds() // 60), **VOCABULARY}
        )

    # Accounts are for supervisors; the operator token bootstraps the first.
    @bp.get("/api/console/operators")
    @guard.route(supervisor=True)
    async def operators(request: Request, who: Principal) -> response.HTTPResponse:
        return response.json({"operators": await run(accounts.list)})

    @bp.post("/api/console/operators")
    @guard.route(supervisor=True, body=True)
    async def add_operator(request: Request, who: Principal, body: Dict[str, Any]) -> response.HTTPResponse:
        try:
            made = await run(
                accounts.add,
                str(body.get("username") or ""),
                str(body.get("password") or ""),
                str(body.get("role") or ""),
                body.get("station_id"),
                body.get("display_name"),
                actor=who.username,
            )
        except AccountError as problem:
            return refusal(422, str(problem))
        return response.json(made.as_dict(), status=201)

    @bp.get("/api/console/audit")
    @guard.route(supervisor=True)
    async def audit_log(request: Request, who: Principal) -> response.HTTPResponse:
        return response.json(
            {"entries": await run(audit.entries, request.args.get("case_no"), request.args.get("action"))}
        )


def _case_routes(bp: Blueprint, guard: Guard, queue: Queue, casework: Casework) -> None:
    @bp.get("/api/console/cases")
    @guard.route()
    async def cases(request: Request, who: Principal) -> response.HTTPResponse:
        return response.json(
            {
                "cases": await run(queue.rows, who, Filters.from_args(request.args)),
                "now": datetime.now(timezone.utc).isoformat(),
            }
        )

    @bp.get("/api/console/stations")
    @guard.route()
    async def stations(request: Request, who: Principal) -> response.HTTPResponse:
        return response.json({"stations": await run(queue.stations, who)})

    @bp.get("/api/console/cases/<case_no:str>")
    @guard.route(case=True)
    async def case_detail(request: Request, who: Principal, case_no: str) -> response.HTTPResponse:
        try:
            return response.json(await run(casework.detail, who, case_no))
        except KeyError:
            return refusal(404, "not found")

    @bp.post("/api/console/cases/<case_no:str>/status")
    @guard.route(case=True, body=True, write=True)
    async def case_status(
        request: Request, who: Principal, case_no: str, body: Dict[str, Any]
    ) -> response.HTTPResponse:
        if not isinstance(body.get("status"), str):
            return refusal(400, BAD_BODY)
        note = str(body.get("note") or "").strip()
        if not note:
            return response.json({"error": "请写一句处理说明。", "field": "note"}, status=422)
        try:
            return response.json(await run(casework.move, who, case_no, body["status"], note, body))
        except InvalidCase as problem:
            return invalid_case(problem, 409)


def _aftercare_routes(bp: Blueprint, guard: Guard, casework: Casework, aftercare: Aftercare) -> None:
    @bp.post("/api/console/cases/<case_no:str>/instalments/<seq:int>")
    @guard.route(case=True, body=True, write=True)
    async def instalment(
        request: Request, who: Principal, case_no: str, seq: int, body: Dict[str, Any]
    ) -> response.HTTPResponse:
        if not isinstance(body.get("paid"), bool):
            return refusal(400, BAD_BODY)
        note = str(body.get("note") or "").strip()[:500]
        try:
            return response.json(await run(casework.confirm, who, case_no, seq, body["paid"], note))
        except KeyError:
            return refusal(404, "没有这一期。")

    @bp.get("/api/console/aftercare")
    @guard.route()
    async def aftercare_lists(request: Request, who: Principal) -> response.HTTPResponse:
        """The overdue list, the call list of due return visits and the answers (回访结果)."""
        return response.json(
            {
                "overdue": await run(aftercare.overdue, who),
                "calls": await run(aftercare.calls, who),
                "results": await run(aftercare.results, who),
            }
        )

    @bp.post("/api/console/followups/<followup_id:int>/answer")
    @guard.route(body=True)
    async def call_answer(
        request: Request, who: Principal, followup_id: int, body: Dict[str, Any]
    ) -> response.HTTPResponse:
        try:
            return response.json(await run(aftercare.record_call, who, followup_id, str(body.get("answer") or "")))
        except KeyError:
            return refusal(404, "没有这条待回访记录。")
        except CallAnswerRefused as problem:
            return refusal(422, problem.message)


def _desk_routes(bp: Blueprint, guard: Guard, handoffs: Handoffs, drafts: HotlineDrafts) -> None:
    @bp.get("/api/console/handoffs")
    @guard.route()
    async def handoff_list(request: Request, who: Principal) -> response.HTTPResponse:
        return response.json({"handoffs": await run(handoffs.shown, who)})

    @bp.post("/api/console/handoffs/<handoff_id:int>/done")
    @guard.route()
    async def handoff_done(request: Request, who: Principal, handoff_id: int) -> response.HTTPResponse:
        if not await run(handoffs.done, who, handoff_id):
            return refusal(404, "not found")
        return response.json({"ok": True})

    @bp.post("/api/console/assist")
    @guard.route()
    async def assist_route(request: Request, who: Principal) -> response.HTTPResponse:
        text = str((json_object(request) or {}).get("text") or "").strip()
        if not text:
            return refusal(400, "请先输入来电人说的话。")
        try:
            result = await run(assist, text)
        except AssistUnavailable:
            return refusal(503, "智能识别暂时不可用，请直接填写表单。")
        result["draft"].update(await run(station_for, who, result["draft"]))
        return response.json(result)

    @bp.post("/api/console/drafts")
    @guard.route(body=True)
    async def save_draft(request: Request, who: Principal, body: Dict[str, Any]) -> response.HTTPResponse:
        key = request.headers.get("idempotency-key") or body.get("idempotency_key")
        try:
            case, created = await run(drafts.save, who, body, key)
        except InvalidCase as problem:
            return invalid_case(problem, 422)
        return response.json(case, status=201 if created else 200)


def _report_routes(bp: Blueprint, guard: Guard, downloads: Downloads, dashboard: Dashboard, audit: Audit) -> None:
    async def export(request: Request, who: Principal, kind: str) -> response.HTTPResponse:
        unmasked = request.args.get("unmasked") == "1"
        if unmasked and not who.supervisor:
            return refusal(403, "forbidden")
        made = await run(downloads.make, who, Filters.from_args(request.args), kind, unmasked)
        return response.raw(
            made.body,
            content_type=made.mime,
            headers={
                "Content-Disposition": f'attachment; filename="{made.filename}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @bp.get("/api/console/export.csv")
    @guard.route()
    async def export_csv(request: Request, who: Principal) -> response.HTTPResponse:
        return await export(request, who, "csv")

    @bp.get("/api/console/export.xlsx")
    @guard.route()
    async def export_xlsx(request: Request, who: Principal) -> response.HTTPResponse:
        return await export(request, who, "xlsx")

    @bp.get("/api/console/dashboard")
    @guard.route()
    async def dashboard_route(request: Request, who: Principal) -> response.HTTPResponse:
        return response.json(await run(dashboard.figures, who))

    @bp.get("/api/console/report.csv")
    @guard.route()
    async def weekly_report(request: Request, who: Principal) -> response.HTTPResponse:
        """The week's figures, warnings and new cases, personal data left out (issue 16)."""
        body = await run(dashboard.weekly_report, who)
        await run(audit.record, who.username, "report.weekly", None, {"bytes": len(body)})
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d")
        return response.raw(
            body,
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="gongyou-weekly-{stamp}.csv"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )
