"""What a worker opens in a browser: the chat (`/`), the station kiosk (`/kiosk`), and the page
that follows a case (`/follow`, also behind the QR code on the case card and the receipt)."""
from __future__ import annotations

import asyncio
import html
import io
import re
from typing import Any, Callable, Dict
from urllib.parse import urlsplit

import segno
from sanic import Sanic, response
from sanic.request import Request

from bot import hotlines
from bot.cases.numbers import is_case_no
from bot.cases.service import CaseService
from bot.stations.store import find as find_station
from bot.throttle import Throttle
from bot.web.request_body import json_object
from bot.web.static_files import SECURITY_HEADERS, html_page
from bot import settings

FOLLOW_TRIES = 10            # wrong guesses allowed per case number …
ADDRESS_TRIES = 30           # … and per address (a station's kiosks share one) …
FOLLOW_WINDOW = 15 * 60      # … in this many seconds: 4 digits must not be guessable
KIOSK_IDLE_SECONDS = 180


def socket_origin(request: Request) -> str:
    """Where the page's socket.io client connects: GONGYOU_SOCKET_URL, else Rasa's port on this host.

    Behind one entry point (nginx in production) GONGYOU_SOCKET_URL=same-origin: the page connects
    to the address it was loaded from.
    """
    configured = settings.socket_url()
    if configured == "same-origin":
        return ""
    if configured:
        return configured
    host = request.host or "localhost"
    host = host.split("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
    scheme = "https" if request.scheme in ("https", "wss") else "http"
    return f"{scheme}://{host}:{settings.ports().rasa}"


def _socket_sources(origin: str) -> list:
    if not origin:
        return []  # the page's own origin: 'self' covers it
    parts = urlsplit(origin)
    ws = {"https": "wss", "http": "ws"}.get(parts.scheme, "ws")
    return [f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"]


def register_worker_pages(app: Sanic, service: CaseService, engine) -> None:
    guesses = Throttle({"case": FOLLOW_TRIES, "address": ADDRESS_TRIES}, FOLLOW_WINDOW)

    async def run(fn: Callable, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    def chat_page(request: Request, name: str, replacements: Dict[str, str]) -> response.HTTPResponse:
        origin = socket_origin(request)
        return html_page(name, connect=_socket_sources(origin),
                         replacements={"socket": html.escape(origin, quote=True), **replacements})

    @app.get("/")
    async def chat(request: Request) -> response.HTTPResponse:
        return chat_page(request, "chat.html", {})

    @app.get("/kiosk")
    async def kiosk(request: Request) -> response.HTTPResponse:
        wanted = request.args.get("station", "")
        station = await run(find_station, engine, wanted[:64]) if wanted else None
        try:
            idle = max(2, min(3600, int(request.args.get("idle", KIOSK_IDLE_SECONDS))))
        except ValueError:
            idle = KIOSK_IDLE_SECONDS
        return chat_page(request, "kiosk.html", {
            "station_id": html.escape(station.id if station else "", quote=True),
            "station_name": html.escape(station.name if station else "未设置服务站"),
            "idle": str(idle),
        })

    @app.get("/follow")
    async def follow_page(request: Request) -> response.HTTPResponse:
        case_no = request.args.get("case", "")
        return html_page("follow.html", replacements={
            "case_no": html.escape(case_no if is_case_no(case_no) else "", quote=True)})

    @app.post("/api/follow")
    async def follow(request: Request) -> response.HTTPResponse:
        """A worker's own view of a case: the number and the phone's last four digits, nothing personal."""
        body = json_object(request)
        if body is None:
            return response.json({"error": "请求格式不对"}, status=400)
        case_no = str(body.get("case_no") or "").strip().upper()
        last4 = str(body.get("phone_last4") or "").strip()
        if not is_case_no(case_no) or not re.fullmatch(r"\d{4}", last4):
            return response.json({"error": "请填写完整的编号和电话后四位"}, status=400)
        address = request.remote_addr or request.ip or ""
        if guesses.retry_after(case=case_no, address=address):
            return response.json({"error": f"试的次数太多了，请过一会儿再查，或打{hotlines.RENSHE}询问"}, status=429)
        found = await run(service.lookup, case_no, last4)
        if not found:
            guesses.failed(case=case_no, address=address)
            return response.json({"error": "没查到。请核对编号和电话后四位"}, status=404)
        return response.json(found)

    @app.get("/qr/<case_no:str>")
    async def follow_qr(request: Request, case_no: str) -> response.HTTPResponse:
        case_no = case_no[:-4] if case_no.endswith(".svg") else case_no
        if not is_case_no(case_no):
            return response.text("not found", status=404)
        # The code carries only the follow address: scanning it still asks for the phone digits.
        base = settings.public_url() or f"{request.scheme}://{request.host}"
        out = io.BytesIO()
        segno.make(f"{base}/follow?case={case_no}", error="m").save(out, kind="svg", scale=4, border=2)
        return response.raw(out.getvalue(), content_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400", **SECURITY_HEADERS})
