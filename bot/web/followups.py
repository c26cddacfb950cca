"""Follow-up routes (contract §6): an operator runs due follow-ups on demand; the chat channels
(service token) hand over a worker's message so due questions open the reply and answers count."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict

from sanic import Sanic, response
from sanic.request import Request
from sqlalchemy.orm import sessionmaker

from bot.followups import replies, scheduler
from bot.followups.channels import Channels
from bot.web.auth import OPERATOR, SERVICE, bearer
from bot.web.blocking import run
from bot.web.replies import BAD_BODY, refusal

BAD_TIME = "时间格式不对，请写成 ISO 8601，比如 2026-12-15T09:00:00+08:00。"


def register_followup_routes(app: Sanic, sessions: sessionmaker, tokens: dict) -> None:
    channels = Channels()
    app.ctx.followup_channels = channels

    @app.post("/api/followups/run")
    @bearer(tokens, OPERATOR, body=True)
    async def run_followups(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        now = None
        if body.get("now") is not None:
            try:
                now = datetime.fromisoformat(str(body["now"]).replace("Z", "+00:00"))
            except ValueError:
                return refusal(400, BAD_TIME)
        sent = await run(scheduler.run_due, sessions, channels, now)
        return response.json({"sent": sent})

    @app.post("/api/followups/turn")
    @bearer(tokens, SERVICE, OPERATOR, body=True)
    async def turn(request: Request, body: Dict[str, Any]) -> response.HTTPResponse:
        sender, text = body.get("sender_id"), body.get("text")
        if not isinstance(sender, str) or not sender or not isinstance(text, str):
            return refusal(400, BAD_BODY)
        return response.json(await run(replies.turn, sessions, sender[:128], text[:2000], datetime.now(timezone.utc)))

    @app.after_server_start
    async def start_schedule(app: Sanic, _loop) -> None:
        app.ctx.followup_scheduler = scheduler.start(sessions, channels)

    @app.before_server_stop
    async def stop_schedule(app: Sanic, _loop) -> None:
        running = getattr(app.ctx, "followup_scheduler", None)
        if running is not None:
            running.shutdown(wait=False)
