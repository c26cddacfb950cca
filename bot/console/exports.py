"""The filtered queue as CSV (UTF-8 with BOM, so Excel reads Chinese) or .xlsx (openpyxl).

Masked unless a supervisor asks otherwise; the route writes that request to the audit log.
Cells that a spreadsheet would run as a formula (=, +, -, @, their full-width forms, a leading
tab or CR) are prefixed with a quote.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bot.cases.follow_view import STATUS_TITLES
from bot.cases.service import masked
from bot.law.guidance import guidance_for
from bot.privacy import mask_text
from bot.storage.tables import Case

STATUS_NAMES = dict(STATUS_TITLES)  # every status of contract §6, named once in bot/cases/follow_view.py
COLUMNS = (
    ("case_no", "案件编号"),
    ("status", "状态"),
    ("category", "问题类别"),
    ("collective", "群体性"),
    ("priority", "优先级"),
    ("employer", "用人单位"),
    ("location", "工作地点"),
    ("amount", "金额（元）"),
    ("period_months", "时长（月）"),
    ("worker_count", "涉及人数"),
    ("name", "姓名"),
    ("phone", "电话"),
    ("station", "服务站"),
    ("created_at", "登记时间（北京时间）"),
    ("description", "情况描述"),
)
CHINA = timezone(timedelta(hours=8))
# Spreadsheets in Chinese locales take the full-width (and small-form) signs as formula starts too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫")


def _china_time(moment: datetime) -> str:
    """Beijing time, as the stations read it (the database keeps UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _record(case: Case, unmasked: bool) -> Dict[str, Any]:
    record = {
        "case_no": case.case_no,
        "status": STATUS_NAMES.get(case.status, case.status),
        "category": (topic.title if (topic := guidance_for(case.category)) else case.category),
        "collective": "是" if case.collective else "否",
        "priority": case.priority,
        "employer": case.employer,
        "location": case.location,
        "amount": case.amount,
        "period_months": case.period_months,
        "worker_count": case.worker_count,
        "name": case.name,
        "phone": case.phone,
        "station": case.station_name,
        "created_at": _china_time(case.created_at),
        "description": case.description,
    }
    if unmasked:
        return record
    # The description is the worker's own words and often repeats a phone or ID number.
    return {**masked(record), "description": mask_text(case.description or "") or None}


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def rows(cases: Iterable[Case], unmasked: bool) -> List[List[Any]]:
    return [[_safe(_record(c, unmasked).get(key)) for key, _ in COLUMNS] for c in cases]


def to_csv(cases: Iterable[Case], unmasked: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    writer.writerows(["" if v is None else v for v in r] for r in rows(cases, unmasked))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(cases: Iterable[Case], unmasked: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "案件"
    sheet.append([label for _, label in COLUMNS])
    for values in rows(cases, unmasked):
        sheet.append(values)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMNO", (18, 8, 14, 8, 8, 24, 16, 12, 10, 10, 10, 14, 28, 26, 60)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
