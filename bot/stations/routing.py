"""Which station gets a case: the one rule, for the bot's intake and the console's hotline drafts.

The station serving the workplace (劳动争议调解仲裁法 §21: place of performance) when the place
is known; else the kiosk where the worker registered; else none (a supervisor assigns it).
"""

from __future__ import annotations

import threading
from typing import Optional, Tuple

from bot.stations.finder import StationFinder
from bot.stations.station import Station

_finder: Optional[StationFinder] = None
_lock = threading.Lock()


def station_finder() -> StationFinder:
    """This process's one finder, over the stations in the case database (DATABASE_URL);
    a fresh database gets the demo list."""
    global _finder
    with _lock:
        if _finder is None:
            from bot.stations.store import ensure_some, load_all
            from bot.storage.engine import make_engine, upgrade

            engine = make_engine()
            upgrade(engine)

            def load():
                ensure_some(engine)
                return load_all(engine)

            _finder = StationFinder(load)
        return _finder


def route_case(
    location: Optional[str],
    category: Optional[str],
    kiosk_station: Optional[str] = None,
    finder: Optional[StationFinder] = None,
) -> Optional[Tuple[Station, str]]:
    """(station, the reason told to the worker), or None. `finder` is for tests."""
    finder = finder or station_finder()
    return finder.for_case(location, category) or finder.kiosk_station(kiosk_station)
