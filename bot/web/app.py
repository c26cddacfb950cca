"""The web side: case API (contract §4), handoff requests, /healthz."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, Dict, Optional, Tuple

from sanic import Sanic, response
from sanic.request import Request
from sqlalchemy import text

from bot.cases import purge
from bot.cases.erasure import Eraser, local_outbox
from bot.cases.lifecycle import InvalidCase
from bot.cases.numbers import is_case_no
from bot.cases.service import CaseService
from bot.cases.trackers import RasaTrackers
from bot.console.audit import Audit
from bot.runtime.launcher import is_up
from bot.privacy import install_log_masking
from bot.web.auth import OPERATOR, SERVICE, refuse_weak_secrets, role_of, tokens_from_env
from bot.web.console_routes import console_blueprint
from bot.web.lookup_guard import TOO_MANY, Guard
from bot.web.request_body import json_object
from bot.web.static_files import register_static
from bot.web.worker_pages import register_worker_pages
from bot import settings

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


def _error(message: str, status: int) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


def create_app(service: CaseService, engine, health_urls: Dict[str, str], tokens: Optional[dict] = None,
               name: str = "gongyou_web") -> Sanic:
    tokens = tokens if tokens is not None else tokens_from_env()
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.config.FALLBACK_ERROR_FORMAT = "json"
    guard = Guard()  # one per process: every follow-code path counts against the same limits
    eraser = Eraser(service, Audit(service.sessions), RasaTrackers(), local_outbox)

    def allowed(request: Request, *roles: str) -> Optional[response.HTTPResponse]:
        role = role_of(request.headers.get("authorization"), tokens)
        if role is None:
            return _error("unauthorized", 401)
        if role not in roles:
            return _error("forbidden", 403)
        return None

    def accepted_body(request: Request, *roles: str) -> Tuple[Optional[Dict[str, Any]], Optional[response.HTTPResponse]]:
        """(JSON object body, None) for an allowed, well-formed request, else (None, the refusal)."""
        refused = allowed(request, *roles)
        if refused:
            return None, refused
        body = json_object(request)
        return (body, None) if body is not None else (None, _error("请求格式不对", 400))

    async def run(fn: Callable, *args: Any) -> Any:
        # The database driver blocks; keep the event loop free for other requests.
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    @app.get("/healthz")
    async def healthz(request: Request) -> response.HTTPResponse:
        def database_up() -> bool:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return True
            except Exception:
                return False

        parts = {"database": await run(database_up)}
        for part, url in health_urls.items():
            parts[part] = await run(is_up, url)
        ok = all(parts.values())
        return response.json({"status": "ok" if ok else "degraded", "parts": parts}, status=200 if ok else 503)

    @app.post("/api/cases")
    async def open_case(request: Request) -> response.HTTPResponse:
        body, refused = accepted_body(request, SERVICE, OPERATOR)
        if refused:
            return refused
        key = request.headers.get("idempotency-key") or body.get("idempotency_key")
        try:
            case, created = await run(service.open_draft, body, key)
        except InvalidCase as problem:
            return response.json({"error": problem.message, "field": problem.field}, status=422)
        return response.json(case, status=201 if created else 200)

    @app.get("/api/cases")
    async def list_cases(request: Request) -> response.HTTPResponse:
        refused = allowed(request, OPERATOR)
        if refused:
            return refused
        return response.json({"cases": await run(service.list, request.args.get("status"))})

    @app.get("/api/cases/<case_no:str>")
    async def get_case(request: Request, case_no: str) -> response.HTTPResponse:
        refused = allowed(request, OPERATOR)
        if refused:
            return refused
        case = await run(service.get, case_no)
        return response.json(case) if case else _error("not found", 404)

    @app.post("/api/cases/<case_no:str>/status")
    async def change_status(request: Request, case_no: str) -> response.HTTPResponse:
        body, refused = accepted_body(request, OPERATOR)
        if refused:
            return refused
        if not isinstance(body.get("status"), str):
            return _error("请求格式不对", 400)
        try:
            case = await run(service.change_status, case_no, body["status"], str(body.get("actor") or "operator"),
                             str(body.get("note") or ""))
        except KeyError:
            return _error("not found", 404)
        except InvalidCase as problem:
            return response.json({"error": problem.message, "field": problem.field}, status=409)
        return response.json(case)

    def own_case(request: Request) -> Tuple[Optional[Tuple[str, str, str]], Optional[response.HTTPResponse]]:
        """((case_no, follow_code, client), None) for the bot asking on a worker's behalf, the try
        already counted; else (None, the refusal). `client` is the conversation, so one chat's
        wrong guesses do not lock out another's."""
        body, refused = accepted_body(request, SERVICE, OPERATOR)
        if refused:
            return None, refused
        case_no = str(body.get("case_no") or "").strip().upper()
        code = str(body.get("follow_code") or "")
        client = "chat:" + str(body.get("client") or "")[:128]
        if not is_case_no(case_no):
            return None, _error("not found", 404)
        if guard.begin(case_no, client):
            return None, _error(TOO_MANY, 429)
        return (case_no, code, client), None

    @app.post("/api/cases/lookup")
    async def lookup(request: Request) -> response.HTTPResponse:
        asked, refused = own_case(request)
        if refused:
            return refused
        found = await run(service.lookup, asked[0], asked[1])
        if not found:
            return _error("not found", 404)
        guard.succeeded(asked[0], asked[2])
        return response.json(found)

    @app.post("/api/cases/erase-own")
    async def erase_own(request: Request) -> response.HTTPResponse:
        """A worker's erasure asked in the chat: the bot passes the number and follow code."""
        asked, refused = own_case(request)
        if refused:
            return refused
        if not await run(service.owns, asked[0], asked[1]):
            return _error("not found", 404)
        guard.succeeded(asked[0], asked[2])
        # Asked from inside the conversation's turn: its tracker can only be erased after it.
        done = await run(eraser.erase, asked[0], "worker", "chat", False)
        app.add_task(eraser.forget_later(asked[0], run, asyncio.sleep))
        return response.json({"case_no": asked[0], "erased": done})

    @app.post("/api/cases/<case_no:str>/erase")
    async def erase(request: Request, case_no: str) -> response.HTTPResponse:
        refused = allowed(request, OPERATOR)
        if refused:
            return refused
        if not is_case_no(case_no):
            return _error("not found", 404)
        done = await run(eraser.erase, case_no, "operator-token", "api")
        return response.json({"case_no": case_no, "erased": done}) if done else _error("not found", 404)

    @app.post("/api/handoffs")
    async def handoff(request: Request) -> response.HTTPResponse:
        body, refused = accepted_body(request, SERVICE, OPERATOR)
        if refused:
            return refused
        if not isinstance(body.get("sender_id"), str) or not isinstance(body.get("transcript", []), list):
            return _error("请求格式不对", 400)
        record = await run(service.record_handoff, body["sender_id"], str(body.get("reason") or "asked"),
                           body.get("transcript") or [], body.get("phone"))
        return response.json(record, status=201)

    @app.get("/api/stations")
    async def stations(request: Request) -> response.HTTPResponse:
        from bot.stations.store import load_all

        return response.json({"stations": [s.as_dict() for s in await run(load_all, engine)]})

    @app.get("/api/handoffs")
    async def list_handoffs(request: Request) -> response.HTTPResponse:
        refused = allowed(request, OPERATOR)
        if refused:
            return refused
        return response.json({"handoffs": await run(service.handoffs)})

    app.blueprint(console_blueprint(service, engine, tokens))
    register_static(app)
    register_worker_pages(app, service, engine, guard, eraser)

    @app.after_server_start
    async def start_purge(app: Sanic, _loop) -> None:
        # Retention runs beside the requests; the "last run" row keeps other web processes out.
        app.add_task(purge.schedule(asyncio.sleep, run, eraser, purge.Retention.from_env()))

    return app


def main() -> None:
    from bot.storage.engine import make_engine, session_factory, upgrade
    from bot.runtime.launcher import health_urls
    from bot.stations.store import ensure_some

    install_log_masking()
    refuse_weak_secrets()
    engine = make_engine()
    upgrade(engine)
    ensure_some(engine)
    app = create_app(CaseService(session_factory(engine)), engine, health_urls())
    port = settings.ports().web
    app.run(host=settings.web_host(), port=port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
