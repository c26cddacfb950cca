"""Drafts typed in from a hotline call: which station they go to, and saving them once."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, Optional, Tuple

from bot.cases.service import CaseService
from bot.console.accounts import Principal
from bot.console.audit import Audit
from bot.stations.routing import route_case, station_finder

logger = logging.getLogger(__name__)
HOTLINE = "hotline:"  # sender id prefix of drafts saved from the console, which have no Rasa conversation
HOTLINE_CONSENT = "hotline-oral-v1"  # the notice read out on the phone (console.html says what it covers)
FIELDS = (
    "category",
    "name",
    "phone",
    "employer",
    "location",
    "amount",
    "period_months",
    "worker_count",
    "description",
    "station_id",
    "station_name",
)


def _named(station_id: Optional[str], fallback: Optional[str]) -> Dict[str, Any]:
    station = station_finder().index().by_id.get(station_id or "")
    return {"station_id": station_id, "station_name": station.name if station else fallback}


def station_for(who: Principal, draft: Dict[str, Any]) -> Dict[str, Any]:
    """A station operator's drafts are their station's; a supervisor's go where they chose, else
    where the case routing rule sends them (bot/stations/routing.py)."""
    if not who.supervisor:
        return _named(who.station_id, who.station_id)
    if draft.get("station_id"):
        return _named(draft["station_id"], draft.get("station_name"))
    try:
        routed = route_case(draft.get("location"), draft.get("category"))
    except Exception:  # the gazetteer or the index failing must not stop a hotline draft
        logger.exception("station routing failed")
        routed = None
    return {"station_id": routed[0].id, "station_name": routed[0].name} if routed else {}


class HotlineDrafts:
    def __init__(self, service: CaseService, audit: Audit) -> None:
        self._service, self._audit = service, audit

    def save(self, who: Principal, body: Dict[str, Any], key: Optional[str]) -> Tuple[Dict[str, Any], bool]:
        """(case, created) as CaseService.open_draft; raises InvalidCase for a draft that cannot be saved."""
        data = {k: body.get(k) for k in FIELDS}
        data.update(station_for(who, data))
        data["sender_id"] = HOTLINE + who.username
        if body.get("consent") is True:
            # The operator read the notice on the phone and the caller agreed (contract §5).
            data["consent"] = {"version": HOTLINE_CONSENT, "at": datetime.now(timezone.utc).isoformat()}
        case, created = self._service.open_draft(data, key)
        if created:
            self._audit.record(who.username, "case.draft", case["case_no"], {"via": "hotline"})
        return case, created
