"""The queue as a file to download: chosen rows, masked or not, and the audit row for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from bot.console.accounts import Principal
from bot.console.audit import Audit
from bot.console.exports import to_csv, to_xlsx
from bot.console.queue import EXPORT_LIMIT, Filters, Queue

MIME = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Download:
    body: bytes
    mime: str
    filename: str


class Downloads:
    def __init__(self, queue: Queue, audit: Audit) -> None:
        self._queue, self._audit = queue, audit

    def make(self, who: Principal, filters: Filters, kind: str, unmasked: bool) -> Download:
        """`kind` is csv or xlsx; `unmasked` is for supervisors (the route refuses others)."""
        found = self._queue.cases(who, filters, EXPORT_LIMIT)
        body = (to_csv if kind == "csv" else to_xlsx)(found, unmasked)
        self._audit.record(
            who.username,
            "export.unmasked" if unmasked else "export",
            None,
            {"format": kind, "rows": len(found), "filters": {k: v for k, v in vars(filters).items() if v is not None}},
        )
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
        return Download(body, MIME[kind], f"gongyou-cases-{stamp}.{kind}")
