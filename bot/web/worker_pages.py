"""What a worker opens in a browser: the chat (`/`), the station kiosk (`/kiosk`), and the page
that follows a case (`/follow`, also behind the QR code on the case card and the receipt; the
follow code travels in the URL fragment, never to a server)."""

from __future__ import annotations

import html
import io
from datetime import datetime, timezone
from typing import Dict
from urllib.parse import urlsplit

import segno
from sanic import Sanic, response
from sanic.request import Request

from bot import settings
from bot.cases import follow_code
from bot.cases.follow_view import follow_view
from bot.cases.numbers import is_case_no
from bot.cases.roster import RosterService
from bot.cases.service import CaseService
from bot.stations.store import find as find_station
from bot.web import documents
from bot.web.blocking import run
from bot.web.lookup_guard import TOO_MANY, Guard
from bot.web.request_body import json_object
from bot.web.static_files import SECURITY_HEADERS, html_page

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


def register_worker_pages(app: Sanic, service: CaseService, engine, guard: Guard, eraser) -> None:

    def chat_page(request: Request, name: str, replacements: Dict[str, str], frames=()) -> response.HTTPResponse:
        origin = socket_origin(request)
        return html_page(
            name,
            connect=_socket_sources(origin),
            replacements={"socket": html.escape(origin, quote=True), **replacements},
            frames=frames,
        )

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
        return chat_page(
            request,
            "kiosk.html",
            {
                "station_id": html.escape(station.id if station else "", quote=True),
                "station_name": html.escape(station.name if station else "未设置服务站"),
                "idle": str(idle),
            },
            frames=("blob:",),
        )

    @app.get("/follow")
    async def follow_page(request: Request) -> response.HTTPResponse:
        case_no = request.args.get("case", "")
        return html_page(
            "follow.html", replacements={"case_no": html.escape(case_no if is_case_no(case_no) else "", quote=True)}
        )

    def asked(request: Request):
        """((case_no, code, client), None) with the try counted, or (None, the polite refusal).
        Everything up to the count is synchronous: no await between the check and the count."""
        body = json_object(request)
        if body is None:
            return None, response.json({"error": "请求格式不对"}, status=400)
        case_no = str(body.get("case_no") or "").strip().upper()
        code = follow_code.normalise(body.get("follow_code"))
        if not is_case_no(case_no) or code is None:
            return None, response.json({"error": "请填写完整的登记编号和8位查询码"}, status=400)
        client = guard.address(request)
        if guard.begin(case_no, client):
            return None, response.json({"error": TOO_MANY}, status=429)
        return (case_no, code, client), None

    async def proven(request: Request):
        """(case number, None) once number and follow code match, else (None, the refusal): the try
        is counted before any await and given back on a match."""
        mine, refused = asked(request)
        if refused:
            return None, refused
        if not await run(service.owns, mine[0], mine[1]):
            return None, response.json({"error": "没查到。请核对登记编号和查询码"}, status=404)
        guard.succeeded(mine[0], mine[2])
        return mine[0], None

    @app.post("/api/follow")
    async def follow(request: Request) -> response.HTTPResponse:
        """A worker's own view of a case: number and follow code; status, category, station, dates,
        and (issue 16) the timeline across parties, who has it now, the legal clocks and the instalments."""
        mine, refused = asked(request)
        if refused:
            return refused
        found = await run(service.lookup, mine[0], mine[1])
        if not found:
            return response.json({"error": "没查到。请核对登记编号和查询码"}, status=404)
        guard.succeeded(mine[0], mine[2])
        case = await run(service.get, mine[0])
        if case is not None:
            found.update(follow_view(case, datetime.now(timezone.utc)))
        return response.json(found)

    @app.post("/api/follow/documents")
    async def follow_document(request: Request) -> response.HTTPResponse:
        """A worker's own document, asked with number and code in the body, never in the URL."""
        file = documents.wanted(str((json_object(request) or {}).get("file") or ""))
        if file is None:
            return response.json(
                {"error": "请选择文书：arbitration.pdf、complaint.pdf、mediation.pdf（或 .docx）"}, status=400
            )
        case_no, refused = await proven(request)
        if refused:
            return refused
        case = await run(RosterService(service.sessions).attach, await run(service.get, case_no))
        return await documents.send(case, *file)

    @app.post("/api/follow/erase")
    async def follow_erase(request: Request) -> response.HTTPResponse:
        """A worker erases their own personal data (contract §5), proven by number and follow code."""
        case_no, refused = await proven(request)
        if refused:
            return refused
        await run(eraser.erase, case_no, "worker", "follow")
        return response.json(
            {
                "case_no": case_no,
                "erased": True,
                "message": "您的姓名、电话、身份证号、地址和情况说明已经删除。登记编号和进度仍可查询。",
            }
        )

    @app.post("/api/qr")
    async def follow_qr(request: Request) -> response.HTTPResponse:
        """The QR code of a case's follow address. The follow code rides in the URL fragment
        (#…), which browsers never send, so scanning it puts the code in no server's log; and it
        comes in this POST body rather than in an image URL for the same reason."""
        body = json_object(request) or {}
        case_no = str(body.get("case_no") or "").strip().upper()
        code = follow_code.normalise(body.get("follow_code"))
        if not is_case_no(case_no) or code is None:
            return response.json({"error": "请求格式不对"}, status=400)
        base = settings.public_url() or f"{request.scheme}://{request.host}"
        out = io.BytesIO()
        segno.make(f"{base}/follow?case={case_no}#{code}", error="m").save(out, kind="svg", scale=4, border=2)
        return response.raw(
            out.getvalue(), content_type="image/svg+xml", headers={"Cache-Control": "no-store", **SECURITY_HEADERS}
        )
