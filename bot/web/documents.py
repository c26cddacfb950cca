"""Ready-to-file documents over HTTP (contract §7): operators with the token, a worker with the case
number and follow code. The file never sits in a cache and its name holds no personal data."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, Optional

from sanic import response

from bot.documents import content
from bot.documents.files import FORMATS, document_file
from bot.documents.fonts import FontMissing
from bot.web.blocking import run
from bot.web.replies import refusal

FILE_NAME = re.compile(r"^(\w+)\.(\w+)$")
NO_FONT = "文书暂时生成不了（服务器缺少中文字体），请稍后再试或到服务站办理。"


def wanted(name: str):
    """(kind, format) from "arbitration.pdf", or None for anything else."""
    match = FILE_NAME.match(name or "")
    if not match or match.group(1) not in content.KINDS or match.group(2) not in FORMATS:
        return None
    return match.group(1), match.group(2)


async def send(case: Optional[Dict[str, Any]], kind: str, fmt: str) -> response.HTTPResponse:
    if case is None:
        return refusal(404, "not found")
    try:
        data, kind_type, file_name = await run(document_file, case, kind, fmt, date.today())
    except content.NotApplicable as wrong_route:
        return response.json({"error": wrong_route.message}, status=409)
    except FontMissing:
        return response.json({"error": NO_FONT}, status=503)
    return response.raw(
        data,
        content_type=kind_type,
        headers={"Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="{file_name}"'},
    )
