"""The web side: case API (contract §4), handoff requests, the console, the worker's pages, /healthz."""

from __future__ import annotations

import asyncio
import logging
from typing import Dict, Optional

from sanic import Sanic, response
from sanic.request import Request
from sqlalchemy import text

from bot import settings
from bot.cases import purge
from bot.cases.erasure import Eraser, local_outbox
from bot.cases.roster import RosterService
from bot.cases.service import CaseService
from bot.cases.trackers import RasaTrackers
from bot.console.audit import Audit
from bot.privacy import install_log_masking
from bot.web.auth import refuse_weak_secrets, tokens_from_env
from bot.web.blocking import run
from bot.web.case_api import register_case_api
from bot.web.console_routes import console_blueprint
from bot.web.health import is_up
from bot.web.lookup_guard import Guard as LookupGuard
from bot.web.roster_api import register_roster_api
from bot.web.static_files import register_static
from bot.web.worker_pages import register_worker_pages

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


def create_app(
    service: CaseService, engine, health_urls: Dict[str, str], tokens: Optional[dict] = None, name: str = "gongyou_web"
) -> Sanic:
    tokens = tokens if tokens is not None else tokens_from_env()
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # One per process: every follow-code path counts against the same limits.
    guard, eraser = LookupGuard(), Eraser(service, Audit(service.sessions), RasaTrackers(), local_outbox)
    register_health(app, engine, health_urls)
    register_case_api(app, service, engine, tokens, guard, eraser)
    app.blueprint(console_blueprint(service, engine, tokens, eraser))
    register_static(app)
    register_worker_pages(app, service, engine, guard, eraser)
    register_roster_api(app, RosterService(service.sessions), tokens, guard, eraser)

    @app.after_server_start
    async def start_purge(app: Sanic, _loop) -> None:
        # Retention runs beside the requests; the "last run" row keeps other web processes out.
        app.add_task(purge.schedule(asyncio.sleep, run, eraser, purge.Retention.from_env()))

    return app


def database_up(engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def register_health(app: Sanic, engine, health_urls: Dict[str, str]) -> None:
    @app.get("/healthz")
    async def healthz(request: Request) -> response.HTTPResponse:
        parts = {"database": await run(database_up, engine)}
        for part, url in health_urls.items():
            parts[part] = await run(is_up, url)
        ok = all(parts.values())
        return response.json({"status": "ok" if ok else "degraded", "parts": parts}, status=200 if ok else 503)


def main() -> None:
    from bot.stations.store import ensure_some
    from bot.storage.engine import make_engine, session_factory, upgrade
    from bot.web.health import health_urls

    install_log_masking()
    refuse_weak_secrets()
    engine = make_engine()
    upgrade(engine)
    ensure_some(engine)
    app = create_app(CaseService(session_factory(engine)), engine, health_urls())
    app.run(host=settings.web_host(), port=settings.ports().web, access_log=False, workers=1)


if __name__ == "__main__":
    main()
