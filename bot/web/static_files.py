"""Pages and assets served by GongYou itself, with caching and security headers.

Our own files live in bot/web/static; the libraries (socket.io client, Chart.js) are copied from
npm into build/static/vendor by `make assets`. Nothing is loaded from a CDN.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Dict, Iterable, Optional

from sanic import Sanic, response
from sanic.request import Request

ROOT = Path(__file__).resolve().parents[2]
OWN = Path(__file__).resolve().parent / "static"
VENDOR = ROOT / "build" / "static" / "vendor"
PAGES = Path(__file__).resolve().parent / "pages"

# Our own files change with each release but keep their names: revalidate with an ETag.
# Vendor files are pinned by package-lock.json, so a day of caching is safe.
OWN_CACHE = "no-cache"
VENDOR_CACHE = "public, max-age=86400"


def content_security_policy(connect: Iterable[str] = (), frames: Iterable[str] = ()) -> str:
    sources = " ".join(["'self'", *connect])
    # Only the kiosk frames anything: the document it prints, loaded from memory (blob:).
    framed = f"frame-src {' '.join(frames)}; " if frames else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {sources}; font-src 'self'; object-src 'none'; base-uri 'none'; {framed}"
        "frame-ancestors 'none'; form-action 'self'"
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
}


def _file_response(request: Request, path: Path, cache: str) -> response.HTTPResponse:
    body = path.read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {"Cache-Control": cache, "ETag": etag, **SECURITY_HEADERS}
    if request.headers.get("if-none-match") == etag:
        return response.empty(status=304, headers=headers)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if mime.startswith("text/") or mime in ("application/javascript",):
        mime += "; charset=utf-8"
    return response.raw(body, content_type=mime, headers=headers)


def _inside(base: Path, relative: str) -> Optional[Path]:
    """The file under base, or None for anything outside it (../ and the like) or missing."""
    candidate = (base / relative).resolve()
    if base.resolve() not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def html_page(
    name: str,
    connect: Iterable[str] = (),
    replacements: Optional[Dict[str, str]] = None,
    frames: Iterable[str] = (),
) -> response.HTTPResponse:
    """An HTML page from bot/web/pages with its placeholders filled (values are escaped by the caller)."""
    text = (PAGES / name).read_text(encoding="utf-8")
    for key, value in (replacements or {}).items():
        text = text.replace("{{" + key + "}}", value)
    headers = {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": content_security_policy(connect, frames),
        **SECURITY_HEADERS,
    }
    return response.html(text, headers=headers)


def register_static(app: Sanic) -> None:
    @app.get("/static/<relative:path>")
    async def own(request: Request, relative: str) -> response.HTTPResponse:
        found = _inside(OWN, relative)
        return _file_response(request, found, OWN_CACHE) if found else response.text("not found", status=404)

    @app.get("/vendor/<relative:path>")
    async def vendor(request: Request, relative: str) -> response.HTTPResponse:
        found = _inside(VENDOR, relative)
        return _file_response(request, found, VENDOR_CACHE) if found else response.text("not found", status=404)
