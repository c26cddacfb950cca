"""Optional online geocoding through AMap's web API, for places the offline gazetteer lacks.

Used only when AMAP_KEY is set; any failure (timeout, quota, no network) falls back to the
offline answer. AMap returns GCJ-02 coordinates, a few hundred metres from WGS-84: close enough
to rank stations, and said so nowhere as exact.
"""

from __future__ import annotations

import logging
from typing import Optional, Tuple

import requests

from bot import settings

logger = logging.getLogger(__name__)
URL = "https://restapi.amap.com/v3/geocode/geo"
TIMEOUT = (2, 3)


def geocode(address: str, key: Optional[str] = None) -> Optional[Tuple[float, float]]:
    key = key or settings.amap_key()
    if not key or not address:
        return None
    try:
        reply = requests.get(URL, params={"key": key, "address": address[:100]}, timeout=TIMEOUT)
        data = reply.json()
        location = data["geocodes"][0]["location"] if data.get("status") == "1" and data.get("geocodes") else None
        if not location:
            return None
        lng, lat = (float(x) for x in location.split(","))
        return lat, lng
    except (requests.RequestException, ValueError, KeyError, IndexError):
        logger.info("online geocoding unavailable; staying offline")
        return None
