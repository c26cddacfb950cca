"""The stations a case passed through on its referrals (union → procuratorate → court…), kept as a
JSON list on the case: each of them keeps reading the case it sent on."""

from __future__ import annotations

import json
from typing import List, Optional


def stations(chain: Optional[str], latest_sender: Optional[str] = None) -> List[str]:
    """Every earlier holder, oldest first; `latest_sender` covers cases referred before the chain
    was kept (they have only referred_from_station)."""
    try:
        held = json.loads(chain) if chain else []
    except ValueError:
        held = []
    out = [str(s) for s in held if isinstance(s, str) and s] if isinstance(held, list) else []
    if latest_sender and latest_sender not in out:
        out.append(latest_sender)
    return out


def extended(chain: Optional[str], sender: Optional[str]) -> Optional[str]:
    held = stations(chain)
    if sender and sender not in held:
        held.append(sender)
    return json.dumps(held) if held else chain


def pattern(station_id: str) -> str:
    """A LIKE pattern finding the station in a chain (ids are plain: letters, digits, hyphens)."""
    return "%" + json.dumps(station_id) + "%"
