"""What a ready-to-file document needs beyond the draft (issue 17): checked on the way in, split
into what erasure removes and what statistics keep, and laid out as the document reads it
(`case["details"]`, bot/documents/content.py).

Plain Python; bot/cases/service.py stores it (the `cases` columns of migration 0007 and the
`details` JSON), the bot sends it from the document form (bot/dialogue/document_intake.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Dict, List, Optional

from bot.cases import id_number as ids
from bot.cases.lifecycle import InvalidCase

# Kept in their own columns, and kept after erasure: none names or locates the worker.
COLUMNS = ("start_date", "leaving_date", "monthly_wage", "construction", "project_name", "general_contractor")
# Kept in the JSON column; erasure keeps only KEPT of them.
TEXTS = ("home_address", "employer_address", "legal_representative", "subcontractor")
LISTS = ("evidence", "witnesses")
KEPT = ("evidence", "still_working", "document_kind")
# What erasure (contract §5) removes besides the draft's own personal fields: the ID number (its
# column), the home address, and the names of people (legal representative, 包工头, witnesses).
PERSONAL = ("id_number", "home_address", "employer_address", "legal_representative", "subcontractor", "witnesses")
KINDS = ("arbitration", "complaint", "mediation")
WAGE_CEILING = 1_000_000
# The document notice (bot/dialogue/privacy_notice.py) must have been agreed to before any of these.
NEEDS_CONSENT = ("id_number", "home_address", "witnesses")
NO_CONSENT = "写文书要用身份证号、住址等信息，需要您先看过说明并同意。"


def _text(value: Any, limit: int = 200) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return text[:limit] or None


def _day(field: str, value: Any, today: date) -> Optional[date]:
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise InvalidCase(field, "日期格式不对，应该像 2026-03-05。") from None
    if day > today:
        raise InvalidCase(field, "这个日期还没到，请再核对一下。")
    return day


def _list(field: str, value: Any, items: int, limit: int) -> Optional[List[str]]:
    if value in (None, ""):
        return None
    if not isinstance(value, list):
        raise InvalidCase(field, "应该是一个列表。")
    kept = [t for t in (_text(v, limit) for v in value[:items]) if t]
    return kept or None


def validate(data: Dict[str, Any], today: date, consent_version: Optional[str]) -> Dict[str, Any]:
    """The details as stored, from untrusted input (the bot's or an operator's); absent keys are
    left out, so a later call adds to what is there. Raises InvalidCase with a Chinese message."""
    if not isinstance(data, dict):
        raise InvalidCase("details", "文书信息格式不对。")
    out: Dict[str, Any] = {}
    if data.get("id_number") not in (None, ""):
        number, problem = ids.check(data["id_number"], today)
        if problem:
            raise InvalidCase("id_number", problem)
        out["id_number"] = number
    for field in TEXTS + ("project_name", "general_contractor"):
        if field in data:
            out[field] = _text(data[field])
    for field in ("start_date", "leaving_date"):
        if field in data:
            out[field] = _day(field, data[field], today)
    if out.get("start_date") and out.get("leaving_date") and out["leaving_date"] < out["start_date"]:
        raise InvalidCase("leaving_date", "离职日期早于入职日期，请再核对一下。")
    if "monthly_wage" in data and data["monthly_wage"] not in (None, ""):
        try:
            wage = float(data["monthly_wage"])
        except (TypeError, ValueError):
            raise InvalidCase("monthly_wage", "月工资应该是一个数字。") from None
        if not 0 < wage <= WAGE_CEILING:
            raise InvalidCase("monthly_wage", "月工资这个数好像不对，请再核对一下。")
        out["monthly_wage"] = wage
    for field in ("construction", "still_working"):
        if isinstance(data.get(field), bool):
            out[field] = data[field]
    if "evidence" in data:
        out["evidence"] = _list("evidence", data["evidence"], 20, 50)
    if "witnesses" in data:
        out["witnesses"] = _list("witnesses", data["witnesses"], 10, 100)
    if data.get("document_kind") in KINDS:
        out["document_kind"] = data["document_kind"]
    if any(out.get(field) for field in NEEDS_CONSENT) and not consent_version:
        raise InvalidCase("consent", NO_CONSENT)
    return out


def extra(stored: Optional[str]) -> Dict[str, Any]:
    """The JSON column as a dict (an unreadable one is treated as empty rather than failing a read)."""
    try:
        value = json.loads(stored or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def erased(stored: Optional[str]) -> Optional[str]:
    """The JSON column after erasure: only the non-personal keys stay."""
    kept = {k: v for k, v in extra(stored).items() if k in KEPT}
    return json.dumps(kept, ensure_ascii=False) if kept else None


def months_between(start: date, end: date) -> float:
    """Whole months worked, and the part of one: what economic compensation counts (劳动合同法 §47)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return float(max(0, months))


def for_document(
    columns: Dict[str, Any], stored: Optional[str], id_number: Optional[str], today: date
) -> Dict[str, Any]:
    """`case["details"]` as bot/documents/content.py reads it: dates as ISO text, sex and age from
    the ID number, months worked from the dates, the general contractor only on a construction
    project (保障农民工工资支付条例 §30, §36)."""
    d: Dict[str, Any] = {k: v for k, v in extra(stored).items() if v not in (None, "", [])}
    start, leaving = columns.get("start_date"), columns.get("leaving_date")
    d.update(
        {
            "start_date": start.isoformat() if start else None,
            "leaving_date": leaving.isoformat() if leaving else None,
            "monthly_wage": columns.get("monthly_wage"),
            "construction": columns.get("construction"),
            "project_name": columns.get("project_name"),
        }
    )
    if columns.get("construction"):
        d["general_contractor"] = columns.get("general_contractor")
    if id_number:
        d["id_number"] = id_number
        if ids.valid(id_number, today):
            d["sex"], d["age"] = ids.sex(id_number), ids.age(id_number, today)
    if start:
        d["months_worked"] = months_between(start, leaving or today)
    return {k: v for k, v in d.items() if v not in (None, "", [])}


def masked(details: Dict[str, Any]) -> Dict[str, Any]:
    """The details as a list, an export or a log may show them: the ID number masked, the rest of
    what identifies a person left out."""
    out = {k: v for k, v in details.items() if k not in PERSONAL}
    if details.get("id_number"):
        out["id_number"] = ids.masked(details["id_number"])
    return out
