"""What a worker opens in a browser: the chat (`/`), the station kiosk (`/kiosk`), and the page
that follows a case (`/follow`, also behind the QR code on the case card and the receipt)."""
from __future__ import annotations

import asyncio
import html
import io
import os
import re
import time
from collections import defaultdict, deque
from typing import Any, Callable, Deque, Dict
from urllib.parse import urlsplit

import segno
from sanic import Sanic, response
from sanic.request import Request

from bot.cases.service import CaseService
from bot.web.request_body import json_object
from bot.web.static_files import SECURITY_HEADERS, html_page

CASE_NO = re.compile(r"^GY\d{8}-\d{4,}$")
FOLLOW_TRIES = 10            # wrong guesses allowed per case number …
ADDRESS_TRIES = 30           # … and per address (a station's kiosks share one) …
FOLLOW_WINDOW = 15 * 60      # … in this many seconds: 4 digits must not be guessable
KIOSK_IDLE_SECONDS = 180


def socket_origin(request: Request) -> str:
    """Where the page's socket.io client connects: GONGYOU_SOCKET_URL, else Rasa's port on this host.

    Behind one entry point (nginx in production) GONGYOU_SOCKET_URL=same-origin: the page connects
    to the address it was loaded from.
    """
    configured = os.environ.get("GONGYOU_SOCKET_URL", "").strip().rstrip("/")
    if configured == "same-origin":
        return ""
    if configured:
        return configured
    host = request.host or "localhost"
    host = host.split("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
    scheme = "https" if request.scheme in ("https", "wss") else "http"
    return f"{scheme}://{host}:{os.environ.get('GONGYOU_RASA_PORT', '5005')}"


def _socket_sources(origin: str) -> list:
    if not origin:
        return []  # the page's own origin: 'self' covers it
    parts = urlsplit(origin)
    ws = {"https": "wss", "http": "ws"}.get(parts.scheme, "ws")
    return [f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"]


class Attempts:
    """Failed case lookups remembered for a while, so the last four digits cannot be guessed."""

    def __init__(self, limit: int = FOLLOW_TRIES, window: float = FOLLOW_WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self.failures: Dict[str, Deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> Deque[float]:
        seen = self.failures[key]
        while seen and self.clock() - seen[0] > self.window:
            seen.popleft()
        return seen

    def blocked(self, *keys: str) -> bool:
        return any(len(self._recent(k)) >= self.limit for k in keys)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._recent(key).append(self.clock())


def register_worker_pages(app: Sanic, service: CaseService, stations: Callable[[], list]) -> None:
    by_case, by_address = Attempts(FOLLOW_TRIES), Attempts(ADDRESS_TRIES)

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
        known = {s.id: s for s in await run(stations)}
        station = known.get(wanted)
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
            "case_no": html.escape(case_no if CASE_NO.match(case_no) else "", quote=True)})

    @app.post("/api/follow")
    async def follow(request: Request) -> response.HTTPResponse:
        """A worker's own view of a case: the number and the phone's last four digits, nothing personal."""
        body = json_object(request)
        if body is None:
            return response.json({"error": "请求格式不对"}, status=400)
        case_no = str(body.get("case_no") or "").strip().upper()
        last4 = str(body.get("phone_last4") or "").strip()
        if not CASE_NO.match(case_no) or not re.fullmatch(r"\d{4}", last4):
            return response.json({"error": "请填写完整的编号和电话后四位"}, status=400)
        address = "ip:" + (request.remote_addr or request.ip or "")
        if by_address.blocked(address) or by_case.blocked(case_no):
            return response.json({"error": "试的次数太多了，请过一会儿再查，或打12333询问"}, status=429)
        found = await run(service.lookup, case_no, last4)
        if not found:
            by_address.failed(address)
            by_case.failed(case_no)
            return response.json({"error": "没查到。请核对编号和电话后四位"}, status=404)
        return response.json(found)

    @app.get("/qr/<case_no:str>")
    async def follow_qr(request: Request, case_no: str) -> response.HTTPResponse:
        case_no = case_no[:-4] if case_no.endswith(".svg") else case_no
        if not CASE_NO.match(case_no):
            return response.text("not found", status=404)
        # The code carries only the follow address: scanning it still asks for the phone digits.
        base = os.environ.get("GONGYOU_PUBLIC_URL", "").rstrip("/") or f"{request.scheme}://{request.host}"
        out = io.BytesIO()
        segno.make(f"{base}/follow?case={case_no}", error="m").save(out, kind="svg", scale=4, border=2)
        return response.raw(out.getvalue(), content_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400", **SECURITY_HEADERS})


def station_loader(engine) -> Callable[[], list]:
    from bot.stations.store import load_all

    cache: Dict[str, Any] = {"at": 0.0, "stations": []}

    def load() -> list:
        # Kiosk pages are opened often; the station list changes rarely.
        if time.monotonic() - cache["at"] > 60:
            cache["stations"], cache["at"] = load_all(engine), time.monotonic()
        return cache["stations"]

    return load
