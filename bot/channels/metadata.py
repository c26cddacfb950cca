"""What a client may put in a message's metadata (contract §3): anything else never reaches the tracker."""

from __future__ import annotations

import math
import re
from typing import Any, Dict, Optional

STATION_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


MAX_VALUE_CHARS = 32


def _coordinate(value: Any) -> Any:
    """A number as it is, a short string as it is (the bot explains what is wrong with either:
    bot/stations/locate.py), anything else None. NaN and infinity would not survive JSON."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= MAX_VALUE_CHARS:
        return value
    return None


def allowed_metadata(raw: Any, kiosk: bool = True) -> Optional[Dict[str, Any]]:
    """A shared position (its latitude and longitude, WGS-84 degrees) and, from a kiosk page, its
    station; None when nothing is left. (`kiosk=False`: the REST channel, which has no kiosk.)
    A position that is out of range or unreadable is kept as sent, so the bot can say what is
    wrong with it instead of silently ignoring it."""
    if not isinstance(raw, dict):
        return None
    kept: Dict[str, Any] = {}
    where = raw.get("location")
    if isinstance(where, dict):
        kept["location"] = {
            "latitude": _coordinate(where.get("latitude")),
            "longitude": _coordinate(where.get("longitude")),
        }
    station = raw.get("kiosk_station") if kiosk else None
    if isinstance(station, str) and STATION_ID.match(station):
        kept["kiosk_station"] = station
    return kept or None
